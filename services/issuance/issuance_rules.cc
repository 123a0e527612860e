#include "services/issuance/issuance_rules.h"

#include <algorithm>

#include "libs/domain/dates.h"
#include "libs/domain/field_rules.h"
#include "libs/domain/specification.h"

namespace microcred::issuance {
namespace {

using catalogue::v1::Specification;
using issuance::v1::IssueCredentialRequest;

absl::Status CheckDate(const common::v1::Date& date, const std::string& field) {
  if (!domain::IsValidDate(date)) {
    return absl::InvalidArgumentError(field + ": not a valid calendar date");
  }
  return absl::OkStatus();
}

absl::Status CheckEmail(const std::string& email) {
  if (email.empty()) return absl::OkStatus();
  const size_t at = email.find('@');
  const bool ok = email.size() <= 254 && at != std::string::npos && at > 0 &&
                  email.find('@', at + 1) == std::string::npos &&
                  email.find('.', at) != std::string::npos && email.back() != '.' &&
                  std::none_of(email.begin(), email.end(),
                               [](unsigned char c) { return c <= ' ' || c == 0x7f; });
  if (!ok) return absl::InvalidArgumentError("learner.email: not an e-mail address");
  return absl::OkStatus();
}

absl::Status CheckLearner(const issuance::v1::LearnerIdentity& learner, absl::CivilDay today) {
  const domain::TextRule name{.required = true, .max_chars = 200, .single_line = true};
  if (auto s = domain::ValidateText(learner.learner_id(), "learner.learner_id",
                                    {.required = true, .max_chars = 128, .single_line = true});
      !s.ok()) {
    return s;
  }
  if (auto s = domain::ValidateText(learner.given_name(), "learner.given_name", name); !s.ok()) {
    return s;
  }
  if (auto s = domain::ValidateText(learner.family_name(), "learner.family_name", name); !s.ok()) {
    return s;
  }
  if (auto s = CheckEmail(learner.email()); !s.ok()) return s;
  if (!domain::IsUnset(learner.date_of_birth())) {
    if (auto s = CheckDate(learner.date_of_birth(), "learner.date_of_birth"); !s.ok()) return s;
    if (domain::ToCivilDay(learner.date_of_birth()) >= today) {
      return absl::InvalidArgumentError("learner.date_of_birth: must be in the past");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDates(const IssueCredentialRequest& r, absl::CivilDay today) {
  if (domain::IsUnset(r.issued_on())) return absl::InvalidArgumentError("issued_on: is required");
  if (auto s = CheckDate(r.issued_on(), "issued_on"); !s.ok()) return s;
  // One day of tolerance: the issuer's time zone may be ahead of UTC.
  if (domain::ToCivilDay(r.issued_on()) > today + 1) {
    return absl::InvalidArgumentError("issued_on: must not be in the future");
  }
  if (domain::IsUnset(r.valid_until())) return absl::OkStatus();
  if (auto s = CheckDate(r.valid_until(), "valid_until"); !s.ok()) return s;
  if (domain::ToCivilDay(r.valid_until()) <= domain::ToCivilDay(r.issued_on())) {
    return absl::InvalidArgumentError("valid_until: must be after issued_on");
  }
  return absl::OkStatus();
}

absl::Status CheckEnums(const IssueCredentialRequest& r, const IssueContext& ctx) {
  if (r.mode_of_acquisition() == issuance::v1::MODE_OF_ACQUISITION_UNSPECIFIED ||
      !issuance::v1::ModeOfAcquisition_IsValid(r.mode_of_acquisition())) {
    return absl::InvalidArgumentError(
        "mode_of_acquisition: required: COMPLETED_COURSE or PRIOR_LEARNING_VALIDATION");
  }
  if (r.supervision_applied() == common::v1::SUPERVISION_UNSPECIFIED ||
      !common::v1::Supervision_IsValid(r.supervision_applied())) {
    return absl::InvalidArgumentError(
        "supervision_applied: required: the supervision and identity verification applied");
  }
  if (!issuance::v1::SignatureAlgorithm_IsValid(r.signature_algorithm())) {
    return absl::InvalidArgumentError("signature_algorithm: unknown value");
  }
  if (!issuance::v1::SecuringProfile_IsValid(r.securing_profile())) {
    return absl::InvalidArgumentError(
        "securing_profile: unknown value; OPEN_BADGES_JWT or VC_JOSE_COSE (or none: the "
        "institution's default)");
  }
  if (r.constituent_credential_ids_size() > 200) {
    return absl::InvalidArgumentError("constituent_credential_ids: at most 200");
  }
  for (int i = 0; i < r.constituent_credential_ids_size(); ++i) {
    const std::string& id = r.constituent_credential_ids(i);
    if (id.empty() || id.size() > 200 || id.find_first_of(" \t\r\n\"") != std::string::npos) {
      return absl::InvalidArgumentError("constituent_credential_ids[" + std::to_string(i) +
                                        "]: a credential id (a URI, at most 200 characters)");
    }
  }
  const issuance::v1::SignatureAlgorithm algorithm = SignatureAlgorithmFor(r, ctx);
  if (algorithm == issuance::v1::SIGNATURE_ALGORITHM_RS256 && !ctx.issuer_has_rsa_key) {
    return absl::FailedPreconditionError("signature_algorithm: " + ctx.issuer +
                                         " has no registered RSA key for RS256");
  }
  if (algorithm == issuance::v1::SIGNATURE_ALGORITHM_ES256 && !ctx.issuer_has_ec_key) {
    return absl::FailedPreconditionError("signature_algorithm: " + ctx.issuer +
                                         " has no registered P-256 key for ES256");
  }
  return absl::OkStatus();
}

}  // namespace

issuance::v1::SignatureAlgorithm SignatureAlgorithmFor(const IssueCredentialRequest& request,
                                                       const IssueContext& ctx) {
  if (request.signature_algorithm() != issuance::v1::SIGNATURE_ALGORITHM_UNSPECIFIED) {
    return request.signature_algorithm();
  }
  if (ctx.default_algorithm != issuance::v1::SIGNATURE_ALGORITHM_UNSPECIFIED) {
    return ctx.default_algorithm;
  }
  return ctx.issuer_has_ec_key ? issuance::v1::SIGNATURE_ALGORITHM_ES256
                               : issuance::v1::SIGNATURE_ALGORITHM_EDDSA;
}

absl::Status CheckSpecification(const IssueCredentialRequest& request,
                                const std::optional<Specification>& latest,
                                const std::optional<Specification>& frozen,
                                const IssueContext& ctx) {
  if (!latest.has_value()) {
    return absl::NotFoundError("specification_id: " + request.specification_id() +
                               " is not in the catalogue");
  }
  if (!frozen.has_value()) {
    return absl::NotFoundError("specification_version: " + request.specification_id() +
                               " has no version " +
                               std::to_string(request.specification_version()));
  }
  if (latest->status() == catalogue::v1::SPECIFICATION_STATUS_WITHDRAWN) {
    return absl::FailedPreconditionError("specification_id: " + request.specification_id() +
                                         " is withdrawn; no credential can be issued against it");
  }
  // Whether the institution may issue at all comes before whether it awards this one.
  const std::string in_ecosystem = ctx.ecosystem_id.empty() ? "" : " " + ctx.ecosystem_id;
  if (!ctx.issuer_facts.has_value()) {
    return absl::FailedPreconditionError("specification_id: " + request.specification_id() +
                                         " is published in ecosystem" + in_ecosystem + ", where " +
                                         ctx.issuer + " is not a member");
  }
  if (ctx.issuer_facts->suspended) {
    return absl::FailedPreconditionError(
        "issuer: " + ctx.issuer + " is not an active member of the ecosystem" + in_ecosystem);
  }
  if (!ctx.profile.MayIssue(ctx.issuer_facts->provider_type)) {
    return absl::FailedPreconditionError(
        "issuer: provider type " + domain::ProviderTypeLabel(ctx.issuer_facts->provider_type) +
        " may not issue under policy profile " + ctx.profile.name());
  }
  const auto& bodies = frozen->content().awarding_bodies();
  if (std::find(bodies.begin(), bodies.end(), ctx.issuer) == bodies.end()) {
    return absl::PermissionDeniedError("specification_id: " + request.specification_id() +
                                       " is not awarded by " + ctx.issuer);
  }
  return absl::OkStatus();
}

absl::Status CheckIssuanceFacts(const IssueCredentialRequest& request, const IssueContext& ctx) {
  if (!request.has_learner()) return absl::InvalidArgumentError("learner: is required");
  if (auto s = CheckLearner(request.learner(), ctx.today); !s.ok()) return s;
  if (auto s = CheckDates(request, ctx.today); !s.ok()) return s;
  if (auto s = domain::ValidateText(request.place_of_issuing(), "place_of_issuing",
                                    {.required = true, .max_chars = 200, .single_line = true});
      !s.ok()) {
    return s;
  }
  if (request.has_grade()) {
    const domain::TextRule rule{.required = true, .max_chars = 200, .single_line = true};
    if (auto s = domain::ValidateText(request.grade().value(), "grade.value", rule); !s.ok()) {
      return s;
    }
    if (auto s =
            domain::ValidateText(request.grade().grading_scheme(), "grade.grading_scheme", rule);
        !s.ok()) {
      return s;
    }
  }
  return CheckEnums(request, ctx);
}

absl::Status CheckStatusReason(const std::string& reason) {
  return domain::ValidateText(reason, "reason",
                              {.required = true, .max_chars = 2000, .single_line = false});
}

}  // namespace microcred::issuance
