// MemoryEventLog: an EventLog held in process memory, for tests and the single-process demo.
//
// Every topic has exactly one partition (0). Nothing is durable: the records live as long as
// some handle or reader of the log does.
//
// Several handles can share one set of records, as several nodes of the demo share one log while
// each owns its own EventLog object:
//
//   auto log = std::make_unique<MemoryEventLog>();
//   std::unique_ptr<EventLog> node_a = log->Share();
//   std::unique_ptr<EventLog> node_b = log->Share();
//
// A reader blocked in Poll wakes as soon as any handle appends, so a service waiting for its own
// projection to catch up pays no polling delay.
#ifndef MICROCRED_LIBS_ADAPTERS_MEMORY_MEMORY_EVENT_LOG_H_
#define MICROCRED_LIBS_ADAPTERS_MEMORY_MEMORY_EVENT_LOG_H_

#include <memory>
#include <string>
#include <vector>

#include "libs/ports/event_log.h"

namespace microcred {

class MemoryEventLog final : public EventLog {
 public:
  // An empty log with storage of its own.
  MemoryEventLog();
  ~MemoryEventLog() override;

  // Another handle onto this log's records: appends through either are seen by readers of both.
  std::unique_ptr<MemoryEventLog> Share() const;

  absl::StatusOr<AppendResult> Append(const AppendRequest& request) override;
  absl::StatusOr<std::vector<AppendResult>> AppendBatch(
      const std::vector<AppendRequest>& requests) override;
  absl::StatusOr<std::unique_ptr<LogReader>> OpenReader(const std::vector<std::string>& topics,
                                                        const LogPositions& from) override;
  absl::StatusOr<LogPositions> EndPositions(const std::string& topic) override;

 private:
  class Storage;  // the records, shared by handles and readers
  class Reader;

  explicit MemoryEventLog(std::shared_ptr<Storage> storage);

  std::shared_ptr<Storage> storage_;
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_ADAPTERS_MEMORY_MEMORY_EVENT_LOG_H_
