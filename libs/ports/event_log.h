// EventLog: the port to the shared, ordered, durable log of events (the source of truth).
//
// A log holds named topics; a topic holds one or more partitions; a partition is an ordered
// sequence of records numbered by offsets 0, 1, 2, ... Records with the same key always go to the
// same partition, so one aggregate's events stay in order.
//
// Adapters: in-memory (tests, demo), file (embedded default), Kafka (distributed). All of them
// pass the contract suite in libs/ports/testing/event_log_contract.h.
//
// Thread safety: every method may be called from any thread. A LogReader is used by one thread.
#ifndef MICROCRED_LIBS_PORTS_EVENT_LOG_H_
#define MICROCRED_LIBS_PORTS_EVENT_LOG_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace microcred {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

// Where a reader is: for each partition, the offset of the next record to read.
using LogPositions = std::map<TopicPartition, int64_t>;

struct LogRecord {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
};

struct AppendRequest {
  std::string topic;
  std::string key;
  std::string value;
};

struct AppendResult {
  int32_t partition = 0;
  int64_t offset = 0;
};

class LogReader {
 public:
  virtual ~LogReader() = default;
  // Returns the records available after the reader's position, waiting up to `timeout` for at
  // least one. An empty vector means none arrived in time. Records of one partition come in
  // offset order; the reader's position advances past what it returned.
  virtual absl::StatusOr<std::vector<LogRecord>> Poll(std::chrono::milliseconds timeout) = 0;
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Appends one record and returns only when it is durable (fsync'd, or acknowledged by all
  // in-sync replicas). On error the record may or may not have been written; callers make
  // appends idempotent through event ids.
  virtual absl::StatusOr<AppendResult> Append(const AppendRequest& request) = 0;

  // Appends many records; returns when all are durable, results in request order. Order is kept
  // among records of the same key. If any append fails the call fails; some may have landed.
  virtual absl::StatusOr<std::vector<AppendResult>> AppendBatch(
      const std::vector<AppendRequest>& requests) = 0;

  // Opens a reader over `topics`. Partitions found in `from` start at the given offset; every
  // other partition of those topics starts at its beginning. Topics that do not exist yet are
  // created (empty).
  virtual absl::StatusOr<std::unique_ptr<LogReader>> OpenReader(
      const std::vector<std::string>& topics, const LogPositions& from) = 0;

  // The offset one past the last record of every partition of `topic` (the "high watermark").
  virtual absl::StatusOr<LogPositions> EndPositions(const std::string& topic) = 0;
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_PORTS_EVENT_LOG_H_
