#include "libs/consumer/projector.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "libs/consumer/staged_state.h"
#include "libs/events/reasons.h"
#include "libs/events/topics.h"

namespace microcred {
namespace {

registry::EventPosition PositionOf(const LogRecord& record) {
  return {record.topic, record.partition, record.offset};
}

// The record's envelope, or its refusal: OVERSIZED before any parsing, MALFORMED.
absl::StatusOr<events::UnverifiedEnvelope> ParseRecord(const LogRecord& record) {
  if (record.value.size() > events::kMaxEnvelopeBytes) {
    return events::Reject(events::reason::kOversized,
                          std::to_string(record.value.size()) + " bytes, more than the " +
                              std::to_string(events::kMaxEnvelopeBytes) + " an envelope may have");
  }
  auto env = events::ParseEnvelope(record.value);
  if (!env.ok()) return events::Reject(events::reason::kMalformed, env.status());
  return env;
}

// A seen marker's value: the event's fate and the digest of the body that met it.
constexpr std::string_view kAppliedMark = "applied:";
constexpr std::string_view kRefusedMark = "refused:";
std::string Mark(std::string_view fate, const events::UnverifiedEnvelope& env) {
  return std::string(fate) + env.Digest();
}

bool IsRefusal(const absl::Status& s) {
  return s.code() == absl::StatusCode::kFailedPrecondition ||
         s.code() == absl::StatusCode::kInvalidArgument;
}

}  // namespace

Projector::Projector(EventLog& log, StateStore& store, Projection& projection,
                     ProjectorOptions options)
    : log_(log),
      store_(store),
      projection_(projection),
      options_(std::move(options)),
      prefix_(projection.name() + "/"),
      registry_(options_.trust_anchors) {}

Projector::~Projector() { Stop(); }

std::string Projector::OffsetKey(const TopicPartition& tp) const {
  return prefix_ + "offset/" + tp.topic + "/" + std::to_string(tp.partition);
}
std::string Projector::SeenKey(const events::v1::EnvelopeBody& body) const {
  // An event id has no '/' (events::IsValidEventId): the last one ends the source.
  return prefix_ + "seen-from/" + body.source_institution() + "/" + body.event_id();
}
std::string Projector::LegacySeenKey(const std::string& event_id) const {
  return prefix_ + "seen/" + event_id;
}
std::string Projector::MemberKey(const std::string& institution_id) const {
  return prefix_ + "member/" + institution_id;
}
std::string Projector::OutboxKey(const std::string& event_id) const {
  return prefix_ + "outbox/" + event_id;
}
std::string Projector::CommandKey(std::string_view institution, std::string_view request_id) const {
  std::string key = prefix_ + "command/";
  key.append(institution).append("/").append(request_id);
  return key;
}

bool Projector::IsOwn(const events::v1::EnvelopeBody& body) const {
  return !options_.node_id.empty() && body.source_node() == options_.node_id &&
         (options_.institution_id.empty() || body.source_institution() == options_.institution_id);
}

bool Projector::ClearsOutboxOf(const events::v1::EnvelopeBody& body) const {
  return outbox_in_use_.load(std::memory_order_acquire) && IsOwn(body);
}

void Projector::UseOutbox() { outbox_in_use_.store(true, std::memory_order_release); }

absl::StatusOr<std::vector<EventFate>> Projector::Fates(
    const std::vector<std::string_view>& envelopes) const {
  std::vector<events::UnverifiedEnvelope> parsed;
  std::vector<std::string> keys;
  parsed.reserve(envelopes.size());
  for (std::string_view bytes : envelopes) {
    auto env = events::ParseEnvelope(bytes);
    if (!env.ok()) {
      return absl::InternalError("not an envelope: " + std::string(env.status().message()));
    }
    keys.push_back(SeenKey(env->body));
    if (legacy_markers_) keys.push_back(LegacySeenKey(env->body.event_id()));
    parsed.push_back(*std::move(env));
  }
  auto seen = store_.GetMany(keys);
  if (!seen.ok()) return seen.status();
  const size_t stride = legacy_markers_ ? 2 : 1;
  std::vector<EventFate> fates;
  fates.reserve(parsed.size());
  for (size_t i = 0; i < parsed.size(); ++i) {
    const std::optional<std::string>& mark = (*seen)[i * stride];
    if (!mark.has_value()) {
      const bool legacy = legacy_markers_ && (*seen)[i * stride + 1].has_value();
      fates.push_back(legacy ? EventFate::kSuperseded : EventFate::kUnseen);
    } else if (*mark == Mark(kAppliedMark, parsed[i])) {
      fates.push_back(EventFate::kApplied);
    } else if (*mark == Mark(kRefusedMark, parsed[i])) {
      fates.push_back(EventFate::kRefused);
    } else if (mark->starts_with(kRefusedMark)) {
      fates.push_back(EventFate::kIdRefused);
    } else {
      fates.push_back(EventFate::kSuperseded);
    }
  }
  return fates;
}

absl::Status Projector::LoadState() {
  const std::string offset_prefix = prefix_ + "offset/";
  auto offsets = store_.ScanPrefix(offset_prefix);
  if (!offsets.ok()) return offsets.status();
  for (const auto& [key, value] : *offsets) {
    std::string rest = key.substr(offset_prefix.size());
    size_t slash = rest.rfind('/');
    if (slash == std::string::npos) return absl::DataLossError("bad offset key " + key);
    applied_[{rest.substr(0, slash), std::stoi(rest.substr(slash + 1))}] = std::stoll(value);
  }
  // A store with offsets but no format key was written by the previous version: its markers
  // are `seen/<event id>`. The first commit of this version into an empty store writes the key
  // (Flush).
  auto format = store_.Get(prefix_ + "seen-format");
  if (!format.ok()) return format.status();
  legacy_markers_ = !offsets->empty() && !format->has_value();
  auto members = store_.ScanPrefix(prefix_ + "member/");
  if (!members.ok()) return members.status();
  for (const auto& [key, value] : *members) {
    registry::v1::Member member;
    if (!member.ParseFromString(value)) return absl::DataLossError("bad member record " + key);
    registry_.Restore(member);
  }
  return projection_.Load(store_, registry_);
}

absl::StatusOr<LogPositions> Projector::EndOfConsumedTopics() {
  LogPositions targets;
  for (const std::string& topic : ConsumedTopics()) {
    auto ends = log_.EndPositions(topic);
    if (!ends.ok()) return ends.status();
    targets.insert(ends->begin(), ends->end());
  }
  return targets;
}

std::string Projector::name() const { return projection_.name(); }

std::vector<std::string> Projector::ConsumedTopics() const {
  std::vector<std::string> topics = projection_.topics();
  topics.insert(topics.begin(), topics::kRegistry);
  return topics;
}

std::map<std::string, int64_t> Projector::Lag(const LogPositions& ends) const {
  const std::vector<std::string> consumed = ConsumedTopics();
  std::map<std::string, int64_t> lag;
  for (const std::string& topic : consumed) lag[topic] = 0;
  std::lock_guard lock(mu_);
  for (const auto& [partition, end] : ends) {
    auto it = lag.find(partition.topic);
    if (it == lag.end()) continue;
    auto applied = applied_.find(partition);
    const int64_t next = applied == applied_.end() ? 0 : applied->second;
    it->second += std::max<int64_t>(0, end - next);
  }
  return lag;
}

absl::Status Projector::WaitAppliedAll(const LogPositions& targets, absl::Duration timeout) {
  std::unique_lock lock(mu_);
  bool caught_up = applied_cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [&] {
    for (const auto& [tp, end] : targets) {
      auto it = applied_.find(tp);
      if (end > 0 && (it == applied_.end() || it->second < end)) return false;
    }
    return true;
  });
  if (!caught_up) {
    return absl::DeadlineExceededError(projection_.name() + ": not caught up with the log in " +
                                       absl::FormatDuration(timeout));
  }
  return absl::OkStatus();
}

