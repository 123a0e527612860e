// The trust registry as a node sees it: which institutions belong to the ecosystem, with which
// keys, provider type and status. Built from MemberAdmitted events signed by an ecosystem root
// key the node was configured to trust (its trust anchors).
//
// Pure and not thread-safe: the projector that owns it serialises access.
#ifndef MICROCRED_LIBS_REGISTRY_REGISTRY_H_
#define MICROCRED_LIBS_REGISTRY_REGISTRY_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "libs/events/envelope.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::registry {

// An ecosystem root: its id (the source_institution of registry events) and public key.
struct TrustAnchor {
  std::string ecosystem_id;
  std::string public_key;  // Ed25519, 32 bytes
};

class Registry {
 public:
  explicit Registry(std::vector<TrustAnchor> anchors) : anchors_(std::move(anchors)) {}

  // Checks that a registry-topic envelope is signed by a trusted root and carries a valid
  // MemberAdmitted. The error message starts with a dead-letter reason code.
  absl::StatusOr<v1::MemberAdmitted> CheckAdmission(const events::UnverifiedEnvelope& env) const;

  // Records (or replaces) a member. The caller has checked it with CheckAdmission.
  void Admit(const v1::MemberAdmitted& member);
  // Restores a member saved by the projector (no checks: it was checked when admitted).
  void Restore(const v1::Member& member) { members_[member.admitted().institution_id()] = member; }

  const v1::Member* Find(const std::string& institution_id) const;

  // The Ed25519 public key `key_id` of `institution_id`, if registered (events are signed with
  // Ed25519 keys only).
  std::optional<std::string> PublicKey(const std::string& institution_id,
                                       const std::string& key_id) const;

  // Checks an institution's event envelope: known member, not suspended, key registered,
  // signature valid. The error message starts with a dead-letter reason code.
  // `sealed_by_this_process`: the caller found the envelope's exact bytes in its
  // SealedEnvelopes, so the signature is not verified again (the other checks still run).
  absl::Status CheckSignedBy(const events::UnverifiedEnvelope& env,
                             bool sealed_by_this_process = false) const;

  const std::map<std::string, v1::Member>& members() const { return members_; }

 private:
  std::vector<TrustAnchor> anchors_;
  std::map<std::string, v1::Member> members_;
};

}  // namespace microcred::registry

#endif  // MICROCRED_LIBS_REGISTRY_REGISTRY_H_
