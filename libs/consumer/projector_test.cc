#include "libs/consumer/projector.h"

#include <gtest/gtest.h>

#include <atomic>

#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/events/reasons.h"
#include "libs/events/topics.h"
#include "libs/registry/secretariat.h"

namespace microcred {
namespace {

constexpr char kTopic[] = "mc.test.v1";

// Counts the events it applies in one key, and refuses those whose payload says "refuse";
// refuses "needs-open" until an "open" was applied (a refusal that depends on the state).
class CountingProjection : public Projection {
 public:
  explicit CountingProjection(std::string topic = kTopic) : topic_(std::move(topic)) {}
  std::string name() const override { return "counting"; }
  std::vector<std::string> topics() const override { return {topic_}; }
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override {
    auto member = events::UnpackPayload<registry::v1::MemberAdmitted>(event.body);
    if (!member.ok()) return events::Reject(events::reason::kInvalidPayload, member.status());
    if (member->legal_name() == "refuse") {
      return events::Reject(events::reason::kPolicyViolation, "asked to refuse");
    }
    if (member->legal_name() == "open") effects.writes.Put("counting/open", "");
    if (member->legal_name() == "needs-open") {
      auto open = state.Get("counting/open");
      if (!open.ok()) return open.status();
      if (!open->has_value()) return events::Reject(events::reason::kPolicyViolation, "closed");
    }
    auto count = state.Get("counting/count");
    if (!count.ok()) return count.status();
    int n = count->has_value() ? std::stoi(**count) : 0;
    effects.writes.Put("counting/count", std::to_string(n + 1));
    effects.after_commit = [this] { ++seen_in_memory; };
    return absl::OkStatus();
  }
  std::atomic<int> seen_in_memory{0};

 private:
  std::string topic_;
};

// A store whose next `failures` commits fail, as a Redis that went away would.
class FlakyStore : public StateStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override {
    return store_.Get(key);
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string& prefix) override {
    return store_.ScanPrefix(prefix);
  }
  absl::Status Commit(const WriteBatch& batch) override {
    if (failures > 0) {
      --failures;
      return absl::UnavailableError("store down");
    }
    return store_.Commit(batch);
  }
  std::atomic<int> failures{0};

 private:
  MemoryStateStore store_;
};

class ProjectorTest : public testing::Test {
 protected:
  void SetUp() override {
    registry::v1::MemberAdmitted member;
    member.set_institution_id("inst");
    *member.add_keys() = registry::RegisteredKey(key_.public_key());
    ASSERT_TRUE(root_.Admit(log_, member).ok());
    registry::v1::MemberAdmitted other;
    other.set_institution_id("other");
    *other.add_keys() = registry::RegisteredKey(other_key_.public_key());
    ASSERT_TRUE(root_.Admit(log_, other).ok());
  }

  std::string Event(const std::string& payload_name, const std::string& event_id = "") {
    registry::v1::MemberAdmitted payload;
    payload.set_legal_name(payload_name);
    return signer_.Seal(payload, {.partition_key = "k", .event_id = event_id});
  }

  std::unique_ptr<Projector> Start(StateStore& store, CountingProjection& projection) {
    auto projector = std::make_unique<Projector>(
        log_, store, projection,
        ProjectorOptions{.node_id = "n", .trust_anchors = {root_.anchor()}});
    EXPECT_TRUE(projector->Start(absl::Seconds(10)).ok());
    return projector;
  }

  std::string Count(StateStore& store) { return store.Get("counting/count")->value_or("0"); }

