// RedisConnection: one synchronous hiredis connection that pipelines binary-safe commands and
// reconnects once when the connection turns out to be broken.
//
// Internal to the Redis adapter. Not thread-safe: one thread uses a connection at a time
// (RedisStateStore leases connections from a small pool).
#ifndef MICROCRED_LIBS_ADAPTERS_REDIS_REDIS_CONNECTION_H_
#define MICROCRED_LIBS_ADAPTERS_REDIS_REDIS_CONNECTION_H_

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace microcred::redis_internal {

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

// A command as its arguments, e.g. {"SET", key, value}. The views must outlive the call.
using Command = std::vector<std::string_view>;

struct RedisEndpoint {
  std::string host;
  int port = 0;
  std::string password;     // AUTH after connecting when non-empty
  std::string client_name;  // CLIENT SETNAME after connecting when non-empty
  std::chrono::milliseconds connect_timeout{0};
  std::chrono::milliseconds command_timeout{0};
};

class RedisConnection {
 public:
  // Connects (and authenticates) before returning, so that a bad address fails early.
  static absl::StatusOr<std::unique_ptr<RedisConnection>> Open(const RedisEndpoint& endpoint);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends all `commands` in one write and reads their replies, in order. Error replies are
  // returned as replies (the caller judges them); a non-OK status means the transport failed,
  // even after one reconnect and resend.
  absl::StatusOr<std::vector<Reply>> Pipeline(const std::vector<Command>& commands);
  absl::StatusOr<Reply> Run(const Command& command);

 private:
  explicit RedisConnection(RedisEndpoint endpoint) : endpoint_(std::move(endpoint)) {}
  absl::Status Connect();
  absl::Status Handshake();
  void Disconnect();
  absl::StatusOr<std::vector<Reply>> PipelineOnce(const std::vector<Command>& commands);
  absl::Status TransportError(absl::string_view during) const;

  const RedisEndpoint endpoint_;
  redisContext* context_ = nullptr;  // nullptr while disconnected
};

// "ERR ..." text of an error reply, or a description of an unexpected reply type.
std::string DescribeReply(const redisReply& reply);

}  // namespace microcred::redis_internal

#endif  // MICROCRED_LIBS_ADAPTERS_REDIS_REDIS_CONNECTION_H_
