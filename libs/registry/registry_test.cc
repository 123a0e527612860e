#include "libs/registry/registry.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "libs/domain/policy_profile.h"
#include "libs/events/reasons.h"
#include "libs/events/topics.h"
#include "libs/jose/ec_key.h"
#include "libs/registry/public_keys.h"
#include "libs/registry/secretariat.h"

namespace microcred::registry {
namespace {

constexpr char kIssuance[] = "mc.issuance.v1";

v1::LogCut CutAt(int64_t issuance_offset) {
  v1::LogCut cut;
  v1::LogPosition* position = cut.add_positions();
  position->set_topic(kIssuance);
  position->set_partition(0);
  position->set_offset(issuance_offset);
  return cut;
}

EventPosition IssuanceAt(int64_t offset) { return {kIssuance, 0, offset}; }

class RegistryTest : public testing::Test {
 protected:
  void SetUp() override {
    v1::MemberAdmitted admitted;
    admitted.set_institution_id("uni");
    *admitted.add_keys() = RegisteredKey(key_.public_key());
    ASSERT_TRUE(Apply(root_, admitted).ok());
  }

  // Seals `change` with `signer` and applies it as the registry topic's next record.
  absl::Status Apply(const events::EnvelopeSigner& signer,
                     const google::protobuf::Message& change) {
    registry_log_.push_back(signer.Seal(change, {.partition_key = "uni"}));
    return ApplyRecord(registry_, registry_log_.size() - 1);
  }

  // Applies the registry topic's record at `offset` to `registry`, as a projector does.
  absl::Status ApplyRecord(Registry& registry, size_t offset) {
    auto env = events::ParseEnvelope(registry_log_[offset]);
    if (!env.ok()) return env.status();
    auto change =
        registry.CheckRegistryChange(*env, {topics::kRegistry, 0, static_cast<int64_t>(offset)});
    if (!change.ok()) return change.status();
    EXPECT_NE(change->member.has_value(), change->ecosystem.has_value());
    if (change->member) registry.Restore(*change->member);
    if (change->ecosystem) registry.RestoreEcosystem(*change->ecosystem);
    return absl::OkStatus();
  }

  // A registry built later from the same registry topic, by a node that trusts the same roots.
  Registry Rebuilt() {
    Registry rebuilt(anchors_);
    for (size_t i = 0; i < registry_log_.size(); ++i) (void)ApplyRecord(rebuilt, i);
    return rebuilt;
  }

  // "uni" as admitted with `keys`, its log's end at `cut`.
  v1::MemberAdmitted Admission(const std::vector<const crypto::SigningKey*>& keys,
                               std::optional<int64_t> cut) {
    v1::MemberAdmitted admitted;
    admitted.set_institution_id("uni");
    admitted.set_legal_name("Université de Mons");
    for (const crypto::SigningKey* key : keys)
      *admitted.add_keys() = RegisteredKey(key->public_key());
    if (cut) *admitted.mutable_cut() = CutAt(*cut);
    return admitted;
  }

  // An issuance event of "uni" signed by `signer`, checked as read at `offset`.
  absl::Status EventAt(const events::EnvelopeSigner& signer, int64_t offset) {
    v1::MemberAdmitted any_payload;
    auto env = events::ParseEnvelope(signer.Seal(any_payload, {.partition_key = "k"}));
    if (!env.ok()) return env.status();
    return registry_.CheckSignedBy(*env, IssuanceAt(offset));
  }

  v1::MemberSuspended Suspension(int64_t cut) {
    v1::MemberSuspended suspended;
    suspended.set_institution_id("uni");
    suspended.set_reason("quality assurance withdrawn");
    *suspended.mutable_cut() = CutAt(cut);
    return suspended;
  }

  v1::KeyRotated Rotation(const crypto::SigningKey& new_key, const std::string& retired,
                          int64_t cut) {
    v1::KeyRotated rotation;
    rotation.set_institution_id("uni");
    *rotation.mutable_new_key() = RegisteredKey(new_key.public_key());
    rotation.set_retired_key_id(retired);
    *rotation.mutable_cut() = CutAt(cut);
    return rotation;
  }

  static std::string Reason(const absl::Status& status) { return events::ReasonCode(status); }

