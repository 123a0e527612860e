// The caller of a gRPC call: its `authorization` metadata checked by auth::AuthorizeBearer.
//
// In a handler:
//   absl::StatusOr<auth::Caller> caller =
//       Authorize(*context, verifier_, {auth::roles::kCatalogueEditor});
//   if (!caller.ok()) return ToGrpcStatus(caller.status());
#ifndef MICROCRED_LIBS_HOST_GRPC_AUTH_H_
#define MICROCRED_LIBS_HOST_GRPC_AUTH_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/string_ref.h>

#include <initializer_list>
#include <map>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/tokens.h"

namespace microcred::host {

// gRPC request metadata, as ServerContextBase::client_metadata() returns it.
using GrpcMetadata = std::multimap<grpc::string_ref, grpc::string_ref>;

absl::StatusOr<auth::Caller> Authorize(const GrpcMetadata& metadata,
                                       const auth::TokenVerifier& verifier,
                                       std::initializer_list<std::string_view> any_of_roles,
                                       absl::Time now);

// The same on a live call (sync or callback API), at the current time.
absl::StatusOr<auth::Caller> Authorize(const grpc::ServerContextBase& context,
                                       const auth::TokenVerifier& verifier,
                                       std::initializer_list<std::string_view> any_of_roles);

}  // namespace microcred::host

#endif  // MICROCRED_LIBS_HOST_GRPC_AUTH_H_
