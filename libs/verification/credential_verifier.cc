#include "libs/verification/credential_verifier.h"

#include "libs/crypto/crypto.h"
#include "libs/discovery/did_web.h"
#include "libs/domain/institution.h"
#include "libs/domain/recommendation_profile.h"
#include "libs/jose/jws.h"
#include "libs/registry/public_keys.h"
#include "libs/verification/credential_fields.h"
#include "libs/verification/securing_profile.h"

namespace microcred::verification {
namespace {

using issuance::v1::VerificationReport;

std::optional<jose::JwkPublicKey> RegisteredKey(const registry::v1::Member& member,
                                                const std::string& key_id, const std::string& kid) {
  for (const registry::v1::PublicKey& key : member.admitted().keys()) {
    if (key.key_id() == key_id) return registry::ToJwkPublicKey(key, kid);
  }
  return std::nullopt;
}

// Why `kid` does not name a key of the credential's issuer, or the issuer id does not name
// `member` (its profile URL .../institutions/<id>, or its did:web ...:institutions:<id>);
// nullopt when both hold. The base URL or DID host is not compared with the registry's current
// public_url: the registered key that signed is what authenticates the issuer, and an
// institution whose node moves keeps what it issued before verifiable.
std::optional<std::string> IssuerIdProblem(const registry::v1::Member& member,
                                           const std::string& issuer_id, const std::string& kid,
                                           const std::string& key_id) {
  if (kid != issuer_id + "/keys/" + key_id && kid != issuer_id + "#" + key_id) {
    return "the credential's issuer " + issuer_id + " did not sign it";
  }
  const std::string& institution = member.admitted().institution_id();
  if (issuer_id.rfind("did:", 0) == 0) {
    auto did = discovery::ParseInstitutionDid(issuer_id);
    if (!did.ok()) return std::string(did.status().message());
    if (did->institution_id != institution) {
      return "the credential's issuer " + issuer_id + " does not name " + institution;
    }
    return std::nullopt;
  }
  const std::string suffix = "/institutions/" + institution;
  if (issuer_id.size() < suffix.size() ||
      issuer_id.compare(issuer_id.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return "the credential's issuer " + issuer_id + " does not name " + institution;
  }
  return std::nullopt;
}

// "REVOKED since 2026-11-26: <the issuer's reason>".
std::string StatusDetail(const issuance::v1::KnownCredential& known) {
  std::string detail = issuance::v1::CredentialStatus_Name(known.status());
  detail.erase(0, std::string("CREDENTIAL_STATUS_").size());
  if (!known.history().empty()) {
    const auto& last = *known.history().rbegin();
    detail +=
        " since " +
        absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(last.at_ms()), absl::UTCTimeZone()) +
        ": " + last.reason();
  }
  return detail;
}

// "uclouvain is suspended since 2026-11-26 (reason)".
std::string SuspensionDetail(const registry::v1::Member& member) {
  std::string detail = member.admitted().institution_id() + " is suspended";
  for (auto it = member.history().rbegin(); it != member.history().rend(); ++it) {
    if (!it->has_suspended()) continue;
    detail += " since " +
              absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(it->suspended().at_ms()),
                               absl::UTCTimeZone()) +
              " (" + it->suspended().reason() + ")";
    break;
  }
  return detail;
}

// The strongest basis: "member of the ecosystem alliance, registered key k1".
issuance::v1::TrustBasis MemberTrustBasis(const registry::v1::Member& member,
                                          const std::string& kid, const std::string& key_id) {
  issuance::v1::TrustBasis basis;
  basis.set_kind(issuance::v1::TRUST_KIND_ECOSYSTEM_MEMBER);
  basis.set_ecosystem_member(true);
  basis.set_issuer_id(member.admitted().institution_id());
  basis.set_key_source(kid);
  const std::string& root = member.governing_root();
  basis.set_statement("member of the ecosystem" + (root.empty() ? "" : " " + root) +
                      ", registered key " + key_id);
  return basis;
}

}  // namespace

std::string IssuedSignatureDigest(std::string_view jws) {
  return crypto::Sha256(jws.substr(jws.rfind('.') + 1));
}