  crypto::SigningKey root_key_ = crypto::SigningKey::Generate();
  events::EnvelopeSigner root_{"eco", "secretariat", root_key_};
  // A second ecosystem's root, which this node also trusts.
  crypto::SigningKey other_root_key_ = crypto::SigningKey::Generate();
  events::EnvelopeSigner other_root_{"eco2", "secretariat", other_root_key_};
  crypto::SigningKey key_ = crypto::SigningKey::Generate();
  events::EnvelopeSigner uni_{"uni", "node", key_};
  std::vector<TrustAnchor> anchors_{{"eco", root_key_.public_key()},
                                    {"eco2", other_root_key_.public_key()}};
  Registry registry_{anchors_};
  std::vector<std::string> registry_log_;
};

TEST_F(RegistryTest, OnlyATrustedRootAdmits) {
  crypto::SigningKey other_root = crypto::SigningKey::Generate();
  events::EnvelopeSigner stranger("other-eco", "secretariat", other_root);
  v1::MemberAdmitted admitted;
  admitted.set_institution_id("intruder");
  *admitted.add_keys() = RegisteredKey(other_root.public_key());
  EXPECT_EQ(Reason(Apply(stranger, admitted)), events::reason::kUntrustedRoot);
  events::EnvelopeSigner impostor("eco", "secretariat", other_root);  // claims to be the root
  EXPECT_EQ(Reason(Apply(impostor, admitted)), events::reason::kBadSignature);
  EXPECT_EQ(registry_.Find("intruder"), nullptr);
  EXPECT_TRUE(EventAt(uni_, 0).ok());
}

TEST_F(RegistryTest, SuspensionRefusesEventsFromItsCutAndReinstatementAcceptsThemAgain) {
  ASSERT_TRUE(Apply(root_, Suspension(/*cut=*/10)).ok());
  EXPECT_TRUE(registry_.Find("uni")->suspended());
  EXPECT_TRUE(EventAt(uni_, 9).ok());  // written before the suspension: stays
  EXPECT_EQ(Reason(EventAt(uni_, 10)), events::reason::kSuspendedInstitution);
  EXPECT_EQ(Reason(EventAt(uni_, 15)), events::reason::kSuspendedInstitution);

  v1::MemberReinstated reinstated;
  reinstated.set_institution_id("uni");
  *reinstated.mutable_cut() = CutAt(20);
  ASSERT_TRUE(Apply(root_, reinstated).ok());
  EXPECT_FALSE(registry_.Find("uni")->suspended());
  EXPECT_EQ(Reason(EventAt(uni_, 15)), events::reason::kSuspendedInstitution);  // same on replay
  EXPECT_TRUE(EventAt(uni_, 20).ok());
  EXPECT_EQ(registry_.Find("uni")->history_size(), 2);
}

TEST_F(RegistryTest, APartitionTheCutDoesNotNameComesAfterIt) {
  ASSERT_TRUE(Apply(root_, Suspension(10)).ok());
  v1::MemberAdmitted payload;
  auto env = events::ParseEnvelope(uni_.Seal(payload, {.partition_key = "k"}));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(Reason(registry_.CheckSignedBy(*env, {kIssuance, /*partition=*/3, 0})),
            events::reason::kSuspendedInstitution);
}

TEST_F(RegistryTest, SuspendingTwiceOrReinstatingAMemberInGoodStandingIsRefused) {
  v1::MemberReinstated reinstated;
  reinstated.set_institution_id("uni");
  EXPECT_EQ(Reason(Apply(root_, reinstated)), events::reason::kInvalidPayload);
  ASSERT_TRUE(Apply(root_, Suspension(1)).ok());
  EXPECT_EQ(Reason(Apply(root_, Suspension(2))), events::reason::kInvalidPayload);
  v1::MemberSuspended unknown = Suspension(2);
  unknown.set_institution_id("nobody");
  EXPECT_EQ(Reason(Apply(root_, unknown)), events::reason::kInvalidPayload);
}

TEST_F(RegistryTest, RotationByTheRootRetiresTheOldKeyFromItsCut) {
  crypto::SigningKey next = crypto::SigningKey::Generate();
  events::EnvelopeSigner uni_next("uni", "node", next);
  ASSERT_TRUE(Apply(root_, Rotation(next, uni_.key_id(), /*cut=*/5)).ok());
  EXPECT_TRUE(EventAt(uni_, 4).ok());  // signed before the rotation: stays valid
  EXPECT_EQ(Reason(EventAt(uni_, 5)), events::reason::kRetiredKey);
  EXPECT_TRUE(EventAt(uni_next, 5).ok());
  // The retired key stays registered, so what it signed (credentials) can still be verified.
  EXPECT_EQ(registry_.PublicKey("uni", uni_.key_id()), key_.public_key());
}

TEST_F(RegistryTest, AnInstitutionRotatesItsOwnKeyWithAKeyThatIsNotRetired) {
  crypto::SigningKey next = crypto::SigningKey::Generate();
  ASSERT_TRUE(Apply(uni_, Rotation(next, uni_.key_id(), 5)).ok());
  crypto::SigningKey third = crypto::SigningKey::Generate();
  // The retired key can no longer rotate (the registry topic is past every cut).
  EXPECT_EQ(Reason(Apply(uni_, Rotation(third, "", 6))), events::reason::kRetiredKey);
  events::EnvelopeSigner uni_next("uni", "node", next);
  EXPECT_TRUE(Apply(uni_next, Rotation(third, "", 6)).ok());
}

TEST_F(RegistryTest, RotationsThatCannotApplyAreRefused) {
  crypto::SigningKey next = crypto::SigningKey::Generate();
  v1::KeyRotated same_key = Rotation(key_, "", 1);  // key id already registered
  EXPECT_EQ(Reason(Apply(root_, same_key)), events::reason::kInvalidPayload);
  v1::KeyRotated unknown_retired = Rotation(next, "ed25519:0000", 1);
  EXPECT_EQ(Reason(Apply(root_, unknown_retired)), events::reason::kInvalidPayload);
  v1::KeyRotated rsa_only = Rotation(next, uni_.key_id(), 1);
  rsa_only.mutable_new_key()->clear_ed25519_public_key();
  rsa_only.mutable_new_key()->set_rsa_public_key_der("der");  // leaves no Ed25519 key
  EXPECT_EQ(Reason(Apply(root_, rsa_only)), events::reason::kInvalidPayload);

  crypto::SigningKey other = crypto::SigningKey::Generate();
  v1::MemberAdmitted admitted;
  admitted.set_institution_id("school");
  *admitted.add_keys() = RegisteredKey(other.public_key());
  ASSERT_TRUE(Apply(root_, admitted).ok());
  events::EnvelopeSigner school("school", "node", other);
  EXPECT_EQ(Reason(Apply(school, Rotation(next, "", 1))), events::reason::kNotOwner);
  EXPECT_EQ(registry_.Find("uni")->admitted().keys_size(), 1);
}

TEST_F(RegistryTest, OnlyTheRootSuspends) {
  EXPECT_EQ(Reason(Apply(uni_, Suspension(1))), events::reason::kUntrustedRoot);
  EXPECT_FALSE(registry_.Find("uni")->suspended());
}

TEST_F(RegistryTest, AnotherTrustedRootCannotChangeAMemberItDidNotAdmit) {
  crypto::SigningKey intruder = crypto::SigningKey::Generate();
  v1::MemberSuspended suspended = Suspension(1);
  EXPECT_EQ(Reason(Apply(other_root_, suspended)), events::reason::kNotOwner);
  EXPECT_EQ(Reason(Apply(other_root_, Rotation(intruder, uni_.key_id(), 1))),
            events::reason::kNotOwner);
  absl::Status readmitted = Apply(other_root_, Admission({&intruder}, 1));
  EXPECT_EQ(Reason(readmitted), events::reason::kNotOwner);
  EXPECT_NE(readmitted.message().find("governed by eco"), std::string::npos) << readmitted;

  const v1::Member& uni = *registry_.Find("uni");
  EXPECT_FALSE(uni.suspended());
  EXPECT_EQ(uni.admitted().keys_size(), 1);
  EXPECT_EQ(uni.governing_root(), "eco");
  EXPECT_TRUE(EventAt(uni_, 5).ok());

  // Each root governs its own members.
  v1::MemberAdmitted school;
  school.set_institution_id("school");
  *school.add_keys() = RegisteredKey(intruder.public_key());
  ASSERT_TRUE(Apply(other_root_, school).ok());
  suspended.set_institution_id("school");
  EXPECT_EQ(Reason(Apply(root_, suspended)), events::reason::kNotOwner);
  EXPECT_TRUE(Apply(other_root_, suspended).ok());
}

TEST_F(RegistryTest, ARootHandsAMemberOverByReAdmittingIt) {
  v1::MemberAdmitted handed_over = Admission({&key_}, 1);
  handed_over.set_governing_root("eco2");
  ASSERT_TRUE(Apply(root_, handed_over).ok());
  EXPECT_EQ(registry_.Find("uni")->governing_root(), "eco2");
  EXPECT_EQ(Reason(Apply(root_, Suspension(2))), events::reason::kNotOwner);
  EXPECT_TRUE(Apply(other_root_, Suspension(2)).ok());
}

TEST_F(RegistryTest, ReAdmissionWithAnotherKeyListRetiresTheKeysItLeavesOutFromItsCut) {
  crypto::SigningKey next = crypto::SigningKey::Generate();
  events::EnvelopeSigner uni_next("uni", "node", next);
  v1::MemberAdmitted readmission = Admission({&next}, /*cut=*/5);
  readmission.set_legal_name("Université de Mons-Hainaut");
  ASSERT_TRUE(Apply(root_, readmission).ok());

  EXPECT_TRUE(EventAt(uni_, 4).ok());  // signed before the re-admission's cut: stays valid
  EXPECT_EQ(Reason(EventAt(uni_, 5)), events::reason::kRetiredKey);
  EXPECT_TRUE(EventAt(uni_next, 5).ok());
  // The old key stays registered: credentials it signed still verify.
  EXPECT_EQ(registry_.PublicKey("uni", uni_.key_id()), key_.public_key());
  const v1::Member& uni = *registry_.Find("uni");
  EXPECT_EQ(uni.admitted().legal_name(), "Université de Mons-Hainaut");
  EXPECT_EQ(uni.admitted().keys_size(), 2);
  ASSERT_EQ(uni.history_size(), 1);
  EXPECT_EQ(uni.history(0).readmitted().retired_key_ids(0), uni_.key_id());
  // The new name too applies from the cut: an event before it went by the earlier name.
  EXPECT_EQ(LegalNameAt(uni, IssuanceAt(4)), "");
  EXPECT_EQ(LegalNameAt(uni, IssuanceAt(5)), "Université de Mons-Hainaut");

  // A node that rebuilds its registry from the topic later reaches the same member, and so
  // the same decisions, whatever it read of the domain topics before.
  Registry rebuilt = Rebuilt();
  ASSERT_NE(rebuilt.Find("uni"), nullptr);
  EXPECT_EQ(rebuilt.Find("uni")->SerializeAsString(), uni.SerializeAsString());
  auto env = events::ParseEnvelope(uni_.Seal(v1::MemberAdmitted(), {.partition_key = "k"}));
  ASSERT_TRUE(env.ok());
  EXPECT_TRUE(rebuilt.CheckSignedBy(*env, IssuanceAt(4)).ok());
  EXPECT_EQ(Reason(rebuilt.CheckSignedBy(*env, IssuanceAt(5))), events::reason::kRetiredKey);
}

TEST_F(RegistryTest, ReAdmissionsThatWouldDropOrSwapKeysAreRefused) {
  crypto::SigningKey next = crypto::SigningKey::Generate();
  // Leaving a key out without a cut would retire it everywhere in the log.
  EXPECT_EQ(Reason(Apply(root_, Admission({&next}, std::nullopt))),
            events::reason::kInvalidPayload);
  // Another key under a registered key id.
  v1::MemberAdmitted swapped = Admission({&key_}, 1);
  swapped.mutable_keys(0)->set_ed25519_public_key(next.public_key());
  EXPECT_EQ(Reason(Apply(root_, swapped)), events::reason::kInvalidPayload);
  // Only RSA keys left: nothing could sign the member's events.
  v1::MemberAdmitted rsa_only = Admission({}, 1);
  v1::PublicKey* rsa = rsa_only.add_keys();
  rsa->set_key_id("rsa:1");
  rsa->set_rsa_public_key_der("der");
  EXPECT_EQ(Reason(Apply(root_, rsa_only)), events::reason::kInvalidPayload);
  EXPECT_EQ(registry_.Find("uni")->admitted().keys_size(), 1);
  EXPECT_TRUE(EventAt(uni_, 9).ok());

  // The same keys (no cut needed) with new facts: only the facts change.
  v1::MemberAdmitted renamed = Admission({&key_}, std::nullopt);
  renamed.set_public_url("https://credentials.umons.example");
  ASSERT_TRUE(Apply(root_, renamed).ok());
  EXPECT_EQ(registry_.Find("uni")->admitted().public_url(), "https://credentials.umons.example");
  EXPECT_TRUE(EventAt(uni_, 9).ok());

  // A retired key is not registered again.
  ASSERT_TRUE(Apply(root_, Admission({&next}, 10)).ok());
  EXPECT_EQ(Reason(Apply(root_, Admission({&next, &key_}, 11))), events::reason::kInvalidPayload);
}

TEST_F(RegistryTest, AP256KeyIsAdmittedReAdmittedAndRotatedLikeAnRsaKey) {
  auto ec = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(ec.ok());
  const v1::PublicKey p256 = RegisteredP256Key(ec->PublicKeyDer());
  v1::MemberAdmitted school;
  school.set_institution_id("school");
  *school.add_keys() = RegisteredKey(key_.public_key());
  *school.add_keys() = p256;
  ASSERT_TRUE(Apply(root_, school).ok());
  EXPECT_EQ(registry_.Find("school")->admitted().keys(1).ec_p256_public_key_der(),
            ec->PublicKeyDer());
  // It signs credentials only: it is no key for events.
  EXPECT_EQ(registry_.PublicKey("school", p256.key_id()), std::nullopt);

  // A re-admission registers it beside the Ed25519 key, retiring nothing.
  v1::MemberAdmitted again = Admission({&key_}, std::nullopt);
  *again.add_keys() = p256;
  ASSERT_TRUE(Apply(root_, again).ok());
  EXPECT_EQ(registry_.Find("uni")->admitted().keys_size(), 2);
  EXPECT_FALSE(KeyEverRetired(*registry_.Find("uni"), p256.key_id()));
  // Another P-256 key under that key id is refused.
  auto other = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  v1::MemberAdmitted swapped = again;
  swapped.mutable_keys(1)->set_ec_p256_public_key_der(other->PublicKeyDer());
  EXPECT_EQ(Reason(Apply(root_, swapped)), events::reason::kInvalidPayload);

  // Rotated by the institution itself: the old P-256 key is retired and stays registered.
  v1::KeyRotated rotation;
  rotation.set_institution_id("uni");
  *rotation.mutable_new_key() = RegisteredP256Key(other->PublicKeyDer());
  rotation.set_retired_key_id(p256.key_id());
  *rotation.mutable_cut() = CutAt(3);
  ASSERT_TRUE(Apply(uni_, rotation).ok());
  const v1::Member& uni = *registry_.Find("uni");
  EXPECT_EQ(uni.admitted().keys_size(), 3);
  EXPECT_TRUE(KeyEverRetired(uni, p256.key_id()));
  EXPECT_EQ(uni.admitted().keys(1).ec_p256_public_key_der(), ec->PublicKeyDer());
  EXPECT_TRUE(EventAt(uni_, 9).ok());  // the Ed25519 key still signs events
}

TEST_F(RegistryTest, MalformedP256KeysAreRefused) {
  auto ec = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(ec.ok());
  v1::MemberAdmitted admitted = Admission({&key_}, std::nullopt);
  v1::PublicKey* bad = admitted.add_keys();
  *bad = RegisteredP256Key(ec->PublicKeyDer());
  bad->set_ec_p256_public_key_der("not a key");
  EXPECT_EQ(Reason(Apply(root_, admitted)), events::reason::kInvalidPayload);
  v1::KeyRotated rotation;
  rotation.set_institution_id("uni");
  *rotation.mutable_new_key() = RegisteredP256Key(ec->PublicKeyDer());
  rotation.mutable_new_key()->set_key_id("ec:made-up");
  absl::Status refused = Apply(root_, rotation);
  EXPECT_EQ(Reason(refused), events::reason::kInvalidPayload);
  EXPECT_NE(refused.message().find("KeyRotated.new_key"), std::string::npos) << refused;
  EXPECT_EQ(registry_.Find("uni")->admitted().keys_size(), 1);
}

// ---- the ecosystem's definition ----

// The rules of the built-in profile `name`, renamed so that a test can tell them from it.
common::v1::PolicyRules RulesLike(const std::string& name, const std::string& renamed) {
  common::v1::PolicyRules rules = domain::PolicyProfile::Named(name)->ToRules();
  rules.set_name(renamed);
  return rules;
}

v1::EcosystemDefined Definition(const std::string& ecosystem_id, common::v1::PolicyRules rules,
                                std::optional<int64_t> cut) {
  v1::EcosystemDefined defined;
  defined.set_ecosystem_id(ecosystem_id);
  defined.set_display_name("Écosystème de test");
  *defined.mutable_rules() = std::move(rules);
  defined.mutable_log()->add_bootstrap_servers("kafka.eco.example:9093");
  defined.mutable_log()->set_security_protocol("SSL");
  if (cut) *defined.mutable_cut() = CutAt(*cut);
  defined.set_at_ms(1700000000000);
  return defined;
}

TEST_F(RegistryTest, BeforeAnyDefinitionTheRecommendationAloneApplies) {
  EXPECT_EQ(registry_.ecosystem_id(), "eco");  // the first anchor's
  EXPECT_EQ(registry_.ecosystem(), nullptr);
  EXPECT_EQ(registry_.ProfileAt(IssuanceAt(0)).name(), "eu");
  EXPECT_EQ(registry_.CurrentProfile().name(), "eu");
}

TEST_F(RegistryTest, ADefinitionAppliesItsRulesFromItsCut) {
  ASSERT_TRUE(Apply(root_, Definition("eco", RulesLike("fwb", "eco-rules"), /*cut=*/10)).ok());
  const v1::Ecosystem* ecosystem = registry_.ecosystem();
  ASSERT_NE(ecosystem, nullptr);
  EXPECT_EQ(ecosystem->ecosystem_id(), "eco");
  EXPECT_EQ(ecosystem->display_name(), "Écosystème de test");
  EXPECT_EQ(ecosystem->log().bootstrap_servers(0), "kafka.eco.example:9093");
  ASSERT_EQ(ecosystem->versions_size(), 1);
  EXPECT_EQ(ecosystem->versions(0).at_ms(), 1700000000000);

  EXPECT_EQ(registry_.ProfileAt(IssuanceAt(9)).name(), "eu");  // before the cut
  const domain::PolicyProfile& at_cut = registry_.ProfileAt(IssuanceAt(10));
  EXPECT_EQ(at_cut.name(), "eco-rules");
  EXPECT_FALSE(at_cut.MayIssue(common::v1::PROVIDER_TYPE_VET));
  EXPECT_EQ(at_cut.FindProtectedTitle("Master en data"), "master");
  EXPECT_EQ(registry_.ProfileAt({kIssuance, 3, 0}).name(), "eco-rules");  // a later partition
  EXPECT_EQ(registry_.CurrentProfile().name(), "eco-rules");
  // The member changes go on as before.
  EXPECT_TRUE(Apply(root_, Suspension(/*cut=*/12)).ok());
}

TEST_F(RegistryTest, AFirstDefinitionWithoutACutAppliesFromTheBeginning) {
  ASSERT_TRUE(Apply(root_, Definition("eco", RulesLike("fwb", "eco-rules"), std::nullopt)).ok());
  EXPECT_EQ(registry_.ProfileAt(IssuanceAt(0)).name(), "eco-rules");
  EXPECT_EQ(registry_.ProfileAt({topics::kCatalogue, 0, 0}).name(), "eco-rules");
}

TEST_F(RegistryTest, ARedefinitionChangesTheRulesFromItsOwnCutAndKeepsTheHistory) {
  ASSERT_TRUE(Apply(root_, Definition("eco", RulesLike("fwb", "strict"), /*cut=*/10)).ok());
  const domain::PolicyProfile* strict = &registry_.ProfileAt(IssuanceAt(15));
  v1::EcosystemDefined redefined = Definition("eco", RulesLike("eu", "open"), /*cut=*/20);
  redefined.set_display_name("Eco, renamed");
  redefined.mutable_log()->clear_bootstrap_servers();
  ASSERT_TRUE(Apply(root_, redefined).ok());

  EXPECT_EQ(registry_.ProfileAt(IssuanceAt(5)).name(), "eu");
  EXPECT_EQ(registry_.ProfileAt(IssuanceAt(15)).name(), "strict");
  EXPECT_EQ(registry_.ProfileAt(IssuanceAt(20)).name(), "open");
  EXPECT_TRUE(registry_.ProfileAt(IssuanceAt(20)).MayIssue(common::v1::PROVIDER_TYPE_VET));
  EXPECT_EQ(registry_.CurrentProfile().name(), "open");
  // A reference handed out before the redefinition still holds the rules it held.
  EXPECT_EQ(&registry_.ProfileAt(IssuanceAt(15)), strict);
  EXPECT_EQ(strict->name(), "strict");

  const v1::Ecosystem* ecosystem = registry_.ecosystem();
  ASSERT_NE(ecosystem, nullptr);
  EXPECT_EQ(ecosystem->display_name(), "Eco, renamed");     // the latest definition's
  EXPECT_EQ(ecosystem->log().bootstrap_servers_size(), 0);  // the latest definition's
  ASSERT_EQ(ecosystem->versions_size(), 2);
  EXPECT_EQ(ecosystem->versions(0).rules().name(), "strict");
  EXPECT_EQ(ecosystem->versions(1).rules().name(), "open");
}

TEST_F(RegistryTest, ARedefinitionWithoutACutIsRefused) {
  ASSERT_TRUE(Apply(root_, Definition("eco", RulesLike("fwb", "strict"), std::nullopt)).ok());
  absl::Status refused = Apply(root_, Definition("eco", RulesLike("eu", "open"), std::nullopt));
  EXPECT_EQ(Reason(refused), events::reason::kInvalidPayload);
  EXPECT_TRUE(absl::StrContains(refused.message(), "EcosystemDefined.cut")) << refused;
  EXPECT_EQ(registry_.ecosystem()->versions_size(), 1);
  EXPECT_EQ(registry_.CurrentProfile().name(), "strict");
}

TEST_F(RegistryTest, OnlyTheEcosystemsOwnRootDefinesIt) {
  // Another trusted root defining this ecosystem.
  absl::Status other_root = Apply(other_root_, Definition("eco", RulesLike("eu", "x"), 0));
  EXPECT_EQ(Reason(other_root), events::reason::kNotOwner) << other_root;
  // Definitions of another ecosystem, by its root or by this one: copies in the wrong log.
  absl::Status elsewhere = Apply(other_root_, Definition("eco2", RulesLike("eu", "x"), 0));
  EXPECT_EQ(Reason(elsewhere), events::reason::kWrongEcosystem) << elsewhere;
  absl::Status misnamed = Apply(root_, Definition("eco2", RulesLike("eu", "x"), 0));
  EXPECT_EQ(Reason(misnamed), events::reason::kWrongEcosystem) << misnamed;
  EXPECT_TRUE(absl::StrContains(misnamed.message(), "EcosystemDefined.ecosystem_id")) << misnamed;
  EXPECT_EQ(Reason(Apply(root_, Definition("", RulesLike("eu", "x"), 0))),
            events::reason::kWrongEcosystem);
  // A member, an impostor with another key, a root nobody trusts.
  EXPECT_EQ(Reason(Apply(uni_, Definition("eco", RulesLike("eu", "x"), 0))),
            events::reason::kUntrustedRoot);
  crypto::SigningKey stranger_key = crypto::SigningKey::Generate();
  events::EnvelopeSigner impostor("eco", "secretariat", stranger_key);
  EXPECT_EQ(Reason(Apply(impostor, Definition("eco", RulesLike("eu", "x"), 0))),
            events::reason::kBadSignature);
  events::EnvelopeSigner stranger("eco3", "secretariat", stranger_key);
  EXPECT_EQ(Reason(Apply(stranger, Definition("eco", RulesLike("eu", "x"), 0))),
            events::reason::kUntrustedRoot);
  EXPECT_EQ(registry_.ecosystem(), nullptr);
  EXPECT_EQ(registry_.CurrentProfile().name(), "eu");
}

TEST_F(RegistryTest, ARegistryForAnotherOfItsAnchorsFollowsThatRoot) {
  Registry eco2(anchors_, "eco2");
  EXPECT_EQ(eco2.ecosystem_id(), "eco2");
  registry_log_.push_back(other_root_.Seal(
      Definition("eco2", RulesLike("fwb", "eco2-rules"), std::nullopt), {.partition_key = "eco"}));
  ASSERT_TRUE(ApplyRecord(eco2, registry_log_.size() - 1).ok());
  EXPECT_EQ(eco2.CurrentProfile().name(), "eco2-rules");
  registry_log_.push_back(
      root_.Seal(Definition("eco2", RulesLike("eu", "x"), 0), {.partition_key = "eco"}));
  EXPECT_EQ(Reason(ApplyRecord(eco2, registry_log_.size() - 1)), events::reason::kNotOwner);
}

TEST_F(RegistryTest, RulesThatDoNotValidateAreRefusedNamingTheField) {
  common::v1::PolicyRules rules = RulesLike("fwb", "bad");
  rules.set_protected_titles(2, "");
  absl::Status refused = Apply(root_, Definition("eco", rules, 0));
  EXPECT_EQ(Reason(refused), events::reason::kInvalidPayload);
  EXPECT_TRUE(absl::StrContains(refused.message(), "EcosystemDefined.rules.protected_titles[2]: "))
      << refused;
  common::v1::PolicyRules no_issuer = RulesLike("eu", "bad");
  no_issuer.clear_issuer_provider_types();
  refused = Apply(root_, Definition("eco", no_issuer, 0));
  EXPECT_TRUE(absl::StrContains(refused.message(), "EcosystemDefined.rules.issuer_provider_types"))
      << refused;
  EXPECT_EQ(registry_.ecosystem(), nullptr);
}

TEST_F(RegistryTest, CheckRegistryEventKeepsToMembers) {
  registry_log_.push_back(
      root_.Seal(Definition("eco", RulesLike("eu", "x"), 0), {.partition_key = "eco"}));
  auto env = events::ParseEnvelope(registry_log_.back());
  ASSERT_TRUE(env.ok());
  auto member = registry_.CheckRegistryEvent(*env, {topics::kRegistry, 0, 1});
  EXPECT_EQ(Reason(member.status()), events::reason::kUnknownEventType);
  EXPECT_TRUE(absl::StrContains(member.status().message(), "CheckRegistryChange"));
  auto suspension = events::ParseEnvelope(root_.Seal(Suspension(3), {.partition_key = "eco"}));
  ASSERT_TRUE(suspension.ok());
  auto suspended = registry_.CheckRegistryEvent(*suspension, {topics::kRegistry, 0, 2});
  ASSERT_TRUE(suspended.ok()) << suspended.status();
  EXPECT_TRUE(suspended->suspended());
}

TEST_F(RegistryTest, TheEcosystemRestoredOrReplayedDecidesAlike) {
  ASSERT_TRUE(Apply(root_, Definition("eco", RulesLike("fwb", "strict"), 10)).ok());
  ASSERT_TRUE(Apply(root_, Definition("eco", RulesLike("eu", "open"), 20)).ok());
  // As a projector saves it and a restarted node loads it.
  v1::Ecosystem saved;
  ASSERT_TRUE(saved.ParseFromString(registry_.ecosystem()->SerializeAsString()));
  Registry restored(anchors_);
  restored.RestoreEcosystem(saved);
  Registry replayed = Rebuilt();
  for (const Registry* registry : {&restored, &replayed}) {
    ASSERT_NE(registry->ecosystem(), nullptr);
    EXPECT_EQ(registry->ecosystem()->SerializeAsString(), saved.SerializeAsString());
    EXPECT_EQ(registry->ProfileAt(IssuanceAt(9)).name(), "eu");
    EXPECT_EQ(registry->ProfileAt(IssuanceAt(10)).name(), "strict");
    EXPECT_EQ(registry->ProfileAt(IssuanceAt(20)).name(), "open");
    EXPECT_EQ(registry->CurrentProfile().name(), "open");
  }
  // Restoring it again over itself keeps the profiles handed out.
  const domain::PolicyProfile* strict = &restored.ProfileAt(IssuanceAt(10));
  restored.RestoreEcosystem(saved);
  EXPECT_EQ(&restored.ProfileAt(IssuanceAt(10)), strict);
}

TEST_F(RegistryTest, AStoredVersionThisBuildRefusesAppliesTheRecommendation) {
  v1::Ecosystem stored;
  stored.set_ecosystem_id("eco");
  v1::EcosystemVersion* version = stored.add_versions();
  *version->mutable_rules() = RulesLike("fwb", "fine");
  version = stored.add_versions();
  *version->mutable_rules() = RulesLike("fwb", "Not A Name");
  *version->mutable_cut() = CutAt(10);
  registry_.RestoreEcosystem(stored);
  EXPECT_EQ(registry_.ProfileAt(IssuanceAt(9)).name(), "fine");
  EXPECT_EQ(registry_.ProfileAt(IssuanceAt(10)).name(), "eu");
}
}  // namespace
}  // namespace microcred::registry
