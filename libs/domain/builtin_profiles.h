// The built-in policy profiles' JSON texts (libs/domain/profiles/*.json), embedded at build
// time. Internal to libs/domain: use PolicyProfile::Named().
#ifndef MICROCRED_LIBS_DOMAIN_BUILTIN_PROFILES_H_
#define MICROCRED_LIBS_DOMAIN_BUILTIN_PROFILES_H_

#include <span>
#include <string_view>

namespace microcred::domain::internal {

struct BuiltinProfileJson {
  std::string_view name;  // the file name without ".json"
  std::string_view json;
};

// Sorted by name.
std::span<const BuiltinProfileJson> BuiltinProfileJsons();

}  // namespace microcred::domain::internal

#endif  // MICROCRED_LIBS_DOMAIN_BUILTIN_PROFILES_H_
