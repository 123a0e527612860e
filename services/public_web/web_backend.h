// WebBackend: what the public web pages read and do at their node, the port they declare
// (web_routes.h uses it; services/mcnode/node_web_backend.h implements it over a Node).
//
// It speaks the node's public API messages (microcred/catalogue, microcred/issuance), so an
// implementation forwards each call to the service that answers it, and a test answers with a
// fake. Errors are the services' own (NOT_FOUND, INVALID_ARGUMENT naming the field,
// PERMISSION_DENIED for a caller who may not): the pages turn them into HTTP statuses.
//
// Implementations must be thread-safe: the HTTP server calls them from its worker threads.
#ifndef MICROCRED_SERVICES_PUBLIC_WEB_WEB_BACKEND_H_
#define MICROCRED_SERVICES_PUBLIC_WEB_WEB_BACKEND_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/auth/caller.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "services/public_web/pages.h"

namespace microcred::web {

class WebBackend {
 public:
  virtual ~WebBackend() = default;

  // The node's institution: whose learners sign in here, whose name the pages show.
  virtual std::string institution_id() const = 0;
  // The node's public base URL ("https://uclouvain.example"): share links are shown under it.
  virtual std::string public_url() const = 0;

  // ---- The catalogue as this node has applied it (public: no caller) ----

  virtual absl::StatusOr<catalogue::v1::SearchSpecificationsResponse> SearchSpecifications(
      const catalogue::v1::SearchSpecificationsRequest& request) const = 0;
  // A version of a specification (version 0: the latest); NOT_FOUND when it is unknown.
  virtual absl::StatusOr<catalogue::v1::Specification> GetSpecification(
      const catalogue::v1::GetSpecificationRequest& request) const = 0;
  // An institution's provider profile; NOT_FOUND when it has published none.
  virtual absl::StatusOr<catalogue::v1::ProviderProfile> GetProviderProfile(
      const catalogue::v1::GetProviderProfileRequest& request) const = 0;

  // ---- The trust registry (public) ----

  // What the registry says of a member; NOT_FOUND naming it when the registry does not know it.
  virtual absl::StatusOr<InstitutionFacts> GetInstitution(
      const std::string& institution_id) const = 0;

  // ---- Issuance ----

  // Verifies a presented compact JWS; never fails: the report says what holds and what not.
  virtual issuance::v1::VerificationReport VerifyCredential(
      const issuance::v1::VerifyCredentialRequest& request) const = 0;
  // The credentials `caller` may list (a learner: their own), as ListLearnerCredentials.
  virtual absl::StatusOr<issuance::v1::ListLearnerCredentialsResponse> ListLearnerCredentials(
      const auth::Caller& caller,
      const issuance::v1::ListLearnerCredentialsRequest& request) const = 0;
  // A credential in the asked format, if `caller` may read it, as ExportCredential.
  virtual absl::StatusOr<issuance::v1::ExportedCredential> ExportCredential(
      const auth::Caller& caller, const issuance::v1::ExportCredentialRequest& request) const = 0;
};

}  // namespace microcred::web

#endif  // MICROCRED_SERVICES_PUBLIC_WEB_WEB_BACKEND_H_
