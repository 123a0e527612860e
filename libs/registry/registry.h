// The trust registry as a node sees it: which institutions belong to the ecosystem, with which
// keys, provider type and status. Built from the registry topic's events, each signed by an
// ecosystem root key the node was configured to trust (its trust anchors), or, for a key
// rotation, by the institution itself:
//   MemberAdmitted    root    admits a member; re-admits it (its governing root only): new
//                             facts, the keys it lists registered, the others retired from
//                             its cut on
//   MemberSuspended   root    refuses the member's events from a log cut on
//   MemberReinstated  root    accepts them again from a later cut on
//   KeyRotated        root or the institution (with a registered, unretired key)
//                             registers a key and may retire one from a cut on
//   EcosystemDefined  the ecosystem's own root (source_institution = the registry's ecosystem id)
//                             defines the ecosystem: its name, where its log lives, and its
//                             rules (a policy profile) from its cut on
// "root" is the member's governing root: the root that admitted it, or the one it handed the
// member to (MemberAdmitted.governing_root). A node that trusts several roots holds one
// registry, in which each member is governed by one root; a change signed by another trusted
// root is refused (NOT_OWNER), so trusting a second ecosystem's root does not let it suspend or
// re-key the first ecosystem's members. An institution id is the first admitter's: another
// root's admission of it is a change it does not govern.
//
// No change removes a key: a retired key stays registered, so what it signed before its cut
// (events, credentials) stays verifiable. Every change's effect on the domain topics is fixed by
// its cut and the registry topic is read in order (a member's changes share a partition), so
// every node that trusts the same roots, including one rebuilt from the log later, reaches the
// same members and the same decisions.
//
// The ecosystem's rules are the registry's too: each EcosystemDefined adds a version whose
// rules apply to the domain events at or past its cut; before any, the Recommendation alone
// (the built-in "eu" profile). Only the root of the ecosystem this registry is for may define
// it: another trusted root is refused (NOT_OWNER), a definition naming another ecosystem too
// (WRONG_ECOSYSTEM: a copy placed in the wrong log).
//
// Pure and not thread-safe: the projector that owns it serialises access.
#ifndef MICROCRED_LIBS_REGISTRY_REGISTRY_H_
#define MICROCRED_LIBS_REGISTRY_REGISTRY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/domain/policy_profile.h"
#include "libs/events/envelope.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::registry {

// An ecosystem root: its id (the source_institution of registry events) and public key.
struct TrustAnchor {
  std::string ecosystem_id;
  std::string public_key;  // Ed25519, 32 bytes
};

// Where an event was read in the log.
struct EventPosition {
  std::string_view topic;
  int32_t partition = 0;
  int64_t offset = 0;
};

// True when `at` comes at or after `cut` (see LogCut in registry.proto).
bool AtOrPastCut(const v1::LogCut& cut, const EventPosition& at);

// True when `member`'s events at `at` are refused: `at` falls after a suspension's cut and
// before the cut of the reinstatement that followed it.
bool SuspendedAt(const v1::Member& member, const EventPosition& at);

// True when `key_id` of `member` was retired (by a rotation or a re-admission) whose cut `at` has
// reached.
bool KeyRetiredAt(const v1::Member& member, std::string_view key_id, const EventPosition& at);

// True when `key_id` of `member` was retired, from its cut on, wherever that is.
bool KeyEverRetired(const v1::Member& member, std::string_view key_id);

// The member's legal name as registered for its event at `at`: a re-admission's new name
// applies from its cut on (a re-admission written without a cut, before cuts existed, from
// everywhere), so every node decides on the same name for the same event.
std::string LegalNameAt(const v1::Member& member, const EventPosition& at);

// What one registry event changes: a member, or the ecosystem's definition (exactly one set).
struct RegistryChange {
  std::optional<v1::Member> member;
  std::optional<v1::Ecosystem> ecosystem;
};

class Registry {
 public:
  // The registry of `ecosystem_id`'s log; empty: the first anchor's ecosystem (a node of one
  // ecosystem). Its root alone defines the ecosystem.
  explicit Registry(std::vector<TrustAnchor> anchors, std::string ecosystem_id = "");

  const std::string& ecosystem_id() const { return ecosystem_id_; }

  // Checks a registry-topic envelope read at `at` and returns what it changes: the member as a
  // member change leaves it (see CheckRegistryEvent), or the ecosystem as a definition leaves
  // it. A definition is refused (the message starts with a dead-letter reason code) when it is
  // not signed by this ecosystem's root (another trusted root: NOT_OWNER), when it names another
  // ecosystem (WRONG_ECOSYSTEM), when its rules do not validate (INVALID_PAYLOAD naming the
  // field, e.g. `EcosystemDefined.rules.protected_titles[2]: is required`), and when it
  // redefines the ecosystem without a cut (INVALID_PAYLOAD).
  absl::StatusOr<RegistryChange> CheckRegistryChange(const events::UnverifiedEnvelope& env,
                                                     const EventPosition& at) const;

