// NodeWebBackend: the public web pages' port (services/public_web/web_backend.h) over a Node:
// the catalogue through the read model every process of the node runs, issuance through its
// service. Each call forwards to the one that answers it; nothing is decided here.
//
// The node must run issuance (NodeScope::kIssuance or wider) and outlive this. Thread-safe.
#ifndef MICROCRED_SERVICES_MCNODE_NODE_WEB_BACKEND_H_
#define MICROCRED_SERVICES_MCNODE_NODE_WEB_BACKEND_H_

#include <string>

#include "services/mcnode/node.h"
#include "services/public_web/web_backend.h"

namespace microcred {

class NodeWebBackend : public web::WebBackend {
 public:
  explicit NodeWebBackend(Node& node) : node_(node) {}

  std::string institution_id() const override;
  std::string public_url() const override;
  absl::StatusOr<catalogue::v1::SearchSpecificationsResponse> SearchSpecifications(
      const catalogue::v1::SearchSpecificationsRequest& request) const override;
  absl::StatusOr<catalogue::v1::Specification> GetSpecification(
      const catalogue::v1::GetSpecificationRequest& request) const override;
  absl::StatusOr<catalogue::v1::ProviderProfile> GetProviderProfile(
      const catalogue::v1::GetProviderProfileRequest& request) const override;
  absl::StatusOr<web::InstitutionFacts> GetInstitution(
      const std::string& institution_id) const override;
  issuance::v1::VerificationReport VerifyCredential(
      const issuance::v1::VerifyCredentialRequest& request) const override;
  absl::StatusOr<issuance::v1::ListLearnerCredentialsResponse> ListLearnerCredentials(
      const auth::Caller& caller,
      const issuance::v1::ListLearnerCredentialsRequest& request) const override;
  absl::StatusOr<issuance::v1::ExportedCredential> ExportCredential(
      const auth::Caller& caller,
      const issuance::v1::ExportCredentialRequest& request) const override;

 private:
  Node& node_;
};

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_NODE_WEB_BACKEND_H_
