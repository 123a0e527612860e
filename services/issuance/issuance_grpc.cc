#include "services/issuance/issuance_grpc.h"

#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/support/method_handler.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include "libs/auth/roles.h"
#include "libs/host/grpc_handler.h"

namespace microcred::issuance {
namespace {

using host::Answer;
using host::Authorized;

}  // namespace

grpc::Status IssuanceGrpc::IssueCredential(grpc::ServerContext* context,
                                           const v1::IssueCredentialRequest* request,
                                           v1::IssuedCredential* response) {
  return Authorized(*context, verifier_, {auth::roles::kRegistrar}, response,
                    [&](const auth::Caller& c) { return service_.Issue(c, *request); });
}

grpc::Status IssuanceGrpc::IssueCredentials(grpc::ServerContext* context,
                                            const v1::IssueCredentialsRequest* request,
                                            v1::IssueCredentialsResponse* response) {
  return Authorized(*context, verifier_, {auth::roles::kRegistrar}, response,
                    [&](const auth::Caller& c) { return service_.IssueMany(c, *request); });
}

grpc::Status IssuanceGrpc::VerifyCredential(grpc::ServerContext*,
                                            const v1::VerifyCredentialRequest* request,
                                            v1::VerificationReport* response) {
  *response = verify_presented_ ? verify_presented_(request->jws()) : service_.Verify(*request);
  return grpc::Status::OK;
}

grpc::Status IssuanceGrpc::RevokeCredential(grpc::ServerContext* context,
                                            const v1::ChangeStatusRequest* request,
                                            v1::IssuedCredential* response) {
  return Authorized(*context, verifier_, {auth::roles::kRegistrar}, response,
                    [&](const auth::Caller& c) { return service_.Revoke(c, *request); });
}

grpc::Status IssuanceGrpc::SuspendCredential(grpc::ServerContext* context,
                                             const v1::ChangeStatusRequest* request,
                                             v1::IssuedCredential* response) {
  return Authorized(*context, verifier_, {auth::roles::kRegistrar}, response,
                    [&](const auth::Caller& c) { return service_.Suspend(c, *request); });
}

grpc::Status IssuanceGrpc::ReinstateCredential(grpc::ServerContext* context,
                                               const v1::ChangeStatusRequest* request,
                                               v1::IssuedCredential* response) {
  return Authorized(*context, verifier_, {auth::roles::kRegistrar}, response,
                    [&](const auth::Caller& c) { return service_.Reinstate(c, *request); });
}

grpc::Status IssuanceGrpc::ListLearnerCredentials(grpc::ServerContext* context,
                                                  const v1::ListLearnerCredentialsRequest* request,
                                                  v1::ListLearnerCredentialsResponse* response) {
  return Authorized(
      *context, verifier_, {auth::roles::kRegistrar, auth::roles::kLearner}, response,
      [&](const auth::Caller& c) { return service_.ListLearnerCredentials(c, *request); });
}

grpc::Status IssuanceGrpc::ExportCredential(grpc::ServerContext* context,
                                            const v1::ExportCredentialRequest* request,
                                            v1::ExportedCredential* response) {
  return Authorized(*context, verifier_, {auth::roles::kRegistrar, auth::roles::kLearner}, response,
                    [&](const auth::Caller& c) { return service_.Export(c, *request); });
}

grpc::Status IssuanceGrpc::EraseLearner(grpc::ServerContext* context,
                                        const v1::EraseLearnerRequest* request,
                                        v1::EraseLearnerResponse* response) {
  return Authorized(*context, verifier_, {auth::roles::kRegistrar}, response,
                    [&](const auth::Caller& c) { return service_.EraseLearner(c, *request); });
}

IssuanceBulkGrpc::IssuanceBulkGrpc(IssuanceService& service, const auth::TokenVerifier& verifier)
    : service_(service), verifier_(verifier) {
  // The generated service cannot register one method alone (a method marked generic needs a
  // generic service), so the one method is added by hand; its request type is the raw bytes,
  // which gRPC hands over without parsing.
  AddMethod(new grpc::internal::RpcServiceMethod(
      kMethod, grpc::internal::RpcMethod::NORMAL_RPC,
      new grpc::internal::RpcMethodHandler<IssuanceBulkGrpc, grpc::ByteBuffer,
                                           v1::IssueCredentialsResponse>(
          [](IssuanceBulkGrpc* bulk, grpc::ServerContext* context, const grpc::ByteBuffer* request,
             v1::IssueCredentialsResponse* response) {
            return bulk->IssueCredentials(context, request, response);
          },
          this)));
}

grpc::Status IssuanceBulkGrpc::IssueCredentials(grpc::ServerContext* context,
                                                const grpc::ByteBuffer* request,
                                                v1::IssueCredentialsResponse* response) {
  // The token is checked before the cohort, megabytes, is parsed.
  return host::Authorized(
      *context, verifier_, {auth::roles::kRegistrar}, response,
      [&](const auth::Caller& caller) -> absl::StatusOr<v1::IssueCredentialsResponse> {
        grpc::ByteBuffer bytes(*request);  // shares the slices
        grpc::ProtoBufferReader reader(&bytes);
        v1::IssueCredentialsRequest cohort;
        if (!cohort.ParseFromZeroCopyStream(&reader)) {
          return absl::InvalidArgumentError("request: not an IssueCredentialsRequest (protobuf)");
        }
        return service_.IssueMany(caller, cohort);
      });
}

}  // namespace microcred::issuance
