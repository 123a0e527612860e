// Bridging std::string_view and Abseil. Debian's Abseil is built with
// ABSL_OPTION_USE_STD_STRING_VIEW=0, so absl::string_view is a distinct type that
// std::string_view does not convert to, and absl::StrCat refuses std::string_view. Our APIs
// take std::string_view and hand it to Abseil through these.
#ifndef MICROCRED_LIBS_BASE_STRINGS_H_
#define MICROCRED_LIBS_BASE_STRINGS_H_

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace microcred::strings {

inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view ToStd(absl::string_view s) { return {s.data(), s.size()}; }

template <typename T>
const T& ForStrCat(const T& value) {
  return value;
}
inline absl::string_view ForStrCat(std::string_view value) { return ToAbsl(value); }

// absl::StrCat that also takes std::string_view.
template <typename... Args>
std::string Cat(const Args&... args) {
  return absl::StrCat(ForStrCat(args)...);
}

}  // namespace microcred::strings

#endif  // MICROCRED_LIBS_BASE_STRINGS_H_
