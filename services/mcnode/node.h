// Node: the services of one institution, wired to one event log and one state store: the
// node's composition root, the one place that sees every service. It builds the ServiceContext
// they share and implements each service's ports over the others' read models. `mcnode` runs
// one Node per process; the demo and the multi-node tests run several in one process.
#ifndef MICROCRED_SERVICES_MCNODE_NODE_H_
#define MICROCRED_SERVICES_MCNODE_NODE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/base/clock.h"
#include "libs/command/service_context.h"
#include "libs/discovery/did_web.h"
#include "libs/domain/policy_profile.h"
#include "libs/events/envelope.h"
#include "libs/ports/event_log.h"
#include "libs/ports/http_fetcher.h"
#include "libs/ports/state_store.h"
#include "libs/registry/registry.h"
#include "libs/verification/presented_credential.h"
#include "services/catalogue/catalogue_service.h"
#include "services/issuance/issuance_service.h"
#include "services/mcnode/node_ports.h"
#include "services/recognition/recognition_service.h"
#include "services/stacking/stacking_service.h"

namespace microcred {

// What a node process serves. `mcnode` serves every service (kAll). A process of a node run as
// separate processes serves one, and runs beside it only the read models it reads (in this
// order, each reading the ones before it): issuance checks credentials against the catalogue;
// recognition verifies them against the catalogue and issuance's record; stacking also reads
// recognition's decisions and confers through the issuance process.
//   kCatalogue    the catalogue service
//   kIssuance     the catalogue's read model; the issuance service
//   kRecognition  the catalogue's and issuance's read models; the recognition service
//   kStacking     the catalogue's, issuance's and recognition's read models; the stacking service
enum class NodeScope { kCatalogue, kIssuance, kRecognition, kStacking, kAll };

// An ecosystem a node joins besides its home (NodeOptions::further_ecosystems).
struct FurtherEcosystem {
  std::string id;
  EventLog* log = nullptr;  // its own log; must outlive the node
  std::vector<registry::TrustAnchor> trust_anchors;
  // Signs the institution's events there; unset: NodeOptions::event_key. Must be registered for
  // the institution in that ecosystem's registry.
  std::optional<crypto::SigningKey> event_key;
};

struct NodeOptions {
  std::string institution_id;
  std::string node_id;
  // The rules where no registry states any: what the verifier of presented credentials applies
  // to an ecosystem credential whose ecosystem it cannot tell. mcnode passes the
  // Recommendation's (eu); the rules of each act are its ecosystem's registry's.
  domain::PolicyProfile policy;
  // The home ecosystem: the one whose log Node::Start is given. Empty: the first trust
  // anchor's.
  std::string ecosystem_id;
  std::vector<registry::TrustAnchor> trust_anchors;
  // The other ecosystems the institution belongs to, each with its own log and registry.
  std::vector<FurtherEcosystem> further_ecosystems;
  // Signs this institution's events and credentials; must be registered for it in the registry.
  crypto::SigningKey event_key;
  std::function<void(const events::v1::DeadLetter&)> on_refusal;
  // The node's public base URL: issuer profiles, keys and status lists are published under it.
  std::string public_url = "https://localhost";
  // How this institution's credentials name their issuer (IssuanceOptions::issuer_id_form).
  discovery::IssuerIdForm issuer_id_form = discovery::IssuerIdForm::kUrl;
  std::string pseudonym_secret;                // 32 bytes; random when empty (tests, demo)
  std::string vault_master_key;                // 32 bytes; random when empty (tests, demo)
  std::optional<jose::RsaPrivateKey> rsa_key;  // only for institutions that opted into RS256
  std::optional<jose::EcPrivateKey> ec_key;    // signs ES256 credentials once registered
  // The algorithm of an issuance request that names none; UNSPECIFIED: ES256 while `ec_key` is
  // registered for the institution, else EdDSA (IssuanceOptions::credential_algorithm).
  issuance::v1::SignatureAlgorithm credential_algorithm =
      issuance::v1::SIGNATURE_ALGORITHM_UNSPECIFIED;
  // How credentials are secured when a request names no profile (--securing-profile).
  issuance::v1::SecuringProfile securing_profile = issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT;
  // Seals the ELM export (IssuanceOptions::elm_seal); none: ELM exports are refused.
  std::optional<eseal::SealCredentials> elm_seal;
  // Recognition: the periods the institution fixes in advance (zero fields: the defaults, 4
  // months to decide, 30 days to appeal, 2 months to decide an appeal), the time zone of its
  // days and deadlines, and the appeal route its decisions name.
  recognition::v1::DeadlineSettings recognition_deadlines;
  absl::TimeZone time_zone = absl::UTCTimeZone();
  std::string appeal_route;
  NodeScope scope = NodeScope::kAll;
  // What stacking confers through; null: this node's own issuance service. A stacking process
  // of a node run as separate processes (kStacking) must pass its issuance process
  // (remote_issuer.h). Must outlive the node.
  stacking::CredentialIssuer* conferral_issuer = nullptr;
  // The node's one HTTP client, for what verifying outside credentials reads: issuers' keys,
  // DID documents, status lists (mcnode makes it from its --fetch-* flags: libs/adapters/curl).
  // Null: this node fetches nothing. Must outlive the node.
  HttpFetcher* fetcher = nullptr;
  // Credentials from outside the ecosystem: the verifiers asked after the ecosystem's own
  // (libs/verification/format_verifier.h), made once by each process that verifies
  // credentials; unset: this node refuses outside credentials, saying so. And the keys of
  // learners' holder proofs (did:key, did:web); unset: DID proofs fail, saying so.
  std::function<std::vector<std::unique_ptr<verification::FormatVerifier>>()> outside_verifiers;
  verification::HolderKeyResolver holder_keys;
  Clock clock;  // every service's
};

class Node {
 public:
  // Starts what the scope runs: each read model loads from `store`, or rebuilds from `log`
  // when the store is empty, and has caught up with the log when this returns.
  static absl::StatusOr<std::unique_ptr<Node>> Start(EventLog& log, StateStore& store,
                                                     NodeOptions options);

