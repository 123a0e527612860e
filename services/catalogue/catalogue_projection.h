// The catalogue's projection: applies every node's catalogue events (checked by the shared
// catalogue rules) to this node's read model and search index.
#ifndef MICROCRED_SERVICES_CATALOGUE_CATALOGUE_PROJECTION_H_
#define MICROCRED_SERVICES_CATALOGUE_CATALOGUE_PROJECTION_H_

#include <optional>

#include "libs/consumer/projector.h"
#include "libs/domain/policy_profile.h"
#include "services/catalogue/search_index.h"

namespace microcred::catalogue {

class CatalogueProjection : public Projection {
 public:
  explicit CatalogueProjection(const domain::PolicyProfile& profile) : profile_(profile) {}

  std::string name() const override;
  std::vector<std::string> topics() const override;
  absl::Status Apply(const VerifiedEvent& event, StateStore& store, WriteBatch& writes) override;
  void Committed(const VerifiedEvent& event) override;
  absl::Status Load(StateStore& store, const registry::Registry& registry) override;

  const SearchIndex& index() const { return index_; }

 private:
  absl::Status ApplySpecificationEvent(const VerifiedEvent& event, StateStore& store,
                                       WriteBatch& writes);
  absl::Status ApplyProfileEvent(const VerifiedEvent& event, WriteBatch& writes);

  const domain::PolicyProfile& profile_;
  SearchIndex index_;
  // The specification decided by the last Apply, indexed once its writes are committed.
  std::optional<v1::Specification> pending_;
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_PROJECTION_H_
