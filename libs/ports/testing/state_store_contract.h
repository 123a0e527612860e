// The behaviour every StateStore adapter must show. Include this header in exactly one test
// source per adapter and instantiate it with a StateStoreFactory; each call of `make()` returns a
// fresh, empty store (for Redis: a unique key namespace on the shared server).
#ifndef MICROCRED_LIBS_PORTS_TESTING_STATE_STORE_CONTRACT_H_
#define MICROCRED_LIBS_PORTS_TESTING_STATE_STORE_CONTRACT_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "libs/ports/state_store.h"

namespace microcred {

struct StateStoreFactory {
  std::string adapter;
  std::function<std::unique_ptr<StateStore>()> make;
};

inline std::ostream& operator<<(std::ostream& os, const StateStoreFactory& f) {
  return os << f.adapter;
}

class StateStoreContractTest : public testing::TestWithParam<StateStoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam().make(); }
  std::optional<std::string> MustGet(const std::string& key) {
    auto v = store_->Get(key);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : std::nullopt;
  }
  std::unique_ptr<StateStore> store_;
};

TEST_P(StateStoreContractTest, AbsentKeyIsNullopt) { EXPECT_EQ(MustGet("nothing"), std::nullopt); }

TEST_P(StateStoreContractTest, CommittedPutsAndDeletesAreVisible) {
  WriteBatch first;
  first.Put("a", "1");
  first.Put("b", "2");
  ASSERT_TRUE(store_->Commit(first).ok());
  WriteBatch second;
  second.Delete("a");
  second.Put("c", "3");
  ASSERT_TRUE(store_->Commit(second).ok());
  EXPECT_EQ(MustGet("a"), std::nullopt);
  EXPECT_EQ(MustGet("b"), "2");
  EXPECT_EQ(MustGet("c"), "3");
}

TEST_P(StateStoreContractTest, LaterOpOnTheSameKeyWins) {
  WriteBatch batch;
  batch.Put("k", "old");
  batch.Put("k", "new");
  batch.Put("gone", "x");
  batch.Delete("gone");
  ASSERT_TRUE(store_->Commit(batch).ok());
  EXPECT_EQ(MustGet("k"), "new");
  EXPECT_EQ(MustGet("gone"), std::nullopt);
}

TEST_P(StateStoreContractTest, EmptyBatchIsANoOp) {
  ASSERT_TRUE(store_->Commit(WriteBatch{}).ok());
  auto all = store_->ScanPrefix("");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_P(StateStoreContractTest, ScanPrefixIsExactAndSorted) {
  WriteBatch batch;
  batch.Put("spec:b", "2");
  batch.Put("spec:a", "1");
  batch.Put("spec:c", "3");
  batch.Put("spec", "no colon");
  batch.Put("other:a", "x");
  ASSERT_TRUE(store_->Commit(batch).ok());
  auto rows = store_->ScanPrefix("spec:");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], (std::pair<std::string, std::string>{"spec:a", "1"}));
  EXPECT_EQ((*rows)[2].first, "spec:c");
}

TEST_P(StateStoreContractTest, PatternCharactersInPrefixesAreLiteral) {
  WriteBatch batch;
  batch.Put("a*[b]?\\c:1", "literal");
  batch.Put("aX[b]?\\c:2", "must not match");
  ASSERT_TRUE(store_->Commit(batch).ok());
  auto rows = store_->ScanPrefix("a*[b]?\\c:");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].second, "literal");
}

TEST_P(StateStoreContractTest, KeysAndValuesAreBinarySafe) {
  std::string key("k\0\xff", 3), value("\0\r\n\x01", 4);
  WriteBatch batch;
  batch.Put(key, value);
  ASSERT_TRUE(store_->Commit(batch).ok());
  EXPECT_EQ(MustGet(key), value);
  auto rows = store_->ScanPrefix(std::string("k\0", 2));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].second, value);
}

TEST_P(StateStoreContractTest, ConcurrentCommitsAllLand) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        WriteBatch batch;
        batch.Put("c:" + std::to_string(t) + ":" + std::to_string(i), "v");
        EXPECT_TRUE(store_->Commit(batch).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  auto rows = store_->ScanPrefix("c:");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 200u);
}

TEST_P(StateStoreContractTest, GetManyKeepsTheOrderAndMarksAbsentKeys) {
  WriteBatch batch;
  for (int i = 0; i < 2500; i += 2) batch.Put("m:" + std::to_string(i), std::to_string(i * 3));
  ASSERT_TRUE(store_->Commit(batch).ok());
  std::vector<std::string> keys;
  for (int i = 2499; i >= 0; --i) keys.push_back("m:" + std::to_string(i));
  auto values = store_->GetMany(keys);
  ASSERT_TRUE(values.ok()) << values.status();
  ASSERT_EQ(values->size(), keys.size());
  for (size_t k = 0; k < keys.size(); ++k) {
    const int i = 2499 - static_cast<int>(k);
    if (i % 2 == 0) {
      EXPECT_EQ((*values)[k], std::to_string(i * 3)) << keys[k];
    } else {
      EXPECT_EQ((*values)[k], std::nullopt) << keys[k];
    }
  }
  EXPECT_TRUE(store_->GetMany({})->empty());
}

TEST_P(StateStoreContractTest, LargeValuesRoundTrip) {
  std::string big(1 << 20, 'x');
  WriteBatch batch;
  batch.Put("big", big);
  ASSERT_TRUE(store_->Commit(batch).ok());
  EXPECT_EQ(MustGet("big"), big);
}

// Scrub changes nothing a reader sees (what it removes from the files is each adapter's test).
TEST_P(StateStoreContractTest, ScrubKeepsEveryLiveKeyAndNoDeletedOne) {
  WriteBatch first;
  first.Put("kept", "1");
  first.Put("deleted", "2");
  first.Put("overwritten", "old");
  ASSERT_TRUE(store_->Commit(first).ok());
  WriteBatch second;
  second.Delete("deleted");
  second.Put("overwritten", "new");
  ASSERT_TRUE(store_->Commit(second).ok());
  ASSERT_TRUE(store_->Scrub().ok());
  EXPECT_EQ(MustGet("kept"), "1");
  EXPECT_EQ(MustGet("deleted"), std::nullopt);
  EXPECT_EQ(MustGet("overwritten"), "new");
  WriteBatch after;
  after.Put("after", "3");
  ASSERT_TRUE(store_->Commit(after).ok());
  EXPECT_EQ(MustGet("after"), "3");
}

}  // namespace microcred

#endif  // MICROCRED_LIBS_PORTS_TESTING_STATE_STORE_CONTRACT_H_
