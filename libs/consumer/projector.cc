#include "libs/consumer/projector.h"

#include <algorithm>
#include <chrono>
#include <set>
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

// One ecosystem's log as this projector reads it. `keys` is where its positions and registry
// are kept: "<p>/ecosystem/<id>/", or "<p>/" for a projector with no ecosystem id (one log).
struct Projector::Feed {
  Feed(std::string id, EventLog& log, std::vector<registry::TrustAnchor> anchors,
       const events::SealedEnvelopes* sealed_here, std::string keys)
      : ecosystem_id(std::move(id)),
        log(log),
        trust_anchors(anchors),
        sealed_here(sealed_here),
        keys(std::move(keys)),
        registry(std::move(anchors), ecosystem_id) {}

  const std::string ecosystem_id;
  EventLog& log;
  const std::vector<registry::TrustAnchor> trust_anchors;
  const events::SealedEnvelopes* const sealed_here;
  const std::string keys;
  // Set by LoadFeedState: the home's positions and members are still under the keys of a
  // projector of one log ("<p>/offset/", "<p>/member/"); the first flush moves them.
  bool adopts_unqualified_keys = false;
  registry::Registry registry;  // under mu_ once the thread runs
  LogPositions applied;         // next offset to apply, per partition; under mu_
  std::unique_ptr<LogReader> reader;
};

Projector::Projector(EventLog& log, StateStore& store, Projection& projection,
                     ProjectorOptions options)
    : store_(store),
      projection_(projection),
      options_(std::move(options)),
      prefix_(projection.name() + "/") {
  auto keys = [this](const std::string& ecosystem) {
    return ecosystem.empty() ? prefix_ : prefix_ + "ecosystem/" + ecosystem + "/";
  };
  feeds_.push_back(std::make_unique<Feed>(options_.ecosystem_id, log, options_.trust_anchors,
                                          options_.sealed_here, keys(options_.ecosystem_id)));
  for (const ProjectorFeed& further : options_.further_ecosystems) {
    feeds_.push_back(std::make_unique<Feed>(further.ecosystem_id, *further.log,
                                            further.trust_anchors, further.sealed_here,
                                            keys(further.ecosystem_id)));
  }
}

Projector::~Projector() { Stop(); }

std::string Projector::OffsetKey(const Feed& feed, const TopicPartition& tp) const {
  return feed.keys + "offset/" + tp.topic + "/" + std::to_string(tp.partition);
}
std::string Projector::SeenKey(const events::v1::EnvelopeBody& body) const {
  // An event id has no '/' (events::IsValidEventId): the last one ends the source. Ids are
  // scoped by the ecosystem the event states (it is refused in any other log), so that an
  // institution's command may write one event under one id into each of its ecosystems; an
  // event that states none (sealed before ecosystems were stated) keeps the earlier key.
  if (body.ecosystem_id().empty()) {
    return prefix_ + "seen-from/" + body.source_institution() + "/" + body.event_id();
  }
  return prefix_ + "seen-in/" + body.ecosystem_id() + "/" + body.source_institution() + "/" +
         body.event_id();
}
std::string Projector::LegacySeenKey(const std::string& event_id) const {
  return prefix_ + "seen/" + event_id;
}
std::string Projector::MemberKey(const Feed& feed, const std::string& institution_id) const {
  return feed.keys + "member/" + institution_id;
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
  bool any_offsets = false;
  for (auto& feed : feeds_) {
    if (absl::Status s = LoadFeedState(*feed); !s.ok()) return s;
    any_offsets = any_offsets || !feed->applied.empty();
  }
  // A store with offsets but no format key was written by the previous version: its markers
  // are `seen/<event id>`. The first commit of this version into an empty store writes the key
  // (Flush).
  auto format = store_.Get(prefix_ + "seen-format");
  if (!format.ok()) return format.status();
  legacy_markers_ = any_offsets && !format->has_value();
  return projection_.Load(store_, feeds_.front()->registry);
}

