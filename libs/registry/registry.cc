#include "libs/registry/registry.h"

#include "libs/events/reasons.h"

namespace microcred::registry {

absl::StatusOr<v1::MemberAdmitted> Registry::CheckAdmission(
    const events::UnverifiedEnvelope& env) const {
  const std::string& source = env.body.source_institution();
  const TrustAnchor* anchor = nullptr;
  for (const TrustAnchor& a : anchors_) {
    if (a.ecosystem_id == source) anchor = &a;
  }
  if (anchor == nullptr) {
    return events::Reject(events::reason::kUntrustedRoot,
                          "registry event from " + source + ", which is no trusted ecosystem root");
  }
  if (!env.VerifySignature(anchor->public_key)) {
    return events::Reject(events::reason::kBadSignature,
                          "registry event not signed by the root key of " + source);
  }
  auto member = events::UnpackPayload<v1::MemberAdmitted>(env.body);
  if (!member.ok()) return events::Reject(events::reason::kInvalidPayload, member.status());
  if (member->institution_id().empty() || member->keys().empty()) {
    return events::Reject(events::reason::kInvalidPayload,
                          "MemberAdmitted needs an institution_id and at least one key");
  }
  for (const v1::PublicKey& key : member->keys()) {
    const bool ed25519 = key.ed25519_public_key().size() == crypto::kPublicKeyBytes;
    const bool rsa = !key.rsa_public_key_der().empty();
    if (key.key_id().empty() || ed25519 == rsa || (!ed25519 && !key.ed25519_public_key().empty())) {
      return events::Reject(events::reason::kInvalidPayload,
                            "MemberAdmitted.keys: each key needs a key_id and either a 32-byte "
                            "Ed25519 key or an RSA SubjectPublicKeyInfo");
    }
  }
  return member;
}

void Registry::Admit(const v1::MemberAdmitted& member) {
  v1::Member& entry = members_[member.institution_id()];
  *entry.mutable_admitted() = member;
}

const v1::Member* Registry::Find(const std::string& institution_id) const {
  auto it = members_.find(institution_id);
  return it == members_.end() ? nullptr : &it->second;
}

std::optional<std::string> Registry::PublicKey(const std::string& institution_id,
                                               const std::string& key_id) const {
  const v1::Member* member = Find(institution_id);
  if (member == nullptr) return std::nullopt;
  for (const v1::PublicKey& key : member->admitted().keys()) {
    if (key.key_id() == key_id && !key.ed25519_public_key().empty()) {
      return key.ed25519_public_key();
    }
  }
  return std::nullopt;
}

absl::Status Registry::CheckSignedBy(const events::UnverifiedEnvelope& env,
                                     bool sealed_by_this_process) const {
  const std::string& source = env.body.source_institution();
  const v1::Member* member = Find(source);
  if (member == nullptr) {
    return events::Reject(events::reason::kUnknownInstitution,
                          source + " is not a member of any trusted ecosystem");
  }
  if (member->suspended()) {
    return events::Reject(events::reason::kSuspendedInstitution, source + " is suspended");
  }
  std::optional<std::string> key = PublicKey(source, env.body.key_id());
  if (!key) {
    return events::Reject(events::reason::kUnknownKey,
                          "key " + env.body.key_id() + " is not registered for " + source);
  }
  if (!sealed_by_this_process && !env.VerifySignature(*key)) {
    return events::Reject(events::reason::kBadSignature, "signature does not verify with key " +
                                                             env.body.key_id() + " of " + source);
  }
  return absl::OkStatus();
}

}  // namespace microcred::registry
