// The services' ports over one node's read models and services: the node's composition root is
// the only place that sees them all.
//
//   SpecificationSource  issuance's view of the catalogue (NodeCatalogue, over the read model
//   CatalogueReader      of this process; stacking's view of it: search, frozen versions)
//   CredentialSources    what presented credentials are verified against (libs/verification):
//                        the registry of each ecosystem and every issuer's record (with the
//                        ecosystem it was issued in), from issuance's read model, and the
//                        frozen specifications
//   DecisionLookup       the institution's recognition decisions on a credential, from
//                        recognition's read model (by the credential's tag)
//   LearnerPseudonyms   privacy::LearnerPseudonym with the node's pseudonym secret: the same
//                       pseudonym issuance gives the learner
//   the verifier        the node's PresentedCredentialVerifier (the one recognition uses)
//   CredentialIssuer    the node's own IssuanceService (InProcessIssuer) or, for a stacking
//                       process of a node run as separate processes, its issuance process
//                       (remote_issuer.h)
//
// Thread-safe as the services it reads are.
#ifndef MICROCRED_SERVICES_MCNODE_NODE_PORTS_H_
#define MICROCRED_SERVICES_MCNODE_NODE_PORTS_H_

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

// The catalogue of this process, as issuance and stacking read it.
class NodeCatalogue : public issuance::SpecificationSource, public stacking::CatalogueReader {
 public:
  explicit NodeCatalogue(const catalogue::CatalogueReadModel& catalogue) : catalogue_(catalogue) {}

  absl::StatusOr<std::optional<catalogue::v1::Specification>> Find(
      const std::string& specification_id, uint32_t version) const override;
  absl::StatusOr<catalogue::v1::SearchSpecificationsResponse> Search(
      const catalogue::v1::SearchSpecificationsRequest& request) const override;
  absl::StatusOr<std::optional<catalogue::v1::Specification>> FindSpecification(
      const std::string& specification_id, uint32_t version) const override {
    return Find(specification_id, version);
  }

 private:
  const catalogue::CatalogueReadModel& catalogue_;
};

// Presented credentials (recognition, stacking) are verified against what this process knows:
// the registry and the credentials of the issuance read model (both as its projector applied
// them), and the frozen specifications of the catalogue.
class NodeCredentialSources : public verification::CredentialSources {
 public:
  NodeCredentialSources(const issuance::IssuanceReadModel& issuance, const NodeCatalogue& catalogue)
      : issuance_(issuance), catalogue_(catalogue) {}

  std::optional<registry::v1::Member> FindMember(const std::string& id) const override {
    return issuance_.FindMember(id);
  }
  std::optional<registry::v1::Member> FindMemberIn(std::string_view ecosystem,
                                                   const std::string& id) const override {
    return issuance_.FindMemberIn(ecosystem, id);
  }
  std::optional<domain::PolicyProfile> ProfileIn(std::string_view ecosystem) const override {
    return issuance_.Profile(ecosystem);
  }
  absl::StatusOr<std::optional<issuance::v1::KnownCredential>> FindCredential(
      const std::string& credential_id) const override {
    return issuance_.FindCredential(credential_id);
  }
  absl::StatusOr<std::optional<catalogue::v1::Specification>> FindSpecification(
      const std::string& specification_id, uint32_t version) const override {
    return catalogue_.Find(specification_id, version);
  }

 private:
  const issuance::IssuanceReadModel& issuance_;
  const NodeCatalogue& catalogue_;
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
    const NodeCatalogue& catalogue;
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
  const NodeCatalogue& catalogue_;
  NodeLearnerPseudonyms pseudonyms_;
  const verification::PresentedCredentialVerifier& verifier_;
  stacking::CredentialIssuer& issuer_;
};

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_NODE_PORTS_H_
