#include "libs/adapters/memory/memory_event_log.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <utility>

namespace microcred {
namespace {

// One Poll returns at most this much, so that a reader far behind catches up in bounded steps.
constexpr size_t kMaxRecordsPerPoll = 4096;
constexpr size_t kMaxBytesPerPoll = 8 << 20;

absl::Status ValidateTopic(const std::string& topic) {
  if (topic.empty()) return absl::InvalidArgumentError("event log: empty topic name");
  return absl::OkStatus();
}

}  // namespace

class MemoryEventLog::Storage {
 public:
  absl::StatusOr<std::vector<AppendResult>> Append(const std::vector<AppendRequest>& requests) {
    for (const AppendRequest& r : requests) {
      if (absl::Status s = ValidateTopic(r.topic); !s.ok()) return s;
    }
    std::vector<AppendResult> results;
    results.reserve(requests.size());
    {
      std::lock_guard lock(mu_);
      for (const AppendRequest& r : requests) {
        std::vector<StoredRecord>& records = topics_[r.topic];
        results.push_back({0, static_cast<int64_t>(records.size())});
        records.push_back({r.key, r.value});
      }
    }
    appended_.notify_all();
    return results;
  }

  void CreateTopics(const std::vector<std::string>& topics) {
    std::lock_guard lock(mu_);
    for (const std::string& t : topics) topics_.try_emplace(t);
  }

  int64_t End(const std::string& topic) {
    std::lock_guard lock(mu_);
    auto it = topics_.find(topic);
    return it == topics_.end() ? 0 : static_cast<int64_t>(it->second.size());
  }

  // Appends to `out` the records after `positions` (topic -> next offset) and advances them,
  // waiting until `deadline` for at least one record to exist.
  void WaitAndRead(std::map<std::string, int64_t>& positions,
                   std::chrono::steady_clock::time_point deadline, std::vector<LogRecord>& out) {
    std::unique_lock lock(mu_);
    appended_.wait_until(lock, deadline, [&] { return AnyAvailable(positions); });
    size_t bytes = 0;
    for (auto& [topic, next] : positions) {
      const std::vector<StoredRecord>& records = topics_[topic];
      for (; next < static_cast<int64_t>(records.size()); ++next) {
        if (out.size() >= kMaxRecordsPerPoll || bytes >= kMaxBytesPerPoll) return;
        const StoredRecord& r = records[next];
        out.push_back({topic, 0, next, r.key, r.value});
        bytes += r.key.size() + r.value.size();
      }
    }
  }

 private:
  struct StoredRecord {
    std::string key;
    std::string value;
  };

  bool AnyAvailable(const std::map<std::string, int64_t>& positions) const {
    return std::any_of(positions.begin(), positions.end(), [&](const auto& p) {
      auto it = topics_.find(p.first);
      return it != topics_.end() && p.second < static_cast<int64_t>(it->second.size());
    });
  }

  std::mutex mu_;
  std::condition_variable appended_;  // notified after every append
  std::map<std::string, std::vector<StoredRecord>> topics_;
};

class MemoryEventLog::Reader final : public LogReader {
 public:
  Reader(std::shared_ptr<Storage> storage, std::map<std::string, int64_t> positions)
      : storage_(std::move(storage)), positions_(std::move(positions)) {}

  absl::StatusOr<std::vector<LogRecord>> Poll(std::chrono::milliseconds timeout) override {
    std::vector<LogRecord> records;
    storage_->WaitAndRead(positions_, std::chrono::steady_clock::now() + timeout, records);
    return records;
  }

 private:
  std::shared_ptr<Storage> storage_;
  std::map<std::string, int64_t> positions_;  // topic -> offset of the next record to return
};

MemoryEventLog::MemoryEventLog() : MemoryEventLog(std::make_shared<Storage>()) {}

MemoryEventLog::MemoryEventLog(std::shared_ptr<Storage> storage) : storage_(std::move(storage)) {}

MemoryEventLog::~MemoryEventLog() = default;

std::unique_ptr<MemoryEventLog> MemoryEventLog::Share() const {
  return std::unique_ptr<MemoryEventLog>(new MemoryEventLog(storage_));
}

absl::StatusOr<AppendResult> MemoryEventLog::Append(const AppendRequest& request) {
  auto results = storage_->Append({request});
  if (!results.ok()) return results.status();
  return results->front();
}

absl::StatusOr<std::vector<AppendResult>> MemoryEventLog::AppendBatch(
    const std::vector<AppendRequest>& requests) {
  return storage_->Append(requests);
}

absl::StatusOr<std::unique_ptr<LogReader>> MemoryEventLog::OpenReader(
    const std::vector<std::string>& topics, const LogPositions& from) {
  std::map<std::string, int64_t> positions;
  for (const std::string& topic : topics) {
    if (absl::Status s = ValidateTopic(topic); !s.ok()) return s;
    auto it = from.find(TopicPartition{topic, 0});
    positions[topic] = it == from.end() ? 0 : std::max<int64_t>(it->second, 0);
  }
  storage_->CreateTopics(topics);
  return std::make_unique<Reader>(storage_, std::move(positions));
}

absl::StatusOr<LogPositions> MemoryEventLog::EndPositions(const std::string& topic) {
  if (absl::Status s = ValidateTopic(topic); !s.ok()) return s;
  return LogPositions{{TopicPartition{topic, 0}, storage_->End(topic)}};
}

}  // namespace microcred
