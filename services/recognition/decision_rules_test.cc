#include "services/recognition/decision_rules.h"

#include "gtest/gtest.h"
#include "libs/auth/roles.h"
#include "libs/domain/dates.h"
#include "services/recognition/request_lifecycle.h"
#include "services/recognition/testing/recognition_test_util.h"
#include "services/recognition/vae_rules.h"

namespace microcred::recognition {
namespace {

using testing::AddSubstantialDifference;
using testing::At;
using testing::Contains;
using testing::FullDecision;
using testing::IsError;
using testing::Refusal;
using testing::StartsWith;
using testing::SubmittedRequest;

v1::RecognitionRequest Request() { return SubmittedRequest(At(2025, 1, 15)); }

TEST(DecisionRulesTest, AValidFullDecisionPasses) {
  EXPECT_TRUE(ValidateDecision(FullDecision(), Request()).ok());
  EXPECT_TRUE(ValidateDecision(Refusal(), Request()).ok());
}

TEST(DecisionRulesTest, RefusalWithoutASubstantialDifferenceIsRejected) {
  v1::RecognitionDecision d = FullDecision();
  d.set_outcome(v1::RECOGNITION_OUTCOME_REFUSED);
  d.set_recognised_ects(0);
  d.set_reasons("We do not like it.");
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.findings: a REFUSED decision"));
  // A non-substantial difference is not enough either.
  d.mutable_findings(0)->set_assessment(v1::ASSESSMENT_NON_SUBSTANTIAL_DIFFERENCE);
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.findings:"));
}

TEST(DecisionRulesTest, PartialWithoutASubstantialDifferenceIsRejected) {
  v1::RecognitionDecision d = FullDecision();
  d.set_outcome(v1::RECOGNITION_OUTCOME_PARTIAL);
  d.set_recognised_ects(3);
  d.set_reasons("Only part of the workload is comparable.");
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.findings: a PARTIAL decision"));
  AddSubstantialDifference(d, v1::COMPARISON_ELEMENT_WORKLOAD, "3 of the 5 ECTS are covered");
  EXPECT_TRUE(ValidateDecision(d, Request()).ok());
}

TEST(DecisionRulesTest, ConditionalAndAlternativeAlsoNeedASubstantialDifference) {
  v1::RecognitionDecision conditional = FullDecision();
  conditional.set_outcome(v1::RECOGNITION_OUTCOME_CONDITIONAL);
  conditional.set_reasons("A bridging assessment is needed.");
  conditional.mutable_compensatory_measure()->set_kind(v1::COMPENSATORY_MEASURE_KIND_ASSESSMENT);
  conditional.mutable_compensatory_measure()->set_description("Oral test on regression");
  EXPECT_TRUE(IsError(ValidateDecision(conditional, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.findings:"));
  AddSubstantialDifference(conditional, v1::COMPARISON_ELEMENT_LEARNING_OUTCOMES,
                           "Regression is not covered");
  EXPECT_TRUE(ValidateDecision(conditional, Request()).ok());

  v1::RecognitionDecision alternative = Refusal();
  alternative.set_outcome(v1::RECOGNITION_OUTCOME_ALTERNATIVE);
  EXPECT_TRUE(IsError(ValidateDecision(alternative, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.alternative_recognition:"));
  alternative.set_alternative_recognition("Recognised as an elective of the bachelor");
  EXPECT_TRUE(ValidateDecision(alternative, Request()).ok());
}

TEST(DecisionRulesTest, SubstantialDifferenceNeedsItsJustification) {
  v1::RecognitionDecision d = Refusal();
  d.mutable_findings(0)->set_justification("   ");
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.findings[0].justification: a substantial difference"));
}

TEST(DecisionRulesTest, EveryElementIsAssessedOnce) {
  v1::RecognitionDecision missing = FullDecision();
  missing.mutable_findings()->RemoveLast();
  EXPECT_TRUE(IsError(ValidateDecision(missing, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.findings: no finding on PROFILE"));
  v1::RecognitionDecision twice = FullDecision();
  twice.mutable_findings(4)->set_element(v1::COMPARISON_ELEMENT_LEVEL);
  EXPECT_TRUE(IsError(ValidateDecision(twice, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.findings[4].element: LEVEL"));
  v1::RecognitionDecision unassessed = FullDecision();
  unassessed.mutable_findings(2)->clear_assessment();
  EXPECT_TRUE(IsError(ValidateDecision(unassessed, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.findings[2].assessment:"));
}

TEST(DecisionRulesTest, HeaderFieldsAreRequired) {
  v1::RecognitionDecision d = FullDecision();
  d.clear_decision_reference();
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.decision_reference:"));
  d = FullDecision();
  d.mutable_decided_on()->set_day(31);
  d.mutable_decided_on()->set_month(2);
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.decided_on:"));
  d = FullDecision();
  d.clear_outcome();
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.outcome:"));
  d = FullDecision();
  d.clear_reason_codes();
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.reason_codes:"));
  d = Refusal();
  d.clear_reasons();
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.reasons: is required"));
}

TEST(DecisionRulesTest, EctsAgreeWithTheOutcome) {
  v1::RecognitionDecision full = FullDecision();
  full.set_recognised_ects(4);
  EXPECT_TRUE(IsError(ValidateDecision(full, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.recognised_ects: below"));
  v1::RecognitionDecision partial = Refusal();
  partial.set_outcome(v1::RECOGNITION_OUTCOME_PARTIAL);
  partial.set_recognised_ects(5);
  EXPECT_TRUE(IsError(ValidateDecision(partial, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.recognised_ects:"));
  partial.add_recognised_for_purposes(v1::RECOGNITION_PURPOSE_ADMISSION);  // some purposes only
  EXPECT_TRUE(ValidateDecision(partial, Request()).ok());
  v1::RecognitionDecision refused = Refusal();
  refused.set_recognised_ects(1);
  EXPECT_TRUE(IsError(ValidateDecision(refused, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.recognised_ects: must be 0"));
  v1::RecognitionDecision negative = FullDecision();
  negative.set_original_ects(-1);
  EXPECT_TRUE(IsError(ValidateDecision(negative, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.original_ects:"));
}

TEST(DecisionRulesTest, ConditionalNeedsItsMeasureAndOnlyItHasOne) {
  v1::RecognitionDecision d = Refusal();
  d.set_outcome(v1::RECOGNITION_OUTCOME_CONDITIONAL);
  d.set_recognised_ects(5);
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.compensatory_measure: required"));
  v1::RecognitionDecision full = FullDecision();
  full.mutable_compensatory_measure()->set_description("x");
  EXPECT_TRUE(IsError(ValidateDecision(full, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.compensatory_measure: only"));
}

TEST(DecisionRulesTest, GradeConversionsAreComplete) {
  v1::RecognitionDecision d = FullDecision();
  v1::GradeConversion& g = *d.add_grade_conversions();
  g.mutable_original()->set_value("B");
  g.mutable_converted()->set_value("14/20");
  g.mutable_converted()->set_grading_scheme("Belgian 0-20 scale");
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.grade_conversions[0].method:"));
  g.set_method("ECTS grading table");
  EXPECT_TRUE(ValidateDecision(d, Request()).ok());
}

TEST(DecisionRulesTest, RemediesAndTheAppealRouteAreStated) {
  v1::RecognitionDecision d = FullDecision();
  d.clear_remedies();
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.remedies:"));
  d = FullDecision();
  d.set_remedies(0, v1::REMEDY_COURT);
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.remedies: must include REMEDY_INTERNAL_APPEAL"));
  d = FullDecision();
  d.clear_appeal_route();
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.appeal_route:"));
  d = FullDecision();
  d.clear_appeal_deadline();
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.appeal_deadline: is required"));
}

TEST(DecisionRulesTest, AppealDeadlineIsNotShorterThanThePeriodFixedInAdvance) {
  v1::RecognitionDecision d = FullDecision(absl::CivilDay(2025, 3, 1));
  *d.mutable_appeal_deadline() = domain::ToDate(absl::CivilDay(2025, 3, 30));
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.appeal_deadline: must not be before 2025-03-31"));
  *d.mutable_appeal_deadline() = domain::ToDate(absl::CivilDay(2025, 4, 15));  // longer is fine
  EXPECT_TRUE(ValidateDecision(d, Request()).ok());
}

TEST(DecisionRulesTest, WhoDecidesAFirstDecision) {
  v1::RecognitionDecision d = FullDecision();
  d.set_decided_by_role(auth::roles::kAppealOfficer);
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kPermissionDenied,
                      "decision.decided_by_role:"));
  d = FullDecision();
  d.clear_decided_by();
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.decided_by:"));
  // A policy decides alone, and only to grant full recognition.
  d = FullDecision();
  d.clear_decided_by();
  d.clear_decided_by_role();
  d.set_decided_by_policy("ulb/alliance");
  EXPECT_TRUE(ValidateDecision(d, Request()).ok());
  d.set_decided_by("officer-anne");
  EXPECT_TRUE(IsError(ValidateDecision(d, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.decided_by: a decision is"));
  v1::RecognitionDecision refusal_by_policy = Refusal();
  refusal_by_policy.clear_decided_by();
  refusal_by_policy.set_decided_by_policy("ulb/alliance");
  EXPECT_TRUE(IsError(ValidateDecision(refusal_by_policy, Request()),
                      absl::StatusCode::kInvalidArgument, "decision.outcome: a policy"));
}

// ---- VAE decisions ----

v1::RecognitionDecision JuryDecision(bool met) {
  v1::RecognitionDecision d = FullDecision();
  d.set_decided_by("jury-claire");
  d.set_decided_by_role(auth::roles::kJuryMember);
  d.mutable_vae()->add_jury_members("jury-claire");
  d.mutable_vae()->add_jury_members("jury-david");
  d.mutable_vae()->add_additional_courses("STAT-H-100");
  d.mutable_vae()->mutable_eligibility_shown()->set_met(met);
  return d;
}

TEST(DecisionRulesTest, AVaeRequestIsDecidedByItsJury) {
  const v1::RecognitionRequest vae = SubmittedRequest(At(2025, 1, 15), v1::REQUEST_TYPE_VAE);
  EXPECT_TRUE(ValidateDecision(JuryDecision(true), vae).ok());
  EXPECT_TRUE(IsError(ValidateDecision(FullDecision(), vae), absl::StatusCode::kPermissionDenied,
                      "decision.decided_by_role:"));
  v1::RecognitionDecision outsider = JuryDecision(true);
  outsider.set_decided_by("jury-eve");
  EXPECT_TRUE(IsError(ValidateDecision(outsider, vae), absl::StatusCode::kPermissionDenied,
                      "decision.decided_by: jury-eve"));
  v1::RecognitionDecision without_conclusion = JuryDecision(true);
  without_conclusion.clear_vae();
  without_conclusion.set_decided_by_role(auth::roles::kJuryMember);
  EXPECT_TRUE(IsError(ValidateDecision(without_conclusion, vae),
                      absl::StatusCode::kPermissionDenied, "decision.decided_by:"));
  v1::RecognitionDecision not_met = JuryDecision(false);
  EXPECT_TRUE(IsError(ValidateDecision(not_met, vae), absl::StatusCode::kInvalidArgument,
                      "decision.outcome: the art. 119"));
  v1::RecognitionDecision by_policy = JuryDecision(true);
  by_policy.clear_decided_by();
  by_policy.set_decided_by_policy("ulb/any");
  EXPECT_TRUE(IsError(ValidateDecision(by_policy, vae), absl::StatusCode::kInvalidArgument,
                      "decision.decided_by_policy:"));
  // A credentials request has no jury conclusion.
  v1::RecognitionDecision stray = FullDecision();
  stray.mutable_vae()->add_jury_members("x");
  EXPECT_TRUE(IsError(ValidateDecision(stray, Request()), absl::StatusCode::kInvalidArgument,
                      "decision.vae:"));
}

// ---- Appeals ----

v1::RecognitionRequest Decided(v1::RecognitionDecision decision = Refusal()) {
  v1::RecognitionRequest r = Request();
  EXPECT_TRUE(RecordReviewStarted(r, {.now = At(2025, 2, 1)}).ok());
  EXPECT_TRUE(RecordDecision(r, decision, false, {.now = At(2025, 3, 1)}).ok());
  return r;
}

v1::Appeal AppealOn(absl::CivilDay day) {
  v1::Appeal appeal;
  appeal.set_grounds("The credential is EQF 6, not 4: see the catalogue entry.");
  *appeal.mutable_lodged_on() = domain::ToDate(day);
  return appeal;
}

TEST(AppealRulesTest, LodgedWithinTheDeadlineIncludingItsLastDay) {
  const v1::RecognitionRequest r = Decided();  // appeal deadline 2025-03-31
  EXPECT_TRUE(ValidateAppeal(AppealOn(absl::CivilDay(2025, 3, 2)), r).ok());
  EXPECT_TRUE(ValidateAppeal(AppealOn(absl::CivilDay(2025, 3, 31)), r).ok());
}

TEST(AppealRulesTest, AfterItsDeadlineIsRejected) {
  EXPECT_TRUE(IsError(ValidateAppeal(AppealOn(absl::CivilDay(2025, 4, 1)), Decided()),
                      absl::StatusCode::kFailedPrecondition,
                      "appeal.lodged_on: 2025-04-01 is after the appeal deadline, 2025-03-31"));
}

TEST(AppealRulesTest, NeedsGroundsAndADecision) {
  v1::Appeal no_grounds = AppealOn(absl::CivilDay(2025, 3, 2));
  no_grounds.clear_grounds();
  EXPECT_TRUE(IsError(ValidateAppeal(no_grounds, Decided()), absl::StatusCode::kInvalidArgument,
                      "appeal.grounds:"));
  EXPECT_TRUE(IsError(ValidateAppeal(AppealOn(absl::CivilDay(2025, 3, 2)), Request()),
                      absl::StatusCode::kFailedPrecondition, "appeal:"));
}

v1::RecognitionDecision AppealDecision(const std::string& by, const std::string& role) {
  v1::RecognitionDecision d = FullDecision(absl::CivilDay(2025, 4, 10), by);
  d.set_decided_by_role(role);
  d.set_decision_reference("ULB-APP-2025-0001");
  d.clear_remedies();
  d.add_remedies(v1::REMEDY_COURT);
  d.clear_appeal_route();
  d.clear_appeal_deadline();
  return d;
}

TEST(AppealRulesTest, AnotherAppealOfficerDecides) {
  EXPECT_TRUE(
      ValidateAppealDecision(AppealDecision("appeals-bob", auth::roles::kAppealOfficer), Decided())
          .ok());
}

TEST(AppealRulesTest, TheSameOfficerIsRejected) {
  EXPECT_TRUE(IsError(ValidateAppealDecision(
                          AppealDecision("officer-anne", auth::roles::kAppealOfficer), Decided()),
                      absl::StatusCode::kPermissionDenied,
                      "decision.decided_by: officer-anne took"));
}

TEST(AppealRulesTest, AnotherPersonInTheFirstRoleIsRejected) {
  EXPECT_TRUE(
      IsError(ValidateAppealDecision(
                  AppealDecision("officer-carl", auth::roles::kRecognitionOfficer), Decided()),
              absl::StatusCode::kPermissionDenied, "decision.decided_by_role:"));
}

TEST(AppealRulesTest, AMemberOfTheFirstJuryIsRejected) {
  v1::RecognitionRequest vae = SubmittedRequest(At(2025, 1, 15), v1::REQUEST_TYPE_VAE);
  ASSERT_TRUE(RecordReviewStarted(vae, {.now = At(2025, 2, 1)}).ok());
  ASSERT_TRUE(RecordDecision(vae, JuryDecision(true), false, {.now = At(2025, 3, 1)}).ok());
  v1::RecognitionDecision d = AppealDecision("jury-david", auth::roles::kAppealOfficer);
  *d.mutable_vae() = JuryDecision(true).vae();
  EXPECT_TRUE(IsError(ValidateAppealDecision(d, vae), absl::StatusCode::kPermissionDenied,
                      "decision.decided_by: jury-david sat"));
}

TEST(AppealRulesTest, TheInternalAppealIsSpent) {
  v1::RecognitionDecision d = AppealDecision("appeals-bob", auth::roles::kAppealOfficer);
  d.add_remedies(v1::REMEDY_INTERNAL_APPEAL);
  EXPECT_TRUE(IsError(ValidateAppealDecision(d, Decided()), absl::StatusCode::kInvalidArgument,
                      "decision.remedies: the internal"));
}

TEST(AppealRulesTest, AnAppealRefusalStillNeedsAJustifiedSubstantialDifference) {
  v1::RecognitionDecision d = AppealDecision("appeals-bob", auth::roles::kAppealOfficer);
  d.set_outcome(v1::RECOGNITION_OUTCOME_REFUSED);
  d.set_recognised_ects(0);
  d.set_reasons("Confirmed.");
  EXPECT_TRUE(IsError(ValidateAppealDecision(d, Decided()), absl::StatusCode::kInvalidArgument,
                      "decision.findings:"));
}

}  // namespace
}  // namespace microcred::recognition
