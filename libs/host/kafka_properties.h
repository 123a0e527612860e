// librdkafka client properties kept in a file, for what the Kafka adapter's own settings do not
// cover: TLS and SASL (e.g. the mutual TLS of a Strimzi KafkaUser), timeouts, tuning.
//
// The format is the one kcat reads with -F: one `name=value` per line; blank lines and lines
// starting with '#' are ignored; spaces around the name and the value are trimmed. The same
// file therefore configures a node (`--kafka-config`), `mcctl registry` and kcat.
#ifndef MICROCRED_LIBS_HOST_KAFKA_PROPERTIES_H_
#define MICROCRED_LIBS_HOST_KAFKA_PROPERTIES_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace microcred::host {

// The properties in `text`. InvalidArgument naming the line when one has no '=' or no name.
absl::StatusOr<std::map<std::string, std::string>> ParseKafkaProperties(const std::string& text);

// The properties in the file at `path`; an empty path gives none. NotFound when it cannot be
// read.
absl::StatusOr<std::map<std::string, std::string>> ReadKafkaProperties(const std::string& path);

}  // namespace microcred::host

#endif  // MICROCRED_LIBS_HOST_KAFKA_PROPERTIES_H_
