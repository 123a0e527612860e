// The issuance rules, as pure functions: may this institution issue this credential, and is
// every element of the request valid? Checked before anything is written, so a refused
// issuance changes nothing.
//
// Errors name the field and the rule: NOT_FOUND (unknown specification or version),
// PERMISSION_DENIED (the caller's institution does not award the specification),
// FAILED_PRECONDITION (withdrawn specification, issuer not allowed by the policy profile, no
// RSA key for RS256), INVALID_ARGUMENT (a malformed element).
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
  const domain::PolicyProfile& profile;
  std::string issuer;  // the caller's (and this node's) institution
  std::optional<domain::InstitutionFacts> issuer_facts;  // from the registry
  bool issuer_has_rsa_key = false;
  absl::CivilDay today;
};

// Checks the specification the credential is issued against: it exists at that version
// (`frozen`: the version requested, or the latest when 0), `latest` is its current state.
absl::Status CheckSpecification(const issuance::v1::IssueCredentialRequest& request,
                                const std::optional<catalogue::v1::Specification>& latest,
                                const std::optional<catalogue::v1::Specification>& frozen,
                                const IssueContext& ctx);

// Checks every element the issuer supplies: learner, date and place of issuing, grade, mode of
// acquisition, supervision applied, validity, signature algorithm.
absl::Status CheckIssuanceFacts(const issuance::v1::IssueCredentialRequest& request,
                                const IssueContext& ctx);

// Reasons for a status change: required, at most 2000 characters.
absl::Status CheckStatusReason(const std::string& reason);

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_RULES_H_
