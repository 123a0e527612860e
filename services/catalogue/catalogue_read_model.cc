#include "services/catalogue/catalogue_read_model.h"

#include "libs/domain/specification_id.h"

namespace microcred::catalogue {

CatalogueReadModel::CatalogueReadModel(ServiceContext context)
    : context_(std::move(context)), state_(context_.store), projection_(context_.profile) {}

absl::StatusOr<std::unique_ptr<CatalogueReadModel>> CatalogueReadModel::Start(
    ServiceContext context) {
  std::unique_ptr<CatalogueReadModel> model(new CatalogueReadModel(std::move(context)));
  auto projector = model->context_.StartProjector(model->projection_);
  if (!projector.ok()) return projector.status();
  model->projector_ = *std::move(projector);
  return model;
}

absl::StatusOr<v1::ProviderProfile> CatalogueReadModel::GetProviderProfile(
    const v1::GetProviderProfileRequest& request) const {
  if (absl::Status s = domain::ValidateInstitutionId(request.institution_id()); !s.ok()) return s;
  return StoredProfile(request.institution_id());
}

absl::StatusOr<v1::ProviderProfile> CatalogueReadModel::StoredProfile(
    const std::string& institution_id) const {
  auto profile = state_.Profile(institution_id);
  if (!profile.ok()) return profile.status();
  if (!profile->has_value()) {
    return absl::NotFoundError("institution_id: " + institution_id + " has published no profile");
  }
  return **profile;
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

}  // namespace microcred::catalogue