  // Checks a registry-topic envelope read at `at` and returns the member as the event leaves
  // it. Refused (the message starts with a dead-letter reason code): a signer that is neither a
  // trusted root nor, for a rotation, the institution; a bad signature; a root changing a member
  // it does not govern (NOT_OWNER); a payload that is not a valid registry change, or that does
  // not apply (suspending a suspended member, rotating in a key id already registered, retiring
  // the last Ed25519 key, a re-admission that swaps a key's material or leaves keys out without
  // a cut, a key that is not one of the three kinds of public_keys.h, ...). A valid
  // EcosystemDefined is refused too (UNKNOWN_EVENT_TYPE): it changes no member, and a caller
  // that keeps definitions uses CheckRegistryChange.
  absl::StatusOr<v1::Member> CheckRegistryEvent(const events::UnverifiedEnvelope& env,
                                                const EventPosition& at) const;

  // Records a member as CheckRegistryEvent returned it, or as the projector saved it.
  void Restore(const v1::Member& member) { members_[member.admitted().institution_id()] = member; }

  const v1::Member* Find(const std::string& institution_id) const;

  // The Ed25519 public key `key_id` of `institution_id`, if registered, retired or not (events
  // are signed with Ed25519 keys only).
  std::optional<std::string> PublicKey(const std::string& institution_id,
                                       const std::string& key_id) const;

  // Checks an institution's event envelope read at `at`: known member, not suspended there,
  // key registered and not retired there, signature valid. The error message starts with a
  // dead-letter reason code. `signature_verified`: the caller has verified the signature with
  // the key registered as body.key_id, or found the envelope's exact bytes among those this
  // process sealed; it is not verified again (the other checks still run).
  absl::Status CheckSignedBy(const events::UnverifiedEnvelope& env, const EventPosition& at,
                             bool signature_verified = false) const;

  const std::map<std::string, v1::Member>& members() const { return members_; }

  // Records the ecosystem as CheckRegistryChange returned it, or as the projector saved it, and
  // parses each version's rules once. A version whose rules this build refuses (written under a
  // laxer release) applies the Recommendation alone. The profiles of the versions it shares
  // with the ecosystem recorded before stay where they are.
  void RestoreEcosystem(const v1::Ecosystem& ecosystem);

  // The ecosystem's definition; null before any.
  const v1::Ecosystem* ecosystem() const { return ecosystem_ ? &*ecosystem_ : nullptr; }

  // The rules in force for a domain event at `at`: the latest definition whose cut `at` has
  // reached (AtOrPastCut); the built-in "eu" profile before any. The reference stays valid
  // while the registry lives, across restores that only add versions.
  const domain::PolicyProfile& ProfileAt(const EventPosition& at) const;
  // The latest definition's rules, or "eu": what a command writing now is checked against.
  const domain::PolicyProfile& CurrentProfile() const;

 private:
  const TrustAnchor* Anchor(const std::string& ecosystem_id) const;
  // The ecosystem id of the root that governs `member`; empty when none does here.
  std::string GoverningRoot(const v1::Member& member) const;
  // The member `institution_id` if `root` governs it; refused otherwise.
  absl::StatusOr<const v1::Member*> GovernedMember(const std::string& institution_id,
                                                   const std::string& root) const;
  absl::StatusOr<v1::Member> ApplyRootChange(const events::UnverifiedEnvelope& env) const;
  absl::StatusOr<v1::Member> Readmit(const v1::Member& known, const std::string& root,
                                     v1::MemberAdmitted admitted) const;
  absl::StatusOr<v1::Member> ApplyOwnRotation(const events::UnverifiedEnvelope& env,
                                              const EventPosition& at) const;
  absl::StatusOr<v1::Member> ApplyRotation(const v1::KeyRotated& rotation) const;
  absl::StatusOr<v1::Ecosystem> ApplyDefinition(const events::UnverifiedEnvelope& env) const;

  std::vector<TrustAnchor> anchors_;
  std::string ecosystem_id_;
  std::map<std::string, v1::Member> members_;
  std::optional<v1::Ecosystem> ecosystem_;
  // One per version of ecosystem_, parsed once; held by pointer so that ProfileAt's references
  // outlive the vector's growth.
  std::vector<std::unique_ptr<const domain::PolicyProfile>> profiles_;
};

}  // namespace microcred::registry

#endif  // MICROCRED_LIBS_REGISTRY_REGISTRY_H_
