// The gRPC face of stacking: authenticates the caller, checks the roles each RPC needs, and
// hands over to StackingService (which checks the rest: the institution, the pathway's owner).
//
//   RPC                        who may call
//   PublishPathway             recognition_officer, pathway_editor
//   GetPathway, ListPathways   anyone, without a token (pathways are published)
//   Evaluate, WhatIf           any valid token (the learner presents the credentials)
//   Confer                     recognition_officer
#ifndef MICROCRED_SERVICES_STACKING_STACKING_GRPC_H_
#define MICROCRED_SERVICES_STACKING_STACKING_GRPC_H_

#include "libs/auth/tokens.h"
#include "microcred/stacking/v1/stacking.grpc.pb.h"
#include "services/stacking/stacking_service.h"

namespace microcred::stacking {

class StackingGrpc final : public v1::Stacking::Service {
 public:
  StackingGrpc(StackingService& service, const auth::TokenVerifier& verifier)
      : service_(service), verifier_(verifier) {}

  grpc::Status PublishPathway(grpc::ServerContext* context,
                              const v1::PublishPathwayRequest* request,
                              v1::Pathway* response) override;
  grpc::Status GetPathway(grpc::ServerContext* context, const v1::GetPathwayRequest* request,
                          v1::Pathway* response) override;
  grpc::Status ListPathways(grpc::ServerContext* context, const v1::ListPathwaysRequest* request,
                            v1::ListPathwaysResponse* response) override;
  grpc::Status Evaluate(grpc::ServerContext* context, const v1::EvaluateRequest* request,
                        v1::EvaluateResponse* response) override;
  grpc::Status WhatIf(grpc::ServerContext* context, const v1::WhatIfRequest* request,
                      v1::EvaluateResponse* response) override;
  grpc::Status Confer(grpc::ServerContext* context, const v1::ConferRequest* request,
                      v1::ConferResponse* response) override;

 private:
  StackingService& service_;
  const auth::TokenVerifier& verifier_;
};

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_STACKING_GRPC_H_
