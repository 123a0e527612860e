#include "services/mcnode/node.h"

namespace microcred {
namespace {

// Issuance reads specifications from the catalogue's read model in the same process.
class CatalogueSpecifications : public issuance::SpecificationSource {
 public:
  explicit CatalogueSpecifications(const catalogue::CatalogueReadModel& catalogue)
      : catalogue_(catalogue) {}

  absl::StatusOr<std::optional<catalogue::v1::Specification>> Find(
      const std::string& specification_id, uint32_t version) const override {
    return catalogue_.Find(specification_id, version);
  }

 private:
  const catalogue::CatalogueReadModel& catalogue_;
};

// Presented credentials (recognition, stacking) are verified against what this node knows: the
// registry and the credentials of the issuance read model (both as the issuance projector
// applied them), and the frozen specifications of the catalogue.
class NodeCredentialSources : public verification::CredentialSources {
 public:
  NodeCredentialSources(const issuance::IssuanceReadModel& issuance,
                        const issuance::SpecificationSource& specifications)
      : issuance_(issuance), specifications_(specifications) {}

  std::optional<registry::v1::Member> FindMember(const std::string& id) const override {
    return issuance_.FindMember(id);
  }
  absl::StatusOr<std::optional<issuance::v1::KnownCredential>> FindCredential(
      const std::string& credential_id) const override {
    return issuance_.FindCredential(credential_id);
  }
  absl::StatusOr<std::optional<catalogue::v1::Specification>> FindSpecification(
      const std::string& specification_id, uint32_t version) const override {
    return specifications_.Find(specification_id, version);
  }

 private:
  const issuance::IssuanceReadModel& issuance_;
  const issuance::SpecificationSource& specifications_;
};

// Erasing a learner at the node (IssuanceService::EraseLearner) deletes their recognition key
// too, in the same commit: one pseudonym per learner across the node's services.
std::vector<std::string> RecognitionVaultRefs(const std::string& learner_pseudonym) {
  return {recognition::RecognitionService::VaultReference(learner_pseudonym)};
}

std::string SecretOr(const std::string& secret) {
  return secret.empty() ? crypto::RandomBytes(32) : secret;
}

}  // namespace

Node::Node(NodeOptions options, EventLog& log, StateStore& store)
    : options_(std::move(options)),
      signer_(options_.institution_id, options_.node_id, options_.event_key),
      context_{.log = log,
               .store = store,
               .signer = signer_,
               .profile = options_.policy,
               .trust_anchors = options_.trust_anchors,
               .on_refusal = options_.on_refusal,
               .clock = options_.clock} {}

absl::StatusOr<std::unique_ptr<Node>> Node::Start(EventLog& log, StateStore& store,
                                                  NodeOptions options) {
  std::unique_ptr<Node> node(new Node(std::move(options), log, store));
  const NodeOptions& o = node->options_;
  auto catalogue = catalogue::CatalogueService::Start(node->context_);
  if (!catalogue.ok()) return catalogue.status();
  node->catalogue_ = *std::move(catalogue);
  node->catalogue_read_model_ = &node->catalogue_->read_model();
  node->specifications_ = std::make_unique<CatalogueSpecifications>(*node->catalogue_read_model_);
  if (o.scope == NodeScope::kCatalogue) return node;

  // One pseudonym per learner and institution across the node's services.
  const std::string pseudonym_secret = SecretOr(o.pseudonym_secret);
  const std::string vault_master_key = SecretOr(o.vault_master_key);
  auto issuance = issuance::IssuanceService::Start(node->context_,
                                                   {.public_url = o.public_url,
                                                    .pseudonym_secret = pseudonym_secret,
                                                    .vault_master_key = vault_master_key,
                                                    .further_vault_refs = RecognitionVaultRefs,
                                                    .rsa_key = o.rsa_key},
                                                   o.event_key, *node->specifications_);
  if (!issuance.ok()) return issuance.status();
  node->issuance_ = *std::move(issuance);
  if (o.scope == NodeScope::kIssuance) return node;

  node->credentials_ = std::make_unique<NodeCredentialSources>(node->issuance_->read_model(),
                                                               *node->specifications_);
  node->verifier_ =
      std::make_unique<verification::PresentedCredentialVerifier>(*node->credentials_, o.policy);
  auto recognition = recognition::RecognitionService::Start(node->context_,
                                                            {.pseudonym_secret = pseudonym_secret,
                                                             .vault_master_key = vault_master_key,
                                                             .deadlines = o.recognition_deadlines,
                                                             .zone = o.time_zone,
                                                             .appeal_route = o.appeal_route},
                                                            *node->verifier_);
  if (!recognition.ok()) return recognition.status();
  node->recognition_ = *std::move(recognition);

  if (o.scope == NodeScope::kRecognition) return node;

  // Stacking verifies presented credentials as recognition does, reads its decisions and the
  // catalogue, and confers through issuance (stacking_ports.h).
  node->own_issuer_ = std::make_unique<InProcessIssuer>(*node->issuance_);
  node->stacking_ports_ = std::make_unique<NodeStackingPorts>(NodeStackingPorts::Services{
      .recognition = node->recognition_->read_model(),
      .catalogue = *node->catalogue_read_model_,
      .verifier = *node->verifier_,
      .institution_id = o.institution_id,
      .pseudonym_secret = pseudonym_secret,
      .issuer = o.conferral_issuer != nullptr ? *o.conferral_issuer : *node->own_issuer_});
  auto stacking = stacking::StackingService::Start(node->context_, {.zone = o.time_zone},
                                                   node->stacking_ports_->ports());
  if (!stacking.ok()) return stacking.status();
  node->stacking_ = *std::move(stacking);
  return node;
}

}  // namespace microcred
