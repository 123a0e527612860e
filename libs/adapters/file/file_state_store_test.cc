#include "libs/adapters/file/file_state_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "libs/ports/testing/state_store_contract.h"

namespace microcred {
namespace {

std::string FreshDir() {
  static std::atomic<int> counter{0};
  std::string dir =
      std::filesystem::temp_directory_path() /
      ("mc-file-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  return dir;
}

INSTANTIATE_TEST_SUITE_P(File, StateStoreContractTest,
                         testing::Values(StateStoreFactory{
                             "file", [] {
                               auto store = FileStateStore::Open(FreshDir());
                               EXPECT_TRUE(store.ok()) << store.status();
                               return std::unique_ptr<StateStore>(std::move(*store));
                             }}));

TEST(FileStateStoreTest, CommittedBatchesSurviveReopen) {
  const std::string dir = FreshDir();
  {
    auto store = FileStateStore::Open(dir);
    ASSERT_TRUE(store.ok());
    WriteBatch first;
    first.Put("a", "1");
    first.Put("b", std::string("\0bin", 4));
    ASSERT_TRUE((*store)->Commit(first).ok());
    WriteBatch second;
    second.Delete("a");
    second.Put("c", "3");
    ASSERT_TRUE((*store)->Commit(second).ok());
  }
  auto reopened = FileStateStore::Open(dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*(*reopened)->Get("a"), std::nullopt);
  EXPECT_EQ(*(*reopened)->Get("b"), std::string("\0bin", 4));
  EXPECT_EQ(*(*reopened)->Get("c"), "3");
}

TEST(FileStateStoreTest, ATornLastBatchIsDroppedWhole) {
  const std::string dir = FreshDir();
  {
    auto store = FileStateStore::Open(dir);
    WriteBatch kept;
    kept.Put("kept", "yes");
    ASSERT_TRUE((*store)->Commit(kept).ok());
    WriteBatch torn;
    torn.Put("torn-1", "x");
    torn.Put("torn-2", "y");
    ASSERT_TRUE((*store)->Commit(torn).ok());
  }
  const std::string journal = dir + "/state.journal";
  std::filesystem::resize_file(journal, std::filesystem::file_size(journal) - 3);
  auto reopened = FileStateStore::Open(dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*(*reopened)->Get("kept"), "yes");
  EXPECT_EQ(*(*reopened)->Get("torn-1"), std::nullopt);  // never half a batch
  EXPECT_EQ(*(*reopened)->Get("torn-2"), std::nullopt);
  WriteBatch after;
  after.Put("after", "ok");
  ASSERT_TRUE((*reopened)->Commit(after).ok());
}

TEST(FileStateStoreTest, ASecondOpenOfTheSameDirectoryIsRefused) {
  const std::string dir = FreshDir();
  auto first = FileStateStore::Open(dir);
  ASSERT_TRUE(first.ok());
  auto second = FileStateStore::Open(dir);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(FileStateStoreTest, AGrownJournalIsCompactedToTheLiveKeys) {
  const std::string dir = FreshDir();
  const std::string value(64 * 1024, 'v');
  {
    auto store = FileStateStore::Open(dir);
    for (int i = 0; i < 200; ++i) {  // 12.8 MiB written over one live key
      WriteBatch batch;
      batch.Put("same", value + std::to_string(i));
      ASSERT_TRUE((*store)->Commit(batch).ok());
    }
  }
  const auto before = std::filesystem::file_size(dir + "/state.journal");
  auto reopened = FileStateStore::Open(dir);
  ASSERT_TRUE(reopened.ok());
  EXPECT_LT(std::filesystem::file_size(dir + "/state.journal"), before / 10);
  EXPECT_EQ(*(*reopened)->Get("same"), value + "199");
  reopened->reset();
  auto again = FileStateStore::Open(dir);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*(*again)->Get("same"), value + "199");
}

}  // namespace
}  // namespace microcred
