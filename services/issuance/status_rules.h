// What the issuance events may change, as pure decisions over (event, what is known). The
// issuing node runs them before appending (a refused command writes nothing) and every node
// runs them again on every issuance event it consumes (a forged or stale event is refused and
// dead-lettered).
//
//   issued -> ACTIVE;  ACTIVE <-> SUSPENDED (suspend, reinstate);  ACTIVE|SUSPENDED -> REVOKED.
//   Revocation is final. Only the issuer changes a credential's status, and only in the
//   ecosystem the credential was issued in (recorded as KnownCredential.ecosystem_id): a node of
//   two ecosystems must not let one ecosystem's log change the other's credential (ABORTED, a
//   consumer's CONFLICT, naming both ecosystems).
#ifndef MICROCRED_SERVICES_ISSUANCE_STATUS_RULES_H_
#define MICROCRED_SERVICES_ISSUANCE_STATUS_RULES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/domain/institution.h"
#include "libs/domain/policy_profile.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/issuance/v1/issuance_records.pb.h"

namespace microcred::issuance {

struct EventAuthor {
  std::string institution_id;
  domain::InstitutionFacts facts;  // its membership in `ecosystem_id`
  int64_t at_ms = 0;
  // The ecosystem whose log the event is in (for a command, the one it writes to).
  std::string ecosystem_id;
};

absl::StatusOr<v1::KnownCredential> DecideIssued(const v1::CredentialIssued& event,
                                                 const EventAuthor& author,
                                                 const std::optional<v1::KnownCredential>& known,
                                                 const domain::PolicyProfile& profile);

absl::StatusOr<v1::KnownCredential> DecideRevoked(const v1::CredentialRevoked& event,
                                                  const EventAuthor& author,
                                                  const std::optional<v1::KnownCredential>& known);

absl::StatusOr<v1::KnownCredential> DecideSuspended(
    const v1::CredentialSuspended& event, const EventAuthor& author,
    const std::optional<v1::KnownCredential>& known);

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_STATUS_RULES_H_