  crypto::SigningKey key_ = crypto::SigningKey::Generate();
  registry::Secretariat root_{"eco", crypto::SigningKey::Generate()};
  events::EnvelopeSigner signer_{"inst", "node", key_};
  crypto::SigningKey other_key_ = crypto::SigningKey::Generate();
  events::EnvelopeSigner other_{"other", "other-node", other_key_};
  MemoryEventLog log_;
};

registry::v1::MemberAdmitted Named(const std::string& name) {
  registry::v1::MemberAdmitted payload;
  payload.set_legal_name(name);
  return payload;
}

TEST_F(ProjectorTest, AppliesEachEventOnceAcrossRestarts) {
  for (int i = 0; i < 1200; ++i) ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  MemoryStateStore store;
  {
    CountingProjection projection;
    auto projector = Start(store, projection);
    EXPECT_EQ(Count(store), "1200");
    EXPECT_EQ(projection.seen_in_memory, 1200);
    EXPECT_EQ(projector->counters().applied, 1200);
  }
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  CountingProjection projection;
  auto projector = Start(store, projection);  // resumes from the stored offsets
  EXPECT_EQ(Count(store), "1205");
  EXPECT_EQ(projector->counters().applied, 5);
}

TEST_F(ProjectorTest, LagCountsWhatTheLogHoldsBeyondWhatIsApplied) {
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  MemoryStateStore store;
  CountingProjection projection;
  Projector projector(log_, store, projection,
                      ProjectorOptions{.node_id = "n", .trust_anchors = {root_.anchor()}});
  EXPECT_EQ(projector.ConsumedTopics(), (std::vector<std::string>{topics::kRegistry, kTopic}));
  LogPositions ends;
  for (const std::string& topic : {std::string(topics::kRegistry), std::string(kTopic)}) {
    auto end = log_.EndPositions(topic);
    ASSERT_TRUE(end.ok());
    ends.insert(end->begin(), end->end());
  }
  ends[{"mc.other.v1", 0}] = 5;  // a topic it does not consume: not reported
  const std::map<std::string, int64_t> before = projector.Lag(ends);
  EXPECT_EQ(before, (std::map<std::string, int64_t>{{topics::kRegistry, 2}, {kTopic, 7}}));
  ASSERT_TRUE(projector.Start(absl::Seconds(10)).ok());
  const std::map<std::string, int64_t> after = projector.Lag(ends);
  EXPECT_EQ(after, (std::map<std::string, int64_t>{{topics::kRegistry, 0}, {kTopic, 0}}));
  EXPECT_EQ(projector.name(), projection.name());
}

TEST_F(ProjectorTest, AnEventIdSeenBeforeIsSkippedEvenInTheSameBatch) {
  std::string once = Event("e", "same-id");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(log_.Append({kTopic, "k", once}).ok());
  ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  MemoryStateStore store;
  CountingProjection projection;
  auto projector = Start(store, projection);
  EXPECT_EQ(Count(store), "2");
  EXPECT_EQ(projector->counters().duplicates_skipped, 2);
}

TEST_F(ProjectorTest, StoreFailuresAreRetriedAndNothingIsSkipped) {
  FlakyStore store;
  CountingProjection projection;
  auto projector = Start(store, projection);
  store.failures = 3;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  ASSERT_TRUE(projector->Sync(absl::Seconds(10)).ok());
  EXPECT_EQ(Count(store), "10");
  EXPECT_EQ(store.failures, 0);
}

TEST_F(ProjectorTest, RefusalsGoToTheDeadLetterTopicAndTheRestIsApplied) {
  ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  ASSERT_TRUE(log_.Append({kTopic, "k", Event("refuse")}).ok());
  ASSERT_TRUE(log_.Append({kTopic, "k", "not an envelope"}).ok());
  ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  MemoryStateStore store;
  CountingProjection projection;
  auto projector = Start(store, projection);
  EXPECT_EQ(Count(store), "2");
  auto counters = projector->counters();
  EXPECT_EQ(counters.refused_by_reason["POLICY_VIOLATION"], 1);
  EXPECT_EQ(counters.refused_by_reason["MALFORMED"], 1);
  auto ends = log_.EndPositions(topics::kDeadLetter);
  EXPECT_EQ(ends->begin()->second, 2);
}

TEST_F(ProjectorTest, OwnEnvelopesAreNotVerifiedAgainButTamperedCopiesAre) {
  const std::string genuine = Event("e", "own-event");
  events::v1::SignedEnvelope tampered;
  ASSERT_TRUE(tampered.ParseFromString(genuine));
  tampered.mutable_signature()->back() ^= 1;  // same event id, other bytes
  ASSERT_TRUE(log_.Append({kTopic, "k", tampered.SerializeAsString()}).ok());
  ASSERT_TRUE(log_.Append({kTopic, "k", genuine}).ok());
  ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  MemoryStateStore store;
  CountingProjection projection;
  Projector projector(
      log_, store, projection,
      ProjectorOptions{
          .node_id = "n", .trust_anchors = {root_.anchor()}, .sealed_here = &signer_.sealed()});
  ASSERT_TRUE(projector.Start(absl::Seconds(10)).ok());
  EXPECT_EQ(Count(store), "2");
  auto counters = projector.counters();
  EXPECT_EQ(counters.refused_by_reason["BAD_SIGNATURE"], 1);
  EXPECT_EQ(counters.own_signatures_trusted, 2);
}

TEST_F(ProjectorTest, SignaturesVerifiedAheadOfABatchStillRefuseForgeries) {
  for (int i = 0; i < 120; ++i) {
    std::string event = Event("e");
    if (i == 50) {
      events::v1::SignedEnvelope tampered;
      ASSERT_TRUE(tampered.ParseFromString(event));
      tampered.mutable_signature()->front() ^= 1;
      event = tampered.SerializeAsString();
    }
    ASSERT_TRUE(log_.Append({kTopic, "k", event}).ok());
  }
  MemoryStateStore store;
  CountingProjection projection;
  auto projector = Start(store, projection);
  EXPECT_EQ(Count(store), "119");
  EXPECT_EQ(projector->counters().refused_by_reason["BAD_SIGNATURE"], 1);
}

TEST_F(ProjectorTest, WithoutSealedEnvelopesEverySignatureIsVerified) {
  ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  MemoryStateStore store;
  CountingProjection projection;
  auto projector = Start(store, projection);
  EXPECT_EQ(Count(store), "1");
  EXPECT_EQ(projector->counters().own_signatures_trusted, 0);
}

TEST_F(ProjectorTest, AMemberAdmittedLaterIsTrustedFromThenOn) {
  MemoryStateStore store;
  CountingProjection projection;
  auto projector = Start(store, projection);
  crypto::SigningKey late_key = crypto::SigningKey::Generate();
  events::EnvelopeSigner late("late", "node", late_key);
  registry::v1::MemberAdmitted payload;
  ASSERT_TRUE(log_.Append({kTopic, "k", late.Seal(payload, {.partition_key = "k"})}).ok());
  ASSERT_TRUE(projector->Sync(absl::Seconds(5)).ok());
  EXPECT_EQ(projector->counters().refused_by_reason["UNKNOWN_INSTITUTION"], 1);

  registry::v1::MemberAdmitted member;
  member.set_institution_id("late");
  *member.add_keys() = registry::RegisteredKey(late_key.public_key());
  ASSERT_TRUE(root_.Admit(log_, member).ok());
  ASSERT_TRUE(log_.Append({kTopic, "k", late.Seal(payload, {.partition_key = "k"})}).ok());
  ASSERT_TRUE(projector->Sync(absl::Seconds(5)).ok());
  EXPECT_EQ(Count(store), "1");
  ASSERT_TRUE(projector->FindMember("late").has_value());
}

TEST_F(ProjectorTest, RegistryEventsNotSignedByATrustedRootAreRefused) {
  registry::Secretariat impostor("eco", crypto::SigningKey::Generate());
  registry::v1::MemberAdmitted member;
  member.set_institution_id("rogue");
  *member.add_keys() = registry::RegisteredKey(crypto::SigningKey::Generate().public_key());
  ASSERT_TRUE(impostor.Admit(log_, member).ok());
  MemoryStateStore store;
  CountingProjection projection;
  auto projector = Start(store, projection);
  EXPECT_FALSE(projector->FindMember("rogue").has_value());
  EXPECT_EQ(projector->counters().refused_by_reason["BAD_SIGNATURE"], 1);
}

// Issue 12, item 4: another member signs, under its own valid signature, the id the next event
// of "inst" will carry. Both are applied: an id collides only with events of the same source.
TEST_F(ProjectorTest, AnotherSourcesEventWithTheSameIdDoesNotHideTheEvent) {
  const std::string squat = other_.Seal(Named("e"), {.partition_key = "k", .event_id = "next"});
  const std::string real = signer_.Seal(Named("e"), {.partition_key = "k", .event_id = "next"});
  ASSERT_TRUE(log_.Append({kTopic, "k", squat}).ok());
  ASSERT_TRUE(log_.Append({kTopic, "k", real}).ok());
  MemoryStateStore store;
  CountingProjection projection;
  auto projector = Start(store, projection);
  EXPECT_EQ(Count(store), "2");
  EXPECT_EQ(projector->counters().duplicates_skipped, 0);
  auto fates = projector->Fates({real, squat});
  ASSERT_TRUE(fates.ok()) << fates.status();
  EXPECT_EQ(*fates, (std::vector<EventFate>{EventFate::kApplied, EventFate::kApplied}));
}

// A marker proves that this very body was applied: another body under the same source and id,
// dropped as a duplicate, is not.
TEST_F(ProjectorTest, FatesTellThisBodyFromAnotherUnderTheSameId) {
  const std::string first = signer_.Seal(Named("e"), {.partition_key = "k", .event_id = "x"});
  const std::string second = signer_.Seal(Named("f"), {.partition_key = "k", .event_id = "x"});
  const std::string refused = Event("refuse", "y");
  const std::string after_refused = Event("e", "y");
  const std::string unseen = Event("e", "z");
  for (const std::string& e : {first, second, refused, after_refused}) {
    ASSERT_TRUE(log_.Append({kTopic, "k", e}).ok());
  }
  MemoryStateStore store;
  CountingProjection projection;
  auto projector = Start(store, projection);
  EXPECT_EQ(Count(store), "1");
  auto fates = projector->Fates({first, second, refused, after_refused, unseen});
  ASSERT_TRUE(fates.ok()) << fates.status();
  EXPECT_EQ(*fates, (std::vector<EventFate>{EventFate::kApplied, EventFate::kSuperseded,
                                            EventFate::kRefused, EventFate::kIdRefused,
                                            EventFate::kUnseen}));
}

// Issue 12, item 5: a refused event is final. The same bytes appended again once the state
// would accept them are a duplicate, here and in a rebuild from the log.
TEST_F(ProjectorTest, ARefusedEventAppendedAgainLaterIsADuplicate) {
  const std::string refused = Event("needs-open");
  ASSERT_TRUE(log_.Append({kTopic, "k", refused}).ok());
  ASSERT_TRUE(log_.Append({kTopic, "k", Event("open")}).ok());
  ASSERT_TRUE(log_.Append({kTopic, "k", refused}).ok());
  for (int run = 0; run < 2; ++run) {  // the second: a rebuild into an empty store
    MemoryStateStore store;
    CountingProjection projection;
    auto projector = Start(store, projection);
    EXPECT_EQ(Count(store), "1");  // "open" only
    auto counters = projector->counters();
    EXPECT_EQ(counters.refused_by_reason["POLICY_VIOLATION"], 1);
    EXPECT_EQ(counters.refused_by_reason["DUPLICATE_EVENT"], 1);
    auto fates = projector->Fates({refused});
    ASSERT_TRUE(fates.ok());
    EXPECT_EQ(fates->at(0), EventFate::kRefused);
  }
}

// An event a suspended member signed is refused for good: appended again once the member is
// reinstated, it is a duplicate (and the same in a rebuild).
TEST_F(ProjectorTest, AnEventRefusedDuringASuspensionStaysRefusedAfterTheReinstatement) {
  // A topic the registry's cuts name.
  const std::string topic = topics::kCatalogue;
  ASSERT_TRUE(log_.Append({topic, "k", other_.Seal(Named("e"), {.partition_key = "k"})}).ok());
  ASSERT_TRUE(root_.Suspend(log_, "other", "QA lapsed").ok());
  const std::string during = other_.Seal(Named("e"), {.partition_key = "k"});
  ASSERT_TRUE(log_.Append({topic, "k", during}).ok());
  ASSERT_TRUE(root_.Reinstate(log_, "other", "QA renewed").ok());
  ASSERT_TRUE(log_.Append({topic, "k", during}).ok());
  ASSERT_TRUE(log_.Append({topic, "k", other_.Seal(Named("e"), {.partition_key = "k"})}).ok());
  for (int run = 0; run < 2; ++run) {
    MemoryStateStore store;
    CountingProjection projection(topic);
    auto projector = Start(store, projection);
    EXPECT_EQ(Count(store), "2");  // the events before the suspension and after the reinstatement
    auto counters = projector->counters();
    EXPECT_EQ(counters.refused_by_reason["SUSPENDED_INSTITUTION"], 1);
    EXPECT_EQ(counters.refused_by_reason["DUPLICATE_EVENT"], 1);
  }
}

// Only a refusal of an envelope whose signature verified is final: a forged copy claiming the
// source's name and id, refused, must not make the source's real event a duplicate.
TEST_F(ProjectorTest, AnUnverifiedRefusalDoesNotTakeTheSourcesEventId) {
  events::EnvelopeSigner forger("inst", "node", crypto::SigningKey::Generate());
  ASSERT_TRUE(
      log_.Append({kTopic, "k", forger.Seal(Named("e"), {.partition_key = "k", .event_id = "x"})})
          .ok());
  const std::string real = Event("e", "x");
  ASSERT_TRUE(log_.Append({kTopic, "k", real}).ok());
  MemoryStateStore store;
  CountingProjection projection;
  auto projector = Start(store, projection);
  EXPECT_EQ(Count(store), "1");
  EXPECT_EQ(projector->Fates({real})->at(0), EventFate::kApplied);
}

// Upgrade: a store written by the previous version holds `<p>/seen/<event id>` markers without
// the source; they still stop a later copy of an event applied then, and prove nothing.
TEST_F(ProjectorTest, MarkersOfThePreviousVersionStillStopACopy) {
  MemoryStateStore store;
  {
    CountingProjection projection;
    auto projector = Start(store, projection);  // the registry applied
  }
  WriteBatch legacy;
  legacy.Put("counting/seen/old", "");
  legacy.Delete("counting/seen-format");
  ASSERT_TRUE(store.Commit(legacy).ok());
  const std::string copy = Event("e", "old");
  ASSERT_TRUE(log_.Append({kTopic, "k", copy}).ok());
  CountingProjection projection;
  auto projector = Start(store, projection);
  EXPECT_EQ(Count(store), "0");
  EXPECT_EQ(projector->counters().duplicates_skipped, 1);
  EXPECT_EQ(projector->Fates({copy})->at(0), EventFate::kSuperseded);
}

// Counts, per ecosystem, the events it applies.
class PerEcosystemProjection : public Projection {
 public:
  std::string name() const override { return "counting"; }
  std::vector<std::string> topics() const override { return {kTopic}; }
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override {
    const std::string key = "counting/count/" + std::string(event.ecosystem);
    auto count = state.Get(key);
    if (!count.ok()) return count.status();
    int n = count->has_value() ? std::stoi(**count) : 0;
    effects.writes.Put(key, std::to_string(n + 1));
    return absl::OkStatus();
  }
};

// A node of two ecosystems: "eco" (home) and "alliance", each its own log and root. "inst" is a
// member of both, with another key in the alliance; "other" of eco only.
class SeveralEcosystemsTest : public ProjectorTest {
 protected:
  void SetUp() override {
    ProjectorTest::SetUp();
    registry::v1::MemberAdmitted member;
    member.set_institution_id("inst");
    *member.add_keys() = registry::RegisteredKey(alliance_key_.public_key());
    ASSERT_TRUE(alliance_root_.Admit(alliance_log_, member).ok());
  }

