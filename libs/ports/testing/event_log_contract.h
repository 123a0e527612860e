// The behaviour every EventLog adapter must show. Include this header in exactly one test source
// per adapter and instantiate it:
//
//   INSTANTIATE_TEST_SUITE_P(Kafka, EventLogContractTest,
//       testing::Values(EventLogFactory{"kafka", /*durable=*/true, [](const std::string& name)
//       {...}}));
//
// `make(name)` returns a log; two calls with the same name must reach the same stored records.
// Durable adapters (file, Kafka) also instantiate DurableEventLogContractTest with the same
// factory: there the second call is a reopen after the first log was destroyed.
#ifndef MICROCRED_LIBS_PORTS_TESTING_EVENT_LOG_CONTRACT_H_
#define MICROCRED_LIBS_PORTS_TESTING_EVENT_LOG_CONTRACT_H_

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "libs/ports/event_log.h"

namespace microcred {

struct EventLogFactory {
  std::string adapter;
  std::function<std::unique_ptr<EventLog>(const std::string& name)> make;
};

inline std::ostream& operator<<(std::ostream& os, const EventLogFactory& f) {
  return os << f.adapter;
}

class EventLogContractTest : public testing::TestWithParam<EventLogFactory> {
 protected:
  // Topic names unique per test, so that a shared broker never mixes two runs.
  static std::string UniqueName(const std::string& base) {
    static std::mt19937_64 rng(std::random_device{}());
    return "contract." + base + "." + std::to_string(rng() % 1000000000000ULL);
  }

  static std::vector<LogRecord> ReadAtLeast(LogReader& reader, size_t n) {
    std::vector<LogRecord> all;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (all.size() < n && std::chrono::steady_clock::now() < deadline) {
      auto batch = reader.Poll(std::chrono::milliseconds(200));
      EXPECT_TRUE(batch.ok()) << batch.status();
      if (!batch.ok()) break;
      all.insert(all.end(), batch->begin(), batch->end());
    }
    return all;
  }
};

TEST_P(EventLogContractTest, AppendedRecordsAreReadBackInOrder) {
  auto log = GetParam().make(UniqueName("log"));
  const std::string topic = UniqueName("t");
  for (int i = 0; i < 20; ++i) {
    auto r = log->Append({topic, "k", "v" + std::to_string(i)});
    ASSERT_TRUE(r.ok()) << r.status();
  }
  auto reader = log->OpenReader({topic}, {});
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto records = ReadAtLeast(**reader, 20);
  ASSERT_EQ(records.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(records[i].topic, topic);
    EXPECT_EQ(records[i].key, "k");
    EXPECT_EQ(records[i].value, "v" + std::to_string(i));
    if (i > 0) {
      EXPECT_GT(records[i].offset, records[i - 1].offset);
    }
  }
}

TEST_P(EventLogContractTest, AppendReportsTheOffsetTheReaderSees) {
  auto log = GetParam().make(UniqueName("log"));
  const std::string topic = UniqueName("t");
  auto first = log->Append({topic, "a", "one"});
  auto second = log->Append({topic, "a", "two"});
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->partition, second->partition);
  EXPECT_EQ(second->offset, first->offset + 1);
  auto reader = log->OpenReader({topic}, {});
  ASSERT_TRUE(reader.ok());
  auto records = ReadAtLeast(**reader, 2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].offset, second->offset);
  EXPECT_EQ(records[1].partition, second->partition);
}

TEST_P(EventLogContractTest, ReaderResumesFromAGivenPosition) {
  auto log = GetParam().make(UniqueName("log"));
  const std::string topic = UniqueName("t");
  AppendResult third;
  for (int i = 0; i < 5; ++i) {
    auto r = log->Append({topic, "same-key", std::to_string(i)});
    ASSERT_TRUE(r.ok());
    if (i == 2) third = *r;
  }
  LogPositions from{{{topic, third.partition}, third.offset}};
  auto reader = log->OpenReader({topic}, from);
  ASSERT_TRUE(reader.ok());
  auto records = ReadAtLeast(**reader, 3);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].value, "2");
  EXPECT_EQ(records[2].value, "4");
}

