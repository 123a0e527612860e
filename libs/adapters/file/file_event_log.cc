#include "libs/adapters/file/file_event_log.h"

#include <fcntl.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/adapters/file/posix_file.h"
#include "libs/adapters/file/record_format.h"

namespace microcred {
namespace {

using file_log::ScopedFd;

constexpr std::string_view kTopicFileSuffix = ".mclog";
constexpr size_t kMaxFileNameBytes = 255;  // NAME_MAX on Linux file systems
// One Poll returns at most this much, so that a reader far behind catches up in bounded steps.
constexpr size_t kMaxRecordsPerPoll = 4096;
constexpr size_t kMaxBytesPerPoll = size_t{8} << 20;
// A commit leader stops taking followers' records past this many bytes, bounding its latency.
constexpr size_t kMaxGroupBytes = size_t{8} << 20;

bool IsPlainFileNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

std::string FileNameForTopic(std::string_view topic) {
  std::string name;
  for (char c : topic) {
    if (IsPlainFileNameChar(c)) {
      name += c;
    } else {
      absl::StrAppend(&name, "%", absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
    }
  }
  return name.append(kTopicFileSuffix);
}

std::optional<int> HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return std::nullopt;
}

// The topic whose file is `file_name`, or nullopt when FileNameForTopic would not produce it.
std::optional<std::string> TopicForFileName(std::string_view file_name) {
  if (!file_name.ends_with(kTopicFileSuffix)) return std::nullopt;
  std::string_view escaped = file_name.substr(0, file_name.size() - kTopicFileSuffix.size());
  std::string topic;
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '%') {
      topic += escaped[i];
      continue;
    }
    if (i + 2 >= escaped.size()) return std::nullopt;
    std::optional<int> high = HexDigit(escaped[i + 1]), low = HexDigit(escaped[i + 2]);
    if (!high || !low) return std::nullopt;
    topic += static_cast<char>(*high * 16 + *low);
    i += 2;
  }
  if (topic.empty() || FileNameForTopic(topic) != file_name) return std::nullopt;
  return topic;
}

absl::Status ValidateTopic(const std::string& topic) {
  if (topic.empty()) return absl::InvalidArgumentError("event log: empty topic name");
  if (FileNameForTopic(topic).size() > kMaxFileNameBytes) {
    return absl::InvalidArgumentError(absl::StrCat("event log: topic name too long: ", topic));
  }
  return absl::OkStatus();
}

absl::Status ValidateRecordSize(const AppendRequest& request) {
  if (request.key.size() + request.value.size() > file_log::kMaxRecordPayloadBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("event log: record of ", request.key.size() + request.value.size(),
                     " bytes exceeds the limit of ", file_log::kMaxRecordPayloadBytes));
  }
  return absl::OkStatus();
}

// One topic's file and its index. `fd`, `name` and `path` never change; the rest is guarded by
// the log's mutex and grown only by a commit leader.
struct TopicFile {
  std::string name;
  std::string path;
  ScopedFd fd;
  std::vector<int64_t> record_starts;  // byte position of each published record
  int64_t end = 0;                     // one past the last published record

  int64_t size() const { return static_cast<int64_t>(record_starts.size()); }
  int64_t RecordEnd(int64_t offset) const {
    return offset + 1 < size() ? record_starts[offset + 1] : end;
  }
};

