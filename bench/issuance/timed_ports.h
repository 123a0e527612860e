// Where the time of a durable issuance goes, measured at the ports: decorators of StateStore and
// EventLog that time every call and attribute it to one of two sides,
//   the projector   any thread that has polled a LogReader (the nodes' consumer threads);
//   the service     every other thread (the gRPC handlers that issue).
// They only forward: what they measure is what the node does on Redis and Kafka, plus one
// clock read and one short lock per call (well under a microsecond, against round trips of tens).
#ifndef MICROCRED_BENCH_ISSUANCE_TIMED_PORTS_H_
#define MICROCRED_BENCH_ISSUANCE_TIMED_PORTS_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/support/bench_util.h"
#include "libs/ports/event_log.h"
#include "libs/ports/state_store.h"

namespace microcred::bench {

struct OpTime {
  int64_t calls = 0;
  int64_t items = 0;  // keys read or written, records appended or polled
  double seconds = 0;
};

// What one side spent in the ports since the last Take().
struct SideTimes {
  OpTime get, commit, scan, append, poll;  // get: Get and GetMany (calls = round trips)
  // The projector: time between a poll that returned records and the next poll (verifying,
  // deciding, writing: the consumer thread's busy time).
  double busy_seconds = 0;
  // The service: when its first port call of the period began, when its first store commit
  // began, when its last append ended.
  std::optional<Clock::time_point> first_call, first_commit, last_append_end;
};

struct PortTimes {
  SideTimes service, projector;
};

class PortClock {
 public:
  PortTimes Take() {
    std::lock_guard lock(mu_);
    return std::exchange(times_, PortTimes{});
  }

  // True on a thread that has polled a LogReader: its calls count for the projector.
  static bool& IsProjectorThread() {
    thread_local bool projector = false;
    return projector;
  }

  enum class Kind { kGet, kCommit, kScan, kAppend, kPoll };

  void Add(Kind kind, Clock::time_point start, Clock::time_point end, int64_t items) {
    const double seconds = std::chrono::duration<double>(end - start).count();
    std::lock_guard lock(mu_);
    SideTimes& side = IsProjectorThread() ? times_.projector : times_.service;
    OpTime& op = kind == Kind::kGet      ? side.get
                 : kind == Kind::kCommit ? side.commit
                 : kind == Kind::kScan   ? side.scan
                 : kind == Kind::kAppend ? side.append
                                         : side.poll;
    ++op.calls;
    op.items += items;
    op.seconds += seconds;
    if (!side.first_call) side.first_call = start;
    if (kind == Kind::kCommit && !side.first_commit) side.first_commit = start;
    if (kind == Kind::kAppend) side.last_append_end = end;
  }

  void AddBusy(double seconds) {
    std::lock_guard lock(mu_);
    times_.projector.busy_seconds += seconds;
  }

 private:
  std::mutex mu_;
  PortTimes times_;
};

class TimedStateStore final : public StateStore {
 public:
  TimedStateStore(StateStore& inner, PortClock& clock) : inner_(inner), clock_(clock) {}

  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override {
    auto start = Clock::now();
    auto value = inner_.Get(key);
    clock_.Add(PortClock::Kind::kGet, start, Clock::now(), 1);
    return value;
  }
  // One round trip for many keys: counted as one read call of keys.size() items.
  absl::StatusOr<std::vector<std::optional<std::string>>> GetMany(
      const std::vector<std::string>& keys) override {
    auto start = Clock::now();
    auto values = inner_.GetMany(keys);
    clock_.Add(PortClock::Kind::kGet, start, Clock::now(), static_cast<int64_t>(keys.size()));
    return values;
  }
  absl::Status Commit(const WriteBatch& batch) override {
    auto start = Clock::now();
    absl::Status status = inner_.Commit(batch);
    clock_.Add(PortClock::Kind::kCommit, start, Clock::now(),
               static_cast<int64_t>(batch.ops().size()));
    return status;
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string& prefix) override {
    auto start = Clock::now();
    auto rows = inner_.ScanPrefix(prefix);
    clock_.Add(PortClock::Kind::kScan, start, Clock::now(),
               rows.ok() ? static_cast<int64_t>(rows->size()) : 0);
    return rows;
  }
  absl::Status Scrub() override { return inner_.Scrub(); }

 private:
  StateStore& inner_;
  PortClock& clock_;
};

class TimedLogReader final : public LogReader {
 public:
  TimedLogReader(std::unique_ptr<LogReader> inner, PortClock& clock)
      : inner_(std::move(inner)), clock_(clock) {}

  absl::StatusOr<std::vector<LogRecord>> Poll(std::chrono::milliseconds timeout) override {
    PortClock::IsProjectorThread() = true;
    auto start = Clock::now();
    if (busy_since_) clock_.AddBusy(std::chrono::duration<double>(start - *busy_since_).count());
    auto records = inner_->Poll(timeout);
    auto end = Clock::now();
    const int64_t n = records.ok() ? static_cast<int64_t>(records->size()) : 0;
    clock_.Add(PortClock::Kind::kPoll, start, end, n);
    busy_since_ = n > 0 ? std::optional<Clock::time_point>(end) : std::nullopt;
    return records;
  }

 private:
  std::unique_ptr<LogReader> inner_;
  PortClock& clock_;
  std::optional<Clock::time_point> busy_since_;  // one reader is polled by one thread
};

class TimedEventLog final : public EventLog {
 public:
  TimedEventLog(EventLog& inner, PortClock& clock) : inner_(inner), clock_(clock) {}

  absl::StatusOr<AppendResult> Append(const AppendRequest& request) override {
    auto start = Clock::now();
    auto result = inner_.Append(request);
    clock_.Add(PortClock::Kind::kAppend, start, Clock::now(), 1);
    return result;
  }
  absl::StatusOr<std::vector<AppendResult>> AppendBatch(
      const std::vector<AppendRequest>& requests) override {
    auto start = Clock::now();
    auto results = inner_.AppendBatch(requests);
    clock_.Add(PortClock::Kind::kAppend, start, Clock::now(),
               static_cast<int64_t>(requests.size()));
    return results;
  }
  absl::StatusOr<std::unique_ptr<LogReader>> OpenReader(const std::vector<std::string>& topics,
                                                        const LogPositions& from) override {
    auto reader = inner_.OpenReader(topics, from);
    if (!reader.ok()) return reader.status();
    return std::unique_ptr<LogReader>(new TimedLogReader(*std::move(reader), clock_));
  }
  absl::StatusOr<LogPositions> EndPositions(const std::string& topic) override {
    return inner_.EndPositions(topic);
  }

 private:
  EventLog& inner_;
  PortClock& clock_;
};

}  // namespace microcred::bench

#endif  // MICROCRED_BENCH_ISSUANCE_TIMED_PORTS_H_
