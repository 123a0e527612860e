// Projector: the one consumer loop every service uses to turn the shared topics into its state.
//
// A node may have joined several ecosystems, each with its own log and registry: the projector
// reads every one of them (one thread, polling each log in turn), checks each log's events
// against that ecosystem's registry only, refuses an event that states another ecosystem than
// its log's (WRONG_ECOSYSTEM, marking nothing: a copy in the wrong log must not spend the id in
// the right one), writes its dead letters to the log the record came from, and tells the
// projection which ecosystem each event came from (VerifiedEvent::ecosystem).
//
// For each record of the registry topic and of the projection's topics, in log order, it
//   1. parses the signed envelope and checks it against the trust registry (registry events
//      against the ecosystem roots, other events against the source institution's keys);
//   2. skips events whose source and id it has already applied or refused (a replayed or
//      re-sent event): event ids are scoped by the verified source (the signing member, or the
//      root for registry events), so one member cannot take another's ids;
//   3. asks the projection what the event changes, and commits those writes together with the
//      consumed offset and the event's seen marker in ONE atomic StateStore batch
//      (exactly-once effect);
//   4. or, when the event is refused, appends a DeadLetter with the reason to the dead-letter
//      topic, commits the offset, and goes on. A refusal of an envelope whose signature
//      verified against its source's key is final: its seen marker is committed with the
//      offset, so a later copy (same source and id, or the same bytes) is a duplicate and is
//      never applied, whatever the state has become. A refusal that proves nothing about the
//      source (malformed, bad signature, unknown member or key) or that only says this node
//      cannot read the event yet (UNSUPPORTED_SCHEMA) marks nothing.
// The seen marker `<p>/seen-in/<ecosystem>/<source>/<event id>` (`<p>/seen-from/<source>/<event
// id>` for an event that states no ecosystem) records whether the event was applied or refused
// and the digest of the body that was (EventFate), so that a command can tell its own event
// applied from another body under its id. Markers of the previous version
// (`<p>/seen/<event id>`, no source, no digest) are still honoured as duplicates in a store that
// has them (Start() tells: no `<p>/seen-format` key beside its offsets); they prove nothing.
// On start it loads its offsets and the registry from the store; an empty store means a rebuild:
// it replays every topic from the beginning. Start() returns once the state has caught up with
// the log as it was when Start() was called.
//
// Records are applied in batches (up to kMaxBatch, or what one poll returned): each event reads
// the staged effects of the events before it, and the whole batch, offsets and event ids
// included, is one atomic commit. Waiters are woken once the batch is committed and the
// in-memory updates have run.
#ifndef MICROCRED_LIBS_CONSUMER_PROJECTOR_H_
#define MICROCRED_LIBS_CONSUMER_PROJECTOR_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "libs/base/clock.h"
#include "libs/events/envelope.h"
#include "libs/events/reasons.h"
#include "libs/ports/event_log.h"
#include "libs/ports/state_store.h"
#include "libs/registry/registry.h"
#include "microcred/events/v1/commands.pb.h"

