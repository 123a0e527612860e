// Poison written straight to a real Kafka topic, read by a node on a real Redis: every bad
// record goes to the dead-letter topic with its reason, the node's counters show it, and the
// node goes on applying the good records after them.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/envelope.h"
#include "libs/events/reasons.h"
#include "libs/events/request_ids.h"
#include "libs/events/topics.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/real_services.h"

namespace microcred {
namespace {

using testing_support::OpenKafka;
using testing_support::OpenRedis;

const Institution kUniversity{"uclouvain", "Université catholique de Louvain"};
const Institution kPartner{"skills-lab", "Skills Lab", common::v1::PROVIDER_TYPE_PRIVATE_PROVIDER};

// An envelope whose body is `body`, signed by `key` as EnvelopeSigner would sign it.
std::string SealBody(const events::v1::EnvelopeBody& body, const crypto::SigningKey& key) {
  events::v1::SignedEnvelope envelope;
  body.SerializeToString(envelope.mutable_body());
  envelope.set_signature(key.Sign(events::SignedBytes(envelope.body())));
  return envelope.SerializeAsString();
}

class PoisonInputsTest : public testing::Test {
 protected:
  void SetUp() override {
    auto log = OpenKafka("it-poison");
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    auto store = OpenRedis(0, "it-poison-" + crypto::RandomId().substr(0, 8) + ":");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ASSERT_TRUE(ecosystem_.Admit(*log_, kUniversity, university_key_).ok());
    ASSERT_TRUE(ecosystem_.Admit(*log_, kPartner, partner_key_).ok());
    auto node = ecosystem_.StartNode(*log_, *store_, kUniversity, university_key_);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
  }

  // A SpecificationPublished the partner signs: well-formed, so only what the test breaks in it
  // makes it poison.
  std::string PartnerEvent(const std::string& local_id, const std::string& event_id = "") const {
    catalogue::v1::SpecificationPublished published;
    published.mutable_specification()->set_specification_id("skills-lab/" + local_id);
    published.mutable_specification()->set_version(1);
    published.mutable_specification()->set_owner_institution("skills-lab");
    published.mutable_specification()->set_status(catalogue::v1::SPECIFICATION_STATUS_PUBLISHED);
    *published.mutable_specification()->mutable_content() =
        catalogue::samples::DataLiteracy("skills-lab");
    return partner_.Seal(published,
                         {.partition_key = "skills-lab/" + local_id, .event_id = event_id});
  }

  absl::Status Write(const std::string& value) {
    return log_->Append({topics::kCatalogue, "poison", value}).status();
  }

  using LetterList = std::vector<events::v1::DeadLetter>;
  // The dead letters the university's catalogue consumer wrote that `wanted` accepts, in log
  // order, once `enough` says so or 30 s passed (other tests on the same broker have nodes of
  // that name too, which refuse the same records for other reasons).
  LetterList Letters(const std::function<bool(const events::v1::DeadLetter&)>& wanted,
                     const std::function<bool(const LetterList&)>& enough) {
    auto reader = log_->OpenReader({topics::kDeadLetter}, {});
    EXPECT_TRUE(reader.ok());
    LetterList found;
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (!enough(found) && absl::Now() < deadline) {
      auto records = (*reader)->Poll(std::chrono::milliseconds(200));
      if (!records.ok()) break;
      for (const LogRecord& r : *records) {
        events::v1::DeadLetter letter;
        if (letter.ParseFromString(r.value) && letter.consumer_node() == "uclouvain-node" &&
            letter.consumer_service() == "catalogue" && wanted(letter)) {
          found.push_back(std::move(letter));
        }
      }
    }
    return found;
  }

  // The reason of the dead letter about each of `poisons`, by the refused bytes.
  std::map<std::string, std::string> ReasonsByRecord(
      const std::map<std::string, std::string>& poisons) {
    std::map<std::string, std::string> wanted;  // the expected reason, by the bytes' first 4 KiB
    for (const auto& [value, reason] : poisons) wanted[value.substr(0, 4096)] = reason;
    auto prefix = [](const events::v1::DeadLetter& l) { return l.record_value().substr(0, 4096); };
    // A node of another test's ecosystem does not know our members' keys: its letters about
    // our records say so, unless that is the reason expected.
    auto ours = [&](const events::v1::DeadLetter& l) {
      auto it = wanted.find(prefix(l));
      if (it == wanted.end()) return false;
      return l.reason_code() == it->second ||
             (l.reason_code() != events::reason::kUnknownKey &&
              l.reason_code() != events::reason::kUnknownInstitution &&
              l.reason_code() != events::reason::kUntrustedRoot);
    };
    std::map<std::string, std::string> reasons;
    for (const auto& letter : Letters(ours, [&](const LetterList& found) {
           std::set<std::string> seen;
           for (const auto& l : found) seen.insert(prefix(l));
           return seen.size() == wanted.size();
         })) {
      reasons[prefix(letter)] = letter.reason_code();
    }
    return reasons;
  }

