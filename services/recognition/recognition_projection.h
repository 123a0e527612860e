// The recognition projection: what every node knows of every institution's recognition events.
//   RecognitionPolicyPublished  the institution's policies, every version checked again; the
//                               publishing command's record (Effects::command, kind "policy")
//   RecognitionDecided          the decisions, by request, by presented credential and by
//                               learner pseudonym (what stacking asks: "was this credential
//                               recognised, and for how many ECTS?")
// The rules an event must satisfy are the same for the service before it appends and for every
// node that consumes the event (Check* below), so a replay decides as the first application did.
#ifndef MICROCRED_SERVICES_RECOGNITION_RECOGNITION_PROJECTION_H_
#define MICROCRED_SERVICES_RECOGNITION_RECOGNITION_PROJECTION_H_

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "libs/consumer/projector.h"
#include "microcred/recognition/v1/recognition.pb.h"

namespace microcred::recognition {

// A policy `source` publishes: the event repeats the policy's id, version and title; the policy
// is valid (ValidatePolicy); its version follows `current`'s (1 when new: FAILED_PRECONDITION
// otherwise); no other active policy of `source` has its rank (FAILED_PRECONDITION).
absl::Status CheckPolicyPublished(const v1::RecognitionPolicyPublished& event,
                                  const std::string& source,
                                  const std::optional<v1::RecognitionPolicy>& current,
                                  const std::vector<v1::RecognitionPolicy>& policies_of_source);

// A decision `source` took: on its own request ("<source>/..."), with an outcome, credentials for
// a CREDENTIALS request; a first decision once (ALREADY_EXISTS), an appeal's decision only after a
// first decision and once.
absl::Status CheckRecognitionDecided(const v1::RecognitionDecided& event, const std::string& source,
                                     const std::optional<v1::RecognitionDecided>& current);

class RecognitionProjection : public Projection {
 public:
  std::string name() const override;
  std::vector<std::string> topics() const override;
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override;
  std::vector<std::string> KeysToPrefetch(const events::v1::EnvelopeBody& body) const override;

  // Grows each time a policy is applied: the service rebuilds its policy index when it changed.
  uint64_t policy_generation() const { return policy_generation_.load(); }

 private:
  absl::Status ApplyPolicy(const VerifiedEvent& event, StateStore& state, Effects& effects);
  absl::Status ApplyDecided(const VerifiedEvent& event, StateStore& state, Effects& effects);

  std::atomic<uint64_t> policy_generation_{1};
};

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_RECOGNITION_PROJECTION_H_
