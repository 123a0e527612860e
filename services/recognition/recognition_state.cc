#include "services/recognition/recognition_state.h"

#include "libs/ports/stored_message.h"

namespace microcred::recognition {
namespace {

std::string Key(std::string_view kind, std::string_view rest) {
  return RecordKey(kStatePrefix, kind, rest);
}

}  // namespace

std::string RecognitionState::RequestKey(const std::string& request_id) {
  return Key("request", request_id);
}
std::string RecognitionState::PolicyKey(const std::string& policy_id) {
  return Key("policy", policy_id);
}
std::string RecognitionState::DecidedKey(const std::string& request_id) {
  return Key("decided", request_id);
}

absl::StatusOr<std::optional<v1::RequestRecord>> RecognitionState::Request(
    const std::string& request_id) const {
  return ReadMessage<v1::RequestRecord>(store_, RequestKey(request_id));
}

absl::StatusOr<std::vector<v1::RequestRecord>> RecognitionState::AllRequests() const {
  return ReadAllMessages<v1::RequestRecord>(store_, Key("request", ""));
}

absl::StatusOr<std::optional<v1::RecognitionPolicy>> RecognitionState::Policy(
    const std::string& policy_id) const {
  return ReadMessage<v1::RecognitionPolicy>(store_, PolicyKey(policy_id));
}

absl::StatusOr<std::vector<v1::RecognitionPolicy>> RecognitionState::PoliciesOf(
    const std::string& institution) const {
  return ReadAllMessages<v1::RecognitionPolicy>(store_, PolicyKey(institution + "/"));
}

absl::StatusOr<std::optional<v1::RecognitionDecided>> RecognitionState::Decided(
    const std::string& request_id) const {
  return ReadMessage<v1::RecognitionDecided>(store_, DecidedKey(request_id));
}

absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionState::DecisionsUnder(
    const std::string& prefix) const {
  return ReadAllMessages<v1::RecognitionDecided>(store_, prefix);
}

absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionState::DecisionsForCredentialTag(
    const std::string& credential_tag) const {
  return DecisionsUnder(Key("by-tag", credential_tag + "/"));
}

absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionState::DecisionsForCredentialId(
    const std::string& credential_id) const {
  return DecisionsUnder(Key("by-credential", credential_id + "/"));
}

absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionState::DecisionsForLearner(
    const std::string& pseudonym) const {
  return DecisionsUnder(Key("by-learner", pseudonym + "/"));
}

void RecognitionState::PutRequest(const v1::RequestRecord& record, WriteBatch& writes) {
  writes.Put(RequestKey(record.request().request_id()), record.SerializeAsString());
}

void RecognitionState::PutPolicy(const v1::RecognitionPolicy& policy, WriteBatch& writes) {
  writes.Put(PolicyKey(policy.policy_id()), policy.SerializeAsString());
}

void RecognitionState::PutDecided(const v1::RecognitionDecided& decided,
                                  const std::vector<std::string>& legacy_credential_ids,
                                  WriteBatch& writes) {
  const std::string bytes = decided.SerializeAsString();
  writes.Put(DecidedKey(decided.request_id()), bytes);
  for (const std::string& tag : decided.credential_tags()) {
    if (!tag.empty()) writes.Put(Key("by-tag", tag + "/" + decided.request_id()), bytes);
  }
  for (const std::string& credential_id : legacy_credential_ids) {
    writes.Put(Key("by-credential", credential_id + "/" + decided.request_id()), bytes);
  }
  if (!decided.learner_pseudonym().empty()) {
    writes.Put(Key("by-learner", decided.learner_pseudonym() + "/" + decided.request_id()), bytes);
  }
}

}  // namespace microcred::recognition
