// Automatic recognition at submission, and the RecognitionDecided event of a decision.
//
// A CREDENTIALS request is decided automatically when every presented credential is authentic
// and matched by one of the receiving institution's policies (policy_matching.h: first match in
// rank order). The decision is FULL: the five elements are comparable as the matching policy
// declares, the recognised ECTS are those the policies credit, and the policy of the first
// credential is recorded as the deciding one (each credential's is listed in policy_matches).
// Anything else (a credential not authentic, one that no policy matches, a VAE request) goes
// to manual review, with the reason. A policy never refuses nor grants less than presented:
// that takes a person who justifies a substantial difference (decision_rules.h). Pure.
#ifndef MICROCRED_SERVICES_RECOGNITION_AUTOMATIC_DECISION_H_
#define MICROCRED_SERVICES_RECOGNITION_AUTOMATIC_DECISION_H_

#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "microcred/recognition/v1/recognition.pb.h"
#include "services/recognition/policy_matching.h"

namespace microcred::recognition {

struct AutomaticDecisionContext {
  std::string decision_reference;             // assigned by the service
  absl::CivilDay today;                       // the decision's date, in the institution's time zone
  absl::TimeZone zone = absl::UTCTimeZone();  // to read the submission day
  std::string appeal_route;                   // the institution's published appeal route
};

struct AutomaticOutcome {
  std::optional<v1::RecognitionDecision> decision;  // nullopt: manual review
  std::string manual_review_reason;                 // why, when there is no decision
};

AutomaticOutcome DecideAutomatically(const v1::RecognitionRequest& request,
                                     const PolicyIndex& policies,
                                     const AutomaticDecisionContext& ctx);

// The event for the request's decision (`on_appeal`: the appeal's decision): the learner's
// pseudonym and the decision's facts, no personal data (no JWS, no file, no free text), and the
// presented credentials as their number and `credential_tags` (the institution's tags of the
// request's credentials, in order: RecognitionCore::CredentialTags), never their ids.
v1::RecognitionDecided MakeRecognitionDecided(const v1::RecognitionRequest& request, bool on_appeal,
                                              std::vector<std::string> credential_tags);

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_AUTOMATIC_DECISION_H_
