// The rules a recognition decision and an appeal must satisfy, as pure functions checked before
// anything is recorded (request_lifecycle.h records; these decide whether it may be).
//
// Lisbon puts the burden of proof on the receiving institution: recognition is the rule, and
// any outcome short of FULL (PARTIAL, CONDITIONAL, ALTERNATIVE, REFUSED) must show at least one
// substantial difference, and every substantial difference carries its justification. A
// decision states a finding on each of the five elements (level, workload, quality assurance,
// learning outcomes, profile), reason codes, the ECTS presented and recognised, the remedies
// open to the learner and, for a first decision, the appeal route and the last day to appeal
// (no earlier than the period the institution fixed in advance).
//
// Who decides: a first decision is taken by a policy (automatic), a `recognition_officer`
// (CREDENTIALS requests) or a jury whose members include the deciding `jury_member` (VAE). An
// appeal is decided by an `appeal_officer` who is neither the person who took the first
// decision nor a member of its jury.
//
// Who decides is checked first; then the content, reporting the first violation in field order.
// Errors name the field path ("decision.findings[2].justification: ..."): INVALID_ARGUMENT for
// content, PERMISSION_DENIED for the wrong person or role, FAILED_PRECONDITION for an appeal
// lodged after its deadline or against no decision.
#ifndef MICROCRED_SERVICES_RECOGNITION_DECISION_RULES_H_
#define MICROCRED_SERVICES_RECOGNITION_DECISION_RULES_H_

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "microcred/recognition/v1/recognition.pb.h"

namespace microcred::recognition {

inline constexpr double kMaxRecognitionEcts = 400;

// A first decision on `request` (a policy's, an officer's or a jury's).
absl::Status ValidateDecision(const v1::RecognitionDecision& decision,
                              const v1::RecognitionRequest& request);

// An appeal against `request`'s decision, lodged on `appeal.lodged_on()`: grounds are required,
// and the day must not be after the decision's appeal deadline.
absl::Status ValidateAppeal(const v1::Appeal& appeal, const v1::RecognitionRequest& request);

// The decision on `request`'s appeal: first who decides (PERMISSION_DENIED), then the content
// (as a first decision, except that the internal appeal is spent: no appeal route or deadline
// is needed, and REMEDY_INTERNAL_APPEAL may not be offered again).
absl::Status ValidateAppealDecision(const v1::RecognitionDecision& decision,
                                    const v1::RecognitionRequest& request);

// True when some finding is a substantial difference with a justification.
bool HasJustifiedSubstantialDifference(const v1::RecognitionDecision& decision);

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_DECISION_RULES_H_
