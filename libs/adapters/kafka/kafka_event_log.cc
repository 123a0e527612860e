#include "libs/adapters/kafka/kafka_event_log.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/adapters/kafka/kafka_internal.h"
#include "libs/adapters/kafka/kafka_log_reader.h"
#include "libs/adapters/kafka/kafka_topics.h"

namespace microcred {
namespace {

using kafka_internal::KafkaError;
using kafka_internal::MakeConf;
using kafka_internal::Properties;

// The delivery reports of one Append or AppendBatch call. The caller produces its records with
// a Slot each as opaque, then waits; the poll thread fills the slots in.
class PendingDeliveries {
 public:
  struct Slot {
    PendingDeliveries* owner;
    size_t index;
  };

  explicit PendingDeliveries(size_t count) : results_(count), remaining_(count) {
    slots_.reserve(count);
    for (size_t i = 0; i < count; ++i) slots_.push_back({this, i});
  }

  Slot* slot(size_t index) { return &slots_[index]; }

  void Deliver(size_t index, absl::StatusOr<AppendResult> result) {
    std::lock_guard lock(mu_);
    results_[index] = std::move(result);
    // Notified under the lock: once the waiter sees remaining_ == 0 it destroys this object.
    if (--remaining_ == 0) all_delivered_.notify_all();
  }

  // Records [from, end) were never handed to the producer: no report will come for them.
  void Abandon(size_t from, const absl::Status& why) {
    for (size_t i = from; i < results_.size(); ++i) Deliver(i, why);
  }

  // Waits for every report; the first error if any record failed.
  absl::StatusOr<std::vector<AppendResult>> Wait() {
    std::unique_lock lock(mu_);
    all_delivered_.wait(lock, [this] { return remaining_ == 0; });
    std::vector<AppendResult> delivered;
    delivered.reserve(results_.size());
    for (const absl::StatusOr<AppendResult>& result : results_) {
      if (!result.ok()) return result.status();
      delivered.push_back(*result);
    }
    return delivered;
  }

 private:
  std::vector<Slot> slots_;
  std::mutex mu_;
  std::condition_variable all_delivered_;
  std::vector<absl::StatusOr<AppendResult>> results_;  // guarded by mu_
  size_t remaining_;                                   // guarded by mu_
};

// Routes each delivery report to the PendingDeliveries slot given as the record's opaque.
class DeliveryRouter : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    auto* slot = static_cast<PendingDeliveries::Slot*>(message.msg_opaque());
    slot->owner->Deliver(slot->index, Outcome(message));
  }

 private:
  static absl::StatusOr<AppendResult> Outcome(const RdKafka::Message& message) {
    const std::string context = "append to " + message.topic_name();
    if (message.err() != RdKafka::ERR_NO_ERROR) {
      return KafkaError(message.err(), context, message.errstr());
    }
    // A success without an offset is an "implicit ack": librdkafka infers it because a later
    // batch of the same partition succeeded. That inference is wrong when the earlier batch
    // failed with NOT_LEADER while the broker had no state for this producer (a new producer
    // during a leader change, or a topic created a moment ago): the broker then accepts the
    // later sequence numbers and the record is lost (seen with librdkafka 2.0.2 and Kafka 3.9;
    // confluent-kafka-go issue #921). Report the outcome as unknown, as the port allows; the
    // caller's retry is deduplicated through event ids.
    if (message.offset() < 0) {
      return absl::UnavailableError(absl::StrCat(
          "kafka ", context, ": acknowledged without an offset; the record may be lost, retry"));
    }
    return AppendResult{message.partition(), message.offset()};
  }
};

DeliveryRouter* Router() {
  static auto* router = new DeliveryRouter;  // stateless, shared by every producer; never freed
  return router;
}

