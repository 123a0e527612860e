// StatusCommands: revoking, suspending and reinstating a credential this node issued (internal
// to IssuanceService). Each is an event only: the shared status rules decide, the event goes
// through the command path into the ecosystem the credential was issued in, and the issuance
// projection keeps the command's record.
#ifndef MICROCRED_SERVICES_ISSUANCE_STATUS_COMMANDS_H_
#define MICROCRED_SERVICES_ISSUANCE_STATUS_COMMANDS_H_

#include <functional>
#include <optional>

#include "absl/status/statusor.h"
#include "services/issuance/issuance_core.h"
#include "services/issuance/status_rules.h"

namespace microcred::issuance {

class StatusCommands {
 public:
  explicit StatusCommands(IssuanceCore& core) : core_(core) {}

  absl::StatusOr<v1::IssuedCredential> Revoke(const auth::Caller& caller,
                                              const v1::ChangeStatusRequest& request);
  // Suspends, or with `reinstate` lifts a suspension.
  absl::StatusOr<v1::IssuedCredential> Suspend(const auth::Caller& caller,
                                               const v1::ChangeStatusRequest& request,
                                               bool reinstate);

 private:
  using Decide = std::function<absl::Status(const std::optional<v1::KnownCredential>& known,
                                            const EventAuthor& author)>;
  // The frame of every status change: caller, request id and reason checked, the request id
  // claimed and the credential locked, a retry answered, `decide` run, `event` written.
  absl::StatusOr<v1::IssuedCredential> ChangeStatus(const auth::Caller& caller,
                                                    const v1::ChangeStatusRequest& request,
                                                    const char* kind,
                                                    const google::protobuf::Message& event,
                                                    const Decide& decide);

  IssuanceCore& core_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_STATUS_COMMANDS_H_
