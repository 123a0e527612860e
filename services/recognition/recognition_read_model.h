// RecognitionReadModel: every institution's recognition events as this node has applied them
// from the log: the published policies (every version checked again) and the decisions (the
// latest per request, by presented credential's tag and by learner pseudonym).
//
// Every process of a node that reads recognition runs one: the recognition service decides from
// its institution's policies and answers the public policy queries from it; stacking asks it
// whether its institution recognised a credential, and for how many ECTS. Start() loads it from
// the store (or rebuilds it from the log when the store is empty) and returns once it has caught
// up. A decision names its credentials by the deciding institution's tags
// (privacy::CredentialTag), which this node computes for its own institution only: it finds its
// own decisions on a credential, also after a rebuild, and nobody else's.
//
// Thread-safe.
#ifndef MICROCRED_SERVICES_RECOGNITION_RECOGNITION_READ_MODEL_H_
#define MICROCRED_SERVICES_RECOGNITION_RECOGNITION_READ_MODEL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/command/service_context.h"
#include "libs/consumer/projector.h"
#include "microcred/recognition/v1/recognition.pb.h"
#include "services/recognition/recognition_projection.h"
#include "services/recognition/recognition_state.h"

namespace microcred::recognition {

class RecognitionReadModel {
 public:
  // `pseudonym_secret`: the institution's (32 bytes), which keys its credential tags as its
  // learners' pseudonyms (InvalidArgument otherwise).
  static absl::StatusOr<std::unique_ptr<RecognitionReadModel>> Start(ServiceContext context,
                                                                     std::string pseudonym_secret);

  // This node's institution's decisions (the latest per request: an appeal's replaces the
  // first) on requests that presented `credential_id`: by its tag, and by id for decisions
  // taken before events carried tags. Other institutions' decisions on a credential are not
  // knowable here (their events name it by tags only they can compute).
  absl::StatusOr<std::vector<v1::RecognitionDecided>> FindDecisionsForCredential(
      const std::string& credential_id) const;
  // Every decision (the latest per request) of the learner `learner_pseudonym` (a pseudonym is
  // the deciding institution's own), and the latest decision on a request, if any.
  absl::StatusOr<std::vector<v1::RecognitionDecided>> FindDecisionsForLearner(
      const std::string& learner_pseudonym) const;
  absl::StatusOr<std::optional<v1::RecognitionDecided>> FindDecision(
      const std::string& request_id) const;
  // The tag under which this node's institution names `credential_id` on its events.
  absl::StatusOr<std::string> CredentialTag(const std::string& credential_id) const;

  // Public: an institution's published policies (this node's when the request names none), in
  // rank order, the retired ones only when asked.
  absl::StatusOr<v1::ListPoliciesResponse> ListPolicies(
      const v1::ListPoliciesRequest& request) const;
  // The latest version of a policy; NOT_FOUND naming policy_id when it was never published.
  absl::StatusOr<v1::RecognitionPolicy> StoredPolicy(const std::string& policy_id) const;
  // The same, std::nullopt when unknown.
  absl::StatusOr<std::optional<v1::RecognitionPolicy>> FindPolicy(
      const std::string& policy_id) const;
  // One institution's policies (retired included), in no particular order.
  absl::StatusOr<std::vector<v1::RecognitionPolicy>> PoliciesOf(
      const std::string& institution) const;
  // Grows each time a policy is applied: what a cache of the policies compares.
  uint64_t policy_generation() const { return projection_.policy_generation(); }

  Projector& projector() { return *projector_; }
  const Projector& projector() const { return *projector_; }

 private:
  RecognitionReadModel(ServiceContext context, std::string pseudonym_secret);

  ServiceContext context_;
  const std::string pseudonym_secret_;
  RecognitionState state_;
  RecognitionProjection projection_;
  std::unique_ptr<Projector> projector_;
};

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_RECOGNITION_READ_MODEL_H_
