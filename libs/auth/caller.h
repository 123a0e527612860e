// Caller: who is calling, as a verified bearer token says (tokens.h). What services decide on:
// the subject, the institution the token is for, and its roles (roles.h).
//
// Knows no transport: gRPC handlers (libs/host/grpc_auth.h) and web pages build one the same way.
#ifndef MICROCRED_LIBS_AUTH_CALLER_H_
#define MICROCRED_LIBS_AUTH_CALLER_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "libs/auth/roles.h"

namespace microcred::auth {

struct Caller {
  std::string subject;         // "sub"
  std::string institution_id;  // "inst"
  std::vector<std::string> roles;

  bool HasRole(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  }
};

}  // namespace microcred::auth

#endif  // MICROCRED_LIBS_AUTH_CALLER_H_