Properties CommonProperties(const KafkaConfig& config) {
  return {
      {"bootstrap.servers", config.bootstrap_servers},
      {"client.id", config.client_id},
      // Topics are created by TopicRegistry with our partition count, never implicitly with the
      // broker's default by a metadata request.
      {"allow.auto.create.topics", "false"},
  };
}

// Our choices first, then the operator's properties (which may override them).
Properties WithOperatorProperties(Properties ours, const KafkaConfig& config) {
  for (const auto& [name, value] : config.properties) ours[name] = value;
  return ours;
}

Properties ProducerProperties(const KafkaConfig& config) {
  Properties p = CommonProperties(config);
  // No duplicates or reordering on retries, and "durable" means all in-sync replicas have it.
  p["enable.idempotence"] = "true";
  p["acks"] = "all";
  // The Java client's partitioner, so every Kafka client agrees on where a key lives.
  p["partitioner"] = "murmur2_random";
  // One request in flight per broker. With more, a batch can succeed while an earlier one of
  // the same partition fails with NOT_LEADER; a broker without state for this producer then
  // accepts the gap, and librdkafka reports the failed records as delivered (see
  // DeliveryRouter). Batching does not suffer: records queue up while a request is in flight
  // and leave together (bench/adapters/kafka_append_bench measured no loss of throughput).
  p["max.in.flight.requests.per.connection"] = "1";
  p["linger.ms"] = std::to_string(config.linger.count());
  p["message.timeout.ms"] = std::to_string(config.delivery_timeout.count());
  return WithOperatorProperties(std::move(p), config);
}

Properties ReaderProperties(const KafkaConfig& config) {
  Properties p = CommonProperties(config);
  // KafkaConsumer insists on a group.id, but a reader never subscribes, joins or commits:
  // positions belong to the caller, stored atomically with its state.
  p["group.id"] = config.client_id + ".reader-without-group";
  p["enable.auto.commit"] = "false";
  p["enable.auto.offset.store"] = "false";
  p["enable.partition.eof"] = "false";
  // Services wait for their own projection after appending: have the broker answer an empty
  // fetch after 10 ms instead of the default 500 ms, and retry a failed fetch soon.
  p["fetch.wait.max.ms"] = "10";
  p["fetch.error.backoff.ms"] = "50";
  // A position older than retention restarts at the oldest record still there.
  p["auto.offset.reset"] = "earliest";
  return WithOperatorProperties(std::move(p), config);
}

bool IsLeadershipMoving(RdKafka::ErrorCode err) {
  return err == RdKafka::ERR_NOT_LEADER_FOR_PARTITION || err == RdKafka::ERR_LEADER_NOT_AVAILABLE ||
         err == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART;
}

// A new consumer knows no partition leaders; assigned before it learns them, it retries its
// first offset lookups only after a fixed 500 ms. Fetching the topics' metadata first, through
// topic handles kept alive until assign(), lets the first fetch start at once.
absl::StatusOr<std::vector<std::unique_ptr<RdKafka::Topic>>> LearnLeaders(
    RdKafka::KafkaConsumer& consumer, const std::vector<std::string>& topics,
    std::chrono::milliseconds timeout) {
  std::vector<std::unique_ptr<RdKafka::Topic>> handles;
  std::string error;
  for (const std::string& topic : topics) {
    handles.emplace_back(RdKafka::Topic::create(&consumer, topic, nullptr, error));
    if (handles.back() == nullptr) return absl::InvalidArgumentError("kafka topic: " + error);
    RdKafka::Metadata* metadata = nullptr;
    RdKafka::ErrorCode err = consumer.metadata(false, handles.back().get(), &metadata,
                                               static_cast<int>(timeout.count()));
    delete metadata;
    if (err != RdKafka::ERR_NO_ERROR) return KafkaError(err, "metadata of " + topic);
  }
  return handles;
}

}  // namespace

KafkaEventLog::Assignment::~Assignment() { RdKafka::TopicPartition::destroy(partitions); }

