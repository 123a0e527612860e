#include "libs/credentials/identity_hash.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "libs/credentials/internal/document_parts.h"

namespace microcred::credentials {

bool IdentityHashMatches(std::string_view hash, std::string_view salt,
                         std::string_view identifier) {
  const absl::string_view trimmed =
      absl::StripAsciiWhitespace(absl::string_view(identifier.data(), identifier.size()));
  const absl::string_view expected(hash.data(), hash.size());
  const bool email = absl::StrContains(trimmed, '@');
  for (const std::string& value :
       {std::string(trimmed), email ? internal::NormalizedEmail(identifier) : std::string()}) {
    if (value.empty()) continue;
    if (absl::EqualsIgnoreCase(internal::SaltedIdentityHash(value, salt), expected)) return true;
  }
  return false;
}

}  // namespace microcred::credentials
