#include "libs/crypto/crypto.h"

#include <gtest/gtest.h>

namespace microcred::crypto {
namespace {

TEST(SigningKeyTest, SignatureVerifiesAndTamperingIsDetected) {
  SigningKey key = SigningKey::Generate();
  std::string sig = key.Sign("hello");
  EXPECT_EQ(sig.size(), kSignatureBytes);
  EXPECT_TRUE(Verify(key.public_key(), "hello", sig));
  EXPECT_FALSE(Verify(key.public_key(), "hellp", sig));
  sig[3] ^= 1;
  EXPECT_FALSE(Verify(key.public_key(), "hello", sig));
}

TEST(SigningKeyTest, OtherKeyDoesNotVerify) {
  SigningKey a = SigningKey::Generate(), b = SigningKey::Generate();
  EXPECT_FALSE(Verify(b.public_key(), "m", a.Sign("m")));
}

TEST(SigningKeyTest, SeedRoundTripGivesTheSameKey) {
  SigningKey key = SigningKey::Generate();
  auto again = SigningKey::FromSeed(key.ToSeed());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key(), key.public_key());
  EXPECT_TRUE(Verify(key.public_key(), "x", again->Sign("x")));
  EXPECT_FALSE(SigningKey::FromSeed("short").ok());
}

TEST(VerifyTest, WrongSizesAreRejectedNotCrashing) {
  EXPECT_FALSE(Verify("short", "m", std::string(64, 'a')));
  EXPECT_FALSE(Verify(std::string(32, 'a'), "m", "short"));
}

TEST(Base64UrlTest, RoundTripAndRejection) {
  std::string bytes("\xfb\xff\x00\x01", 4);
  std::string text = Base64UrlEncode(bytes);
  EXPECT_EQ(text, "-_8AAQ");
  auto back = Base64UrlDecode(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
  EXPECT_FALSE(Base64UrlDecode("ab+/").ok());
  EXPECT_FALSE(Base64UrlDecode("-_8AAQ==").ok());
  EXPECT_FALSE(Base64UrlDecode("abcde").ok());   // a length no encoding has
  EXPECT_FALSE(Base64UrlDecode("-_8AAR").ok());  // non-zero unused bits: not canonical
  EXPECT_EQ(Base64UrlEncode(""), "");
  // Every length and byte value round-trips, against RFC 4648 test vectors too.
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n = 0; n <= all.size(); n += 37) {
    auto decoded = Base64UrlDecode(Base64UrlEncode(all.substr(0, n)));
    ASSERT_TRUE(decoded.ok()) << n;
    EXPECT_EQ(*decoded, all.substr(0, n));
  }
}

TEST(IdsTest, RandomIdsAreHexAndDistinct) {
  std::string a = RandomId(), b = RandomId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(HashTest, Sha256KnownVector) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(KeyFingerprint("abc").rfind("ed25519:ba7816bf8f01cfea", 0), 0u);
}

}  // namespace
}  // namespace microcred::crypto
