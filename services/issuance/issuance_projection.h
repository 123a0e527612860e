// The issuance projection: what every node knows about every credential of the ecosystems it
// joined (issued, suspended, reinstated, revoked, and the ecosystem whose log it was issued in),
// from the issuance events, checked by the shared status rules; a status change's command
// record (Effects::command); and, for its own institution's LearnerErased, the erasure of what
// this process holds for the learner.
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUANCE_PROJECTION_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUANCE_PROJECTION_H_

#include "libs/consumer/projector.h"
#include "libs/domain/policy_profile.h"

namespace microcred::issuance {

// The kinds of the status commands, as their records name them.
inline constexpr char kRevokeCommand[] = "revoke";
inline constexpr char kSuspendCommand[] = "suspend";
inline constexpr char kReinstateCommand[] = "reinstate";

// What a process does when its institution erases a learner (IssuanceReadModel does it).
class LearnerErasure {
 public:
  virtual ~LearnerErasure() = default;
  // Adds to `effects` the deletion of everything this process holds for the learner (reading
  // `state`, which includes the batch's earlier events), and what must follow the commit.
  virtual absl::Status Erase(const std::string& pseudonym, StateStore& state, Effects& effects) = 0;
  // At start, before consuming: finishes what a stop or a crash left of an erasure.
  virtual void Resume() = 0;
};

class IssuanceProjection : public Projection {
 public:
  // `institution_id` is the node's: its LearnerErased events go to `erasure`, which must
  // outlive the projection. `home_ecosystem`: what a record stored before ecosystems were
  // recorded is in.
  IssuanceProjection(std::string institution_id, LearnerErasure& erasure,
                     std::string home_ecosystem = "")
      : institution_id_(std::move(institution_id)),
        erasure_(erasure),
        home_ecosystem_(std::move(home_ecosystem)) {}

  std::string name() const override;
  std::vector<std::string> topics() const override;
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override;
  std::vector<std::string> KeysToPrefetch(const events::v1::EnvelopeBody& body) const override;
  absl::Status Load(StateStore& store, const registry::Registry& registry) override;

 private:
  absl::Status ApplyErased(const VerifiedEvent& event, StateStore& state, Effects& effects) const;

  std::string institution_id_;
  LearnerErasure& erasure_;
  const std::string home_ecosystem_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_PROJECTION_H_
