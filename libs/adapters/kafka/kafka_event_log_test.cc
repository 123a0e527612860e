// KafkaEventLog against a real broker at MC_KAFKA_BOOTSTRAP. The contract names its topics
// uniquely, so runs sharing one broker never see each other's records.
#include "libs/adapters/kafka/kafka_event_log.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "libs/ports/testing/event_log_contract.h"

namespace microcred {
namespace {

constexpr char kMissingEnv[] =
    "MC_KAFKA_BOOTSTRAP is not set: run through tests/infra/with-services.sh";

absl::StatusOr<std::unique_ptr<KafkaEventLog>> OpenLog(const std::string& client_id) {
  const char* bootstrap = std::getenv("MC_KAFKA_BOOTSTRAP");
  if (bootstrap == nullptr) return absl::FailedPreconditionError(kMissingEnv);
  KafkaConfig config;
  config.bootstrap_servers = bootstrap;
  config.client_id = client_id;
  return KafkaEventLog::Open(config);
}

// Stands in for a log that could not be opened: every call fails with the reason, so every
// contract test FAILS (never skips) and says why.
class UnopenedLog : public EventLog {
 public:
  explicit UnopenedLog(absl::Status why) : why_(std::move(why)) {}
  absl::StatusOr<AppendResult> Append(const AppendRequest&) override { return why_; }
  absl::StatusOr<std::vector<AppendResult>> AppendBatch(
      const std::vector<AppendRequest>&) override {
    return why_;
  }
  absl::StatusOr<std::unique_ptr<LogReader>> OpenReader(const std::vector<std::string>&,
                                                        const LogPositions&) override {
    return why_;
  }
  absl::StatusOr<LogPositions> EndPositions(const std::string&) override { return why_; }

 private:
  absl::Status why_;
};

std::unique_ptr<EventLog> MakeContractLog(const std::string& name) {
  auto log = OpenLog(name);
  if (log.ok()) return *std::move(log);
  ADD_FAILURE() << log.status();
  return std::make_unique<UnopenedLog>(log.status());
}

INSTANTIATE_TEST_SUITE_P(Kafka, EventLogContractTest,
                         testing::Values(EventLogFactory{"kafka", MakeContractLog}));
INSTANTIATE_TEST_SUITE_P(Kafka, DurableEventLogContractTest,
                         testing::Values(EventLogFactory{"kafka", MakeContractLog}));

std::string UniqueTopic(const std::string& base) {
  static std::atomic<int> counter{0};
  return absl::StrCat("kafka-test.", base, ".", ::getpid(), ".", counter++, ".",
                      std::chrono::steady_clock::now().time_since_epoch().count());
}

TEST(KafkaEventLogTest, CreatesTopicsWithTheConfiguredPartitions) {
  auto log = OpenLog("partitions-test");
  ASSERT_TRUE(log.ok()) << log.status();
  auto ends = (*log)->EndPositions(UniqueTopic("partitions"));
  ASSERT_TRUE(ends.ok()) << ends.status();
  EXPECT_EQ(ends->size(), 3u);
}

// Also guards against librdkafka reporting a record as delivered that never landed (see
// DeliveryRouter): a fresh topic and a new producer under concurrent appends provoked it.
TEST(KafkaEventLogTest, ConcurrentAppendsEachGetTheirOwnOffset) {
  auto log = OpenLog("concurrent-test");
  ASSERT_TRUE(log.ok()) << log.status();
  const std::string topic = UniqueTopic("concurrent");
  std::mutex mu;
  std::set<std::pair<int32_t, int64_t>> positions;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto r = (*log)->Append({topic, absl::StrCat("key-", t, "-", i), "v"});
        ASSERT_TRUE(r.ok()) << r.status();
        std::lock_guard lock(mu);
        EXPECT_TRUE(positions.insert({r->partition, r->offset}).second);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(positions.size(), 200u);
  auto ends = (*log)->EndPositions(topic);
  ASSERT_TRUE(ends.ok());
  int64_t total = 0;
  for (const auto& [tp, end] : *ends) total += end;
  EXPECT_EQ(total, 200);
}

TEST(KafkaEventLogTest, KeysArePartitionedLikeTheJavaClient) {
  auto log = OpenLog("murmur2-test");
  ASSERT_TRUE(log.ok()) << log.status();
  const std::string topic = UniqueTopic("murmur2");
  // What the Java client picks with 3 partitions, toPositive(Utils.murmur2(key)) % 3, as
  // computed with kafka-clients 3.9.1 in jshell.
  const std::map<std::string, int32_t> java_partition = {
      {"a", 1}, {"b", 2}, {"issuer-42", 2}, {"21", 0}, {"foobar", 0}};
  for (const auto& [key, expected] : java_partition) {
    auto r = (*log)->Append({topic, key, "v"});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->partition, expected) << key;
  }
}

TEST(KafkaEventLogTest, ReaderReturnsAtMostOneBatchPerPoll) {
  auto log = OpenLog("batch-cap-test");
  ASSERT_TRUE(log.ok()) << log.status();
  const std::string topic = UniqueTopic("cap");
  std::vector<AppendRequest> requests(2500, AppendRequest{topic, "one-key", "v"});
  ASSERT_TRUE((*log)->AppendBatch(requests).ok());
  auto reader = (*log)->OpenReader({topic}, {});
  ASSERT_TRUE(reader.ok()) << reader.status();
  size_t total = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (total < 2500 && std::chrono::steady_clock::now() < deadline) {
    auto batch = (*reader)->Poll(std::chrono::milliseconds(500));
    ASSERT_TRUE(batch.ok()) << batch.status();
    EXPECT_LE(batch->size(), 1000u);
    total += batch->size();
  }
  EXPECT_EQ(total, 2500u);
}

TEST(KafkaEventLogTest, UnreachableBrokerFailsToOpen) {
  KafkaConfig config;
  config.bootstrap_servers = "127.0.0.1:1";
  config.admin_timeout = std::chrono::milliseconds(1500);
  auto log = KafkaEventLog::Open(config);
  EXPECT_FALSE(log.ok());
}

TEST(KafkaEventLogTest, UnknownPropertyIsRejected) {
  KafkaConfig config;
  config.bootstrap_servers = "127.0.0.1:1";
  config.properties["no.such.property"] = "1";
  auto log = KafkaEventLog::Open(config);
  EXPECT_EQ(log.status().code(), absl::StatusCode::kInvalidArgument) << log.status();
}

}  // namespace
}  // namespace microcred
