// The test infrastructure's two Kafka clusters (MC_KAFKA_BOOTSTRAP, MC_KAFKA_BOOTSTRAP_B) are
// independent, as the logs of two ecosystems must be: each has its own cluster id and its own
// topics, and a record appended to one is not in the other. Tests of a node in two ecosystems
// rest on this.
#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "tests/support/real_services.h"

namespace microcred {
namespace {

using testing_support::KafkaBootstrap;
using testing_support::OpenKafka;
using testing_support::OpenKafkaB;

// A topic name no earlier run on the same brokers used.
std::string FreshTopic(const std::string& what) {
  return "two-clusters-" + what + "-" + std::to_string(absl::ToUnixNanos(absl::Now()));
}

// The cluster id the brokers at `bootstrap` report.
std::string ClusterId(const std::string& bootstrap) {
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  EXPECT_EQ(conf->set("bootstrap.servers", bootstrap, error), RdKafka::Conf::CONF_OK) << error;
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
  if (producer == nullptr) {
    ADD_FAILURE() << "producer for " << bootstrap << ": " << error;
    return "";
  }
  return producer->clusterid(10000);
}

// Every record of `topic` in `log`, from the beginning.
std::vector<LogRecord> ReadAll(EventLog& log, const std::string& topic) {
  std::vector<LogRecord> records;
  auto end = log.EndPositions(topic);
  EXPECT_TRUE(end.ok()) << end.status();
  if (!end.ok()) return records;
  int64_t expected = 0;
  for (const auto& [partition, offset] : *end) expected += offset;
  auto reader = log.OpenReader({topic}, {});
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return records;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (static_cast<int64_t>(records.size()) < expected && absl::Now() < deadline) {
    auto batch = (*reader)->Poll(std::chrono::milliseconds(200));
    EXPECT_TRUE(batch.ok()) << batch.status();
    if (!batch.ok()) break;
    records.insert(records.end(), batch->begin(), batch->end());
  }
  return records;
}

TEST(TwoKafkaClustersTest, EachHasItsOwnAddressAndClusterId) {
  auto a = KafkaBootstrap(0);
  auto b = KafkaBootstrap(1);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_NE(*a, *b);
  const std::string id_a = ClusterId(*a);
  const std::string id_b = ClusterId(*b);
  EXPECT_FALSE(id_a.empty());
  EXPECT_FALSE(id_b.empty());
  EXPECT_NE(id_a, id_b);
}

TEST(TwoKafkaClustersTest, ARecordAppendedToOneIsNotInTheOther) {
  auto a = OpenKafka("two-clusters-a");
  auto b = OpenKafkaB("two-clusters-b");
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  const std::string topic = FreshTopic("records");
  ASSERT_TRUE((*a)->Append({.topic = topic, .key = "k", .value = "in cluster A"}).ok());
  ASSERT_TRUE((*b)->Append({.topic = topic, .key = "k", .value = "in cluster B"}).ok());
  ASSERT_TRUE((*b)->Append({.topic = topic, .key = "k", .value = "also in cluster B"}).ok());

  std::vector<LogRecord> in_a = ReadAll(**a, topic);
  ASSERT_EQ(in_a.size(), 1u);
  EXPECT_EQ(in_a[0].value, "in cluster A");
  EXPECT_EQ(in_a[0].offset, 0);
  std::vector<LogRecord> in_b = ReadAll(**b, topic);
  ASSERT_EQ(in_b.size(), 2u);
  EXPECT_EQ(in_b[0].value, "in cluster B");
  EXPECT_EQ(in_b[0].offset, 0);
  EXPECT_EQ(in_b[1].value, "also in cluster B");
}

TEST(TwoKafkaClustersTest, EachHasItsOwnTopics) {
  // The same topic name created with two partitions in A and one in B: two topics.
  auto a = OpenKafka(0, {.client_id = "two-clusters-a", .topic_partitions = 2});
  auto b = OpenKafka(1, {.client_id = "two-clusters-b", .topic_partitions = 1});
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  const std::string topic = FreshTopic("topics");
  auto end_a = (*a)->EndPositions(topic);
  auto end_b = (*b)->EndPositions(topic);
  ASSERT_TRUE(end_a.ok()) << end_a.status();
  ASSERT_TRUE(end_b.ok()) << end_b.status();
  EXPECT_EQ(end_a->size(), 2u);
  EXPECT_EQ(end_b->size(), 1u);
}

// Without with-services.sh's variable, opening the second cluster fails naming it (a test of two
// ecosystems must never pass, or skip, on one cluster).
TEST(TwoKafkaClustersTest, TheSecondClusterUnsetFailsNamingItsVariable) {
  const char* set = std::getenv("MC_KAFKA_BOOTSTRAP_B");
  const std::optional<std::string> saved = set ? std::optional<std::string>(set) : std::nullopt;
  ::unsetenv("MC_KAFKA_BOOTSTRAP_B");
  auto log = OpenKafkaB("two-clusters-unset");
  if (saved) ::setenv("MC_KAFKA_BOOTSTRAP_B", saved->c_str(), 1);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(log.status().message().find("MC_KAFKA_BOOTSTRAP_B"), std::string::npos) << log.status();
}

}  // namespace
}  // namespace microcred
