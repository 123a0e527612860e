// RecognitionReadModel (recognition_read_model.h): the recognition projection, its projector,
// and the queries every process of the node may need.
#include "services/recognition/recognition_read_model.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "libs/privacy/pseudonym.h"

namespace microcred::recognition {

RecognitionReadModel::RecognitionReadModel(ServiceContext context, std::string pseudonym_secret)
    : context_(std::move(context)),
      pseudonym_secret_(std::move(pseudonym_secret)),
      state_(context_.store),
      projection_(context_.institution_id()) {}

absl::StatusOr<std::unique_ptr<RecognitionReadModel>> RecognitionReadModel::Start(
    ServiceContext context, std::string pseudonym_secret) {
  if (pseudonym_secret.size() != privacy::kPseudonymSecretBytes) {
    return absl::InvalidArgumentError("pseudonym_secret: must be 32 bytes");
  }
  std::unique_ptr<RecognitionReadModel> model(
      new RecognitionReadModel(std::move(context), std::move(pseudonym_secret)));
  auto projector = model->context_.StartProjector(model->projection_);
  if (!projector.ok()) return projector.status();
  model->projector_ = *std::move(projector);
  return model;
}

absl::StatusOr<std::string> RecognitionReadModel::CredentialTag(
    const std::string& credential_id) const {
  return privacy::CredentialTag(pseudonym_secret_, context_.institution_id(), credential_id);
}

absl::StatusOr<std::vector<v1::RecognitionDecided>>
RecognitionReadModel::FindDecisionsForCredential(const std::string& credential_id) const {
  if (credential_id.empty()) return std::vector<v1::RecognitionDecided>();
  auto tag = CredentialTag(credential_id);
  if (!tag.ok()) return tag.status();
  auto tagged = state_.DecisionsForCredentialTag(*tag);
  if (!tagged.ok()) return tagged.status();
  auto by_id = state_.DecisionsForCredentialId(credential_id);
  if (!by_id.ok()) return by_id.status();
  // A request decided before tags and whose appeal was decided since is in both indexes: the
  // appeal's decision is the latest. Another institution's event could copy our tags; it is
  // never ours.
  std::map<std::string, v1::RecognitionDecided> latest;
  for (auto* found : {&*by_id, &*tagged}) {
    for (v1::RecognitionDecided& d : *found) {
      if (d.receiving_institution() != context_.institution_id()) continue;
      auto [it, inserted] = latest.try_emplace(d.request_id(), d);
      if (!inserted && d.on_appeal()) it->second = std::move(d);
    }
  }
  std::vector<v1::RecognitionDecided> decisions;
  decisions.reserve(latest.size());
  for (auto& [request_id, d] : latest) decisions.push_back(std::move(d));
  return decisions;
}

absl::StatusOr<std::optional<v1::RecognitionDecided>> RecognitionReadModel::FindDecision(
    const std::string& request_id) const {
  return state_.Decided(request_id);
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
