// What one node process holds in a multi-node test or benchmark on the real services: its
// institution and event key, its own Kafka client, its own Redis store, and the node.
#ifndef MICROCRED_TESTS_SUPPORT_RUNNING_NODE_H_
#define MICROCRED_TESTS_SUPPORT_RUNNING_NODE_H_

#include <memory>
#include <string>

#include "services/mcnode/node.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/real_services.h"

namespace microcred::testing_support {

struct RunningNode {
  Institution institution;
  crypto::SigningKey key = crypto::SigningKey::Generate();
  std::unique_ptr<KafkaEventLog> log;
  std::unique_ptr<RedisStateStore> store;
  std::unique_ptr<Node> node;

  // Opens its Kafka client (`client_id`) and its store on Redis server `redis_index` under
  // `key_prefix`.
  absl::Status Open(const std::string& client_id, int redis_index, const std::string& key_prefix) {
    auto kafka = OpenKafka(client_id);
    if (!kafka.ok()) return kafka.status();
    log = *std::move(kafka);
    auto redis = OpenRedis(redis_index, key_prefix);
    if (!redis.ok()) return redis.status();
    store = *std::move(redis);
    return absl::OkStatus();
  }
};

}  // namespace microcred::testing_support

#endif  // MICROCRED_TESTS_SUPPORT_RUNNING_NODE_H_
