// KafkaEventLog: the EventLog port on an Apache Kafka cluster (librdkafka).
//
// Appends go through one idempotent producer (acks=all, so "durable" means acknowledged by all
// in-sync replicas). Append blocks until the broker has acknowledged that very record, yet
// appends from many threads share the producer's batches: each caller waits only for its own
// delivery report, which a background thread dispatches. Keys are partitioned like the Java
// client (murmur2), so records of one key keep their order and other Kafka clients agree on
// where a key lives.
//
// Topics are created on first use (append, reader or EndPositions) with `topic_partitions`
// and `replication_factor`; topics that already exist are used as they are.
//
// Readers are plain consumers without a consumer group: each one is assigned every partition
// of its topics and tracks its position itself (callers persist positions in their own state,
// atomically with what they derive from the records). Nothing is committed to Kafka.
//
// Failure: the idempotent producer can meet a fatal error (e.g. records lost by the cluster
// after an unclean leader election); from then on every Append fails saying so, and the
// service should reopen the log.
//
// Thread safety: as EventLog. A reader may outlive the log that opened it.
#ifndef MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_EVENT_LOG_H_
#define MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_EVENT_LOG_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/ports/event_log.h"

namespace RdKafka {
class Producer;
class TopicPartition;
}  // namespace RdKafka

namespace microcred {

namespace kafka_internal {
class TopicRegistry;
}

struct KafkaConfig {
  std::string bootstrap_servers;  // "host:9092,host2:9092"
  std::string client_id = "microcred";
  int32_t topic_partitions = 3;    // for topics this log creates
  int16_t replication_factor = 1;  // for topics this log creates; 3 in production
  // How long the producer may hold a record to batch it with others (linger.ms). 0, because
  // Append blocks until acknowledged: linger is added to every caller's latency and caps a
  // synchronous caller at 1/(linger + round trip) appends/s. Records still share batches:
  // whatever is queued while earlier requests are in flight goes out together. Measured on
  // loopback (bench/adapters/kafka_append_bench): 0 ms beat 1 and 5 ms for 1, 8 and 64
  // appending threads and for AppendBatch. Raise it for many mostly-idle async producers.
  std::chrono::milliseconds linger{0};
  // An Append that is not acknowledged within this time fails (message.timeout.ms).
  std::chrono::milliseconds delivery_timeout{30000};
  // Bounds Open's reachability check, topic lookup/creation and EndPositions.
  std::chrono::milliseconds admin_timeout{10000};
  // Extra librdkafka properties for the producer and every reader (TLS, SASL, tuning), e.g.
  // {"security.protocol", "SASL_SSL"}. Applied last, so they override the adapter's choices.
  std::map<std::string, std::string> properties;
};

class KafkaEventLog : public EventLog {
 public:
  // Fails when the configuration is invalid or no broker answers within admin_timeout.
  static absl::StatusOr<std::unique_ptr<KafkaEventLog>> Open(const KafkaConfig& config);
  // Waits for records still in flight (up to delivery_timeout), then stops the poll thread.
  ~KafkaEventLog() override;

  absl::StatusOr<AppendResult> Append(const AppendRequest& request) override;
  absl::StatusOr<std::vector<AppendResult>> AppendBatch(
      const std::vector<AppendRequest>& requests) override;
  absl::StatusOr<std::unique_ptr<LogReader>> OpenReader(const std::vector<std::string>& topics,
                                                        const LogPositions& from) override;
  absl::StatusOr<LogPositions> EndPositions(const std::string& topic) override;

 private:
  KafkaEventLog(KafkaConfig config, std::unique_ptr<RdKafka::Producer> producer);
  // TopicPartitions for a reader's assign(), freed however OpenReader ends.
  struct Assignment {
    Assignment() = default;
    Assignment(const Assignment&) = delete;
    Assignment& operator=(const Assignment&) = delete;
    ~Assignment();
    std::vector<RdKafka::TopicPartition*> partitions;
  };

  absl::Status CheckReachable();
  absl::Status PlanAssignment(const std::vector<std::string>& topics, const LogPositions& from,
                              Assignment& assignment);
  absl::Status EnsureTopics(const std::vector<AppendRequest>& requests);
  // Hands one record to the producer; `opaque` comes back with its delivery report.
  absl::Status Produce(const AppendRequest& request, void* opaque);
  // After a fatal error (the idempotence guarantee could not be kept) every produce fails.
  absl::Status FatalError();
  void DispatchDeliveryReports();  // the poll thread's body
  absl::StatusOr<int64_t> HighWatermark(const std::string& topic, int32_t partition,
                                        std::chrono::steady_clock::time_point deadline);

  const KafkaConfig config_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::unique_ptr<kafka_internal::TopicRegistry> topics_;
  std::atomic<bool> stopping_{false};
  std::thread poll_thread_;  // last: starts once everything above exists
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_EVENT_LOG_H_
