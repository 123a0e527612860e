// CredentialPreparation: decides what one issuance will write, and writes nothing (internal to
// IssuanceService). It checks a request against the issuance rules and the frozen
// specification, picks the credential's status-list index, and builds the credential's facts,
// the issuer's record and the CredentialIssued event; signing and storing come after
// (issue_commands.h).
//
// This node is the only one that hands out its institution's status-list indexes, and it
// remembers them all (at most the list's capacity), so a pick costs no store read. Picks are
// made one call at a time, under the lock a caller holds through a Batch.
#ifndef MICROCRED_SERVICES_ISSUANCE_CREDENTIAL_PREPARATION_H_
#define MICROCRED_SERVICES_ISSUANCE_CREDENTIAL_PREPARATION_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/credentials/credential_facts.h"
#include "libs/jose/jws.h"
#include "libs/status_list/index_allocator.h"
#include "services/issuance/issuance_core.h"
#include "services/issuance/issuance_rules.h"

namespace microcred::issuance {

// One issuance in preparation: everything decided before anything is written.
struct PreparedIssue {
  v1::IssuedCredential answer;
  v1::IssuedRecord record;  // its sealed fields are filled when it is stored
  v1::CredentialIssued event;
  std::string request_id;
  credentials::CredentialFacts document;  // what is signed
  const jose::CompactSigner* signer = nullptr;
  v1::SecuringProfile securing_profile = v1::SECURING_PROFILE_UNSPECIFIED;
  std::string jws;           // once signed
  std::string facts;         // to seal: the serialised request
  std::string ecosystem_id;  // where its event goes: its specification's ecosystem
};

class CredentialPreparation {
 public:
  explicit CredentialPreparation(const IssuanceCore& core) : core_(core) {}

  // Loads the status-list indexes the node's stored records hold.
  absl::Status Start();

  // The preparations of one call, made while it holds the preparation lock; the specifications
  // it reads are read once (a cohort reads its specification once).
  class Batch {
   public:
    explicit Batch(CredentialPreparation& preparation) : preparation_(preparation) {
      preparation_.mu_.Lock();
    }
    ~Batch() { preparation_.mu_.Unlock(); }
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

    // Checks a request whose request id the caller claimed (so a valid one), and builds
    // everything it will write, taking its status-list index.
    absl::StatusOr<PreparedIssue> Prepare(const v1::IssueCredentialRequest& request);

   private:
    using SpecCache = std::map<std::pair<std::string, uint32_t>,
                               absl::StatusOr<std::optional<catalogue::v1::Specification>>>;
    absl::StatusOr<std::optional<catalogue::v1::Specification>> FindSpecification(
        const std::string& id, uint32_t version);

    CredentialPreparation& preparation_;
    SpecCache specifications_;
  };

  // A new credential id: a random (CSPRNG) UUIDv4. Credential ids are first-writer-wins across
  // the ecosystem, so nobody may know one before its CredentialIssued is in the log (one
  // derived from the request id could be claimed first by another member). A retry is answered
  // with the id its command's record keeps (CommandPath::Replay).
  static std::string NewCredentialId();

 private:
  absl::StatusOr<int32_t> PickStatusIndex() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // What the rules are checked against for a credential issued in `ecosystem`.
  IssueContext Context(const std::string& ecosystem) const;

  const IssuanceCore& core_;
  absl::Mutex mu_;
  status_list::StatusIndexAllocator allocator_ ABSL_GUARDED_BY(mu_);
  std::set<int32_t> used_indexes_ ABSL_GUARDED_BY(mu_);  // stored, or picked by a call
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_CREDENTIAL_PREPARATION_H_
