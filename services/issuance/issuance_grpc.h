// The gRPC face of issuance: authenticates the caller, checks the role each RPC needs, and
// hands over to IssuanceService.
//
//   RPC                                   who may call
//   IssueCredential(s), Revoke/Suspend/   registrar of the node's institution
//   ReinstateCredential, EraseLearner
//   ListLearnerCredentials,               registrar, or the learner (token subject = learner id)
//   ExportCredential
//   VerifyCredential                      anyone, without a token: employers verify
//
// VerifyCredential verifies with `verify_presented` when given (the node's dispatcher over
// every format it accepts, outside credentials included), else with IssuanceService::Verify
// (the ecosystem's own credentials only).
//
// IssuanceBulkGrpc serves IssueCredentials alone, for a server of its own whose message limit
// fits a cohort (services/mcnode/node_grpc.h): gRPC has one limit per server, and every other
// method's requests are small. It reads the caller's token before it parses the cohort, so an
// anonymous caller never makes the node parse megabytes.
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUANCE_GRPC_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUANCE_GRPC_H_

#include <functional>
#include <string>
#include <utility>

#include "libs/auth/tokens.h"
#include "microcred/issuance/v1/issuance.grpc.pb.h"
#include "services/issuance/issuance_service.h"

namespace microcred::issuance {

class IssuanceGrpc final : public v1::IssuanceService::Service {
 public:
  using VerifyPresented = std::function<v1::VerificationReport(const std::string& presented)>;

  IssuanceGrpc(IssuanceService& service, const auth::TokenVerifier& verifier,
               VerifyPresented verify_presented = {})
      : service_(service), verifier_(verifier), verify_presented_(std::move(verify_presented)) {}

  grpc::Status IssueCredential(grpc::ServerContext* context,
                               const v1::IssueCredentialRequest* request,
                               v1::IssuedCredential* response) override;
  grpc::Status IssueCredentials(grpc::ServerContext* context,
                                const v1::IssueCredentialsRequest* request,
                                v1::IssueCredentialsResponse* response) override;
  grpc::Status VerifyCredential(grpc::ServerContext* context,
                                const v1::VerifyCredentialRequest* request,
                                v1::VerificationReport* response) override;
  grpc::Status RevokeCredential(grpc::ServerContext* context,
                                const v1::ChangeStatusRequest* request,
                                v1::IssuedCredential* response) override;
  grpc::Status SuspendCredential(grpc::ServerContext* context,
                                 const v1::ChangeStatusRequest* request,
                                 v1::IssuedCredential* response) override;
  grpc::Status ReinstateCredential(grpc::ServerContext* context,
                                   const v1::ChangeStatusRequest* request,
                                   v1::IssuedCredential* response) override;
  grpc::Status ListLearnerCredentials(grpc::ServerContext* context,
                                      const v1::ListLearnerCredentialsRequest* request,
                                      v1::ListLearnerCredentialsResponse* response) override;
  grpc::Status ExportCredential(grpc::ServerContext* context,
                                const v1::ExportCredentialRequest* request,
                                v1::ExportedCredential* response) override;
  grpc::Status EraseLearner(grpc::ServerContext* context, const v1::EraseLearnerRequest* request,
                            v1::EraseLearnerResponse* response) override;

 private:
  IssuanceService& service_;
  const auth::TokenVerifier& verifier_;
  const VerifyPresented verify_presented_;
};

// IssuanceService/IssueCredentials, as IssuanceGrpc answers it, and no other method.
class IssuanceBulkGrpc final : public grpc::Service {
 public:
  static constexpr char kMethod[] = "/microcred.issuance.v1.IssuanceService/IssueCredentials";

  IssuanceBulkGrpc(IssuanceService& service, const auth::TokenVerifier& verifier);

  // The request arrives unparsed: authorised first, then parsed.
  grpc::Status IssueCredentials(grpc::ServerContext* context, const grpc::ByteBuffer* request,
                                v1::IssueCredentialsResponse* response);

 private:
  IssuanceService& service_;
  const auth::TokenVerifier& verifier_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_GRPC_H_
