// Where the stacking service keeps its state in the StateStore, and typed access to it.
//
// At every node, from the stacking events of every institution (rebuildable from the log):
//   stacking/pathway/<pathway id>/<version, 10 digits>  Pathway, every version
//   stacking/latest/<pathway id>                        Pathway, the latest version
//   stacking/conferred/<pathway id>/<conferred id>      StackConferred
// and, through the command path (libs/command/command_path.h):
//   stacking/command/<inst>/<client request id>         events::v1::CommandRecord: a
//                                                       publication (kept by the projection at
//                                                       every node, Effects::command) or, at the
//                                                       receiving node, a conferral (committed
//                                                       by the service with its outbox entry;
//                                                       answer: the ConferResponse)
//   stacking/outbox/<event id>                          a StackConferred committed, not yet
//                                                       applied here
#ifndef MICROCRED_SERVICES_STACKING_STACKING_STATE_H_
#define MICROCRED_SERVICES_STACKING_STACKING_STATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/ports/state_store.h"
#include "microcred/stacking/v1/stacking.pb.h"

namespace microcred::stacking {

inline constexpr char kStatePrefix[] = "stacking";

class StackingState {
 public:
  explicit StackingState(StateStore& store) : store_(store) {}

  // version 0: the latest.
  absl::StatusOr<std::optional<v1::Pathway>> Pathway(const std::string& pathway_id,
                                                     uint32_t version) const;
  // The latest version of every pathway (of `owner` when not empty), by pathway id.
  absl::StatusOr<std::vector<v1::Pathway>> LatestPathways(const std::string& owner) const;
  absl::StatusOr<std::vector<v1::StackConferred>> Conferrals(const std::string& pathway_id) const;

  static std::string LatestKey(const std::string& pathway_id);

  static void PutPathway(const v1::Pathway& pathway, WriteBatch& writes);
  static void PutConferred(const v1::StackConferred& conferred, WriteBatch& writes);

 private:
  StateStore& store_;
};

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_STACKING_STATE_H_
