// What stacking reads of the rest of its node, and what a conferral issues through: narrow
// interfaces stacking declares and the node implements over its other services
// (services/mcnode/node_ports.h). Stacking sees no other service's classes.
//
//   DecisionLookup      the node's institution's recognition decisions on a credential
//                       (recognition's read model)
//   CatalogueReader     the ecosystem's catalogue: search it (suggestions), find a frozen
//                       specification version (presented and hypothetical credentials)
//   LearnerPseudonyms   the node's pseudonym of one of its learners (an exemption or an
//                       admission names the learner by it, as issuance does)
//   the verifier        presented JWS verified against the node's registry, issuance read model
//                       and catalogue (libs/verification/presented_credential.h)
//   CredentialIssuer    the conferred credential (credential_issuer.h)
//
// Registry members (issuer groups, provider types) come from stacking's own projector, which
// applies the registry as every projector does. Implementations are thread-safe.
#ifndef MICROCRED_SERVICES_STACKING_STACKING_PORTS_H_
#define MICROCRED_SERVICES_STACKING_STACKING_PORTS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/verification/presented_credential.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/recognition/v1/recognition.pb.h"
#include "services/stacking/credential_issuer.h"

namespace microcred::stacking {

class DecisionLookup {
 public:
  virtual ~DecisionLookup() = default;
  // This node's institution's decisions (the latest per request) on requests that presented
  // `credential_id`, as this node has applied them. Another institution's decisions on a
  // credential are not knowable (recognition.proto, RecognitionDecided): a pathway counts an
  // external credential only at its owner's node, where the owner's decisions are.
  virtual absl::StatusOr<std::vector<recognition::v1::RecognitionDecided>>
  FindDecisionsForCredential(const std::string& credential_id) const = 0;
};

class CatalogueReader {
 public:
  virtual ~CatalogueReader() = default;
  // A page of the published specifications this node knows (the catalogue's search).
  virtual absl::StatusOr<catalogue::v1::SearchSpecificationsResponse> Search(
      const catalogue::v1::SearchSpecificationsRequest& request) const = 0;
  // A version of a specification (0 = the latest); std::nullopt when the catalogue does not
  // know it.
  virtual absl::StatusOr<std::optional<catalogue::v1::Specification>> FindSpecification(
      const std::string& specification_id, uint32_t version) const = 0;
};

class LearnerPseudonyms {
 public:
  virtual ~LearnerPseudonyms() = default;
  // The pseudonym this node's institution gives `learner_id` (libs/privacy/pseudonym.h).
  virtual absl::StatusOr<std::string> LearnerPseudonym(const std::string& learner_id) const = 0;
};

// The ports a StackingService is started with. The referenced objects must outlive it.
struct StackingPorts {
  const DecisionLookup& decisions;
  const CatalogueReader& catalogue;
  const LearnerPseudonyms& pseudonyms;
  const verification::PresentedCredentialVerifier& verifier;
  CredentialIssuer& issuer;
};

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_STACKING_PORTS_H_
