#include "libs/command/command_path.h"

#include <gtest/gtest.h>

#include <atomic>

#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/events/reasons.h"
#include "libs/events/request_ids.h"
#include "libs/ports/testing/failing_event_log.h"
#include "libs/registry/secretariat.h"

namespace microcred::command {
namespace {

constexpr char kTopic[] = "mc.test.v1";
constexpr char kInstitution[] = "inst";

// Applies a "note" (a MemberAdmitted payload used as a test message) by storing its legal name
// under its key, and keeps its command's record unless it is a repeated note; refuses a note
// named "refuse".
class NotesProjection : public Projection {
 public:
  std::string name() const override { return "notes"; }
  std::vector<std::string> topics() const override { return {kTopic}; }
  absl::Status Apply(const VerifiedEvent& event, StateStore&, Effects& effects) override {
    auto note = events::UnpackPayload<registry::v1::MemberAdmitted>(event.body);
    if (!note.ok()) return events::Reject(events::reason::kInvalidPayload, note.status());
    if (note->legal_name() == "refuse") {
      return events::Reject(events::reason::kPolicyViolation, "asked to refuse");
    }
    effects.writes.Put("notes/note/" + event.body.partition_key(), note->legal_name());
    if (note->legal_name() != "again") {
      effects.command.emplace();
      effects.command->set_kind("note");
      effects.command->set_resource_id(event.body.partition_key());
    }
    ++applied;
    return absl::OkStatus();
  }
  std::atomic<int> applied{0};
};

// A store that counts its commits, and can lose everything.
class CountingStore : public StateStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override {
    return store_->Get(key);
  }
  absl::StatusOr<std::vector<std::optional<std::string>>> GetMany(
      const std::vector<std::string>& keys) override {
    return store_->GetMany(keys);
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string& prefix) override {
    return store_->ScanPrefix(prefix);
  }
  absl::Status Commit(const WriteBatch& batch) override {
    ++commits_;
    return store_->Commit(batch);
  }
  int commits() const { return commits_; }
  void Clear() { store_ = std::make_unique<MemoryStateStore>(); }

 private:
  std::unique_ptr<MemoryStateStore> store_ = std::make_unique<MemoryStateStore>();
  std::atomic<int> commits_{0};
};

class CommandPathTest : public testing::Test {
 protected:
  void SetUp() override {
    registry::v1::MemberAdmitted member;
    member.set_institution_id(kInstitution);
    *member.add_keys() = registry::RegisteredKey(key_.public_key());
    ASSERT_TRUE(root_.Admit(memory_log_, member).ok());
    StartNode();
  }

  // Starts (or restarts, on the same store) the projector and the command path.
  void StartNode() {
    path_.reset();
    projector_.reset();
    projection_ = std::make_unique<NotesProjection>();
    projector_ =
        std::make_unique<Projector>(log_, store_, *projection_, context_.projector_options());
    ASSERT_TRUE(projector_->Start(absl::Seconds(10)).ok());
    path_ = std::make_unique<CommandPath>(context_, *projector_, "client_request_id");
  }

  static registry::v1::MemberAdmitted Note(const std::string& text) {
    registry::v1::MemberAdmitted note;
    note.set_legal_name(text);
    return note;
  }

  // A command that writes `text` under `resource` and records it.
  CommandOutcome Outcome(const std::string& request_id, const std::string& resource,
                         const std::string& text) {
    CommandOutcome outcome;
    outcome.writes.Put("notes/local/" + resource, text);
    CommandRecord record;
    record.set_kind("note");
    record.set_resource_id(resource);
    outcome.records.emplace_back(request_id, record);
    outcome.events.push_back(path_->Seal(kTopic, resource, request_id, Note(text)));
    return outcome;
  }

  std::optional<std::string> Stored(const std::string& key) { return *store_.Get(key); }
  size_t OutboxSize() { return store_.ScanPrefix(projector_->OutboxKey(""))->size(); }
  int64_t LogEnd() { return memory_log_.EndPositions(kTopic)->begin()->second; }

