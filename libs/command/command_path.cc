#include "libs/command/command_path.h"

#include <algorithm>

#include "libs/base/strings.h"
#include "libs/crypto/crypto.h"
#include "libs/events/request_ids.h"

namespace microcred::command {
namespace {

using strings::Cat;

absl::Status RefusedByOwnProjection() {
  return absl::InternalError(
      "the event was written but this node's projection refused it; see the dead-letter topic");
}

// A body refused earlier under this event's source and id: a refusal is final, so the request
// id cannot be used again (its event id is spent).
absl::Status IdRefused() {
  return absl::FailedPreconditionError(
      "an earlier event of this request id was refused (see the dead-letter topic) and a refused "
      "event is final: send the command again with a new request id");
}

// Another body under this event's source and id got there first: a retry of the same request
// sealed again elsewhere, or a marker of the previous version. This body was dropped.
absl::Status Superseded() {
  return absl::AbortedError(
      "the event was written but another event with its id was applied or refused first, and "
      "this one was dropped as a duplicate; a retry with the same request id answers with what "
      "the first did");
}

SealedEvent SealWithId(const ServiceContext& context, const events::EnvelopeSigner& signer,
                       const std::string& topic, const std::string& partition_key,
                       const std::string& request_id, std::string event_id,
                       const google::protobuf::Message& event, int64_t occurred_at_ms) {
  std::string envelope = signer.Seal(
      event, {.partition_key = partition_key,
              .request_id = request_id,
              .event_id = event_id,
              .occurred_at_ms = occurred_at_ms != 0 ? occurred_at_ms : context.clock.NowMs()});
  return {.event_id = std::move(event_id),
          .append = {topic, partition_key, std::move(envelope)},
          .ecosystem_id = signer.ecosystem_id()};
}

}  // namespace

CommandPath::CommandPath(const ServiceContext& context, Projector& projector,
                         std::string request_id_field)
    : context_(context), projector_(projector), request_id_field_(std::move(request_id_field)) {}

absl::Status CommandPath::ValidateRequestId(std::string_view request_id) const {
  if (events::ValidateRequestId(request_id).ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      Cat(request_id_field_, ": required, 1 to 128 characters from [A-Za-z0-9._:-]"));
}

absl::StatusOr<RequestClaims::Claim> CommandPath::Claim(std::string_view request_id) {
  if (absl::Status s = ValidateRequestId(request_id); !s.ok()) return s;
  return claims_.TryClaim(std::string(request_id), request_id_field_);
}

absl::StatusOr<CommandScope> CommandPath::Begin(std::string_view request_id,
                                                std::string_view resource_id) {
  auto claim = Claim(request_id);
  if (!claim.ok()) return claim.status();
  return CommandScope{.claim = *std::move(claim), .lock = locks_.Lock(resource_id)};
}

std::string CommandPath::CommandKey(std::string_view request_id) const {
  return projector_.CommandKey(institution_id(), request_id);
}

absl::Status CommandPath::CheckKind(const std::string& request_id, const CommandRecord& record,
                                    std::string_view kind) const {
  if (record.kind() == kind) return absl::OkStatus();
  return absl::FailedPreconditionError(Cat(request_id_field_, ": ", request_id,
                                           " was already used for a ", record.kind(), " command"));
}

absl::StatusOr<std::optional<CommandRecord>> CommandPath::Replay(const std::string& request_id,
                                                                 std::string_view kind) {
  auto replayed = ReplayMany({request_id});
  if (!replayed.ok()) return replayed.status();
  std::optional<CommandRecord>& record = (*replayed)[0];
  if (record.has_value()) {
    if (absl::Status s = CheckKind(request_id, *record, kind); !s.ok()) return s;
  }
  return std::move(record);
}

absl::StatusOr<std::vector<std::optional<CommandRecord>>> CommandPath::ReplayMany(
    const std::vector<std::string>& request_ids) {
  std::vector<std::string> keys;
  keys.reserve(request_ids.size());
  for (const std::string& id : request_ids) keys.push_back(CommandKey(id));
  auto stored = context_.store.GetMany(keys);
  if (!stored.ok()) return stored.status();
  std::vector<std::optional<CommandRecord>> records(request_ids.size());
  std::vector<std::string> earlier_events;
  for (size_t i = 0; i < request_ids.size(); ++i) {
    if (!(*stored)[i].has_value()) continue;
    CommandRecord record;
    if (!record.ParseFromString(*(*stored)[i])) {
      return absl::DataLossError("unreadable record " + keys[i]);
    }
    earlier_events.push_back(events::EventIdForRequest(institution_id(), request_ids[i]));
    records[i] = std::move(record);
  }
  if (!earlier_events.empty()) {
    if (absl::Status s = SettlePending(earlier_events); !s.ok()) return s;
  }
  return records;
}

absl::Status CommandPath::SettlePending(const std::vector<std::string>& event_ids) {
  std::vector<std::string> keys;
  keys.reserve(event_ids.size());
  for (const std::string& id : event_ids) keys.push_back(projector_.OutboxKey(id));
  auto pending = context_.store.GetMany(keys);
  if (!pending.ok()) return pending.status();
  bool any = false;
  for (const auto& entry : *pending) any = any || entry.has_value();
  if (!any) return absl::OkStatus();
  // The first attempt may have reached the log after all: what is still in the outbox once
  // this node has read the log to its end, and has not been applied, was never appended.
  projector_.UseOutbox();
  if (absl::Status s = projector_.Sync(context_.apply_timeout); !s.ok()) return s;
  pending = context_.store.GetMany(keys);
  if (!pending.ok()) return pending.status();
  std::vector<std::string> present;
  std::vector<events::v1::OutboxEntry> entries;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!(*pending)[i].has_value()) continue;
    events::v1::OutboxEntry entry;
    if (!entry.ParseFromString(*(*pending)[i])) {
      return absl::DataLossError("unreadable outbox entry " + keys[i]);
    }
    present.push_back(event_ids[i]);
    entries.push_back(std::move(entry));
  }
  if (present.empty()) return absl::OkStatus();
  // Applied or refused before this process used the outbox (a restart's catch-up), or its id
  // taken by another body: only the entry is left. Only an event never seen is appended.
  std::vector<std::string_view> envelopes;
  for (const events::v1::OutboxEntry& entry : entries) envelopes.push_back(entry.envelope());
  auto fates = projector_.Fates(envelopes);
  if (!fates.ok()) return fates.status();
  std::vector<SealedEvent> missing;
  bool refused = false;
  for (size_t i = 0; i < present.size(); ++i) {
    refused = refused || (*fates)[i] == EventFate::kRefused || (*fates)[i] == EventFate::kIdRefused;
    if ((*fates)[i] != EventFate::kUnseen) continue;
    missing.push_back({.event_id = present[i],
                       .append = {entries[i].topic(), entries[i].key(), entries[i].envelope()},
                       .ecosystem_id = entries[i].ecosystem_id().empty()
                                           ? context_.home_ecosystem()
                                           : entries[i].ecosystem_id()});
  }
  absl::Status published = Publish(std::move(missing));
  // Appended and applied (or refused: the dead-letter topic keeps it), or settled before: done.
  if (!published.ok() && published.code() != absl::StatusCode::kInternal) return published;
  WriteBatch done;
  for (const std::string& id : present) done.Delete(projector_.OutboxKey(id));
  if (absl::Status s = context_.store.Commit(done); !s.ok()) return s;
  if (published.ok() && refused) return RefusedByOwnProjection();
  return published;
}

