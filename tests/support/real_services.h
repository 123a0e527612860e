// Where the real services of an integration run are: tests/infra/with-services.sh starts two
// independent single-node Kafka clusters and two redis-servers on loopback and exports their
// addresses. A test that cannot reach them fails; it never skips.
#ifndef MICROCRED_TESTS_SUPPORT_REAL_SERVICES_H_
#define MICROCRED_TESTS_SUPPORT_REAL_SERVICES_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/adapters/kafka/kafka_event_log.h"
#include "libs/adapters/redis/redis_state_store.h"

namespace microcred::testing_support {

// MC_KAFKA_BOOTSTRAP for index 0, MC_KAFKA_BOOTSTRAP_B for index 1: two clusters, e.g. the
// logs of two ecosystems.
absl::StatusOr<std::string> KafkaBootstrap(int index = 0);
// MC_REDIS_ADDR for index 0, MC_REDIS_ADDR_B for index 1 (each node its own server).
absl::StatusOr<RedisConfig> RedisServer(int index, const std::string& key_prefix = "");

// A log on cluster 0 (OpenKafkaB: cluster 1); `config`'s bootstrap_servers is set here.
absl::StatusOr<std::unique_ptr<KafkaEventLog>> OpenKafka(const std::string& client_id);
absl::StatusOr<std::unique_ptr<KafkaEventLog>> OpenKafkaB(const std::string& client_id);
absl::StatusOr<std::unique_ptr<KafkaEventLog>> OpenKafka(int index, KafkaConfig config);
absl::StatusOr<std::unique_ptr<RedisStateStore>> OpenRedis(int index,
                                                           const std::string& key_prefix = "");

// FLUSHALL on a server: what losing a node's Redis looks like.
absl::Status FlushAll(int index);

}  // namespace microcred::testing_support

#endif  // MICROCRED_TESTS_SUPPORT_REAL_SERVICES_H_