  std::unique_ptr<Projector> StartBoth(StateStore& store, Projection& projection) {
    auto projector = std::make_unique<Projector>(
        log_, store, projection,
        ProjectorOptions{.node_id = "n",
                         .ecosystem_id = "eco",
                         .trust_anchors = {root_.anchor()},
                         .further_ecosystems = {{.ecosystem_id = "alliance",
                                                 .log = &alliance_log_,
                                                 .trust_anchors = {alliance_root_.anchor()}}}});
    EXPECT_TRUE(projector->Start(absl::Seconds(10)).ok());
    return projector;
  }

  std::vector<events::v1::DeadLetter> DeadLetters(EventLog& log) {
    std::vector<events::v1::DeadLetter> letters;
    auto reader = log.OpenReader({topics::kDeadLetter}, {});
    auto records = (*reader)->Poll(std::chrono::milliseconds(10));
    for (const LogRecord& r : *records) {
      letters.emplace_back().ParseFromString(r.value);
    }
    return letters;
  }

  std::string CountIn(StateStore& store, const std::string& ecosystem) {
    return store.Get("counting/count/" + ecosystem)->value_or("0");
  }

  events::EnvelopeSigner in_eco_{"inst", "node", key_, "eco"};
  crypto::SigningKey alliance_key_ = crypto::SigningKey::Generate();
  events::EnvelopeSigner in_alliance_{"inst", "node", alliance_key_, "alliance"};
  registry::Secretariat alliance_root_{"alliance", crypto::SigningKey::Generate()};
  MemoryEventLog alliance_log_;
};

TEST_F(SeveralEcosystemsTest, AppliesEachLogsEventsAsThatEcosystems) {
  ASSERT_TRUE(log_.Append({kTopic, "k", in_eco_.Seal(Named("e"), {.partition_key = "k"})}).ok());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(
        alliance_log_.Append({kTopic, "k", in_alliance_.Seal(Named("e"), {.partition_key = "k"})})
            .ok());
  }
  MemoryStateStore store;
  PerEcosystemProjection projection;
  auto projector = StartBoth(store, projection);
  EXPECT_EQ(CountIn(store, "eco"), "1");
  EXPECT_EQ(CountIn(store, "alliance"), "2");
  EXPECT_EQ(projector->ecosystems(), (std::vector<std::string>{"eco", "alliance"}));
  // Each registry is its own: "other" is a member of eco only.
  EXPECT_TRUE(projector->FindMemberIn("eco", "other").has_value());
  EXPECT_FALSE(projector->FindMemberIn("alliance", "other").has_value());
  EXPECT_EQ(projector->FindMemberIn("alliance", "inst")->admitted().keys(0).key_id(),
            registry::RegisteredKey(alliance_key_.public_key()).key_id());

