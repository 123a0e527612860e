#include "services/mcnode/local_ecosystem.h"

#include "libs/host/roles.h"

namespace microcred {

LocalEcosystem::LocalEcosystem(std::string ecosystem_id, domain::PolicyProfile policy,
                               crypto::SigningKey root_key)
    : secretariat_(std::move(ecosystem_id), std::move(root_key)), policy_(std::move(policy)) {}

absl::Status LocalEcosystem::Admit(EventLog& log, const Institution& institution,
                                   const crypto::SigningKey& event_key) const {
  registry::v1::MemberAdmitted member;
  member.set_institution_id(institution.id);
  member.set_legal_name(institution.legal_name);
  member.set_country(institution.country);
  member.set_region(institution.region);
  member.set_provider_type(institution.type);
  member.set_public_url(PublicUrlOf(institution));
  *member.add_keys() = registry::RegisteredKey(event_key.public_key());
  return secretariat_.Admit(log, member).status();
}

absl::StatusOr<std::unique_ptr<Node>> LocalEcosystem::Join(EventLog& log, StateStore& store,
                                                           const Institution& institution) const {
  crypto::SigningKey key = crypto::SigningKey::Generate();
  if (absl::Status s = Admit(log, institution, key); !s.ok()) return s;
  return StartNode(log, store, institution, key);
}

std::string LocalEcosystem::PublicUrlOf(const Institution& institution) {
  return institution.public_url.empty() ? "https://" + institution.id + ".example"
                                        : institution.public_url;
}

absl::StatusOr<std::unique_ptr<Node>> LocalEcosystem::StartNode(
    EventLog& log, StateStore& store, const Institution& institution,
    const crypto::SigningKey& event_key) const {
  return Node::Start(log, store,
                     {.institution_id = institution.id,
                      .node_id = institution.id + "-node",
                      .policy = policy_,
                      .trust_anchors = {secretariat_.anchor()},
                      .event_key = event_key,
                      .public_url = PublicUrlOf(institution)});
}

host::Caller StaffOf(const std::string& institution_id) {
  return {.subject = "staff@" + institution_id,
          .institution_id = institution_id,
          .roles = {host::roles::kRegistrar, host::roles::kCatalogueEditor}};
}

}  // namespace microcred
