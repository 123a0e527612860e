#include "libs/status_list/status_list.h"

#include <gtest/gtest.h>

#include <string>

namespace microcred::status_list {
namespace {

StatusList MustCreate(int status_size, int64_t entries = StatusList::kMinEntries) {
  absl::StatusOr<StatusList> list = StatusList::Create(status_size, entries);
  EXPECT_TRUE(list.ok()) << list.status();
  return *std::move(list);
}

unsigned char Byte(const StatusList& list, size_t i) {
  return static_cast<unsigned char>(list.bits().bytes()[i]);
}

TEST(StatusListTest, TwoBitListHasTheMinimumEntriesInThirtyTwoKibibytes) {
  const StatusList list = MustCreate(2);
  EXPECT_EQ(list.status_size(), 2);
  EXPECT_EQ(list.entries(), 131'072);
  EXPECT_EQ(list.bits().size(), 262'144);
  EXPECT_EQ(list.bits().bytes(), std::string(32 * 1024, '\0'));
}

// Entry i is bits 2i and 2i+1, bit 0 the most significant bit of the first byte, the value read
// most significant bit first: 0b10 in entry 0 is 0x80, 0b01 in entry 1 is 0x10.
TEST(StatusListTest, EntriesSitAtIndexTimesSizeMostSignificantBitFirst) {
  StatusList list = MustCreate(2);
  ASSERT_TRUE(list.Set(0, 2).ok());
  ASSERT_TRUE(list.Set(1, 1).ok());
  ASSERT_TRUE(list.Set(3, 3).ok());
  ASSERT_TRUE(list.Set(5, 2).ok());
  EXPECT_EQ(Byte(list, 0), 0x80 | 0x10 | 0x03);
  EXPECT_EQ(Byte(list, 1), 0x20);  // entry 5: bits 10 and 11
  EXPECT_EQ(*list.bits().Get(10), true);
  EXPECT_EQ(*list.bits().Get(11), false);
  EXPECT_EQ(*list.Get(0), 2u);
  EXPECT_EQ(*list.Get(1), 1u);
  EXPECT_EQ(*list.Get(2), 0u);
  EXPECT_EQ(*list.Get(3), 3u);
  EXPECT_EQ(*list.Get(5), 2u);

  // The last entry is the last two bits of the last byte.
  ASSERT_TRUE(list.Set(131'071, 1).ok());
  EXPECT_EQ(Byte(list, 32 * 1024 - 1), 0x01);
  EXPECT_EQ(*list.Get(131'071), 1u);
}

TEST(StatusListTest, SettingAValueReplacesTheWholeEntryAndNoOther) {
  StatusList list = MustCreate(2);
  ASSERT_TRUE(list.Set(7, 3).ok());
  ASSERT_TRUE(list.Set(7, 2).ok());
  EXPECT_EQ(*list.Get(7), 2u);
  EXPECT_EQ(*list.Get(6), 0u);
  EXPECT_EQ(*list.Get(8), 0u);
  ASSERT_TRUE(list.Set(7, 0).ok());
  EXPECT_EQ(list, MustCreate(2));
}

TEST(StatusListTest, OneBitListIsTheBitstring) {
  StatusList list = MustCreate(1);
  EXPECT_EQ(list.entries(), StatusBitstring::kMinBits);
  ASSERT_TRUE(list.Set(94'567, 1).ok());
  StatusBitstring bits;
  ASSERT_TRUE(bits.Set(94'567, true).ok());
  EXPECT_EQ(list.bits(), bits);
  EXPECT_EQ(list.Encode(), bits.Encode());
}

TEST(StatusListTest, RefusesValuesThatDoNotFitAndIndexesOutside) {
  StatusList list = MustCreate(2);
  EXPECT_EQ(list.Set(0, 4).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(list.Set(-1, 1).code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(list.Set(131'072, 1).code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(list.Get(131'072).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(MustCreate(1).Set(0, 2).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(list, MustCreate(2));  // nothing half-written
}

TEST(StatusListTest, CreateRefusesSizesOutsideTheRules) {
  EXPECT_EQ(StatusList::Create(0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusList::Create(9).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusList::Create(2, 131'071).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusList::Create(3, 131'073).status().code(), absl::StatusCode::kInvalidArgument)
      << "not a whole number of bytes";
  EXPECT_EQ(StatusList::Create(8, StatusBitstring::kMaxBits).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(StatusList::Create(2, 200'000).ok());
  EXPECT_EQ(StatusList::Create(8).value().bits().size(), 8 * 131'072);
}

TEST(StatusListTest, EncodeDecodeRoundTripsThroughGzipAndMultibase) {
  StatusList list = MustCreate(2);
  for (int64_t i : {0, 1, 4'217, 99'999, 131'071}) ASSERT_TRUE(list.Set(i, i % 3 + 1).ok());
  const std::string encoded = list.Encode();
  ASSERT_FALSE(encoded.empty());
  EXPECT_EQ(encoded.front(), 'u');
  EXPECT_EQ(encoded, list.Encode());  // deterministic
  absl::StatusOr<StatusList> decoded = StatusList::Decode(encoded, 2);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, list);
  EXPECT_EQ(*decoded->Get(4'217), 4'217u % 3 + 1);
  // The same text is also a valid bitstring: the entries are plain bits to a 1-bit reader.
  EXPECT_EQ(StatusBitstring::Decode(encoded).value(), list.bits());
}

// The spec counts the minimum in entries: a 16 KiB list is long enough for 1-bit entries but
// holds only 65,536 entries of 2 bits.
TEST(StatusListTest, DecodeRefusesFewerEntriesThanTheMinimum) {
  const std::string one_bit_minimum = StatusBitstring().Encode();
  EXPECT_TRUE(StatusList::Decode(one_bit_minimum, 1).ok());
  absl::StatusOr<StatusList> two_bit = StatusList::Decode(one_bit_minimum, 2);
  EXPECT_EQ(two_bit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(two_bit.status().message().find("65536 entries"), std::string::npos)
      << two_bit.status();
  EXPECT_EQ(StatusList::Decode(one_bit_minimum, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusList::Decode("zNotMultibase", 2).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace microcred::status_list