// Opens an existing topic file, verifies it and truncates a torn tail.
absl::StatusOr<std::unique_ptr<TopicFile>> RecoverTopicFile(std::string name, std::string path) {
  absl::StatusOr<ScopedFd> fd = file_log::OpenFile(path, O_RDWR);
  if (!fd.ok()) return fd.status();
  absl::StatusOr<int64_t> size = file_log::FileSize(fd->get(), path);
  if (!size.ok()) return size.status();
  absl::StatusOr<file_log::ScannedFile> scanned;
  {
    absl::StatusOr<file_log::MappedFile> mapped = file_log::MappedFile::Map(fd->get(), *size, path);
    if (!mapped.ok()) return mapped.status();
    scanned = file_log::ScanRecords(mapped->bytes(), path);
  }
  if (!scanned.ok()) return scanned.status();
  if (scanned->valid_end < *size) {
    file_log::LogWarning(absl::StrCat(
        path, ": truncating a torn tail of ", *size - scanned->valid_end, " bytes at byte ",
        scanned->valid_end, ", keeping its ", scanned->record_starts.size(), " whole records"));
    if (absl::Status s = file_log::Truncate(fd->get(), scanned->valid_end, path); !s.ok()) return s;
    if (absl::Status s = file_log::SyncData(fd->get(), path); !s.ok()) return s;
  }
  return std::make_unique<TopicFile>(TopicFile{std::move(name), std::move(path), std::move(*fd),
                                               std::move(scanned->record_starts),
                                               scanned->valid_end});
}

// One caller of Append or AppendBatch, queued until a commit leader has made its records durable.
struct PendingAppend {
  std::vector<TopicFile*> topics;    // per request
  std::vector<std::string> encoded;  // per request
  size_t bytes = 0;
  std::condition_variable turn;  // signalled when done, or when this caller is to lead
  bool done = false;
  absl::Status status;
  std::vector<AppendResult> results;
};

// What one commit leader writes: for each topic touched, the bytes to put at its end.
struct CommitGroup {
  struct TopicWrite {
    int64_t position = 0;      // where the bytes go: the topic's end when the group was taken
    int64_t first_offset = 0;  // the offset of the first record written
    std::string bytes;
    std::vector<int64_t> record_starts;
  };
  std::vector<PendingAppend*> members;  // the front of the queue, leader first
  std::map<TopicFile*, TopicWrite> writes;
};

// A reader's position in one topic.
struct Cursor {
  TopicFile* topic;
  int64_t next;
};

// Records a reader may read without the lock: they are published, so their bytes never change.
struct ReadSpan {
  size_t cursor;  // index into the reader's cursors
  int64_t first_offset;
  int64_t count;
  int64_t position;
  int64_t bytes;
};

}  // namespace

class FileEventLog::Shared {
 public:
  Shared(std::string dir, ScopedFd lock) : dir_(std::move(dir)), lock_(std::move(lock)) {}

  static absl::StatusOr<std::shared_ptr<Shared>> Open(const std::string& dir);

  absl::StatusOr<std::vector<AppendResult>> Append(const std::vector<AppendRequest>& requests);
  absl::StatusOr<TopicFile*> GetOrCreateTopic(const std::string& name);
  int64_t End(const std::string& topic);
  // Waits until `deadline` for a record after any cursor, then says which records to read.
  std::vector<ReadSpan> WaitForRecords(const std::vector<Cursor>& cursors,
                                       std::chrono::steady_clock::time_point deadline);

 private:
  absl::Status RecoverTopics();
  absl::StatusOr<TopicFile*> GetOrCreateTopicLocked(const std::string& name);
  void LeadCommit(std::unique_lock<std::mutex>& lock);
  CommitGroup TakeGroup();
  static void Stage(CommitGroup& group);
  static absl::Status WriteAndSync(CommitGroup& group);
  void Publish(CommitGroup& group, const absl::Status& status);
  bool AnyAvailable(const std::vector<Cursor>& cursors) const;
  std::vector<ReadSpan> PlanReads(const std::vector<Cursor>& cursors) const;

  const std::string dir_;
  const ScopedFd lock_;  // holds the flock on <dir>/LOCK

  std::mutex mu_;
  std::condition_variable appended_;  // notified whenever records are published
  std::map<std::string, std::unique_ptr<TopicFile>> topics_;
  std::deque<PendingAppend*> queue_;  // the front one leads the next commit
  absl::Status broken_;               // the first write or sync error; appends stop after it
};

