// IssuanceReadModel: every credential of the ecosystem as this node has applied the issuance
// events (who issued it, its status and history), and verification against it.
//
// Every process of a node that verifies credentials runs one: the issuance service answers
// from it, recognition and stacking verify what learners present against it. When it applies a
// LearnerErased of the node's own institution it deletes, in the same commit, the keys this
// process holds for that learner: under the learner's pseudonym and under the references the
// node's other services seal with (`further_vault_refs`, e.g. "recognition:<pseudonym>").
//
// Thread-safe.
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUANCE_READ_MODEL_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUANCE_READ_MODEL_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/command/service_context.h"
#include "libs/consumer/projector.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/issuance/v1/issuance_records.pb.h"
#include "services/issuance/issuance_projection.h"
#include "services/issuance/issuance_state.h"

namespace microcred::issuance {

// The vault references, besides the pseudonym itself, under which a process seals a learner's
// data.
using VaultRefs = std::function<std::vector<std::string>(const std::string& learner_pseudonym)>;

class IssuanceReadModel {
 public:
  static absl::StatusOr<std::unique_ptr<IssuanceReadModel>> Start(ServiceContext context,
                                                                  VaultRefs further_vault_refs);

  // What the issuer recorded of a credential; std::nullopt when no issuer did.
  absl::StatusOr<std::optional<v1::KnownCredential>> FindCredential(
      const std::string& credential_id) const;
  // A registry member as this read model's projector has applied the registry.
  std::optional<registry::v1::Member> FindMember(const std::string& institution_id) const;
  // Anyone may verify: learners, employers, other nodes.
  v1::VerificationReport Verify(const v1::VerifyCredentialRequest& request) const;

  const IssuanceState& state() const { return state_; }
  Projector& projector() { return *projector_; }

 private:
  IssuanceReadModel(ServiceContext context, VaultRefs further_vault_refs);
  void EraseKeys(const std::string& pseudonym, WriteBatch& writes) const;

  ServiceContext context_;
  VaultRefs further_vault_refs_;
  IssuanceState state_;
  IssuanceProjection projection_;
  std::unique_ptr<Projector> projector_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_READ_MODEL_H_
