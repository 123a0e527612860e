// NodeWebBackend (node_web_backend.h): each call of the web pages' port, forwarded.
#include "services/mcnode/node_web_backend.h"

#include "libs/discovery/did_web.h"

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

absl::StatusOr<web::InstitutionFacts> NodeWebBackend::GetInstitution(
    const std::string& institution_id) const {
  std::optional<registry::v1::Member> member =
      node_.issuance_read_model().FindMember(institution_id);
  if (!member) return absl::NotFoundError("institution: " + institution_id + " is not known");
  const registry::v1::MemberAdmitted& admitted = member->admitted();
  // Where the registry says the member publishes (this node's URL when it says nothing), as
  // IssuanceService's documents do.
  const std::string& base =
      admitted.public_url().empty() ? node_.options().public_url : admitted.public_url();
  auto did = discovery::InstitutionDid(base, institution_id);
  return web::InstitutionFacts{.institution_id = institution_id,
                               .legal_name = admitted.legal_name(),
                               .country = admitted.country(),
                               .region = admitted.region(),
                               .provider_type = admitted.provider_type(),
                               .deqar_id = admitted.deqar_id(),
                               .issuer_url = discovery::IssuerUrl(base, institution_id),
                               .did = did.ok() ? *did : ""};
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
