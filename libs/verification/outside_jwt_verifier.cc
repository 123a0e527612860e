#include "libs/verification/outside_jwt_verifier.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/verification/credential_fields.h"
#include "libs/verification/outside_facts.h"
#include "libs/verification/outside_status.h"
#include "libs/verification/securing_profile.h"
#include "nlohmann/json.hpp"

namespace microcred::verification {
namespace {

bool IsBase64UrlPart(std::string_view part) {
  return std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

// The format check: the parsed token, its profile and the credential's fields, or why not.
struct Parsed {
  jose::ParsedJws jws;
  SecuringProfile profile;
  CredentialFields fields;
};

absl::StatusOr<Parsed> ParseCredential(std::string_view presented, size_t max_bytes) {
  if (presented.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("jws: longer than ", max_bytes, " bytes, this node's limit"));
  }
  absl::StatusOr<jose::ParsedJws> jws = jose::ParseCompact(presented, jose::KidRule::kOptional);
  if (!jws.ok()) return jws.status();
  absl::StatusOr<SecuringProfile> profile = SecuringProfileOf(*jws);
  if (!profile.ok()) return profile.status();
  std::optional<CredentialFields> fields = ReadCredentialFields(jws->payload);
  if (std::optional<std::string> problem =
          CredentialShapeProblem(fields, /*also_achievement_credential=*/true)) {
    return absl::InvalidArgumentError(*problem);
  }
  if (absl::Status claims = CheckRegisteredClaims(ClaimsOf(*fields), *profile); !claims.ok()) {
    return claims;
  }
  return Parsed{*std::move(jws), *profile, *std::move(fields)};
}

issuance::v1::TrustBasis BasisOf(const DiscoveredKey& key, const std::string& issuer_id) {
  issuance::v1::TrustBasis basis;
  basis.set_kind(key.kind);
  basis.set_statement(key.statement);
  basis.set_ecosystem_member(false);
  basis.set_issuer_id(issuer_id);
  basis.set_key_source(key.key_source);
  return basis;
}

}  // namespace

OutsideJwtVerifier::OutsideJwtVerifier(HttpFetcher& fetcher, OutsideJwtOptions options)
    : options_(options),
      keys_(fetcher, KeyDiscoveryOptions{.allow_embedded_jwk = options.allow_embedded_jwk}),
      status_(keys_) {
  options_.max_token_bytes = std::min(options_.max_token_bytes, jose::kMaxCompactJwsBytes);
}

bool OutsideJwtVerifier::Recognises(std::string_view presented) const {
  const size_t first = presented.find('.');
  if (first == 0 || first == std::string_view::npos) return false;
  const size_t second = presented.find('.', first + 1);
  if (second == std::string_view::npos ||
      presented.find('.', second + 1) != std::string_view::npos) {
    return false;
  }
  return IsBase64UrlPart(presented.substr(0, first)) &&
         IsBase64UrlPart(presented.substr(first + 1, second - first - 1)) &&
         IsBase64UrlPart(presented.substr(second + 1));
}

VerifiedCredential OutsideJwtVerifier::Verify(std::string_view presented, absl::Time now) const {
  VerifiedCredential verified;
  ReportBuilder report;
  absl::StatusOr<Parsed> parsed = ParseCredential(presented, options_.max_token_bytes);
  if (!parsed.ok()) {
    report.Add("format", false, std::string(parsed.status().message()));
    verified.report = report.Stop({"issuer", "signature", "status", "validity"}, "format");
    return verified;
  }
  const CredentialFields& fields = parsed->fields;
  const std::string& issuer_id = *fields.issuer_id;
  issuance::v1::VerificationReport& r = report.report();
  r.set_format(issuance::v1::CREDENTIAL_FORMAT_VC_JWT);
  r.set_securing_profile(parsed->profile);
  r.set_signature_algorithm(SignatureAlgorithmOf(parsed->jws.algorithm));
  r.set_credential_id(*fields.id);
  r.set_credential_json(parsed->jws.payload);
  r.set_issuer(issuer_id);
  r.set_credential_issuer_name(fields.issuer_name);
  report.Add("format", true,
             absl::StrCat("a compact JWS (", std::string(SecuringProfileName(parsed->profile)),
                          ", ", std::string(jose::JwsAlgorithmName(parsed->jws.algorithm)),
                          ") carrying an Open Badges 3.0 credential (VC 2.0)"));
  verified.facts = OpenBadgeFacts(parsed->jws.payload);

  // issuer
  absl::StatusOr<DiscoveredKey> key = keys_.FindIssuerKey(parsed->jws, issuer_id);
  if (!key.ok()) {
    report.Add("issuer", false, std::string(key.status().message()));
    verified.report = report.Stop({"signature", "status", "validity"}, "issuer");
    return verified;
  }
  *r.mutable_trust_basis() = BasisOf(*key, issuer_id);
  std::string issuer_detail = key->statement + "; key " + key->key_source;
  if (!fields.issuer_name.empty()) {
    issuer_detail += "; the credential names its issuer \"" + fields.issuer_name +
                     "\" (its claim, not a verified name)";
  }
  report.Add("issuer", true, issuer_detail);

  // signature
  if (parsed->jws.algorithm != key->key.alg) {
    report.Add("signature", false,
               absl::StrCat("wrong key type: the token is signed ",
                            std::string(jose::JwsAlgorithmName(parsed->jws.algorithm)), " but key ",
                            key->key_source, " is for ",
                            std::string(jose::JwsAlgorithmName(key->key.alg))));
    verified.report = report.Stop({"status", "validity"}, "signature");
    return verified;
  }
  if (!jose::VerifyJws(parsed->jws, key->key)) {
    report.Add("signature", false, "the signature does not verify with key " + key->key_source);
    verified.report = report.Stop({"status", "validity"}, "signature");
    return verified;
  }
  report.Add(
      "signature", true,
      absl::StrCat(std::string(jose::JwsAlgorithmName(key->key.alg)), " signature verifies"));

  // status
  const OutsideStatus status =
      status_.Check(fields.credential_status, issuer_id, now, options_.clock_skew);
  r.set_status(status.status);
  report.Add("status", status.passed, status.detail);

  // validity
  const CheckResult validity = ValidityCheck(fields, now, options_.clock_skew);
  report.Add("validity", validity.passed, validity.detail);
  verified.report = report.Finish();
  return verified;
}

}  // namespace microcred::verification
