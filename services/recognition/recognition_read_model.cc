// RecognitionReadModel (recognition_read_model.h): the recognition projection, its projector,
// and the queries every process of the node may need.
#include "services/recognition/recognition_read_model.h"

#include <algorithm>
#include <tuple>

namespace microcred::recognition {

RecognitionReadModel::RecognitionReadModel(ServiceContext context)
    : context_(std::move(context)), state_(context_.store) {}

absl::StatusOr<std::unique_ptr<RecognitionReadModel>> RecognitionReadModel::Start(
    ServiceContext context) {
  std::unique_ptr<RecognitionReadModel> model(new RecognitionReadModel(std::move(context)));
  auto projector = model->context_.StartProjector(model->projection_);
  if (!projector.ok()) return projector.status();
  model->projector_ = *std::move(projector);
  return model;
}

absl::StatusOr<std::vector<v1::RecognitionDecided>>
RecognitionReadModel::FindDecisionsForCredential(const std::string& credential_id) const {
  return state_.DecisionsForCredential(credential_id);
}

absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionReadModel::FindDecisionsForLearner(
    const std::string& learner_pseudonym) const {
  return state_.DecisionsForLearner(learner_pseudonym);
}

absl::StatusOr<v1::ListPoliciesResponse> RecognitionReadModel::ListPolicies(
    const v1::ListPoliciesRequest& request) const {
  const std::string& of = request.receiving_institution().empty() ? context_.institution_id()
                                                                  : request.receiving_institution();
  auto policies = state_.PoliciesOf(of);
  if (!policies.ok()) return policies.status();
  std::sort(policies->begin(), policies->end(), [](const auto& a, const auto& b) {
    return std::make_tuple(a.rank(), a.policy_id()) < std::make_tuple(b.rank(), b.policy_id());
  });
  v1::ListPoliciesResponse response;
  for (v1::RecognitionPolicy& policy : *policies) {
    if (!request.include_retired() && policy.status() == v1::POLICY_STATUS_RETIRED) continue;
    *response.add_policies() = std::move(policy);
  }
  return response;
}

absl::StatusOr<v1::RecognitionPolicy> RecognitionReadModel::StoredPolicy(
    const std::string& policy_id) const {
  auto policy = state_.Policy(policy_id);
  if (!policy.ok()) return policy.status();
  if (!policy->has_value()) {
    return absl::NotFoundError("policy_id: " + policy_id + " is not published");
  }
  return **policy;
}

absl::StatusOr<std::optional<v1::RecognitionPolicy>> RecognitionReadModel::FindPolicy(
    const std::string& policy_id) const {
  return state_.Policy(policy_id);
}

absl::StatusOr<std::vector<v1::RecognitionPolicy>> RecognitionReadModel::PoliciesOf(
    const std::string& institution) const {
  return state_.PoliciesOf(institution);
}

}  // namespace microcred::recognition