absl::Status Projector::Start(absl::Duration catch_up_timeout) {
  if (absl::Status s = LoadState(); !s.ok()) return s;
  auto targets = EndOfConsumedTopics();
  if (!targets.ok()) return targets.status();
  auto reader = log_.OpenReader(ConsumedTopics(), applied_);
  if (!reader.ok()) return reader.status();
  reader_ = std::move(*reader);
  thread_ = std::thread([this] { Run(); });
  return WaitAppliedAll(*targets, catch_up_timeout);
}

absl::Status Projector::Sync(absl::Duration timeout) {
  auto targets = EndOfConsumedTopics();
  if (!targets.ok()) return targets.status();
  return WaitAppliedAll(*targets, timeout);
}

void Projector::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

// The records staged for one commit: their effects (visible to the records after them), the
// next offset of every partition they cover, and what to run once they are committed.
class Projector::Batch {
 public:
  explicit Batch(StateStore& store) : state(store) {}

  void Covered(const LogRecord& record) {
    next_offsets[{record.topic, record.partition}] = record.offset + 1;
    ++records;
  }

  StagedState state;
  LogPositions next_offsets;
  std::vector<std::function<void()>> after_commit;
  std::map<std::string, int64_t> refused_by_reason;
  int64_t applied = 0;
  int64_t duplicates = 0;
  int64_t own_signatures_trusted = 0;
  size_t records = 0;
  // Records whose envelope signature VerifySignatures checked against the registered key.
  absl::flat_hash_set<const LogRecord*> signature_verified;

