#include "libs/status_list/bitstring.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "libs/crypto/crypto.h"

namespace microcred::status_list {
namespace {

constexpr int64_t kMinBytes = StatusBitstring::kMinBits / 8;
constexpr int64_t kMaxBytes = StatusBitstring::kMaxBits / 8;

// The spec's example encodedList: a 16 KiB list with no bit set.
constexpr char kSpecAllZeroList[] =
    "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";

// GZIP made independently of the code under test, to build inputs it must accept or refuse.
std::string Gzip(const std::string& bytes) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&zs, bytes.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Multibase(const std::string& bytes) { return "u" + crypto::Base64UrlEncode(bytes); }

void ExpectRefused(const std::string& encoded, const std::string& why) {
  absl::StatusOr<StatusBitstring> decoded = StatusBitstring::Decode(encoded);
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument) << why;
}

TEST(StatusBitstringTest, DefaultIsTheSpecMinimumAllClear) {
  StatusBitstring bits;
  EXPECT_EQ(bits.size(), 131'072);
  EXPECT_EQ(bits.bytes(), std::string(16 * 1024, '\0'));
}

TEST(StatusBitstringTest, SetGetAndClear) {
  StatusBitstring bits;
  ASSERT_TRUE(bits.Set(94'567, true).ok());
  EXPECT_TRUE(*bits.Get(94'567));
  EXPECT_FALSE(*bits.Get(94'566));
  EXPECT_FALSE(*bits.Get(94'568));
  ASSERT_TRUE(bits.Set(94'567, true).ok());  // idempotent
  EXPECT_TRUE(*bits.Get(94'567));
  ASSERT_TRUE(bits.Set(94'567, false).ok());
  EXPECT_EQ(bits, StatusBitstring());
}

TEST(StatusBitstringTest, IndexZeroIsTheLeftMostBitOfTheFirstByte) {
  StatusBitstring bits;
  ASSERT_TRUE(bits.Set(0, true).ok());
  EXPECT_EQ(static_cast<unsigned char>(bits.bytes()[0]), 0x80);
  ASSERT_TRUE(bits.Set(7, true).ok());
  EXPECT_EQ(static_cast<unsigned char>(bits.bytes()[0]), 0x81);
  ASSERT_TRUE(bits.Set(9, true).ok());
  EXPECT_EQ(static_cast<unsigned char>(bits.bytes()[1]), 0x40);
  ASSERT_TRUE(bits.Set(bits.size() - 1, true).ok());
  EXPECT_EQ(static_cast<unsigned char>(bits.bytes().back()), 0x01);
}

TEST(StatusBitstringTest, IndexOutsideTheListIsOutOfRange) {
  StatusBitstring bits;
  EXPECT_EQ(bits.Get(-1).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(bits.Get(bits.size()).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(bits.Set(bits.size(), true).code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(bits.Set(-8, false).code(), absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(bits.Get(bits.size() - 1).ok());
}

TEST(StatusBitstringTest, WithSizeEnforcesTheBounds) {
  absl::StatusOr<StatusBitstring> bigger = StatusBitstring::WithSize(2 * 131'072);
  ASSERT_TRUE(bigger.ok());
  EXPECT_EQ(bigger->size(), 262'144);
  EXPECT_FALSE(StatusBitstring::WithSize(131'072 - 8).ok());
  EXPECT_FALSE(StatusBitstring::WithSize(131'072 + 1).ok());
  EXPECT_FALSE(StatusBitstring::WithSize(StatusBitstring::kMaxBits + 8).ok());
  EXPECT_TRUE(StatusBitstring::WithSize(StatusBitstring::kMaxBits).ok());
}

TEST(StatusBitstringTest, EncodingDecodesBack) {
  absl::StatusOr<StatusBitstring> bits = StatusBitstring::WithSize(4 * 131'072);
  ASSERT_TRUE(bits.ok());
  for (int64_t index : {0, 1, 4'095, 94'567, 131'071, 300'000, 4 * 131'072 - 1}) {
    ASSERT_TRUE(bits->Set(index, true).ok());
  }
  const std::string encoded = bits->Encode();
  absl::StatusOr<StatusBitstring> decoded = StatusBitstring::Decode(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, *bits);
}

TEST(StatusBitstringTest, EncodingIsMultibaseGzipAndDeterministic) {
  StatusBitstring bits;
  ASSERT_TRUE(bits.Set(42, true).ok());
  const std::string encoded = bits.Encode();
  EXPECT_EQ(encoded, bits.Encode());
  EXPECT_EQ(encoded.rfind("uH4sI", 0), 0u);  // "u" + base64url of the GZIP magic 1f 8b 08
  absl::StatusOr<std::string> gzip = crypto::Base64UrlDecode(std::string_view(encoded).substr(1));
  ASSERT_TRUE(gzip.ok());
  EXPECT_EQ(gzip->substr(4, 4), std::string(4, '\0'));  // mtime: no timestamp
  EXPECT_LT(encoded.size(), 200u);                      // 16 KiB of mostly zeros
}

TEST(StatusBitstringTest, DecodesTheSpecExample) {
  absl::StatusOr<StatusBitstring> decoded = StatusBitstring::Decode(kSpecAllZeroList);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->size(), 131'072);
  EXPECT_EQ(*decoded, StatusBitstring());
}

// Not required by the spec (any valid GZIP will do), but reassuring: zlib at its default level
// gives the spec's bytes exactly. Another deflate implementation may legitimately differ.
TEST(StatusBitstringTest, EncodesTheEmptyListAsTheSpecExample) {
#ifdef ZLIBNG_VERSION
  GTEST_SKIP() << "zlib-ng compresses differently";
#endif
  EXPECT_EQ(StatusBitstring().Encode(), kSpecAllZeroList);
}

TEST(StatusBitstringTest, RefusesMalformedText) {
  ExpectRefused("", "empty");
  ExpectRefused("H4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",
                "no prefix");
  ExpectRefused("z" + std::string(kSpecAllZeroList + 1), "base58 prefix");
  ExpectRefused("m" + std::string(kSpecAllZeroList + 1), "padded base64 prefix");
  ExpectRefused("uH4sI+AAA", "base64 alphabet, not base64url");
  ExpectRefused(std::string(kSpecAllZeroList) + "==", "padding");
  ExpectRefused("u", "nothing after the prefix");
}

TEST(StatusBitstringTest, RefusesMalformedGzip) {
  const std::string good = Gzip(std::string(kMinBytes, '\0'));
  ASSERT_TRUE(StatusBitstring::Decode(Multibase(good)).ok());
  ExpectRefused(Multibase(std::string(kMinBytes, '\0')), "not GZIP at all");
  ExpectRefused(Multibase(good.substr(0, good.size() - 4)), "truncated");
  ExpectRefused(Multibase(good + "x"), "bytes after the stream");
  std::string bad_crc = good;
  bad_crc[bad_crc.size() - 5] ^= 0x01;  // in the CRC-32 of the trailer
  ExpectRefused(Multibase(bad_crc), "CRC mismatch");
  std::string bad_header = good;
  bad_header[2] = 0x07;  // compression method other than deflate
  ExpectRefused(Multibase(bad_header), "bad header");
}

TEST(StatusBitstringTest, RefusesListsBelowTheMinimum) {
  ExpectRefused(Multibase(Gzip(std::string(kMinBytes - 1, '\0'))), "one byte short");
  ExpectRefused(Multibase(Gzip("")), "empty list");
}

TEST(StatusBitstringTest, AcceptsTheCapAndRefusesZipBombs) {
  absl::StatusOr<StatusBitstring> at_cap =
      StatusBitstring::Decode(Multibase(Gzip(std::string(kMaxBytes, '\0'))));
  ASSERT_TRUE(at_cap.ok()) << at_cap.status();
  EXPECT_EQ(at_cap->size(), StatusBitstring::kMaxBits);
  ExpectRefused(Multibase(Gzip(std::string(kMaxBytes + 1, '\0'))), "one byte over");
  const std::string bomb = Gzip(std::string(64 * 1024 * 1024, '\0'));  // 64 MiB
  EXPECT_LT(bomb.size(), 100'000u);
  ExpectRefused(Multibase(bomb), "zip bomb");
}

}  // namespace
}  // namespace microcred::status_list
