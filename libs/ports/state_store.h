// StateStore: the port to a service's keyed state (its read models, its dedup tables, the
// offsets its consumers have applied).
//
// Keys and values are byte strings. A WriteBatch is applied atomically: after a crash either all
// of it is visible or none of it, and concurrent readers never see half of it.
//
// Adapters: in-memory (tests), a journaled file (embedded) and Redis (production). All pass the
// contract suite in libs/ports/testing/state_store_contract.h.
//
// Thread safety: every method may be called from any thread.
#ifndef MICROCRED_LIBS_PORTS_STATE_STORE_H_
#define MICROCRED_LIBS_PORTS_STATE_STORE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace microcred {

class WriteBatch {
 public:
  struct Op {
    enum class Kind { kPut, kDelete };
    Kind kind;
    std::string key;
    std::string value;  // empty for kDelete
  };

  void Put(std::string key, std::string value) {
    ops_.push_back({Op::Kind::kPut, std::move(key), std::move(value)});
  }
  void Delete(std::string key) { ops_.push_back({Op::Kind::kDelete, std::move(key), {}}); }
  const std::vector<Op>& ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }

 private:
  std::vector<Op> ops_;  // applied in order: a later op on the same key wins
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  // std::nullopt when the key is absent.
  virtual absl::StatusOr<std::optional<std::string>> Get(const std::string& key) = 0;

  // The values of `keys`, in order (std::nullopt for an absent key), in as few round trips as
  // the adapter can. The default asks Get for each key.
  virtual absl::StatusOr<std::vector<std::optional<std::string>>> GetMany(
      const std::vector<std::string>& keys) {
    std::vector<std::optional<std::string>> values;
    values.reserve(keys.size());
    for (const std::string& key : keys) {
      auto value = Get(key);
      if (!value.ok()) return value.status();
      values.push_back(*std::move(value));
    }
    return values;
  }

  // Applies every op of `batch` atomically.
  virtual absl::Status Commit(const WriteBatch& batch) = 0;

  // Every key starting with `prefix`, with its value, in ascending byte order of keys.
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string& prefix) = 0;

  // Makes deletions final on disk: once it returns OK, no value deleted or overwritten before
  // the call remains readable in any file the store writes (its journal, its append-only file,
  // the snapshots it takes). Erasing a learner calls it after deleting their keys. It rewrites
  // the store's files, so it costs time in proportion to the live data: for erasure, not for
  // every commit. A store with no files of its own has nothing to do. The default refuses, so
  // that an adapter which has not thought about it never claims to have scrubbed.
  virtual absl::Status Scrub() {
    return absl::UnimplementedError("state store: Scrub is not implemented by this adapter");
  }
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_PORTS_STATE_STORE_H_
