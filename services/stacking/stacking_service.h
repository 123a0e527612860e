// StackingService: one receiving institution's node publishes its pathways, evaluates learners'
// credentials against any pathway of the ecosystem, and confers the larger credential.
//
//  - PublishPathway (recognition_officer or pathway_editor of the owner): ValidatePathway under
//    the node's policy profile, versioned (0 publishes, expected_version revises); the pathway
//    is the PathwayPublished event on mc.stacking.v1, which every node's projection applies, so
//    GetPathway and ListPathways answer at every node.
//  - Evaluate, WhatIf (any authenticated caller): the presented JWS are verified
//    (libs/verification, against this node's registry, issuance read model and catalogue) and
//    read (recognition's ExtractCredentialFacts, with the specification's ISCED-F, skills,
//    assessment and supervision). A credential issued outside the pathway's owner counts only
//    with a positive decision of the owner (the recognition read model: FULL or PARTIAL, at the
//    recognised ECTS) or an equivalence. WhatIf adds catalogue specifications as if held: issued
//    today, recognised in full when external (as suggestions assume). Suggestions search the
//    whole catalogue this node knows.
//  - Confer (recognition_officer of the owner): re-evaluates, refuses with FAILED_PRECONDITION
//    unless satisfied, issues the pathway's target specification to the learner through the
//    node's issuance service (its constituent credentials are listed in the issuance request
//    and carried by the Open Badges document as evidence), then appends StackConferred
//    (pseudonymous learner only). A retried request id returns the first answer.
// Refused calls write nothing and append nothing; errors start with the field path.
//
// Thread-safe.
#ifndef MICROCRED_SERVICES_STACKING_STACKING_SERVICE_H_
#define MICROCRED_SERVICES_STACKING_STACKING_SERVICE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/caller.h"
#include "libs/consumer/projector.h"
#include "libs/domain/policy_profile.h"
#include "libs/events/envelope.h"
#include "microcred/stacking/v1/stacking.pb.h"
#include "services/catalogue/catalogue_service.h"
#include "services/issuance/issuance_service.h"
#include "services/recognition/recognition_service.h"
#include "services/stacking/credential_issuer.h"

namespace microcred::stacking {

struct StackingOptions {
  std::string node_id;
  std::vector<registry::TrustAnchor> trust_anchors;
  // Equivalences the ecosystem's policy declares, on top of each pathway's own.
  std::vector<v1::Equivalence> policy_equivalences;
  absl::TimeZone zone = absl::UTCTimeZone();  // the institution's days
  absl::Duration apply_timeout = absl::Seconds(30);
  std::function<void(const events::v1::DeadLetter&)> on_refusal;
  std::function<int64_t()> now_ms;  // the clock; system time when empty
};

// The node's other services stacking reads, and what a conferral issues through.
struct StackingDependencies {
  const recognition::CredentialLookup& credentials;
  const recognition::RecognitionService& recognition;
  const issuance::IssuanceService& issuance;  // the learner pseudonyms of the institution
  const catalogue::CatalogueService& catalogue;
  CredentialIssuer& issuer;
};

class StackingService {
 public:
  // Loads (or rebuilds from the log) the read model and starts consuming. The references must
  // outlive the service.
  static absl::StatusOr<std::unique_ptr<StackingService>> Start(
      EventLog& log, StateStore& store, const events::EnvelopeSigner& signer,
      const domain::PolicyProfile& profile, StackingDependencies dependencies,
      StackingOptions options);
  ~StackingService();

  absl::StatusOr<v1::Pathway> PublishPathway(const auth::Caller& caller,
                                             const v1::PublishPathwayRequest& request);
  // Public: every pathway of the ecosystem, as this node has applied them.
  absl::StatusOr<v1::Pathway> GetPathway(const v1::GetPathwayRequest& request) const;
  absl::StatusOr<v1::ListPathwaysResponse> ListPathways(
      const v1::ListPathwaysRequest& request) const;

  absl::StatusOr<v1::EvaluateResponse> Evaluate(const auth::Caller& caller,
                                                const v1::EvaluateRequest& request) const;
  absl::StatusOr<v1::EvaluateResponse> WhatIf(const auth::Caller& caller,
                                              const v1::WhatIfRequest& request) const;
  absl::StatusOr<v1::ConferResponse> Confer(const auth::Caller& caller,
                                            const v1::ConferRequest& request);

  // The conferrals of a pathway, as this node has applied them.
  absl::StatusOr<std::vector<v1::StackConferred>> FindConferrals(
      const std::string& pathway_id) const;

  const std::string& institution_id() const;
  Projector& projector();

 private:
  class Impl;
  explicit StackingService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_STACKING_SERVICE_H_