  // The record's envelope (or its refusal), parsed once per batch: signature checks, prefetch
  // and staging all read it. Parse the batch's records (ParseAll) before reading them from
  // several threads.
  const absl::StatusOr<events::UnverifiedEnvelope>& Envelope(const LogRecord& record) {
    auto it = envelopes_.find(&record);
    if (it == envelopes_.end()) it = envelopes_.emplace(&record, ParseRecord(record)).first;
    return it->second;
  }
  const absl::StatusOr<events::UnverifiedEnvelope>& ParsedEnvelope(const LogRecord& record) const {
    return envelopes_.at(&record);
  }
  void ParseAll(const std::vector<LogRecord>& records, size_t from, size_t end) {
    for (size_t i = from; i < end; ++i) Envelope(records[i]);
  }

 private:
  // Node-based: references handed out stay valid as more records are parsed.
  absl::node_hash_map<const LogRecord*, absl::StatusOr<events::UnverifiedEnvelope>> envelopes_;
};

void Projector::Run() {
  while (!stopping_) {
    auto records = reader_->Poll(absl::ToChronoMilliseconds(options_.poll_interval));
    if (!records.ok()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    ApplyRecords(*records);
  }
}

void Projector::ApplyRecords(const std::vector<LogRecord>& records) {
  size_t next = 0;
  while (next < records.size() && !stopping_) {
    Batch batch(store_);
    VerifySignatures(records, next, batch);
    absl::Status staged = Prefetch(records, next, batch);
    for (; staged.ok() && next < records.size() && batch.records < kMaxBatch; ++next) {
      staged = Stage(records[next], batch);
      if (!staged.ok()) break;  // transient: commit what we have, then retry this record
    }
    // A failed commit is retried: a consumer never skips what it could not commit.
    while (!stopping_ && !Flush(batch).ok()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (!staged.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

void Projector::VerifySignatures(const std::vector<LogRecord>& records, size_t from,
                                 Batch& batch) const {
  const size_t end = std::min(records.size(), from + kMaxBatch);
  batch.ParseAll(records, from, end);
  std::vector<char> verified(end - from, 0);
  auto verify = [&](size_t first, size_t step) {
    for (size_t i = first; i < end; i += step) {
      const LogRecord& record = records[i];
      if (record.topic == topics::kRegistry) continue;
      const auto& env = batch.ParsedEnvelope(record);
      if (!env.ok()) continue;
      if (options_.sealed_here != nullptr &&
          options_.sealed_here->Contains(env->body.event_id(), record.value)) {
        continue;  // nothing to verify
      }
      std::optional<std::string> key =
          registry_.PublicKey(env->body.source_institution(), env->body.key_id());
      verified[i - from] = key.has_value() && env->VerifySignature(*key);
    }
  };
  // One helper thread beside this one: a batch's signatures are independent, and verifying
  // them is most of what applying a batch of other nodes' events costs.
  constexpr size_t kWorthAThread = 32;
  if (end - from >= kWorthAThread && std::thread::hardware_concurrency() > 1) {
    std::thread helper(verify, from + 1, 2);
    verify(from, 2);
    helper.join();
  } else {
    verify(from, 1);
  }
  for (size_t i = from; i < end; ++i) {
    if (verified[i - from]) batch.signature_verified.insert(&records[i]);
  }
}

absl::Status Projector::Prefetch(const std::vector<LogRecord>& records, size_t from, Batch& batch) {
  std::vector<std::string> keys;
  for (size_t i = from; i < records.size() && i < from + kMaxBatch; ++i) {
    if (records[i].topic == topics::kRegistry) continue;
    const auto& env = batch.Envelope(records[i]);
    if (!env.ok()) continue;  // refused when staged
    keys.push_back(SeenKey(env->body));
    if (legacy_markers_) keys.push_back(LegacySeenKey(env->body.event_id()));
    for (std::string& key : projection_.KeysToPrefetch(env->body)) keys.push_back(std::move(key));
  }
  return batch.state.Prefetch(keys);
}

bool Projector::AlreadyApplied(const LogRecord& record) const {
  std::lock_guard lock(mu_);
  auto it = applied_.find({record.topic, record.partition});
  return it != applied_.end() && record.offset < it->second;
}

absl::Status Projector::Stage(const LogRecord& record, Batch& batch) {
  if (AlreadyApplied(record)) return absl::OkStatus();
  if (record.topic == topics::kRegistry) return StageRegistryRecord(record, batch);
  return StageDomainRecord(record, batch);
}

absl::Status Projector::StageRegistryRecord(const LogRecord& record, Batch& batch) {
  const auto& env = batch.Envelope(record);
  if (!env.ok()) return StageRefusal(record, env.status(), batch);
  auto seen = Seen(*env, batch);
  if (!seen.ok()) return seen.status();
  if (*seen) return StageDuplicate(record, batch);
  auto member = registry_.CheckRegistryEvent(*env, PositionOf(record));
  if (!member.ok()) {
    return StageRefusal(record, member.status(), batch, SourceProven(*env));
  }

  WriteBatch writes;
  writes.Put(MemberKey(member->admitted().institution_id()), member->SerializeAsString());
  writes.Put(SeenKey(env->body), Mark(kAppliedMark, *env));
  if (absl::Status s = batch.state.Commit(writes); !s.ok()) return s;
  // The events after it in this batch are checked against the new membership at once; the
  // batch's commit is retried until it lands, so memory is never ahead of the store for long.
  {
    std::lock_guard lock(mu_);
    registry_.Restore(*member);
    ++registry_changes_;
  }
  batch.Covered(record);
  return absl::OkStatus();
}

absl::Status Projector::StageDomainRecord(const LogRecord& record, Batch& batch) {
  const auto& env = batch.Envelope(record);
  if (!env.ok()) return StageRefusal(record, env.status(), batch);
  if (env->body.schema_version() != events::kSchemaVersion) {
    return StageRefusal(
        record,
        events::Reject(events::reason::kUnsupportedSchema,
                       "schema version " + std::to_string(env->body.schema_version()) + " of " +
                           env->body.event_type() + " is not supported by this node"),
        batch);
  }
  const bool sealed_here = options_.sealed_here != nullptr &&
                           options_.sealed_here->Contains(env->body.event_id(), record.value);
  const bool signature_verified = sealed_here || batch.signature_verified.contains(&record);
  absl::Status signed_by = registry_.CheckSignedBy(*env, PositionOf(record), signature_verified);
  const std::string code = events::ReasonCode(signed_by);
  if (!signed_by.ok() &&
      (code == events::reason::kUnknownInstitution || code == events::reason::kUnknownKey)) {
    // The admission may simply not have been read yet: the registry topic is a separate log.
    if (absl::Status s = CatchUpRegistry(); !s.ok()) return s;
    signed_by = registry_.CheckSignedBy(*env, PositionOf(record), signature_verified);
  }
  // Refused with a signature that verifies (a suspended member, a retired key): final.
  if (!signed_by.ok()) {
    return StageRefusal(record, signed_by, batch, signature_verified || SourceProven(*env));
  }
  if (sealed_here) ++batch.own_signatures_trusted;

  auto seen = Seen(*env, batch);
  if (!seen.ok()) return seen.status();
  if (*seen) return StageDuplicate(record, batch);

  const registry::v1::Member source = *registry_.Find(env->body.source_institution());
  VerifiedEvent event{record, env->body, source, registry_};
  Effects effects;
  absl::Status applied = projection_.Apply(event, batch.state, effects);
  if (!applied.ok()) {
    if (!IsRefusal(applied)) return applied;
    return StageRefusal(record, applied, batch, /*final_refusal=*/true);
  }
  effects.writes.Put(SeenKey(env->body), Mark(kAppliedMark, *env));
  if (effects.command && !env->body.request_id().empty()) {
    effects.writes.Put(CommandKey(env->body.source_institution(), env->body.request_id()),
                       effects.command->SerializeAsString());
  }
  // This node's own event: its command's outbox entry goes with the commit that applies it.
  if (ClearsOutboxOf(env->body)) effects.writes.Delete(OutboxKey(env->body.event_id()));
  if (absl::Status s = batch.state.Commit(effects.writes); !s.ok()) return s;
  if (effects.after_commit) batch.after_commit.push_back(std::move(effects.after_commit));
  ++batch.applied;
  batch.Covered(record);
  return absl::OkStatus();
}

absl::StatusOr<bool> Projector::Seen(const events::UnverifiedEnvelope& env, Batch& batch) const {
  auto seen = batch.state.Get(SeenKey(env.body));
  if (!seen.ok() || seen->has_value() || !legacy_markers_) {
    return seen.ok() ? absl::StatusOr<bool>(seen->has_value()) : seen.status();
  }
  auto legacy = batch.state.Get(LegacySeenKey(env.body.event_id()));
  if (!legacy.ok()) return legacy.status();
  return legacy->has_value();
}

bool Projector::SourceProven(const events::UnverifiedEnvelope& env) const {
  const std::string& source = env.body.source_institution();
  for (const registry::TrustAnchor& anchor : options_.trust_anchors) {
    if (anchor.ecosystem_id == source) return env.VerifySignature(anchor.public_key);
  }
  std::optional<std::string> key = registry_.PublicKey(source, env.body.key_id());
  return key.has_value() && env.VerifySignature(*key);
}

absl::Status Projector::StageRefusal(const LogRecord& record, const absl::Status& refusal,
                                     Batch& batch, bool final_refusal) {
  events::v1::DeadLetter letter;
  letter.set_topic(record.topic);
  letter.set_partition(record.partition);
  letter.set_offset(record.offset);
  letter.set_reason_code(events::ReasonCode(refusal));
  letter.set_reason(std::string(refusal.message()));
  letter.set_consumer_node(options_.node_id);
  letter.set_consumer_service(projection_.name());
  letter.set_rejected_at_ms(options_.clock.NowMs());
  // At most the first kMaxEnvelopeBytes of the record: a dead letter must always fit in the
  // log, or a hostile record too large for it would stop the consumer.
  letter.set_record_key(record.key.substr(0, 1024));
  letter.set_record_value(record.value.substr(0, events::kMaxEnvelopeBytes));
  letter.set_record_size(static_cast<int64_t>(record.value.size()));
  // Written before the offset is committed: a crash in between writes the letter again
  // (dead letters are at-least-once), it never loses one.
  auto appended = log_.Append({topics::kDeadLetter, record.key, letter.SerializeAsString()});
  if (!appended.ok()) return appended.status();
  if (options_.on_refusal) options_.on_refusal(letter);
  if (const auto& env = batch.Envelope(record); env.ok()) {
    WriteBatch writes;
    // Final: committed with the offset, so that no later copy is applied (here, or in a
    // rebuild, which refuses this copy again at its offset first). A marker already there (an
    // applied copy replayed while its source is suspended) stays.
    if (final_refusal && letter.reason_code() != events::reason::kUnsupportedSchema) {
      auto seen = Seen(*env, batch);
      if (!seen.ok()) return seen.status();
      if (!*seen) writes.Put(SeenKey(env->body), Mark(kRefusedMark, *env));
    }
    // A refused event of this node's own stays in the dead-letter topic, not in its outbox, so
    // that a restart does not append it again.
    if (ClearsOutboxOf(env->body)) writes.Delete(OutboxKey(env->body.event_id()));
    if (!writes.empty()) {
      if (absl::Status s = batch.state.Commit(writes); !s.ok()) return s;
    }
  }
  ++batch.refused_by_reason[letter.reason_code()];
  batch.Covered(record);
  return absl::OkStatus();
}

// An event of this source and id applied or refused before, at another offset: a client's
// retry that reached the log twice, or a replay of an old or refused record. Kept in the
// dead-letter topic, so that a replay is visible.
absl::Status Projector::StageDuplicate(const LogRecord& record, Batch& batch) {
  ++batch.duplicates;
  return StageRefusal(record,
                      events::Reject(events::reason::kDuplicateEvent,
                                     "an event of this source with this id was already applied "
                                     "or refused; this copy (offset " +
                                         std::to_string(record.offset) + ") is ignored"),
                      batch);
}

absl::Status Projector::Flush(Batch& batch) {
  if (batch.records == 0) return absl::OkStatus();
  WriteBatch offsets;
  {
    // A registry catch-up during the batch may have committed further already: never go back.
    std::lock_guard lock(mu_);
    for (auto& [tp, next] : batch.next_offsets) {
      auto it = applied_.find(tp);
      if (it != applied_.end()) next = std::max(next, it->second);
      offsets.Put(OffsetKey(tp), std::to_string(next));
    }
  }
  // Says, with the first offsets this version writes into a store, that every marker there is
  // source-scoped (LoadState). A store of the previous version never gets it: its old markers
  // stay honoured until it is rebuilt.
  if (!legacy_markers_ && !format_written_.load(std::memory_order_relaxed)) {
    offsets.Put(prefix_ + "seen-format", "source-scoped");
  }
  if (absl::Status s = batch.state.Commit(offsets); !s.ok()) return s;
  if (absl::Status s = batch.state.Flush(); !s.ok()) return s;
  format_written_.store(true, std::memory_order_relaxed);
  for (auto& update : batch.after_commit) update();
  {
    std::lock_guard lock(mu_);
    counters_.applied += batch.applied;
    counters_.duplicates_skipped += batch.duplicates;
    counters_.own_signatures_trusted += batch.own_signatures_trusted;
    for (const auto& [reason, n] : batch.refused_by_reason)
      counters_.refused_by_reason[reason] += n;
  }
  for (const auto& [tp, next] : batch.next_offsets) MarkApplied(tp, next);
  batch.records = 0;
  return absl::OkStatus();
}

absl::Status Projector::CatchUpRegistry() {
  auto ends = log_.EndPositions(topics::kRegistry);
  if (!ends.ok()) return ends.status();
  LogPositions from;
  {
    std::lock_guard lock(mu_);
    for (const auto& [tp, end] : *ends) {
      auto it = applied_.find(tp);
      if (it != applied_.end()) from[tp] = it->second;
    }
  }
  auto behind = [&] {
    std::lock_guard lock(mu_);
    for (const auto& [tp, end] : *ends) {
      auto it = applied_.find(tp);
      if (end > 0 && (it == applied_.end() || it->second < end)) return true;
    }
    return false;
  };
  // Most unknown senders are simply not members: nothing new to read, no reader to open.
  if (!behind()) return absl::OkStatus();
  auto reader = log_.OpenReader({topics::kRegistry}, from);
  if (!reader.ok()) return reader.status();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (behind() && std::chrono::steady_clock::now() < deadline) {
    auto records = (*reader)->Poll(std::chrono::milliseconds(100));
    if (!records.ok()) return records.status();
    for (const LogRecord& r : *records) {
      Batch batch(store_);
      if (absl::Status s = Stage(r, batch); !s.ok()) return s;
      if (absl::Status s = Flush(batch); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

void Projector::MarkApplied(const TopicPartition& tp, int64_t next_offset) {
  {
    std::lock_guard lock(mu_);
    int64_t& applied = applied_[tp];
    applied = std::max(applied, next_offset);
  }
  applied_cv_.notify_all();
}

absl::Status Projector::WaitApplied(const std::string& topic, const AppendResult& at,
                                    absl::Duration timeout) {
  const TopicPartition tp{topic, at.partition};
  std::unique_lock lock(mu_);
  bool done = applied_cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [&] {
    auto it = applied_.find(tp);
    return it != applied_.end() && it->second > at.offset;
  });
  if (!done) {
    return absl::DeadlineExceededError("the event was written to the log but is not applied yet");
  }
  return absl::OkStatus();
}

std::optional<registry::v1::Member> Projector::FindMember(const std::string& id) const {
  std::lock_guard lock(mu_);
  const registry::v1::Member* member = registry_.Find(id);
  if (member == nullptr) return std::nullopt;
  return *member;
}

std::map<std::string, std::vector<std::string>, std::less<>> Projector::IssuerGroups() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::vector<std::string>, std::less<>> groups;
  for (const auto& [id, member] : registry_.members()) {
    for (const std::string& group : member.admitted().groups()) groups[group].push_back(id);
  }
  return groups;  // members() is ordered by id, so each list is sorted
}

uint64_t Projector::registry_changes() const {
  std::lock_guard lock(mu_);
  return registry_changes_;
}

Projector::Counters Projector::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

}  // namespace microcred