  const std::string& institution_id() const { return options_.institution_id; }
  const NodeOptions& options() const { return options_; }
  // NodeOptions::fetcher: the HTTP client verifiers of outside credentials are handed; null
  // when the node was given none.
  HttpFetcher* fetcher() const { return options_.fetcher; }

  // The services this process serves; the others are absent (has_...() false).
  catalogue::CatalogueService& catalogue() { return *catalogue_; }
  issuance::IssuanceService& issuance() { return *issuance_; }
  recognition::RecognitionService& recognition() { return *recognition_; }
  stacking::StackingService& stacking() { return *stacking_; }
  bool has_catalogue() const { return catalogue_ != nullptr; }
  bool has_issuance() const { return issuance_ != nullptr; }
  bool has_recognition() const { return recognition_ != nullptr; }
  bool has_stacking() const { return stacking_ != nullptr; }
  // The verifier of presented credentials in every format the node accepts (the ecosystem's,
  // then the outside ones): what recognition and stacking verify with, and VerifyCredential.
  // Present when issuance is served or read.
  const verification::PresentedCredentialVerifier& presented_verifier() const { return *verifier_; }

  // The read models this process runs (a served service's own, or one run for reading):
  // the catalogue's always, issuance's from kIssuance on, recognition's from kRecognition on.
  catalogue::CatalogueReadModel& catalogue_read_model() { return *catalogue_read_model_; }
  issuance::IssuanceReadModel& issuance_read_model() { return *issuance_read_model_; }
  recognition::RecognitionReadModel& recognition_read_model() { return *recognition_read_model_; }
  // The consumers of every read model this process runs (for metrics and tests).
  std::vector<Projector*> projectors();
  // Every ecosystem the node joined, the home first, each with its log.
  std::vector<JoinedEcosystem> ecosystems() const { return context_.ecosystems(); }
  // The ecosystems the node joined (the home first) whose registry, as read so far, has not
  // admitted its institution (suspended or not); after Start, read up to each log's end when
  // Start began.
  std::vector<std::string> NotAdmittedIn();
  // OK when every further ecosystem the node joined has admitted its institution; else
  // FAILED_PRECONDITION naming the first that has not. mcnode refuses to start then: an
  // institution joins a further ecosystem once admitted there (a node of it would serve
  // commands that are all refused). The home is not checked: a new node runs before its first
  // admission (it prints the key the secretariat admits).
  absl::Status CheckAdmitted();

 private:
  Node(NodeOptions options, EventLog& log, StateStore& store);
  std::vector<JoinedEcosystem> FurtherEcosystems();

  // Whether this process serves `service`, or runs its read model.
  bool Serves(NodeScope service) const;
  bool Reads(NodeScope service) const;
  absl::Status StartCatalogue();
  absl::Status StartIssuance();
  absl::Status StartRecognition();
  absl::Status StartStacking();

  NodeOptions options_;
  events::EnvelopeSigner signer_;
  // The institution's signers in its further ecosystems, in NodeOptions' order.
  std::vector<std::unique_ptr<events::EnvelopeSigner>> further_signers_;
  ServiceContext context_;
  std::string pseudonym_secret_;  // one pseudonym per learner across the node's services
  std::string vault_master_key_;

  std::unique_ptr<catalogue::CatalogueService> catalogue_;
  std::unique_ptr<catalogue::CatalogueReadModel> catalogue_for_reading_;
  catalogue::CatalogueReadModel* catalogue_read_model_ = nullptr;
  std::unique_ptr<NodeCatalogue> catalogue_ports_;  // issuance's and stacking's view of it

  std::unique_ptr<issuance::IssuanceService> issuance_;
  std::unique_ptr<issuance::IssuanceReadModel> issuance_for_reading_;
  issuance::IssuanceReadModel* issuance_read_model_ = nullptr;
  std::unique_ptr<verification::CredentialSources> credentials_;
  std::unique_ptr<verification::PresentedCredentialVerifier> verifier_;

  std::unique_ptr<recognition::RecognitionService> recognition_;
  std::unique_ptr<recognition::RecognitionReadModel> recognition_for_reading_;
  recognition::RecognitionReadModel* recognition_read_model_ = nullptr;

  std::unique_ptr<stacking::CredentialIssuer> own_issuer_;
  std::unique_ptr<NodeStackingPorts> stacking_ports_;
  std::unique_ptr<stacking::StackingService> stacking_;
};

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_NODE_H_
