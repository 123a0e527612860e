#include "services/recognition/request_lifecycle.h"

#include <map>
#include <utility>

#include "gtest/gtest.h"
#include "services/recognition/testing/recognition_test_util.h"

namespace microcred::recognition {
namespace {

using testing::At;
using testing::Contains;
using testing::FullDecision;
using testing::NewRequest;
using testing::SubmittedRequest;

constexpr v1::RequestState kAllStates[] = {
    v1::REQUEST_STATE_UNSPECIFIED,    v1::REQUEST_STATE_RECEIVED,  v1::REQUEST_STATE_INCOMPLETE,
    v1::REQUEST_STATE_UNDER_REVIEW,   v1::REQUEST_STATE_DECIDED,   v1::REQUEST_STATE_APPEALED,
    v1::REQUEST_STATE_APPEAL_DECIDED, v1::REQUEST_STATE_WITHDRAWN,
};

// The allowed transitions, written out once more by hand: everything else must be refused.
const std::map<std::pair<v1::RequestState, Action>, v1::RequestState>& AllowedTransitions() {
  static const auto* const kAllowed =
      new std::map<std::pair<v1::RequestState, Action>, v1::RequestState>{
          {{v1::REQUEST_STATE_UNSPECIFIED, Action::kSubmit}, v1::REQUEST_STATE_RECEIVED},
          {{v1::REQUEST_STATE_RECEIVED, Action::kRequestInformation}, v1::REQUEST_STATE_INCOMPLETE},
          {{v1::REQUEST_STATE_UNDER_REVIEW, Action::kRequestInformation},
           v1::REQUEST_STATE_INCOMPLETE},
          {{v1::REQUEST_STATE_INCOMPLETE, Action::kProvideInformation}, v1::REQUEST_STATE_RECEIVED},
          {{v1::REQUEST_STATE_RECEIVED, Action::kStartReview}, v1::REQUEST_STATE_UNDER_REVIEW},
          {{v1::REQUEST_STATE_UNDER_REVIEW, Action::kDecide}, v1::REQUEST_STATE_DECIDED},
          {{v1::REQUEST_STATE_RECEIVED, Action::kDecideAutomatically}, v1::REQUEST_STATE_DECIDED},
          {{v1::REQUEST_STATE_DECIDED, Action::kAppeal}, v1::REQUEST_STATE_APPEALED},
          {{v1::REQUEST_STATE_APPEALED, Action::kDecideAppeal}, v1::REQUEST_STATE_APPEAL_DECIDED},
          {{v1::REQUEST_STATE_RECEIVED, Action::kWithdraw}, v1::REQUEST_STATE_WITHDRAWN},
          {{v1::REQUEST_STATE_INCOMPLETE, Action::kWithdraw}, v1::REQUEST_STATE_WITHDRAWN},
          {{v1::REQUEST_STATE_UNDER_REVIEW, Action::kWithdraw}, v1::REQUEST_STATE_WITHDRAWN},
      };
  return *kAllowed;
}

TEST(NextStateTest, EveryStateAndActionIsAllowedOrRefusedAsSpecified) {
  int allowed = 0;
  int refused = 0;
  for (v1::RequestState state : kAllStates) {
    for (Action action : kAllActions) {
      SCOPED_TRACE(StateName(state) + " " + std::string(ActionName(action)));
      absl::StatusOr<v1::RequestState> next = NextState(state, action);
      auto expected = AllowedTransitions().find({state, action});
      if (expected != AllowedTransitions().end()) {
        ASSERT_TRUE(next.ok()) << next.status();
        EXPECT_EQ(*next, expected->second);
        ++allowed;
      } else {
        ASSERT_FALSE(next.ok());
        EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
        const std::string current =
            state == v1::REQUEST_STATE_UNSPECIFIED ? "not submitted" : StateName(state);
        EXPECT_TRUE(Contains(next.status().message(), "the request is " + current));
        EXPECT_TRUE(Contains(next.status().message(), std::string(ActionName(action))));
        ++refused;
      }
    }
  }
  EXPECT_EQ(allowed, 12);
  EXPECT_EQ(refused, 8 * 9 - 12);
}

TEST(NextStateTest, RefusalNamesTheAllowedStates) {
  absl::StatusOr<v1::RequestState> next =
      NextState(v1::REQUEST_STATE_DECIDED, Action::kRequestInformation);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.status().message(),
            "state: the request is DECIDED; REQUEST_INFORMATION is allowed only when it is "
            "RECEIVED or UNDER_REVIEW");
}

TEST(DeadlineTest, AddsCalendarMonthsClampedToTheMonthsLastDay) {
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2025, 1, 15), 4), absl::CivilDay(2025, 5, 15));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2024, 10, 31), 4), absl::CivilDay(2025, 2, 28));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2023, 10, 31), 4), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2025, 9, 30), 4), absl::CivilDay(2026, 1, 30));
  EXPECT_EQ(AddMonthsClamped(absl::CivilDay(2025, 3, 31), -1), absl::CivilDay(2025, 2, 28));
}