namespace microcred {

struct VerifiedEvent {
  const LogRecord& record;
  const events::v1::EnvelopeBody& body;
  const registry::v1::Member& source;
  const registry::Registry& registry;  // the event's ecosystem's, as of this event
  std::string_view ecosystem;          // whose log the event was read from
};

// The event's payload as an `M`; refused as INVALID_PAYLOAD when it is not one.
template <typename M>
absl::StatusOr<M> UnpackEvent(const VerifiedEvent& event) {
  auto payload = events::UnpackPayload<M>(event.body);
  if (!payload.ok()) return events::Reject(events::reason::kInvalidPayload, payload.status());
  return payload;
}

// What applying one event changes.
struct Effects {
  WriteBatch writes;                   // committed atomically with the consumed offset
  std::function<void()> after_commit;  // in-memory updates (indexes), run once committed
  // For an event that is all its command changed (a publication, a status change): what the
  // command produced, kept under the event's client request id so that a retry of the command
  // is answered with it, at every node and after a rebuild (libs/command/command_path.h).
  std::optional<events::v1::CommandRecord> command;
};

class Projection {
 public:
  virtual ~Projection() = default;
  // Prefix of every key the projection and its projector write, e.g. "catalogue".
  virtual std::string name() const = 0;
  // The topics it consumes, besides the registry topic.
  virtual std::vector<std::string> topics() const = 0;
  // Decides what `event` changes, reading state from `state` (which includes the effects of
  // the events before it), and fills `effects`. A refusal (events::Reject, or any
  // INVALID_ARGUMENT/FAILED_PRECONDITION) sends the record to the dead-letter topic; any other
  // error is transient and the event is retried.
  virtual absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) = 0;
  // The keys Apply will read for this event, so that a batch's reads take one round trip.
  virtual std::vector<std::string> KeysToPrefetch(const events::v1::EnvelopeBody& /*body*/) const {
    return {};
  }
  // At start, before consuming: rebuild in-memory indexes from what the store holds.
  virtual absl::Status Load(StateStore& /*store*/, const registry::Registry& /*registry*/) {
    return absl::OkStatus();
  }
};

// What became of an envelope, as its seen marker tells (Projector::Fates).
enum class EventFate {
  kUnseen,      // no event of its source with its id was applied or refused
  kApplied,     // this very body was applied
  kRefused,     // this very body was refused, for good
  kSuperseded,  // another body under its source and id was applied first, or a marker of
                // the previous version (source and body unknown) holds its id
  kIdRefused,   // another body under its source and id was refused: the id is spent (a
                // refusal is final), this body was dropped
};

// An ecosystem's log besides the home one (ProjectorOptions::further_ecosystems).
struct ProjectorFeed {
  std::string ecosystem_id;
  EventLog* log = nullptr;
  std::vector<registry::TrustAnchor> trust_anchors;
  const events::SealedEnvelopes* sealed_here = nullptr;  // as ProjectorOptions::sealed_here
};

struct ProjectorOptions {
  std::string node_id;
  // The institution the node signs for: with node_id, what makes an event the node's own (its
  // outbox entry is cleared). A member can write any source_node; it cannot sign for us.
  std::string institution_id;
  // The ecosystem of the log the projector is constructed with (the node's home) and its roots.
  // Empty: events are not checked for the ecosystem they state, and positions are kept under
  // `<p>/offset/` (a projector that reads one log, in unit tests).
  std::string ecosystem_id;
  std::vector<registry::TrustAnchor> trust_anchors;
  // The other ecosystems the node joined, each read from its own log.
  std::vector<ProjectorFeed> further_ecosystems;
  absl::Duration poll_interval = absl::Milliseconds(100);
  // Told about every refusal, after its dead letter is written (for logs and metrics).
  std::function<void(const events::v1::DeadLetter&)> on_refusal;
  // The envelopes this process sealed (its EnvelopeSigner's): their signatures are not
  // verified again when read back. Null: verify every envelope.
  const events::SealedEnvelopes* sealed_here = nullptr;
  Clock clock;  // when dead letters say a record was refused
};

class Projector {
 public:
  static constexpr size_t kMaxBatch = 500;

  // Reads `log`, the home ecosystem's (options.ecosystem_id), and the logs of
  // options.further_ecosystems.
  Projector(EventLog& log, StateStore& store, Projection& projection, ProjectorOptions options);
  ~Projector();  // stops the loop

  Projector(const Projector&) = delete;
  Projector& operator=(const Projector&) = delete;

  // Loads state, starts the consumer thread, and waits until every log's current end is
  // applied.
  absl::Status Start(absl::Duration catch_up_timeout = absl::Minutes(10));
  void Stop();

