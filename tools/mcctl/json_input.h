// Reading the JSON files mcctl sends (a specification, a decision, a policy, a VAE file): proto
// field names or their lowerCamelCase forms, enums by name. A misspelt field is an error, not a
// silent omission.
#ifndef MICROCRED_TOOLS_MCCTL_JSON_INPUT_H_
#define MICROCRED_TOOLS_MCCTL_JSON_INPUT_H_

#include <google/protobuf/message.h>

#include <string_view>

#include "absl/status/status.h"

namespace microcred::mcctl {

// Parses `json` into `message` (cleared first). On error: "<source>: not a <Type> in JSON
// (<why>)", followed by "; <hint>" when a hint is given (what the file should look like).
absl::Status ParseJsonMessage(std::string_view json, std::string_view source,
                              google::protobuf::Message& message, std::string_view hint = "");

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_JSON_INPUT_H_
