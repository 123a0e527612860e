#include "libs/host/kafka_properties.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"

namespace microcred::host {

absl::StatusOr<std::map<std::string, std::string>> ParseKafkaProperties(const std::string& text) {
  std::map<std::string, std::string> properties;
  std::istringstream lines(text);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    const absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    const size_t equals = trimmed.find('=');
    const absl::string_view name =
        absl::StripAsciiWhitespace(trimmed.substr(0, std::min(equals, trimmed.size())));
    if (equals == absl::string_view::npos || name.empty()) {
      return absl::InvalidArgumentError("Kafka properties, line " + std::to_string(number) +
                                        ": expected name=value");
    }
    properties[std::string(name)] =
        std::string(absl::StripAsciiWhitespace(trimmed.substr(equals + 1)));
  }
  return properties;
}

absl::StatusOr<std::map<std::string, std::string>> ReadKafkaProperties(const std::string& path) {
  if (path.empty()) return std::map<std::string, std::string>();
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("Kafka properties: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto properties = ParseKafkaProperties(text.str());
  if (!properties.ok()) {
    return absl::InvalidArgumentError(path + ": " + std::string(properties.status().message()));
  }
  return properties;
}

}  // namespace microcred::host
