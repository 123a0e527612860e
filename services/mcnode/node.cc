#include "services/mcnode/node.h"

#include "libs/privacy/learner_vault.h"
#include "services/public_web/share_store.h"

namespace microcred {
namespace {

// Erasing a learner at the node (IssuanceService::EraseLearner) deletes, in the same commit,
// their recognition key (one pseudonym per learner across the node's services) and their share
// links (the web pages keep them in the issuance process's store).
absl::Status EraseFromOtherServices(const std::string& learner_pseudonym, StateStore& state,
                                    WriteBatch& writes) {
  privacy::LearnerVault::Erase(recognition::RecognitionService::VaultReference(learner_pseudonym),
                               writes);
  return web::ShareStore(state).EraseOwner(learner_pseudonym, writes);
}

std::string SecretOr(const std::string& secret) {
  return secret.empty() ? crypto::RandomBytes(32) : secret;
}

std::string HomeEcosystem(const NodeOptions& options) {
  if (!options.ecosystem_id.empty() || options.trust_anchors.empty()) return options.ecosystem_id;
  return options.trust_anchors.front().ecosystem_id;
}

}  // namespace

Node::Node(NodeOptions options, EventLog& log, StateStore& store)
    : options_(std::move(options)),
      signer_(options_.institution_id, options_.node_id, options_.event_key,
              HomeEcosystem(options_)),
      context_{.log = log,
               .store = store,
               .signer = signer_,
               .profile = options_.policy,
               .trust_anchors = options_.trust_anchors,
               .on_refusal = options_.on_refusal,
               .clock = options_.clock,
               .further_ecosystems = FurtherEcosystems()},
      pseudonym_secret_(SecretOr(options_.pseudonym_secret)),
      vault_master_key_(SecretOr(options_.vault_master_key)) {}

std::vector<JoinedEcosystem> Node::FurtherEcosystems() {
  std::vector<JoinedEcosystem> joined;
  for (const FurtherEcosystem& further : options_.further_ecosystems) {
    further_signers_.push_back(std::make_unique<events::EnvelopeSigner>(
        options_.institution_id, options_.node_id, further.event_key.value_or(options_.event_key),
        further.id));
    joined.push_back({.id = further.id,
                      .log = further.log,
                      .signer = further_signers_.back().get(),
                      .trust_anchors = further.trust_anchors});
  }
  return joined;
}

absl::StatusOr<std::unique_ptr<Node>> Node::Start(EventLog& log, StateStore& store,
                                                  NodeOptions options) {
  std::unique_ptr<Node> node(new Node(std::move(options), log, store));
  for (const auto& start : {&Node::StartCatalogue, &Node::StartIssuance, &Node::StartRecognition,
                            &Node::StartStacking}) {
    if (absl::Status s = ((*node).*start)(); !s.ok()) return s;
  }
  return node;
}

bool Node::Serves(NodeScope service) const {
  return options_.scope == NodeScope::kAll || options_.scope == service;
}

bool Node::Reads(NodeScope service) const {
  return options_.scope == NodeScope::kAll || options_.scope >= service;
}

std::vector<Projector*> Node::projectors() {
  std::vector<Projector*> projectors = {&catalogue_read_model_->projector()};
  if (issuance_read_model_ != nullptr) projectors.push_back(&issuance_read_model_->projector());
  if (recognition_read_model_ != nullptr) {
    projectors.push_back(&recognition_read_model_->projector());
  }
  if (stacking_ != nullptr) projectors.push_back(&stacking_->projector());
  return projectors;
}

absl::Status Node::StartCatalogue() {
  if (Serves(NodeScope::kCatalogue)) {
    auto catalogue = catalogue::CatalogueService::Start(context_);
    if (!catalogue.ok()) return catalogue.status();
    catalogue_ = *std::move(catalogue);
    catalogue_read_model_ = &catalogue_->read_model();
  } else {
    auto read_model = catalogue::CatalogueReadModel::Start(context_);
    if (!read_model.ok()) return read_model.status();
    catalogue_for_reading_ = *std::move(read_model);
    catalogue_read_model_ = catalogue_for_reading_.get();
  }
  catalogue_ports_ = std::make_unique<NodeCatalogue>(*catalogue_read_model_);
  return absl::OkStatus();
}

absl::Status Node::StartIssuance() {
  if (!Reads(NodeScope::kIssuance)) return absl::OkStatus();
  if (Serves(NodeScope::kIssuance)) {
    auto issuance =
        issuance::IssuanceService::Start(context_,
                                         {.public_url = options_.public_url,
                                          .pseudonym_secret = pseudonym_secret_,
                                          .vault_master_key = vault_master_key_,
                                          .further_erasure = EraseFromOtherServices,
                                          .rsa_key = options_.rsa_key,
                                          .ec_key = options_.ec_key,
                                          .credential_algorithm = options_.credential_algorithm,
                                          .securing_profile = options_.securing_profile,
                                          .issuer_id_form = options_.issuer_id_form,
                                          .elm_seal = options_.elm_seal},
                                         options_.event_key, *catalogue_ports_);
    if (!issuance.ok()) return issuance.status();
    issuance_ = *std::move(issuance);
    issuance_read_model_ = &issuance_->read_model();
  } else {
    // Erasing a learner still reaches what this process sealed for them.
    auto read_model = issuance::IssuanceReadModel::Start(context_, EraseFromOtherServices);
    if (!read_model.ok()) return read_model.status();
    issuance_for_reading_ = *std::move(read_model);
    issuance_read_model_ = issuance_for_reading_.get();
  }
  credentials_ = std::make_unique<NodeCredentialSources>(*issuance_read_model_, *catalogue_ports_);
  std::vector<std::unique_ptr<verification::FormatVerifier>> outside;
  if (options_.outside_verifiers) outside = options_.outside_verifiers();
  verifier_ = std::make_unique<verification::PresentedCredentialVerifier>(
      *credentials_, options_.policy, std::move(outside), options_.holder_keys);
  return absl::OkStatus();
}

absl::Status Node::StartRecognition() {
  if (!Reads(NodeScope::kRecognition)) return absl::OkStatus();
  if (Serves(NodeScope::kRecognition)) {
    auto recognition =
        recognition::RecognitionService::Start(context_,
                                               {.pseudonym_secret = pseudonym_secret_,
                                                .vault_master_key = vault_master_key_,
                                                .deadlines = options_.recognition_deadlines,
                                                .zone = options_.time_zone,
                                                .appeal_route = options_.appeal_route},
                                               *verifier_);
    if (!recognition.ok()) return recognition.status();
    recognition_ = *std::move(recognition);
    recognition_read_model_ = &recognition_->read_model();
  } else {
    auto read_model = recognition::RecognitionReadModel::Start(context_, pseudonym_secret_);
    if (!read_model.ok()) return read_model.status();
    recognition_for_reading_ = *std::move(read_model);
    recognition_read_model_ = recognition_for_reading_.get();
  }
  return absl::OkStatus();
}

// Stacking verifies presented credentials as recognition does, reads its decisions and the
// catalogue, and confers through issuance (node_ports.h): this process's own issuance
// service, or the node's issuance process (NodeOptions::conferral_issuer).
absl::Status Node::StartStacking() {
  if (!Serves(NodeScope::kStacking)) return absl::OkStatus();
  stacking::CredentialIssuer* issuer = options_.conferral_issuer;
  if (issuer == nullptr) {
    if (issuance_ == nullptr) {
      return absl::InvalidArgumentError(
          "conferral_issuer: a stacking process that does not issue confers through the "
          "node's issuance process");
    }
    own_issuer_ = std::make_unique<InProcessIssuer>(*issuance_);
    issuer = own_issuer_.get();
  }
  stacking_ports_ = std::make_unique<NodeStackingPorts>(
      NodeStackingPorts::Services{.recognition = *recognition_read_model_,
                                  .catalogue = *catalogue_ports_,
                                  .verifier = *verifier_,
                                  .institution_id = options_.institution_id,
                                  .pseudonym_secret = pseudonym_secret_,
                                  .issuer = *issuer});
  auto stacking = stacking::StackingService::Start(context_, {.zone = options_.time_zone},
                                                   stacking_ports_->ports());
  if (!stacking.ok()) return stacking.status();
  stacking_ = *std::move(stacking);
  return absl::OkStatus();
}

}  // namespace microcred
