// Conversions between absl::Status and grpc::Status. The two code spaces are the same canonical
// codes (google.rpc.Code), so each code maps to its namesake and the message is kept.
// Status payloads are not carried across.
#ifndef MICROCRED_LIBS_HOST_GRPC_STATUS_H_
#define MICROCRED_LIBS_HOST_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace microcred::host {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace microcred::host

#endif  // MICROCRED_LIBS_HOST_GRPC_STATUS_H_
