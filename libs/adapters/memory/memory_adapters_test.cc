#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/ports/testing/event_log_contract.h"
#include "libs/ports/testing/state_store_contract.h"

namespace microcred {
namespace {

// make(name) must reach the same records for the same name: keep one log per name and hand out
// shared handles onto it.
std::unique_ptr<EventLog> SharedMemoryLog(const std::string& name) {
  static std::mutex mu;
  static auto* logs = new std::map<std::string, std::unique_ptr<MemoryEventLog>>();
  std::lock_guard lock(mu);
  auto& log = (*logs)[name];
  if (!log) log = std::make_unique<MemoryEventLog>();
  return log->Share();
}

INSTANTIATE_TEST_SUITE_P(Memory, EventLogContractTest,
                         testing::Values(EventLogFactory{"memory", SharedMemoryLog}));

INSTANTIATE_TEST_SUITE_P(Memory, StateStoreContractTest,
                         testing::Values(StateStoreFactory{
                             "memory", [] { return std::make_unique<MemoryStateStore>(); }}));

TEST(MemoryEventLogTest, SharedHandlesSeeEachOthersAppends) {
  MemoryEventLog log;
  std::unique_ptr<EventLog> node_a = log.Share();
  std::unique_ptr<EventLog> node_b = log.Share();
  auto reader = node_b->OpenReader({"t"}, {});
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE(node_a->Append({"t", "k", "from-a"}).ok());
  auto second = node_b->Append({"t", "k", "from-b"});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->offset, 1);
  auto records = (*reader)->Poll(std::chrono::seconds(5));
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].value, "from-a");
  EXPECT_EQ((*records)[1].value, "from-b");
}

TEST(MemoryEventLogTest, ReaderOutlivesEveryHandle) {
  std::unique_ptr<LogReader> reader;
  {
    MemoryEventLog log;
    ASSERT_TRUE(log.Append({"t", "k", "v"}).ok());
    auto opened = log.OpenReader({"t"}, {});
    ASSERT_TRUE(opened.ok());
    reader = std::move(*opened);
  }
  auto records = reader->Poll(std::chrono::milliseconds(10));
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 1u);
}

TEST(MemoryEventLogTest, PollWakesPromptlyOnAppend) {
  MemoryEventLog log;
  auto reader = log.OpenReader({"t"}, {});
  ASSERT_TRUE(reader.ok());
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(log.Append({"t", "k", "v"}).ok());
  });
  auto start = std::chrono::steady_clock::now();
  auto records = (*reader)->Poll(std::chrono::seconds(10));
  auto waited = std::chrono::steady_clock::now() - start;
  writer.join();
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 1u);
  EXPECT_LT(waited, std::chrono::seconds(2));  // woken by the append, not by the timeout
}

TEST(MemoryEventLogTest, EmptyTopicIsRejected) {
  MemoryEventLog log;
  EXPECT_EQ(log.Append({"", "k", "v"}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(MemoryStateStoreTest, SizeAndSnapshotReflectCommits) {
  MemoryStateStore store;
  WriteBatch batch;
  batch.Put("b", "2");
  batch.Put("a", "1");
  ASSERT_TRUE(store.Commit(batch).ok());
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.Snapshot(), (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
}

TEST(MemoryStateStoreTest, ScanPrefixOrdersHighBytesLast) {
  MemoryStateStore store;
  WriteBatch batch;
  batch.Put("p\xff", "high");
  batch.Put("p\x01", "low");
  ASSERT_TRUE(store.Commit(batch).ok());
  auto rows = store.ScanPrefix("p");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].second, "low");
  EXPECT_EQ((*rows)[1].second, "high");
}

}  // namespace
}  // namespace microcred
