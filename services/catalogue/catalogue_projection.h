// The catalogue's projection: applies every node's catalogue events (checked by the shared
// catalogue rules) to this node's read model and search index.
#ifndef MICROCRED_SERVICES_CATALOGUE_CATALOGUE_PROJECTION_H_
#define MICROCRED_SERVICES_CATALOGUE_CATALOGUE_PROJECTION_H_

#include "libs/consumer/projector.h"
#include "libs/domain/policy_profile.h"
#include "services/catalogue/search_index.h"

namespace microcred::catalogue {

class CatalogueProjection : public Projection {
 public:
  explicit CatalogueProjection(const domain::PolicyProfile& profile) : profile_(profile) {}

  std::string name() const override;
  std::vector<std::string> topics() const override;
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override;
  std::vector<std::string> KeysToPrefetch(const events::v1::EnvelopeBody& body) const override;
  absl::Status Load(StateStore& store, const registry::Registry& registry) override;

  const SearchIndex& index() const { return index_; }

 private:
  absl::Status ApplySpecificationEvent(const VerifiedEvent& event, StateStore& state,
                                       Effects& effects);
  absl::Status ApplyProfileEvent(const VerifiedEvent& event, Effects& effects);

  const domain::PolicyProfile& profile_;
  SearchIndex index_;
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_PROJECTION_H_
