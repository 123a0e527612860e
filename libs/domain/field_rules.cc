#include "libs/domain/field_rules.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "libs/base/strings.h"
#include "libs/domain/iso_codes.h"
#include "libs/domain/text.h"

namespace microcred::domain {

using strings::Cat;

namespace {

absl::Status Invalid(std::string_view field_path, std::string_view what) {
  return absl::InvalidArgumentError(Cat(field_path, ": ", what));
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
}

bool IsHostNameCharacter(char c) { return absl::ascii_isalnum(c) || c == '.' || c == '-'; }

}  // namespace

absl::Status ValidateText(std::string_view value, std::string_view field_path, TextRule rule) {
  const std::optional<size_t> length = Utf8CodePointCount(value);
  if (!length.has_value()) return Invalid(field_path, "must be valid UTF-8");
  const std::string_view trimmed = TrimWhiteSpace(value);
  if (trimmed.empty()) {
    if (rule.required) return Invalid(field_path, "is required");
    if (!value.empty()) return Invalid(field_path, "must not be only white space");
    return absl::OkStatus();
  }
  if (ContainsControlCharacter(value, /*allow_tab_and_line_breaks=*/!rule.single_line)) {
    return Invalid(field_path, rule.single_line
                                   ? "must not contain control characters or line breaks"
                                   : "must not contain control characters other than tab and "
                                     "line breaks");
  }
  if (rule.single_line && trimmed.size() != value.size()) {
    return Invalid(field_path, "must not begin or end with white space");
  }
  if (*length > rule.max_chars) {
    return Invalid(field_path,
                   Cat("must be at most ", rule.max_chars, " characters (has ", *length, ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateCountryCode(std::string_view value, std::string_view field_path) {
  if (value.empty()) return Invalid(field_path, "is required");
  if (value.size() != 2 || !absl::ascii_isupper(value[0]) || !absl::ascii_isupper(value[1])) {
    return Invalid(field_path, Cat("\"", value,
                                   "\" is not an ISO 3166-1 alpha-2 code (two upper-case letters, "
                                   "e.g. \"BE\")"));
  }
  if (!IsIsoCountryCode(value)) {
    return Invalid(field_path, Cat("\"", value, "\" is not an assigned ISO 3166-1 alpha-2 code"));
  }
  return absl::OkStatus();
}

absl::Status ValidateRegionCode(std::string_view value, std::string_view country,
                                std::string_view field_path) {
  if (value.empty()) return absl::OkStatus();
  if (IsIsoSubdivisionCodeOf(value, country)) return absl::OkStatus();
  if (value.size() > 2 && value[2] == '-' && value.substr(0, 2) != country) {
    return Invalid(field_path,
                   Cat("\"", value, "\" is not a subdivision of country \"", country, "\""));
  }
  return Invalid(field_path, Cat("\"", value,
                                 "\" is not an ISO 3166-2 subdivision code (the country "
                                 "code, '-', then 1 to 3 upper-case letters or digits, "
                                 "e.g. \"BE-WAL\")"));
}

absl::Status ValidateHttpsUrl(std::string_view value, std::string_view field_path) {
  constexpr std::string_view kScheme = "https://";
  if (value.empty()) return Invalid(field_path, "is required");
  if (value.size() > 2048) return Invalid(field_path, "must be at most 2048 bytes");
  if (value.size() < kScheme.size() ||
      absl::AsciiStrToLower(strings::ToAbsl(value.substr(0, kScheme.size()))) != kScheme) {
    return Invalid(field_path, "must be an https URL (https://...)");
  }
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) {
      return Invalid(field_path, "must not contain white space or control characters");
    }
  }
  const std::string_view rest = value.substr(kScheme.size());
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return Invalid(field_path, "must not contain user information (user@host)");
  }
  std::string_view host = authority;
  if (const size_t colon = authority.find(':'); colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !AllDigits(port)) {
      return Invalid(field_path, "has an invalid port");
    }
    host = authority.substr(0, colon);
  }
  const bool host_ok = !host.empty() &&
                       std::all_of(host.begin(), host.end(), IsHostNameCharacter) &&
                       host.front() != '.' && host.front() != '-' && host.back() != '.' &&
                       host.back() != '-' && host.find("..") == std::string_view::npos;
  if (!host_ok) return Invalid(field_path, "must name a host (https://host/...)");
  return absl::OkStatus();
}

absl::Status ValidateDeqarInstitutionId(std::string_view value, std::string_view field_path) {
  constexpr std::string_view kPrefix = "DEQARINST";
  if (value.empty()) return absl::OkStatus();
  const std::string_view digits =
      value.starts_with(kPrefix) ? value.substr(kPrefix.size()) : std::string_view();
  if (digits.size() >= 4 && digits.size() <= 10 && AllDigits(digits)) return absl::OkStatus();
  return Invalid(field_path, Cat("\"", value,
                                 "\" is not a DEQAR institution id (DEQARINST followed "
                                 "by 4 to 10 digits, e.g. \"DEQARINST0107\")"));
}

absl::Status ValidateDeqarReference(std::string_view value, std::string_view field_path) {
  if (value.empty()) return absl::OkStatus();
  if (ValidateDeqarInstitutionId(value, field_path).ok()) return absl::OkStatus();
  if (!value.empty() && value.size() <= 10 && AllDigits(value) && value[0] != '0') {
    return absl::OkStatus();
  }
  return Invalid(field_path, Cat("\"", value,
                                 "\" is not a DEQAR reference (a DEQAR institution id "
                                 "such as \"DEQARINST0107\", or a DEQAR report id such "
                                 "as \"54321\")"));
}

}  // namespace microcred::domain