TEST(DeadlineTest, DeadlineIsTheEndOfTheDueDayInTheInstitutionsZone) {
  absl::TimeZone brussels;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Brussels", &brussels));
  // 23:30 UTC on 14 Jan is already 15 Jan in Brussels: due at the end of 15 May, Brussels time.
  const absl::Time start =
      absl::FromCivil(absl::CivilSecond(2025, 1, 14, 23, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(DeadlineAfterMonths(start, 4, brussels),
            absl::FromCivil(absl::CivilSecond(2025, 5, 16, 0, 0, 0), brussels));
}

TEST(DeadlineTest, DefaultsAndValidation) {
  const v1::DeadlineSettings defaults = DefaultDeadlineSettings();
  EXPECT_EQ(defaults.decision_months(), 4u);
  EXPECT_EQ(defaults.appeal_lodging_days(), 30u);
  EXPECT_EQ(defaults.appeal_decision_months(), 2u);
  EXPECT_EQ(EffectiveDeadlineSettings(v1::DeadlineSettings()).decision_months(), 4u);
  v1::DeadlineSettings too_long;
  too_long.set_decision_months(13);
  EXPECT_TRUE(Contains(ValidateDeadlineSettings(too_long).message(), "deadlines.decision_months"));
  EXPECT_EQ(AppealDeadline(absl::CivilDay(2025, 3, 1), defaults), absl::CivilDay(2025, 3, 31));
}

TEST(RecordSubmissionTest, StartsTheClockAtReceiptWithTheSettingsInForce) {
  v1::RecognitionRequest r = NewRequest();
  v1::DeadlineSettings settings;
  settings.set_decision_months(2);
  ASSERT_TRUE(RecordSubmission(r, settings, {.actor = "learner-42", .now = At(2025, 1, 15)}).ok());
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_RECEIVED);
  EXPECT_EQ(r.deadlines().decision_months(), 2u);
  EXPECT_EQ(r.deadlines().appeal_lodging_days(), 30u);  // defaulted
  EXPECT_EQ(r.received_at_ms(), absl::ToUnixMillis(At(2025, 1, 15)));
  EXPECT_EQ(r.completed_at_ms(), r.received_at_ms());
  EXPECT_EQ(absl::FromUnixMillis(r.decision_due_at_ms()), At(2025, 3, 16, 0));
  ASSERT_EQ(r.history_size(), 1);
  EXPECT_EQ(r.history(0).action(), "SUBMIT");
  EXPECT_EQ(r.history(0).actor(), "learner-42");
}

TEST(RecordSubmissionTest, RefusesASecondSubmissionAndChangesNothing) {
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));
  const std::string before = r.SerializeAsString();
  absl::Status s = RecordSubmission(r, DefaultDeadlineSettings(), {.now = At(2025, 1, 16)});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.SerializeAsString(), before);
}

