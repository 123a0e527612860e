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

// Counts the events it applies in one key, and refuses those whose payload says "refuse".
class CountingProjection : public Projection {
 public:
  std::string name() const override { return "counting"; }
  std::vector<std::string> topics() const override { return {kTopic}; }
  absl::Status Apply(const VerifiedEvent& event, StateStore& state, Effects& effects) override {
    auto member = events::UnpackPayload<registry::v1::MemberAdmitted>(event.body);
    if (!member.ok()) return events::Reject(events::reason::kInvalidPayload, member.status());
    if (member->legal_name() == "refuse") {
      return events::Reject(events::reason::kPolicyViolation, "asked to refuse");
    }
    auto count = state.Get("counting/count");
    if (!count.ok()) return count.status();
    int n = count->has_value() ? std::stoi(**count) : 0;
    effects.writes.Put("counting/count", std::to_string(n + 1));
    effects.after_commit = [this] { ++seen_in_memory; };
    return absl::OkStatus();
  }
  std::atomic<int> seen_in_memory{0};
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
  MemoryEventLog log_;
};

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
  EXPECT_EQ(before, (std::map<std::string, int64_t>{{topics::kRegistry, 1}, {kTopic, 7}}));
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

}  // namespace
}  // namespace microcred