SealedEvent CommandPath::Seal(const std::string& topic, const std::string& partition_key,
                              const std::string& request_id, const google::protobuf::Message& event,
                              int64_t occurred_at_ms) const {
  return SealWithId(context_, context_.signer, topic, partition_key, request_id,
                    events::EventIdForRequest(institution_id(), request_id), event, occurred_at_ms);
}

absl::StatusOr<SealedEvent> CommandPath::SealIn(
    std::string_view ecosystem_id, const std::string& topic, const std::string& partition_key,
    const std::string& request_id, const google::protobuf::Message& event, int64_t occurred_at_ms,
    std::string_view field) const {
  std::optional<JoinedEcosystem> joined = context_.Joined(ecosystem_id);
  if (!joined.has_value()) {
    return absl::InvalidArgumentError(
        Cat(field, ": this node has not joined ecosystem ", ecosystem_id));
  }
  return SealWithId(context_, *joined->signer, topic, partition_key, request_id,
                    events::EventIdForRequest(institution_id(), request_id), event, occurred_at_ms);
}

SealedEvent CommandPath::SealRepeatable(const std::string& topic, const std::string& partition_key,
                                        const std::string& request_id,
                                        const google::protobuf::Message& event) const {
  return SealWithId(context_, context_.signer, topic, partition_key, request_id,
                    crypto::HexEncode(crypto::RandomBytes(16)), event, 0);
}

