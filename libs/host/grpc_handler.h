// What every gRPC handler of the services does: authorize the caller for the RPC's roles, call
// the service, and turn its absl::StatusOr into the response or a grpc::Status.
//
//   return host::Authorized(*context, verifier_, {roles::kRegistrar}, response,
//                           [&](const auth::Caller& c) { return service_.Issue(c, *request); });
#ifndef MICROCRED_LIBS_HOST_GRPC_HANDLER_H_
#define MICROCRED_LIBS_HOST_GRPC_HANDLER_H_

#include <grpcpp/grpcpp.h>

#include <initializer_list>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "libs/host/grpc_auth.h"
#include "libs/host/grpc_status.h"

namespace microcred::host {

// `result` into `*response`, or its error as a grpc::Status.
template <typename T>
grpc::Status Answer(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// Authorizes the caller for any of `any_of_roles` (empty: any verified caller), then answers
// with `call(caller)`.
template <typename T, typename Call>
grpc::Status Authorized(const grpc::ServerContext& context, const auth::TokenVerifier& verifier,
                        std::initializer_list<std::string_view> any_of_roles, T* response,
                        Call call) {
  auto caller = Authorize(context, verifier, any_of_roles);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Answer(call(*caller), response);
}

}  // namespace microcred::host

#endif  // MICROCRED_LIBS_HOST_GRPC_HANDLER_H_