KafkaEventLog::KafkaEventLog(KafkaConfig config, std::unique_ptr<RdKafka::Producer> producer)
    : config_(std::move(config)),
      producer_(std::move(producer)),
      topics_(std::make_unique<kafka_internal::TopicRegistry>(
          producer_.get(),
          kafka_internal::NewTopicSettings{config_.topic_partitions, config_.replication_factor},
          config_.admin_timeout)),
      poll_thread_([this] { DispatchDeliveryReports(); }) {}

absl::StatusOr<std::unique_ptr<KafkaEventLog>> KafkaEventLog::Open(const KafkaConfig& config) {
  if (config.bootstrap_servers.empty()) {
    return absl::InvalidArgumentError("kafka: bootstrap_servers is empty");
  }
  if (config.topic_partitions < 1 || config.replication_factor < 1) {
    return absl::InvalidArgumentError(
        "kafka: topic_partitions and replication_factor must be >= 1");
  }
  auto conf = MakeConf(ProducerProperties(config));
  if (!conf.ok()) return conf.status();
  std::string error;
  if ((*conf)->set("dr_cb", Router(), error) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(absl::StrCat("kafka dr_cb: ", error));
  }
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf->get(), error));
  if (producer == nullptr) return absl::InvalidArgumentError(absl::StrCat("kafka: ", error));
  std::unique_ptr<KafkaEventLog> log(new KafkaEventLog(config, std::move(producer)));
  if (absl::Status reachable = log->CheckReachable(); !reachable.ok()) return reachable;
  return log;
}

KafkaEventLog::~KafkaEventLog() {
  producer_->flush(static_cast<int>(config_.delivery_timeout.count()));
  stopping_ = true;
  // Wake the poll thread now rather than when its wait ends. rd_kafka_poll() serves the main
  // queue; a yield that lands before the thread waits again makes that wait return at once.
  rd_kafka_queue_t* main_queue = rd_kafka_queue_get_main(producer_->c_ptr());
  rd_kafka_queue_yield(main_queue);
  rd_kafka_queue_destroy(main_queue);
  poll_thread_.join();
}

// A metadata request for no topic in particular: answers only if some broker is reachable
// and the security settings are right, which is worth failing on at startup.
absl::Status KafkaEventLog::CheckReachable() {
  RdKafka::Metadata* raw = nullptr;
  RdKafka::ErrorCode err =
      producer_->metadata(false, nullptr, &raw, static_cast<int>(config_.admin_timeout.count()));
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (err != RdKafka::ERR_NO_ERROR) {
    return KafkaError(err, "connect to " + config_.bootstrap_servers);
  }
  return absl::OkStatus();
}

void KafkaEventLog::DispatchDeliveryReports() {
  // poll() returns as soon as it has served a report; the destructor interrupts the wait.
  while (!stopping_) producer_->poll(1000);
}

absl::StatusOr<AppendResult> KafkaEventLog::Append(const AppendRequest& request) {
  auto results = AppendBatch({request});
  if (!results.ok()) return results.status();
  return results->front();
}

absl::StatusOr<std::vector<AppendResult>> KafkaEventLog::AppendBatch(
    const std::vector<AppendRequest>& requests) {
  if (absl::Status s = EnsureTopics(requests); !s.ok()) return s;
  PendingDeliveries pending(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    if (absl::Status s = Produce(requests[i], pending.slot(i)); !s.ok()) {
      pending.Abandon(i, s);
      break;
    }
  }
  return pending.Wait();
}

absl::Status KafkaEventLog::EnsureTopics(const std::vector<AppendRequest>& requests) {
  std::set<std::string> seen;
  for (const AppendRequest& request : requests) {
    if (!seen.insert(request.topic).second) continue;
    if (auto partitions = topics_->Partitions(request.topic); !partitions.ok()) {
      return partitions.status();
    }
  }
  return absl::OkStatus();
}

