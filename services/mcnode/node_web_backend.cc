// NodeWebBackend (node_web_backend.h): each call of the web pages' port, forwarded.
#include "services/mcnode/node_web_backend.h"

namespace microcred {

std::string NodeWebBackend::institution_id() const { return node_.institution_id(); }

std::string NodeWebBackend::public_url() const { return node_.options().public_url; }

absl::StatusOr<catalogue::v1::SearchSpecificationsResponse> NodeWebBackend::SearchSpecifications(
    const catalogue::v1::SearchSpecificationsRequest& request) const {
  return node_.catalogue_read_model().Search(request);
}

absl::StatusOr<catalogue::v1::Specification> NodeWebBackend::GetSpecification(
    const catalogue::v1::GetSpecificationRequest& request) const {
  return node_.catalogue_read_model().Get(request);
}

absl::StatusOr<catalogue::v1::ProviderProfile> NodeWebBackend::GetProviderProfile(
    const catalogue::v1::GetProviderProfileRequest& request) const {
  return node_.catalogue_read_model().GetProviderProfile(request);
}

issuance::v1::VerificationReport NodeWebBackend::VerifyCredential(
    const issuance::v1::VerifyCredentialRequest& request) const {
  return node_.issuance().Verify(request);
}

absl::StatusOr<issuance::v1::ListLearnerCredentialsResponse> NodeWebBackend::ListLearnerCredentials(
    const auth::Caller& caller, const issuance::v1::ListLearnerCredentialsRequest& request) const {
  return node_.issuance().ListLearnerCredentials(caller, request);
}

absl::StatusOr<issuance::v1::ExportedCredential> NodeWebBackend::ExportCredential(
    const auth::Caller& caller, const issuance::v1::ExportCredentialRequest& request) const {
  return node_.issuance().Export(caller, request);
}

}  // namespace microcred
