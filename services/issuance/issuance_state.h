// Where the issuance service keeps its state in the StateStore, and typed access to it.
//
// At every node, from the issuance events of every issuer (rebuildable from the log):
//   issuance/known/<credential id>             KnownCredential: issuer, status, history
//   issuance/command/<institution>/<id>        what a status change's request id produced
//                                              (Effects::command, libs/command/command_path.h)
// At the issuing node only (personal data sealed under the learner's key; NOT rebuildable from
// the shared log by design, so this part of the store is backed up like any system of record):
//   issuance/issued/<credential id>            IssuedRecord
//   issuance/learner/<pseudonym>/<credential>  the learner's credentials, for listing
//   issuance/status-index/<list index>         the credential holding a status list index
//   issuance/command/<institution>/<id>        what an issuing request id produced, committed
//                                              with the records (libs/command/command_path.h)
//   issuance/outbox/<event id>                 a CredentialIssued committed, not yet applied
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUANCE_STATE_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUANCE_STATE_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/ports/state_store.h"
#include "microcred/issuance/v1/issuance_records.pb.h"

namespace microcred::issuance {

inline constexpr char kStatePrefix[] = "issuance";

// A KnownCredential stored before ecosystems were recorded states none: reads give it
// `home_ecosystem` (the node's home, the only ecosystem a node had then).
class IssuanceState {
 public:
  explicit IssuanceState(StateStore& store, std::string home_ecosystem = "")
      : store_(store), home_ecosystem_(std::move(home_ecosystem)) {}

  absl::StatusOr<std::optional<v1::KnownCredential>> Known(const std::string& credential_id) const;
  absl::StatusOr<std::optional<v1::IssuedRecord>> Issued(const std::string& credential_id) const;
  absl::StatusOr<std::vector<std::string>> CredentialsOfLearner(const std::string& pseudonym) const;
  absl::StatusOr<std::set<int32_t>> UsedStatusIndexes() const;
  // Every credential this node knows (for status lists and digests).
  absl::StatusOr<std::vector<v1::KnownCredential>> AllKnown() const;

  static std::string KnownKey(const std::string& credential_id);
  static void PutKnown(const v1::KnownCredential& known, WriteBatch& writes);
  // The issuing node's own record, its learner index entry and its status index.
  static void PutIssued(const v1::IssuedRecord& record, WriteBatch& writes);

 private:
  static std::string IssuedKey(const std::string& credential_id);
  void Complete(v1::KnownCredential& known) const;

  StateStore& store_;
  const std::string home_ecosystem_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_STATE_H_
