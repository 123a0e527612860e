// String building for this folder's error messages. Internal to libs/domain.
//
// Debian's Abseil is built with ABSL_OPTION_USE_STD_STRING_VIEW=0, so absl::string_view is
// its own type and absl::StrCat does not accept std::string_view, which this folder's API
// uses. Cat() is absl::StrCat with std::string_view arguments converted.
#ifndef MICROCRED_LIBS_DOMAIN_STRINGS_INTERNAL_H_
#define MICROCRED_LIBS_DOMAIN_STRINGS_INTERNAL_H_

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace microcred::domain::internal {

inline absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

template <typename T>
const T& ForStrCat(const T& value) {
  return value;
}
inline absl::string_view ForStrCat(std::string_view value) { return ToAbsl(value); }

template <typename... Args>
std::string Cat(const Args&... args) {
  return absl::StrCat(ForStrCat(args)...);
}

}  // namespace microcred::domain::internal

#endif  // MICROCRED_LIBS_DOMAIN_STRINGS_INTERNAL_H_
