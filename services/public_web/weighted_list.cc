#include "services/public_web/weighted_list.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace microcred::web {

std::vector<WeightedValue> ParseWeightedList(std::string_view header) {
  std::vector<WeightedValue> list;
  for (absl::string_view member :
       absl::StrSplit(absl::string_view(header.data(), header.size()), ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(member, ';');
    WeightedValue weighted{.value = std::string(absl::StripAsciiWhitespace(parts[0]))};
    for (size_t i = 1; i < parts.size(); ++i) {
      absl::string_view param = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&param, "q=")) {
        weighted.q = std::strtod(std::string(param).c_str(), nullptr);
      }
    }
    list.push_back(std::move(weighted));
  }
  return list;
}

}  // namespace microcred::web
