#include "libs/adapters/kafka/kafka_topics.h"

#include <librdkafka/rdkafka.h>

#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "libs/adapters/kafka/kafka_internal.h"

namespace microcred::kafka_internal {
namespace {

// Owners for the C API's objects.
struct CDeleter {
  void operator()(rd_kafka_NewTopic_t* p) const { rd_kafka_NewTopic_destroy(p); }
  void operator()(rd_kafka_AdminOptions_t* p) const { rd_kafka_AdminOptions_destroy(p); }
  void operator()(rd_kafka_queue_t* p) const { rd_kafka_queue_destroy(p); }
  void operator()(rd_kafka_event_t* p) const { rd_kafka_event_destroy(p); }
};
template <typename T>
using CPtr = std::unique_ptr<T, CDeleter>;

RdKafka::ErrorCode AsCpp(rd_kafka_resp_err_t err) { return static_cast<RdKafka::ErrorCode>(err); }

// Sends a CreateTopics request for `topic` and waits for its result event.
absl::StatusOr<CPtr<rd_kafka_event_t>> RequestCreation(rd_kafka_t* rk, const std::string& topic,
                                                       NewTopicSettings settings, int timeout_ms) {
  char error[512];
  CPtr<rd_kafka_NewTopic_t> new_topic(rd_kafka_NewTopic_new(
      topic.c_str(), settings.partitions, settings.replication_factor, error, sizeof error));
  if (new_topic == nullptr) return absl::InvalidArgumentError(absl::StrCat("kafka: ", error));
  CPtr<rd_kafka_AdminOptions_t> options(
      rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS));
  // The operation timeout makes the controller answer only once the topic is fully created.
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout_ms, error, sizeof error);
  rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout_ms, error, sizeof error);
  CPtr<rd_kafka_queue_t> queue(rd_kafka_queue_new(rk));
  rd_kafka_NewTopic_t* topics[] = {new_topic.get()};
  rd_kafka_CreateTopics(rk, topics, 1, options.get(), queue.get());
  // librdkafka always posts a result (an error one on its own timeout); the margin covers that.
  CPtr<rd_kafka_event_t> event(rd_kafka_queue_poll(queue.get(), timeout_ms + 5000));
  if (event == nullptr) return absl::DeadlineExceededError("kafka: no CreateTopics result");
  return event;
}

absl::Status CheckCreation(rd_kafka_event_t* event, const std::string& topic) {
  const std::string context = "create topic " + topic;
  if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return KafkaError(AsCpp(rd_kafka_event_error(event)), context,
                      rd_kafka_event_error_string(event));
  }
  size_t count = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event), &count);
  for (size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      continue;
    }
    const char* detail = rd_kafka_topic_result_error_string(results[i]);
    return KafkaError(AsCpp(err), context, detail != nullptr ? detail : "");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int32_t> TopicRegistry::Partitions(const std::string& topic) {
  {
    std::lock_guard lock(mu_);
    if (auto it = partitions_.find(topic); it != partitions_.end()) return it->second;
  }
  // Not under the lock: lookups and creation take round trips, and racing creators are fine.
  absl::StatusOr<Lookup> found = LookUp(topic);
  if (!found.ok()) return found.status();
  if (found->state == State::kMissing) {
    if (absl::Status created = Create(topic); !created.ok()) return created;
  }
  absl::StatusOr<int32_t> partitions =
      found->state == State::kReady ? found->partitions : AwaitReady(topic);
  if (!partitions.ok()) return partitions.status();
  std::lock_guard lock(mu_);
  partitions_[topic] = *partitions;
  return *partitions;
}

absl::StatusOr<TopicRegistry::Lookup> TopicRegistry::LookUp(const std::string& topic) {
  std::string error;
  std::unique_ptr<RdKafka::Topic> handle(RdKafka::Topic::create(handle_, topic, nullptr, error));
  if (handle == nullptr) return absl::InvalidArgumentError(absl::StrCat("kafka topic: ", error));
  RdKafka::Metadata* raw = nullptr;
  RdKafka::ErrorCode err =
      handle_->metadata(false, handle.get(), &raw, static_cast<int>(timeout_.count()));
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (err != RdKafka::ERR_NO_ERROR) return KafkaError(err, "metadata of " + topic);
  for (const RdKafka::TopicMetadata* t : *metadata->topics()) {
    if (t->topic() != topic) continue;
    if (t->err() == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART) return Lookup{State::kMissing, 0};
    if (t->err() == RdKafka::ERR_LEADER_NOT_AVAILABLE) return Lookup{State::kNotReady, 0};
    if (t->err() != RdKafka::ERR_NO_ERROR) return KafkaError(t->err(), "metadata of " + topic);
    const auto& partitions = *t->partitions();
    for (const RdKafka::PartitionMetadata* p : partitions) {
      if (p->err() != RdKafka::ERR_NO_ERROR || p->leader() < 0) return Lookup{State::kNotReady, 0};
    }
    if (partitions.empty()) return Lookup{State::kNotReady, 0};
    return Lookup{State::kReady, static_cast<int32_t>(partitions.size())};
  }
  return Lookup{State::kMissing, 0};
}

absl::Status TopicRegistry::Create(const std::string& topic) {
  auto event =
      RequestCreation(handle_->c_ptr(), topic, new_topics_, static_cast<int>(timeout_.count()));
  if (!event.ok()) return event.status();
  return CheckCreation(event->get(), topic);
}

// A created topic's partitions get their leaders a moment later; readers and producers need
// them, so wait for all.
absl::StatusOr<int32_t> TopicRegistry::AwaitReady(const std::string& topic) {
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    absl::StatusOr<Lookup> found = LookUp(topic);
    if (!found.ok()) return found.status();
    if (found->state == State::kReady) return found->partitions;
    if (std::chrono::steady_clock::now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("kafka: topic ", topic, " has no leader for every partition yet"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace microcred::kafka_internal
