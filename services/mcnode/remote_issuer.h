// RemoteIssuer: a stacking process confers through its node's issuance process, over gRPC.
//
// The call carries a bearer token the stacking process signs itself, for the officer who
// confirmed the conferral but with the registrar role (as the in-process path issues): the
// node's processes share one internal token key (--internal-token-key-file), and each process
// trusts it for its own node only (audience = node id). The key never leaves the node.
#ifndef MICROCRED_SERVICES_MCNODE_REMOTE_ISSUER_H_
#define MICROCRED_SERVICES_MCNODE_REMOTE_ISSUER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "libs/auth/tokens.h"
#include "microcred/issuance/v1/issuance.grpc.pb.h"
#include "services/stacking/credential_issuer.h"

namespace microcred {

// The issuer name of the tokens a node's processes sign for one another.
inline constexpr char kInternalTokenIssuer[] = "node-internal";

class RemoteIssuer : public stacking::CredentialIssuer {
 public:
  // `address` is the issuance process's gRPC HOST:PORT; `minter` signs for the node's own
  // audience with the internal token key.
  RemoteIssuer(const std::string& address, auth::TokenMinter minter,
               absl::Duration timeout = absl::Seconds(60));

  absl::StatusOr<issuance::v1::IssuedCredential> Issue(
      const auth::Caller& caller, const issuance::v1::IssueCredentialRequest& request) override;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<issuance::v1::IssuanceService::Stub> stub_;
  auth::TokenMinter minter_;
  absl::Duration timeout_;
};

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_REMOTE_ISSUER_H_
