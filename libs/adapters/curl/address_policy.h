// What a fetch may reach: the addresses refused unless a host is allowed (server-side request
// forgery), and the hosts an operator allows. Pure: no resolving, no I/O.
//
// An address is restricted when it reaches the node's own side of the network rather than the
// public Internet: loopback (127/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7, and
// the deprecated site-local fec0::/10), link-local (169.254/16, fe80::/10: cloud metadata
// services live there), shared address space (100.64/10, carrier-grade NAT), multicast,
// unspecified (0.0.0.0, ::) and the rest of "this network" 0/8, reserved 240/4 and broadcast.
// An IPv6 address that carries an IPv4 one (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible
// ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by the IPv4 address it carries.
#ifndef MICROCRED_LIBS_ADAPTERS_CURL_ADDRESS_POLICY_H_
#define MICROCRED_LIBS_ADAPTERS_CURL_ADDRESS_POLICY_H_

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace microcred::fetch {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4: the first 4, network order

  // An address literal: dotted IPv4 ("10.0.0.1") or IPv6 ("::1", "[::1]"); nullopt otherwise
  // (a host name, or an IPv6 literal with a zone id).
  static std::optional<IpAddress> Parse(absl::string_view text);
  // An AF_INET or AF_INET6 socket address; nullopt for any other family.
  static std::optional<IpAddress> FromSockaddr(const sockaddr* address);

  // "10.0.0.1", "::1" (no brackets).
  std::string ToString() const;
  bool operator==(const IpAddress&) const = default;
};

// Why `address` is refused unless its host is allowed ("loopback", "private", "link-local",
// "shared (carrier-grade NAT)", "multicast", "unspecified", "reserved"); nullopt for a public
// address.
std::optional<std::string> RestrictedKind(const IpAddress& address);

// The hosts allowed on restricted addresses: "host" (any port) or "host:port", IPv6 literals in
// brackets ("[::1]:8443"). Names compare without case. Allowing a host allows that name: a
// redirect to another name on the same address is checked anew.
class HostAllowList {
 public:
  // "host[:port],host[:port],..." (empty: none). InvalidArgument naming the entry when one is
  // malformed (an empty host, a port that is not 1..65535).
  static absl::StatusOr<HostAllowList> Parse(absl::string_view list);

  // `host` as in a URL (an IPv6 literal with or without brackets), `port` the URL's port (the
  // scheme's default when it names none).
  bool Allows(absl::string_view host, int port) const;
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    std::string host;  // lower case, IPv6 without brackets
    int port = 0;      // 0: any
  };
  std::vector<Entry> entries_;
};

// `host` lower-cased, without the brackets of an IPv6 literal.
std::string NormalizeHost(absl::string_view host);

}  // namespace microcred::fetch

#endif  // MICROCRED_LIBS_ADAPTERS_CURL_ADDRESS_POLICY_H_