  // Blocks until the record appended at `at` on `topic` of `ecosystem`'s log (the home's when
  // empty) has been applied or refused. NOT_FOUND for an ecosystem this projector does not read.
  absl::Status WaitApplied(std::string_view ecosystem, const std::string& topic,
                           const AppendResult& at, absl::Duration timeout);
  absl::Status WaitApplied(const std::string& topic, const AppendResult& at,
                           absl::Duration timeout) {
    return WaitApplied(home_ecosystem(), topic, at, timeout);
  }

  // Blocks until every record in every log when called (on every consumed topic) is applied or
  // refused: after it, this node has seen everything other nodes had written before.
  absl::Status Sync(absl::Duration timeout);

  // What became of each of `envelopes` (serialised SignedEnvelopes, as appended), in order,
  // from the store's seen markers: what a command that waited for its events asks. Only a
  // marker of the envelope's source and id recording this body's digest says kApplied.
  absl::StatusOr<std::vector<EventFate>> Fates(
      const std::vector<std::string_view>& envelopes) const;
  // Where a command of this node keeps an event of this projection's topics until it is applied
  // (libs/command/command_path.h). Once UseOutbox() was called (before the first entry is
  // committed), the projector deletes the entry of each event of this node in the commit that
  // applies the event, or once it has refused it; before, it writes nothing for them, so that
  // a rebuild from the log pays nothing for an outbox that is empty.
  std::string OutboxKey(const std::string& event_id) const;
  void UseOutbox();
  // Where the record of `institution`'s command with `request_id` is kept (Effects::command).
  std::string CommandKey(std::string_view institution, std::string_view request_id) const;

  // The ecosystems it reads, the home first.
  std::vector<std::string> ecosystems() const;
  const std::string& home_ecosystem() const { return options_.ecosystem_id; }
  // A copy of a registry member: in `ecosystem`'s registry; or, without one, in the first of
  // the ecosystems (home first) whose registry knows it.
  std::optional<registry::v1::Member> FindMember(const std::string& institution_id) const;
  std::optional<registry::v1::Member> FindMemberIn(std::string_view ecosystem,
                                                   const std::string& institution_id) const;
  // The issuer groups (alliances) of every registry it reads: group -> its members' ids,
  // sorted, each once.
  std::map<std::string, std::vector<std::string>, std::less<>> IssuerGroups() const;
  // How many registry changes this projector has applied since it started (every ecosystem):
  // what derived views of the registry (such as IssuerGroups) compare to know they are current.
  uint64_t registry_changes() const;

  struct Counters {
    int64_t applied = 0;
    int64_t duplicates_skipped = 0;
    int64_t own_signatures_trusted = 0;  // envelopes found in ProjectorOptions::sealed_here
    std::map<std::string, int64_t> refused_by_reason;
  };
  Counters counters() const;

  // The projection this projector feeds (Projection::name()).
  std::string name() const;
  // The topics it consumes in each ecosystem's log: the registry's, then the projection's.
  std::vector<std::string> ConsumedTopics() const;
  // Per consumed topic, how many records before `ends` (`ecosystem`'s log's end offsets, as
  // EventLog::EndPositions gives them) this projector has not applied or refused yet. The
  // caller reads the ends once for all the projectors of a process.
  std::map<std::string, int64_t> Lag(std::string_view ecosystem, const LogPositions& ends) const;
  std::map<std::string, int64_t> Lag(const LogPositions& ends) const {
    return Lag(home_ecosystem(), ends);
  }

 private:
  class Batch;  // the records staged for one commit
  struct Feed;  // one ecosystem's log, registry and positions

