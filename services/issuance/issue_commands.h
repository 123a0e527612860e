// IssueCommands: issuing one credential or a cohort (internal to IssuanceService).
//
// A call claims its request ids (a cohort, each row's), answers those an earlier call already
// issued (CommandPath::Replay), prepares the others one call at a time (status-list indexes,
// credential_preparation.h), signs them on every core with no lock held, then commits the
// sealed personal records, the commands' records and the events in one store write, and
// publishes the events. The store write is one call at a time: sealing may create a learner's
// vault key, and two calls creating one learner's key at once would leave one call's records
// sealed under a key that is lost. Meanwhile the next call is prepared and signed.
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUE_COMMANDS_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUE_COMMANDS_H_

#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/issuance/credential_preparation.h"
#include "services/issuance/issuance_core.h"

namespace microcred::issuance {

class IssueCommands {
 public:
  static constexpr int kMaxRows = 10000;

  explicit IssueCommands(IssuanceCore& core) : core_(core), preparation_(core) {}

  // Loads what preparing needs (the status-list indexes in use).
  absl::Status Start() { return preparation_.Start(); }

  absl::StatusOr<v1::IssuedCredential> Issue(const auth::Caller& caller,
                                             const v1::IssueCredentialRequest& request);
  absl::StatusOr<v1::IssueCredentialsResponse> IssueMany(
      const auth::Caller& caller, const v1::IssueCredentialsRequest& request);

 private:
  // Signs every prepared credential and seals its event (into `events`, in order), on every
  // core for a cohort.
  absl::Status SignAll(std::vector<PreparedIssue>& prepared,
                       std::vector<command::SealedEvent>& events) const;
  // Renders and signs one prepared credential and seals its event. Touches only its arguments:
  // many run at once.
  absl::Status Sign(PreparedIssue& p, command::SealedEvent& event) const;
  // Signs, stores and publishes what was prepared.
  absl::Status Write(std::vector<PreparedIssue>& prepared) ABSL_LOCKS_EXCLUDED(store_mu_);
  // Adds the sealed records and the commands' records to `outcome` (which holds the events) and
  // commits it in one store write.
  absl::Status Commit(std::vector<PreparedIssue>& prepared, command::CommandOutcome& outcome)
      ABSL_LOCKS_EXCLUDED(store_mu_);

  IssuanceCore& core_;
  CredentialPreparation preparation_;
  absl::Mutex store_mu_;  // one writer of learner keys at a time
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUE_COMMANDS_H_
