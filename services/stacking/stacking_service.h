// StackingService: one receiving institution's node publishes its pathways, evaluates learners'
// credentials against any pathway of the ecosystem, and confers the larger credential.
//
//  - PublishPathway (recognition_officer or pathway_editor of the owner): ValidatePathway under
//    the node's policy profile, versioned (0 publishes, expected_version revises); the pathway
//    is the PathwayPublished event on mc.stacking.v1, which every node's projection applies (and
//    keeps the command's record), so GetPathway and ListPathways answer at every node.
//  - Evaluate, WhatIf (any authenticated caller): the presented JWS are verified and read by the
//    node's PresentedCredentialVerifier (libs/verification), with the specification's ISCED-F,
//    skills, assessment and supervision from the catalogue. A credential issued outside the
//    pathway's owner counts only with a positive decision of the owner (FULL or PARTIAL, at the
//    recognised ECTS) or an equivalence. WhatIf adds catalogue specifications as if held: issued
//    today, recognised in full when external (as suggestions assume). Suggestions search the
//    whole catalogue this node knows.
//  - Confer (recognition_officer of the owner): re-evaluates, refuses with FAILED_PRECONDITION
//    unless satisfied, issues the pathway's target specification to the learner through the
//    CredentialIssuer (its constituent credentials are listed in the issuance request and
//    carried by the Open Badges document as evidence), then commits the command's record (the
//    answer) with StackConferred (pseudonymous learner only) and appends it. A retried request
//    id returns the first answer, appending the event first if a crash left it unappended.
// Commands run the node's one command path (libs/command/command_path.h): the request id is
// claimed and the pathway locked for the command's duration. Refused calls write nothing and
// append nothing; errors start with the field path.
//
// What stacking reads of the rest of the node comes through its ports (stacking_ports.h); its
// queries answer from the StackingReadModel it starts (stacking_read_model.h).
//
// Thread-safe: commands on different pathways run concurrently.
#ifndef MICROCRED_SERVICES_STACKING_STACKING_SERVICE_H_
#define MICROCRED_SERVICES_STACKING_STACKING_SERVICE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/caller.h"
#include "libs/command/service_context.h"
#include "microcred/stacking/v1/stacking.pb.h"
#include "services/stacking/stacking_ports.h"
#include "services/stacking/stacking_read_model.h"

namespace microcred::stacking {

// What is stacking's own; what every service shares is in the ServiceContext.
struct StackingOptions {
  // Equivalences the ecosystem's policy declares, on top of each pathway's own.
  std::vector<v1::Equivalence> policy_equivalences;
  absl::TimeZone zone = absl::UTCTimeZone();  // the institution's days
};

class StackingService {
 public:
  // Starts stacking's read model (it has caught up with the log when this returns) and appends
  // what a crash left in the outbox. The ports' objects must outlive the service.
  static absl::StatusOr<std::unique_ptr<StackingService>> Start(ServiceContext context,
                                                                StackingOptions options,
                                                                StackingPorts ports);
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
  StackingReadModel& read_model();
  Projector& projector();

 private:
  class Impl;
  explicit StackingService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_STACKING_SERVICE_H_
