// RedisStateStore: the StateStore port on a Redis server (hiredis, synchronous API).
//
// Every key is stored as `key_prefix + key`, so several services or nodes can share one server;
// ScanPrefix and FlushNamespace only ever see their own namespace. A WriteBatch becomes one
// MULTI/SET/DEL/EXEC transaction, sent as a single pipelined write: Redis applies it atomically
// and, with AOF persistence, replays it all-or-nothing after a crash.
//
// Limits worth knowing:
//  - ScanPrefix is SCAN + MGET, not a point-in-time snapshot: a batch committed while a scan is
//    running may be seen in part. Get never sees half a batch.
//  - After a broken connection a command is resent once on a new connection. For Commit this
//    means a transaction whose EXEC reached the server may be applied twice, which leaves the
//    same final state (SET/DEL are idempotent).
//
// Thread safety: every method may be called from any thread; calls share a small pool of
// connections and wait when all of them are busy.
#ifndef MICROCRED_LIBS_ADAPTERS_REDIS_REDIS_STATE_STORE_H_
#define MICROCRED_LIBS_ADAPTERS_REDIS_REDIS_STATE_STORE_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/ports/state_store.h"

namespace microcred {

namespace redis_internal {
class RedisConnection;
}

struct RedisConfig {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;  // AUTH on connect when non-empty
  // The namespace, e.g. "issuer:node-1:"; empty means the whole server. No namespace on a
  // shared server may be a prefix of another ("a:" and "a:b:" overlap).
  std::string key_prefix;
  std::string client_name = "microcred";  // shown by CLIENT LIST; no spaces
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds command_timeout{5000};
  int pool_size = 4;  // connections; concurrent calls beyond this wait for a free one
};

class RedisStateStore : public StateStore {
 public:
  // Connects every pooled connection before returning, so a wrong address fails here.
  static absl::StatusOr<std::unique_ptr<RedisStateStore>> Open(const RedisConfig& config);
  ~RedisStateStore() override;

  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override;
  // MGET, in chunks.
  absl::StatusOr<std::vector<std::optional<std::string>>> GetMany(
      const std::vector<std::string>& keys) override;
  absl::Status Commit(const WriteBatch& batch) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string& prefix) override;
  // Rewrites the server's files from its data as it is now: BGREWRITEAOF when the append-only
  // file is on, BGSAVE when RDB snapshots are (`save` set), each started after this call began
  // and waited for until INFO persistence reports it finished and succeeded. Redis 7 removes
  // the older AOF parts once a rewrite is done. The whole server is rewritten, every namespace
  // included. Needs INFO, CONFIG GET, BGREWRITEAOF and BGSAVE; waits at most ten minutes.
  absl::Status Scrub() override;

  // Deletes every key of this store's namespace (tests, operators resetting a projection).
  // Refuses when the namespace is empty, as that would wipe the whole server.
  absl::Status FlushNamespace();

 private:
  using Connection = redis_internal::RedisConnection;

  explicit RedisStateStore(std::string key_prefix);
  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> connection);
  // Runs `fn(Connection&)` on a pooled connection and returns its result.
  template <typename Fn>
  auto WithConnection(Fn&& fn);

  const std::string key_prefix_;
  std::mutex mu_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_ADAPTERS_REDIS_REDIS_STATE_STORE_H_
