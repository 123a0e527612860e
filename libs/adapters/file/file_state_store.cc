#include "libs/adapters/file/file_state_store.h"

#include <fcntl.h>

#include <cstdio>
#include <cstring>

#include "libs/adapters/file/record_format.h"

namespace microcred {
namespace {

using file_log::ScopedFd;

constexpr char kBatchKey[] = "batch";
constexpr char kJournal[] = "state.journal";
// Below this the journal is never compacted: rewriting small files buys nothing.
constexpr int64_t kCompactionFloor = int64_t{8} << 20;
// The size of the records a rewrite writes (a single commit is at most 64 MiB, so a record
// stays well below the record format's limit).
constexpr size_t kRewriteRecordBytes = size_t{8} << 20;

void AppendU32(uint32_t v, std::string& out) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool ReadU32(std::string_view& in, uint32_t& v) {
  if (in.size() < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << (8 * i);
  in.remove_prefix(4);
  return true;
}

// A batch as journal bytes: per op, kind (1 put, 0 delete), key length, key, value length,
// value.
std::string EncodeBatch(const WriteBatch& batch) {
  std::string out;
  for (const WriteBatch::Op& op : batch.ops()) {
    out.push_back(op.kind == WriteBatch::Op::Kind::kPut ? 1 : 0);
    AppendU32(static_cast<uint32_t>(op.key.size()), out);
    out += op.key;
    AppendU32(static_cast<uint32_t>(op.value.size()), out);
    out += op.value;
  }
  return out;
}

absl::StatusOr<WriteBatch> DecodeBatch(std::string_view in, const std::string& path) {
  WriteBatch batch;
  while (!in.empty()) {
    const char kind = in[0];
    in.remove_prefix(1);
    uint32_t key_size = 0, value_size = 0;
    if (!ReadU32(in, key_size) || in.size() < key_size) {
      return absl::DataLossError(path + ": a journal batch is malformed");
    }
    std::string key(in.substr(0, key_size));
    in.remove_prefix(key_size);
    if (!ReadU32(in, value_size) || in.size() < value_size) {
      return absl::DataLossError(path + ": a journal batch is malformed");
    }
    if (kind == 1) {
      batch.Put(std::move(key), std::string(in.substr(0, value_size)));
    } else {
      batch.Delete(std::move(key));
    }
    in.remove_prefix(value_size);
  }
  return batch;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileStateStore>> FileStateStore::Open(const std::string& dir) {
  if (auto s = file_log::CreateDirectories(dir); !s.ok()) return s;
  auto lock = file_log::OpenFile(dir + "/LOCK", O_RDWR | O_CREAT);
  if (!lock.ok()) return lock.status();
  if (auto s = file_log::LockExclusive(lock->get(), dir + "/LOCK"); !s.ok()) return s;
  const std::string path = dir + "/" + kJournal;
  auto journal = file_log::OpenFile(path, O_RDWR | O_CREAT);
  if (!journal.ok()) return journal.status();
  auto size = file_log::FileSize(journal->get(), path);
  if (!size.ok()) return size.status();
  std::unique_ptr<FileStateStore> store(
      new FileStateStore(path, *std::move(lock), *std::move(journal), *size));
  if (*size > 0) {
    auto mapped = file_log::MappedFile::Map(store->journal_.get(), *size, path);
    if (!mapped.ok()) return mapped.status();
    if (auto s = store->Replay(mapped->bytes()); !s.ok()) return s;
  }
  if (auto s = store->CompactIfLarge(store->end_); !s.ok()) return s;
  return store;
}

FileStateStore::FileStateStore(std::string path, ScopedFd lock, ScopedFd journal, int64_t end)
    : path_(std::move(path)), lock_(std::move(lock)), journal_(std::move(journal)), end_(end) {}

absl::Status FileStateStore::Replay(std::string_view journal) {
  auto scanned = file_log::ScanRecords(journal, path_);
  if (!scanned.ok()) return scanned.status();
  for (int64_t start : scanned->record_starts) {
    file_log::ParsedRecord record = file_log::ParseRecord(journal.substr(start));
    auto batch = DecodeBatch(record.value, path_);
    if (!batch.ok()) return batch.status();
    if (auto s = memory_.Commit(*batch); !s.ok()) return s;
  }
  if (scanned->valid_end < static_cast<int64_t>(journal.size())) {
    std::fprintf(stderr, "[file_state_store] %s: dropping a torn last batch (%lld bytes)\n",
                 path_.c_str(), static_cast<long long>(journal.size() - scanned->valid_end));
    if (auto s = file_log::Truncate(journal_.get(), scanned->valid_end, path_); !s.ok()) return s;
    end_ = scanned->valid_end;
  }
  return absl::OkStatus();
}

absl::Status FileStateStore::CompactIfLarge(int64_t journal_bytes) {
  const std::map<std::string, std::string> live = memory_.Snapshot();
  int64_t live_bytes = 0;
  for (const auto& [key, value] : live) {
    live_bytes += static_cast<int64_t>(key.size() + value.size());
  }
  if (journal_bytes < kCompactionFloor || journal_bytes < 2 * live_bytes + 1024) {
    return absl::OkStatus();
  }
  std::lock_guard lock(mu_);
  return RewriteLocked(live);
}

absl::Status FileStateStore::Scrub() {
  std::lock_guard lock(mu_);
  return RewriteLocked(memory_.Snapshot());
}

// The live keys go to a new file, which replaces the journal by rename once it is durable: the
// old journal's blocks are freed with its last name, and a crash at any point leaves either
// the old journal or the new one whole (a leftover temporary file holds live keys only).
absl::Status FileStateStore::RewriteLocked(const std::map<std::string, std::string>& live_keys) {
  // The live keys in records of about kRewriteRecordBytes: one record could outgrow the
  // record format's limit. Replay applies them in order, and the rename makes them one change.
  std::string record;
  WriteBatch live;
  size_t live_bytes = 0;
  auto flush = [&] {
    if (!live.empty()) file_log::AppendEncodedRecord(kBatchKey, EncodeBatch(live), record);
    live = WriteBatch();
    live_bytes = 0;
  };
  for (const auto& [key, value] : live_keys) {
    const size_t bytes = key.size() + value.size() + 9;
    if (live_bytes + bytes > kRewriteRecordBytes) flush();
    live_bytes += bytes;
    live.Put(key, value);
  }
  flush();
  const std::string temp = path_ + ".compacting";
  auto file = file_log::OpenFile(temp, O_RDWR | O_CREAT | O_TRUNC);
  if (!file.ok()) return file.status();
  if (auto s = file_log::WriteAt(file->get(), record, 0, temp); !s.ok()) return s;
  if (auto s = file_log::SyncData(file->get(), temp); !s.ok()) return s;
  if (std::rename(temp.c_str(), path_.c_str()) != 0) {
    return absl::InternalError(path_ + ": compaction rename: " + std::strerror(errno));
  }
  if (auto s = file_log::SyncDirectory(path_.substr(0, path_.rfind('/'))); !s.ok()) return s;
  journal_ = *std::move(file);
  end_ = static_cast<int64_t>(record.size());
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> FileStateStore::Get(const std::string& key) {
  return memory_.Get(key);
}

absl::StatusOr<std::vector<std::optional<std::string>>> FileStateStore::GetMany(
    const std::vector<std::string>& keys) {
  return memory_.GetMany(keys);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> FileStateStore::ScanPrefix(
    const std::string& prefix) {
  return memory_.ScanPrefix(prefix);
}

absl::Status FileStateStore::Commit(const WriteBatch& batch) {
  if (batch.empty()) return absl::OkStatus();
  std::string encoded = EncodeBatch(batch);
  if (encoded.size() + 5 > file_log::kMaxRecordPayloadBytes) {
    return absl::InvalidArgumentError("file state store: a batch larger than 64 MiB");
  }
  std::string record;
  file_log::AppendEncodedRecord(kBatchKey, encoded, record);
  std::lock_guard lock(mu_);
  if (auto s = file_log::WriteAt(journal_.get(), record, end_, path_); !s.ok()) return s;
  if (auto s = file_log::SyncData(journal_.get(), path_); !s.ok()) return s;
  end_ += static_cast<int64_t>(record.size());
  return memory_.Commit(batch);
}

}  // namespace microcred
