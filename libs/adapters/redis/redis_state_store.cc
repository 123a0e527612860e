#include "libs/adapters/redis/redis_state_store.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/adapters/redis/redis_connection.h"

namespace microcred {
namespace {

using redis_internal::Command;
using redis_internal::DescribeReply;
using redis_internal::RedisConnection;
using redis_internal::Reply;

// Keys per SCAN step, per MGET and per UNLINK: large enough to amortise round trips, small
// enough not to block the server noticeably.
constexpr size_t kChunk = 1000;

std::string_view AsView(const redisReply& reply) { return {reply.str, reply.len}; }

absl::Status ReplyError(absl::string_view command, const redisReply& reply) {
  return absl::InternalError(absl::StrCat("redis ", command, ": ", DescribeReply(reply)));
}

// SCAN MATCH treats * ? [ ] and \ as glob syntax; a prefix must match them literally.
std::string EscapeGlob(std::string_view literal) {
  std::string pattern;
  pattern.reserve(literal.size() + 1);
  for (char c : literal) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  return pattern;
}

// Every key starting with `full_prefix`, sorted by bytes and without duplicates (SCAN may
// return a key more than once while the server rehashes).
absl::StatusOr<std::vector<std::string>> ScanKeys(RedisConnection& connection,
                                                  std::string_view full_prefix) {
  const std::string pattern = EscapeGlob(full_prefix) + "*";
  const std::string count = std::to_string(kChunk);
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = connection.Run({"SCAN", cursor, "MATCH", pattern, "COUNT", count});
    if (!reply.ok()) return reply.status();
    const redisReply& r = **reply;
    if (r.type != REDIS_REPLY_ARRAY || r.elements != 2) return ReplyError("SCAN", r);
    cursor.assign(AsView(*r.element[0]));
    const redisReply& batch = *r.element[1];
    for (size_t i = 0; i < batch.elements; ++i) keys.emplace_back(AsView(*batch.element[i]));
  } while (cursor != "0");
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// Values of `keys` (MGET in chunks), in order; std::nullopt for an absent key.
absl::StatusOr<std::vector<std::optional<std::string>>> FetchValues(
    RedisConnection& connection, const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> values;
  values.reserve(keys.size());
  for (size_t start = 0; start < keys.size(); start += kChunk) {
    const size_t end = std::min(keys.size(), start + kChunk);
    Command mget{"MGET"};
    for (size_t i = start; i < end; ++i) mget.push_back(keys[i]);
    auto reply = connection.Run(mget);
    if (!reply.ok()) return reply.status();
    const redisReply& r = **reply;
    if (r.type != REDIS_REPLY_ARRAY || r.elements != end - start) return ReplyError("MGET", r);
    for (size_t i = start; i < end; ++i) {
      const redisReply& value = *r.element[i - start];
      if (value.type == REDIS_REPLY_NIL) {
        values.push_back(std::nullopt);
        continue;
      }
      if (value.type != REDIS_REPLY_STRING) return ReplyError("MGET", value);
      values.push_back(std::string(AsView(value)));
    }
  }
  return values;
}

absl::Status UnlinkKeys(RedisConnection& connection, const std::vector<std::string>& keys) {
  for (size_t start = 0; start < keys.size(); start += kChunk) {
    Command unlink{"UNLINK"};
    for (size_t i = start; i < std::min(keys.size(), start + kChunk); ++i) {
      unlink.push_back(keys[i]);
    }
    auto reply = connection.Run(unlink);
    if (!reply.ok()) return reply.status();
    if ((*reply)->type != REDIS_REPLY_INTEGER) return ReplyError("UNLINK", **reply);
  }
  return absl::OkStatus();
}

// Replies of MULTI, one QUEUED per command, then EXEC's array of results.
absl::Status CheckTransaction(const std::vector<Reply>& replies) {
  for (size_t i = 0; i + 1 < replies.size(); ++i) {
    if (replies[i]->type != REDIS_REPLY_STATUS)
      return ReplyError(i == 0 ? "MULTI" : "queue", *replies[i]);
  }
  const redisReply& exec = *replies.back();
  if (exec.type != REDIS_REPLY_ARRAY) return ReplyError("EXEC", exec);
  for (size_t i = 0; i < exec.elements; ++i) {
    if (exec.element[i]->type == REDIS_REPLY_ERROR) return ReplyError("EXEC", *exec.element[i]);
  }
  return absl::OkStatus();
}

// INFO persistence as field -> value.
absl::StatusOr<std::map<std::string, std::string, std::less<>>> PersistenceInfo(
    RedisConnection& connection) {
  auto reply = connection.Run({"INFO", "persistence"});
  if (!reply.ok()) return reply.status();
  if ((*reply)->type != REDIS_REPLY_STRING) return ReplyError("INFO", **reply);
  std::map<std::string, std::string, std::less<>> fields;
  const absl::string_view text((*reply)->str, (*reply)->len);
  for (absl::string_view line : absl::StrSplit(text, absl::ByAnyChar("\r\n"))) {
    const size_t colon = line.find(':');
    if (colon != absl::string_view::npos && !absl::StartsWith(line, "#")) {
      fields.emplace(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    }
  }
  return fields;
}

// A background job of the server that rewrites its files from the data as it is when the job
// starts (BGREWRITEAOF, BGSAVE), as INFO persistence reports it.
struct BackgroundJob {
  const char* command;
  const char* in_progress;  // field: "1" while a job runs
  const char* scheduled;    // field: "1" while one waits to start; nullptr if none
  const char* count;        // field: jobs finished since the server started (Redis 7)
  const char* last_status;  // field: "ok" when the last job succeeded
};

constexpr BackgroundJob kAofRewrite{"BGREWRITEAOF", "aof_rewrite_in_progress",
                                    "aof_rewrite_scheduled", "aof_rewrites",
                                    "aof_last_bgrewrite_status"};
constexpr BackgroundJob kRdbSave{"BGSAVE", "rdb_bgsave_in_progress", nullptr, "rdb_saves",
                                 "rdb_last_bgsave_status"};

// How long a scrub waits for the server's background jobs, and how often it looks.
constexpr auto kScrubDeadline = std::chrono::minutes(10);
constexpr auto kScrubPoll = std::chrono::milliseconds(20);

// Runs `job` so that it STARTS after this call began, and waits until it has finished: a job
// already running forked before our deletes and would keep them, so it is waited out first.
absl::Status RunBackgroundJob(RedisConnection& connection, const BackgroundJob& job,
                              std::chrono::steady_clock::time_point deadline) {
  auto field = [](const auto& info, const char* name) -> absl::StatusOr<std::string> {
    auto it = info.find(name);
    if (it == info.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("redis: INFO persistence has no ", name, " (Redis 7 or later is needed)"));
    }
    return it->second;
  };
  // Waits until no such job runs or waits to run; returns the count of finished jobs then.
  auto idle = [&]() -> absl::StatusOr<int64_t> {
    for (;;) {
      auto info = PersistenceInfo(connection);
      if (!info.ok()) return info.status();
      auto running = field(*info, job.in_progress);
      if (!running.ok()) return running.status();
      absl::StatusOr<std::string> waiting = std::string("0");
      if (job.scheduled != nullptr) waiting = field(*info, job.scheduled);
      if (!waiting.ok()) return waiting.status();
      auto count = field(*info, job.count);
      if (!count.ok()) return count.status();
      int64_t n = 0;
      if (*running == "0" && *waiting == "0" && absl::SimpleAtoi(*count, &n)) return n;
      if (std::chrono::steady_clock::now() > deadline) {
        return absl::DeadlineExceededError(absl::StrCat("redis: ", job.command, " still running"));
      }
      std::this_thread::sleep_for(kScrubPoll);
    }
  };
  for (;;) {
    auto before = idle();
    if (!before.ok()) return before.status();
    auto reply = connection.Run({job.command});
    if (!reply.ok()) return reply.status();
    if ((*reply)->type == REDIS_REPLY_ERROR) {
      // Another job (ours or any client's) got there first: wait for it and start ours after.
      const std::string error = DescribeReply(**reply);
      const bool busy = error.find("in progress") != std::string::npos ||
                        error.find("child process") != std::string::npos;
      if (!busy) return ReplyError(job.command, **reply);
      if (std::chrono::steady_clock::now() > deadline) {
        return absl::DeadlineExceededError(absl::StrCat("redis ", job.command, ": ", error));
      }
      continue;
    }
    for (;;) {
      auto after = idle();
      if (!after.ok()) return after.status();
      if (*after > *before) break;  // a job that started after our call has finished
      std::this_thread::sleep_for(kScrubPoll);
    }
    auto info = PersistenceInfo(connection);
    if (!info.ok()) return info.status();
    auto status = field(*info, job.last_status);
    if (!status.ok()) return status.status();
    if (*status != "ok") {
      return absl::InternalError(
          absl::StrCat("redis ", job.command, ": failed (", job.last_status, ":", *status, ")"));
    }
    return absl::OkStatus();
  }
}

}  // namespace

RedisStateStore::RedisStateStore(std::string key_prefix) : key_prefix_(std::move(key_prefix)) {}

RedisStateStore::~RedisStateStore() = default;

absl::StatusOr<std::unique_ptr<RedisStateStore>> RedisStateStore::Open(const RedisConfig& config) {
  if (config.pool_size < 1) return absl::InvalidArgumentError("redis: pool_size must be >= 1");
  const redis_internal::RedisEndpoint endpoint{config.host,
                                               config.port,
                                               config.password,
                                               config.client_name,
                                               config.connect_timeout,
                                               config.command_timeout};
  std::unique_ptr<RedisStateStore> store(new RedisStateStore(config.key_prefix));
  for (int i = 0; i < config.pool_size; ++i) {
    auto connection = RedisConnection::Open(endpoint);
    if (!connection.ok()) return connection.status();
    store->idle_.push_back(*std::move(connection));
  }
  return store;
}

std::unique_ptr<RedisConnection> RedisStateStore::Acquire() {
  std::unique_lock lock(mu_);
  released_.wait(lock, [this] { return !idle_.empty(); });
  std::unique_ptr<RedisConnection> connection = std::move(idle_.back());
  idle_.pop_back();
  return connection;
}

void RedisStateStore::Release(std::unique_ptr<RedisConnection> connection) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(connection));
  }
  released_.notify_one();
}

