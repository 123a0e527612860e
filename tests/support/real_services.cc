#include "tests/support/real_services.h"

#include <hiredis/hiredis.h>

#include <cstdlib>

namespace microcred::testing_support {
namespace {

absl::StatusOr<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    return absl::FailedPreconditionError(std::string(name) +
                                         " is not set: run through tests/infra/with-services.sh");
  }
  return std::string(value);
}

}  // namespace

absl::StatusOr<std::string> KafkaBootstrap(int index) {
  return Env(index == 0 ? "MC_KAFKA_BOOTSTRAP" : "MC_KAFKA_BOOTSTRAP_B");
}

absl::StatusOr<RedisConfig> RedisServer(int index, const std::string& key_prefix) {
  auto address = Env(index == 0 ? "MC_REDIS_ADDR" : "MC_REDIS_ADDR_B");
  if (!address.ok()) return address.status();
  size_t colon = address->rfind(':');
  if (colon == std::string::npos) return absl::InvalidArgumentError("expected host:port");
  RedisConfig config;
  config.host = address->substr(0, colon);
  config.port = std::stoi(address->substr(colon + 1));
  config.key_prefix = key_prefix;
  return config;
}

absl::StatusOr<std::unique_ptr<KafkaEventLog>> OpenKafka(const std::string& client_id) {
  return OpenKafka(0, {.client_id = client_id});
}

absl::StatusOr<std::unique_ptr<KafkaEventLog>> OpenKafkaB(const std::string& client_id) {
  return OpenKafka(1, {.client_id = client_id});
}

absl::StatusOr<std::unique_ptr<KafkaEventLog>> OpenKafka(int index, KafkaConfig config) {
  auto bootstrap = KafkaBootstrap(index);
  if (!bootstrap.ok()) return bootstrap.status();
  config.bootstrap_servers = *bootstrap;
  return KafkaEventLog::Open(config);
}

absl::StatusOr<std::unique_ptr<RedisStateStore>> OpenRedis(int index,
                                                           const std::string& key_prefix) {
  auto config = RedisServer(index, key_prefix);
  if (!config.ok()) return config.status();
  return RedisStateStore::Open(*config);
}

absl::Status FlushAll(int index) {
  auto config = RedisServer(index);
  if (!config.ok()) return config.status();
  redisContext* context = redisConnect(config->host.c_str(), config->port);
  if (context == nullptr || context->err) {
    std::string error = context ? context->errstr : "out of memory";
    if (context) redisFree(context);
    return absl::UnavailableError("redis: " + error);
  }
  auto* reply = static_cast<redisReply*>(redisCommand(context, "FLUSHALL"));
  bool ok = reply != nullptr && reply->type == REDIS_REPLY_STATUS;
  if (reply) freeReplyObject(reply);
  redisFree(context);
  return ok ? absl::OkStatus() : absl::InternalError("FLUSHALL failed");
}

}  // namespace microcred::testing_support
