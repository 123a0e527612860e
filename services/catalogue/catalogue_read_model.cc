#include "services/catalogue/catalogue_read_model.h"

#include "libs/domain/specification_id.h"

namespace microcred::catalogue {

CatalogueReadModel::CatalogueReadModel(ServiceContext context)
    : context_(std::move(context)),
      state_(context_.store, context_.home_ecosystem()),
      projection_(context_.home_ecosystem()) {}

absl::StatusOr<std::unique_ptr<CatalogueReadModel>> CatalogueReadModel::Start(
    ServiceContext context) {
  std::unique_ptr<CatalogueReadModel> model(new CatalogueReadModel(std::move(context)));
  auto projector = model->context_.StartProjector(model->projection_);
  if (!projector.ok()) return projector.status();
  model->projector_ = *std::move(projector);
  if (!model->context_.further_ecosystems.empty()) {
    const Projector& started = *model->projector_;
    model->projection_.RetypeOutsideHome(
        [&started](std::string_view ecosystem, const std::string& id) {
          return started.FindMemberIn(ecosystem, id);
        });
  }
  return model;
}

absl::StatusOr<v1::ProviderProfile> CatalogueReadModel::GetProviderProfile(
    const v1::GetProviderProfileRequest& request) const {
  if (absl::Status s = domain::ValidateInstitutionId(request.institution_id()); !s.ok()) return s;
  if (!request.ecosystem_id().empty()) {
    if (absl::Status s = domain::ValidateEcosystemId(request.ecosystem_id()); !s.ok()) return s;
  }
  return StoredProfile(request.institution_id(), request.ecosystem_id());
}

absl::StatusOr<v1::ProviderProfile> CatalogueReadModel::StoredProfile(
    const std::string& institution_id, const std::string& ecosystem_id) const {
  if (!ecosystem_id.empty()) {
    auto profile = state_.Profile(institution_id, ecosystem_id);
    if (!profile.ok()) return profile.status();
    if (!profile->has_value()) {
      return absl::NotFoundError("institution_id: " + institution_id +
                                 " has published no profile in ecosystem " + ecosystem_id);
    }
    return **profile;
  }
  auto profiles = state_.Profiles(institution_id);
  if (!profiles.ok()) return profiles.status();
  if (profiles->empty()) {
    return absl::NotFoundError("institution_id: " + institution_id + " has published no profile");
  }
  for (const v1::ProviderProfile& profile : *profiles) {
    if (profile.ecosystem_id() == context_.home_ecosystem()) return profile;
  }
  return profiles->front();
}

absl::StatusOr<v1::Specification> CatalogueReadModel::Get(
    const v1::GetSpecificationRequest& request) const {
  if (auto parsed = domain::ParseSpecificationId(request.specification_id()); !parsed.ok()) {
    return parsed.status();
  }
  return Stored(request.specification_id(), request.version());
}

absl::StatusOr<v1::Specification> CatalogueReadModel::Stored(const std::string& spec_id,
                                                             uint32_t version) const {
  auto latest = state_.Latest(spec_id);
  if (!latest.ok()) return latest.status();
  if (!latest->has_value()) {
    return absl::NotFoundError("specification_id: " + spec_id + " is not in the catalogue");
  }
  if (version == 0 || version == (*latest)->version()) return **latest;
  auto stored = state_.Version(spec_id, version);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return absl::NotFoundError("version: " + spec_id + " has no version " +
                               std::to_string(version) + "; the latest is " +
                               std::to_string((*latest)->version()));
  }
  // An earlier version keeps its frozen content but shows the specification's current status.
  v1::Specification spec = **stored;
  spec.set_status((*latest)->status());
  spec.set_withdrawal_reason((*latest)->withdrawal_reason());
  return spec;
}

absl::StatusOr<std::optional<v1::Specification>> CatalogueReadModel::Find(
    const std::string& spec_id, uint32_t version) const {
  v1::GetSpecificationRequest request;
  request.set_specification_id(spec_id);
  request.set_version(version);
  auto spec = Get(request);
  if (spec.status().code() == absl::StatusCode::kNotFound) {
    return std::optional<v1::Specification>();
  }
  if (!spec.ok()) return spec.status();
  return std::optional<v1::Specification>(*std::move(spec));
}

absl::StatusOr<std::optional<v1::Specification>> CatalogueReadModel::Latest(
    const std::string& spec_id) const {
  return state_.Latest(spec_id);
}

absl::StatusOr<v1::SearchSpecificationsResponse> CatalogueReadModel::Search(
    const v1::SearchSpecificationsRequest& request) const {
  return projection_.index().Search(request);
}

std::optional<registry::v1::Member> CatalogueReadModel::FindMember(
    const std::string& institution_id) const {
  return projector_->FindMember(institution_id);
}

std::optional<registry::v1::Member> CatalogueReadModel::FindMemberIn(
    std::string_view ecosystem, const std::string& institution_id) const {
  return projector_->FindMemberIn(ecosystem, institution_id);
}

}  // namespace microcred::catalogue