absl::StatusOr<SealedEvent> CommandPath::SealRepeatableIn(
    std::string_view ecosystem_id, const std::string& topic, const std::string& partition_key,
    const std::string& request_id, const google::protobuf::Message& event) const {
  std::optional<JoinedEcosystem> joined = context_.Joined(ecosystem_id);
  if (!joined.has_value()) {
    return absl::InvalidArgumentError(
        Cat("ecosystem_id: this node has not joined ecosystem ", ecosystem_id));
  }
  return SealWithId(context_, *joined->signer, topic, partition_key, request_id,
                    crypto::HexEncode(crypto::RandomBytes(16)), event, 0);
}

absl::Status CommandPath::Commit(CommandOutcome& outcome) {
  if (!outcome.events.empty()) projector_.UseOutbox();
  WriteBatch batch = std::move(outcome.writes);  // a cohort's sealed records: megabytes
  outcome.writes = WriteBatch();
  for (const auto& [request_id, record] : outcome.records) {
    batch.Put(CommandKey(request_id), record.SerializeAsString());
  }
  for (const SealedEvent& event : outcome.events) {
    events::v1::OutboxEntry entry;
    entry.set_topic(event.append.topic);
    entry.set_key(event.append.key);
    entry.set_envelope(event.append.value);
    entry.set_ecosystem_id(event.ecosystem_id);
    batch.Put(projector_.OutboxKey(event.event_id), entry.SerializeAsString());
  }
  if (batch.empty()) return absl::OkStatus();
  return context_.store.Commit(batch);
}

absl::Status CommandPath::Publish(std::vector<SealedEvent> events) {
  if (events.empty()) return absl::OkStatus();
  // One batch per ecosystem's log, in the order the events came (usually one ecosystem).
  std::vector<std::string> ecosystems;
  for (const SealedEvent& event : events) {
    if (std::find(ecosystems.begin(), ecosystems.end(), event.ecosystem_id) == ecosystems.end()) {
      ecosystems.push_back(event.ecosystem_id);
    }
  }
  std::vector<AppendRequest> appends;
  appends.reserve(events.size());
  for (const std::string& ecosystem : ecosystems) {
    std::optional<JoinedEcosystem> joined = context_.Joined(ecosystem);
    if (!joined.has_value()) {
      return absl::InternalError(
          Cat("an event for ecosystem ", ecosystem, ", which this node has not joined"));
    }
    std::vector<AppendRequest> batch;
    for (SealedEvent& event : events) {
      if (event.ecosystem_id == ecosystem) batch.push_back(std::move(event.append));
    }
    auto appended = joined->log->AppendBatch(batch);
    if (!appended.ok()) return appended.status();
    for (size_t i = 0; i < appended->size(); ++i) {
      if (absl::Status s = projector_.WaitApplied(ecosystem, batch[i].topic, (*appended)[i],
                                                  context_.apply_timeout);
          !s.ok()) {
        return s;
      }
    }
    for (AppendRequest& append : batch) appends.push_back(std::move(append));
  }
  // "Done" only when this very envelope was applied, as its seen marker (scoped by our
  // institution, recording the body's digest) proves: a copy of our event id signed by anyone
  // else, or refused unverified, cannot make a dropped event look applied or refused.
  std::vector<std::string_view> envelopes;
  envelopes.reserve(appends.size());
  for (const AppendRequest& append : appends) envelopes.push_back(append.value);
  auto fates = projector_.Fates(envelopes);
  if (!fates.ok()) return fates.status();
  for (EventFate fate : *fates) {
    if (fate == EventFate::kSuperseded) return Superseded();
    if (fate == EventFate::kIdRefused) return IdRefused();
    if (fate != EventFate::kApplied) return RefusedByOwnProjection();
  }
  return absl::OkStatus();
}

absl::Status CommandPath::Write(CommandOutcome outcome) {
  // A command that is all its events has nothing to commit before them: the projection keeps
  // its record when it applies them, and a crash before the append leaves nothing behind.
  if (!outcome.writes.empty() || !outcome.records.empty()) {
    if (absl::Status s = Commit(outcome); !s.ok()) return s;
  }
  return Publish(std::move(outcome.events));
}

absl::Status CommandPath::RecoverOutbox() {
  auto entries = context_.store.ScanPrefix(projector_.OutboxKey(""));
  if (!entries.ok()) return entries.status();
  if (entries->empty()) return absl::OkStatus();
  std::vector<std::string> event_ids;
  for (const auto& [key, value] : *entries) {
    event_ids.push_back(key.substr(projector_.OutboxKey("").size()));
  }
  return SettlePending(event_ids);
}

}  // namespace microcred::command
