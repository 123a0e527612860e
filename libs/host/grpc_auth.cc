#include "libs/host/grpc_auth.h"

#include <vector>

namespace microcred::host {

absl::StatusOr<auth::Caller> Authorize(const GrpcMetadata& metadata,
                                       const auth::TokenVerifier& verifier,
                                       std::initializer_list<std::string_view> any_of_roles,
                                       absl::Time now) {
  std::vector<std::string_view> authorization;
  auto [first, last] = metadata.equal_range("authorization");
  for (auto it = first; it != last; ++it) {
    authorization.emplace_back(it->second.data(), it->second.size());
  }
  return auth::AuthorizeBearer(authorization, verifier, any_of_roles, now);
}

absl::StatusOr<auth::Caller> Authorize(const grpc::ServerContextBase& context,
                                       const auth::TokenVerifier& verifier,
                                       std::initializer_list<std::string_view> any_of_roles) {
  return Authorize(context.client_metadata(), verifier, any_of_roles, absl::Now());
}

}  // namespace microcred::host
