// MemoryStateStore: a StateStore held in process memory (tests, the embedded single node).
//
// An ordered map under one mutex: a WriteBatch is applied while holding it, so readers see all of
// a batch or none of it. Nothing survives the process.
#ifndef MICROCRED_LIBS_ADAPTERS_MEMORY_MEMORY_STATE_STORE_H_
#define MICROCRED_LIBS_ADAPTERS_MEMORY_MEMORY_STATE_STORE_H_

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "libs/ports/state_store.h"

namespace microcred {

class MemoryStateStore final : public StateStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override;
  absl::Status Commit(const WriteBatch& batch) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string& prefix) override;
  // Nothing to do: the store writes no files.
  absl::Status Scrub() override { return absl::OkStatus(); }

  // The number of keys.
  size_t size() const;
  // A consistent copy of every key and value, e.g. for tests comparing two nodes' state.
  std::map<std::string, std::string> Snapshot() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> entries_;  // std::string compares as unsigned bytes
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_ADAPTERS_MEMORY_MEMORY_STATE_STORE_H_
