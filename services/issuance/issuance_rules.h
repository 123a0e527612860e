// The issuance rules, as pure functions: may this institution issue this credential, and is
// every element of the request valid? Checked before anything is written, so a refused
// issuance changes nothing.
//
// Errors name the field and the rule: NOT_FOUND (unknown specification or version),
// PERMISSION_DENIED (the caller's institution does not award the specification),
// FAILED_PRECONDITION (withdrawn specification, issuer not a member of the specification's
// ecosystem or suspended there, not allowed by its policy profile, no registered RSA key for
// RS256 or P-256 key for ES256), INVALID_ARGUMENT (a malformed element).
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUANCE_RULES_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUANCE_RULES_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "libs/domain/institution.h"
#include "libs/domain/policy_profile.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"

namespace microcred::issuance {

struct IssueContext {
  // The rules of the ecosystem the credential is issued in: its specification's.
  domain::PolicyProfile profile;
  std::string issuer;  // the caller's (and this node's) institution
  // Its membership in that ecosystem, from the ecosystem's registry; none when it is not a
  // member there.
  std::optional<domain::InstitutionFacts> issuer_facts;
  std::string ecosystem_id;  // that ecosystem
  // This node holds a key of that kind, registered for the issuer.
  bool issuer_has_rsa_key = false;
  bool issuer_has_ec_key = false;
  // The node's --credential-algorithm; UNSPECIFIED: see SignatureAlgorithmFor.
  issuance::v1::SignatureAlgorithm default_algorithm =
      issuance::v1::SIGNATURE_ALGORITHM_UNSPECIFIED;
  absl::CivilDay today;
};

// The algorithm `request` is signed with: the one it names; for one that names none, the
// node's default, or without one ES256 when the issuer has a registered P-256 key here (what
// the most verifiers accept at the least cost: docs/CREDENTIALS.md, "Algorithms"), else EdDSA.
issuance::v1::SignatureAlgorithm SignatureAlgorithmFor(
    const issuance::v1::IssueCredentialRequest& request, const IssueContext& ctx);

// Checks the specification the credential is issued against: it exists at that version
// (`frozen`: the version requested, or the latest when 0), `latest` is its current state.
absl::Status CheckSpecification(const issuance::v1::IssueCredentialRequest& request,
                                const std::optional<catalogue::v1::Specification>& latest,
                                const std::optional<catalogue::v1::Specification>& frozen,
                                const IssueContext& ctx);

// Checks every element the issuer supplies: learner, date and place of issuing, grade, mode of
// acquisition, supervision applied, validity, signature algorithm (SignatureAlgorithmFor's,
// whose key must be registered).
absl::Status CheckIssuanceFacts(const issuance::v1::IssueCredentialRequest& request,
                                const IssueContext& ctx);

// Reasons for a status change: required, at most 2000 characters.
absl::Status CheckStatusReason(const std::string& reason);

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_RULES_H_
