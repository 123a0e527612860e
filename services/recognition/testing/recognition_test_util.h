// Builders shared by the recognition domain tests: valid requests, credentials, policies and
// decisions that each test changes in one place.
#ifndef MICROCRED_SERVICES_RECOGNITION_TESTING_RECOGNITION_TEST_UTIL_H_
#define MICROCRED_SERVICES_RECOGNITION_TESTING_RECOGNITION_TEST_UTIL_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/auth/roles.h"
#include "libs/domain/dates.h"
#include "microcred/recognition/v1/recognition.pb.h"
#include "services/recognition/decision_rules.h"
#include "services/recognition/request_lifecycle.h"

namespace microcred::recognition::testing {

// GoogleTest without gMock (Debian ships no gMock headers here): small assertion helpers.
// Text: std::string, std::string_view or absl::string_view (status messages).
template <typename Text>
::testing::AssertionResult Contains(const Text& text_in, std::string_view part) {
  const std::string_view text(text_in.data(), text_in.size());
  if (text.find(part) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

template <typename Text>
::testing::AssertionResult StartsWith(const Text& text_in, std::string_view prefix) {
  const std::string_view text(text_in.data(), text_in.size());
  if (text.substr(0, prefix.size()) == prefix) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << text << "\" does not start with \"" << prefix << "\"";
}

// `status` has `code` and a message that starts with `prefix` (the field path, usually).
inline ::testing::AssertionResult IsError(const absl::Status& status, absl::StatusCode code,
                                          std::string_view prefix) {
  if (status.code() != code) {
    return ::testing::AssertionFailure()
           << "expected " << absl::StatusCodeToString(code) << ", got " << status;
  }
  return StartsWith(status.message(), prefix);
}

inline absl::Time At(int year, int month, int day, int hour = 12) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, 0, 0), absl::UTCTimeZone());
}

inline v1::PresentedCredential AuthenticCredential(const std::string& issuer = "uclouvain",
                                                   const std::string& local_id = "data-101",
                                                   double ects = 5, int eqf_level = 6) {
  v1::PresentedCredential c;
  c.set_jws("eyJhbGciOiJFZERTQSJ9.payload-of-the-learner.signature");
  c.set_authenticity(v1::AUTHENTICITY_AUTHENTIC);
  v1::CredentialFacts& f = *c.mutable_facts();
  f.set_credential_id("urn:uuid:" + issuer + "-" + local_id);
  f.set_issuer(issuer);
  f.add_awarding_bodies(issuer);
  f.set_issuer_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  f.set_quality_assurance_type(common::v1::QUALITY_ASSURANCE_TYPE_EXTERNAL);
  f.set_qa_body("AEQES");
  f.set_deqar_reference("DEQARINST0107");
  f.set_eqf_level(eqf_level);
  f.set_ects(ects);
  f.set_specification_id(issuer + "/" + local_id);
  f.set_specification_version(1);
  *f.mutable_issued_on() = domain::ToDate(absl::CivilDay(2025, 1, 15));
  f.set_title("Data literacy");
  return c;
}

inline v1::RecognitionPolicy Policy(
    const std::string& local_id, uint32_t rank,
    v1::RecognitionPurpose purpose = v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER) {
  v1::RecognitionPolicy p;
  p.set_policy_id("ulb/" + local_id);
  p.set_version(1);
  p.set_receiving_institution("ulb");
  p.set_title("Policy " + local_id);
  p.set_rationale("Credentials of this kind are comparable to ours.");
  p.set_rank(rank);
  p.set_status(v1::POLICY_STATUS_ACTIVE);
  p.add_purposes(purpose);
  return p;
}

// Publishes, at `receiver`, the rank-1 policy "<receiver>/<issuer>" that recognises every
// credential of `issuer` for `purpose` at once.
inline v1::PublishPolicyRequest AcceptIssuer(const std::string& receiver, const std::string& issuer,
                                             v1::RecognitionPurpose purpose) {
  v1::PublishPolicyRequest request;
  request.set_client_request_id("policy-" + issuer);
  v1::RecognitionPolicy& p = *request.mutable_policy();
  p.set_policy_id(receiver + "/" + issuer);
  p.set_title("The courses of " + issuer);
  p.set_rationale("Comparable by agreement.");
  p.set_rank(1);
  p.add_purposes(purpose);
  p.add_issuers(issuer);
  return request;
}

