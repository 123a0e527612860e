// TopicRegistry: finds the partitions of the topics a KafkaEventLog uses, creating missing
// topics first (the C++ API has no admin client, so creation goes through the C API on the
// same handle). Partition counts are cached: Kafka topics only ever gain partitions through an
// operator, and this platform never does that to a live topic.
//
// Internal to the Kafka adapter. Thread-safe.
#ifndef MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_TOPICS_H_
#define MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_TOPICS_H_

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"

namespace microcred::kafka_internal {

struct NewTopicSettings {
  int32_t partitions = 0;
  int16_t replication_factor = 0;
};

class TopicRegistry {
 public:
  // `handle` (not owned) must outlive the registry. `timeout` bounds each lookup or creation.
  TopicRegistry(RdKafka::Handle* handle, NewTopicSettings new_topics,
                std::chrono::milliseconds timeout)
      : handle_(handle), new_topics_(new_topics), timeout_(timeout) {}

  // The number of partitions of `topic`, once every partition has a leader. Creates the topic
  // with the NewTopicSettings when it does not exist (another creator winning the race is fine).
  absl::StatusOr<int32_t> Partitions(const std::string& topic);

 private:
  enum class State { kMissing, kNotReady, kReady };
  struct Lookup {
    State state = State::kMissing;
    int32_t partitions = 0;
  };

  absl::StatusOr<Lookup> LookUp(const std::string& topic);
  absl::Status Create(const std::string& topic);
  absl::StatusOr<int32_t> AwaitReady(const std::string& topic);

  RdKafka::Handle* const handle_;
  const NewTopicSettings new_topics_;
  const std::chrono::milliseconds timeout_;
  std::mutex mu_;
  std::map<std::string, int32_t> partitions_;  // topics known to be ready; guarded by mu_
};

}  // namespace microcred::kafka_internal

#endif  // MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_TOPICS_H_
