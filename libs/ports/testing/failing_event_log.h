// FailingEventLog: for tests, an EventLog over another whose next appends fail, as when the
// broker or the process goes down between a command's commit and its append.
//
//   failures        how many of the next appends fail (each Append or AppendBatch call is one)
//   only_topic      when set, only appends to that topic fail (and count)
//   written_anyway  a failed append still writes its records: the broker stored them but the
//                   acknowledgement was lost, so the caller cannot tell
//   appends         how many append calls reached this log
// Reading goes to the underlying log. Set the fields before the calls that read them.
#ifndef MICROCRED_LIBS_PORTS_TESTING_FAILING_EVENT_LOG_H_
#define MICROCRED_LIBS_PORTS_TESTING_FAILING_EVENT_LOG_H_

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "libs/ports/event_log.h"

namespace microcred::testing_ports {

class FailingEventLog : public EventLog {
 public:
  explicit FailingEventLog(EventLog& log) : log_(log) {}
  explicit FailingEventLog(std::unique_ptr<EventLog> log) : owned_(std::move(log)), log_(*owned_) {}

  absl::StatusOr<AppendResult> Append(const AppendRequest& request) override {
    ++appends;
    if (Fails({request})) {
      if (written_anyway) (void)log_.Append(request);
      return Down();
    }
    return log_.Append(request);
  }
  absl::StatusOr<std::vector<AppendResult>> AppendBatch(
      const std::vector<AppendRequest>& requests) override {
    ++appends;
    if (Fails(requests)) {
      if (written_anyway) (void)log_.AppendBatch(requests);
      return Down();
    }
    return log_.AppendBatch(requests);
  }
  absl::StatusOr<std::unique_ptr<LogReader>> OpenReader(const std::vector<std::string>& topics,
                                                        const LogPositions& from) override {
    return log_.OpenReader(topics, from);
  }
  absl::StatusOr<LogPositions> EndPositions(const std::string& topic) override {
    return log_.EndPositions(topic);
  }

  std::atomic<int> failures{0};
  std::string only_topic;
  bool written_anyway = false;
  std::atomic<int> appends{0};

 private:
  bool Fails(const std::vector<AppendRequest>& requests) {
    if (failures <= 0 || requests.empty()) return false;
    if (!only_topic.empty() && requests[0].topic != only_topic) return false;
    --failures;
    return true;
  }
  static absl::Status Down() { return absl::UnavailableError("log down"); }

  std::unique_ptr<EventLog> owned_;
  EventLog& log_;
};

}  // namespace microcred::testing_ports

#endif  // MICROCRED_LIBS_PORTS_TESTING_FAILING_EVENT_LOG_H_
