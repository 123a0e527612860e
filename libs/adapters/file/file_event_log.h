// FileEventLog: an EventLog kept in one local directory, the embedded default for a single node.
//
// Layout: <dir>/LOCK, flock'ed while the log is open so that a second opener (another process,
// or another FileEventLog in this one) fails; and one append-only file per topic,
// <dir>/<topic>.mclog, in the format of record_format.h. Characters of a topic name outside
// [A-Za-z0-9._-] are written %xx in its file name. Every topic has one partition, 0.
//
// Durability: Append and AppendBatch return once their records are written and fdatasync'd.
// Concurrent callers share syncs (group commit): the first caller in line writes the records of
// every caller queued behind it and syncs once for all of them, so throughput grows with the
// number of writers instead of being capped at one fdatasync per append.
//
// Recovery: Open reads every topic file and verifies every checksum. Bytes after the last valid
// record that hold no valid record are a torn tail, an append cut short by a crash and therefore
// never acknowledged: they are truncated and reported on stderr. A damaged record followed by
// valid ones is DataLoss naming the file, byte position and offset: Open refuses rather than drop
// acknowledged records. (A damaged *last* record cannot be told from a torn one and is
// truncated, as in other write-ahead logs.)
//
// After a failed write or sync the log refuses every further append: the page cache may no
// longer match the disk, so a retry could acknowledge a record that is not durable. Reopen it.
//
// Readers read the files with pread and wait on a condition variable for appends. A reader keeps
// the log's files open, and the LOCK held, until it is destroyed.
#ifndef MICROCRED_LIBS_ADAPTERS_FILE_FILE_EVENT_LOG_H_
#define MICROCRED_LIBS_ADAPTERS_FILE_FILE_EVENT_LOG_H_

#include <memory>
#include <string>
#include <vector>

#include "libs/ports/event_log.h"

namespace microcred {

class FileEventLog final : public EventLog {
 public:
  // Opens the log in `dir`, creating the directory if needed, and recovers every topic in it.
  static absl::StatusOr<std::unique_ptr<FileEventLog>> Open(const std::string& dir);
  ~FileEventLog() override;

  absl::StatusOr<AppendResult> Append(const AppendRequest& request) override;
  absl::StatusOr<std::vector<AppendResult>> AppendBatch(
      const std::vector<AppendRequest>& requests) override;
  absl::StatusOr<std::unique_ptr<LogReader>> OpenReader(const std::vector<std::string>& topics,
                                                        const LogPositions& from) override;
  absl::StatusOr<LogPositions> EndPositions(const std::string& topic) override;

 private:
  class Shared;  // the open files and index, shared with readers
  class Reader;

  explicit FileEventLog(std::shared_ptr<Shared> shared);

  std::shared_ptr<Shared> shared_;
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_ADAPTERS_FILE_FILE_EVENT_LOG_H_