  crypto::SigningKey key_ = crypto::SigningKey::Generate();
  registry::Secretariat root_{"eco", crypto::SigningKey::Generate()};
  events::EnvelopeSigner signer_{kInstitution, "inst-node", key_};
  domain::PolicyProfile profile_ = *domain::PolicyProfile::Named("eu");
  MemoryEventLog memory_log_;
  testing_ports::FailingEventLog log_{memory_log_};
  CountingStore store_;
  ServiceContext context_{.log = log_,
                          .store = store_,
                          .signer = signer_,
                          .profile = profile_,
                          .trust_anchors = {root_.anchor()},
                          .apply_timeout = absl::Seconds(10)};
  std::unique_ptr<NotesProjection> projection_;
  std::unique_ptr<Projector> projector_;
  std::unique_ptr<CommandPath> path_;
};

TEST_F(CommandPathTest, RequestIdsAreValidatedNamingTheServicesField) {
  auto scope = path_->Begin("cohort/row 17", "r");
  ASSERT_EQ(scope.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(scope.status().message(),
            "client_request_id: required, 1 to 128 characters from [A-Za-z0-9._:-]");
  EXPECT_FALSE(path_->Begin("", "r").ok());
  EXPECT_TRUE(path_->Begin("ok-1", "r").ok());
}

TEST_F(CommandPathTest, ARequestIdIsHeldUntilItsCommandEnds) {
  {
    auto first = path_->Claim("req-1");
    ASSERT_TRUE(first.ok());
    auto again = path_->Claim("req-1");
    EXPECT_EQ(again.status().code(), absl::StatusCode::kAborted);
    EXPECT_EQ(again.status().message(),
              "client_request_id: the same request is already being processed; retry");
    EXPECT_TRUE(path_->Claim("req-2").ok());
    RequestClaims::Claim moved = *std::move(first);
    EXPECT_FALSE(path_->Claim("req-1").ok());  // the moved claim still holds it
  }
  EXPECT_TRUE(path_->Claim("req-1").ok());
}

TEST_F(CommandPathTest, AWriteIsAppliedHereBeforeItReturnsAndItsRetryFindsTheRecord) {
  ASSERT_TRUE(*path_->Replay("req-1", "note") == std::nullopt);
  ASSERT_TRUE(path_->Write(Outcome("req-1", "a", "first")).ok());
  EXPECT_EQ(Stored("notes/local/a"), "first");
  EXPECT_EQ(Stored("notes/note/a"), "first");  // applied by the projection
  EXPECT_EQ(OutboxSize(), 0u);                 // cleared in the commit that applied it

  auto replayed = path_->Replay("req-1", "note");
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  ASSERT_TRUE(replayed->has_value());
  EXPECT_EQ((*replayed)->resource_id(), "a");
  EXPECT_EQ(LogEnd(), 1);  // nothing appended again
}

TEST_F(CommandPathTest, ACommandThatIsItsEventCommitsNothingBeforeItAndItsRecordIsRebuilt) {
  CommandOutcome outcome;
  outcome.events.push_back(path_->Seal(kTopic, "a", "req-1", Note("published")));
  int commits_before = store_.commits();
  ASSERT_TRUE(path_->Write(std::move(outcome)).ok());
  EXPECT_EQ(store_.commits() - commits_before, 1);  // the projector's, nothing before the append
  auto replayed = path_->Replay("req-1", "note");
  ASSERT_TRUE(replayed.ok() && replayed->has_value());
  EXPECT_EQ((*replayed)->resource_id(), "a");

  const auto before = *store_.ScanPrefix("");
  store_.Clear();  // the node lost its store: everything comes back from the log
  StartNode();
  EXPECT_EQ(*store_.ScanPrefix(""), before);
  replayed = path_->Replay("req-1", "note");
  ASSERT_TRUE(replayed.ok() && replayed->has_value());
  EXPECT_EQ((*replayed)->resource_id(), "a");
}

TEST_F(CommandPathTest, ARequestIdUsedForAnotherCommandIsRefused) {
  ASSERT_TRUE(path_->Write(Outcome("req-1", "a", "first")).ok());
  auto other = path_->Replay("req-1", "withdraw");
  ASSERT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(other.status().message(),
            "client_request_id: req-1 was already used for a note command");
}

TEST_F(CommandPathTest, ACrashBetweenCommitAndAppendIsRepairedByTheRetry) {
  CommandOutcome outcome = Outcome("req-1", "a", "first");
  ASSERT_TRUE(path_->Commit(outcome).ok());  // then the process dies
  EXPECT_EQ(OutboxSize(), 1u);
  EXPECT_EQ(Stored("notes/note/a"), std::nullopt);

  auto replayed = path_->Replay("req-1", "note");
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_TRUE(replayed->has_value());
  EXPECT_EQ(Stored("notes/note/a"), "first");
  EXPECT_EQ(OutboxSize(), 0u);
  EXPECT_EQ(LogEnd(), 1);
}

TEST_F(CommandPathTest, ARestartAppendsWhatTheOutboxHolds) {
  CommandOutcome first = Outcome("req-1", "a", "first");
  CommandOutcome second = Outcome("req-2", "b", "second");
  ASSERT_TRUE(path_->Commit(first).ok());
  ASSERT_TRUE(path_->Commit(second).ok());
  StartNode();
  ASSERT_TRUE(path_->RecoverOutbox().ok());
  EXPECT_EQ(Stored("notes/note/a"), "first");
  EXPECT_EQ(Stored("notes/note/b"), "second");
  EXPECT_EQ(OutboxSize(), 0u);
  EXPECT_EQ(LogEnd(), 2);
  ASSERT_TRUE(path_->RecoverOutbox().ok());  // nothing left to append
  EXPECT_EQ(LogEnd(), 2);
}

TEST_F(CommandPathTest, AnEventAppliedBeforeARestartIsNotAppendedAgainByTheRecovery) {
  CommandOutcome outcome = Outcome("req-1", "a", "first");
  ASSERT_TRUE(path_->Commit(outcome).ok());
  ASSERT_TRUE(memory_log_.AppendBatch({outcome.events[0].append}).ok());  // then the crash
  StartNode();  // its catch-up applies the event; the entry is still in the outbox
  EXPECT_EQ(Stored("notes/note/a"), "first");
  ASSERT_TRUE(path_->RecoverOutbox().ok());
  EXPECT_EQ(OutboxSize(), 0u);
  EXPECT_EQ(LogEnd(), 1);
  EXPECT_EQ(projector_->counters().duplicates_skipped, 0);
}

TEST_F(CommandPathTest, AnAppendThatFailedButLandedIsNotAppendedTwice) {
  log_.failures = 1;
  log_.written_anyway = true;
  EXPECT_EQ(path_->Write(Outcome("req-1", "a", "first")).code(), absl::StatusCode::kUnavailable);
  auto replayed = path_->Replay("req-1", "note");
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_TRUE(replayed->has_value());
  EXPECT_EQ(Stored("notes/note/a"), "first");
  EXPECT_EQ(LogEnd(), 1);  // the retry caught up with the log instead of appending again
  EXPECT_EQ(projector_->counters().duplicates_skipped, 0);
}

TEST_F(CommandPathTest, AnAppendThatFailedIsAppendedByTheRetry) {
  log_.failures = 1;
  EXPECT_EQ(path_->Write(Outcome("req-1", "a", "first")).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(LogEnd(), 0);
  ASSERT_TRUE(path_->Replay("req-1", "note").ok());
  EXPECT_EQ(Stored("notes/note/a"), "first");
  EXPECT_EQ(LogEnd(), 1);
}

TEST_F(CommandPathTest, AnEventItsOwnProjectionRefusesIsAnInternalErrorAndLeavesTheOutbox) {
  absl::Status written = path_->Write(Outcome("req-1", "a", "refuse"));
  EXPECT_EQ(written.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(OutboxSize(), 0u);  // the dead-letter topic keeps it; a restart does not resend it
  StartNode();
  ASSERT_TRUE(path_->RecoverOutbox().ok());
  EXPECT_EQ(LogEnd(), 1);
}

TEST_F(CommandPathTest, AForgedCopyOfItsEventIdRefusedEarlierDoesNotMakeTheCommandFail) {
  // Someone else signs an event under this node's name and the id our request will derive
  // (another ecosystem on the same broker, or a forger): every node refuses it.
  events::EnvelopeSigner forger(kInstitution, "inst-node", crypto::SigningKey::Generate());
  ASSERT_TRUE(memory_log_
                  .Append({kTopic, "a",
                           forger.Seal(Note("forged"), {.partition_key = "a",
                                                        .request_id = "req-1",
                                                        .event_id = events::EventIdForRequest(
                                                            kInstitution, "req-1")})})
                  .ok());
  ASSERT_TRUE(projector_->Sync(absl::Seconds(10)).ok());
  EXPECT_EQ(Stored("notes/note/a"), std::nullopt);
  ASSERT_TRUE(path_->Write(Outcome("req-1", "a", "first")).ok());
  EXPECT_EQ(Stored("notes/note/a"), "first");
}

// Issue 12, item 4: another member, under its own valid signature, appends the event id our
// next command will derive. Our event is applied all the same, and the command is done only
// because it was.
TEST_F(CommandPathTest, AnotherMembersEventUnderOurNextEventIdDoesNotDropOurs) {
  crypto::SigningKey other_key = crypto::SigningKey::Generate();
  registry::v1::MemberAdmitted other;
  other.set_institution_id("other");
  *other.add_keys() = registry::RegisteredKey(other_key.public_key());
  ASSERT_TRUE(root_.Admit(memory_log_, other).ok());
  events::EnvelopeSigner squatter("other", "inst-node", other_key);  // even our node's name
  ASSERT_TRUE(memory_log_
                  .Append({kTopic, "a",
                           squatter.Seal(Note("squat"), {.partition_key = "a",
                                                         .request_id = "req-1",
                                                         .event_id = events::EventIdForRequest(
                                                             kInstitution, "req-1")})})
                  .ok());
  ASSERT_TRUE(projector_->Sync(absl::Seconds(10)).ok());
  EXPECT_EQ(Stored("notes/note/a"), "squat");  // the test projection lets anyone write a note
  ASSERT_TRUE(path_->Write(Outcome("req-1", "a", "first")).ok());
  EXPECT_EQ(Stored("notes/note/a"), "first");
  EXPECT_EQ(projector_->counters().duplicates_skipped, 0);
}

// Another body of ours under the same id (the same request sealed again elsewhere) was applied
// first: this one was dropped, and the caller is not told it was applied.
TEST_F(CommandPathTest, AnotherBodyUnderOurEventIdAppliedFirstIsNotReportedAsDone) {
  ASSERT_TRUE(memory_log_
                  .Append({kTopic, "a",
                           signer_.Seal(Note("earlier"), {.partition_key = "a",
                                                          .request_id = "req-1",
                                                          .event_id = events::EventIdForRequest(
                                                              kInstitution, "req-1")})})
                  .ok());
  ASSERT_TRUE(projector_->Sync(absl::Seconds(10)).ok());
  CommandOutcome outcome;
  outcome.events.push_back(path_->Seal(kTopic, "a", "req-1", Note("later")));
  EXPECT_EQ(path_->Write(std::move(outcome)).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Stored("notes/note/a"), "earlier");
}

// A refused event is final (issue 12, item 5): a retry of its request id, decided again into
// another body, cannot be applied under the spent id, and the caller is told to use a new one.
TEST_F(CommandPathTest, ARetryOfARefusedCommandIsToldItsRequestIdIsSpent) {
  CommandOutcome refused;
  refused.events.push_back(path_->Seal(kTopic, "a", "req-1", Note("refuse")));
  EXPECT_EQ(path_->Write(std::move(refused)).code(), absl::StatusCode::kInternal);
  CommandOutcome retry;
  retry.events.push_back(path_->Seal(kTopic, "a", "req-1", Note("accepted now")));
  const absl::Status status = path_->Write(std::move(retry));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("new request id"), std::string::npos);
  EXPECT_EQ(Stored("notes/note/a"), std::nullopt);
  ASSERT_TRUE(path_->Write(Outcome("req-2", "a", "accepted now")).ok());
  EXPECT_EQ(Stored("notes/note/a"), "accepted now");
}

TEST_F(CommandPathTest, RepeatableEventsHaveFreshIdsAndAreEachApplied) {
  for (int i = 0; i < 2; ++i) {
    CommandOutcome outcome;
    outcome.events.push_back(path_->SealRepeatable(kTopic, "x", "req-erase", Note("again")));
    ASSERT_TRUE(path_->Write(std::move(outcome)).ok());
  }
  EXPECT_EQ(projection_->applied, 2);
  EXPECT_EQ(*path_->Replay("req-erase", "erase"), std::nullopt);  // no record is kept
}

TEST_F(CommandPathTest, ACohortIsCommittedOnceAndAppendedInOneBatch) {
  CommandOutcome cohort;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    const std::string id = "row-" + std::to_string(i);
    ids.push_back(id);
    CommandOutcome row = Outcome(id, "r" + std::to_string(i), "n" + std::to_string(i));
    cohort.records.push_back(row.records[0]);
    cohort.events.push_back(std::move(row.events[0]));
  }
  const int appends_before = log_.appends;
  ASSERT_TRUE(path_->Write(std::move(cohort)).ok());
  EXPECT_EQ(log_.appends - appends_before, 1);
  EXPECT_EQ(Stored("notes/note/r4"), "n4");
  ids.push_back("row-new");
  auto replayed = path_->ReplayMany(ids);
  ASSERT_TRUE(replayed.ok());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE((*replayed)[i].has_value());
  EXPECT_FALSE((*replayed)[5].has_value());
}

TEST_F(CommandPathTest, CommandsOnOneResourceRunOneAtATime) {
  auto first = path_->Begin("req-1", "spec-a");
  ASSERT_TRUE(first.ok());
  std::atomic<bool> second_entered{false};
  std::thread second([&] {
    auto scope = path_->Begin("req-2", "spec-a");
    second_entered = scope.ok();
  });
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_FALSE(second_entered);
  { CommandScope released = *std::move(first); }
  second.join();
  EXPECT_TRUE(second_entered);
}

// A node of two ecosystems: a command names the one its event goes to, and a crash's outbox
// entry goes back to that ecosystem's log.
class CommandPathInTwoEcosystemsTest : public CommandPathTest {
 protected:
  void SetUp() override {
    registry::v1::MemberAdmitted member;
    member.set_institution_id(kInstitution);
    *member.add_keys() = registry::RegisteredKey(alliance_key_.public_key());
    ASSERT_TRUE(alliance_root_.Admit(alliance_log_, member).ok());
    context_.further_ecosystems = {{.id = "alliance",
                                    .log = &alliance_log_,
                                    .signer = &in_alliance_,
                                    .trust_anchors = {alliance_root_.anchor()}}};
    CommandPathTest::SetUp();
  }

  int64_t AllianceEnd() { return alliance_log_.EndPositions(kTopic)->begin()->second; }

  crypto::SigningKey alliance_key_ = crypto::SigningKey::Generate();
  registry::Secretariat alliance_root_{"alliance", crypto::SigningKey::Generate()};
  events::EnvelopeSigner in_alliance_{kInstitution, "inst-node", alliance_key_, "alliance"};
  MemoryEventLog alliance_log_;
};

TEST_F(CommandPathInTwoEcosystemsTest, AnEventSealedInAnEcosystemGoesToItsLogAndIsAppliedThere) {
  auto sealed = path_->SealIn("alliance", kTopic, "a", "req-1", Note("joint"));
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_EQ(sealed->ecosystem_id, "alliance");
  CommandOutcome outcome;
  outcome.events.push_back(*std::move(sealed));
  ASSERT_TRUE(path_->Write(std::move(outcome)).ok());
  EXPECT_EQ(Stored("notes/note/a"), "joint");
  EXPECT_EQ(AllianceEnd(), 1);
  EXPECT_EQ(LogEnd(), 0);  // nothing in the home ecosystem's log

  auto elsewhere = path_->SealIn("nowhere", kTopic, "b", "req-2", Note("x"));
  EXPECT_EQ(elsewhere.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(elsewhere.status().message(),
            "ecosystem_id: this node has not joined ecosystem nowhere");
}

TEST_F(CommandPathInTwoEcosystemsTest, AnOutboxEntryIsAppendedToItsEcosystemsLogAfterACrash) {
  CommandOutcome outcome = Outcome("req-1", "a", "home");
  outcome.events.clear();
  outcome.events.push_back(*path_->SealIn("alliance", kTopic, "a", "req-1", Note("joint")));
  ASSERT_TRUE(path_->Commit(outcome).ok());  // the crash: committed, never appended
  EXPECT_EQ(OutboxSize(), 1u);
  StartNode();
  ASSERT_TRUE(path_->RecoverOutbox().ok());
  EXPECT_EQ(AllianceEnd(), 1);
  EXPECT_EQ(OutboxSize(), 0u);
  EXPECT_EQ(Stored("notes/note/a"), "joint");
}

}  // namespace
}  // namespace microcred::command