  // A command's wait names the log its event went to.
  auto at =
      alliance_log_.Append({kTopic, "k", in_alliance_.Seal(Named("e"), {.partition_key = "k"})});
  ASSERT_TRUE(at.ok());
  EXPECT_TRUE(projector->WaitApplied("alliance", kTopic, *at, absl::Seconds(10)).ok());
  EXPECT_EQ(CountIn(store, "alliance"), "3");
  EXPECT_EQ(projector->WaitApplied("elsewhere", kTopic, *at, absl::Seconds(1)).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SeveralEcosystemsTest, AnEventInAnotherEcosystemsLogIsRefusedThereAndStillAppliesInItsOwn) {
  // inst's eco event, copied into the alliance's log first (where inst is a member too, so only
  // the ecosystem the event states tells it apart).
  const std::string eco_event = in_eco_.Seal(Named("e"), {.partition_key = "k", .event_id = "x1"});
  ASSERT_TRUE(alliance_log_.Append({kTopic, "k", eco_event}).ok());
  MemoryStateStore store;
  PerEcosystemProjection projection;
  auto projector = StartBoth(store, projection);
  EXPECT_EQ(CountIn(store, "alliance"), "0");
  std::vector<events::v1::DeadLetter> letters = DeadLetters(alliance_log_);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].reason_code(), events::reason::kWrongEcosystem);
  EXPECT_NE(letters[0].reason().find("states ecosystem eco"), std::string::npos)
      << letters[0].reason();
  EXPECT_TRUE(DeadLetters(log_).empty());  // nothing written into the other ecosystem
  EXPECT_EQ(projector->counters().refused_by_reason[events::reason::kWrongEcosystem], 1);

  // Not final: the same event in its own log applies.
  auto at = log_.Append({kTopic, "k", eco_event});
  ASSERT_TRUE(at.ok());
  ASSERT_TRUE(projector->WaitApplied("eco", kTopic, *at, absl::Seconds(10)).ok());
  EXPECT_EQ(CountIn(store, "eco"), "1");
  EXPECT_EQ(projector->Fates({eco_event})->at(0), EventFate::kApplied);
}

