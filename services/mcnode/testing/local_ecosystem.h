// LocalEcosystem: an ecosystem whose secretariat lives in this process, for the tests, the
// benchmarks and the demo (a testing library: mcnode never links it). Production ecosystems keep
// their root key with the alliance secretariat, and nodes only receive its public key.
#ifndef MICROCRED_SERVICES_MCNODE_TESTING_LOCAL_ECOSYSTEM_H_
#define MICROCRED_SERVICES_MCNODE_TESTING_LOCAL_ECOSYSTEM_H_

#include <memory>
#include <string>

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

  // Admits `institution` with `event_key` (and `rsa_key`, `ec_key`, if any) on the registry
  // topic of `log`.
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
  static std::string PublicUrlOf(const Institution& institution);
  const domain::PolicyProfile& policy() const { return policy_; }

 private:
  registry::Secretariat secretariat_;
  domain::PolicyProfile policy_;
};

// A caller with the staff roles of `institution_id`, as a verified token would give.
auth::Caller StaffOf(const std::string& institution_id);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_TESTING_LOCAL_ECOSYSTEM_H_
