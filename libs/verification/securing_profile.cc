#include "libs/verification/securing_profile.h"

#include <simdjson.h>

#include <array>

#include "absl/time/time.h"
#include "libs/base/json_writer.h"
#include "libs/base/strings.h"

namespace microcred::verification {
namespace {

using issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT;
using issuance::v1::SECURING_PROFILE_VC_JOSE_COSE;

constexpr std::array<std::string_view, 5> kRegisteredClaims = {"iss", "jti", "sub", "nbf", "exp"};
// OB 3.0 §8.2.4: "The JOSE Header is a JSON object with the following properties": alg (MUST),
// and jwk, kid, typ (MAY). Our issuers write no other member, so another one is refused.
constexpr std::array<std::string_view, 4> kOpenBadgesHeaderMembers = {"alg", "kid", "jwk", "typ"};

bool IsOneOf(std::string_view name, const auto& names) {
  for (std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

absl::Status Refuse(std::string_view claim, std::string_view reason) {
  return absl::InvalidArgumentError(strings::Cat("jws.payload.", claim, ": ", reason));
}

std::optional<std::string> StringOf(simdjson::dom::element value) {
  std::string_view text;
  if (value.get_string().get(text)) return std::nullopt;
  return std::string(text);
}

// The members the claims copy, as read from a document, and whether a claim is there already.
struct ClaimSources {
  PayloadClaims members;
  std::optional<std::string> existing_claim;
};

std::optional<ClaimSources> ReadSources(std::string_view json) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(simdjson::padded_string(json)).get_object().get(object)) return std::nullopt;
  ClaimSources sources;
  PayloadClaims& m = sources.members;
  for (simdjson::dom::key_value_pair member : object) {
    const std::string_view key = member.key;
    const simdjson::dom::element value = member.value;
    simdjson::dom::element inner;
    if (key == "id") {
      m.id = StringOf(value);
    } else if (key == "issuer") {
      m.issuer_id = value.is_string()                ? StringOf(value)
                    : !value.at_key("id").get(inner) ? StringOf(inner)
                                                     : std::nullopt;
    } else if (key == "credentialSubject") {
      if (value.is_object() && !value.at_key("id").get(inner)) m.subject_id = StringOf(inner);
    } else if (key == "validFrom") {
      m.valid_from = StringOf(value);
    } else if (key == "validUntil") {
      m.has_valid_until = true;
      m.valid_until = StringOf(value);
    } else if (IsOneOf(key, kRegisteredClaims)) {
      sources.existing_claim = std::string(key);
    }
  }
  return sources;
}

// `credential_json` (a JSON object) with the claims that copy `m` appended as its last members.
absl::StatusOr<std::string> WithRegisteredClaims(std::string_view credential_json,
                                                 const credentials::ClaimedMembers& m) {
  std::optional<absl::Time> from = ParseCredentialTime(m.valid_from);
  if (!from) return absl::InvalidArgumentError("credential.validFrom: not an RFC 3339 date-time");
  std::optional<absl::Time> until = ParseCredentialTime(m.valid_until);
  if (m.valid_until && !until) {
    return absl::InvalidArgumentError("credential.validUntil: not an RFC 3339 date-time");
  }
  JsonWriter claims(256);
  claims.BeginObject().Field("iss", m.issuer_id).Field("jti", m.id);
  if (m.subject_id) claims.Field("sub", *m.subject_id);
  claims.Field("nbf", absl::ToUnixSeconds(*from));
  if (until) claims.Field("exp", absl::ToUnixSeconds(*until));
  absl::StatusOr<std::string> text = std::move(claims.EndObject()).Finish();
  if (!text.ok()) return text.status();
  // The object's closing brace becomes a comma, the claims' opening brace goes.
  const size_t close = credential_json.rfind('}');
  if (close == std::string_view::npos) {
    return absl::InvalidArgumentError("credential: not a JSON object");
  }
  std::string payload;
  payload.reserve(close + text->size());
  payload.append(credential_json.substr(0, close)).append(",").append(text->substr(1));
  return payload;
}

// The members the claims copy, read from the document; InvalidArgument when one is missing or
// a claim is there already.
absl::StatusOr<credentials::ClaimedMembers> ReadClaimedMembers(std::string_view credential_json) {
  std::optional<ClaimSources> sources = ReadSources(credential_json);
  if (!sources) return absl::InvalidArgumentError("credential: not a JSON object");
  if (sources->existing_claim) {
    return absl::InvalidArgumentError("credential." + *sources->existing_claim +
                                      ": a registered JWT claim's name; the profile adds it");
  }
  const PayloadClaims& m = sources->members;
  if (!m.id) return absl::InvalidArgumentError("credential.id: missing");
  if (!m.issuer_id) return absl::InvalidArgumentError("credential.issuer.id: missing");
  if (!m.valid_from) {
    return absl::InvalidArgumentError("credential.validFrom: not an RFC 3339 date-time");
  }
  if (m.has_valid_until && !m.valid_until) {
    return absl::InvalidArgumentError("credential.validUntil: not an RFC 3339 date-time");
  }
  return credentials::ClaimedMembers{.issuer_id = *m.issuer_id,
                                     .id = *m.id,
                                     .subject_id = m.subject_id,
                                     .valid_from = *m.valid_from,
                                     .valid_until = m.valid_until};
}

absl::Status CheckText(const ClaimValue& claim, std::string_view name,
                       const std::optional<std::string>& member, std::string_view member_name,
                       bool required) {
  if (claim.kind == ClaimValue::Kind::kAbsent) {
    if (required && member) {
      return Refuse(name, strings::Cat("missing; the Open Badges 3.0 profile requires it (",
                                       member_name, ")"));
    }
    return absl::OkStatus();
  }
  if (!member)
    return Refuse(name, strings::Cat("present, but the credential has no ", member_name));
  if (claim.kind != ClaimValue::Kind::kString || claim.text != *member) {
    return Refuse(name, strings::Cat("not the credential's ", member_name));
  }
  return absl::OkStatus();
}

absl::Status CheckDate(const ClaimValue& claim, std::string_view name, bool member_present,
                       const std::optional<std::string>& member, std::string_view member_name,
                       bool required) {
  if (claim.kind == ClaimValue::Kind::kAbsent) {
    if (required && member_present) {
      return Refuse(name, strings::Cat("missing; the Open Badges 3.0 profile requires it (",
                                       member_name, ")"));
    }
    return absl::OkStatus();
  }
  if (!member_present) {
    return Refuse(name, strings::Cat("present, but the credential has no ", member_name));
  }
  std::optional<absl::Time> time = ParseCredentialTime(member);
  if (!time) {
    return Refuse(name,
                  strings::Cat("the credential's ", member_name, " is not an RFC 3339 date-time"));
  }
  if (claim.kind != ClaimValue::Kind::kNumber) {
    return Refuse(name, "not a NumericDate (a number of seconds)");
  }
  if (claim.number != static_cast<double>(absl::ToUnixSeconds(*time))) {
    return Refuse(name, strings::Cat("not the credential's ", member_name, " (",
                                     absl::ToUnixSeconds(*time), " as a NumericDate)"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view SecuringProfileName(SecuringProfile profile) {
  switch (profile) {
    case SECURING_PROFILE_OPEN_BADGES_JWT:
      return "open-badges-jwt";
    case SECURING_PROFILE_VC_JOSE_COSE:
      return "vc-jose-cose";
    default:
      return "";
  }
}

std::optional<SecuringProfile> SecuringProfileFromName(std::string_view name) {
  for (SecuringProfile profile :
       {SECURING_PROFILE_OPEN_BADGES_JWT, SECURING_PROFILE_VC_JOSE_COSE}) {
    if (SecuringProfileName(profile) == name) return profile;
  }
  return std::nullopt;
}

nlohmann::json CredentialHeader(SecuringProfile profile) {
  return profile == SECURING_PROFILE_VC_JOSE_COSE ? jose::VcJwtHeader()
                                                  : jose::OpenBadgesJwtHeader();
}

absl::StatusOr<SecuringProfile> SecuringProfileOf(const jose::ParsedJws& jws) {
  if (jws.typ == jose::kVcJwtType) return SECURING_PROFILE_VC_JOSE_COSE;
  if (!jws.typ.empty() && jws.typ != jose::kJwtType) {
    // Another JWT signed with the same key (a bearer token, say) is not a credential.
    return absl::InvalidArgumentError(
        "jws.header.typ: a credential is typed JWT (Open Badges 3.0) or vc+jwt (VC-JOSE-COSE)");
  }
  for (const auto& [name, value] : jws.header.items()) {
    if (!IsOneOf(name, kOpenBadgesHeaderMembers)) {
      return absl::InvalidArgumentError(
          strings::Cat("jws.header.", jose::ClipTokenText(name),
                       ": not allowed in the Open Badges 3.0 profile (only alg, kid, jwk, typ)"));
    }
  }
  return SECURING_PROFILE_OPEN_BADGES_JWT;
}

absl::StatusOr<std::string> CredentialPayload(SecuringProfile profile,
                                              std::string_view credential_json) {
  if (profile == SECURING_PROFILE_VC_JOSE_COSE) return std::string(credential_json);
  absl::StatusOr<credentials::ClaimedMembers> members = ReadClaimedMembers(credential_json);
  if (!members.ok()) return members.status();
  return WithRegisteredClaims(credential_json, *members);
}

absl::StatusOr<std::string> CredentialPayload(SecuringProfile profile,
                                              std::string_view credential_json,
                                              const credentials::ClaimedMembers& members) {
  if (profile == SECURING_PROFILE_VC_JOSE_COSE) return std::string(credential_json);
  return WithRegisteredClaims(credential_json, members);
}

absl::StatusOr<std::string> CredentialOfPayload(std::string_view payload) {
  nlohmann::ordered_json document =
      nlohmann::ordered_json::parse(payload, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) return absl::InvalidArgumentError("jws.payload: not a JSON object");
  for (std::string_view claim : kRegisteredClaims) document.erase(std::string(claim));
  return document.dump(/*indent=*/-1, ' ', /*ensure_ascii=*/false,
                       nlohmann::ordered_json::error_handler_t::replace);
}

absl::Status CheckRegisteredClaims(const PayloadClaims& p, SecuringProfile profile) {
  const bool required = profile == SECURING_PROFILE_OPEN_BADGES_JWT;
  if (auto s = CheckText(p.iss, "iss", p.issuer_id, "issuer.id", required); !s.ok()) return s;
  if (auto s = CheckText(p.jti, "jti", p.id, "id", required); !s.ok()) return s;
  if (auto s = CheckText(p.sub, "sub", p.subject_id, "credentialSubject.id", required); !s.ok()) {
    return s;
  }
  if (auto s =
          CheckDate(p.nbf, "nbf", p.valid_from.has_value(), p.valid_from, "validFrom", required);
      !s.ok()) {
    return s;
  }
  return CheckDate(p.exp, "exp", p.has_valid_until, p.valid_until, "validUntil", required);
}

std::optional<absl::Time> ParseCredentialTime(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, *value, &t, &error)) return std::nullopt;
  return t;
}

}  // namespace microcred::verification