TEST_F(SeveralEcosystemsTest, AMemberOfOneEcosystemIsUnknownInTheOther) {
  events::EnvelopeSigner other_in_alliance{"other", "other-node", other_key_, "alliance"};
  ASSERT_TRUE(alliance_log_
                  .Append({kTopic, "k", other_in_alliance.Seal(Named("e"), {.partition_key = "k"})})
                  .ok());
  MemoryStateStore store;
  PerEcosystemProjection projection;
  auto projector = StartBoth(store, projection);
  EXPECT_EQ(CountIn(store, "alliance"), "0");
  std::vector<events::v1::DeadLetter> letters = DeadLetters(alliance_log_);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].reason_code(), events::reason::kUnknownInstitution);
}

TEST_F(SeveralEcosystemsTest, OneIdMayNameAnEventInEachEcosystem) {
  // One command of inst writing into both of its ecosystems under one event id.
  const std::string in_eco = in_eco_.Seal(Named("e"), {.partition_key = "k", .event_id = "x1"});
  const std::string in_alliance =
      in_alliance_.Seal(Named("e"), {.partition_key = "k", .event_id = "x1"});
  ASSERT_TRUE(log_.Append({kTopic, "k", in_eco}).ok());
  ASSERT_TRUE(alliance_log_.Append({kTopic, "k", in_alliance}).ok());
  MemoryStateStore store;
  PerEcosystemProjection projection;
  auto projector = StartBoth(store, projection);
  EXPECT_EQ(CountIn(store, "eco"), "1");
  EXPECT_EQ(CountIn(store, "alliance"), "1");
  EXPECT_EQ(projector->counters().duplicates_skipped, 0);
  EXPECT_EQ(*projector->Fates({in_eco, in_alliance}),
            (std::vector<EventFate>{EventFate::kApplied, EventFate::kApplied}));
}

