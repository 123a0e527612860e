#include "services/issuance/issuance_read_model.h"

#include "libs/privacy/learner_vault.h"
#include "libs/verification/credential_verifier.h"

namespace microcred::issuance {

IssuanceReadModel::IssuanceReadModel(ServiceContext context, VaultRefs further_vault_refs)
    : context_(std::move(context)),
      further_vault_refs_(std::move(further_vault_refs)),
      state_(context_.store),
      projection_(context_.profile, context_.institution_id(),
                  [this](const std::string& pseudonym, WriteBatch& writes) {
                    EraseKeys(pseudonym, writes);
                  }) {}

absl::StatusOr<std::unique_ptr<IssuanceReadModel>> IssuanceReadModel::Start(
    ServiceContext context, VaultRefs further_vault_refs) {
  std::unique_ptr<IssuanceReadModel> model(
      new IssuanceReadModel(std::move(context), std::move(further_vault_refs)));
  auto projector = model->context_.StartProjector(model->projection_);
  if (!projector.ok()) return projector.status();
  model->projector_ = *std::move(projector);
  return model;
}

void IssuanceReadModel::EraseKeys(const std::string& pseudonym, WriteBatch& writes) const {
  privacy::LearnerVault::Erase(pseudonym, writes);
  if (!further_vault_refs_) return;
  for (const std::string& ref : further_vault_refs_(pseudonym)) {
    privacy::LearnerVault::Erase(ref, writes);
  }
}

absl::StatusOr<std::optional<v1::KnownCredential>> IssuanceReadModel::FindCredential(
    const std::string& credential_id) const {
  return state_.Known(credential_id);
}

std::optional<registry::v1::Member> IssuanceReadModel::FindMember(
    const std::string& institution_id) const {
  return projector_->FindMember(institution_id);
}

v1::VerificationReport IssuanceReadModel::Verify(const v1::VerifyCredentialRequest& request) const {
  verification::VerificationInputs inputs{
      .find_member = [this](const std::string& id) { return projector_->FindMember(id); },
      .find_credential = [this](const std::string& id) { return state_.Known(id); },
      .profile = context_.profile,
      .now = context_.clock.Now()};
  return verification::VerifyCredential(request.jws(), inputs);
}

}  // namespace microcred::issuance
