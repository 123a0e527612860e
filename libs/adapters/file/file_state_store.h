// FileStateStore: the StateStore of an embedded node, kept in memory and made durable by a
// journal of committed batches in one file.
//
// The embedded node needs a durable store because part of its state cannot be rebuilt from
// the shared log: an issuing node's sealed personal records and learner keys are by design
// never on a shared topic. (Read models are still rebuilt from the log when the store is empty.)
//
// <dir>/state.journal holds one record per committed WriteBatch, in the file event log's
// checksummed record format; a batch returns once its record is fsync'd, and is applied
// atomically: a torn last record (a crash mid-append) is dropped and truncated at Open, so a
// batch is either wholly there or not at all. Open compacts the journal into one record of the
// live keys when it has grown to more than twice their size, and Scrub does at once (erasure:
// a deleted learner key must not stay readable in the journal). <dir>/LOCK keeps a second
// process out. Files are the owner's only (0600, directories 0700).
//
// Thread-safe; commits are serialised.
#ifndef MICROCRED_LIBS_ADAPTERS_FILE_FILE_STATE_STORE_H_
#define MICROCRED_LIBS_ADAPTERS_FILE_FILE_STATE_STORE_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "libs/adapters/file/posix_file.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/ports/state_store.h"

namespace microcred {

class FileStateStore final : public StateStore {
 public:
  static absl::StatusOr<std::unique_ptr<FileStateStore>> Open(const std::string& dir);

  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override;
  absl::StatusOr<std::vector<std::optional<std::string>>> GetMany(
      const std::vector<std::string>& keys) override;
  absl::Status Commit(const WriteBatch& batch) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string& prefix) override;
  // Rewrites the journal as one record of the live keys now (as Open's compaction does), so
  // that no deleted or overwritten value is left in it. Commits wait meanwhile.
  absl::Status Scrub() override;

 private:
  FileStateStore(std::string path, file_log::ScopedFd lock, file_log::ScopedFd journal,
                 int64_t end);
  absl::Status Replay(std::string_view journal);
  absl::Status CompactIfLarge(int64_t journal_bytes);
  // Writes `live_keys` (the store's content) as the new journal; requires mu_.
  absl::Status RewriteLocked(const std::map<std::string, std::string>& live_keys);

  const std::string path_;
  file_log::ScopedFd lock_;
  std::mutex mu_;  // serialises commits: journal order is apply order
  file_log::ScopedFd journal_;
  int64_t end_ = 0;
  MemoryStateStore memory_;
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_ADAPTERS_FILE_FILE_STATE_STORE_H_