absl::StatusOr<std::pair<std::string, std::string>> ParseCredentialKeyId(std::string_view kid) {
  const auto invalid = [&] {
    return absl::InvalidArgumentError(
        "kid: expected <issuer URL>/keys/<key id>, <did:web DID>#<key id> or "
        "<issuer URL>#<key id>, where the issuer URL ends /institutions/<institution id>; got " +
        std::string(kid));
  };
  if (kid.substr(0, 4) == "did:") {
    const size_t hash = kid.find('#');
    if (hash == std::string_view::npos || hash + 1 == kid.size()) return invalid();
    auto did = discovery::ParseInstitutionDid(kid.substr(0, hash));
    if (!did.ok()) return did.status();
    return std::make_pair(did->institution_id, std::string(kid.substr(hash + 1)));
  }
  // "<I>#<key id>" (credentials issued before the URL form) or "<I>/keys/<key id>".
  const size_t hash = kid.rfind('#');
  const size_t keys = hash == std::string_view::npos ? kid.rfind("/keys/") : std::string_view::npos;
  const size_t issuer_end = hash != std::string_view::npos ? hash : keys;
  const size_t key_start = hash != std::string_view::npos   ? hash + 1
                           : keys == std::string_view::npos ? keys
                                                            : keys + 6;
  const std::string_view marker = "/institutions/";
  if (issuer_end == std::string_view::npos || key_start >= kid.size()) return invalid();
  const size_t at = kid.rfind(marker, issuer_end);
  if (at == std::string_view::npos) return invalid();
  std::string institution(kid.substr(at + marker.size(), issuer_end - at - marker.size()));
  const std::string key_id(kid.substr(key_start));
  if (institution.empty() || institution.find('/') != std::string::npos ||
      key_id.find('/') != std::string::npos) {
    return absl::InvalidArgumentError("kid: no institution id in " + std::string(kid));
  }
  return std::make_pair(institution, key_id);
}

