#include "libs/domain/classifications.h"

#include <algorithm>

#include "absl/strings/ascii.h"

namespace microcred::domain {
namespace {

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'); });
}

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
}

}  // namespace

bool IsEscoSkillUri(std::string_view uri) {
  constexpr std::string_view kPrefix = "http://data.europa.eu/esco/skill/";
  if (uri.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string_view uuid = uri.substr(kPrefix.size());
  if (uuid.size() != 36) return false;
  for (size_t dash : {8, 13, 18, 23}) {
    if (uuid[dash] != '-') return false;
  }
  return IsLowerHex(uuid.substr(0, 8)) && IsLowerHex(uuid.substr(9, 4)) &&
         IsLowerHex(uuid.substr(14, 4)) && IsLowerHex(uuid.substr(19, 4)) &&
         IsLowerHex(uuid.substr(24, 12));
}

bool IsIscedFCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 4 || !IsDigits(code)) return false;
  const int broad_field = (code[0] - '0') * 10 + (code[1] - '0');
  return broad_field <= 10 || broad_field == 99;
}

}  // namespace microcred::domain
