// IssuanceService: one institution's node issues micro-credentials, manages their status and
// its learners' records, and publishes its keys and status lists.
//
// Issuing: the request is checked (issuance rules) against the frozen specification version
// from the catalogue; the credential (a W3C VC that is an Open Badges 3.0 OpenBadgeCredential)
// is signed as a compact JWS; then, through the node's command path
// (libs/command/command_path.h), the personal parts sealed under the learner's key, the
// command's record and the CredentialIssued event (no personal data: the learner is a
// pseudonym) are committed at this node in one write, the event is appended, and the call
// answers once this node has applied it. The credential id is derived from the client request
// id, so a retry (also after a crash between the steps) returns the same credential and never
// issues a second one. Status changes (revoke, suspend, reinstate) are events only.
//
// A node may have joined several ecosystems: a credential is issued in its specification's
// ecosystem (its CredentialIssued appended to that ecosystem's log, the institution's
// membership and the ecosystem's rules there checked; FAILED_PRECONDITION naming the
// specification and the ecosystem when the institution is not a member there), and its status
// events follow it there.
//
// The implementation is split along its seams: issue_commands.h (issuing),
// credential_preparation.h (deciding what to issue), status_commands.h, learner_records.h
// (listing, export, erasure), key_publication.h (JWKS, status lists), over issuance_core.h.
//
// Thread-safe.
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUANCE_SERVICE_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUANCE_SERVICE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/auth/caller.h"
#include "libs/command/service_context.h"
#include "libs/crypto/crypto.h"
#include "libs/discovery/did_web.h"
#include "libs/eseal/seal_credentials.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/rsa_key.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "services/issuance/issuance_read_model.h"

namespace microcred::issuance {

// What issuance reads of the catalogue: the latest version of a specification and any earlier
// version (credentials freeze the version they were issued against), with the ecosystem it is
// published in (Specification.ecosystem_id; empty: the node's home), where its credentials are
// issued.
class SpecificationSource {
 public:
  virtual ~SpecificationSource() = default;
  // std::nullopt when the specification (or that version) is not in the catalogue.
  virtual absl::StatusOr<std::optional<catalogue::v1::Specification>> Find(
      const std::string& specification_id, uint32_t version /* 0 = latest */) const = 0;
};

struct IssuanceOptions {
  // The node's public base URL ("https://uclouvain.example"): issuer profiles, keys (`kid`)
  // and status lists are published under it.
  std::string public_url;
  std::string pseudonym_secret;  // 32 bytes: keys the learner pseudonyms of this issuer
  std::string vault_master_key;  // 32 bytes: wraps the per-learner keys
  // What else the node holds for a learner (the keys recognition seals with,
  // "recognition:<pseudonym>"; the web pages' share links): erasing a learner deletes it too,
  // in the same store commit as the learner's issuance key.
  LearnerEraser further_erasure;
  // For institutions that opted into RS256 (for verifiers that accept nothing else): the RSA
  // key, registered for the institution, that signs credentials requested with RS256.
  std::optional<jose::RsaPrivateKey> rsa_key;
  // The P-256 key, registered for the institution, that signs credentials with ES256.
  std::optional<jose::EcPrivateKey> ec_key;
  // The algorithm of a request that names none. UNSPECIFIED: ES256 while `ec_key` is registered
  // for the institution, EdDSA otherwise (issuance_rules.h, SignatureAlgorithmFor).
  v1::SignatureAlgorithm credential_algorithm = v1::SIGNATURE_ALGORITHM_UNSPECIFIED;
  // How credentials are secured when a request names no profile (--securing-profile):
  // OPEN_BADGES_JWT or VC_JOSE_COSE.
  v1::SecuringProfile securing_profile = v1::SECURING_PROFILE_OPEN_BADGES_JWT;
  // The issuer id this institution's credentials carry, and their kid's form
  // (libs/discovery/did_web.h): its profile URL (the default) or its did:web DID, which needs
  // an https public_url.
  discovery::IssuerIdForm issuer_id_form = discovery::IssuerIdForm::kUrl;
  // The institution's e-seal (mcnode --seal-key-file, --seal-certificate-file): the ELM export
  // is a European Digital Credential sealed with it (JAdES). Without one, exporting ELM answers
  // FAILED_PRECONDITION.
  std::optional<eseal::SealCredentials> elm_seal;
};

class IssuanceService {
 public:
  // `signing_key` signs this institution's credentials (EdDSA) and must be registered for it.
  // Starts the issuance read model, appends what a crash left in the outbox, and returns once
  // caught up with the log.
  static absl::StatusOr<std::unique_ptr<IssuanceService>> Start(
      ServiceContext context, IssuanceOptions options, const crypto::SigningKey& signing_key,
      const SpecificationSource& specifications);
  ~IssuanceService();