absl::StatusOr<std::shared_ptr<FileEventLog::Shared>> FileEventLog::Shared::Open(
    const std::string& dir) {
  if (absl::Status s = file_log::CreateDirectories(dir); !s.ok()) return s;
  const std::string lock_path = dir + "/LOCK";
  absl::StatusOr<ScopedFd> lock = file_log::OpenFile(lock_path, O_RDWR | O_CREAT);
  if (!lock.ok()) return lock.status();
  if (absl::Status s = file_log::LockExclusive(lock->get(), lock_path); !s.ok()) return s;
  auto shared = std::make_shared<Shared>(dir, std::move(*lock));
  if (absl::Status s = shared->RecoverTopics(); !s.ok()) return s;
  return shared;
}

absl::Status FileEventLog::Shared::RecoverTopics() {
  absl::StatusOr<std::vector<std::string>> names = file_log::ListFiles(dir_);
  if (!names.ok()) return names.status();
  for (const std::string& file_name : *names) {
    if (!file_name.ends_with(kTopicFileSuffix)) continue;  // LOCK, or not ours
    std::optional<std::string> topic = TopicForFileName(file_name);
    if (!topic) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir_, "/", file_name, ": not a topic file name this log writes"));
    }
    auto file = RecoverTopicFile(*topic, absl::StrCat(dir_, "/", file_name));
    if (!file.ok()) return file.status();
    topics_[*topic] = std::move(*file);
  }
  return absl::OkStatus();
}

absl::StatusOr<TopicFile*> FileEventLog::Shared::GetOrCreateTopic(const std::string& name) {
  std::lock_guard lock(mu_);
  return GetOrCreateTopicLocked(name);
}

absl::StatusOr<TopicFile*> FileEventLog::Shared::GetOrCreateTopicLocked(const std::string& name) {
  if (auto it = topics_.find(name); it != topics_.end()) return it->second.get();
  if (absl::Status s = ValidateTopic(name); !s.ok()) return s;
  std::string path = absl::StrCat(dir_, "/", FileNameForTopic(name));
  absl::StatusOr<ScopedFd> fd = file_log::OpenFile(path, O_RDWR | O_CREAT);
  if (!fd.ok()) return fd.status();
  // The new name must be durable before any record in the file is acknowledged.
  if (absl::Status s = file_log::SyncDirectory(dir_); !s.ok()) return s;
  auto file = std::make_unique<TopicFile>();
  file->name = name;
  file->path = std::move(path);
  file->fd = std::move(*fd);
  return (topics_[name] = std::move(file)).get();
}

int64_t FileEventLog::Shared::End(const std::string& topic) {
  std::lock_guard lock(mu_);
  auto it = topics_.find(topic);
  return it == topics_.end() ? 0 : it->second->size();
}

absl::StatusOr<std::vector<AppendResult>> FileEventLog::Shared::Append(
    const std::vector<AppendRequest>& requests) {
  PendingAppend pending;
  for (const AppendRequest& r : requests) {
    if (absl::Status s = ValidateRecordSize(r); !s.ok()) return s;
    file_log::AppendEncodedRecord(r.key, r.value, pending.encoded.emplace_back());
    pending.bytes += pending.encoded.back().size();
  }
  if (requests.empty()) return std::vector<AppendResult>{};
  std::unique_lock lock(mu_);
  for (const AppendRequest& r : requests) {
    absl::StatusOr<TopicFile*> topic = GetOrCreateTopicLocked(r.topic);
    if (!topic.ok()) return topic.status();
    pending.topics.push_back(*topic);
  }
  queue_.push_back(&pending);
  pending.turn.wait(lock, [&] { return pending.done || queue_.front() == &pending; });
  if (!pending.done) LeadCommit(lock);
  if (!pending.status.ok()) return pending.status;
  return std::move(pending.results);
}

// Called by the caller at the front of the queue, with the lock held. The I/O is done without it,
// so that readers and newly queued callers are not held up.
void FileEventLog::Shared::LeadCommit(std::unique_lock<std::mutex>& lock) {
  CommitGroup group = TakeGroup();
  absl::Status status = broken_;
  lock.unlock();
  if (status.ok()) {
    Stage(group);
    status = WriteAndSync(group);
  }
  lock.lock();
  Publish(group, status);
}

