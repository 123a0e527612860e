#include "libs/consumer/projector.h"

#include <chrono>

#include "libs/events/reasons.h"
#include "libs/events/topics.h"

namespace microcred {
namespace {

bool IsRefusal(const absl::Status& s) {
  return s.code() == absl::StatusCode::kFailedPrecondition ||
         s.code() == absl::StatusCode::kInvalidArgument;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
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
std::string Projector::SeenKey(const std::string& event_id) const {
  return prefix_ + "seen/" + event_id;
}
std::string Projector::MemberKey(const std::string& institution_id) const {
  return prefix_ + "member/" + institution_id;
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
  std::vector<std::string> topics = projection_.topics();
  topics.insert(topics.begin(), topics::kRegistry);
  LogPositions targets;
  for (const std::string& topic : topics) {
    auto ends = log_.EndPositions(topic);
    if (!ends.ok()) return ends.status();
    targets.insert(ends->begin(), ends->end());
  }
  return targets;
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
  std::vector<std::string> topics = projection_.topics();
  topics.insert(topics.begin(), topics::kRegistry);
  auto reader = log_.OpenReader(topics, applied_);
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

void Projector::Run() {
  while (!stopping_) {
    auto records = reader_->Poll(absl::ToChronoMilliseconds(options_.poll_interval));
    if (!records.ok()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    for (const LogRecord& record : *records) {
      // A transient failure (store or log unavailable) retries the same record: never skip.
      while (!stopping_ && !Handle(record).ok()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      if (stopping_) return;
    }
  }
}

bool Projector::AlreadyApplied(const LogRecord& record) const {
  std::lock_guard lock(mu_);
  auto it = applied_.find({record.topic, record.partition});
  return it != applied_.end() && record.offset < it->second;
}

absl::Status Projector::Handle(const LogRecord& record) {
  if (AlreadyApplied(record)) return absl::OkStatus();
  if (record.topic == topics::kRegistry) return HandleRegistryRecord(record);
  return HandleDomainRecord(record);
}

absl::Status Projector::HandleRegistryRecord(const LogRecord& record) {
  auto env = events::ParseEnvelope(record.value);
  if (!env.ok()) return Refuse(record, events::Reject(events::reason::kMalformed, env.status()));
  auto admitted = registry_.CheckAdmission(*env);
  if (!admitted.ok()) return Refuse(record, admitted.status());

  registry::v1::Member member;
  if (const registry::v1::Member* known = registry_.Find(admitted->institution_id())) {
    member = *known;
  }
  *member.mutable_admitted() = *admitted;
  WriteBatch writes;
  writes.Put(MemberKey(admitted->institution_id()), member.SerializeAsString());
  if (absl::Status s = CommitWith(std::move(writes), record, env->body.event_id()); !s.ok()) {
    return s;
  }
  {
    std::lock_guard lock(mu_);
    registry_.Admit(*admitted);
  }
  MarkApplied(record);
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
  auto reader = log_.OpenReader({topics::kRegistry}, from);
  if (!reader.ok()) return reader.status();
  auto behind = [&] {
    std::lock_guard lock(mu_);
    for (const auto& [tp, end] : *ends) {
      auto it = applied_.find(tp);
      if (end > 0 && (it == applied_.end() || it->second < end)) return true;
    }
    return false;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (behind() && std::chrono::steady_clock::now() < deadline) {
    auto records = (*reader)->Poll(std::chrono::milliseconds(100));
    if (!records.ok()) return records.status();
    for (const LogRecord& r : *records) {
      if (AlreadyApplied(r)) continue;
      if (absl::Status s = HandleRegistryRecord(r); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status Projector::HandleDomainRecord(const LogRecord& record) {
  auto env = events::ParseEnvelope(record.value);
  if (!env.ok()) return Refuse(record, events::Reject(events::reason::kMalformed, env.status()));
  if (env->body.schema_version() != events::kSchemaVersion) {
    return Refuse(
        record,
        events::Reject(events::reason::kUnsupportedSchema,
                       "schema version " + std::to_string(env->body.schema_version()) + " of " +
                           env->body.event_type() + " is not supported by this node"));
  }
  absl::Status signed_by = registry_.CheckSignedBy(*env);
  std::string code = events::ReasonCode(signed_by);
  if (!signed_by.ok() &&
      (code == events::reason::kUnknownInstitution || code == events::reason::kUnknownKey)) {
    // The admission may simply not have been read yet: the registry topic is a separate log.
    if (absl::Status s = CatchUpRegistry(); !s.ok()) return s;
    signed_by = registry_.CheckSignedBy(*env);
  }
  if (!signed_by.ok()) return Refuse(record, signed_by);

  auto seen = store_.Get(SeenKey(env->body.event_id()));
  if (!seen.ok()) return seen.status();
  if (seen->has_value()) {
    {
      std::lock_guard lock(mu_);
      ++counters_.duplicates_skipped;
    }
    if (absl::Status s = CommitWith(WriteBatch{}, record, ""); !s.ok()) return s;
    MarkApplied(record);
    return absl::OkStatus();
  }

  const registry::v1::Member source = *registry_.Find(env->body.source_institution());
  VerifiedEvent event{record, env->body, source, registry_};
  WriteBatch writes;
  absl::Status applied = projection_.Apply(event, store_, writes);
  if (!applied.ok()) return IsRefusal(applied) ? Refuse(record, applied) : applied;
  if (absl::Status s = CommitWith(std::move(writes), record, env->body.event_id()); !s.ok()) {
    return s;
  }
  projection_.Committed(event);
  {
    std::lock_guard lock(mu_);
    ++counters_.applied;
  }
  MarkApplied(record);
  return absl::OkStatus();
}

absl::Status Projector::Refuse(const LogRecord& record, const absl::Status& refusal) {
  events::v1::DeadLetter letter;
  letter.set_topic(record.topic);
  letter.set_partition(record.partition);
  letter.set_offset(record.offset);
  letter.set_reason_code(events::ReasonCode(refusal));
  letter.set_reason(std::string(refusal.message()));
  letter.set_consumer_node(options_.node_id);
  letter.set_consumer_service(projection_.name());
  letter.set_rejected_at_ms(NowMs());
  letter.set_record_key(record.key);
  letter.set_record_value(record.value);
  auto appended = log_.Append({topics::kDeadLetter, record.key, letter.SerializeAsString()});
  if (!appended.ok()) return appended.status();
  if (options_.on_refusal) options_.on_refusal(letter);
  if (absl::Status s = CommitWith(WriteBatch{}, record, ""); !s.ok()) return s;
  {
    std::lock_guard lock(mu_);
    ++counters_.refused_by_reason[letter.reason_code()];
  }
  MarkApplied(record);
  return absl::OkStatus();
}

absl::Status Projector::CommitWith(WriteBatch writes, const LogRecord& record,
                                   const std::string& event_id) {
  writes.Put(OffsetKey({record.topic, record.partition}), std::to_string(record.offset + 1));
  if (!event_id.empty()) writes.Put(SeenKey(event_id), "");
  return store_.Commit(writes);
}

void Projector::MarkApplied(const LogRecord& record) {
  {
    std::lock_guard lock(mu_);
    applied_[{record.topic, record.partition}] = record.offset + 1;
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

Projector::Counters Projector::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

}  // namespace microcred
