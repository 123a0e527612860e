// KafkaLogReader: a LogReader over an assigned (not subscribed) KafkaConsumer.
//
// Internal to the Kafka adapter: KafkaEventLog::OpenReader builds the consumer, assigns it every
// partition of the requested topics, and hands it over.
#ifndef MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_LOG_READER_H_
#define MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_LOG_READER_H_

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/ports/event_log.h"

namespace microcred::kafka_internal {

class KafkaLogReader : public LogReader {
 public:
  // At most this many records per Poll, so one call never holds an unbounded batch.
  static constexpr size_t kMaxBatch = 1000;

  explicit KafkaLogReader(std::unique_ptr<RdKafka::KafkaConsumer> consumer)
      : consumer_(std::move(consumer)) {}
  ~KafkaLogReader() override;

  // Waits up to `timeout` for a first record, then adds the records already fetched, up to
  // kMaxBatch. Broker outages are not errors here (librdkafka reconnects on its own and the
  // caller simply gets nothing); other consumer errors are returned, after any records that
  // arrived before them.
  absl::StatusOr<std::vector<LogRecord>> Poll(std::chrono::milliseconds timeout) override;

 private:
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  absl::Status deferred_error_;  // met while a batch was being returned; reported next Poll
};

}  // namespace microcred::kafka_internal

#endif  // MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_LOG_READER_H_
