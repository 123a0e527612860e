#include "libs/adapters/file/file_state_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "libs/ports/testing/files_holding.h"
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

// Whether any file under `dir` holds `bytes`.
bool AnyFileHolds(const std::string& dir, const std::string& bytes) {
  return !FilesHolding(dir, bytes).empty();
}

TEST(FileStateStoreTest, ScrubLeavesNoDeletedOrOverwrittenValueInTheFiles) {
  const std::string dir = FreshDir();
  const std::string secret = "wrapped-key-of-lp1_ana-0123456789";
  const std::string old_value = "overwritten-value-of-another-key";
  auto store = FileStateStore::Open(dir);
  ASSERT_TRUE(store.ok());
  WriteBatch first;
  first.Put("vault/key/lp1_ana", secret);
  first.Put("other", old_value);
  first.Put("kept", "kept-value");
  ASSERT_TRUE((*store)->Commit(first).ok());
  WriteBatch second;
  second.Delete("vault/key/lp1_ana");
  second.Put("other", "new-value");
  ASSERT_TRUE((*store)->Commit(second).ok());
  // The hole: the journal still holds what was deleted.
  ASSERT_TRUE(AnyFileHolds(dir, secret));

  ASSERT_TRUE((*store)->Scrub().ok());
  EXPECT_FALSE(AnyFileHolds(dir, secret));
  EXPECT_FALSE(AnyFileHolds(dir, old_value));
  EXPECT_EQ(*(*store)->Get("kept"), "kept-value");
  WriteBatch after;
  after.Put("after", "committed after the scrub");
  ASSERT_TRUE((*store)->Commit(after).ok());
  store->reset();

  auto reopened = FileStateStore::Open(dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*(*reopened)->Get("vault/key/lp1_ana"), std::nullopt);
  EXPECT_EQ(*(*reopened)->Get("other"), "new-value");
  EXPECT_EQ(*(*reopened)->Get("kept"), "kept-value");
  EXPECT_EQ(*(*reopened)->Get("after"), "committed after the scrub");
}

TEST(FileStateStoreTest, ScrubOfAnEmptyStoreLeavesItUsable) {
  const std::string dir = FreshDir();
  auto store = FileStateStore::Open(dir);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Scrub().ok());
  WriteBatch batch;
  batch.Put("a", "1");
  ASSERT_TRUE((*store)->Commit(batch).ok());
  store->reset();
  auto reopened = FileStateStore::Open(dir);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(*(*reopened)->Get("a"), "1");
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(FileStateStoreTest, FilesAndDirectoriesAreTheOwnersOnlyWhateverTheUmask) {
  const std::string parent = FreshDir();
  const std::string dir = parent + "/nested/state";
  const mode_t previous = ::umask(022);
  auto store = FileStateStore::Open(dir);
  ASSERT_TRUE(store.ok());
  WriteBatch batch;
  batch.Put("a", "1");
  ASSERT_TRUE((*store)->Commit(batch).ok());
  ASSERT_TRUE((*store)->Scrub().ok());  // the journal is a new file now
  ::umask(previous);
  EXPECT_EQ(ModeOf(parent), 0700u);
  EXPECT_EQ(ModeOf(parent + "/nested"), 0700u);
  EXPECT_EQ(ModeOf(dir), 0700u);
  EXPECT_EQ(ModeOf(dir + "/LOCK"), 0600u);
  EXPECT_EQ(ModeOf(dir + "/state.journal"), 0600u);
}

}  // namespace
}  // namespace microcred
