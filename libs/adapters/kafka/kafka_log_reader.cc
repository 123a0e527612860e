#include "libs/adapters/kafka/kafka_log_reader.h"

#include <utility>

#include "libs/adapters/kafka/kafka_internal.h"

namespace microcred::kafka_internal {
namespace {

// Errors the consumer reports while it reconnects by itself.
bool IsTransient(RdKafka::ErrorCode code) {
  return code == RdKafka::ERR__TRANSPORT || code == RdKafka::ERR__ALL_BROKERS_DOWN ||
         code == RdKafka::ERR__RESOLVE || code == RdKafka::ERR__PARTITION_EOF;
}

LogRecord ToRecord(const RdKafka::Message& message) {
  LogRecord record;
  record.topic = message.topic_name();
  record.partition = message.partition();
  record.offset = message.offset();
  if (message.key_pointer() != nullptr) {
    record.key.assign(static_cast<const char*>(message.key_pointer()), message.key_len());
  }
  if (message.payload() != nullptr) {
    record.value.assign(static_cast<const char*>(message.payload()), message.len());
  }
  return record;
}

}  // namespace

KafkaLogReader::~KafkaLogReader() { consumer_->close(); }

absl::StatusOr<std::vector<LogRecord>> KafkaLogReader::Poll(std::chrono::milliseconds timeout) {
  if (!deferred_error_.ok()) return std::exchange(deferred_error_, absl::OkStatus());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<LogRecord> records;
  while (records.size() < kMaxBatch) {
    // Only the first record is waited for; after it, take only what has already arrived.
    const int wait_ms = records.empty() ? MillisUntil(deadline) : 0;
    std::unique_ptr<RdKafka::Message> message(consumer_->consume(wait_ms));
    const RdKafka::ErrorCode err = message->err();
    if (err == RdKafka::ERR_NO_ERROR) {
      records.push_back(ToRecord(*message));
    } else if (err == RdKafka::ERR__TIMED_OUT || (IsTransient(err) && wait_ms == 0)) {
      break;
    } else if (!IsTransient(err)) {
      absl::Status error = KafkaError(err, "read " + message->topic_name(), message->errstr());
      if (records.empty()) return error;
      deferred_error_ = error;  // the records before it are already consumed: return them
      break;
    }
  }
  return records;
}

}  // namespace microcred::kafka_internal
