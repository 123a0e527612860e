// CredentialIssuer: how a conferral issues the credential it confers (a port of stacking, see
// stacking_ports.h).
//
// A node running all its services in one process issues through its own IssuanceService
// (services/mcnode/node_ports.h, InProcessIssuer). A node run as separate processes must
// issue through its issuance process: only one process may pick the institution's status-list
// indexes, and the learner's record belongs in that process's store
// (services/mcnode/remote_issuer.h).
//
// Issue has IssuanceService::Issue's contract: the request id makes a retry return the first
// credential, and every refusal names the field and the rule.
#ifndef MICROCRED_SERVICES_STACKING_CREDENTIAL_ISSUER_H_
#define MICROCRED_SERVICES_STACKING_CREDENTIAL_ISSUER_H_

#include "absl/status/statusor.h"
#include "libs/auth/caller.h"
#include "microcred/issuance/v1/issuance.pb.h"

namespace microcred::stacking {

class CredentialIssuer {
 public:
  virtual ~CredentialIssuer() = default;

  // Thread-safe.
  virtual absl::StatusOr<issuance::v1::IssuedCredential> Issue(
      const auth::Caller& caller, const issuance::v1::IssueCredentialRequest& request) = 0;
};

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_CREDENTIAL_ISSUER_H_