CommitGroup FileEventLog::Shared::TakeGroup() {
  CommitGroup group;
  size_t bytes = 0;
  for (PendingAppend* pending : queue_) {
    if (!group.members.empty() && bytes + pending->bytes > kMaxGroupBytes) break;
    group.members.push_back(pending);
    bytes += pending->bytes;
    for (TopicFile* topic : pending->topics) {
      auto [write, inserted] = group.writes.try_emplace(topic);
      if (!inserted) continue;
      write->second.position = topic->end;
      write->second.first_offset = topic->size();
    }
  }
  return group;
}

// Lays the members' records out after each topic's end and assigns their offsets. Members are
// waiting, so their results may be written without the lock.
void FileEventLog::Shared::Stage(CommitGroup& group) {
  for (PendingAppend* pending : group.members) {
    for (size_t i = 0; i < pending->encoded.size(); ++i) {
      CommitGroup::TopicWrite& write = group.writes[pending->topics[i]];
      const auto index = static_cast<int64_t>(write.record_starts.size());
      pending->results.push_back({0, write.first_offset + index});
      write.record_starts.push_back(write.position + static_cast<int64_t>(write.bytes.size()));
      write.bytes += pending->encoded[i];
    }
  }
}

absl::Status FileEventLog::Shared::WriteAndSync(CommitGroup& group) {
  for (auto& [topic, write] : group.writes) {
    absl::Status s = file_log::WriteAt(topic->fd.get(), write.bytes, write.position, topic->path);
    if (!s.ok()) return s;
  }
  for (auto& [topic, write] : group.writes) {
    if (absl::Status s = file_log::SyncData(topic->fd.get(), topic->path); !s.ok()) return s;
  }
  return absl::OkStatus();
}

void FileEventLog::Shared::Publish(CommitGroup& group, const absl::Status& status) {
  if (status.ok()) {
    for (auto& [topic, write] : group.writes) {
      topic->record_starts.insert(topic->record_starts.end(), write.record_starts.begin(),
                                  write.record_starts.end());
      topic->end = write.position + static_cast<int64_t>(write.bytes.size());
    }
    appended_.notify_all();
  } else if (broken_.ok()) {
    broken_ = absl::Status(status.code(),
                           absl::StrCat("file event log ", dir_,
                                        " refuses appends after an I/O error: ", status.message()));
  }
  // Notified under the lock: a member may return, destroying its PendingAppend, once it can
  // take the lock and sees done.
  for (PendingAppend* member : group.members) {
    member->status = status;
    member->done = true;
    member->turn.notify_one();
    queue_.pop_front();
  }
  if (!queue_.empty()) queue_.front()->turn.notify_one();
}

std::vector<ReadSpan> FileEventLog::Shared::WaitForRecords(
    const std::vector<Cursor>& cursors, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  appended_.wait_until(lock, deadline, [&] { return AnyAvailable(cursors); });
  return PlanReads(cursors);
}

bool FileEventLog::Shared::AnyAvailable(const std::vector<Cursor>& cursors) const {
  return std::any_of(cursors.begin(), cursors.end(),
                     [](const Cursor& c) { return c.next < c.topic->size(); });
}

std::vector<ReadSpan> FileEventLog::Shared::PlanReads(const std::vector<Cursor>& cursors) const {
  std::vector<ReadSpan> spans;
  size_t records = 0, bytes = 0;
  for (size_t i = 0; i < cursors.size(); ++i) {
    const TopicFile& topic = *cursors[i].topic;
    ReadSpan span{i, cursors[i].next, 0, 0, 0};
    for (int64_t offset = span.first_offset; offset < topic.size(); ++offset) {
      if (records >= kMaxRecordsPerPoll || bytes >= kMaxBytesPerPoll) break;
      const int64_t size = topic.RecordEnd(offset) - topic.record_starts[offset];
      ++span.count;
      span.bytes += size;
      ++records;
      bytes += size;
    }
    if (span.count == 0) continue;
    span.position = topic.record_starts[span.first_offset];
    spans.push_back(span);
  }
  return spans;
}