  absl::Status LoadState();
  absl::Status LoadFeedState(Feed& feed);
  absl::StatusOr<std::vector<LogPositions>> EndOfConsumedTopics();
  // Waits until `targets` (one per feed) are applied.
  absl::Status WaitAppliedAll(const std::vector<LogPositions>& targets, absl::Duration timeout);
  void Run();
  void ApplyRecords(Feed& feed, const std::vector<LogRecord>& records);
  // Verifies, on two threads, the envelope signatures of the batch that starts at `from`
  // against the keys registered now; the checks of membership, suspension and retired keys stay
  // with the staging, which sees the registry as it changes within the batch.
  void VerifySignatures(const Feed& feed, const std::vector<LogRecord>& records, size_t from,
                        Batch& batch) const;
  // Reads, in one round trip, what staging `records` will read: the seen-event markers and the
  // keys the projection names.
  absl::Status Prefetch(const std::vector<LogRecord>& records, size_t from, Batch& batch);
  // Stages one record in `batch`; a non-OK status is transient (retry the record later).
  absl::Status Stage(Feed& feed, const LogRecord& record, Batch& batch);
  absl::Status StageRegistryRecord(Feed& feed, const LogRecord& record, Batch& batch);
  absl::Status StageDomainRecord(Feed& feed, const LogRecord& record, Batch& batch);
  absl::Status StageDuplicate(Feed& feed, const LogRecord& record, Batch& batch);
  // `final_refusal`: the envelope's source is proven (its signature verified), so a later copy
  // must never be applied; its seen marker goes with the refusal.
  absl::Status StageRefusal(Feed& feed, const LogRecord& record, const absl::Status& refusal,
                            Batch& batch, bool final_refusal = false);
  // WRONG_ECOSYSTEM when the envelope states another ecosystem than the feed's.
  absl::Status CheckStatedEcosystem(const Feed& feed, const events::v1::EnvelopeBody& body) const;
  // Whether an event of this source with this id was applied or refused before (a duplicate).
  absl::StatusOr<bool> Seen(const events::UnverifiedEnvelope& env, Batch& batch) const;
  // Whether a refused record is signed by its source's key (a trusted root, or a member's
  // registered key): only then can its refusal be final.
  bool SourceProven(const Feed& feed, const events::UnverifiedEnvelope& env) const;
  bool SealedHere(const Feed& feed, const events::UnverifiedEnvelope& env,
                  const LogRecord& record) const;
  // Commits the batch, runs its in-memory updates, and wakes the waiters.
  absl::Status Flush(Feed& feed, Batch& batch);
  // Applies registry records up to the registry topic's current end, each committed at once.
  absl::Status CatchUpRegistry(Feed& feed);
  bool AlreadyApplied(const Feed& feed, const LogRecord& record) const;
  void MarkApplied(Feed& feed, const TopicPartition& tp, int64_t next_offset);
  std::string OffsetKey(const Feed& feed, const TopicPartition& tp) const;
  std::string SeenKey(const events::v1::EnvelopeBody& body) const;
  std::string LegacySeenKey(const std::string& event_id) const;  // the previous version's
  std::string MemberKey(const Feed& feed, const std::string& institution_id) const;
  const Feed* FindFeed(std::string_view ecosystem) const;
  // An event of this node (ProjectorOptions::node_id).
  bool IsOwn(const events::v1::EnvelopeBody& body) const;
  // An event of this node whose outbox entry this projector deletes.
  bool ClearsOutboxOf(const events::v1::EnvelopeBody& body) const;

  StateStore& store_;
  Projection& projection_;
  ProjectorOptions options_;
  std::atomic<bool> outbox_in_use_{false};
  const std::string prefix_;
  // The store holds markers of the previous version (set by LoadState, before the thread).
  bool legacy_markers_ = false;
  std::atomic<bool> format_written_{false};  // seen-format is in the store

  mutable std::mutex mu_;
  std::condition_variable applied_cv_;
  std::vector<std::unique_ptr<Feed>> feeds_;  // the home first; their registries and positions
                                              // are under mu_
  uint64_t registry_changes_ = 0;             // under mu_
  Counters counters_;                         // under mu_

  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_CONSUMER_PROJECTOR_H_