  LocalEcosystem ecosystem_{"it-poison-" + crypto::RandomId().substr(0, 8),
                            *domain::PolicyProfile::Named("eu")};
  crypto::SigningKey university_key_ = crypto::SigningKey::Generate();
  crypto::SigningKey partner_key_ = crypto::SigningKey::Generate();
  events::EnvelopeSigner partner_{"skills-lab", "skills-lab-node", partner_key_};
  std::unique_ptr<KafkaEventLog> log_;
  std::unique_ptr<RedisStateStore> store_;
  std::unique_ptr<Node> node_;
};

TEST_F(PoisonInputsTest, EachPoisonIsDeadLetteredWithItsReasonAndTheConsumerGoesOn) {
  // A genuine publication, whose event is replayed later.
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("publish-data");
  publish.set_local_id("data-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy("uclouvain");
  ASSERT_TRUE(node_->catalogue().Publish(StaffOf("uclouvain"), publish).ok());
  auto reader = log_->OpenReader({topics::kCatalogue}, {});
  ASSERT_TRUE(reader.ok());
  std::string genuine;
  for (int i = 0; i < 50 && genuine.empty(); ++i) {
    auto records = (*reader)->Poll(std::chrono::milliseconds(200));
    ASSERT_TRUE(records.ok());
    for (const LogRecord& r : *records) {
      // Ours: other tests on this broker publish the same specification under their own keys.
      auto env = events::ParseEnvelope(r.value);
      if (r.value.find("uclouvain/data-literacy") != std::string::npos && env.ok() &&
          env->VerifySignature(university_key_.public_key())) {
        genuine = r.value;
      }
    }
  }
  ASSERT_FALSE(genuine.empty());

  std::map<std::string, std::string> expected;  // poison bytes -> reason code

  events::v1::SignedEnvelope bad_signature;
  ASSERT_TRUE(bad_signature.ParseFromString(PartnerEvent("bad-signature")));
  bad_signature.mutable_signature()->front() ^= 0x01;
  expected[bad_signature.SerializeAsString()] = events::reason::kBadSignature;

  crypto::SigningKey stranger_key = crypto::SigningKey::Generate();
  events::EnvelopeSigner stranger("nobody", "nobody-node", stranger_key);
  catalogue::v1::SpecificationPublished anything;
  expected[stranger.Seal(anything, {.partition_key = "x"})] = events::reason::kUnknownInstitution;

  auto future_schema = events::ParseEnvelope(PartnerEvent("future"));
  ASSERT_TRUE(future_schema.ok());
  future_schema->body.set_schema_version(events::kSchemaVersion + 1);
  expected[SealBody(future_schema->body, partner_key_)] = events::reason::kUnsupportedSchema;

  const std::string whole = PartnerEvent("truncated");
  expected[whole.substr(0, whole.size() / 2)] = events::reason::kMalformed;

  expected[std::string(events::kMaxEnvelopeBytes + 1000, 'x')] = events::reason::kOversized;
  expected[genuine] = events::reason::kDuplicateEvent;

  for (const auto& [value, reason] : expected) ASSERT_TRUE(Write(value).ok()) << reason;

  // The partner is suspended; what it writes afterwards is refused.
  ASSERT_TRUE(ecosystem_.secretariat().Suspend(*log_, "skills-lab", "QA lapsed").ok());
  ASSERT_TRUE(node_->catalogue().projector().Sync(absl::Seconds(30)).ok());
  const std::string after_suspension = PartnerEvent("after-suspension");
  expected[after_suspension] = events::reason::kSuspendedInstitution;
  ASSERT_TRUE(Write(after_suspension).ok());

  // The consumer goes on: a good event after the poison is applied.
  publish.set_request_id("publish-ethics");
  publish.set_local_id("ai-ethics");
  *publish.mutable_content() = catalogue::samples::AiEthics("uclouvain");
  ASSERT_TRUE(node_->catalogue().Publish(StaffOf("uclouvain"), publish).ok());
  catalogue::v1::GetSpecificationRequest get;
  get.set_specification_id("uclouvain/ai-ethics");
  EXPECT_TRUE(node_->catalogue().Get(get).ok());

  const auto reasons = ReasonsByRecord(expected);
  for (const auto& [value, reason] : expected) {
    auto it = reasons.find(value.substr(0, 4096));
    ASSERT_NE(it, reasons.end()) << "no dead letter for the " << reason << " poison";
    EXPECT_EQ(it->second, reason);
  }
  const auto counters = node_->catalogue().projector().counters();
  for (const char* reason :
       {events::reason::kBadSignature, events::reason::kUnknownInstitution,
        events::reason::kUnsupportedSchema, events::reason::kMalformed, events::reason::kOversized,
        events::reason::kDuplicateEvent, events::reason::kSuspendedInstitution}) {
    EXPECT_EQ(counters.refused_by_reason.count(reason), 1u) << reason;
  }
}

// Issue 12, items 4 and 5, on a real broker and Redis: a member's valid event under the id the
// university's next command derives hides nothing, and a refused event appended again after
// the state changed (the partner reinstated) is a duplicate.
TEST_F(PoisonInputsTest, ASquattedEventIdAndAReplayedRefusalChangeNothing) {
  ASSERT_TRUE(
      Write(PartnerEvent("squat", events::EventIdForRequest("uclouvain", "publish-next"))).ok());
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("publish-next");
  publish.set_local_id("squatted-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy("uclouvain");
  ASSERT_TRUE(node_->catalogue().Publish(StaffOf("uclouvain"), publish).ok());
  catalogue::v1::GetSpecificationRequest get;
  get.set_specification_id("uclouvain/squatted-literacy");
  EXPECT_TRUE(node_->catalogue().Get(get).ok());
  get.set_specification_id("skills-lab/squat");
  EXPECT_TRUE(node_->catalogue().Get(get).ok());  // the partner's own, applied as its own

  ASSERT_TRUE(ecosystem_.secretariat().Suspend(*log_, "skills-lab", "QA lapsed").ok());
  ASSERT_TRUE(node_->catalogue().projector().Sync(absl::Seconds(30)).ok());
  const std::string during = PartnerEvent("during");
  ASSERT_TRUE(Write(during).ok());
  ASSERT_TRUE(node_->catalogue().projector().Sync(absl::Seconds(30)).ok());
  ASSERT_TRUE(ecosystem_.secretariat().Reinstate(*log_, "skills-lab", "QA renewed").ok());
  // The node has applied the reinstatement before the replay arrives: the state changed.
  ASSERT_TRUE(node_->catalogue().projector().Sync(absl::Seconds(30)).ok());
  ASSERT_TRUE(Write(during).ok());                 // replayed from the dead-letter topic
  ASSERT_TRUE(Write(PartnerEvent("after")).ok());  // written after the reinstatement
  ASSERT_TRUE(node_->catalogue().projector().Sync(absl::Seconds(30)).ok());
  get.set_specification_id("skills-lab/after");
  EXPECT_TRUE(node_->catalogue().Get(get).ok());
  get.set_specification_id("skills-lab/during");
  EXPECT_FALSE(node_->catalogue().Get(get).ok());
  // Both copies of `during` refused: the first as the partner's while suspended, the replay as
  // a duplicate. (The node's counters would also count other tests' partner events on this
  // broker.)
  std::vector<std::string> reasons;
  for (const auto& letter : Letters(
           [&](const events::v1::DeadLetter& l) {
             return l.record_value() == during &&
                    (l.reason_code() == events::reason::kSuspendedInstitution ||
                     l.reason_code() == events::reason::kDuplicateEvent);
           },
           [](const LetterList& found) { return found.size() >= 2; })) {
    reasons.push_back(letter.reason_code());
  }
  EXPECT_EQ(reasons, (std::vector<std::string>{events::reason::kSuspendedInstitution,
                                               events::reason::kDuplicateEvent}));
}

}  // namespace
}  // namespace microcred
