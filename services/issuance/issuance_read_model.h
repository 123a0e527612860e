// IssuanceReadModel: every credential of the ecosystems the node joined as this node has applied
// the issuance events (who issued it, in which ecosystem, its status and history), and
// verification against it.
//
// Every process of a node that verifies credentials runs one: the issuance service answers
// from it, recognition and stacking verify what learners present against it. When it applies a
// LearnerErased of the node's own institution it deletes, in the same commit, what this
// process holds for that learner: their issuance key, and what `further_erasure` adds (the
// keys the node's other services seal with, e.g. "recognition:<pseudonym>", and the web pages'
// share links). Then it scrubs the store (StateStore::Scrub), so that no file of the store
// keeps a copy of what was deleted; the commit also records that a scrub is owed
// (`issuance/erasure/scrub-owed`), and the record is deleted once a scrub after it succeeded,
// so that a scrub a crash or a failure cut short is done again at the next start (and by
// FinishErasures).
//
// Thread-safe.
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUANCE_READ_MODEL_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUANCE_READ_MODEL_H_

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/command/service_context.h"
#include "libs/consumer/projector.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/issuance/v1/issuance_records.pb.h"
#include "services/issuance/issuance_projection.h"
#include "services/issuance/issuance_state.h"

namespace microcred::issuance {

// What a process deletes for a learner besides their issuance key, added to `writes`: the keys
// under which the node's other services seal the learner's data and the records that name the
// learner's pseudonym. It reads `state` as the erasure's commit will find it.
using LearnerEraser = std::function<absl::Status(const std::string& learner_pseudonym,
                                                 StateStore& state, WriteBatch& writes)>;

class IssuanceReadModel final : private LearnerErasure {
 public:
  static absl::StatusOr<std::unique_ptr<IssuanceReadModel>> Start(ServiceContext context,
                                                                  LearnerEraser further_erasure);

  // OK once every erasure this process has applied is scrubbed from the store's files: scrubs
  // again when the last scrub failed (or a crash cut it short). An erasure is answered only
  // after this.
  absl::Status FinishErasures();

  // What the issuer recorded of a credential; std::nullopt when no issuer did.
  absl::StatusOr<std::optional<v1::KnownCredential>> FindCredential(
      const std::string& credential_id) const;
  // A registry member as this read model's projector has applied the registry: in the first
  // registry (home first) that knows it.
  std::optional<registry::v1::Member> FindMember(const std::string& institution_id) const;
  // Its membership in `ecosystem` (one the node joined), if it is a member there.
  std::optional<registry::v1::Member> FindMemberIn(std::string_view ecosystem,
                                                   const std::string& institution_id) const;
  // Anyone may verify: learners, employers, other nodes.
  v1::VerificationReport Verify(const v1::VerifyCredentialRequest& request) const;

  const IssuanceState& state() const { return state_; }
  Projector& projector() { return *projector_; }
  // The rules `ecosystem`'s registry states now (Projector::Profile).
  std::optional<domain::PolicyProfile> Profile(std::string_view ecosystem) const {
    return projector_->Profile(ecosystem);
  }

 private:
  IssuanceReadModel(ServiceContext context, LearnerEraser further_erasure);
  absl::Status Erase(const std::string& pseudonym, StateStore& state, Effects& effects) override;
  void Resume() override;
  // When a scrub is recorded as owed: scrubs the store, then deletes the record if it is still
  // the one read before (an erasure committed meanwhile owes its own scrub).
  absl::Status ScrubIfOwed();

  ServiceContext context_;
  LearnerEraser further_erasure_;
  std::mutex scrub_mu_;  // one scrub at a time
  IssuanceState state_;
  IssuanceProjection projection_;
  std::unique_ptr<Projector> projector_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_READ_MODEL_H_
