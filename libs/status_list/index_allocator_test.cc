#include "libs/status_list/index_allocator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

namespace microcred::status_list {
namespace {

// Plays the caller: records each pick, as it would in its WriteBatch.
struct UsedIndexes {
  std::set<int64_t> used;

  StatusIndexAllocator::IsUsed IsUsed() const {
    return [this](int64_t index) -> absl::StatusOr<bool> { return used.count(index) > 0; };
  }
  absl::StatusOr<int64_t> Pick(const StatusIndexAllocator& allocator) {
    absl::StatusOr<int64_t> index = allocator.PickFree(static_cast<int64_t>(used.size()), IsUsed());
    if (index.ok()) used.insert(*index);
    return index;
  }
};

TEST(StatusIndexAllocatorTest, ThousandPicksAreDistinctUnorderedAndSpread) {
  StatusIndexAllocator allocator;
  UsedIndexes caller;
  std::vector<int64_t> picks;
  for (int i = 0; i < 1000; ++i) {
    absl::StatusOr<int64_t> index = caller.Pick(allocator);
    ASSERT_TRUE(index.ok()) << index.status();
    ASSERT_GE(*index, 0);
    ASSERT_LT(*index, StatusBitstring::kMinBits);
    picks.push_back(*index);
  }
  EXPECT_EQ(caller.used.size(), 1000u);
  EXPECT_FALSE(std::is_sorted(picks.begin(), picks.end()));
  // Issuance order must not show: both ends of the list get used early.
  EXPECT_LT(*caller.used.begin(), StatusBitstring::kMinBits / 20);
  EXPECT_GT(*caller.used.rbegin(), StatusBitstring::kMinBits - StatusBitstring::kMinBits / 20);
}

TEST(StatusIndexAllocatorTest, DrawsAreRoughlyUniform) {
  StatusIndexAllocator allocator(8);
  std::vector<int> counts(8, 0);
  const auto never_used = [](int64_t) -> absl::StatusOr<bool> { return false; };
  for (int i = 0; i < 8000; ++i) {
    absl::StatusOr<int64_t> index = allocator.PickFree(0, never_used);
    ASSERT_TRUE(index.ok());
    ++counts[static_cast<size_t>(*index)];
  }
  for (int count : counts) {  // mean 1000, standard deviation about 30
    EXPECT_GT(count, 800);
    EXPECT_LT(count, 1200);
  }
}

TEST(StatusIndexAllocatorTest, SmallListFillsToCapacityThenRefuses) {
  StatusIndexAllocator allocator(100);
  EXPECT_EQ(allocator.capacity(), 90);
  UsedIndexes caller;
  for (int i = 0; i < 90; ++i) ASSERT_TRUE(caller.Pick(allocator).ok()) << i;
  EXPECT_EQ(caller.used.size(), 90u);
  EXPECT_LT(*caller.used.rbegin(), 100);
  absl::StatusOr<int64_t> full = caller.Pick(allocator);
  EXPECT_EQ(full.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(full.status().message().find("status list full: open a new list"),
            absl::string_view::npos);
}

TEST(StatusIndexAllocatorTest, FullListIsRefusedWithoutProbing) {
  StatusIndexAllocator allocator;
  int probes = 0;
  const auto counting = [&probes](int64_t) -> absl::StatusOr<bool> {
    ++probes;
    return false;
  };
  EXPECT_EQ(allocator.PickFree(allocator.capacity(), counting).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(probes, 0);
  EXPECT_TRUE(allocator.PickFree(allocator.capacity() - 1, counting).ok());
}

TEST(StatusIndexAllocatorTest, GivesUpAfterTheProbeBound) {
  StatusIndexAllocator allocator;
  int probes = 0;
  const auto always_used = [&probes](int64_t) -> absl::StatusOr<bool> {
    ++probes;
    return true;
  };
  EXPECT_EQ(allocator.PickFree(0, always_used).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(probes, StatusIndexAllocator::kMaxProbes);
}

TEST(StatusIndexAllocatorTest, StoreErrorsPassThrough) {
  StatusIndexAllocator allocator;
  const auto failing = [](int64_t) -> absl::StatusOr<bool> {
    return absl::UnavailableError("redis down");
  };
  EXPECT_EQ(allocator.PickFree(0, failing).status(), absl::UnavailableError("redis down"));
}

TEST(StatusIndexAllocatorTest, RefusesNonsenseArguments) {
  const auto never_used = [](int64_t) -> absl::StatusOr<bool> { return false; };
  EXPECT_EQ(StatusIndexAllocator(0).PickFree(0, never_used).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusIndexAllocator().PickFree(-1, never_used).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace microcred::status_list
