// Where the recognition service keeps its state in the StateStore, and typed access to it.
//
// At every node, from the recognition events of every institution (rebuildable from the log):
//   recognition/policy/<policy id>                    RecognitionPolicy (ids are "<inst>/<local>")
//   recognition/decided/<request id>                  the request's latest RecognitionDecided
//   recognition/by-tag/<credential tag>/<request id>  the same, by presented credential's tag
//                                                     (privacy::CredentialTag: only the deciding
//                                                     institution can compute it from the id)
//   recognition/by-learner/<pseudonym>/<request id>   the same, by learner pseudonym
//   recognition/by-credential/<credential id>/<request id>   the same, by presented credential
//                                                     id: only this node's own decisions taken
//                                                     before events carried tags (their events
//                                                     carry the ids; see RecognitionProjection)
//   recognition/command/<inst>/<client request id>    CommandRecord of a policy command (kept by
//                                                     the projector: Effects::command)
// At the receiving node only (its requests; personal parts sealed under the learner's key; NOT
// rebuildable from the shared log by design, so backed up like any system of record):
//   recognition/request/<request id>                  RequestRecord
// and, written by the command path (libs/command/command_path.h) at the node that ran them:
//   recognition/command/<inst>/<client request id>    CommandRecord of a request command
//   recognition/outbox/<event id>                     OutboxEntry: an event not yet applied here
#ifndef MICROCRED_SERVICES_RECOGNITION_RECOGNITION_STATE_H_
#define MICROCRED_SERVICES_RECOGNITION_RECOGNITION_STATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/ports/state_store.h"
#include "microcred/recognition/v1/recognition.pb.h"
#include "microcred/recognition/v1/recognition_records.pb.h"

namespace microcred::recognition {

inline constexpr char kStatePrefix[] = "recognition";

class RecognitionState {
 public:
  explicit RecognitionState(StateStore& store) : store_(store) {}

  absl::StatusOr<std::optional<v1::RequestRecord>> Request(const std::string& request_id) const;
  // Every request received at this node, by request id.
  absl::StatusOr<std::vector<v1::RequestRecord>> AllRequests() const;
  absl::StatusOr<std::optional<v1::RecognitionPolicy>> Policy(const std::string& policy_id) const;
  // One institution's policies (retired included), in no particular order.
  absl::StatusOr<std::vector<v1::RecognitionPolicy>> PoliciesOf(
      const std::string& institution) const;
  absl::StatusOr<std::optional<v1::RecognitionDecided>> Decided(
      const std::string& request_id) const;
  absl::StatusOr<std::vector<v1::RecognitionDecided>> DecisionsForCredentialTag(
      const std::string& credential_tag) const;
  // Under by-credential: decisions indexed by id (see above).
  absl::StatusOr<std::vector<v1::RecognitionDecided>> DecisionsForCredentialId(
      const std::string& credential_id) const;
  absl::StatusOr<std::vector<v1::RecognitionDecided>> DecisionsForLearner(
      const std::string& pseudonym) const;

  static std::string RequestKey(const std::string& request_id);
  static std::string PolicyKey(const std::string& policy_id);
  static std::string DecidedKey(const std::string& request_id);

  static void PutRequest(const v1::RequestRecord& record, WriteBatch& writes);
  static void PutPolicy(const v1::RecognitionPolicy& policy, WriteBatch& writes);
  // The decision under its request, and in the indexes by credential tag and by learner;
  // by credential id too for each of `legacy_credential_ids` (an own decision taken before
  // events carried tags).
  static void PutDecided(const v1::RecognitionDecided& decided,
                         const std::vector<std::string>& legacy_credential_ids, WriteBatch& writes);

 private:
  absl::StatusOr<std::vector<v1::RecognitionDecided>> DecisionsUnder(
      const std::string& prefix) const;

  StateStore& store_;
};

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_RECOGNITION_STATE_H_
