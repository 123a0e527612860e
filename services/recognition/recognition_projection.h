// The recognition projection: what every node knows of every institution's recognition events.
//   RecognitionPolicyPublished  the institution's policies, every version checked again; the
//                               publishing command's record (Effects::command, kind "policy")
//   RecognitionDecided          the decisions, by request, by presented credential's tag and
//                               by learner pseudonym (what stacking asks the deciding node:
//                               "did we recognise this credential, and for how many ECTS?")
// An event written before RecognitionDecided carried tags names the credentials by id (the
// removed field 3): it is applied as it was, counted from its ids, and stored without them; the
// ids are indexed (by-credential) only for this node's own decisions, which it can look up by id
// and which link nothing it did not know.
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
// a CREDENTIALS request (credential_count, one tag each; or, written before tags, the ids of the
// removed field 3), one tag per credential; a first decision once (ALREADY_EXISTS), an appeal's
// decision only after a first decision and once.
absl::Status CheckRecognitionDecided(const v1::RecognitionDecided& event, const std::string& source,
                                     const std::optional<v1::RecognitionDecided>& current);

// The credential ids of an event written before RecognitionDecided carried tags (empty for
// one written since).
std::vector<std::string> LegacyCredentialIds(const v1::RecognitionDecided& event);

class RecognitionProjection : public Projection {
 public:
  // `institution_id`: this node's (its own legacy decisions are indexed by credential id).
  explicit RecognitionProjection(std::string institution_id)
      : institution_id_(std::move(institution_id)) {}

  std::string name() const override;
  std::vector<std::string> topics() const override;
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override;
  std::vector<std::string> KeysToPrefetch(const events::v1::EnvelopeBody& body) const override;

  // Grows each time a policy is applied: the service rebuilds its policy index when it changed.
  uint64_t policy_generation() const { return policy_generation_.load(); }

 private:
  absl::Status ApplyPolicy(const VerifiedEvent& event, StateStore& state, Effects& effects);
  absl::Status ApplyDecided(const VerifiedEvent& event, StateStore& state, Effects& effects);

  const std::string institution_id_;
  std::atomic<uint64_t> policy_generation_{1};
};

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_RECOGNITION_PROJECTION_H_
