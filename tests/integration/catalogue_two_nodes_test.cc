// Two institution nodes on one real Kafka broker, each with its own real Redis: the catalogue
// crosses nodes, ownership holds, a forged event is dead-lettered by both, and a node that lost
// its Redis rebuilds the same catalogue from the log.
#include <gtest/gtest.h>

#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/reasons.h"
#include "libs/events/topics.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/real_services.h"
#include "tests/support/running_node.h"

namespace microcred {
namespace {

using testing_support::OpenKafka;
using testing_support::OpenRedis;
using testing_support::RunningNode;

const Institution kUniversity{"uclouvain", "Université catholique de Louvain"};
const Institution kHauteEcole{"he-vinci", "Haute École Léonard de Vinci"};

// What a node process holds: its own Kafka client, its own Redis, its node.
class CatalogueTwoNodesTest : public testing::Test {
 protected:
  CatalogueTwoNodesTest()
      : ecosystem_("it-" + crypto::RandomId().substr(0, 8), *domain::PolicyProfile::Named("fwb")) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(Open(a_, 0, "a"));
    ASSERT_NO_FATAL_FAILURE(Open(b_, 1, "b"));
    ASSERT_TRUE(ecosystem_.Admit(*a_.log, kUniversity, key_a_).ok());
    ASSERT_TRUE(ecosystem_.Admit(*a_.log, kHauteEcole, key_b_).ok());
    ASSERT_NO_FATAL_FAILURE(StartNode(a_, kUniversity, key_a_));
    ASSERT_NO_FATAL_FAILURE(StartNode(b_, kHauteEcole, key_b_));
  }

  void Open(RunningNode& n, int redis_index, const std::string& name) {
    absl::Status opened = n.Open("it-node-" + name, redis_index, prefix_ + name + ":");
    ASSERT_TRUE(opened.ok()) << opened;
  }

  void StartNode(RunningNode& n, const Institution& inst, const crypto::SigningKey& key) {
    auto node = ecosystem_.StartNode(*n.log, *n.store, inst, key);
    ASSERT_TRUE(node.ok()) << node.status();
    n.node = *std::move(node);
  }

  // Dead letters written by this test's nodes about `value`.
  std::vector<events::v1::DeadLetter> DeadLettersFor(const std::string& value) {
    auto reader = a_.log->OpenReader({topics::kDeadLetter}, {});
    EXPECT_TRUE(reader.ok());
    std::vector<events::v1::DeadLetter> found;
    auto deadline = absl::Now() + absl::Seconds(20);
    while (found.size() < 2 && absl::Now() < deadline) {
      auto records = (*reader)->Poll(std::chrono::milliseconds(200));
      if (!records.ok()) break;
      for (const LogRecord& r : *records) {
        events::v1::DeadLetter letter;
        if (letter.ParseFromString(r.value) && letter.record_value() == value) {
          found.push_back(letter);
        }
      }
    }
    return found;
  }

  const std::string prefix_ = "it-" + crypto::RandomId().substr(0, 8) + ":";
  LocalEcosystem ecosystem_;
  crypto::SigningKey key_a_ = crypto::SigningKey::Generate();
  crypto::SigningKey key_b_ = crypto::SigningKey::Generate();
  RunningNode a_, b_;
};

TEST_F(CatalogueTwoNodesTest, PublishFindRefuseForgeAndRebuild) {
  // A publishes; B finds it by search.
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("publish-data");
  publish.set_local_id("data-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy("uclouvain");
  auto spec = a_.node->catalogue().Publish(StaffOf("uclouvain"), publish);
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_TRUE(b_.node->catalogue().projector().Sync(absl::Seconds(20)).ok());
  catalogue::v1::SearchSpecificationsRequest search;
  search.set_text("data literacy");
  search.add_providers("uclouvain");
  auto found = b_.node->catalogue().Search(search);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->total(), 1);
  EXPECT_EQ(found->results(0).specification_id(), "uclouvain/data-literacy");

  // B may not revise it.
  catalogue::v1::ReviseSpecificationRequest revise;
  revise.set_request_id("revise-foreign");
  revise.set_specification_id(spec->specification_id());
  revise.set_expected_version(1);
  *revise.mutable_content() = spec->content();
  EXPECT_EQ(b_.node->catalogue().Revise(StaffOf("he-vinci"), revise).status().code(),
            absl::StatusCode::kPermissionDenied);

  // An event forged by B for A's specification, written straight to Kafka, is refused by both.
  catalogue::v1::SpecificationRevised forged;
  *forged.mutable_specification() = *spec;
  forged.mutable_specification()->set_version(2);
  forged.mutable_specification()->mutable_content()->set_title("Hijacked");
  events::EnvelopeSigner b_signer("he-vinci", "he-vinci-node", key_b_);
  std::string sealed = b_signer.Seal(forged, {.partition_key = spec->specification_id()});
  ASSERT_TRUE(b_.log->Append({topics::kCatalogue, spec->specification_id(), sealed}).ok());
  auto letters = DeadLettersFor(sealed);
  ASSERT_EQ(letters.size(), 2u);
  std::set<std::string> consumers;
  for (const auto& letter : letters) {
    EXPECT_EQ(letter.reason_code(), events::reason::kNotOwner);
    consumers.insert(letter.consumer_node());
  }
  EXPECT_EQ(consumers, (std::set<std::string>{"uclouvain-node", "he-vinci-node"}));
  catalogue::v1::GetSpecificationRequest get;
  get.set_specification_id(spec->specification_id());
  ASSERT_TRUE(b_.node->catalogue().projector().Sync(absl::Seconds(20)).ok());
  EXPECT_EQ(b_.node->catalogue().Get(get)->content().title(), spec->content().title());

  // B loses its Redis (FLUSHALL) and restarts: the same catalogue comes back from the log.
  auto state_before = b_.store->ScanPrefix("catalogue/");
  ASSERT_TRUE(state_before.ok());
  auto search_before = b_.node->catalogue().Search({});
  b_.node.reset();
  ASSERT_TRUE(testing_support::FlushAll(1).ok());
  ASSERT_TRUE(b_.store->ScanPrefix("")->empty());
  ASSERT_NO_FATAL_FAILURE(StartNode(b_, kHauteEcole, key_b_));
  auto state_after = b_.store->ScanPrefix("catalogue/");
  ASSERT_TRUE(state_after.ok());
  EXPECT_EQ(state_after->size(), state_before->size());
  EXPECT_TRUE(*state_after == *state_before);
  EXPECT_EQ(b_.node->catalogue().Search({})->SerializeAsString(),
            search_before->SerializeAsString());
  EXPECT_EQ(b_.node->catalogue().Get(get)->content().title(), spec->content().title());
}

}  // namespace
}  // namespace microcred
