// CatalogueService: one institution's catalogue commands, and the ecosystem catalogue's queries.
//
// A specification is published in the ecosystem its request names (empty: the node's home; one
// the node joined, where the institution is a member), and its revisions and withdrawal follow
// it there; a provider profile goes to the ecosystem named, or to every one the node joined.
//
// A command (publish, revise, withdraw a specification; update the provider profile) runs the
// node's one command path (libs/command/command_path.h): the request id is claimed and the
// specification locked, a retry is answered with the first result, the catalogue rules decide
// against the read model, and the event is committed, appended and applied by this node before
// the call answers. A refused command writes nothing.
//
// Queries answer from the CatalogueReadModel the service starts (catalogue_read_model.h).
//
// Thread-safe: commands on different specifications run concurrently.
#ifndef MICROCRED_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
#define MICROCRED_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "libs/auth/caller.h"
#include "libs/command/service_context.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "services/catalogue/catalogue_read_model.h"

namespace microcred::catalogue {

class CatalogueService {
 public:
  // Starts the catalogue's read model and returns once it has caught up with the log.
  static absl::StatusOr<std::unique_ptr<CatalogueService>> Start(ServiceContext context);
  ~CatalogueService();

  // The registrar of the node's institution.
  absl::StatusOr<v1::ProviderProfile> UpsertProviderProfile(
      const auth::Caller& caller, const v1::UpsertProviderProfileRequest& request);
  // A catalogue editor or registrar of the node's institution.
  absl::StatusOr<v1::Specification> Publish(const auth::Caller& caller,
                                            const v1::PublishSpecificationRequest& request);
  absl::StatusOr<v1::Specification> Revise(const auth::Caller& caller,
                                           const v1::ReviseSpecificationRequest& request);
  absl::StatusOr<v1::Specification> Withdraw(const auth::Caller& caller,
                                             const v1::WithdrawSpecificationRequest& request);

  // Anyone.
  absl::StatusOr<v1::ProviderProfile> GetProviderProfile(
      const v1::GetProviderProfileRequest& request) const;
  absl::StatusOr<v1::Specification> Get(const v1::GetSpecificationRequest& request) const;
  absl::StatusOr<v1::SearchSpecificationsResponse> Search(
      const v1::SearchSpecificationsRequest& request) const;

  const std::string& institution_id() const;
  CatalogueReadModel& read_model();
  Projector& projector();

 private:
  class Impl;
  explicit CatalogueService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
