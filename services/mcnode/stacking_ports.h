// Stacking's ports (services/stacking/stacking_ports.h) over one node's other services: the
// node's composition root is the only place that sees them all.
//
//   DecisionLookup      recognition's decisions on a credential, from its read model
//   CatalogueReader     the catalogue read model of this process (search, frozen versions)
//   LearnerPseudonyms   privacy::LearnerPseudonym with the node's pseudonym secret: the same
//                       pseudonym issuance gives the learner
//   the verifier        the node's PresentedCredentialVerifier (the one recognition uses)
//   CredentialIssuer    the node's own IssuanceService (InProcessIssuer) or, for a stacking
//                       process of a node run as separate processes, its issuance process
//                       (remote_issuer.h)
//
// Thread-safe as the services it reads are.
#ifndef MICROCRED_SERVICES_MCNODE_STACKING_PORTS_H_
#define MICROCRED_SERVICES_MCNODE_STACKING_PORTS_H_

#include <string>

#include "libs/verification/presented_credential.h"
#include "services/catalogue/catalogue_read_model.h"
#include "services/issuance/issuance_service.h"
#include "services/recognition/recognition_read_model.h"
#include "services/stacking/stacking_ports.h"

namespace microcred {

// A conferral issued by this process's own IssuanceService.
class InProcessIssuer : public stacking::CredentialIssuer {
 public:
  explicit InProcessIssuer(issuance::IssuanceService& issuance) : issuance_(issuance) {}

  absl::StatusOr<issuance::v1::IssuedCredential> Issue(
      const auth::Caller& caller, const issuance::v1::IssueCredentialRequest& request) override {
    return issuance_.Issue(caller, request);
  }

 private:
  issuance::IssuanceService& issuance_;
};

class RecognitionDecisionLookup : public stacking::DecisionLookup {
 public:
  explicit RecognitionDecisionLookup(const recognition::RecognitionReadModel& recognition)
      : recognition_(recognition) {}

  absl::StatusOr<std::vector<recognition::v1::RecognitionDecided>> FindDecisionsForCredential(
      const std::string& credential_id) const override;

 private:
  const recognition::RecognitionReadModel& recognition_;
};

class CatalogueReadModelReader : public stacking::CatalogueReader {
 public:
  explicit CatalogueReadModelReader(const catalogue::CatalogueReadModel& catalogue)
      : catalogue_(catalogue) {}

  absl::StatusOr<catalogue::v1::SearchSpecificationsResponse> Search(
      const catalogue::v1::SearchSpecificationsRequest& request) const override;
  absl::StatusOr<std::optional<catalogue::v1::Specification>> FindSpecification(
      const std::string& specification_id, uint32_t version) const override;

 private:
  const catalogue::CatalogueReadModel& catalogue_;
};

class NodeLearnerPseudonyms : public stacking::LearnerPseudonyms {
 public:
  // `secret`: the node's pseudonym secret (the one its issuance service is given).
  NodeLearnerPseudonyms(std::string secret, std::string institution_id)
      : secret_(std::move(secret)), institution_id_(std::move(institution_id)) {}

  absl::StatusOr<std::string> LearnerPseudonym(const std::string& learner_id) const override;

 private:
  const std::string secret_;
  const std::string institution_id_;
};

// Every port of a node's stacking service, over the node's services. The references must
// outlive it, and it must outlive the stacking service.
class NodeStackingPorts {
 public:
  struct Services {
    const recognition::RecognitionReadModel& recognition;
    const catalogue::CatalogueReadModel& catalogue;
    // Over the node's credential sources (node.cc).
    const verification::PresentedCredentialVerifier& verifier;
    std::string institution_id;
    std::string pseudonym_secret;
    // What conferrals issue through (InProcessIssuer or RemoteIssuer).
    stacking::CredentialIssuer& issuer;
  };
  explicit NodeStackingPorts(Services services);

  NodeStackingPorts(const NodeStackingPorts&) = delete;
  NodeStackingPorts& operator=(const NodeStackingPorts&) = delete;

  stacking::StackingPorts ports();

 private:
  RecognitionDecisionLookup decisions_;
  CatalogueReadModelReader catalogue_;
  NodeLearnerPseudonyms pseudonyms_;
  const verification::PresentedCredentialVerifier& verifier_;
  stacking::CredentialIssuer& issuer_;
};

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_STACKING_PORTS_H_
