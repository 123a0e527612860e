#include "services/issuance/issuance_state.h"

#include "libs/ports/stored_message.h"

namespace microcred::issuance {
namespace {

std::string Key(std::string_view kind, std::string_view rest) {
  return RecordKey(kStatePrefix, kind, rest);
}

}  // namespace

void IssuanceState::Complete(v1::KnownCredential& known) const {
  if (known.ecosystem_id().empty()) known.set_ecosystem_id(home_ecosystem_);
}

absl::StatusOr<std::optional<v1::KnownCredential>> IssuanceState::Known(
    const std::string& credential_id) const {
  auto known = ReadMessage<v1::KnownCredential>(store_, KnownKey(credential_id));
  if (known.ok() && known->has_value()) Complete(**known);
  return known;
}

absl::StatusOr<std::optional<v1::IssuedRecord>> IssuanceState::Issued(
    const std::string& credential_id) const {
  return ReadMessage<v1::IssuedRecord>(store_, IssuedKey(credential_id));
}

absl::StatusOr<std::vector<std::string>> IssuanceState::CredentialsOfLearner(
    const std::string& pseudonym) const {
  const std::string prefix = Key("learner", pseudonym + "/");
  auto rows = store_.ScanPrefix(prefix);
  if (!rows.ok()) return rows.status();
  std::vector<std::string> ids;
  for (const auto& [key, value] : *rows) ids.push_back(key.substr(prefix.size()));
  return ids;
}

absl::StatusOr<std::set<int32_t>> IssuanceState::UsedStatusIndexes() const {
  const std::string prefix = Key("status-index", "");
  auto rows = store_.ScanPrefix(prefix);
  if (!rows.ok()) return rows.status();
  std::set<int32_t> used;
  for (const auto& [key, value] : *rows) used.insert(std::stoi(key.substr(prefix.size())));
  return used;
}

absl::StatusOr<std::vector<v1::KnownCredential>> IssuanceState::AllKnown() const {
  auto rows = store_.ScanPrefix(Key("known", ""));
  if (!rows.ok()) return rows.status();
  std::vector<v1::KnownCredential> all;
  for (const auto& [key, bytes] : *rows) {
    v1::KnownCredential known;
    if (!known.ParseFromString(bytes)) return absl::DataLossError("unreadable record " + key);
    Complete(known);
    all.push_back(std::move(known));
  }
  return all;
}

std::string IssuanceState::KnownKey(const std::string& credential_id) {
  return Key("known", credential_id);
}

void IssuanceState::PutKnown(const v1::KnownCredential& known, WriteBatch& writes) {
  writes.Put(KnownKey(known.credential_id()), known.SerializeAsString());
}

std::string IssuanceState::IssuedKey(const std::string& credential_id) {
  return Key("issued", credential_id);
}

void IssuanceState::PutIssued(const v1::IssuedRecord& record, WriteBatch& writes) {
  writes.Put(IssuedKey(record.credential_id()), record.SerializeAsString());
  writes.Put(Key("learner", record.learner_pseudonym() + "/" + record.credential_id()), "");
  writes.Put(Key("status-index", std::to_string(record.status_list_index())),
             record.credential_id());
}

}  // namespace microcred::issuance