TEST(ClockTest, InformationRequestedAtFirstCheckRestartsTheClockFromZero) {
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));
  ASSERT_TRUE(RecordInformationRequest(r, "The transcript is missing",
                                       {.actor = "officer-anne", .now = At(2025, 2, 1)})
                  .ok());
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_INCOMPLETE);
  EXPECT_EQ(r.decision_due_at_ms(), 0);
  EXPECT_EQ(r.completed_at_ms(), 0);
  // An incomplete file is never overdue, however long the learner takes.
  EXPECT_FALSE(IsOverdue(r, At(2026, 1, 1)));
  EXPECT_EQ(RunningDeadline(r), absl::InfiniteFuture());

  ASSERT_TRUE(RecordInformationProvided(r, "Transcript attached",
                                        {.actor = "learner-42", .now = At(2025, 6, 10)})
                  .ok());
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_RECEIVED);
  EXPECT_EQ(r.completed_at_ms(), absl::ToUnixMillis(At(2025, 6, 10)));
  EXPECT_EQ(absl::FromUnixMillis(r.decision_due_at_ms()), At(2025, 10, 11, 0));
  ASSERT_EQ(r.information_requests_size(), 1);
  EXPECT_EQ(r.information_requests(0).requested_in_state(), v1::REQUEST_STATE_RECEIVED);
  EXPECT_EQ(r.information_requests(0).provided_note(), "Transcript attached");
}

TEST(ClockTest, InformationRequestedDuringReviewPausesTheClock) {
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));  // due 2025-05-16 00:00
  ASSERT_TRUE(RecordReviewStarted(r, {.actor = "officer-anne", .now = At(2025, 2, 1)}).ok());
  ASSERT_TRUE(RecordInformationRequest(r, "Syllabus please",
                                       {.actor = "officer-anne", .now = At(2025, 5, 1, 0)})
                  .ok());
  EXPECT_EQ(r.decision_due_at_ms(), 0);
  EXPECT_EQ(r.paused_remaining_ms(), absl::ToInt64Milliseconds(absl::Hours(24 * 15)));
  EXPECT_EQ(r.completed_at_ms(), absl::ToUnixMillis(At(2025, 1, 15)));  // still complete then

  ASSERT_TRUE(
      RecordInformationProvided(r, "", {.actor = "learner-42", .now = At(2025, 7, 1, 0)}).ok());
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_RECEIVED);
  EXPECT_EQ(absl::FromUnixMillis(r.decision_due_at_ms()), At(2025, 7, 16, 0));
  EXPECT_EQ(r.paused_remaining_ms(), 0);
}

TEST(ClockTest, AnOverdueRequestStaysOverdueAfterALateInformationRequest) {
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));
  ASSERT_TRUE(RecordReviewStarted(r, {.now = At(2025, 2, 1)}).ok());
  ASSERT_TRUE(RecordInformationRequest(r, "More", {.now = At(2025, 6, 1)}).ok());
  EXPECT_EQ(r.paused_remaining_ms(), 0);
  ASSERT_TRUE(RecordInformationProvided(r, "", {.now = At(2025, 6, 5)}).ok());
  EXPECT_TRUE(IsOverdue(r, At(2025, 6, 5)));
}

TEST(ClockTest, DecisionAndWithdrawalStopTheClock) {
  v1::RecognitionRequest decided = SubmittedRequest(At(2025, 1, 15));
  ASSERT_TRUE(RecordReviewStarted(decided, {.now = At(2025, 2, 1)}).ok());
  ASSERT_TRUE(RecordDecision(decided, FullDecision(), false,
                             {.actor = "officer-anne", .now = At(2025, 3, 1)})
                  .ok());
  EXPECT_EQ(decided.state(), v1::REQUEST_STATE_DECIDED);
  EXPECT_EQ(decided.decision().decided_at_ms(), absl::ToUnixMillis(At(2025, 3, 1)));
  EXPECT_FALSE(IsOverdue(decided, At(2026, 1, 1)));

  v1::RecognitionRequest withdrawn = SubmittedRequest(At(2025, 1, 15));
  ASSERT_TRUE(RecordWithdrawal(withdrawn, "Admitted elsewhere", {.now = At(2025, 2, 1)}).ok());
  EXPECT_EQ(withdrawn.state(), v1::REQUEST_STATE_WITHDRAWN);
  EXPECT_EQ(withdrawn.withdrawal_reason(), "Admitted elsewhere");
  EXPECT_FALSE(IsOverdue(withdrawn, At(2026, 1, 1)));
}

