// The issuance projection: what every node knows about every credential of the ecosystem
// (issued, suspended, reinstated, revoked), from the issuance events, checked by the shared
// status rules; a status change's command record (Effects::command); and, for its own
// institution's LearnerErased, the erasure of the learner's keys in this process's store.
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUANCE_PROJECTION_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUANCE_PROJECTION_H_

#include "libs/consumer/projector.h"
#include "libs/domain/policy_profile.h"

namespace microcred::issuance {

// The kinds of the status commands, as their records name them.
inline constexpr char kRevokeCommand[] = "revoke";
inline constexpr char kSuspendCommand[] = "suspend";
inline constexpr char kReinstateCommand[] = "reinstate";

class IssuanceProjection : public Projection {
 public:
  // Adds to `writes` the deletion of every key the node holds for a learner.
  using LearnerEraser = std::function<void(const std::string& pseudonym, WriteBatch& writes)>;

  // `institution_id` is the node's: its LearnerErased events run `erase_learner`.
  IssuanceProjection(const domain::PolicyProfile& profile, std::string institution_id,
                     LearnerEraser erase_learner)
      : profile_(profile),
        institution_id_(std::move(institution_id)),
        erase_learner_(std::move(erase_learner)) {}

  std::string name() const override;
  std::vector<std::string> topics() const override;
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override;
  std::vector<std::string> KeysToPrefetch(const events::v1::EnvelopeBody& body) const override;

 private:
  absl::Status ApplyErased(const VerifiedEvent& event, Effects& effects) const;

  const domain::PolicyProfile& profile_;
  std::string institution_id_;
  LearnerEraser erase_learner_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_PROJECTION_H_
