// Helpers shared by the Kafka adapter's files. Internal: not part of the adapter's interface.
#ifndef MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_INTERNAL_H_
#define MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_INTERNAL_H_

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace microcred::kafka_internal {

using Properties = std::map<std::string, std::string>;

// "kafka <context>: <librdkafka's text for code>[: <detail>]", with a status code that tells
// callers whether retrying may help (Unavailable, DeadlineExceeded) or not.
absl::Status KafkaError(RdKafka::ErrorCode code, absl::string_view context,
                        absl::string_view detail = "");

// A global configuration holding every property; InvalidArgument names the one rejected.
absl::StatusOr<std::unique_ptr<RdKafka::Conf>> MakeConf(const Properties& properties);

// Milliseconds left until `deadline`, never negative: what librdkafka's timeouts expect.
int MillisUntil(std::chrono::steady_clock::time_point deadline);

}  // namespace microcred::kafka_internal

#endif  // MICROCRED_LIBS_ADAPTERS_KAFKA_KAFKA_INTERNAL_H_
