#include "libs/adapters/redis/redis_connection.h"

#include <sys/time.h>

#include <utility>

#include "absl/strings/str_cat.h"

namespace microcred::redis_internal {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

}  // namespace

std::string DescribeReply(const redisReply& reply) {
  switch (reply.type) {
    case REDIS_REPLY_ERROR:
      return std::string(reply.str, reply.len);
    case REDIS_REPLY_NIL:
      return "nil reply";
    default:
      return absl::StrCat("unexpected reply type ", reply.type);
  }
}

absl::StatusOr<std::unique_ptr<RedisConnection>> RedisConnection::Open(
    const RedisEndpoint& endpoint) {
  std::unique_ptr<RedisConnection> connection(new RedisConnection(endpoint));
  if (absl::Status s = connection->Connect(); !s.ok()) return s;
  return connection;
}

RedisConnection::~RedisConnection() { Disconnect(); }

absl::Status RedisConnection::Connect() {
  Disconnect();
  context_ = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port,
                                     ToTimeval(endpoint_.connect_timeout));
  if (context_ == nullptr) return absl::ResourceExhaustedError("redis: cannot allocate a context");
  if (context_->err != 0) return TransportError("connect");
  if (redisSetTimeout(context_, ToTimeval(endpoint_.command_timeout)) != REDIS_OK) {
    return TransportError("set timeout");
  }
  return Handshake();
}

absl::Status RedisConnection::Handshake() {
  std::vector<Command> commands;
  if (!endpoint_.password.empty()) commands.push_back({"AUTH", endpoint_.password});
  if (!endpoint_.client_name.empty()) {
    commands.push_back({"CLIENT", "SETNAME", endpoint_.client_name});
  }
  if (commands.empty()) return absl::OkStatus();
  auto replies = PipelineOnce(commands);
  if (!replies.ok()) return replies.status();
  for (const Reply& reply : *replies) {
    if (reply->type != REDIS_REPLY_STATUS) {
      return absl::FailedPreconditionError(
          absl::StrCat("redis handshake: ", DescribeReply(*reply)));
    }
  }
  return absl::OkStatus();
}

void RedisConnection::Disconnect() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

absl::Status RedisConnection::TransportError(absl::string_view during) const {
  std::string detail = context_ != nullptr ? context_->errstr : "not connected";
  return absl::UnavailableError(
      absl::StrCat("redis ", endpoint_.host, ":", endpoint_.port, " (", during, "): ", detail));
}

absl::StatusOr<std::vector<Reply>> RedisConnection::Pipeline(const std::vector<Command>& commands) {
  if (context_ != nullptr && context_->err == 0) {
    auto replies = PipelineOnce(commands);
    if (replies.ok()) return replies;
  }
  // The connection is broken (server restart, idle timeout, failover): reconnect and resend
  // once. Resending is safe for our commands: GET/SCAN/MGET are reads, and a resent
  // MULTI..EXEC of SET/DEL leaves the same final state.
  if (absl::Status s = Connect(); !s.ok()) return s;
  return PipelineOnce(commands);
}

absl::StatusOr<Reply> RedisConnection::Run(const Command& command) {
  auto replies = Pipeline({command});
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::StatusOr<std::vector<Reply>> RedisConnection::PipelineOnce(
    const std::vector<Command>& commands) {
  std::vector<const char*> argv;
  std::vector<size_t> argv_len;
  for (const Command& command : commands) {
    argv.clear();
    argv_len.clear();
    for (std::string_view arg : command) {
      argv.push_back(arg.data());
      argv_len.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(),
                               argv_len.data()) != REDIS_OK) {
      return TransportError("append command");
    }
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      return TransportError("read reply");
    }
    replies.emplace_back(static_cast<redisReply*>(raw));
  }
  return replies;
}

}  // namespace microcred::redis_internal
