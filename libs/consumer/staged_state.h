// StagedState: a StateStore view that holds writes back until Flush(), so that a projector can
// apply many events in one atomic commit while each event still reads the writes of the events
// staged before it. It also remembers what it read from the base store, and can Prefetch a
// batch's keys in one round trip: its owner is the only writer of those keys while it lives.
#ifndef MICROCRED_LIBS_CONSUMER_STAGED_STATE_H_
#define MICROCRED_LIBS_CONSUMER_STAGED_STATE_H_

#include <map>
#include <optional>
#include <string>

#include "libs/ports/state_store.h"

namespace microcred {

class StagedState : public StateStore {
 public:
  explicit StagedState(StateStore& base) : base_(base) {}

  // Staged writes first, then what was read before, then the base store.
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override;
  absl::StatusOr<std::vector<std::optional<std::string>>> GetMany(
      const std::vector<std::string>& keys) override;
  // Reads `keys` from the base store in one GetMany and keeps them.
  absl::Status Prefetch(const std::vector<std::string>& keys);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string& prefix) override;
  // Stages `batch` (it becomes visible to Get and ScanPrefix at once).
  absl::Status Commit(const WriteBatch& batch) override;

  // Commits everything staged to the base store in one batch, and forgets it.
  absl::Status Flush();
  bool empty() const { return staged_.empty(); }

 private:
  StateStore& base_;
  std::map<std::string, std::optional<std::string>> staged_;  // nullopt = deleted
  std::map<std::string, std::optional<std::string>> read_;    // from the base store
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_CONSUMER_STAGED_STATE_H_