template <typename Fn>
auto RedisStateStore::WithConnection(Fn&& fn) {
  std::unique_ptr<RedisConnection> connection = Acquire();
  auto result = fn(*connection);
  Release(std::move(connection));
  return result;
}

absl::StatusOr<std::optional<std::string>> RedisStateStore::Get(const std::string& key) {
  const std::string full_key = key_prefix_ + key;
  auto reply = WithConnection([&](RedisConnection& c) { return c.Run({"GET", full_key}); });
  if (!reply.ok()) return reply.status();
  const redisReply& r = **reply;
  if (r.type == REDIS_REPLY_NIL) return std::nullopt;
  if (r.type != REDIS_REPLY_STRING) return ReplyError("GET", r);
  return std::string(AsView(r));
}

absl::Status RedisStateStore::Commit(const WriteBatch& batch) {
  if (batch.empty()) return absl::OkStatus();
  std::vector<std::string> full_keys;  // owns the bytes the commands point at
  full_keys.reserve(batch.ops().size());
  // Each run of puts is one MSET and each run of deletes one DEL, in the batch's order: a cohort's
  // thousands of writes cost Redis a few commands to parse and queue, not thousands.
  std::vector<Command> commands{{"MULTI"}};
  std::optional<WriteBatch::Op::Kind> run;
  for (const WriteBatch::Op& op : batch.ops()) {
    const std::string& key = full_keys.emplace_back(key_prefix_ + op.key);
    if (op.kind != run) {
      commands.push_back({op.kind == WriteBatch::Op::Kind::kPut ? "MSET" : "DEL"});
      run = op.kind;
    }
    commands.back().push_back(key);
    if (op.kind == WriteBatch::Op::Kind::kPut) commands.back().push_back(op.value);
  }
  commands.push_back({"EXEC"});
  auto replies = WithConnection([&](RedisConnection& c) { return c.Pipeline(commands); });
  if (!replies.ok()) return replies.status();
  return CheckTransaction(*replies);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> RedisStateStore::ScanPrefix(
    const std::string& prefix) {
  return WithConnection(
      [&](RedisConnection& c) -> absl::StatusOr<std::vector<std::pair<std::string, std::string>>> {
        auto keys = ScanKeys(c, key_prefix_ + prefix);
        if (!keys.ok()) return keys.status();
        auto values = FetchValues(c, *keys);
        if (!values.ok()) return values.status();
        // Keys deleted since the scan are left out.
        std::vector<std::pair<std::string, std::string>> rows;
        rows.reserve(keys->size());
        for (size_t i = 0; i < keys->size(); ++i) {
          if ((*values)[i]) rows.emplace_back((*keys)[i].substr(key_prefix_.size()), *(*values)[i]);
        }
        return rows;
      });
}

absl::StatusOr<std::vector<std::optional<std::string>>> RedisStateStore::GetMany(
    const std::vector<std::string>& keys) {
  std::vector<std::string> full_keys;
  full_keys.reserve(keys.size());
  for (const std::string& key : keys) full_keys.push_back(key_prefix_ + key);
  return WithConnection([&](RedisConnection& c) { return FetchValues(c, full_keys); });
}

absl::Status RedisStateStore::Scrub() {
  const auto deadline = std::chrono::steady_clock::now() + kScrubDeadline;
  return WithConnection([&](RedisConnection& c) -> absl::Status {
    auto info = PersistenceInfo(c);
    if (!info.ok()) return info.status();
    auto aof = info->find("aof_enabled");
    if (aof != info->end() && aof->second == "1") {
      if (absl::Status s = RunBackgroundJob(c, kAofRewrite, deadline); !s.ok()) return s;
    }
    auto save = c.Run({"CONFIG", "GET", "save"});
    if (!save.ok()) return save.status();
    const redisReply& r = **save;
    if (r.type != REDIS_REPLY_ARRAY || r.elements != 2) return ReplyError("CONFIG GET save", r);
    if (r.element[1]->len == 0) return absl::OkStatus();  // no RDB snapshots
    return RunBackgroundJob(c, kRdbSave, deadline);
  });
}

absl::Status RedisStateStore::FlushNamespace() {
  if (key_prefix_.empty()) {
    return absl::FailedPreconditionError("redis: refusing to flush an empty namespace");
  }
  return WithConnection([&](RedisConnection& c) {
    auto keys = ScanKeys(c, key_prefix_);
    if (!keys.ok()) return keys.status();
    return UnlinkKeys(c, *keys);
  });
}

}  // namespace microcred
