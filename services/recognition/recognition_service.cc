// RecognitionService (recognition_service.h): Start checks the options, starts the read model
// and the parts over their shared core (recognition_internal.h), and recovers the outbox; each
// call goes to its part, the queries on policies and decisions to the read model.
#include "services/recognition/recognition_service.h"

#include "services/recognition/recognition_internal.h"
#include "services/recognition/request_lifecycle.h"

namespace microcred::recognition {

// The service's parts over their shared core (recognition_internal.h).
class RecognitionService::Impl {
 public:
  Impl(ServiceContext context, RecognitionOptions options,
       std::unique_ptr<RecognitionReadModel> read_model,
       const verification::PresentedCredentialVerifier& verifier)
      : core_(std::move(context), std::move(options), std::move(read_model), verifier),
        requests_(core_),
        policies_(core_),
        queries_(core_) {}

  internal::RecognitionCore& core() { return core_; }
  internal::RequestCommands& requests() { return requests_; }
  internal::PolicyCommands& policies() { return policies_; }
  const internal::RequestQueries& queries() const { return queries_; }
  const RecognitionReadModel& read_model() const { return *core_.read_model; }

 private:
  internal::RecognitionCore core_;
  internal::RequestCommands requests_;
  internal::PolicyCommands policies_;
  internal::RequestQueries queries_;
};

RecognitionService::RecognitionService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RecognitionService::~RecognitionService() = default;

absl::StatusOr<std::unique_ptr<RecognitionService>> RecognitionService::Start(
    ServiceContext context, RecognitionOptions options,
    const verification::PresentedCredentialVerifier& verifier) {
  if (options.pseudonym_secret.size() != 32 || options.vault_master_key.size() != 32) {
    return absl::InvalidArgumentError(
        "recognition: the pseudonym secret and the vault master key must be 32 bytes each");
  }
  if (auto s = ValidateDeadlineSettings(options.deadlines); !s.ok()) return s;
  auto read_model = RecognitionReadModel::Start(context, options.pseudonym_secret);
  if (!read_model.ok()) return read_model.status();
  auto impl = std::make_unique<Impl>(std::move(context), std::move(options), *std::move(read_model),
                                     verifier);
  // Events a crash left between their commit and their append.
  if (auto s = impl->core().path.RecoverOutbox(); !s.ok()) return s;
  return std::unique_ptr<RecognitionService>(new RecognitionService(std::move(impl)));
}

absl::StatusOr<v1::RecognitionRequest> RecognitionService::Submit(
    const auth::Caller& caller, const v1::SubmitRequestRequest& request) {
  return impl_->requests().Submit(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::SubmitVae(
    const auth::Caller& caller, const v1::SubmitVaeRequestRequest& request) {
  return impl_->requests().SubmitVae(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::RequestInformation(
    const auth::Caller& caller, const v1::RequestInformationRequest& request) {
  return impl_->requests().RequestInformation(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::ProvideInformation(
    const auth::Caller& caller, const v1::ProvideInformationRequest& request) {
  return impl_->requests().ProvideInformation(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::StartReview(
    const auth::Caller& caller, const v1::StartReviewRequest& request) {
  return impl_->requests().StartReview(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::Decide(
    const auth::Caller& caller, const v1::DecideRequest& request) {
  return impl_->requests().Decide(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::Appeal(
    const auth::Caller& caller, const v1::AppealRequest& request) {
  return impl_->requests().Appeal(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::DecideAppeal(
    const auth::Caller& caller, const v1::DecideAppealRequest& request) {
  return impl_->requests().DecideAppeal(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::Withdraw(
    const auth::Caller& caller, const v1::WithdrawRequest& request) {
  return impl_->requests().Withdraw(caller, request);
}
absl::StatusOr<v1::RecognitionRequest> RecognitionService::Get(
    const auth::Caller& caller, const v1::GetRequestRequest& request) const {
  return impl_->queries().Get(caller, request);
}
absl::StatusOr<v1::ListRequestsResponse> RecognitionService::List(
    const auth::Caller& caller, const v1::ListRequestsRequest& request) const {
  return impl_->queries().List(caller, request);
}
absl::StatusOr<v1::RecognitionPolicy> RecognitionService::PublishPolicy(
    const auth::Caller& caller, const v1::PublishPolicyRequest& request) {
  return impl_->policies().PublishPolicy(caller, request);
}
absl::StatusOr<v1::ListPoliciesResponse> RecognitionService::ListPolicies(
    const v1::ListPoliciesRequest& request) const {
  return impl_->read_model().ListPolicies(request);
}
absl::StatusOr<v1::VaeEligibility> RecognitionService::CheckVaeEligibility(
    const v1::CheckVaeEligibilityRequest& request) const {
  return impl_->queries().CheckVae(request);
}
absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionService::FindDecisionsForCredential(
    const std::string& credential_id) const {
  return impl_->read_model().FindDecisionsForCredential(credential_id);
}
absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionService::FindDecisionsForLearner(
    const std::string& learner_pseudonym) const {
  return impl_->read_model().FindDecisionsForLearner(learner_pseudonym);
}
std::string RecognitionService::VaultReference(const std::string& learner_pseudonym) {
  return "recognition:" + learner_pseudonym;
}
const std::string& RecognitionService::institution_id() const {
  return impl_->core().institution();
}
RecognitionReadModel& RecognitionService::read_model() { return *impl_->core().read_model; }
Projector& RecognitionService::projector() { return read_model().projector(); }

}  // namespace microcred::recognition