TEST(ClockTest, AutomaticDecisionOnlyFromReceivedAndManualOnlyAfterReview) {
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));
  EXPECT_EQ(RecordDecision(r, FullDecision(), false, {.now = At(2025, 1, 15)}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(RecordDecision(r, FullDecision(), true, {.now = At(2025, 1, 15)}).ok());
  EXPECT_EQ(r.history(1).action(), "DECIDE_AUTOMATICALLY");
}

TEST(ClockTest, AppealRunsItsOwnDeadline) {
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));
  ASSERT_TRUE(RecordReviewStarted(r, {.now = At(2025, 2, 1)}).ok());
  ASSERT_TRUE(RecordDecision(r, testing::Refusal(), false, {.now = At(2025, 3, 1)}).ok());
  v1::Appeal appeal;
  appeal.set_grounds("The level was misread");
  appeal.mutable_decision()->set_decision_reference("must be cleared");
  ASSERT_TRUE(RecordAppeal(r, appeal, {.actor = "learner-42", .now = At(2025, 3, 10)}).ok());
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_APPEALED);
  EXPECT_EQ(r.appeal().lodged_by(), "learner-42");
  EXPECT_FALSE(r.appeal().has_decision());
  EXPECT_EQ(absl::FromUnixMillis(r.appeal().decision_due_at_ms()), At(2025, 5, 11, 0));
  EXPECT_FALSE(IsOverdue(r, At(2025, 5, 10, 23)));
  EXPECT_TRUE(IsOverdue(r, At(2025, 5, 11, 0)));

  ASSERT_TRUE(RecordAppealDecision(r, FullDecision(absl::CivilDay(2025, 4, 1), "appeals-bob"),
                                   {.now = At(2025, 4, 1)})
                  .ok());
  EXPECT_EQ(r.state(), v1::REQUEST_STATE_APPEAL_DECIDED);
  EXPECT_EQ(r.appeal().decision().decided_by(), "appeals-bob");
  EXPECT_EQ(r.decision().decided_by(), "officer-anne");  // the first decision is kept
  EXPECT_FALSE(IsOverdue(r, At(2026, 1, 1)));
}

TEST(OverdueTest, ListsRunningClocksPastTheirDeadlineMostLateFirst) {
  const absl::Time now = At(2025, 7, 1);
  std::vector<v1::RecognitionRequest> requests;
  auto add = [&](const std::string& id, v1::RecognitionRequest r) {
    r.set_request_id(id);
    requests.push_back(std::move(r));
  };
  add("ulb/late-received", SubmittedRequest(At(2025, 2, 1)));            // due 2025-06-02
  v1::RecognitionRequest reviewing = SubmittedRequest(At(2025, 1, 10));  // due 2025-05-11
  ASSERT_TRUE(RecordReviewStarted(reviewing, {.now = At(2025, 2, 1)}).ok());
  add("ulb/later-review", reviewing);
  add("ulb/in-time", SubmittedRequest(At(2025, 4, 1)));  // due 2025-08-02
  v1::RecognitionRequest incomplete = SubmittedRequest(At(2025, 1, 1));
  ASSERT_TRUE(RecordInformationRequest(incomplete, "x", {.now = At(2025, 1, 2)}).ok());
  add("ulb/incomplete", incomplete);
  v1::RecognitionRequest decided = SubmittedRequest(At(2025, 1, 1));
  ASSERT_TRUE(RecordDecision(decided, FullDecision(), true, {.now = At(2025, 1, 1)}).ok());
  add("ulb/decided", decided);
  // Exactly at the deadline counts as overdue.
  add("ulb/just-due", SubmittedRequest(At(2025, 3, 1)));
  requests.back().set_decision_due_at_ms(absl::ToUnixMillis(now));

  const std::vector<OverdueRequest> overdue = ListOverdue(requests, now);
  ASSERT_EQ(overdue.size(), 3u);
  EXPECT_EQ(overdue[0].request_id, "ulb/later-review");
  EXPECT_EQ(overdue[0].state, v1::REQUEST_STATE_UNDER_REVIEW);
  EXPECT_EQ(overdue[0].due_at, At(2025, 5, 11, 0));
  EXPECT_EQ(overdue[0].late_by, now - At(2025, 5, 11, 0));
  EXPECT_EQ(overdue[1].request_id, "ulb/late-received");
  EXPECT_EQ(overdue[2].request_id, "ulb/just-due");
  EXPECT_EQ(overdue[2].late_by, absl::ZeroDuration());
}

}  // namespace
}  // namespace microcred::recognition