inline v1::RecognitionRequest NewRequest(
    v1::RequestType type = v1::REQUEST_TYPE_CREDENTIALS,
    v1::RecognitionPurpose purpose = v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER) {
  v1::RecognitionRequest r;
  r.set_request_id("ulb/req-1");
  r.set_receiving_institution("ulb");
  r.set_learner_pseudonym("pseudo-7f3a");
  r.set_submitted_by("learner-42");
  r.set_type(type);
  r.set_purpose(purpose);
  v1::ComponentTarget& component = *r.mutable_target()->mutable_component();
  component.set_programme_id("ulb/master-data");
  component.set_component_id("STAT-H-400");
  component.set_ects(5);
  if (type == v1::REQUEST_TYPE_CREDENTIALS) *r.add_credentials() = AuthenticCredential();
  return r;
}

// A request received at `at` with the default deadlines.
inline v1::RecognitionRequest SubmittedRequest(
    absl::Time at, v1::RequestType type = v1::REQUEST_TYPE_CREDENTIALS) {
  v1::RecognitionRequest r = NewRequest(type);
  (void)RecordSubmission(r, DefaultDeadlineSettings(), {.actor = "learner-42", .now = at});
  return r;
}

// A valid FULL first decision by a recognition officer, taken on `decided_on`.
inline v1::RecognitionDecision FullDecision(absl::CivilDay decided_on = absl::CivilDay(2025, 3, 1),
                                            const std::string& officer = "officer-anne") {
  v1::RecognitionDecision d;
  d.set_decision_reference("ULB-REC-2025-0001");
  *d.mutable_decided_on() = domain::ToDate(decided_on);
  d.set_outcome(v1::RECOGNITION_OUTCOME_FULL);
  for (auto element : {v1::COMPARISON_ELEMENT_LEVEL, v1::COMPARISON_ELEMENT_WORKLOAD,
                       v1::COMPARISON_ELEMENT_QUALITY_ASSURANCE,
                       v1::COMPARISON_ELEMENT_LEARNING_OUTCOMES, v1::COMPARISON_ELEMENT_PROFILE}) {
    v1::Finding& f = *d.add_findings();
    f.set_element(element);
    f.set_assessment(v1::ASSESSMENT_COMPARABLE);
  }
  d.add_reason_codes(v1::REASON_CODE_ALL_ELEMENTS_COMPARABLE);
  d.set_original_ects(5);
  d.set_recognised_ects(5);
  d.add_remedies(v1::REMEDY_INTERNAL_APPEAL);
  d.set_appeal_route("Appeal to the faculty's recognition appeal board, recours@ulb.example");
  *d.mutable_appeal_deadline() = domain::ToDate(decided_on + 30);
  d.set_decided_by(officer);
  d.set_decided_by_role(auth::roles::kRecognitionOfficer);
  return d;
}

// Marks the finding on `element` as a justified substantial difference.
inline void AddSubstantialDifference(
    v1::RecognitionDecision& d, v1::ComparisonElement element = v1::COMPARISON_ELEMENT_LEVEL,
    const std::string& justification = "EQF 4 presented; the component requires EQF 6 outcomes") {
  for (v1::Finding& f : *d.mutable_findings()) {
    if (f.element() != element) continue;
    f.set_assessment(v1::ASSESSMENT_SUBSTANTIAL_DIFFERENCE);
    f.set_justification(justification);
  }
}

// A valid REFUSED decision.
inline v1::RecognitionDecision Refusal(absl::CivilDay decided_on = absl::CivilDay(2025, 3, 1)) {
  v1::RecognitionDecision d = FullDecision(decided_on);
  d.set_outcome(v1::RECOGNITION_OUTCOME_REFUSED);
  AddSubstantialDifference(d);
  d.clear_reason_codes();
  d.add_reason_codes(v1::REASON_CODE_LEVEL_BELOW_TARGET);
  d.set_reasons("The level of the credential is below the level of the component.");
  d.set_recognised_ects(0);
  return d;
}

}  // namespace microcred::recognition::testing

#endif  // MICROCRED_SERVICES_RECOGNITION_TESTING_RECOGNITION_TEST_UTIL_H_
