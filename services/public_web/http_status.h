// The HTTP status an error answers with, on every HTTP route of a node (the web pages and the
// node's own routes: keys, status lists).
#ifndef MICROCRED_SERVICES_PUBLIC_WEB_HTTP_STATUS_H_
#define MICROCRED_SERVICES_PUBLIC_WEB_HTTP_STATUS_H_

#include "absl/status/status.h"

namespace microcred::web {

inline int HttpStatusOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    default:
      return 500;
  }
}

}  // namespace microcred::web

#endif  // MICROCRED_SERVICES_PUBLIC_WEB_HTTP_STATUS_H_
