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
std::string RecognitionState::CommandKey(const std::string& institution,
                                         const std::string& client_id) {
  return Key("command", institution + "/" + client_id);
}
std::string RecognitionState::PolicyKey(const std::string& policy_id) {
  return Key("policy", policy_id);
}
std::string RecognitionState::DecidedKey(const std::string& request_id) {
  return Key("decided", request_id);
}
std::string RecognitionState::OutboxKey(const std::string& event_id) {
  return Key("outbox", event_id);
}

absl::StatusOr<std::optional<v1::RequestRecord>> RecognitionState::Request(
    const std::string& request_id) const {
  return ReadMessage<v1::RequestRecord>(store_, RequestKey(request_id));
}

absl::StatusOr<std::vector<v1::RequestRecord>> RecognitionState::AllRequests() const {
  return ReadAllMessages<v1::RequestRecord>(store_, Key("request", ""));
}

absl::StatusOr<std::optional<v1::CommandRecord>> RecognitionState::Command(
    const std::string& institution, const std::string& client_id) const {
  return ReadMessage<v1::CommandRecord>(store_, CommandKey(institution, client_id));
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

absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionState::DecisionsForCredential(
    const std::string& credential_id) const {
  return DecisionsUnder(Key("by-credential", credential_id + "/"));
}

absl::StatusOr<std::vector<v1::RecognitionDecided>> RecognitionState::DecisionsForLearner(
    const std::string& pseudonym) const {
  return DecisionsUnder(Key("by-learner", pseudonym + "/"));
}

absl::StatusOr<std::vector<std::pair<std::string, v1::OutboxEntry>>> RecognitionState::Outbox()
    const {
  const std::string prefix = Key("outbox", "");
  auto rows = store_.ScanPrefix(prefix);
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<std::string, v1::OutboxEntry>> entries;
  for (const auto& [key, bytes] : *rows) {
    v1::OutboxEntry entry;
    if (!entry.ParseFromString(bytes)) return absl::DataLossError("unreadable record " + key);
    entries.emplace_back(key.substr(prefix.size()), std::move(entry));
  }
  return entries;
}

void RecognitionState::PutRequest(const v1::RequestRecord& record, WriteBatch& writes) {
  writes.Put(RequestKey(record.request().request_id()), record.SerializeAsString());
}

void RecognitionState::PutCommand(const std::string& institution, const std::string& client_id,
                                  const v1::CommandRecord& record, WriteBatch& writes) {
  writes.Put(CommandKey(institution, client_id), record.SerializeAsString());
}

void RecognitionState::PutPolicy(const v1::RecognitionPolicy& policy, WriteBatch& writes) {
  writes.Put(PolicyKey(policy.policy_id()), policy.SerializeAsString());
}

void RecognitionState::PutDecided(const v1::RecognitionDecided& decided, WriteBatch& writes) {
  const std::string bytes = decided.SerializeAsString();
  writes.Put(DecidedKey(decided.request_id()), bytes);
  for (const std::string& credential_id : decided.credential_ids()) {
    writes.Put(Key("by-credential", credential_id + "/" + decided.request_id()), bytes);
  }
  if (!decided.learner_pseudonym().empty()) {
    writes.Put(Key("by-learner", decided.learner_pseudonym() + "/" + decided.request_id()), bytes);
  }
}

void RecognitionState::PutOutbox(const std::string& event_id, const v1::OutboxEntry& entry,
                                 WriteBatch& writes) {
  writes.Put(OutboxKey(event_id), entry.SerializeAsString());
}

}  // namespace microcred::recognition
