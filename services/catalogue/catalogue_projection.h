// The catalogue's projection: applies every node's catalogue events (checked by the shared
// catalogue rules) to this node's read model and search index, from every ecosystem the node
// joined, recording for each specification and profile the ecosystem whose log it came from.
#ifndef MICROCRED_SERVICES_CATALOGUE_CATALOGUE_PROJECTION_H_
#define MICROCRED_SERVICES_CATALOGUE_CATALOGUE_PROJECTION_H_

#include "libs/consumer/projector.h"
#include "libs/domain/policy_profile.h"
#include "services/catalogue/search_index.h"

namespace microcred::catalogue {

class CatalogueProjection : public Projection {
 public:
  // `home_ecosystem`: what a record stored before ecosystems were recorded is in.
  explicit CatalogueProjection(std::string home_ecosystem = "")
      : home_ecosystem_(std::move(home_ecosystem)) {}

  std::string name() const override;
  std::vector<std::string> topics() const override;
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override;
  std::vector<std::string> KeysToPrefetch(const events::v1::EnvelopeBody& body) const override;
  absl::Status Load(StateStore& store, const registry::Registry& registry) override;

  const SearchIndex& index() const { return index_; }

  // Load() reads the home ecosystem's registry only: once the projector has read every
  // registry, the provider types of the specifications of the other ecosystems, from theirs.
  using MemberIn = std::function<std::optional<registry::v1::Member>(
      std::string_view ecosystem, const std::string& institution_id)>;
  void RetypeOutsideHome(const MemberIn& find_member);

 private:
  absl::Status ApplySpecificationEvent(const VerifiedEvent& event, StateStore& state,
                                       Effects& effects);
  absl::Status ApplyProfileEvent(const VerifiedEvent& event, Effects& effects);

  const std::string home_ecosystem_;
  SearchIndex index_;
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_PROJECTION_H_
