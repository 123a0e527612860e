// The stacking projection: what every node knows of every institution's stacking events.
//   PathwayPublished  every version of every pathway of the ecosystem, checked again; the
//                     publication is all its command did, so the projector keeps the command's
//                     record (Effects::command) at every node
//   StackConferred    the conferrals, by pathway (pseudonymous learners only; constituents
//                     counted, never named: see stacking.proto). An event written before
//                     constituent_count names them by id (the removed field 4): it is applied,
//                     counted from its ids, and stored without them.
// The rules an event must satisfy are the same for the service before it appends and for every
// node that consumes the event (Check* below), so a replay decides as the first application did.
#ifndef MICROCRED_SERVICES_STACKING_STACKING_PROJECTION_H_
#define MICROCRED_SERVICES_STACKING_STACKING_PROJECTION_H_

#include <optional>
#include <string>
#include <vector>

#include "libs/consumer/projector.h"
#include "libs/domain/policy_profile.h"
#include "microcred/stacking/v1/stacking.pb.h"

namespace microcred::stacking {

// A pathway `source` publishes in `ecosystem`: its own ("<source>/..." and owned by it), repeated
// by the event (id, version, title, minimum), valid under the profile (ValidatePathway), the
// version that follows `current`'s (1 when new), and in the ecosystem `current` was published in.
absl::Status CheckPathwayPublished(const v1::PathwayPublished& event, const std::string& source,
                                   std::string_view ecosystem,
                                   const std::optional<v1::Pathway>& current,
                                   const domain::PolicyProfile& profile);

// A conferral `source` made: on its own pathway, which this node knows at that version, with a
// pseudonymous learner and constituents (constituent_count, or the ids of the removed field 4
// before it), the pathway's target kind, and the conferred credential exactly when the target
// is conferred as one (ConfersCredential).
absl::Status CheckStackConferred(const v1::StackConferred& event, const std::string& source,
                                 const std::optional<v1::Pathway>& pathway);

class StackingProjection : public Projection {
 public:
  StackingProjection() = default;

  std::string name() const override;
  std::vector<std::string> topics() const override;
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override;
  std::vector<std::string> KeysToPrefetch(const events::v1::EnvelopeBody& body) const override;

 private:
  absl::Status ApplyPublished(const VerifiedEvent& event, StateStore& state, Effects& effects);
  absl::Status ApplyConferred(const VerifiedEvent& event, StateStore& state, Effects& effects);
};

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_STACKING_PROJECTION_H_
