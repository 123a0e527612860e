// StagedState: a StateStore view that holds writes back until Flush(), so that a projector can
// apply many events in one atomic commit while each event still reads the writes of the events
// staged before it.
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

  // Staged writes first, then the base store.
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override;
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
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_CONSUMER_STAGED_STATE_H_