// Upgrade: a store a projector of one log wrote (no ecosystem id) is adopted by the home
// ecosystem: nothing is applied twice, and its positions move under the ecosystem's keys.
TEST_F(SeveralEcosystemsTest, TheHomeAdoptsTheStoreOfAProjectorOfOneLog) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  MemoryStateStore store;
  {
    CountingProjection projection;
    auto projector = Start(store, projection);
    EXPECT_EQ(Count(store), "3");
  }
  ASSERT_FALSE(store.ScanPrefix("counting/offset/")->empty());
  ASSERT_TRUE(log_.Append({kTopic, "k", Event("e")}).ok());
  CountingProjection projection;
  auto projector = StartBoth(store, projection);
  EXPECT_EQ(Count(store), "4");
  EXPECT_EQ(projector->counters().applied, 1);
  EXPECT_EQ(projector->counters().duplicates_skipped, 0);
  EXPECT_TRUE(store.ScanPrefix("counting/offset/")->empty());
  EXPECT_TRUE(store.ScanPrefix("counting/member/")->empty());
  EXPECT_FALSE(store.ScanPrefix("counting/ecosystem/eco/offset/")->empty());
  EXPECT_TRUE(store.Get("counting/ecosystem/eco/member/other")->has_value());
  EXPECT_TRUE(store.Get("counting/ecosystem/alliance/member/inst")->has_value());
}

}  // namespace
}  // namespace microcred