absl::Status KafkaEventLog::Produce(const AppendRequest& request, void* opaque) {
  const auto deadline = std::chrono::steady_clock::now() + config_.delivery_timeout;
  for (;;) {
    RdKafka::ErrorCode err = producer_->produce(
        request.topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
        const_cast<char*>(request.value.data()), request.value.size(), request.key.data(),
        request.key.size(), /*timestamp=*/0, opaque);
    if (err == RdKafka::ERR_NO_ERROR) return absl::OkStatus();
    // A full local queue drains as deliveries complete; anything else will not get better.
    if (err == RdKafka::ERR__FATAL) return FatalError();
    if (err != RdKafka::ERR__QUEUE_FULL || std::chrono::steady_clock::now() >= deadline) {
      return KafkaError(err, "append to " + request.topic);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

absl::Status KafkaEventLog::FatalError() {
  std::string reason;
  RdKafka::ErrorCode cause = producer_->fatal_error(reason);
  return KafkaError(cause, "producer failed for good (reopen the log)", reason);
}

absl::StatusOr<std::unique_ptr<LogReader>> KafkaEventLog::OpenReader(
    const std::vector<std::string>& topics, const LogPositions& from) {
  Assignment assignment;
  if (absl::Status s = PlanAssignment(topics, from, assignment); !s.ok()) return s;
  auto conf = MakeConf(ReaderProperties(config_));
  if (!conf.ok()) return conf.status();
  std::string error;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf->get(), error));
  if (consumer == nullptr) return absl::InvalidArgumentError(absl::StrCat("kafka reader: ", error));
  auto leaders_known = LearnLeaders(*consumer, topics, config_.admin_timeout);
  if (!leaders_known.ok()) return leaders_known.status();
  if (RdKafka::ErrorCode err = consumer->assign(assignment.partitions);
      err != RdKafka::ERR_NO_ERROR) {
    return KafkaError(err, "assign reader");
  }
  return std::make_unique<kafka_internal::KafkaLogReader>(std::move(consumer));
}

absl::Status KafkaEventLog::PlanAssignment(const std::vector<std::string>& topics,
                                           const LogPositions& from, Assignment& assignment) {
  for (const std::string& topic : topics) {
    absl::StatusOr<int32_t> partitions = topics_->Partitions(topic);
    if (!partitions.ok()) return partitions.status();
    for (int32_t p = 0; p < *partitions; ++p) {
      auto it = from.find(TopicPartition{topic, p});
      int64_t offset = it != from.end() ? it->second : RdKafka::Topic::OFFSET_BEGINNING;
      assignment.partitions.push_back(RdKafka::TopicPartition::create(topic, p, offset));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<LogPositions> KafkaEventLog::EndPositions(const std::string& topic) {
  absl::StatusOr<int32_t> partitions = topics_->Partitions(topic);
  if (!partitions.ok()) return partitions.status();
  const auto deadline = std::chrono::steady_clock::now() + config_.admin_timeout;
  LogPositions ends;
  for (int32_t p = 0; p < *partitions; ++p) {
    absl::StatusOr<int64_t> high = HighWatermark(topic, p, deadline);
    if (!high.ok()) return high.status();
    ends[TopicPartition{topic, p}] = *high;
  }
  return ends;
}

absl::StatusOr<int64_t> KafkaEventLog::HighWatermark(
    const std::string& topic, int32_t partition, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    int64_t low = 0, high = 0;
    RdKafka::ErrorCode err = producer_->query_watermark_offsets(
        topic, partition, &low, &high, kafka_internal::MillisUntil(deadline));
    if (err == RdKafka::ERR_NO_ERROR) return high;
    // A partition that just got its leader (a new topic, a failover) refuses for a moment.
    if (!IsLeadershipMoving(err) || std::chrono::steady_clock::now() >= deadline) {
      return KafkaError(err, absl::StrCat("end of ", topic, "/", partition));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace microcred
