// CatalogueReadModel: the catalogue of every ecosystem the node joined, as this node has applied
// it from their logs: every version of every specification (each with the ecosystem it is
// published in), the providers' profiles (one per ecosystem each published one in), and the
// search index over all of them.
//
// Every process of a node that reads the catalogue runs one: the catalogue service answers from
// it, issuance checks credentials against the frozen versions, recognition and stacking read
// the facts of what is presented, the web pages search it. Start() loads it from the store (or
// rebuilds it from the log when the store is empty) and returns once it has caught up.
//
// Thread-safe.
#ifndef MICROCRED_SERVICES_CATALOGUE_CATALOGUE_READ_MODEL_H_
#define MICROCRED_SERVICES_CATALOGUE_CATALOGUE_READ_MODEL_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/command/service_context.h"
#include "libs/consumer/projector.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "services/catalogue/catalogue_projection.h"
#include "services/catalogue/catalogue_state.h"

namespace microcred::catalogue {

class CatalogueReadModel {
 public:
  static absl::StatusOr<std::unique_ptr<CatalogueReadModel>> Start(ServiceContext context);

  // The public queries (Recommendation §9c: the catalogue is public).
  absl::StatusOr<v1::ProviderProfile> GetProviderProfile(
      const v1::GetProviderProfileRequest& request) const;
  absl::StatusOr<v1::Specification> Get(const v1::GetSpecificationRequest& request) const;
  absl::StatusOr<v1::SearchSpecificationsResponse> Search(
      const v1::SearchSpecificationsRequest& request) const;

  // A version of a specification (0 = the latest), showing the specification's current status;
  // NOT_FOUND naming the field when it is unknown.
  absl::StatusOr<v1::Specification> Stored(const std::string& specification_id,
                                           uint32_t version) const;
  // The same, std::nullopt when unknown: what issuance and verification read.
  absl::StatusOr<std::optional<v1::Specification>> Find(const std::string& specification_id,
                                                        uint32_t version) const;
  // The latest version as the rules see it (its current status), std::nullopt when unknown.
  absl::StatusOr<std::optional<v1::Specification>> Latest(
      const std::string& specification_id) const;
  // The profile `institution_id` published in `ecosystem_id`; without one, the home ecosystem's,
  // or else the first by ecosystem id. NOT_FOUND naming the field when there is none.
  absl::StatusOr<v1::ProviderProfile> StoredProfile(const std::string& institution_id,
                                                    const std::string& ecosystem_id = "") const;

  // A registry member as this read model's projector has applied the registry: of `ecosystem`'s
  // registry; without one, of the first ecosystem (home first) whose registry knows it.
  std::optional<registry::v1::Member> FindMember(const std::string& institution_id) const;
  std::optional<registry::v1::Member> FindMemberIn(std::string_view ecosystem,
                                                   const std::string& institution_id) const;

  Projector& projector() { return *projector_; }

 private:
  explicit CatalogueReadModel(ServiceContext context);

  ServiceContext context_;
  CatalogueState state_;
  CatalogueProjection projection_;
  std::unique_ptr<Projector> projector_;
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_READ_MODEL_H_
