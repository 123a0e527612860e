// StackingReadModel: the whole ecosystem's pathways and conferrals as this node has applied them
// from the log: every version of every institution's pathways, and the conferrals on each.
//
// The stacking service answers its queries from it and decides its commands against it; any
// other process of the node that shows pathways (they are public) runs one without the
// service's ports. Start() loads it from the store (or rebuilds it from the log when the store
// is empty) and returns once it has caught up.
//
// Thread-safe.
#ifndef MICROCRED_SERVICES_STACKING_STACKING_READ_MODEL_H_
#define MICROCRED_SERVICES_STACKING_STACKING_READ_MODEL_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/command/service_context.h"
#include "libs/consumer/projector.h"
#include "microcred/stacking/v1/stacking.pb.h"
#include "services/stacking/stacking_projection.h"
#include "services/stacking/stacking_state.h"

namespace microcred::stacking {

class StackingReadModel {
 public:
  static absl::StatusOr<std::unique_ptr<StackingReadModel>> Start(ServiceContext context);

  // The public queries: every pathway of the ecosystem.
  absl::StatusOr<v1::Pathway> GetPathway(const v1::GetPathwayRequest& request) const;
  absl::StatusOr<v1::ListPathwaysResponse> ListPathways(
      const v1::ListPathwaysRequest& request) const;

  // A version of a pathway (0 = the latest); NOT_FOUND naming the field when it is unknown.
  absl::StatusOr<v1::Pathway> Stored(const std::string& pathway_id, uint32_t version) const;
  // The latest version, std::nullopt when the pathway is not published.
  absl::StatusOr<std::optional<v1::Pathway>> Latest(const std::string& pathway_id) const;
  // The conferrals on a pathway.
  absl::StatusOr<std::vector<v1::StackConferred>> Conferrals(const std::string& pathway_id) const;

  // A registry member as this read model's projector has applied the registry.
  std::optional<registry::v1::Member> FindMember(const std::string& institution_id) const;
  // The member `institution_id` in `ecosystem`'s registry.
  std::optional<registry::v1::Member> FindMemberIn(std::string_view ecosystem,
                                                   const std::string& institution_id) const {
    return projector_->FindMemberIn(ecosystem, institution_id);
  }

  Projector& projector() { return *projector_; }

 private:
  explicit StackingReadModel(ServiceContext context);

  ServiceContext context_;
  StackingState state_;
  StackingProjection projection_;
  std::unique_ptr<Projector> projector_;
};

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_STACKING_READ_MODEL_H_
