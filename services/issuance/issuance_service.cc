#include "services/issuance/issuance_service.h"

#include "services/issuance/issuance_core.h"
#include "services/issuance/issue_commands.h"
#include "services/issuance/key_publication.h"
#include "services/issuance/learner_records.h"
#include "services/issuance/status_commands.h"

namespace microcred::issuance {

// The service's parts over their shared core.
class IssuanceService::Impl {
 public:
  Impl(ServiceContext context, IssuanceOptions options, const crypto::SigningKey& signing_key,
       const SpecificationSource& specifications, std::unique_ptr<IssuanceReadModel> read_model)
      : core(std::move(context), std::move(options), signing_key, specifications,
             std::move(read_model)),
        issuing(core),
        status(core),
        learners(core),
        publication(core) {}

  IssuanceCore core;
  IssueCommands issuing;
  StatusCommands status;
  LearnerRecords learners;
  KeyPublication publication;
};

IssuanceService::IssuanceService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IssuanceService::~IssuanceService() = default;

absl::StatusOr<std::unique_ptr<IssuanceService>> IssuanceService::Start(
    ServiceContext context, IssuanceOptions options, const crypto::SigningKey& signing_key,
    const SpecificationSource& specifications) {
  if (options.pseudonym_secret.size() != 32 || options.vault_master_key.size() != 32) {
    return absl::InvalidArgumentError(
        "issuance: the pseudonym secret and the vault master key must be 32 bytes each");
  }
  if (auto id =
          discovery::IssuerId(options.issuer_id_form, options.public_url, context.institution_id());
      !id.ok()) {
    return absl::InvalidArgumentError("issuer_id: did-web: " + std::string(id.status().message()));
  }
  auto read_model = IssuanceReadModel::Start(context, options.further_erasure);
  if (!read_model.ok()) return read_model.status();
  auto impl = std::make_unique<Impl>(std::move(context), std::move(options), signing_key,
                                     specifications, *std::move(read_model));
  if (auto s = impl->issuing.Start(); !s.ok()) return s;
  if (auto s = impl->core.path.RecoverOutbox(); !s.ok()) return s;
  return std::unique_ptr<IssuanceService>(new IssuanceService(std::move(impl)));
}

absl::StatusOr<v1::IssuedCredential> IssuanceService::Issue(
    const auth::Caller& caller, const v1::IssueCredentialRequest& request) {
  return impl_->issuing.Issue(caller, request);
}
absl::StatusOr<v1::IssueCredentialsResponse> IssuanceService::IssueMany(
    const auth::Caller& caller, const v1::IssueCredentialsRequest& request) {
  return impl_->issuing.IssueMany(caller, request);
}
absl::StatusOr<v1::IssuedCredential> IssuanceService::Revoke(
    const auth::Caller& caller, const v1::ChangeStatusRequest& request) {
  return impl_->status.Revoke(caller, request);
}
absl::StatusOr<v1::IssuedCredential> IssuanceService::Suspend(
    const auth::Caller& caller, const v1::ChangeStatusRequest& request) {
  return impl_->status.Suspend(caller, request, /*reinstate=*/false);
}
absl::StatusOr<v1::IssuedCredential> IssuanceService::Reinstate(
    const auth::Caller& caller, const v1::ChangeStatusRequest& request) {
  return impl_->status.Suspend(caller, request, /*reinstate=*/true);
}
absl::StatusOr<v1::ListLearnerCredentialsResponse> IssuanceService::ListLearnerCredentials(
    const auth::Caller& caller, const v1::ListLearnerCredentialsRequest& request) const {
  return impl_->learners.List(caller, request);
}
absl::StatusOr<v1::ExportedCredential> IssuanceService::Export(
    const auth::Caller& caller, const v1::ExportCredentialRequest& request) const {
  return impl_->learners.Export(caller, request);
}
absl::StatusOr<v1::EraseLearnerResponse> IssuanceService::EraseLearner(
    const auth::Caller& caller, const v1::EraseLearnerRequest& request) {
  return impl_->learners.Erase(caller, request);
}
absl::StatusOr<std::string> IssuanceService::LearnerPseudonym(const std::string& learner_id) const {
  return impl_->core.Pseudonym(learner_id);
}
v1::VerificationReport IssuanceService::Verify(const v1::VerifyCredentialRequest& request) const {
  return impl_->core.read_model->Verify(request);
}
absl::StatusOr<std::string> IssuanceService::StatusList(const std::string& purpose) const {
  auto parsed = status_list::ParseStatusPurpose(purpose);
  if (!parsed.ok()) return parsed.status();
  return impl_->publication.StatusList(*parsed);
}
std::string IssuanceService::StatusReference() const {
  return impl_->publication.StatusReference();
}
absl::StatusOr<std::string> IssuanceService::Jwks(const std::string& institution_id) const {
  return impl_->publication.Jwks(institution_id);
}
absl::StatusOr<std::string> IssuanceService::IssuerProfile(
    const std::string& institution_id) const {
  return impl_->publication.IssuerProfile(institution_id);
}
absl::StatusOr<std::string> IssuanceService::PublicKey(const std::string& institution_id,
                                                       const std::string& key_id) const {
  return impl_->publication.PublicKey(institution_id, key_id);
}
absl::StatusOr<std::string> IssuanceService::DidDocument(const std::string& institution_id) const {
  return impl_->publication.DidDocument(institution_id);
}
const std::string& IssuanceService::institution_id() const { return impl_->core.institution(); }
IssuanceReadModel& IssuanceService::read_model() { return *impl_->core.read_model; }
Projector& IssuanceService::projector() { return impl_->core.read_model->projector(); }

}  // namespace microcred::issuance
