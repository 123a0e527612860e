#include "libs/registry/registry.h"

#include <algorithm>

#include "libs/domain/recommendation_profile.h"
#include "libs/events/reasons.h"
#include "libs/registry/public_keys.h"

namespace microcred::registry {
namespace {

absl::Status Invalid(const std::string& detail) {
  return events::Reject(events::reason::kInvalidPayload, detail);
}

absl::Status CheckKey(const v1::PublicKey& key, const std::string& where) {
  if (absl::Status s = CheckPublicKey(key, where); !s.ok())
    return Invalid(std::string(s.message()));
  return absl::OkStatus();
}

const v1::PublicKey* FindKey(const v1::MemberAdmitted& admitted, std::string_view key_id) {
  for (const v1::PublicKey& key : admitted.keys()) {
    if (key.key_id() == key_id) return &key;
  }
  return nullptr;
}

const v1::PublicKey* FindKey(const v1::Member& member, std::string_view key_id) {
  return FindKey(member.admitted(), key_id);
}

absl::Status CheckAdmitted(const v1::MemberAdmitted& member) {
  if (member.institution_id().empty() || member.keys().empty()) {
    return Invalid("MemberAdmitted needs an institution_id and at least one key");
  }
  for (int i = 0; i < member.keys_size(); ++i) {
    const v1::PublicKey& key = member.keys(i);
    if (absl::Status s = CheckKey(key, "MemberAdmitted.keys"); !s.ok()) return s;
    for (int j = 0; j < i; ++j) {
      if (member.keys(j).key_id() == key.key_id()) {
        return Invalid("MemberAdmitted.keys: key id " + key.key_id() + " is listed twice");
      }
    }
  }
  return absl::OkStatus();
}

// The cut from which `change` retires `key_id`, or null when it does not retire it.
const v1::LogCut* RetirementCut(const v1::MembershipChange& change, std::string_view key_id) {
  if (change.has_key_rotated() && change.key_rotated().retired_key_id() == key_id) {
    return &change.key_rotated().cut();
  }
  if (change.has_readmitted()) {
    for (const std::string& retired : change.readmitted().retired_key_ids()) {
      if (retired == key_id) return &change.readmitted().admitted().cut();
    }
  }
  return nullptr;
}

// The member's keys that can still sign new events: Ed25519 and never retired.
int ActiveEd25519Keys(const v1::Member& member) {
  return static_cast<int>(std::count_if(
      member.admitted().keys().begin(), member.admitted().keys().end(),
      [&](const v1::PublicKey& key) {
        return !key.ed25519_public_key().empty() && !KeyEverRetired(member, key.key_id());
      }));
}

}  // namespace

bool AtOrPastCut(const v1::LogCut& cut, const EventPosition& at) {
  for (const v1::LogPosition& position : cut.positions()) {
    if (position.topic() == at.topic && position.partition() == at.partition) {
      return at.offset >= position.offset();
    }
  }
  return true;  // a partition the cut does not name was created after it
}

bool SuspendedAt(const v1::Member& member, const EventPosition& at) {
  bool suspended = false;
  for (const v1::MembershipChange& change : member.history()) {
    if (change.has_suspended() && AtOrPastCut(change.suspended().cut(), at)) suspended = true;
    if (change.has_reinstated() && AtOrPastCut(change.reinstated().cut(), at)) suspended = false;
  }
  return suspended;
}

bool KeyRetiredAt(const v1::Member& member, std::string_view key_id, const EventPosition& at) {
  for (const v1::MembershipChange& change : member.history()) {
    const v1::LogCut* cut = RetirementCut(change, key_id);
    if (cut != nullptr && AtOrPastCut(*cut, at)) return true;
  }
  return false;
}

bool KeyEverRetired(const v1::Member& member, std::string_view key_id) {
  return std::any_of(
      member.history().begin(), member.history().end(),
      [&](const v1::MembershipChange& change) { return RetirementCut(change, key_id) != nullptr; });
}

std::string LegalNameAt(const v1::Member& member, const EventPosition& at) {
  std::string name = member.admitted().legal_name();
  for (auto change = member.history().rbegin(); change != member.history().rend(); ++change) {
    if (!change->has_readmitted()) continue;
    const v1::Readmitted& readmitted = change->readmitted();
    if (!readmitted.admitted().has_cut() || AtOrPastCut(readmitted.admitted().cut(), at)) break;
    name = readmitted.previous_legal_name();
  }
  return name;
}

const TrustAnchor* Registry::Anchor(const std::string& ecosystem_id) const {
  for (const TrustAnchor& anchor : anchors_) {
    if (anchor.ecosystem_id == ecosystem_id) return &anchor;
  }
  return nullptr;
}

Registry::Registry(std::vector<TrustAnchor> anchors, std::string ecosystem_id)
    : anchors_(std::move(anchors)), ecosystem_id_(std::move(ecosystem_id)) {
  if (ecosystem_id_.empty() && !anchors_.empty()) ecosystem_id_ = anchors_.front().ecosystem_id;
}

absl::StatusOr<RegistryChange> Registry::CheckRegistryChange(const events::UnverifiedEnvelope& env,
                                                             const EventPosition& at) const {
  const std::string& source = env.body.source_institution();
  RegistryChange change;
  if (const TrustAnchor* anchor = Anchor(source)) {
    if (!env.VerifySignature(anchor->public_key)) {
      return events::Reject(events::reason::kBadSignature,
                            "registry event not signed by the root key of " + source);
    }
    if (env.body.event_type() == v1::EcosystemDefined::descriptor()->full_name()) {
      auto ecosystem = ApplyDefinition(env);
      if (!ecosystem.ok()) return ecosystem.status();
      change.ecosystem = *std::move(ecosystem);
      return change;
    }
    auto member = ApplyRootChange(env);
    if (!member.ok()) return member.status();
    change.member = *std::move(member);
    return change;
  }
  if (Find(source) != nullptr) {
    auto member = ApplyOwnRotation(env, at);
    if (!member.ok()) return member.status();
    change.member = *std::move(member);
    return change;
  }
  return events::Reject(
      events::reason::kUntrustedRoot,
      "registry event from " + source + ", which is neither a trusted ecosystem root nor a member");
}

absl::StatusOr<v1::Member> Registry::CheckRegistryEvent(const events::UnverifiedEnvelope& env,
                                                        const EventPosition& at) const {
  auto change = CheckRegistryChange(env, at);
  if (!change.ok()) return change.status();
  if (change->member) return *std::move(change->member);
  return events::Reject(events::reason::kUnknownEventType,
                        "EcosystemDefined changes the ecosystem, not a member: read it with "
                        "Registry::CheckRegistryChange");
}

absl::StatusOr<v1::Ecosystem> Registry::ApplyDefinition(
    const events::UnverifiedEnvelope& env) const {
  const std::string& root = env.body.source_institution();
  auto defined = events::UnpackPayload<v1::EcosystemDefined>(env.body);
  if (!defined.ok()) return Invalid(std::string(defined.status().message()));
  if (defined->ecosystem_id() != ecosystem_id_) {
    return events::Reject(events::reason::kWrongEcosystem,
                          "EcosystemDefined.ecosystem_id: \"" + defined->ecosystem_id() +
                              "\" is not the ecosystem of this log, " + ecosystem_id_);
  }
  if (root != ecosystem_id_) {
    return events::Reject(events::reason::kNotOwner, "only the root of " + ecosystem_id_ +
                                                         " defines it; a definition signed by " +
                                                         root + " is refused");
  }
  if (auto rules = domain::PolicyProfile::FromRules(defined->rules()); !rules.ok()) {
    return Invalid("EcosystemDefined." + std::string(rules.status().message()));
  }
  if (ecosystem_ && ecosystem_->versions_size() > 0 && !defined->has_cut()) {
    return Invalid("EcosystemDefined.cut: this redefinition of " + ecosystem_id_ +
                   " needs a cut, the place from which its rules apply");
  }
  v1::Ecosystem ecosystem = ecosystem_ ? *ecosystem_ : v1::Ecosystem();
  ecosystem.set_ecosystem_id(defined->ecosystem_id());
  ecosystem.set_display_name(defined->display_name());
  *ecosystem.mutable_log() = defined->log();
  v1::EcosystemVersion* version = ecosystem.add_versions();
  *version->mutable_rules() = defined->rules();
  if (defined->has_cut()) *version->mutable_cut() = defined->cut();
  version->set_at_ms(defined->at_ms());
  return ecosystem;
}

void Registry::RestoreEcosystem(const v1::Ecosystem& ecosystem) {
  size_t kept = 0;
  if (ecosystem_ && ecosystem_->ecosystem_id() == ecosystem.ecosystem_id()) {
    while (kept < profiles_.size() && static_cast<int>(kept) < ecosystem.versions_size() &&
           ecosystem_->versions(kept).rules().SerializeAsString() ==
               ecosystem.versions(kept).rules().SerializeAsString()) {
      ++kept;
    }
  }
  profiles_.resize(kept);
  for (int i = static_cast<int>(kept); i < ecosystem.versions_size(); ++i) {
    auto profile = domain::PolicyProfile::FromRules(ecosystem.versions(i).rules());
    profiles_.push_back(std::make_unique<const domain::PolicyProfile>(
        profile.ok() ? *std::move(profile) : domain::RecommendationProfile()));
  }
  ecosystem_ = ecosystem;
}

const domain::PolicyProfile& Registry::ProfileAt(const EventPosition& at) const {
  for (size_t i = profiles_.size(); i-- > 0;) {
    if (AtOrPastCut(ecosystem_->versions(static_cast<int>(i)).cut(), at)) return *profiles_[i];
  }
  return domain::RecommendationProfile();
}

const domain::PolicyProfile& Registry::CurrentProfile() const {
  return profiles_.empty() ? domain::RecommendationProfile() : *profiles_.back();
}

std::string Registry::GoverningRoot(const v1::Member& member) const {
  if (!member.governing_root().empty()) return member.governing_root();
  // Recorded by a release before governing roots: taken as the node's only root's, if it has one.
  return anchors_.size() == 1 ? anchors_.front().ecosystem_id : "";
}

absl::StatusOr<const v1::Member*> Registry::GovernedMember(const std::string& institution_id,
                                                           const std::string& root) const {
  const v1::Member* known = Find(institution_id);
  if (known == nullptr) return Invalid(institution_id + " is not a member");
  const std::string governor = GoverningRoot(*known);
  if (governor == root) return known;
  if (governor.empty()) {
    return events::Reject(events::reason::kNotOwner,
                          institution_id +
                              " was recorded without its governing root (an earlier release) and "
                              "this node trusts several roots: no root may change it here "
                              "(docs/OPERATIONS.md, \"Upgrade\")");
  }
  return events::Reject(events::reason::kNotOwner, institution_id + " is governed by " + governor +
                                                       "; a change signed by " + root +
                                                       " is refused");
}

absl::StatusOr<v1::Member> Registry::ApplyRootChange(const events::UnverifiedEnvelope& env) const {
  const std::string& root = env.body.source_institution();
  const std::string& type = env.body.event_type();
  if (type == v1::MemberAdmitted::descriptor()->full_name()) {
    auto admitted = events::UnpackPayload<v1::MemberAdmitted>(env.body);
    if (!admitted.ok()) return Invalid(std::string(admitted.status().message()));
    if (absl::Status s = CheckAdmitted(*admitted); !s.ok()) return s;
    if (Find(admitted->institution_id()) == nullptr) {
      v1::Member member;
      member.set_governing_root(admitted->governing_root().empty() ? root
                                                                   : admitted->governing_root());
      *member.mutable_admitted() = *std::move(admitted);
      return member;
    }
    auto known = GovernedMember(admitted->institution_id(), root);
    if (!known.ok()) return known.status();
    return Readmit(**known, root, *std::move(admitted));
  }
  if (type == v1::KeyRotated::descriptor()->full_name()) {
    auto rotation = events::UnpackPayload<v1::KeyRotated>(env.body);
    if (!rotation.ok()) return Invalid(std::string(rotation.status().message()));
    if (auto known = GovernedMember(rotation->institution_id(), root); !known.ok()) {
      return known.status();
    }
    return ApplyRotation(*rotation);
  }
  const bool suspending = type == v1::MemberSuspended::descriptor()->full_name();
  if (!suspending && type != v1::MemberReinstated::descriptor()->full_name()) {
    return events::Reject(events::reason::kUnknownEventType,
                          type + " is not a registry event this node knows");
  }
  v1::MembershipChange change;
  std::string institution_id;
  if (suspending) {
    auto suspended = events::UnpackPayload<v1::MemberSuspended>(env.body);
    if (!suspended.ok()) return Invalid(std::string(suspended.status().message()));
    institution_id = suspended->institution_id();
    *change.mutable_suspended() = *std::move(suspended);
  } else {
    auto reinstated = events::UnpackPayload<v1::MemberReinstated>(env.body);
    if (!reinstated.ok()) return Invalid(std::string(reinstated.status().message()));
    institution_id = reinstated->institution_id();
    *change.mutable_reinstated() = *std::move(reinstated);
  }
  auto known = GovernedMember(institution_id, root);
  if (!known.ok()) return known.status();
  if ((*known)->suspended() == suspending) {
    return Invalid(institution_id + (suspending ? " is already suspended" : " is not suspended"));
  }
  v1::Member member = **known;
  member.set_suspended(suspending);
  *member.add_history() = std::move(change);
  return member;
}

absl::StatusOr<v1::Member> Registry::Readmit(const v1::Member& known, const std::string& root,
                                             v1::MemberAdmitted admitted) const {
  const std::string& id = admitted.institution_id();
  v1::Member member = known;
  // Every key ever registered stays, so that what it signed stays verifiable.
  google::protobuf::RepeatedPtrField<v1::PublicKey> keys = known.admitted().keys();
  for (const v1::PublicKey& key : admitted.keys()) {
    const v1::PublicKey* registered = FindKey(known, key.key_id());
    if (registered == nullptr) {
      *keys.Add() = key;
    } else if (!SameKeyMaterial(*registered, key)) {
      return Invalid("MemberAdmitted.keys: key " + key.key_id() + " of " + id +
                     " is registered with other key material; keys change only by rotation");
    } else if (KeyEverRetired(known, key.key_id())) {
      return Invalid("MemberAdmitted.keys: key " + key.key_id() + " of " + id +
                     " was retired and is not registered again");
    }
  }
  v1::Readmitted readmitted;
  for (const v1::PublicKey& key : known.admitted().keys()) {
    if (FindKey(admitted, key.key_id()) == nullptr && !KeyEverRetired(known, key.key_id())) {
      readmitted.add_retired_key_ids(key.key_id());
    }
  }
  if (readmitted.retired_key_ids_size() > 0 && !admitted.has_cut()) {
    return Invalid("MemberAdmitted.cut: this re-admission of " + id +
                   " leaves registered keys out, which retires them, and so needs a cut");
  }
  readmitted.set_previous_legal_name(known.admitted().legal_name());
  member.set_governing_root(admitted.governing_root().empty() ? root : admitted.governing_root());
  *member.mutable_admitted() = admitted;
  *member.mutable_admitted()->mutable_keys() = std::move(keys);
  *readmitted.mutable_admitted() = std::move(admitted);
  *member.add_history()->mutable_readmitted() = std::move(readmitted);
  if (ActiveEd25519Keys(member) == 0) {
    return Invalid("MemberAdmitted.keys: " + id +
                   " would have no Ed25519 key left to sign its events");
  }
  return member;
}

absl::StatusOr<v1::Member> Registry::ApplyOwnRotation(const events::UnverifiedEnvelope& env,
                                                      const EventPosition& at) const {
  if (env.body.event_type() != v1::KeyRotated::descriptor()->full_name()) {
    return events::Reject(events::reason::kUntrustedRoot,
                          "only an ecosystem root writes " + env.body.event_type());
  }
  if (absl::Status s = CheckSignedBy(env, at); !s.ok()) return s;
  auto rotation = events::UnpackPayload<v1::KeyRotated>(env.body);
  if (!rotation.ok()) return Invalid(std::string(rotation.status().message()));
  if (rotation->institution_id() != env.body.source_institution()) {
    return events::Reject(events::reason::kNotOwner,
                          env.body.source_institution() + " may rotate only its own keys");
  }
  return ApplyRotation(*rotation);
}

absl::StatusOr<v1::Member> Registry::ApplyRotation(const v1::KeyRotated& rotation) const {
  const v1::Member* known = Find(rotation.institution_id());
  if (known == nullptr) return Invalid(rotation.institution_id() + " is not a member");
  if (absl::Status s = CheckKey(rotation.new_key(), "KeyRotated.new_key"); !s.ok()) return s;
  if (FindKey(*known, rotation.new_key().key_id()) != nullptr) {
    return Invalid("KeyRotated.new_key: key " + rotation.new_key().key_id() +
                   " is already registered");
  }
  v1::Member member = *known;
  *member.mutable_admitted()->add_keys() = rotation.new_key();
  if (!rotation.retired_key_id().empty()) {
    if (FindKey(*known, rotation.retired_key_id()) == nullptr) {
      return Invalid("KeyRotated.retired_key_id: " + rotation.retired_key_id() +
                     " is not a key of " + rotation.institution_id());
    }
    if (KeyEverRetired(*known, rotation.retired_key_id())) {
      return Invalid("KeyRotated.retired_key_id: " + rotation.retired_key_id() +
                     " is already retired");
    }
  }
  *member.add_history()->mutable_key_rotated() = rotation;
  if (ActiveEd25519Keys(member) == 0) {
    return Invalid("KeyRotated: " + rotation.institution_id() +
                   " would have no Ed25519 key left to sign its events");
  }
  return member;
}

const v1::Member* Registry::Find(const std::string& institution_id) const {
  auto it = members_.find(institution_id);
  return it == members_.end() ? nullptr : &it->second;
}

std::optional<std::string> Registry::PublicKey(const std::string& institution_id,
                                               const std::string& key_id) const {
  const v1::Member* member = Find(institution_id);
  if (member == nullptr) return std::nullopt;
  const v1::PublicKey* key = FindKey(*member, key_id);
  if (key == nullptr || key->ed25519_public_key().empty()) return std::nullopt;
  return key->ed25519_public_key();
}

absl::Status Registry::CheckSignedBy(const events::UnverifiedEnvelope& env, const EventPosition& at,
                                     bool signature_verified) const {
  const std::string& source = env.body.source_institution();
  const v1::Member* member = Find(source);
  if (member == nullptr) {
    return events::Reject(events::reason::kUnknownInstitution,
                          source + " is not a member of any trusted ecosystem");
  }
  if (SuspendedAt(*member, at)) {
    return events::Reject(events::reason::kSuspendedInstitution,
                          source + " is suspended for this part of the log");
  }
  std::optional<std::string> key = PublicKey(source, env.body.key_id());
  if (!key) {
    return events::Reject(events::reason::kUnknownKey,
                          "key " + env.body.key_id() + " is not registered for " + source);
  }
  if (KeyRetiredAt(*member, env.body.key_id(), at)) {
    return events::Reject(events::reason::kRetiredKey,
                          "key " + env.body.key_id() + " of " + source + " was retired");
  }
  if (!signature_verified && !env.VerifySignature(*key)) {
    return events::Reject(events::reason::kBadSignature, "signature does not verify with key " +
                                                             env.body.key_id() + " of " + source);
  }
  return absl::OkStatus();
}

}  // namespace microcred::registry