TEST_P(EventLogContractTest, OneKeyKeepsItsOrderAmongOtherKeys) {
  auto log = GetParam().make(UniqueName("log"));
  const std::string topic = UniqueName("t");
  std::vector<AppendRequest> batch;
  for (int i = 0; i < 60; ++i) {
    batch.push_back({topic, "key-" + std::to_string(i % 6), std::to_string(i)});
  }
  auto results = log->AppendBatch(batch);
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), batch.size());
  auto reader = log->OpenReader({topic}, {});
  ASSERT_TRUE(reader.ok());
  auto records = ReadAtLeast(**reader, 60);
  ASSERT_EQ(records.size(), 60u);
  std::map<std::string, int> last_seen;
  std::map<std::string, int32_t> partition_of;
  for (const LogRecord& r : records) {
    int value = std::stoi(r.value);
    auto it = last_seen.find(r.key);
    if (it != last_seen.end()) {
      EXPECT_LT(it->second, value) << r.key;
    }
    last_seen[r.key] = value;
    auto [p, inserted] = partition_of.emplace(r.key, r.partition);
    EXPECT_EQ(p->second, r.partition) << "key " << r.key << " changed partition";
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ((*results)[i].partition, partition_of[batch[i].key]);
  }
}

TEST_P(EventLogContractTest, EndPositionsCountTheAppendedRecords) {
  auto log = GetParam().make(UniqueName("log"));
  const std::string topic = UniqueName("t");
  auto empty = log->EndPositions(topic);
  ASSERT_TRUE(empty.ok()) << empty.status();
  for (const auto& [tp, end] : *empty) EXPECT_EQ(end, 0) << tp.partition;
  AppendResult last;
  for (int i = 0; i < 7; ++i) {
    auto r = log->Append({topic, "k", "x"});
    ASSERT_TRUE(r.ok());
    last = *r;
  }
  auto ends = log->EndPositions(topic);
  ASSERT_TRUE(ends.ok());
  EXPECT_EQ((*ends)[(TopicPartition{topic, last.partition})], last.offset + 1);
}

TEST_P(EventLogContractTest, PollWaitsForALaterAppend) {
  auto log = GetParam().make(UniqueName("log"));
  const std::string topic = UniqueName("t");
  auto reader = log->OpenReader({topic}, {});
  ASSERT_TRUE(reader.ok());
  auto nothing = (*reader)->Poll(std::chrono::milliseconds(100));
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->empty());
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_TRUE(log->Append({topic, "k", "late"}).ok());
  });
  auto records = ReadAtLeast(**reader, 1);
  writer.join();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].value, "late");
}

TEST_P(EventLogContractTest, ValuesAreBinarySafe) {
  auto log = GetParam().make(UniqueName("log"));
  const std::string topic = UniqueName("t");
  std::string value("a\0b\xff\n", 5);
  ASSERT_TRUE(log->Append({topic, std::string("k\0", 2), value}).ok());
  auto reader = log->OpenReader({topic}, {});
  ASSERT_TRUE(reader.ok());
  auto records = ReadAtLeast(**reader, 1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].value, value);
  EXPECT_EQ(records[0].key, std::string("k\0", 2));
}

TEST_P(EventLogContractTest, ReaderSpansSeveralTopics) {
  auto log = GetParam().make(UniqueName("log"));
  const std::string a = UniqueName("a"), b = UniqueName("b");
  ASSERT_TRUE(log->Append({a, "k", "in-a"}).ok());
  ASSERT_TRUE(log->Append({b, "k", "in-b"}).ok());
  auto reader = log->OpenReader({a, b}, {});
  ASSERT_TRUE(reader.ok());
  auto records = ReadAtLeast(**reader, 2);
  ASSERT_EQ(records.size(), 2u);
  std::set<std::string> topics{records[0].topic, records[1].topic};
  EXPECT_EQ(topics, (std::set<std::string>{a, b}));
}

// Only for durable adapters: instantiate it with the same factory as EventLogContractTest.
class DurableEventLogContractTest : public EventLogContractTest {};
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DurableEventLogContractTest);

TEST_P(DurableEventLogContractTest, RecordsSurviveReopen) {
  const std::string name = UniqueName("log");
  const std::string topic = UniqueName("t");
  {
    auto log = GetParam().make(name);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(log->Append({topic, "k", std::to_string(i)}).ok());
  }
  auto reopened = GetParam().make(name);
  auto reader = reopened->OpenReader({topic}, {});
  ASSERT_TRUE(reader.ok());
  auto records = ReadAtLeast(**reader, 3);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].value, "2");
  auto next = reopened->Append({topic, "k", "3"});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->offset, records[2].offset + 1);
}

}  // namespace microcred

#endif  // MICROCRED_LIBS_PORTS_TESTING_EVENT_LOG_CONTRACT_H_