class FileEventLog::Reader final : public LogReader {
 public:
  Reader(std::shared_ptr<Shared> shared, std::vector<Cursor> cursors)
      : shared_(std::move(shared)), cursors_(std::move(cursors)) {}

  absl::StatusOr<std::vector<LogRecord>> Poll(std::chrono::milliseconds timeout) override {
    std::vector<LogRecord> records;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::vector<ReadSpan> spans = shared_->WaitForRecords(cursors_, deadline);
    for (const ReadSpan& span : spans) {
      if (absl::Status s = Read(span, records); !s.ok()) return s;  // no position moved
    }
    for (const ReadSpan& span : spans) cursors_[span.cursor].next += span.count;
    return records;
  }

 private:
  absl::Status Read(const ReadSpan& span, std::vector<LogRecord>& out) const {
    const TopicFile& topic = *cursors_[span.cursor].topic;
    std::string bytes;
    absl::Status s = file_log::ReadAt(topic.fd.get(), span.position, span.bytes, bytes, topic.path);
    if (!s.ok()) return s;
    std::string_view rest(bytes);
    for (int64_t i = 0; i < span.count; ++i) {
      const file_log::ParsedRecord r = file_log::ParseRecord(rest);
      if (r.outcome != file_log::ParsedRecord::Outcome::kOk) {
        return absl::DataLossError(absl::StrCat(
            topic.path, ": record at byte ", span.position + (bytes.size() - rest.size()),
            " (offset ", span.first_offset + i, ") changed on disk (", r.problem, ")"));
      }
      out.push_back(
          {topic.name, 0, span.first_offset + i, std::string(r.key), std::string(r.value)});
      rest.remove_prefix(r.encoded_size);
    }
    return absl::OkStatus();
  }

  std::shared_ptr<Shared> shared_;
  std::vector<Cursor> cursors_;
};

absl::StatusOr<std::unique_ptr<FileEventLog>> FileEventLog::Open(const std::string& dir) {
  absl::StatusOr<std::shared_ptr<Shared>> shared = Shared::Open(dir);
  if (!shared.ok()) return shared.status();
  return std::unique_ptr<FileEventLog>(new FileEventLog(std::move(*shared)));
}

FileEventLog::FileEventLog(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

FileEventLog::~FileEventLog() = default;

absl::StatusOr<AppendResult> FileEventLog::Append(const AppendRequest& request) {
  absl::StatusOr<std::vector<AppendResult>> results = shared_->Append({request});
  if (!results.ok()) return results.status();
  return results->front();
}

absl::StatusOr<std::vector<AppendResult>> FileEventLog::AppendBatch(
    const std::vector<AppendRequest>& requests) {
  return shared_->Append(requests);
}

absl::StatusOr<std::unique_ptr<LogReader>> FileEventLog::OpenReader(
    const std::vector<std::string>& topics, const LogPositions& from) {
  std::vector<Cursor> cursors;
  for (const std::string& name : topics) {
    absl::StatusOr<TopicFile*> topic = shared_->GetOrCreateTopic(name);
    if (!topic.ok()) return topic.status();
    auto it = from.find(TopicPartition{name, 0});
    cursors.push_back({*topic, it == from.end() ? 0 : std::max<int64_t>(it->second, 0)});
  }
  return std::make_unique<Reader>(shared_, std::move(cursors));
}

absl::StatusOr<LogPositions> FileEventLog::EndPositions(const std::string& topic) {
  if (absl::Status s = ValidateTopic(topic); !s.ok()) return s;
  return LogPositions{{TopicPartition{topic, 0}, shared_->End(topic)}};
}

}  // namespace microcred
