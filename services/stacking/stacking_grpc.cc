#include "services/stacking/stacking_grpc.h"

#include "libs/host/grpc_status.h"
#include "libs/host/roles.h"

namespace microcred::stacking {
namespace {

namespace roles = host::roles;

template <typename T>
grpc::Status Answer(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return host::ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// Authorizes the caller for `any_of_roles` (empty: any verified caller), then answers with
// `call(caller)`.
template <typename T, typename Call>
grpc::Status Authorized(const grpc::ServerContext& context, const host::TokenVerifier& verifier,
                        std::initializer_list<std::string_view> any_of_roles, T* response,
                        Call call) {
  auto caller = host::Authorize(context, verifier, any_of_roles);
  if (!caller.ok()) return host::ToGrpcStatus(caller.status());
  return Answer(call(*caller), response);
}

}  // namespace

grpc::Status StackingGrpc::PublishPathway(grpc::ServerContext* context,
                                          const v1::PublishPathwayRequest* request,
                                          v1::Pathway* response) {
  return Authorized(*context, verifier_, {roles::kRecognitionOfficer, roles::kPathwayEditor},
                    response,
                    [&](const host::Caller& c) { return service_.PublishPathway(c, *request); });
}

grpc::Status StackingGrpc::GetPathway(grpc::ServerContext*, const v1::GetPathwayRequest* request,
                                      v1::Pathway* response) {
  return Answer(service_.GetPathway(*request), response);
}

grpc::Status StackingGrpc::ListPathways(grpc::ServerContext*,
                                        const v1::ListPathwaysRequest* request,
                                        v1::ListPathwaysResponse* response) {
  return Answer(service_.ListPathways(*request), response);
}

grpc::Status StackingGrpc::Evaluate(grpc::ServerContext* context,
                                    const v1::EvaluateRequest* request,
                                    v1::EvaluateResponse* response) {
  return Authorized(*context, verifier_, {}, response,
                    [&](const host::Caller& c) { return service_.Evaluate(c, *request); });
}

grpc::Status StackingGrpc::WhatIf(grpc::ServerContext* context, const v1::WhatIfRequest* request,
                                  v1::EvaluateResponse* response) {
  return Authorized(*context, verifier_, {}, response,
                    [&](const host::Caller& c) { return service_.WhatIf(c, *request); });
}

grpc::Status StackingGrpc::Confer(grpc::ServerContext* context, const v1::ConferRequest* request,
                                  v1::ConferResponse* response) {
  return Authorized(*context, verifier_, {roles::kRecognitionOfficer}, response,
                    [&](const host::Caller& c) { return service_.Confer(c, *request); });
}

}  // namespace microcred::stacking
