#include "libs/auth/tokens.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/base/strings.h"
#include "nlohmann/json.hpp"

namespace microcred::auth {

using strings::Cat;
using strings::ToAbsl;

namespace {

using Json = nlohmann::json;

absl::Status Invalid(std::string_view reason) {
  return absl::UnauthenticatedError(Cat("invalid bearer token: ", reason));
}

struct CompactJws {
  std::string_view header;   // base64url
  std::string_view payload;  // base64url
  std::string_view signature;
  std::string_view signing_input;  // header "." payload
};

absl::StatusOr<CompactJws> SplitCompact(std::string_view token) {
  if (token.empty()) return Invalid("empty");
  if (token.size() > kMaxTokenBytes) return Invalid("longer than the accepted maximum");
  std::vector<absl::string_view> parts = absl::StrSplit(ToAbsl(token), '.');
  if (parts.size() != 3) {
    return Invalid(Cat("expected 3 dot-separated parts, got ", parts.size()));
  }
  return CompactJws{strings::ToStd(parts[0]), strings::ToStd(parts[1]), strings::ToStd(parts[2]),
                    token.substr(0, parts[0].size() + 1 + parts[1].size())};
}

// Decodes one base64url part holding a JSON object.
absl::StatusOr<Json> DecodeObject(std::string_view part, std::string_view what) {
  absl::StatusOr<std::string> bytes = crypto::Base64UrlDecode(part);
  if (!bytes.ok()) return Invalid(Cat(what, " is not base64url"));
  Json json = Json::parse(*bytes, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return Invalid(Cat(what, " is not a JSON object"));
  return json;
}

std::optional<std::string> StringMember(const Json& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// Checks the JOSE header and returns its kid.
absl::StatusOr<std::string> CheckHeader(const Json& header) {
  std::optional<std::string> alg = StringMember(header, "alg");
  if (!alg) return Invalid("header has no alg");
  // Only EdDSA: accepting "none" or an HMAC alg would let anyone holding a public key forge.
  if (*alg != "EdDSA") return Invalid(Cat("alg \"", *alg, "\" is not accepted; use EdDSA"));
  if (header.contains("typ") && StringMember(header, "typ") != "JWT") {
    return Invalid("typ is not JWT");
  }
  if (header.contains("crit")) return Invalid("crit header parameters are not supported");
  std::optional<std::string> kid = StringMember(header, "kid");
  if (!kid || kid->empty()) return Invalid("header has no kid");
  return *kid;
}

// A NumericDate claim: nullopt when absent; an error when present but not a number.
absl::StatusOr<std::optional<absl::Time>> NumericDate(const Json& claims, std::string_view name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  if (!it->is_number()) return Invalid(Cat(name, " is not a number"));
  // absl::Seconds(double) saturates, so absurd values cannot overflow.
  return absl::UnixEpoch() + absl::Seconds(it->get<double>());
}

absl::Status CheckTimes(const Json& claims, absl::Time now, absl::Duration max_lifetime) {
  absl::StatusOr<std::optional<absl::Time>> exp = NumericDate(claims, "exp");
  if (!exp.ok()) return exp.status();
  if (!*exp) return Invalid("missing exp");
  if (now > **exp + kTokenClockLeeway) {
    return Invalid(Cat("expired at ", absl::FormatTime(**exp)));
  }
  absl::StatusOr<std::optional<absl::Time>> nbf = NumericDate(claims, "nbf");
  if (!nbf.ok()) return nbf.status();
  if (*nbf && now < **nbf - kTokenClockLeeway) {
    return Invalid(Cat("not valid before ", absl::FormatTime(**nbf)));
  }
  absl::StatusOr<std::optional<absl::Time>> iat = NumericDate(claims, "iat");
  if (!iat.ok()) return iat.status();
  if (!*iat) return Invalid("missing iat");
  if (now < **iat - kTokenClockLeeway) {
    return Invalid(Cat("issued in the future, at ", absl::FormatTime(**iat)));
  }
  // From the earlier of iat and now: an old iat cannot stretch a token's life, nor an iat
  // within the leeway ahead of this clock shorten it.
  const absl::Duration lifetime = **exp - std::min(**iat, now);
  if (lifetime > max_lifetime) {
    return Invalid(Cat("lifetime of ", absl::FormatDuration(lifetime), " exceeds the maximum of ",
                       absl::FormatDuration(max_lifetime), "; mint a shorter-lived token"));
  }
  return absl::OkStatus();
}

absl::Status CheckAudience(const Json& claims, std::string_view audience) {
  auto it = claims.find("aud");
  if (it == claims.end()) return Invalid("missing aud");
  if (it->is_string() && it->get<std::string>() == audience) return absl::OkStatus();
  if (it->is_array()) {
    for (const Json& entry : *it) {
      if (entry.is_string() && entry.get<std::string>() == audience) return absl::OkStatus();
    }
  }
  return Invalid(Cat("audience is not this node (\"", audience, "\")"));
}

absl::StatusOr<Caller> ReadCaller(const Json& claims) {
  Caller caller;
  std::optional<std::string> sub = StringMember(claims, "sub");
  if (!sub || sub->empty()) return Invalid("missing sub");
  std::optional<std::string> inst = StringMember(claims, "inst");
  if (!inst || inst->empty()) return Invalid("missing inst");
  auto roles = claims.find("roles");
  if (roles == claims.end() || !roles->is_array()) return Invalid("missing roles array");
  for (const Json& role : *roles) {
    if (!role.is_string()) return Invalid("roles holds a non-string");
    caller.roles.push_back(role.get<std::string>());
  }
  caller.subject = *std::move(sub);
  caller.institution_id = *std::move(inst);
  return caller;
}

}  // namespace

TokenVerifier::TokenVerifier(std::string audience, absl::Duration max_lifetime)
    : audience_(std::move(audience)), max_lifetime_(max_lifetime) {}

absl::Status TokenVerifier::AddTrustedKey(std::string kid, std::string issuer,
                                          std::string public_key) {
  if (kid.empty() || issuer.empty()) {
    return absl::InvalidArgumentError("trusted token key: kid and issuer must be non-empty");
  }
  if (public_key.size() != crypto::kPublicKeyBytes) {
    return absl::InvalidArgumentError(
        Cat("trusted token key ", kid, ": public key must be 32 bytes"));
  }
  if (keys_.contains(kid)) {
    return absl::InvalidArgumentError(Cat("trusted token key ", kid, ": already added"));
  }
  keys_.emplace(std::move(kid), TrustedKey{std::move(issuer), std::move(public_key)});
  return absl::OkStatus();
}

absl::StatusOr<Caller> TokenVerifier::Verify(std::string_view token, absl::Time now) const {
  absl::StatusOr<CompactJws> jws = SplitCompact(token);
  if (!jws.ok()) return jws.status();
  absl::StatusOr<Json> header = DecodeObject(jws->header, "header");
  if (!header.ok()) return header.status();
  absl::StatusOr<std::string> kid = CheckHeader(*header);
  if (!kid.ok()) return kid.status();
  auto key = keys_.find(*kid);
  if (key == keys_.end()) return Invalid(Cat("unknown kid \"", *kid, "\""));
  absl::StatusOr<std::string> signature = crypto::Base64UrlDecode(jws->signature);
  if (!signature.ok()) return Invalid("signature is not base64url");
  if (!crypto::Verify(key->second.public_key, jws->signing_input, *signature)) {
    return Invalid("signature does not verify");
  }
  absl::StatusOr<Json> claims = DecodeObject(jws->payload, "payload");
  if (!claims.ok()) return claims.status();
  if (StringMember(*claims, "iss") != key->second.issuer) {
    return Invalid(
        Cat("iss is not \"", key->second.issuer, "\", the issuer of kid \"", *kid, "\""));
  }
  if (absl::Status status = CheckTimes(*claims, now, max_lifetime_); !status.ok()) return status;
  if (absl::Status status = CheckAudience(*claims, audience_); !status.ok()) return status;
  return ReadCaller(*claims);
}

TokenMinter::TokenMinter(crypto::SigningKey key, std::string issuer, std::string audience)
    : key_(std::move(key)),
      issuer_(std::move(issuer)),
      audience_(std::move(audience)),
      kid_(crypto::KeyFingerprint(key_.public_key())) {}

std::string TokenMinter::Mint(std::string_view subject, std::string_view institution_id,
                              const std::vector<std::string>& roles, absl::Duration ttl,
                              absl::Time now) const {
  Json header = {{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", kid_}};
  Json claims = {{"iss", issuer_},
                 {"sub", subject},
                 {"aud", audience_},
                 {"iat", absl::ToUnixSeconds(now)},
                 {"exp", absl::ToUnixSeconds(now + ttl)},
                 {"jti", crypto::RandomId()},
                 {"inst", institution_id},
                 {"roles", roles}};
  // Replace invalid UTF-8 rather than throw; such a subject simply will not match anything.
  auto dump = [](const Json& json) {
    return crypto::Base64UrlEncode(json.dump(-1, ' ', false, Json::error_handler_t::replace));
  };
  std::string signing_input = Cat(dump(header), ".", dump(claims));
  return Cat(signing_input, ".", crypto::Base64UrlEncode(key_.Sign(signing_input)));
}

absl::StatusOr<Caller> AuthorizeBearer(const std::vector<std::string_view>& authorization,
                                       const TokenVerifier& verifier,
                                       std::initializer_list<std::string_view> any_of_roles,
                                       absl::Time now) {
  if (authorization.empty())
    return absl::UnauthenticatedError("missing authorization: Bearer token");
  if (authorization.size() > 1) {
    return absl::UnauthenticatedError("more than one authorization header");
  }
  std::string_view value = authorization[0];
  constexpr std::string_view kScheme = "bearer ";
  if (!absl::StartsWithIgnoreCase(ToAbsl(value), ToAbsl(kScheme))) {
    return absl::UnauthenticatedError("authorization header is not a Bearer token");
  }
  absl::StatusOr<Caller> caller = verifier.Verify(
      strings::ToStd(absl::StripAsciiWhitespace(ToAbsl(value.substr(kScheme.size())))), now);
  if (!caller.ok() || any_of_roles.size() == 0) return caller;
  for (std::string_view role : any_of_roles) {
    if (caller->HasRole(role)) return caller;
  }
  return absl::PermissionDeniedError(
      Cat("requires one of the roles: ",
          absl::StrJoin(any_of_roles, ", ",
                        [](std::string* out, std::string_view role) { out->append(role); })));
}

}  // namespace microcred::auth
