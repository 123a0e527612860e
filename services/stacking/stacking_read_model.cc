#include "services/stacking/stacking_read_model.h"

#include "libs/base/strings.h"

namespace microcred::stacking {
namespace {

using strings::Cat;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;

}  // namespace

StackingReadModel::StackingReadModel(ServiceContext context)
    : context_(std::move(context)), state_(context_.store), projection_() {}

absl::StatusOr<std::unique_ptr<StackingReadModel>> StackingReadModel::Start(
    ServiceContext context) {
  std::unique_ptr<StackingReadModel> model(new StackingReadModel(std::move(context)));
  auto projector = model->context_.StartProjector(model->projection_);
  if (!projector.ok()) return projector.status();
  model->projector_ = *std::move(projector);
  return model;
}

absl::StatusOr<v1::Pathway> StackingReadModel::GetPathway(
    const v1::GetPathwayRequest& request) const {
  if (request.pathway_id().empty()) return absl::InvalidArgumentError("pathway_id: is required");
  return Stored(request.pathway_id(), request.version());
}

absl::StatusOr<v1::ListPathwaysResponse> StackingReadModel::ListPathways(
    const v1::ListPathwaysRequest& request) const {
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError(Cat("page_size: 0 to ", kMaxPageSize));
  }
  const int size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();
  auto all = state_.LatestPathways(request.owner_institution());
  if (!all.ok()) return all.status();
  v1::ListPathwaysResponse response;
  for (v1::Pathway& pathway : *all) {  // by pathway id (the store's key order)
    if (!request.page_token().empty() && pathway.pathway_id() <= request.page_token()) continue;
    if (response.pathways_size() == size) {
      response.set_next_page_token(response.pathways(size - 1).pathway_id());
      break;
    }
    *response.add_pathways() = std::move(pathway);
  }
  return response;
}

absl::StatusOr<v1::Pathway> StackingReadModel::Stored(const std::string& pathway_id,
                                                      uint32_t version) const {
  auto pathway = state_.Pathway(pathway_id, version);
  if (!pathway.ok()) return pathway.status();
  if (!pathway->has_value()) {
    return absl::NotFoundError(
        version == 0 ? Cat("pathway_id: ", pathway_id, " is not published")
                     : Cat("pathway_version: ", pathway_id, " has no version ", version));
  }
  return **pathway;
}

absl::StatusOr<std::optional<v1::Pathway>> StackingReadModel::Latest(
    const std::string& pathway_id) const {
  return state_.Pathway(pathway_id, 0);
}

absl::StatusOr<std::vector<v1::StackConferred>> StackingReadModel::Conferrals(
    const std::string& pathway_id) const {
  return state_.Conferrals(pathway_id);
}

std::optional<registry::v1::Member> StackingReadModel::FindMember(
    const std::string& institution_id) const {
  return projector_->FindMember(institution_id);
}

}  // namespace microcred::stacking
