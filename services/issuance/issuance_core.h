// IssuanceCore: what the parts of IssuanceService share (internal to services/issuance): the
// node's context, the service's options, its read model and command path, the learner vault,
// the credential signers, and the few helpers every part uses. Built once by IssuanceService.
//
// Holds no lock: each part guards what it alone changes.
#ifndef MICROCRED_SERVICES_ISSUANCE_ISSUANCE_CORE_H_
#define MICROCRED_SERVICES_ISSUANCE_ISSUANCE_CORE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "libs/auth/caller.h"
#include "libs/command/command_path.h"
#include "libs/command/service_context.h"
#include "libs/credentials/credential_facts.h"
#include "libs/jose/jws.h"
#include "libs/privacy/learner_vault.h"
#include "libs/status_list/status_list_credential.h"
#include "services/issuance/issuance_read_model.h"
#include "services/issuance/issuance_service.h"

namespace microcred::issuance {

struct IssuanceCore {
  IssuanceCore(ServiceContext context, IssuanceOptions options,
               const crypto::SigningKey& signing_key, const SpecificationSource& specifications,
               std::unique_ptr<IssuanceReadModel> read_model);

  const std::string& institution() const { return context.institution_id(); }
  // Credentials are dated in UTC.
  absl::CivilDay Today() const { return context.clock.Today(absl::UTCTimeZone()); }
  absl::StatusOr<std::string> Pseudonym(const std::string& learner_id) const;
  // PERMISSION_DENIED unless the caller is staff of this node's institution.
  absl::Status CheckStaff(const auth::Caller& caller) const;

  // "<base>/institutions/<institution>": an issuer's profile URL, its keys' base
  // (discovery::IssuerUrl).
  static std::string IssuerUrl(const std::string& base, const std::string& institution);
  // "<base>/institutions/<institution>/keys/<key id>": the URL form of a kid, where the key is
  // served as a JWK (discovery::KeyUrl).
  static std::string KeyId(const std::string& base, const std::string& institution,
                           const std::string& key_id);
  // "<issuer url>/status": this issuer's status lists are published under it
  // (status_list::StatusListUrl), and it answers what their codes mean.
  std::string StatusBaseUrl() const;
  // This institution's issuer id in its credentials (options.issuer_id_form): its profile URL
  // or its did:web DID; IssuanceService::Start has checked that the DID can be made.
  const std::string& IssuerId() const { return issuer_id; }
  // The kid of this institution's `key_id` in its credentials and status lists: IssuerId() +
  // "/keys/" + key_id, or the DID + "#" + key_id.
  std::string CredentialKeyId(const std::string& key_id) const;
  std::string StatusListUrl(status_list::StatusPurpose purpose) const;
  // Where a credential's status is read: this issuer's lists, at `index`.
  credentials::StatusFacts StatusFactsAt(int32_t index) const;
  // The signer of `algorithm` (SignatureAlgorithmFor's answer), with the header of `profile`
  // (OPEN_BADGES_JWT or VC_JOSE_COSE); CheckIssuanceFacts has made sure an RS256 or ES256
  // request has its key, registered.
  const jose::CompactSigner& SignerFor(v1::SignatureAlgorithm algorithm,
                                       v1::SecuringProfile profile) const;
  // The profile a request asked for, the node's default (options.securing_profile) when none.
  v1::SecuringProfile ProfileFor(const v1::IssueCredentialRequest& request) const;

  // The ecosystem a credential of `spec` is issued in, and its status events written to: the
  // specification's (the home's for a record that states none).
  std::string EcosystemOf(const catalogue::v1::Specification& spec) const;
  // The rules a credential issued in `ecosystem` is checked against: what its registry states
  // now (an ecosystem this node did not join has none: the Recommendation's).
  domain::PolicyProfile PolicyProfileFor(std::string_view ecosystem) const;
  // This institution's membership in `ecosystem`, if it is a member there.
  std::optional<registry::v1::Member> MemberIn(std::string_view ecosystem) const;

  // The awarding bodies of `spec`, the issuing (signing) institution first, as the registry of
  // the specification's ecosystem describes them (or, for a body not a member there, the first
  // registry that knows it).
  std::vector<credentials::IssuerFacts> IssuersOf(const catalogue::v1::Specification& spec) const;
  credentials::IssuerFacts IssuerFactsOf(const std::string& institution_id,
                                         std::string_view ecosystem) const;
  // The base URL an institution's node publishes under, as the registry holds it (this node's
  // own when the registry holds none).
  std::string PublicUrlOf(const registry::v1::Member& member) const;

  // The answer for a credential this node issued, from what it stores (its JWS left out once
  // the learner is erased).
  absl::StatusOr<v1::IssuedCredential> Answer(const std::string& credential_id) const;

  ServiceContext context;
  IssuanceOptions options;
  std::string issuer_id;
  const SpecificationSource& specifications;
  std::unique_ptr<IssuanceReadModel> read_model;
  command::CommandPath path;
  privacy::VaultMasterKey master_key;
  privacy::LearnerVault vault;
  jose::Ed25519JwsSigner jws_signer;
  // The registry key ids of the node's RSA and P-256 keys (empty without one): computed once, as
  // every request checks that its key is registered.
  std::string rsa_key_id;
  std::string ec_key_id;
  std::optional<jose::RsaJwsSigner> rsa_signer;
  std::optional<jose::EcJwsSigner> ec_signer;
  // The same signers with each securing profile's header encoded once.
  struct ProfileSigners {
    explicit ProfileSigners(const jose::JwsSigner& signer);
    const jose::CompactSigner& For(v1::SecuringProfile profile) const;
    jose::CompactSigner open_badges;   // {"typ":"JWT"}
    jose::CompactSigner vc_jose_cose;  // {"typ":"vc+jwt","cty":"vc"}
  };
  ProfileSigners credential_signers;
  std::optional<ProfileSigners> rsa_credential_signers;
  std::optional<ProfileSigners> ec_credential_signers;
};

}  // namespace microcred::issuance

#endif  // MICROCRED_SERVICES_ISSUANCE_ISSUANCE_CORE_H_
