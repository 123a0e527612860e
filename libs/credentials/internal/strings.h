// String building for this folder. Internal to libs/credentials.
//
// Debian's Abseil has its own absl::string_view, distinct from std::string_view, and
// absl::StrCat does not accept the latter. Cat() is absl::StrCat with std::string_view
// arguments converted.
#ifndef MICROCRED_LIBS_CREDENTIALS_INTERNAL_STRINGS_H_
#define MICROCRED_LIBS_CREDENTIALS_INTERNAL_STRINGS_H_

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace microcred::credentials::internal {

template <typename T>
const T& ForStrCat(const T& value) {
  return value;
}
inline absl::string_view ForStrCat(std::string_view value) {
  return absl::string_view(value.data(), value.size());
}
inline absl::string_view ForStrCat(const std::string& value) {
  return absl::string_view(value.data(), value.size());
}

template <typename... Args>
std::string Cat(const Args&... args) {
  return absl::StrCat(ForStrCat(args)...);
}

}  // namespace microcred::credentials::internal

#endif  // MICROCRED_LIBS_CREDENTIALS_INTERNAL_STRINGS_H_
