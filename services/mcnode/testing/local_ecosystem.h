// LocalEcosystem: an ecosystem whose secretariat lives in this process, for the tests, the
// benchmarks and the demo (a testing library: mcnode never links it). Production ecosystems keep
// their root key with the alliance secretariat, and nodes only receive its public key.
#ifndef MICROCRED_SERVICES_MCNODE_TESTING_LOCAL_ECOSYSTEM_H_
#define MICROCRED_SERVICES_MCNODE_TESTING_LOCAL_ECOSYSTEM_H_

#include <map>
#include <memory>
#include <set>
#include <string>

#include "absl/synchronization/mutex.h"
#include "libs/eseal/seal_credentials.h"
#include "libs/eseal/self_signed.h"
#include "libs/registry/secretariat.h"
#include "services/mcnode/node.h"

namespace microcred {

struct Institution {
  std::string id;
  std::string legal_name;
  common::v1::ProviderType type = common::v1::PROVIDER_TYPE_HIGHER_EDUCATION;
  std::string country = "BE";
  std::string region;
  std::string public_url;  // default: https://<id>.example
  bool rs256 = false;      // also registers an RSA key, for RS256 credentials
  bool es256 = false;      // also registers a P-256 key: the node then signs ES256 by default
  // How its credentials name their issuer (mcnode --issuer-id).
  discovery::IssuerIdForm issuer_id = discovery::IssuerIdForm::kUrl;
  // Its node's verifiers of credentials from outside the ecosystem
  // (NodeOptions::outside_verifiers); unset: none.
  std::function<std::vector<std::unique_ptr<verification::FormatVerifier>>()> outside_verifiers;
};

class LocalEcosystem {
 public:
  LocalEcosystem(std::string ecosystem_id, domain::PolicyProfile policy,
                 crypto::SigningKey root_key = crypto::SigningKey::Generate());

  // Defines the ecosystem with its policy on the registry topic of `log`, once per log (a log
  // object: two clients of one broker define it twice, the same rules from two cuts).
  absl::Status Define(EventLog& log) const;

  // Admits `institution` with `event_key` (and `rsa_key`, `ec_key`, if any) on the registry
  // topic of `log`, after defining the ecosystem there.
  absl::Status Admit(EventLog& log, const Institution& institution,
                     const crypto::SigningKey& event_key,
                     const jose::RsaPrivateKey* rsa_key = nullptr,
                     const jose::EcPrivateKey* ec_key = nullptr) const;

  // Admits `institution` with a fresh key and starts its node on `log` and `store`.
  absl::StatusOr<std::unique_ptr<Node>> Join(EventLog& log, StateStore& store,
                                             const Institution& institution) const;

  // Starts a node for an institution admitted earlier with these keys (a restart).
  absl::StatusOr<std::unique_ptr<Node>> StartNode(
      EventLog& log, StateStore& store, const Institution& institution,
      const crypto::SigningKey& event_key,
      std::optional<jose::RsaPrivateKey> rsa_key = std::nullopt,
      std::optional<jose::EcPrivateKey> ec_key = std::nullopt) const;

  const registry::Secretariat& secretariat() const { return secretariat_; }
  // Every node this ecosystem starts seals its ELM exports with a self-made e-seal of its
  // institution (eseal::CreateSelfSignedSeal, organizationIdentifier
  // DevelopmentOrganizationIdentifier), made on its first start and kept for restarts. The
  // certificate of the CA that issued it, what a verifying node trusts; empty for an
  // institution not started yet.
  std::string SealCaPem(const std::string& institution_id) const;
  static std::string PublicUrlOf(const Institution& institution);
  const domain::PolicyProfile& policy() const { return policy_; }

 private:
  // The institution's seal, made on first use.
  absl::StatusOr<eseal::SealCredentials> SealOf(const Institution& institution) const;

  registry::Secretariat secretariat_;
  domain::PolicyProfile policy_;
  mutable absl::Mutex defined_mutex_;
  mutable std::set<const EventLog*> defined_in_ ABSL_GUARDED_BY(defined_mutex_);
  mutable absl::Mutex seals_mutex_;
  mutable std::map<std::string, eseal::SelfSignedSeal> seals_ ABSL_GUARDED_BY(seals_mutex_);
};

// A caller with the staff roles of `institution_id`, as a verified token would give.
auth::Caller StaffOf(const std::string& institution_id);

// Today (UTC) plus `days`.
common::v1::Date DayFromToday(int days);

// Publishes `content` as `<institution_id>/<local_id>` at `node`, as the institution's staff.
absl::Status PublishSpecification(Node& node, const std::string& institution_id,
                                  const std::string& local_id,
                                  catalogue::v1::SpecificationContent content);

// An issuance of `<institution_id>/<local_spec_id>` to learner "L-<request_id>" (Zoë Van den
// Brœck: non-ASCII, UTF-8 end to end), issued yesterday in Antwerpen after a completed course,
// assessed onsite with an identity check; no grade, no validUntil.
issuance::v1::IssueCredentialRequest SampleIssueRequest(const std::string& institution_id,
                                                        const std::string& request_id,
                                                        const std::string& local_spec_id);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_TESTING_LOCAL_ECOSYSTEM_H_
