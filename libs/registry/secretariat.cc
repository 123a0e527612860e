#include "libs/registry/secretariat.h"

#include "libs/events/topics.h"

namespace microcred::registry {

v1::PublicKey RegisteredKey(const std::string& ed25519_public_key) {
  v1::PublicKey key;
  key.set_key_id(crypto::KeyFingerprint(ed25519_public_key));
  key.set_ed25519_public_key(ed25519_public_key);
  return key;
}

Secretariat::Secretariat(std::string ecosystem_id, crypto::SigningKey root_key)
    : root_(std::move(ecosystem_id), "secretariat", std::move(root_key)) {}

TrustAnchor Secretariat::anchor() const { return {root_.institution_id(), root_.public_key()}; }

absl::StatusOr<AppendResult> Secretariat::Admit(EventLog& log,
                                                const v1::MemberAdmitted& member) const {
  std::string sealed = root_.Seal(member, {.partition_key = member.institution_id()});
  return log.Append({topics::kRegistry, member.institution_id(), std::move(sealed)});
}

}  // namespace microcred::registry