absl::Status Projector::LoadFeedState(Feed& feed) {
  auto load = [&](const std::string& keys) -> absl::Status {
    const std::string offset_prefix = keys + "offset/";
    auto offsets = store_.ScanPrefix(offset_prefix);
    if (!offsets.ok()) return offsets.status();
    for (const auto& [key, value] : *offsets) {
      std::string rest = key.substr(offset_prefix.size());
      size_t slash = rest.rfind('/');
      if (slash == std::string::npos) return absl::DataLossError("bad offset key " + key);
      feed.applied[{rest.substr(0, slash), std::stoi(rest.substr(slash + 1))}] = std::stoll(value);
    }
    auto members = store_.ScanPrefix(keys + "member/");
    if (!members.ok()) return members.status();
    for (const auto& [key, value] : *members) {
      registry::v1::Member member;
      if (!member.ParseFromString(value)) return absl::DataLossError("bad member record " + key);
      feed.registry.Restore(member);
    }
    auto definition = store_.Get(keys + "definition");
    if (!definition.ok()) return definition.status();
    if (definition->has_value()) {
      registry::v1::Ecosystem ecosystem;
      if (!ecosystem.ParseFromString(**definition)) {
        return absl::DataLossError("bad ecosystem definition " + keys + "definition");
      }
      feed.registry.RestoreEcosystem(ecosystem);
    }
    return absl::OkStatus();
  };
  if (absl::Status s = load(feed.keys); !s.ok()) return s;
  // A store written by a projector of one log keeps the home's state unqualified: the home
  // adopts it, and its first flush rewrites it under the ecosystem's keys.
  if (feed.applied.empty() && feed.keys != prefix_ && &feed == feeds_.front().get()) {
    if (absl::Status s = load(prefix_); !s.ok()) return s;
    feed.adopts_unqualified_keys = !feed.applied.empty();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<LogPositions>> Projector::EndOfConsumedTopics() {
  std::vector<LogPositions> targets;
  for (const auto& feed : feeds_) {
    LogPositions ends_of_feed;
    for (const std::string& topic : ConsumedTopics()) {
      auto ends = feed->log.EndPositions(topic);
      if (!ends.ok()) return ends.status();
      ends_of_feed.insert(ends->begin(), ends->end());
    }
    targets.push_back(std::move(ends_of_feed));
  }
  return targets;
}

std::string Projector::name() const { return projection_.name(); }

std::vector<std::string> Projector::ConsumedTopics() const {
  std::vector<std::string> topics = projection_.topics();
  topics.insert(topics.begin(), topics::kRegistry);
  return topics;
}

std::vector<std::string> Projector::ecosystems() const {
  std::vector<std::string> ids;
  for (const auto& feed : feeds_) ids.push_back(feed->ecosystem_id);
  return ids;
}

const Projector::Feed* Projector::FindFeed(std::string_view ecosystem) const {
  for (const auto& feed : feeds_) {
    if (feed->ecosystem_id == ecosystem) return feed.get();
  }
  return nullptr;
}

std::map<std::string, int64_t> Projector::Lag(std::string_view ecosystem,
                                              const LogPositions& ends) const {
  const std::vector<std::string> consumed = ConsumedTopics();
  std::map<std::string, int64_t> lag;
  for (const std::string& topic : consumed) lag[topic] = 0;
  const Feed* feed = FindFeed(ecosystem);
  if (feed == nullptr) return lag;
  std::lock_guard lock(mu_);
  for (const auto& [partition, end] : ends) {
    auto it = lag.find(partition.topic);
    if (it == lag.end()) continue;
    auto applied = feed->applied.find(partition);
    const int64_t next = applied == feed->applied.end() ? 0 : applied->second;
    it->second += std::max<int64_t>(0, end - next);
  }
  return lag;
}

absl::Status Projector::WaitAppliedAll(const std::vector<LogPositions>& targets,
                                       absl::Duration timeout) {
  std::unique_lock lock(mu_);
  bool caught_up = applied_cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [&] {
    for (size_t f = 0; f < targets.size(); ++f) {
      const LogPositions& applied = feeds_[f]->applied;
      for (const auto& [tp, end] : targets[f]) {
        auto it = applied.find(tp);
        if (end > 0 && (it == applied.end() || it->second < end)) return false;
      }
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
  for (auto& feed : feeds_) {
    auto reader = feed->log.OpenReader(ConsumedTopics(), feed->applied);
    if (!reader.ok()) return reader.status();
    feed->reader = std::move(*reader);
  }
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
  // Each log in turn, each waited for a share of the poll interval: one thread applies every
  // ecosystem's events, so the projection never sees two at once.
  const auto slice =
      std::max(std::chrono::milliseconds(1), absl::ToChronoMilliseconds(options_.poll_interval) /
                                                 static_cast<int64_t>(feeds_.size()));
  while (!stopping_) {
    for (auto& feed : feeds_) {
      if (stopping_) break;
      auto records = feed->reader->Poll(slice);
      if (!records.ok()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        continue;
      }
      ApplyRecords(*feed, *records);
    }
  }
}

void Projector::ApplyRecords(Feed& feed, const std::vector<LogRecord>& records) {
  size_t next = 0;
  while (next < records.size() && !stopping_) {
    Batch batch(store_);
    VerifySignatures(feed, records, next, batch);
    absl::Status staged = Prefetch(records, next, batch);
    for (; staged.ok() && next < records.size() && batch.records < kMaxBatch; ++next) {
      staged = Stage(feed, records[next], batch);
      if (!staged.ok()) break;  // transient: commit what we have, then retry this record
    }
    // A failed commit is retried: a consumer never skips what it could not commit.
    while (!stopping_ && !Flush(feed, batch).ok()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (!staged.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

void Projector::VerifySignatures(const Feed& feed, const std::vector<LogRecord>& records,
                                 size_t from, Batch& batch) const {
  const size_t end = std::min(records.size(), from + kMaxBatch);
  batch.ParseAll(records, from, end);
  std::vector<char> verified(end - from, 0);
  auto verify = [&](size_t first, size_t step) {
    for (size_t i = first; i < end; i += step) {
      const LogRecord& record = records[i];
      if (record.topic == topics::kRegistry) continue;
      const auto& env = batch.ParsedEnvelope(record);
      if (!env.ok()) continue;
      if (SealedHere(feed, *env, record)) continue;  // nothing to verify
      std::optional<std::string> key =
          feed.registry.PublicKey(env->body.source_institution(), env->body.key_id());
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

bool Projector::AlreadyApplied(const Feed& feed, const LogRecord& record) const {
  std::lock_guard lock(mu_);
  auto it = feed.applied.find({record.topic, record.partition});
  return it != feed.applied.end() && record.offset < it->second;
}

bool Projector::SealedHere(const Feed& feed, const events::UnverifiedEnvelope& env,
                           const LogRecord& record) const {
  return feed.sealed_here != nullptr &&
         feed.sealed_here->Contains(env.body.event_id(), record.value);
}

absl::Status Projector::CheckStatedEcosystem(const Feed& feed,
                                             const events::v1::EnvelopeBody& body) const {
  if (feed.ecosystem_id.empty() || body.ecosystem_id().empty() ||
      body.ecosystem_id() == feed.ecosystem_id) {
    return absl::OkStatus();
  }
  return events::Reject(events::reason::kWrongEcosystem,
                        "the event states ecosystem " + body.ecosystem_id() +
                            " but was read from the log of ecosystem " + feed.ecosystem_id);
}

absl::Status Projector::Stage(Feed& feed, const LogRecord& record, Batch& batch) {
  if (AlreadyApplied(feed, record)) return absl::OkStatus();
  const auto& env = batch.Envelope(record);
  if (!env.ok()) return StageRefusal(feed, record, env.status(), batch);
  // Not final: the same signed event belongs to the log it names, where it must still apply.
  if (absl::Status s = CheckStatedEcosystem(feed, env->body); !s.ok()) {
    return StageRefusal(feed, record, s, batch);
  }
  if (record.topic == topics::kRegistry) return StageRegistryRecord(feed, record, batch);
  return StageDomainRecord(feed, record, batch);
}

absl::Status Projector::StageRegistryRecord(Feed& feed, const LogRecord& record, Batch& batch) {
  const auto& env = batch.Envelope(record);
  auto seen = Seen(*env, batch);
  if (!seen.ok()) return seen.status();
  if (*seen) return StageDuplicate(feed, record, batch);
  auto change = feed.registry.CheckRegistryChange(*env, PositionOf(record));
  if (!change.ok()) {
    return StageRefusal(feed, record, change.status(), batch, SourceProven(feed, *env));
  }

  WriteBatch writes;
  if (change->member.has_value()) {
    writes.Put(MemberKey(feed, change->member->admitted().institution_id()),
               change->member->SerializeAsString());
  }
  if (change->ecosystem.has_value()) {
    writes.Put(feed.keys + "definition", change->ecosystem->SerializeAsString());
  }
  writes.Put(SeenKey(env->body), Mark(kAppliedMark, *env));
  if (absl::Status s = batch.state.Commit(writes); !s.ok()) return s;
  // The events after it in this batch are checked against the new membership at once; the
  // batch's commit is retried until it lands, so memory is never ahead of the store for long.
  {
    std::lock_guard lock(mu_);
    if (change->member.has_value()) feed.registry.Restore(*change->member);
    if (change->ecosystem.has_value()) feed.registry.RestoreEcosystem(*change->ecosystem);
    ++registry_changes_;
  }
  batch.Covered(record);
  return absl::OkStatus();
}

absl::Status Projector::StageDomainRecord(Feed& feed, const LogRecord& record, Batch& batch) {
  const auto& env = batch.Envelope(record);
  if (env->body.schema_version() != events::kSchemaVersion) {
    return StageRefusal(
        feed, record,
        events::Reject(events::reason::kUnsupportedSchema,
                       "schema version " + std::to_string(env->body.schema_version()) + " of " +
                           env->body.event_type() + " is not supported by this node"),
        batch);
  }
  const bool sealed_here = SealedHere(feed, *env, record);
  const bool signature_verified = sealed_here || batch.signature_verified.contains(&record);
  absl::Status signed_by =
      feed.registry.CheckSignedBy(*env, PositionOf(record), signature_verified);
  const std::string code = events::ReasonCode(signed_by);
  if (!signed_by.ok() &&
      (code == events::reason::kUnknownInstitution || code == events::reason::kUnknownKey)) {
    // The admission may simply not have been read yet: the registry topic is a separate log.
    if (absl::Status s = CatchUpRegistry(feed); !s.ok()) return s;
    signed_by = feed.registry.CheckSignedBy(*env, PositionOf(record), signature_verified);
  }
  // Refused with a signature that verifies (a suspended member, a retired key): final.
  if (!signed_by.ok()) {
    return StageRefusal(feed, record, signed_by, batch,
                        signature_verified || SourceProven(feed, *env));
  }
  if (sealed_here) ++batch.own_signatures_trusted;

  auto seen = Seen(*env, batch);
  if (!seen.ok()) return seen.status();
  if (*seen) return StageDuplicate(feed, record, batch);

  const registry::v1::Member source = *feed.registry.Find(env->body.source_institution());
  VerifiedEvent event{
      record,        env->body,         source,
      feed.registry, feed.ecosystem_id, feed.registry.ProfileAt(PositionOf(record))};
  Effects effects;
  absl::Status applied = projection_.Apply(event, batch.state, effects);
  if (!applied.ok()) {
    if (!IsRefusal(applied)) return applied;
    return StageRefusal(feed, record, applied, batch, /*final_refusal=*/true);
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

bool Projector::SourceProven(const Feed& feed, const events::UnverifiedEnvelope& env) const {
  const std::string& source = env.body.source_institution();
  for (const registry::TrustAnchor& anchor : feed.trust_anchors) {
    if (anchor.ecosystem_id == source) return env.VerifySignature(anchor.public_key);
  }
  std::optional<std::string> key = feed.registry.PublicKey(source, env.body.key_id());
  return key.has_value() && env.VerifySignature(*key);
}

absl::Status Projector::StageRefusal(Feed& feed, const LogRecord& record,
                                     const absl::Status& refusal, Batch& batch,
                                     bool final_refusal) {
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
  auto appended = feed.log.Append({topics::kDeadLetter, record.key, letter.SerializeAsString()});
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
absl::Status Projector::StageDuplicate(Feed& feed, const LogRecord& record, Batch& batch) {
  ++batch.duplicates;
  return StageRefusal(feed, record,
                      events::Reject(events::reason::kDuplicateEvent,
                                     "an event of this source with this id was already applied "
                                     "or refused; this copy (offset " +
                                         std::to_string(record.offset) + ") is ignored"),
                      batch);
}

absl::Status Projector::Flush(Feed& feed, Batch& batch) {
  if (batch.records == 0) return absl::OkStatus();
  WriteBatch offsets;
  {
    // A registry catch-up during the batch may have committed further already: never go back.
    std::lock_guard lock(mu_);
    for (auto& [tp, next] : batch.next_offsets) {
      auto it = feed.applied.find(tp);
      if (it != feed.applied.end()) next = std::max(next, it->second);
      offsets.Put(OffsetKey(feed, tp), std::to_string(next));
    }
    if (feed.adopts_unqualified_keys) {
      for (const auto& [tp, next] : feed.applied) {
        if (!batch.next_offsets.contains(tp))
          offsets.Put(OffsetKey(feed, tp), std::to_string(next));
        offsets.Delete(prefix_ + "offset/" + tp.topic + "/" + std::to_string(tp.partition));
      }
      for (const auto& [id, member] : feed.registry.members()) {
        offsets.Put(MemberKey(feed, id), member.SerializeAsString());
        offsets.Delete(prefix_ + "member/" + id);
      }
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
  feed.adopts_unqualified_keys = false;
  for (auto& update : batch.after_commit) update();
  {
    std::lock_guard lock(mu_);
    counters_.applied += batch.applied;
    counters_.duplicates_skipped += batch.duplicates;
    counters_.own_signatures_trusted += batch.own_signatures_trusted;
    for (const auto& [reason, n] : batch.refused_by_reason)
      counters_.refused_by_reason[reason] += n;
  }
  for (const auto& [tp, next] : batch.next_offsets) MarkApplied(feed, tp, next);
  batch.records = 0;
  return absl::OkStatus();
}

absl::Status Projector::CatchUpRegistry(Feed& feed) {
  auto ends = feed.log.EndPositions(topics::kRegistry);
  if (!ends.ok()) return ends.status();
  LogPositions from;
  {
    std::lock_guard lock(mu_);
    for (const auto& [tp, end] : *ends) {
      auto it = feed.applied.find(tp);
      if (it != feed.applied.end()) from[tp] = it->second;
    }
  }
  auto behind = [&] {
    std::lock_guard lock(mu_);
    for (const auto& [tp, end] : *ends) {
      auto it = feed.applied.find(tp);
      if (end > 0 && (it == feed.applied.end() || it->second < end)) return true;
    }
    return false;
  };
  // Most unknown senders are simply not members: nothing new to read, no reader to open.
  if (!behind()) return absl::OkStatus();
  auto reader = feed.log.OpenReader({topics::kRegistry}, from);
  if (!reader.ok()) return reader.status();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (behind() && std::chrono::steady_clock::now() < deadline) {
    auto records = (*reader)->Poll(std::chrono::milliseconds(100));
    if (!records.ok()) return records.status();
    for (const LogRecord& r : *records) {
      Batch batch(store_);
      if (absl::Status s = Stage(feed, r, batch); !s.ok()) return s;
      if (absl::Status s = Flush(feed, batch); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

void Projector::MarkApplied(Feed& feed, const TopicPartition& tp, int64_t next_offset) {
  {
    std::lock_guard lock(mu_);
    int64_t& applied = feed.applied[tp];
    applied = std::max(applied, next_offset);
  }
  applied_cv_.notify_all();
}

absl::Status Projector::WaitApplied(std::string_view ecosystem, const std::string& topic,
                                    const AppendResult& at, absl::Duration timeout) {
  const Feed* feed = FindFeed(ecosystem);
  if (feed == nullptr) {
    return absl::NotFoundError(projection_.name() + " does not read ecosystem " +
                               std::string(ecosystem));
  }
  const TopicPartition tp{topic, at.partition};
  std::unique_lock lock(mu_);
  bool done = applied_cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [&] {
    auto it = feed->applied.find(tp);
    return it != feed->applied.end() && it->second > at.offset;
  });
  if (!done) {
    return absl::DeadlineExceededError("the event was written to the log but is not applied yet");
  }
  return absl::OkStatus();
}

std::optional<registry::v1::Member> Projector::FindMember(const std::string& id) const {
  std::lock_guard lock(mu_);
  for (const auto& feed : feeds_) {
    if (const registry::v1::Member* member = feed->registry.Find(id)) return *member;
  }
  return std::nullopt;
}

std::optional<registry::v1::Member> Projector::FindMemberIn(std::string_view ecosystem,
                                                            const std::string& id) const {
  const Feed* feed = FindFeed(ecosystem);
  if (feed == nullptr) return std::nullopt;
  std::lock_guard lock(mu_);
  const registry::v1::Member* member = feed->registry.Find(id);
  if (member == nullptr) return std::nullopt;
  return *member;
}

std::optional<domain::PolicyProfile> Projector::Profile(std::string_view ecosystem) const {
  const Feed* feed = FindFeed(ecosystem);
  if (feed == nullptr) return std::nullopt;
  std::lock_guard lock(mu_);
  return feed->registry.CurrentProfile();
}

std::map<std::string, std::vector<std::string>, std::less<>> Projector::IssuerGroups() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::set<std::string>, std::less<>> members_of;
  for (const auto& feed : feeds_) {
    for (const auto& [id, member] : feed->registry.members()) {
      for (const std::string& group : member.admitted().groups()) members_of[group].insert(id);
    }
  }
  std::map<std::string, std::vector<std::string>, std::less<>> groups;
  for (auto& [group, ids] : members_of) groups[group].assign(ids.begin(), ids.end());
  return groups;
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
