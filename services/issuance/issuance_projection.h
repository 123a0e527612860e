// The issuance projection: what every node knows about every credential of the ecosystem
// (issued, suspended, reinstated, revoked), from the issuance events, checked by the shared
// status rules.
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUANCE_PROJECTION_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUANCE_PROJECTION_H_

#include "libs/consumer/projector.h"
#include "libs/domain/policy_profile.h"

namespace microcred::issuance {

class IssuanceProjection : public Projection {
 public:
  explicit IssuanceProjection(const domain::PolicyProfile& profile) : profile_(profile) {}

  std::string name() const override;
  std::vector<std::string> topics() const override;
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override;
  std::vector<std::string> KeysToPrefetch(const events::v1::EnvelopeBody& body) const override;

 private:
  const domain::PolicyProfile& profile_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_PROJECTION_H_
