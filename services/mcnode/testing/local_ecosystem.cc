#include "services/mcnode/testing/local_ecosystem.h"

#include "libs/auth/roles.h"
#include "libs/registry/public_keys.h"

namespace microcred {

LocalEcosystem::LocalEcosystem(std::string ecosystem_id, domain::PolicyProfile policy,
                               crypto::SigningKey root_key)
    : secretariat_(std::move(ecosystem_id), std::move(root_key)), policy_(std::move(policy)) {}

absl::Status LocalEcosystem::Admit(EventLog& log, const Institution& institution,
                                   const crypto::SigningKey& event_key,
                                   const jose::RsaPrivateKey* rsa_key,
                                   const jose::EcPrivateKey* ec_key) const {
  registry::v1::MemberAdmitted member;
  member.set_institution_id(institution.id);
  member.set_legal_name(institution.legal_name);
  member.set_country(institution.country);
  member.set_region(institution.region);
  member.set_provider_type(institution.type);
  member.set_public_url(PublicUrlOf(institution));
  *member.add_keys() = registry::RegisteredKey(event_key.public_key());
  if (rsa_key != nullptr) *member.add_keys() = registry::RegisteredRsaKey(rsa_key->PublicKeyDer());
  if (ec_key != nullptr) *member.add_keys() = registry::RegisteredP256Key(ec_key->PublicKeyDer());
  return secretariat_.Admit(log, member).status();
}

absl::StatusOr<std::unique_ptr<Node>> LocalEcosystem::Join(EventLog& log, StateStore& store,
                                                           const Institution& institution) const {
  crypto::SigningKey key = crypto::SigningKey::Generate();
  std::optional<jose::RsaPrivateKey> rsa_key;
  if (institution.rs256) {
    auto generated = jose::RsaPrivateKey::Generate();
    if (!generated.ok()) return generated.status();
    rsa_key = *std::move(generated);
  }
  std::optional<jose::EcPrivateKey> ec_key;
  if (institution.es256) {
    auto generated = jose::EcPrivateKey::Generate();
    if (!generated.ok()) return generated.status();
    ec_key = *std::move(generated);
  }
  if (absl::Status s =
          Admit(log, institution, key, rsa_key ? &*rsa_key : nullptr, ec_key ? &*ec_key : nullptr);
      !s.ok()) {
    return s;
  }
  return StartNode(log, store, institution, key, rsa_key, ec_key);
}

std::string LocalEcosystem::PublicUrlOf(const Institution& institution) {
  return institution.public_url.empty() ? "https://" + institution.id + ".example"
                                        : institution.public_url;
}

absl::StatusOr<std::unique_ptr<Node>> LocalEcosystem::StartNode(
    EventLog& log, StateStore& store, const Institution& institution,
    const crypto::SigningKey& event_key, std::optional<jose::RsaPrivateKey> rsa_key,
    std::optional<jose::EcPrivateKey> ec_key) const {
  return Node::Start(log, store,
                     {.institution_id = institution.id,
                      .node_id = institution.id + "-node",
                      .policy = policy_,
                      .trust_anchors = {secretariat_.anchor()},
                      .event_key = event_key,
                      .public_url = PublicUrlOf(institution),
                      .issuer_id_form = institution.issuer_id,
                      .rsa_key = std::move(rsa_key),
                      .ec_key = std::move(ec_key),
                      .outside_verifiers = institution.outside_verifiers});
}

auth::Caller StaffOf(const std::string& institution_id) {
  return {.subject = "staff@" + institution_id,
          .institution_id = institution_id,
          .roles = {auth::roles::kRegistrar, auth::roles::kCatalogueEditor}};
}

}  // namespace microcred
