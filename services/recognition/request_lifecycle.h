// The lifecycle of a recognition request, as a pure state machine with its decision clock.
//
//   (new) --SUBMIT--> RECEIVED --START_REVIEW--> UNDER_REVIEW --DECIDE--> DECIDED
//   RECEIVED --DECIDE_AUTOMATICALLY--> DECIDED          (a policy matched at submission)
//   RECEIVED | UNDER_REVIEW --REQUEST_INFORMATION--> INCOMPLETE --PROVIDE_INFORMATION--> RECEIVED
//   DECIDED --APPEAL--> APPEALED --DECIDE_APPEAL--> APPEAL_DECIDED
//   RECEIVED | INCOMPLETE | UNDER_REVIEW --WITHDRAW--> WITHDRAWN
// Every other transition is refused with FAILED_PRECONDITION naming the current state and the
// attempted action. DECIDED is final unless appealed; APPEAL_DECIDED and WITHDRAWN are final.
//
// The decision clock (Lisbon: "within a reasonable time specified beforehand ... calculated from
// the time all necessary information has been provided"):
//  - a file is presumed complete when it is received: the burden of showing it is not lies
//    with the receiving institution, so the clock starts at submission;
//  - information requested while RECEIVED (the first check of the file) means the file was never
//    complete: the clock stops, and starts again from zero when the information is provided;
//  - information requested during the review pauses the clock: the time already spent stays
//    spent, and the remaining time runs again when the information is provided (so a late
//    request for information never buys the institution time);
//  - the deadline is the end of the day (in the institution's time zone), `decision_months`
//    calendar months after the day the clock started (clamped to the month's last day: 31 Oct
//    + 4 months is 28 or 29 Feb);
//  - an appeal must be decided `appeal_decision_months` after it was lodged, same rule.
// A request is overdue when its clock runs (RECEIVED, UNDER_REVIEW, APPEALED) past its deadline;
// an INCOMPLETE request is never overdue.
//
// The Record* functions check the transition first and change nothing when it is refused. They
// record state, clock and history only; whether a decision or an appeal is acceptable is
// decision_rules.h's business, checked before. Pure; thread-compatible.
#ifndef MICROCRED_SERVICES_RECOGNITION_REQUEST_LIFECYCLE_H_
#define MICROCRED_SERVICES_RECOGNITION_REQUEST_LIFECYCLE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "microcred/recognition/v1/recognition.pb.h"

namespace microcred::recognition {

enum class Action {
  kSubmit,
  kRequestInformation,
  kProvideInformation,
  kStartReview,
  kDecide,
  kDecideAutomatically,
  kAppeal,
  kDecideAppeal,
  kWithdraw,
};

inline constexpr Action kAllActions[] = {
    Action::kSubmit,
    Action::kRequestInformation,
    Action::kProvideInformation,
    Action::kStartReview,
    Action::kDecide,
    Action::kDecideAutomatically,
    Action::kAppeal,
    Action::kDecideAppeal,
    Action::kWithdraw,
};

// "REQUEST_INFORMATION", as recorded in the history.
std::string_view ActionName(Action action);
// "UNDER_REVIEW": the enum value's name without its prefix.
std::string StateName(v1::RequestState state);

// The state `action` leads to from `current` (UNSPECIFIED is a request not yet submitted), or
// FAILED_PRECONDITION: "state: the request is DECIDED; REQUEST_INFORMATION is allowed only
// when it is RECEIVED or UNDER_REVIEW".
absl::StatusOr<v1::RequestState> NextState(v1::RequestState current, Action action);

// The default periods: four months to decide, 30 days to appeal, two months to decide an appeal.
v1::DeadlineSettings DefaultDeadlineSettings();
// Zero fields take their default.
v1::DeadlineSettings EffectiveDeadlineSettings(const v1::DeadlineSettings& settings);
// decision_months and appeal_decision_months 1 to 12, appeal_lodging_days 1 to 365 (after
// defaults are applied). INVALID_ARGUMENT naming the field.
absl::Status ValidateDeadlineSettings(const v1::DeadlineSettings& settings);

// `day` plus `months` calendar months, clamped to the last day of the resulting month.
absl::CivilDay AddMonthsClamped(absl::CivilDay day, int months);
// The first instant after the day that comes `months` months after `start`'s day in `zone`.
absl::Time DeadlineAfterMonths(absl::Time start, int months, absl::TimeZone zone);
// The last day an appeal may be lodged against a decision taken on `decided_on`.
absl::CivilDay AppealDeadline(absl::CivilDay decided_on, const v1::DeadlineSettings& settings);

// Who acts and when. The zone is the receiving institution's (days and deadlines are its days).
struct ActionContext {
  std::string actor;  // token subject, or "policy:<id>" for an automatic decision
  absl::Time now;
  absl::TimeZone zone = absl::UTCTimeZone();
};

// A new request (state UNSPECIFIED) becomes RECEIVED; the settings in force are kept with it and
// its clock starts.
absl::Status RecordSubmission(v1::RecognitionRequest& request, const v1::DeadlineSettings& settings,
                              const ActionContext& ctx);
absl::Status RecordInformationRequest(v1::RecognitionRequest& request, std::string_view what,
                                      const ActionContext& ctx);
absl::Status RecordInformationProvided(v1::RecognitionRequest& request, std::string_view note,
                                       const ActionContext& ctx);
absl::Status RecordReviewStarted(v1::RecognitionRequest& request, const ActionContext& ctx);
// `automatic`: a policy decided at submission (from RECEIVED); otherwise an officer or a jury
// decided after review. Stops the clock.
absl::Status RecordDecision(v1::RecognitionRequest& request, v1::RecognitionDecision decision,
                            bool automatic, const ActionContext& ctx);
// Starts the appeal clock.
absl::Status RecordAppeal(v1::RecognitionRequest& request, v1::Appeal appeal,
                          const ActionContext& ctx);
absl::Status RecordAppealDecision(v1::RecognitionRequest& request, v1::RecognitionDecision decision,
                                  const ActionContext& ctx);
absl::Status RecordWithdrawal(v1::RecognitionRequest& request, std::string_view reason,
                              const ActionContext& ctx);

// The deadline now running (decision or appeal), or absl::InfiniteFuture() when the clock is
// stopped.
absl::Time RunningDeadline(const v1::RecognitionRequest& request);
bool IsOverdue(const v1::RecognitionRequest& request, absl::Time now);

struct OverdueRequest {
  std::string request_id;
  v1::RequestState state;
  absl::Time due_at;
  absl::Duration late_by;
};

// The overdue requests among `requests`, the latest first (then by request id).
std::vector<OverdueRequest> ListOverdue(const std::vector<v1::RecognitionRequest>& requests,
                                        absl::Time now);

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_REQUEST_LIFECYCLE_H_
