#include "libs/adapters/curl/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace microcred::fetch {
namespace {

// Whether the first `bits` bits of `bytes` equal those of `prefix`.
bool InPrefix(const uint8_t* bytes, std::initializer_list<uint8_t> prefix, int bits) {
  const uint8_t* p = prefix.begin();
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((bytes[i] & mask) != (p[i] & mask)) return false;
  }
  return true;
}

std::optional<std::string> RestrictedV4(const uint8_t* a) {
  if (InPrefix(a, {0, 0, 0, 0}, 32)) return "unspecified";
  if (InPrefix(a, {0}, 8)) return "reserved";  // "this network"
  if (InPrefix(a, {127}, 8)) return "loopback";
  if (InPrefix(a, {10}, 8) || InPrefix(a, {172, 16}, 12) || InPrefix(a, {192, 168}, 16)) {
    return "private";
  }
  if (InPrefix(a, {169, 254}, 16)) return "link-local";
  if (InPrefix(a, {100, 64}, 10)) return "shared (carrier-grade NAT)";
  if (InPrefix(a, {224}, 4)) return "multicast";
  if (InPrefix(a, {240}, 4)) return "reserved";  // with 255.255.255.255, broadcast
  return std::nullopt;
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(absl::string_view text) {
  IpAddress out;
  std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) return out;
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) == 1) {
    out.v6 = true;
    return out;
  }
  return std::nullopt;
}

std::optional<IpAddress> IpAddress::FromSockaddr(const sockaddr* address) {
  IpAddress out;
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    std::memcpy(out.bytes.data(), &in->sin_addr, 4);
    return out;
  }
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    std::memcpy(out.bytes.data(), &in6->sin6_addr, 16);
    out.v6 = true;
    return out;
  }
  return std::nullopt;
}

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), text, sizeof text);
  return text;
}

std::optional<std::string> RestrictedKind(const IpAddress& address) {
  const uint8_t* a = address.bytes.data();
  if (!address.v6) return RestrictedV4(a);
  static constexpr uint8_t kZero[16] = {};
  if (std::memcmp(a, kZero, 15) == 0 && a[15] <= 1) return a[15] ? "loopback" : "unspecified";
  // The forms that carry an IPv4 address, judged by it: whichever way the socket reaches it,
  // it is that IPv4 host that answers.
  if (InPrefix(a, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96) ||        // ::ffff:a.b.c.d
      InPrefix(a, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 96) ||              // ::a.b.c.d
      InPrefix(a, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}, 96)) {  // NAT64
    return RestrictedV4(a + 12);
  }
  if (InPrefix(a, {0x20, 0x02}, 16)) return RestrictedV4(a + 2);  // 6to4
  if (InPrefix(a, {0xfc}, 7) || InPrefix(a, {0xfe, 0xc0}, 10)) return "private";
  if (InPrefix(a, {0xfe, 0x80}, 10)) return "link-local";
  if (InPrefix(a, {0xff}, 8)) return "multicast";
  return std::nullopt;
}

std::string NormalizeHost(absl::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return absl::AsciiStrToLower(host);
}

absl::StatusOr<HostAllowList> HostAllowList::Parse(absl::string_view list) {
  HostAllowList out;
  for (absl::string_view raw : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    const absl::string_view entry = absl::StripAsciiWhitespace(raw);
    absl::string_view host = entry;
    absl::string_view port_text;
    if (absl::StartsWith(entry, "[")) {  // [v6] or [v6]:port
      const size_t close = entry.find(']');
      if (close == absl::string_view::npos) {
        return absl::InvalidArgumentError(absl::StrCat("allowed host ", entry, ": unclosed ["));
      }
      host = entry.substr(0, close + 1);
      absl::string_view rest = entry.substr(close + 1);
      if (!rest.empty() && (!absl::ConsumePrefix(&rest, ":") || rest.empty())) {
        return absl::InvalidArgumentError(
            absl::StrCat("allowed host ", entry, ": expected [address][:port]"));
      }
      port_text = rest;
    } else if (const size_t colon = entry.find(':'); colon != absl::string_view::npos) {
      host = entry.substr(0, colon);
      port_text = entry.substr(colon + 1);
      if (port_text.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("allowed host ", entry, ": expected host[:port] (an IPv6 address in [])"));
      }
    }
    Entry e{.host = NormalizeHost(host)};
    if (e.host.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("allowed host ", entry, ": empty host"));
    }
    if (!port_text.empty() &&
        (!absl::SimpleAtoi(port_text, &e.port) || e.port < 1 || e.port > 65535)) {
      return absl::InvalidArgumentError(
          absl::StrCat("allowed host ", entry, ": port must be 1..65535"));
    }
    out.entries_.push_back(std::move(e));
  }
  return out;
}

bool HostAllowList::Allows(absl::string_view host, int port) const {
  const std::string normalized = NormalizeHost(host);
  for (const Entry& e : entries_) {
    if (e.host == normalized && (e.port == 0 || e.port == port)) return true;
  }
  return false;
}

}  // namespace microcred::fetch
