#include "services/mcnode/node_ports.h"

#include "libs/privacy/pseudonym.h"

namespace microcred {

absl::StatusOr<std::vector<recognition::v1::RecognitionDecided>>
RecognitionDecisionLookup::FindDecisionsForCredential(const std::string& credential_id) const {
  return recognition_.FindDecisionsForCredential(credential_id);
}

absl::StatusOr<std::optional<catalogue::v1::Specification>> NodeCatalogue::Find(
    const std::string& specification_id, uint32_t version) const {
  return catalogue_.Find(specification_id, version);
}

absl::StatusOr<catalogue::v1::SearchSpecificationsResponse> NodeCatalogue::Search(
    const catalogue::v1::SearchSpecificationsRequest& request) const {
  return catalogue_.Search(request);
}

absl::StatusOr<std::string> NodeLearnerPseudonyms::LearnerPseudonym(
    const std::string& learner_id) const {
  return privacy::LearnerPseudonym(secret_, institution_id_, learner_id);
}

NodeStackingPorts::NodeStackingPorts(Services services)
    : decisions_(services.recognition),
      catalogue_(services.catalogue),
      pseudonyms_(std::move(services.pseudonym_secret), std::move(services.institution_id)),
      verifier_(services.verifier),
      issuer_(services.issuer) {}

stacking::StackingPorts NodeStackingPorts::ports() {
  return {.decisions = decisions_,
          .catalogue = catalogue_,
          .pseudonyms = pseudonyms_,
          .verifier = verifier_,
          .issuer = issuer_};
}

}  // namespace microcred
