#include "services/mcnode/remote_issuer.h"

#include "libs/auth/roles.h"
#include "libs/host/grpc_status.h"

namespace microcred {
namespace {

// A token lives just long enough for one call and its retries.
constexpr absl::Duration kTokenLifetime = absl::Minutes(5);

}  // namespace

RemoteIssuer::RemoteIssuer(const std::string& address, auth::TokenMinter minter,
                           absl::Duration timeout)
    : channel_(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
      stub_(issuance::v1::IssuanceService::NewStub(channel_)),
      minter_(std::move(minter)),
      timeout_(timeout) {}

absl::StatusOr<issuance::v1::IssuedCredential> RemoteIssuer::Issue(
    const auth::Caller& caller, const issuance::v1::IssueCredentialRequest& request) {
  const std::string token = minter_.Mint(caller.subject, caller.institution_id,
                                         {auth::roles::kRegistrar}, kTokenLifetime);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  // The issuance process may be restarting: wait for it within the deadline.
  context.set_wait_for_ready(true);
  issuance::v1::IssuedCredential issued;
  grpc::Status status = stub_->IssueCredential(&context, request, &issued);
  if (!status.ok()) {
    absl::Status failed = host::FromGrpcStatus(status);
    if (absl::IsUnavailable(failed) || absl::IsDeadlineExceeded(failed)) {
      return absl::Status(failed.code(), "the node's issuance process did not answer: " +
                                             std::string(failed.message()));
    }
    return failed;
  }
  return issued;
}

}  // namespace microcred
