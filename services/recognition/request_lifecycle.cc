#include "services/recognition/request_lifecycle.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_join.h"
#include "libs/base/strings.h"

namespace microcred::recognition {
namespace {

using strings::Cat;
using v1::RecognitionRequest;
using v1::RequestState;

constexpr uint32_t kDefaultDecisionMonths = 4;
constexpr uint32_t kDefaultAppealLodgingDays = 30;
constexpr uint32_t kDefaultAppealDecisionMonths = 2;

// The states from which an action is allowed (at most three), and where it leads.
struct Transition {
  std::array<RequestState, 3> from;
  size_t from_count;
  RequestState to;

  bool AllowsFrom(RequestState state) const {
    return std::find(from.begin(), from.begin() + from_count, state) != from.begin() + from_count;
  }
};

Transition TransitionOf(Action action) {
  switch (action) {
    case Action::kSubmit:
      return {{v1::REQUEST_STATE_UNSPECIFIED}, 1, v1::REQUEST_STATE_RECEIVED};
    case Action::kRequestInformation:
      return {{v1::REQUEST_STATE_RECEIVED, v1::REQUEST_STATE_UNDER_REVIEW},
              2,
              v1::REQUEST_STATE_INCOMPLETE};
    case Action::kProvideInformation:
      return {{v1::REQUEST_STATE_INCOMPLETE}, 1, v1::REQUEST_STATE_RECEIVED};
    case Action::kStartReview:
      return {{v1::REQUEST_STATE_RECEIVED}, 1, v1::REQUEST_STATE_UNDER_REVIEW};
    case Action::kDecide:
      return {{v1::REQUEST_STATE_UNDER_REVIEW}, 1, v1::REQUEST_STATE_DECIDED};
    case Action::kDecideAutomatically:
      return {{v1::REQUEST_STATE_RECEIVED}, 1, v1::REQUEST_STATE_DECIDED};
    case Action::kAppeal:
      return {{v1::REQUEST_STATE_DECIDED}, 1, v1::REQUEST_STATE_APPEALED};
    case Action::kDecideAppeal:
      return {{v1::REQUEST_STATE_APPEALED}, 1, v1::REQUEST_STATE_APPEAL_DECIDED};
    case Action::kWithdraw:
      return {{v1::REQUEST_STATE_RECEIVED, v1::REQUEST_STATE_INCOMPLETE,
               v1::REQUEST_STATE_UNDER_REVIEW},
              3,
              v1::REQUEST_STATE_WITHDRAWN};
  }
  return {{}, 0, v1::REQUEST_STATE_UNSPECIFIED};
}

std::string DescribeState(RequestState state) {
  return state == v1::REQUEST_STATE_UNSPECIFIED ? "not submitted" : StateName(state);
}

int64_t Millis(absl::Time t) { return absl::ToUnixMillis(t); }
absl::Time FromMillis(int64_t ms) { return absl::FromUnixMillis(ms); }

// Checks `action` against the request's state and appends it to the history. Every Record*
// function starts here, so a refused action changes nothing.
absl::Status Transit(RecognitionRequest& request, Action action, const ActionContext& ctx) {
  absl::StatusOr<RequestState> next = NextState(request.state(), action);
  if (!next.ok()) return next.status();
  v1::StateChange& change = *request.add_history();
  change.set_from(request.state());
  change.set_to(*next);
  change.set_action(std::string(ActionName(action)));
  change.set_actor(ctx.actor);
  change.set_at_ms(Millis(ctx.now));
  request.set_state(*next);
  return absl::OkStatus();
}

// Starts the decision clock from zero: the file is complete now.
void StartClock(RecognitionRequest& request, const ActionContext& ctx) {
  request.set_completed_at_ms(Millis(ctx.now));
  request.set_decision_due_at_ms(Millis(DeadlineAfterMonths(
      ctx.now, static_cast<int>(EffectiveDeadlineSettings(request.deadlines()).decision_months()),
      ctx.zone)));
  request.set_paused_remaining_ms(0);
}

void StopClock(RecognitionRequest& request) {
  request.set_decision_due_at_ms(0);
  request.set_paused_remaining_ms(0);
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kSubmit:
      return "SUBMIT";
    case Action::kRequestInformation:
      return "REQUEST_INFORMATION";
    case Action::kProvideInformation:
      return "PROVIDE_INFORMATION";
    case Action::kStartReview:
      return "START_REVIEW";
    case Action::kDecide:
      return "DECIDE";
    case Action::kDecideAutomatically:
      return "DECIDE_AUTOMATICALLY";
    case Action::kAppeal:
      return "APPEAL";
    case Action::kDecideAppeal:
      return "DECIDE_APPEAL";
    case Action::kWithdraw:
      return "WITHDRAW";
  }
  return "UNKNOWN";
}

std::string StateName(RequestState state) {
  std::string name = v1::RequestState_Name(state);
  constexpr std::string_view kPrefix = "REQUEST_STATE_";
  if (name.rfind(kPrefix, 0) == 0) name.erase(0, kPrefix.size());
  return name.empty() ? Cat("state ", static_cast<int>(state)) : name;
}

absl::StatusOr<RequestState> NextState(RequestState current, Action action) {
  const Transition transition = TransitionOf(action);
  if (transition.AllowsFrom(current)) return transition.to;
  std::vector<std::string> allowed;
  for (size_t i = 0; i < transition.from_count; ++i) {
    allowed.push_back(DescribeState(transition.from[i]));
  }
  return absl::FailedPreconditionError(Cat("state: the request is ", DescribeState(current), "; ",
                                           ActionName(action), " is allowed only when it is ",
                                           absl::StrJoin(allowed, " or ")));
}

v1::DeadlineSettings DefaultDeadlineSettings() {
  v1::DeadlineSettings settings;
  settings.set_decision_months(kDefaultDecisionMonths);
  settings.set_appeal_lodging_days(kDefaultAppealLodgingDays);
  settings.set_appeal_decision_months(kDefaultAppealDecisionMonths);
  return settings;
}

v1::DeadlineSettings EffectiveDeadlineSettings(const v1::DeadlineSettings& settings) {
  v1::DeadlineSettings effective = DefaultDeadlineSettings();
  if (settings.decision_months() != 0) effective.set_decision_months(settings.decision_months());
  if (settings.appeal_lodging_days() != 0) {
    effective.set_appeal_lodging_days(settings.appeal_lodging_days());
  }
  if (settings.appeal_decision_months() != 0) {
    effective.set_appeal_decision_months(settings.appeal_decision_months());
  }
  return effective;
}

absl::Status ValidateDeadlineSettings(const v1::DeadlineSettings& settings) {
  const v1::DeadlineSettings s = EffectiveDeadlineSettings(settings);
  if (s.decision_months() > 12) {
    return absl::InvalidArgumentError("deadlines.decision_months: must be 1 to 12");
  }
  if (s.appeal_lodging_days() > 365) {
    return absl::InvalidArgumentError("deadlines.appeal_lodging_days: must be 1 to 365");
  }
  if (s.appeal_decision_months() > 12) {
    return absl::InvalidArgumentError("deadlines.appeal_decision_months: must be 1 to 12");
  }
  return absl::OkStatus();
}

absl::CivilDay AddMonthsClamped(absl::CivilDay day, int months) {
  const absl::CivilMonth month = absl::CivilMonth(day) + months;
  const absl::CivilDay last_day_of_month = absl::CivilDay(month + 1) - 1;
  return std::min(absl::CivilDay(month.year(), month.month(), day.day()), last_day_of_month);
}

absl::Time DeadlineAfterMonths(absl::Time start, int months, absl::TimeZone zone) {
  const absl::CivilDay due_day = AddMonthsClamped(absl::ToCivilDay(start, zone), months);
  return absl::FromCivil(due_day + 1, zone);
}

absl::CivilDay AppealDeadline(absl::CivilDay decided_on, const v1::DeadlineSettings& settings) {
  return decided_on + EffectiveDeadlineSettings(settings).appeal_lodging_days();
}

absl::Status RecordSubmission(RecognitionRequest& request, const v1::DeadlineSettings& settings,
                              const ActionContext& ctx) {
  if (auto s = ValidateDeadlineSettings(settings); !s.ok()) return s;
  if (auto s = Transit(request, Action::kSubmit, ctx); !s.ok()) return s;
  *request.mutable_deadlines() = EffectiveDeadlineSettings(settings);
  request.set_received_at_ms(Millis(ctx.now));
  StartClock(request, ctx);
  return absl::OkStatus();
}

absl::Status RecordInformationRequest(RecognitionRequest& request, std::string_view what,
                                      const ActionContext& ctx) {
  const RequestState requested_in = request.state();
  if (auto s = Transit(request, Action::kRequestInformation, ctx); !s.ok()) return s;
  v1::InformationRequest& info = *request.add_information_requests();
  info.set_requested_by(ctx.actor);
  info.set_requested_at_ms(Millis(ctx.now));
  info.set_what(std::string(what));
  info.set_requested_in_state(requested_in);
  if (requested_in == v1::REQUEST_STATE_UNDER_REVIEW) {
    // Paused: what is left is kept, never less than nothing (an overdue request stays overdue).
    const absl::Duration left =
        std::max(absl::ZeroDuration(), FromMillis(request.decision_due_at_ms()) - ctx.now);
    request.set_decision_due_at_ms(0);
    request.set_paused_remaining_ms(absl::ToInt64Milliseconds(left));
  } else {
    request.set_completed_at_ms(0);
    StopClock(request);
  }
  return absl::OkStatus();
}

absl::Status RecordInformationProvided(RecognitionRequest& request, std::string_view note,
                                       const ActionContext& ctx) {
  if (auto s = Transit(request, Action::kProvideInformation, ctx); !s.ok()) return s;
  // INCOMPLETE is only reached through RecordInformationRequest, so the last one is open.
  v1::InformationRequest& info =
      *request.mutable_information_requests(request.information_requests_size() - 1);
  info.set_provided_at_ms(Millis(ctx.now));
  info.set_provided_note(std::string(note));
  if (info.requested_in_state() == v1::REQUEST_STATE_UNDER_REVIEW) {
    request.set_decision_due_at_ms(
        Millis(ctx.now + absl::Milliseconds(request.paused_remaining_ms())));
    request.set_paused_remaining_ms(0);
  } else {
    StartClock(request, ctx);
  }
  return absl::OkStatus();
}

absl::Status RecordReviewStarted(RecognitionRequest& request, const ActionContext& ctx) {
  return Transit(request, Action::kStartReview, ctx);
}

absl::Status RecordDecision(RecognitionRequest& request, v1::RecognitionDecision decision,
                            bool automatic, const ActionContext& ctx) {
  const Action action = automatic ? Action::kDecideAutomatically : Action::kDecide;
  if (auto s = Transit(request, action, ctx); !s.ok()) return s;
  decision.set_decided_at_ms(Millis(ctx.now));
  *request.mutable_decision() = std::move(decision);
  StopClock(request);
  return absl::OkStatus();
}

absl::Status RecordAppeal(RecognitionRequest& request, v1::Appeal appeal,
                          const ActionContext& ctx) {
  if (auto s = Transit(request, Action::kAppeal, ctx); !s.ok()) return s;
  appeal.set_lodged_by(ctx.actor);
  appeal.set_lodged_at_ms(Millis(ctx.now));
  appeal.set_decision_due_at_ms(Millis(DeadlineAfterMonths(
      ctx.now,
      static_cast<int>(EffectiveDeadlineSettings(request.deadlines()).appeal_decision_months()),
      ctx.zone)));
  appeal.clear_decision();
  *request.mutable_appeal() = std::move(appeal);
  return absl::OkStatus();
}

absl::Status RecordAppealDecision(RecognitionRequest& request, v1::RecognitionDecision decision,
                                  const ActionContext& ctx) {
  if (auto s = Transit(request, Action::kDecideAppeal, ctx); !s.ok()) return s;
  decision.set_decided_at_ms(Millis(ctx.now));
  *request.mutable_appeal()->mutable_decision() = std::move(decision);
  return absl::OkStatus();
}

absl::Status RecordWithdrawal(RecognitionRequest& request, std::string_view reason,
                              const ActionContext& ctx) {
  if (auto s = Transit(request, Action::kWithdraw, ctx); !s.ok()) return s;
  request.set_withdrawal_reason(std::string(reason));
  StopClock(request);
  return absl::OkStatus();
}

absl::Time RunningDeadline(const RecognitionRequest& request) {
  switch (request.state()) {
    case v1::REQUEST_STATE_RECEIVED:
    case v1::REQUEST_STATE_UNDER_REVIEW:
      if (request.decision_due_at_ms() != 0) return FromMillis(request.decision_due_at_ms());
      return absl::InfiniteFuture();
    case v1::REQUEST_STATE_APPEALED:
      if (request.appeal().decision_due_at_ms() != 0) {
        return FromMillis(request.appeal().decision_due_at_ms());
      }
      return absl::InfiniteFuture();
    default:
      return absl::InfiniteFuture();
  }
}

bool IsOverdue(const RecognitionRequest& request, absl::Time now) {
  return now >= RunningDeadline(request);
}

std::vector<OverdueRequest> ListOverdue(const std::vector<RecognitionRequest>& requests,
                                        absl::Time now) {
  std::vector<OverdueRequest> overdue;
  for (const RecognitionRequest& request : requests) {
    const absl::Time due = RunningDeadline(request);
    if (now < due) continue;
    overdue.push_back({request.request_id(), request.state(), due, now - due});
  }
  std::sort(overdue.begin(), overdue.end(), [](const OverdueRequest& a, const OverdueRequest& b) {
    if (a.late_by != b.late_by) return a.late_by > b.late_by;
    return a.request_id < b.request_id;
  });
  return overdue;
}

}  // namespace microcred::recognition
