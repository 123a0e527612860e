#include "tools/mcctl/json_input.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <string>

namespace microcred::mcctl {

absl::Status ParseJsonMessage(std::string_view json, std::string_view source,
                              google::protobuf::Message& message, std::string_view hint) {
  message.Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(std::string(json), &message, options);
  if (parsed.ok()) return absl::OkStatus();
  std::string text = std::string(source) + ": not a " +
                     std::string(message.GetDescriptor()->name()) + " in JSON (" +
                     std::string(parsed.message().data(), parsed.message().size()) + ")";
  if (!hint.empty()) text += "; " + std::string(hint);
  return absl::InvalidArgumentError(text);
}

}  // namespace microcred::mcctl