  absl::StatusOr<v1::IssuedCredential> Issue(const auth::Caller& caller,
                                             const v1::IssueCredentialRequest& request);
  // Each row is issued or refused on its own; the events of the accepted rows are appended
  // together.
  absl::StatusOr<v1::IssueCredentialsResponse> IssueMany(
      const auth::Caller& caller, const v1::IssueCredentialsRequest& request);

  absl::StatusOr<v1::IssuedCredential> Revoke(const auth::Caller& caller,
                                              const v1::ChangeStatusRequest& request);
  absl::StatusOr<v1::IssuedCredential> Suspend(const auth::Caller& caller,
                                               const v1::ChangeStatusRequest& request);
  absl::StatusOr<v1::IssuedCredential> Reinstate(const auth::Caller& caller,
                                                 const v1::ChangeStatusRequest& request);

  // A registrar of the node's institution, or the learner themself (subject = learner id).
  absl::StatusOr<v1::ListLearnerCredentialsResponse> ListLearnerCredentials(
      const auth::Caller& caller, const v1::ListLearnerCredentialsRequest& request) const;
  absl::StatusOr<v1::ExportedCredential> Export(const auth::Caller& caller,
                                                const v1::ExportCredentialRequest& request) const;
  // Deletes the learner's key (and what IssuanceOptions::further_erasure adds): everything
  // sealed for them at this node becomes unreadable, their credentials stay verifiable. Answered
  // once the store's files keep no copy of the deleted keys (StateStore::Scrub).
  absl::StatusOr<v1::EraseLearnerResponse> EraseLearner(const auth::Caller& caller,
                                                        const v1::EraseLearnerRequest& request);

  // The only name the learner `learner_id` of this institution goes by in shared events.
  // InvalidArgument for an empty id.
  absl::StatusOr<std::string> LearnerPseudonym(const std::string& learner_id) const;

  // Anyone may verify: learners, employers, other nodes.
  v1::VerificationReport Verify(const v1::VerifyCredentialRequest& request) const;

  // The signed Bitstring Status List credential (compact JWS) of this issuer for "revocation",
  // "suspension" or "message", as served at <public_url>/institutions/<id>/status/<purpose>.
  // InvalidArgument for another purpose.
  absl::StatusOr<std::string> StatusList(const std::string& purpose) const;
  // The JSON served at <public_url>/institutions/<id>/status (the credentials' statusReference):
  // this issuer's lists and what each code of the message list means.
  std::string StatusReference() const;
  // An institution's registered public keys as a JWK Set (JSON).
  absl::StatusOr<std::string> Jwks(const std::string& institution_id) const;
  // What a verifier finds by following an issuer id or a kid (libs/discovery/issuer_documents.h),
  // for any member of the registry: its OB 3.0 Profile (JSON), one of its keys as a JWK (retired
  // keys too), its did:web DID document. NotFound naming the institution or the key;
  // NotFound for a DID document when the member's public_url is not https.
  absl::StatusOr<std::string> IssuerProfile(const std::string& institution_id) const;
  absl::StatusOr<std::string> PublicKey(const std::string& institution_id,
                                        const std::string& key_id) const;
  absl::StatusOr<std::string> DidDocument(const std::string& institution_id) const;

  const std::string& institution_id() const;
  IssuanceReadModel& read_model();
  Projector& projector();

 private:
  class Impl;
  explicit IssuanceService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_SERVICE_H_
