#include "libs/adapters/file/record_format.h"

#include <gtest/gtest.h>

#include <string>

#include "libs/adapters/file/crc32c.h"

namespace microcred::file_log {
namespace {

using Outcome = ParsedRecord::Outcome;

TEST(Crc32cTest, MatchesPublishedCheckValues) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);              // the CRC catalogue's check value
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);    // RFC 3720, B.4
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62A8AB43u);  // RFC 3720, B.4
  EXPECT_EQ(Crc32c(""), 0u);
}

TEST(Crc32cTest, ContinuesAcrossPieces) {
  const std::string text = "the quick brown fox jumps over the lazy dog";
  for (size_t split = 0; split <= text.size(); ++split) {
    EXPECT_EQ(Crc32c(text.substr(split), Crc32c(text.substr(0, split))), Crc32c(text)) << split;
  }
}

TEST(RecordFormatTest, RoundTripsBinaryKeysAndValues) {
  std::string bytes;
  const std::string key("k\0y", 3), value("\xff\0v", 3);
  AppendEncodedRecord(key, value, bytes);
  AppendEncodedRecord("", "", bytes);
  ParsedRecord first = ParseRecord(bytes);
  ASSERT_EQ(first.outcome, Outcome::kOk);
  EXPECT_EQ(first.key, key);
  EXPECT_EQ(first.value, value);
  EXPECT_EQ(first.encoded_size, kRecordHeaderBytes + 6);
  ParsedRecord second = ParseRecord(std::string_view(bytes).substr(first.encoded_size));
  ASSERT_EQ(second.outcome, Outcome::kOk);
  EXPECT_TRUE(second.key.empty() && second.value.empty());
}

TEST(RecordFormatTest, EveryPrefixIsIncompleteAndEveryFlippedByteIsCaught) {
  std::string bytes;
  AppendEncodedRecord("key", "value", bytes);
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_EQ(ParseRecord(std::string_view(bytes).substr(0, n)).outcome, Outcome::kIncomplete) << n;
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] ^= 0x01;
    EXPECT_NE(ParseRecord(damaged).outcome, Outcome::kOk) << "byte " << i;
  }
}

std::string ThreeRecords() {
  std::string bytes;
  for (const char* v : {"one", "two", "three"}) AppendEncodedRecord("k", v, bytes);
  return bytes;
}

TEST(ScanRecordsTest, IndexesEveryRecord) {
  const std::string file = ThreeRecords();
  auto scanned = ScanRecords(file, "f");
  ASSERT_TRUE(scanned.ok()) << scanned.status();
  EXPECT_EQ(scanned->record_starts, (std::vector<int64_t>{0, 20, 40}));
  EXPECT_EQ(scanned->valid_end, static_cast<int64_t>(file.size()));
}

TEST(ScanRecordsTest, TornOrZeroedTailEndsTheValidPart) {
  const std::string good = ThreeRecords();
  std::string next;
  AppendEncodedRecord("k", "four", next);
  for (const std::string& tail : {next.substr(0, 10), next.substr(0, next.size() - 1),
                                  std::string(4096, '\0'), std::string("M")}) {
    auto scanned = ScanRecords(good + tail, "f");
    ASSERT_TRUE(scanned.ok()) << scanned.status();
    EXPECT_EQ(scanned->valid_end, static_cast<int64_t>(good.size()));
    EXPECT_EQ(scanned->record_starts.size(), 3u);
  }
}

TEST(ScanRecordsTest, DamageBeforeValidRecordsIsDataLoss) {
  std::string file = ThreeRecords();
  file[20 + kRecordHeaderBytes + 2] ^= 0x40;  // inside the value of the record at offset 1
  auto scanned = ScanRecords(file, "topic.mclog");
  ASSERT_EQ(scanned.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(scanned.status().message().find("topic.mclog"), std::string::npos);
  EXPECT_NE(scanned.status().message().find("byte 20 (offset 1)"), std::string::npos)
      << scanned.status();
}

TEST(ScanRecordsTest, DamagedLengthBeforeValidRecordsIsDataLoss) {
  std::string file = ThreeRecords();
  file[8 + 3] = '\x7f';  // the first record's length now points far past the end of the file
  auto scanned = ScanRecords(file, "f");
  EXPECT_EQ(scanned.status().code(), absl::StatusCode::kDataLoss) << scanned.status();
}

}  // namespace
}  // namespace microcred::file_log
