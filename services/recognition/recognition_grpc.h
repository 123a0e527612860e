// The gRPC face of recognition: authenticates the caller, checks the roles each RPC needs, and
// hands over to RecognitionService (which checks the rest: the institution, whose request it
// is, who may decide what).
//
//   RPC                                  who may call
//   SubmitRequest, SubmitVaeRequest      learner (for themself), recognition_officer
//   RequestInformation, StartReview      recognition_officer, jury_member
//   ProvideInformation, Appeal, Withdraw learner (their own request), recognition_officer
//   Decide                               recognition_officer, jury_member (VAE)
//   DecideAppeal                         appeal_officer
//   GetRequest, ListRequests             recognition staff; a learner sees their own
//   PublishPolicy                        recognition_officer, registrar
//   ListPolicies, CheckVaeEligibility    anyone, without a token (policies are published)
#ifndef MICROCRED_SERVICES_RECOGNITION_RECOGNITION_GRPC_H_
#define MICROCRED_SERVICES_RECOGNITION_RECOGNITION_GRPC_H_

#include "libs/auth/tokens.h"
#include "microcred/recognition/v1/recognition.grpc.pb.h"
#include "services/recognition/recognition_service.h"

namespace microcred::recognition {

class RecognitionGrpc final : public v1::RecognitionService::Service {
 public:
  RecognitionGrpc(RecognitionService& service, const auth::TokenVerifier& verifier)
      : service_(service), verifier_(verifier) {}

  grpc::Status SubmitRequest(grpc::ServerContext* context, const v1::SubmitRequestRequest* request,
                             v1::RecognitionRequest* response) override;
  grpc::Status SubmitVaeRequest(grpc::ServerContext* context,
                                const v1::SubmitVaeRequestRequest* request,
                                v1::RecognitionRequest* response) override;
  grpc::Status RequestInformation(grpc::ServerContext* context,
                                  const v1::RequestInformationRequest* request,
                                  v1::RecognitionRequest* response) override;
  grpc::Status ProvideInformation(grpc::ServerContext* context,
                                  const v1::ProvideInformationRequest* request,
                                  v1::RecognitionRequest* response) override;
  grpc::Status StartReview(grpc::ServerContext* context, const v1::StartReviewRequest* request,
                           v1::RecognitionRequest* response) override;
  grpc::Status Decide(grpc::ServerContext* context, const v1::DecideRequest* request,
                      v1::RecognitionRequest* response) override;
  grpc::Status Appeal(grpc::ServerContext* context, const v1::AppealRequest* request,
                      v1::RecognitionRequest* response) override;
  grpc::Status DecideAppeal(grpc::ServerContext* context, const v1::DecideAppealRequest* request,
                            v1::RecognitionRequest* response) override;
  grpc::Status Withdraw(grpc::ServerContext* context, const v1::WithdrawRequest* request,
                        v1::RecognitionRequest* response) override;
  grpc::Status GetRequest(grpc::ServerContext* context, const v1::GetRequestRequest* request,
                          v1::RecognitionRequest* response) override;
  grpc::Status ListRequests(grpc::ServerContext* context, const v1::ListRequestsRequest* request,
                            v1::ListRequestsResponse* response) override;
  grpc::Status PublishPolicy(grpc::ServerContext* context, const v1::PublishPolicyRequest* request,
                             v1::RecognitionPolicy* response) override;
  grpc::Status ListPolicies(grpc::ServerContext* context, const v1::ListPoliciesRequest* request,
                            v1::ListPoliciesResponse* response) override;
  grpc::Status CheckVaeEligibility(grpc::ServerContext* context,
                                   const v1::CheckVaeEligibilityRequest* request,
                                   v1::VaeEligibility* response) override;

 private:
  RecognitionService& service_;
  const auth::TokenVerifier& verifier_;
};

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_RECOGNITION_GRPC_H_
