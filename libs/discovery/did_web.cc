#include "libs/discovery/did_web.h"

#include "absl/strings/ascii.h"
#include "libs/base/strings.h"

namespace microcred::discovery {
namespace {

constexpr std::string_view kDidWebPrefix = "did:web:";
constexpr std::string_view kInstitutions = "institutions";

using strings::Cat;

std::string_view WithoutTrailingSlash(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return url;
}

bool ConsumePrefix(std::string_view& text, std::string_view prefix) {
  if (text.substr(0, prefix.size()) != prefix) return false;
  text.remove_prefix(prefix.size());
  return true;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = absl::ascii_tolower(c);
  return out;
}

// `text` split at every `separator`; empty parts kept.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t at = text.find(separator); at != std::string_view::npos;
       at = text.find(separator, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// The DID syntax's idchar: ALPHA / DIGIT / "." / "-" / "_"; anything else is pct-encoded.
bool IsIdChar(char c) { return absl::ascii_isalnum(c) || c == '.' || c == '-' || c == '_'; }

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (IsIdChar(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A DID segment decoded; InvalidArgument on a character that is not an idchar or a bad escape.
absl::StatusOr<std::string> PercentDecode(std::string_view segment) {
  std::string out;
  for (size_t i = 0; i < segment.size(); ++i) {
    const char c = segment[i];
    if (IsIdChar(c)) {
      out += c;
      continue;
    }
    if (c != '%' || i + 2 >= segment.size()) {
      return absl::InvalidArgumentError("did: '" + std::string(1, c) +
                                        "' is neither a DID character nor a %XX escape");
    }
    const int high = HexValue(segment[i + 1]), low = HexValue(segment[i + 2]);
    if (high < 0 || low < 0) return absl::InvalidArgumentError("did: a bad %XX escape");
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

struct UrlParts {
  std::string scheme;
  std::string host;  // with ":port", lower case
  std::vector<std::string> path;
};

absl::StatusOr<UrlParts> SplitUrl(std::string_view url) {
  UrlParts parts;
  std::string_view rest = url;
  if (ConsumePrefix(rest, "https://")) {
    parts.scheme = "https";
  } else if (ConsumePrefix(rest, "http://")) {
    parts.scheme = "http";
  } else {
    return absl::InvalidArgumentError("public_url: " + std::string(url) + " is not an http(s) URL");
  }
  if (rest.find_first_of("?#@") != std::string_view::npos) {
    return absl::InvalidArgumentError("public_url: " + std::string(url) +
                                      " must have no user info, query or fragment");
  }
  const size_t slash = rest.find('/');
  parts.host = Lower(rest.substr(0, slash));
  if (parts.host.empty() || parts.host.front() == ':') {
    return absl::InvalidArgumentError("public_url: " + std::string(url) + " has no host");
  }
  if (slash != std::string_view::npos) {
    for (std::string_view segment : Split(rest.substr(slash), '/')) {
      if (!segment.empty()) parts.path.emplace_back(segment);
    }
  }
  return parts;
}

}  // namespace

absl::StatusOr<IssuerIdForm> ParseIssuerIdForm(std::string_view name) {
  if (name == "url") return IssuerIdForm::kUrl;
  if (name == "did-web") return IssuerIdForm::kDidWeb;
  return absl::InvalidArgumentError("--issuer-id: expected url or did-web, got " +
                                    std::string(name));
}

absl::StatusOr<std::string> IssuerId(IssuerIdForm form, std::string_view base_url,
                                     std::string_view institution_id) {
  if (form == IssuerIdForm::kDidWeb) return InstitutionDid(base_url, institution_id);
  return IssuerUrl(base_url, institution_id);
}

std::string CredentialKeyId(IssuerIdForm form, std::string_view issuer_id,
                            std::string_view key_id) {
  return Cat(issuer_id, form == IssuerIdForm::kDidWeb ? "#" : "/keys/", key_id);
}

std::string IssuerUrl(std::string_view base_url, std::string_view institution_id) {
  return Cat(WithoutTrailingSlash(base_url), "/", kInstitutions, "/", institution_id);
}

std::string KeyUrl(std::string_view base_url, std::string_view institution_id,
                   std::string_view key_id) {
  return Cat(IssuerUrl(base_url, institution_id), "/keys/", key_id);
}

absl::StatusOr<std::string> HostOf(std::string_view url) {
  auto parts = SplitUrl(url);
  if (!parts.ok()) return parts.status();
  return parts->host;
}

absl::StatusOr<std::string> InstitutionDidOfIssuerUrl(std::string_view issuer_url) {
  const std::string marker = Cat("/", kInstitutions, "/");
  const size_t at = issuer_url.rfind(marker);
  const std::string_view id =
      at == std::string_view::npos ? "" : issuer_url.substr(at + marker.size());
  if (id.empty() || id.find_first_of("/?#") != std::string_view::npos) {
    return absl::InvalidArgumentError(
        Cat("issuer: ", issuer_url, " is not an institution's URL (<base>/institutions/<id>)"));
  }
  return InstitutionDid(issuer_url.substr(0, at), id);
}

absl::StatusOr<std::string> InstitutionDid(std::string_view base_url,
                                           std::string_view institution_id) {
  auto parts = SplitUrl(base_url);
  if (!parts.ok()) return parts.status();
  if (parts->scheme != "https") {
    return absl::InvalidArgumentError("public_url: did:web needs an https URL; " +
                                      std::string(base_url) + " is not one");
  }
  std::vector<std::string> segments = {PercentEncode(parts->host)};
  for (const std::string& segment : parts->path) segments.push_back(PercentEncode(segment));
  segments.emplace_back(kInstitutions);
  segments.push_back(PercentEncode(institution_id));
  return Cat(kDidWebPrefix, Join(segments, ":"));
}

absl::StatusOr<DidWeb> ParseDidWeb(std::string_view did) {
  std::string_view rest = did;
  if (!ConsumePrefix(rest, kDidWebPrefix)) {
    return absl::InvalidArgumentError("did: " + std::string(did) + " is not a did:web DID");
  }
  DidWeb parsed;
  bool first = true;
  for (std::string_view segment : Split(rest, ':')) {
    auto decoded = PercentDecode(segment);
    if (!decoded.ok()) return decoded.status();
    if (decoded->empty()) {
      return absl::InvalidArgumentError("did: " + std::string(did) + " has an empty segment");
    }
    if (first) {
      parsed.host = Lower(*decoded);
      first = false;
    } else {
      parsed.path.push_back(*std::move(decoded));
    }
  }
  return parsed;
}

std::string DidDocumentUrl(const DidWeb& did) {
  if (did.path.empty()) return "https://" + did.host + "/.well-known/did.json";
  return "https://" + did.host + "/" + Join(did.path, "/") + "/did.json";
}

absl::StatusOr<InstitutionDidParts> ParseInstitutionDid(std::string_view did) {
  auto parsed = ParseDidWeb(did);
  if (!parsed.ok()) return parsed.status();
  const size_t n = parsed->path.size();
  if (n < 2 || parsed->path[n - 2] != kInstitutions) {
    return absl::InvalidArgumentError("did: " + std::string(did) +
                                      " does not end with :institutions:<institution id>");
  }
  return InstitutionDidParts{.host = parsed->host, .institution_id = parsed->path[n - 1]};
}

}  // namespace microcred::discovery
