// Field-level rules shared by the validators of this folder, and usable by services that
// validate their own messages the same way.
//
// Each function returns OK or an INVALID_ARGUMENT error whose message is
// "<field_path>: <what is wrong>", e.g. `content.country: "XX" is not an assigned ISO 3166-1
// alpha-2 code`. Pure; thread-safe.
#ifndef MICROCRED_LIBS_DOMAIN_FIELD_RULES_H_
#define MICROCRED_LIBS_DOMAIN_FIELD_RULES_H_

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"

namespace microcred::domain {

struct TextRule {
  bool required = false;
  // Counted in Unicode code points, not bytes.
  size_t max_chars = 0;
  // A single-line text (a title, a name) may hold no control character at all and may not
  // begin or end with white space: it is shown and compared as it is stored. Multi-line text
  // (descriptions) may hold TAB, LF and CR.
  bool single_line = false;
};

// Checks, in this order: well-formed UTF-8; present (when required: more than white space);
// no forbidden control character; no surrounding white space (single line); length. An empty
// optional text is valid.
absl::Status ValidateText(std::string_view value, std::string_view field_path, TextRule rule);

// Required; an assigned ISO 3166-1 alpha-2 code in upper case.
absl::Status ValidateCountryCode(std::string_view value, std::string_view field_path);

// Optional; when set, an ISO 3166-2 code of `country` (see IsIsoSubdivisionCodeOf).
// `country` must already be valid.
absl::Status ValidateRegionCode(std::string_view value, std::string_view country,
                                std::string_view field_path);

// Required; an absolute https URL with a host name (letters, digits, '.', '-', optional
// ":port"), no user information, no white space or control character, at most 2048 bytes.
// Plain http is refused: the links a catalogue publishes are followed by learners and
// receiving organisations, who must get what the provider published.
absl::Status ValidateHttpsUrl(std::string_view value, std::string_view field_path);

// Optional; when set, a DEQAR institution id: "DEQARINST" and 4 to 10 digits
// ("DEQARINST0107"), as DEQAR prints them (its ids are zero-padded to at least four digits).
absl::Status ValidateDeqarInstitutionId(std::string_view value, std::string_view field_path);

// Optional; when set, a reference into DEQAR: either a DEQAR institution id (see above) or a
// DEQAR report id, which DEQAR assigns as a plain positive integer (1 to 10 digits, no
// leading zero). Anything else (a URL, free text) is refused: free text belongs in the
// quality-assurance description.
absl::Status ValidateDeqarReference(std::string_view value, std::string_view field_path);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_FIELD_RULES_H_
