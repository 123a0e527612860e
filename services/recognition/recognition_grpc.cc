#include "services/recognition/recognition_grpc.h"

#include "libs/auth/roles.h"
#include "libs/host/grpc_handler.h"

namespace microcred::recognition {
namespace {

using host::Answer;
using host::Authorized;

namespace roles = auth::roles;

}  // namespace

grpc::Status RecognitionGrpc::SubmitRequest(grpc::ServerContext* context,
                                            const v1::SubmitRequestRequest* request,
                                            v1::RecognitionRequest* response) {
  return Authorized(*context, verifier_, {roles::kLearner, roles::kRecognitionOfficer}, response,
                    [&](const auth::Caller& c) { return service_.Submit(c, *request); });
}

grpc::Status RecognitionGrpc::SubmitVaeRequest(grpc::ServerContext* context,
                                               const v1::SubmitVaeRequestRequest* request,
                                               v1::RecognitionRequest* response) {
  return Authorized(*context, verifier_, {roles::kLearner, roles::kRecognitionOfficer}, response,
                    [&](const auth::Caller& c) { return service_.SubmitVae(c, *request); });
}

grpc::Status RecognitionGrpc::RequestInformation(grpc::ServerContext* context,
                                                 const v1::RequestInformationRequest* request,
                                                 v1::RecognitionRequest* response) {
  return Authorized(
      *context, verifier_, {roles::kRecognitionOfficer, roles::kJuryMember}, response,
      [&](const auth::Caller& c) { return service_.RequestInformation(c, *request); });
}

grpc::Status RecognitionGrpc::ProvideInformation(grpc::ServerContext* context,
                                                 const v1::ProvideInformationRequest* request,
                                                 v1::RecognitionRequest* response) {
  return Authorized(
      *context, verifier_, {roles::kLearner, roles::kRecognitionOfficer}, response,
      [&](const auth::Caller& c) { return service_.ProvideInformation(c, *request); });
}

grpc::Status RecognitionGrpc::StartReview(grpc::ServerContext* context,
                                          const v1::StartReviewRequest* request,
                                          v1::RecognitionRequest* response) {
  return Authorized(*context, verifier_, {roles::kRecognitionOfficer, roles::kJuryMember}, response,
                    [&](const auth::Caller& c) { return service_.StartReview(c, *request); });
}

grpc::Status RecognitionGrpc::Decide(grpc::ServerContext* context, const v1::DecideRequest* request,
                                     v1::RecognitionRequest* response) {
  return Authorized(*context, verifier_, {roles::kRecognitionOfficer, roles::kJuryMember}, response,
                    [&](const auth::Caller& c) { return service_.Decide(c, *request); });
}

grpc::Status RecognitionGrpc::Appeal(grpc::ServerContext* context, const v1::AppealRequest* request,
                                     v1::RecognitionRequest* response) {
  return Authorized(*context, verifier_, {roles::kLearner, roles::kRecognitionOfficer}, response,
                    [&](const auth::Caller& c) { return service_.Appeal(c, *request); });
}

grpc::Status RecognitionGrpc::DecideAppeal(grpc::ServerContext* context,
                                           const v1::DecideAppealRequest* request,
                                           v1::RecognitionRequest* response) {
  return Authorized(*context, verifier_, {roles::kAppealOfficer}, response,
                    [&](const auth::Caller& c) { return service_.DecideAppeal(c, *request); });
}

grpc::Status RecognitionGrpc::Withdraw(grpc::ServerContext* context,
                                       const v1::WithdrawRequest* request,
                                       v1::RecognitionRequest* response) {
  return Authorized(*context, verifier_, {roles::kLearner, roles::kRecognitionOfficer}, response,
                    [&](const auth::Caller& c) { return service_.Withdraw(c, *request); });
}

grpc::Status RecognitionGrpc::GetRequest(grpc::ServerContext* context,
                                         const v1::GetRequestRequest* request,
                                         v1::RecognitionRequest* response) {
  return Authorized(
      *context, verifier_,
      {roles::kLearner, roles::kRecognitionOfficer, roles::kAppealOfficer, roles::kJuryMember},
      response, [&](const auth::Caller& c) { return service_.Get(c, *request); });
}

grpc::Status RecognitionGrpc::ListRequests(grpc::ServerContext* context,
                                           const v1::ListRequestsRequest* request,
                                           v1::ListRequestsResponse* response) {
  return Authorized(
      *context, verifier_,
      {roles::kLearner, roles::kRecognitionOfficer, roles::kAppealOfficer, roles::kJuryMember},
      response, [&](const auth::Caller& c) { return service_.List(c, *request); });
}

grpc::Status RecognitionGrpc::PublishPolicy(grpc::ServerContext* context,
                                            const v1::PublishPolicyRequest* request,
                                            v1::RecognitionPolicy* response) {
  return Authorized(*context, verifier_, {roles::kRecognitionOfficer, roles::kRegistrar}, response,
                    [&](const auth::Caller& c) { return service_.PublishPolicy(c, *request); });
}

grpc::Status RecognitionGrpc::ListPolicies(grpc::ServerContext*,
                                           const v1::ListPoliciesRequest* request,
                                           v1::ListPoliciesResponse* response) {
  return Answer(service_.ListPolicies(*request), response);
}

grpc::Status RecognitionGrpc::CheckVaeEligibility(grpc::ServerContext*,
                                                  const v1::CheckVaeEligibilityRequest* request,
                                                  v1::VaeEligibility* response) {
  return Answer(service_.CheckVaeEligibility(*request), response);
}

}  // namespace microcred::recognition
