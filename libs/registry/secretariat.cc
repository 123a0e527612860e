#include "libs/registry/secretariat.h"

#include "libs/base/clock.h"
#include "libs/domain/policy_profile.h"
#include "libs/events/topics.h"

namespace microcred::registry {

v1::PublicKey RegisteredKey(const std::string& ed25519_public_key) {
  v1::PublicKey key;
  key.set_key_id(crypto::KeyFingerprint(ed25519_public_key));
  key.set_ed25519_public_key(ed25519_public_key);
  return key;
}

namespace {

absl::StatusOr<AppendResult> AppendChange(EventLog& log, const events::EnvelopeSigner& signer,
                                          const std::string& institution_id,
                                          const google::protobuf::Message& change) {
  std::string sealed = signer.Seal(change, {.partition_key = institution_id});
  return log.Append({topics::kRegistry, institution_id, std::move(sealed)});
}

absl::StatusOr<v1::KeyRotated> Rotation(EventLog& log, const std::string& institution_id,
                                        const v1::PublicKey& new_key,
                                        const std::string& retired_key_id) {
  auto cut = CurrentCut(log);
  if (!cut.ok()) return cut.status();
  v1::KeyRotated rotation;
  rotation.set_institution_id(institution_id);
  *rotation.mutable_new_key() = new_key;
  rotation.set_retired_key_id(retired_key_id);
  rotation.set_at_ms(Clock().NowMs());
  *rotation.mutable_cut() = *std::move(cut);
  return rotation;
}

}  // namespace

absl::StatusOr<v1::LogCut> CurrentCut(EventLog& log) {
  v1::LogCut cut;
  for (const char* topic :
       {topics::kCatalogue, topics::kIssuance, topics::kRecognition, topics::kStacking}) {
    auto ends = log.EndPositions(topic);
    if (!ends.ok()) return ends.status();
    for (const auto& [tp, end] : *ends) {
      v1::LogPosition* position = cut.add_positions();
      position->set_topic(tp.topic);
      position->set_partition(tp.partition);
      position->set_offset(end);
    }
  }
  return cut;
}

absl::StatusOr<AppendResult> RotateOwnKey(EventLog& log, const events::EnvelopeSigner& institution,
                                          const v1::PublicKey& new_key,
                                          const std::string& retired_key_id) {
  auto rotation = Rotation(log, institution.institution_id(), new_key, retired_key_id);
  if (!rotation.ok()) return rotation.status();
  return AppendChange(log, institution, institution.institution_id(), *rotation);
}

Secretariat::Secretariat(std::string ecosystem_id, crypto::SigningKey root_key)
    : root_(ecosystem_id, "secretariat", std::move(root_key), ecosystem_id) {}

TrustAnchor Secretariat::anchor() const { return {root_.institution_id(), root_.public_key()}; }

absl::StatusOr<AppendResult> Secretariat::Admit(EventLog& log,
                                                const v1::MemberAdmitted& member) const {
  auto cut = CurrentCut(log);
  if (!cut.ok()) return cut.status();
  v1::MemberAdmitted admitted = member;
  *admitted.mutable_cut() = *std::move(cut);
  return AppendChange(log, root_, member.institution_id(), admitted);
}

absl::StatusOr<AppendResult> Secretariat::Suspend(EventLog& log, const std::string& institution_id,
                                                  const std::string& reason) const {
  auto cut = CurrentCut(log);
  if (!cut.ok()) return cut.status();
  v1::MemberSuspended suspended;
  suspended.set_institution_id(institution_id);
  suspended.set_reason(reason);
  suspended.set_at_ms(Clock().NowMs());
  *suspended.mutable_cut() = *std::move(cut);
  return AppendChange(log, root_, institution_id, suspended);
}

absl::StatusOr<AppendResult> Secretariat::Reinstate(EventLog& log,
                                                    const std::string& institution_id,
                                                    const std::string& reason) const {
  auto cut = CurrentCut(log);
  if (!cut.ok()) return cut.status();
  v1::MemberReinstated reinstated;
  reinstated.set_institution_id(institution_id);
  reinstated.set_reason(reason);
  reinstated.set_at_ms(Clock().NowMs());
  *reinstated.mutable_cut() = *std::move(cut);
  return AppendChange(log, root_, institution_id, reinstated);
}

absl::StatusOr<AppendResult> Secretariat::RotateKey(EventLog& log,
                                                    const std::string& institution_id,
                                                    const v1::PublicKey& new_key,
                                                    const std::string& retired_key_id) const {
  auto rotation = Rotation(log, institution_id, new_key, retired_key_id);
  if (!rotation.ok()) return rotation.status();
  return AppendChange(log, root_, institution_id, *rotation);
}

absl::StatusOr<AppendResult> Secretariat::Define(EventLog& log, const std::string& display_name,
                                                 const common::v1::PolicyRules& rules,
                                                 const v1::EcosystemLog& where) const {
  if (auto profile = domain::PolicyProfile::FromRules(rules); !profile.ok()) {
    return profile.status();
  }
  auto cut = CurrentCut(log);
  if (!cut.ok()) return cut.status();
  v1::EcosystemDefined defined;
  defined.set_ecosystem_id(root_.institution_id());
  defined.set_display_name(display_name);
  *defined.mutable_rules() = rules;
  *defined.mutable_log() = where;
  *defined.mutable_cut() = *std::move(cut);
  defined.set_at_ms(Clock().NowMs());
  return AppendChange(log, root_, root_.institution_id(), defined);
}

}  // namespace microcred::registry