VerificationReport VerifyCredential(std::string_view jws, const VerificationInputs& inputs) {
  ReportBuilder report;
  auto parsed = jose::ParseCompact(jws);
  std::optional<CredentialFields> vc;
  if (parsed.ok()) vc = ReadCredentialFields(parsed->payload);
  absl::StatusOr<SecuringProfile> profile =
      parsed.ok() ? SecuringProfileOf(*parsed) : absl::StatusOr<SecuringProfile>(parsed.status());
  std::optional<std::string> problem;
  if (!profile.ok()) {
    problem = std::string(profile.status().message());
  } else if (problem = CredentialShapeProblem(vc, false); !problem) {
    if (absl::Status claims = CheckRegisteredClaims(ClaimsOf(*vc), *profile); !claims.ok()) {
      problem = std::string(claims.message());
    }
  }
  if (problem) {
    report.Add("format", false, *problem);
    return report.Stop({"issuer", "signature", "policy", "issued", "status", "validity"}, "format");
  }
  report.report().set_format(issuance::v1::CREDENTIAL_FORMAT_VC_JWT);
  report.report().set_securing_profile(*profile);
  report.report().set_signature_algorithm(SignatureAlgorithmOf(parsed->algorithm));
  report.Add("format", true,
             "a compact JWS (" + std::string(SecuringProfileName(*profile)) + ", " +
                 std::string(jose::JwsAlgorithmName(parsed->algorithm)) +
                 ") carrying an OpenBadgeCredential (VC 2.0)");
  report.report().set_credential_id(*vc->id);
  report.report().set_credential_json(parsed->payload);

  // What the issuer recorded is read first: the ecosystem it recorded the credential in is the
  // one whose registry the issuer and policy checks read.
  auto kid = ParseCredentialKeyId(parsed->kid);
  auto known = inputs.find_credential(report.report().credential_id());
  const issuance::v1::KnownCredential* record =
      kid.ok() && known.ok() && known->has_value() && (*known)->issuer() == kid->first ? &**known
                                                                                       : nullptr;

  // issuer
  std::optional<registry::v1::Member> member;
  if (record != nullptr && inputs.find_member_in) {
    member = inputs.find_member_in(record->ecosystem_id(), kid->first);
  } else if (kid.ok()) {
    member = inputs.find_member(kid->first);
  }
  std::optional<jose::JwkPublicKey> key;
  if (member) key = RegisteredKey(*member, kid->second, parsed->kid);
  const std::string& issuer_id = *vc->issuer_id;
  std::optional<std::string> issuer_problem;
  if (key) issuer_problem = IssuerIdProblem(*member, issuer_id, parsed->kid, kid->second);
  if (!kid.ok() || !member || !key || issuer_problem) {
    report.Add("issuer", false,
               !kid.ok() ? std::string(kid.status().message())
               : !member ? kid->first + " is not a member of any ecosystem this node trusts"
               : !key    ? "key " + kid->second + " is not registered for " + kid->first
                         : *issuer_problem);
    return report.Stop({"signature", "policy", "issued", "status", "validity"}, "issuer");
  }
  // The registry's name is the issuer's; the credential's own is only what its signer wrote.
  const std::string& registered_name = member->admitted().legal_name();
  report.report().set_issuer(kid->first);
  report.report().set_issuer_name(registered_name);
  std::string issuer_detail = registered_name + " (" + kid->first + "), key " + kid->second;
  if (!vc->issuer_name.empty() && vc->issuer_name != registered_name) {
    report.report().set_credential_issuer_name(vc->issuer_name);
    issuer_detail += "; the credential names its issuer \"" + vc->issuer_name +
                     "\", which is not the registered name";
  }
  report.Add("issuer", true, issuer_detail);
  *report.report().mutable_trust_basis() = MemberTrustBasis(*member, parsed->kid, kid->second);

  // signature
  if (!jose::VerifyJws(*parsed, *key)) {
    report.Add("signature", false, "the signature does not verify with key " + kid->second);
    return report.Stop({"policy", "issued", "status", "validity"}, "signature");
  }
  report.Add("signature", true,
             std::string(jose::JwsAlgorithmName(key->alg)) + " signature verifies");

  // issued: decided first, as the policy check of a suspended issuer depends on it
  const bool recorded =
      record != nullptr && record->signature_sha256() == IssuedSignatureDigest(jws);

  // policy: a suspended issuer's credentials recorded before its suspension stay valid (every
  // node refuses its issuance events from the suspension's cut on, so a recorded credential
  // was issued before).
  const domain::InstitutionFacts facts = domain::InstitutionFactsFromMember(*member);
  std::optional<domain::PolicyProfile> rules;
  if (record != nullptr && inputs.profile_in) rules = inputs.profile_in(record->ecosystem_id());
  if (!rules.has_value()) rules = domain::RecommendationProfile();
  const bool type_may_issue = rules->MayIssue(facts.provider_type);
  const std::string type_detail =
      "provider type " + domain::ProviderTypeLabel(facts.provider_type) +
      (type_may_issue ? " may" : " may not") + " issue under policy profile " + rules->name();
  if (!type_may_issue) {
    report.Add("policy", false, type_detail);
  } else if (facts.suspended) {
    report.Add("policy", recorded,
               SuspensionDetail(*member) +
                   (recorded ? "; this credential was issued before the suspension"
                             : "; no credential it issued before the suspension has this id"));
  } else {
    report.Add("policy", true, type_detail);
  }

  // issued and status
  if (!recorded) {
    report.Add("issued", false,
               !known.ok() ? "the status of the credential could not be read: " +
                                 std::string(known.status().message())
               : !known->has_value() ? "no issuance of " + report.report().credential_id() +
                                           " was recorded by its issuer"
                                     : "this document is not the credential the issuer recorded");
    report.Add("status", false, "not checked: issued failed");
  } else {
    report.report().set_specification_id(record->specification_id());
    report.report().set_specification_version(record->specification_version());
    report.report().set_status(record->status());
    report.report().set_ecosystem_id(record->ecosystem_id());
    report.Add(
        "issued", true,
        "recorded by " + record->issuer() + " at issuance" +
            (record->ecosystem_id().empty() ? "" : " in ecosystem " + record->ecosystem_id()));
    report.Add("status", record->status() == issuance::v1::CREDENTIAL_STATUS_ACTIVE,
               StatusDetail(*record));
  }

  const CheckResult validity = ValidityCheck(*vc, inputs.now);
  report.Add("validity", validity.passed, validity.detail);
  return report.Finish();
}

}  // namespace microcred::verification
