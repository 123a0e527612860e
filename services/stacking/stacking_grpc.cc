#include "services/stacking/stacking_grpc.h"

#include "libs/auth/roles.h"
#include "libs/host/grpc_handler.h"

namespace microcred::stacking {
namespace {

using host::Answer;
using host::Authorized;

namespace roles = auth::roles;

}  // namespace

grpc::Status StackingGrpc::PublishPathway(grpc::ServerContext* context,
                                          const v1::PublishPathwayRequest* request,
                                          v1::Pathway* response) {
  return Authorized(*context, verifier_, {roles::kRecognitionOfficer, roles::kPathwayEditor},
                    response,
                    [&](const auth::Caller& c) { return service_.PublishPathway(c, *request); });
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
                    [&](const auth::Caller& c) { return service_.Evaluate(c, *request); });
}

grpc::Status StackingGrpc::WhatIf(grpc::ServerContext* context, const v1::WhatIfRequest* request,
                                  v1::EvaluateResponse* response) {
  return Authorized(*context, verifier_, {}, response,
                    [&](const auth::Caller& c) { return service_.WhatIf(c, *request); });
}

grpc::Status StackingGrpc::Confer(grpc::ServerContext* context, const v1::ConferRequest* request,
                                  v1::ConferResponse* response) {
  return Authorized(*context, verifier_, {roles::kRecognitionOfficer}, response,
                    [&](const auth::Caller& c) { return service_.Confer(c, *request); });
}

}  // namespace microcred::stacking
