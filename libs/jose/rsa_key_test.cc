#include "libs/jose/rsa_key.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "libs/jose/test_keys.h"

namespace microcred::jose {
namespace {

using testing::TestRsaKey;

TEST(RsaKeyTest, GeneratedKeyHasTheRequestedSizeAndExponent65537) {
  for (int bits : {2048, 3072}) {
    absl::StatusOr<RsaPrivateKey> key = RsaPrivateKey::Generate(bits);
    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_EQ(key->bits(), bits);
    EXPECT_EQ(key->Modulus().size(), static_cast<size_t>(bits / 8));
    EXPECT_EQ(key->PublicExponent(), std::string("\x01\x00\x01", 3));
    EXPECT_NE(key->PublicKeyDer(), TestRsaKey(0).PublicKeyDer());
  }
}

TEST(RsaKeyTest, SizesOutsideTheBoundsAreRefused) {
  for (int bits : {0, 1024, 2047, 8193, 16384}) {
    absl::StatusOr<RsaPrivateKey> key = RsaPrivateKey::Generate(bits);
    EXPECT_TRUE(absl::IsInvalidArgument(key.status())) << bits;
  }
}

TEST(RsaKeyTest, Pkcs8PemRoundTrips) {
  std::string pem = TestRsaKey(0).ToPkcs8Pem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n")) << pem.substr(0, 40);
  absl::StatusOr<RsaPrivateKey> again = RsaPrivateKey::FromPkcs8Pem(pem);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->PublicKeyDer(), TestRsaKey(0).PublicKeyDer());
  EXPECT_EQ(again->SignRs256("m"), TestRsaKey(0).SignRs256("m"));
}

TEST(RsaKeyTest, CopiesShareTheKey) {
  RsaPrivateKey copy = TestRsaKey(0);
  RsaPrivateKey assigned = TestRsaKey(1);
  assigned = copy;
  EXPECT_EQ(assigned.PublicKeyDer(), TestRsaKey(0).PublicKeyDer());
  RsaPrivateKey moved = std::move(copy);
  EXPECT_EQ(moved.SignRs256("m"), TestRsaKey(0).SignRs256("m"));
}

TEST(RsaKeyTest, NonKeysAreRefused) {
  std::vector<std::string> not_keys = {
      "", "garbage", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
      std::string(20000, 'A')};
  for (const std::string& pem : not_keys) {
    absl::StatusOr<RsaPrivateKey> key = RsaPrivateKey::FromPkcs8Pem(pem);
    EXPECT_TRUE(absl::IsInvalidArgument(key.status())) << key.status();
  }
}

// An Ed25519 PKCS#8 key (RFC 8410 §7): the fixed DER prefix, then the 32-byte seed.
TEST(RsaKeyTest, OtherKeyTypesAreRefused) {
  std::string der =
      std::string("\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20", 16) +
      testing::Unbase64Url(testing::kRfc8037Seed);
  std::string base64 = crypto::Base64UrlEncode(der);  // 48 bytes: no padding either way
  std::replace(base64.begin(), base64.end(), '-', '+');
  std::replace(base64.begin(), base64.end(), '_', '/');
  std::string pem = "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
  absl::StatusOr<RsaPrivateKey> key = RsaPrivateKey::FromPkcs8Pem(pem);
  EXPECT_EQ(key.status().message(), "rsa key: not an RSA key");
}

// Without a passphrase callback OpenSSL would prompt on the terminal; the load must fail
// instead, at once.
TEST(RsaKeyTest, EncryptedPemIsRefusedWithoutPrompting) {
  std::string clear = TestRsaKey(0).ToPkcs8Pem();
  BIO* in = BIO_new_mem_buf(clear.data(), static_cast<int>(clear.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  ASSERT_NE(pkey, nullptr);
  BIO* out = BIO_new(BIO_s_mem());
  char passphrase[] = "secret";
  ASSERT_EQ(
      PEM_write_bio_PKCS8PrivateKey(out, pkey, EVP_aes_256_cbc(), passphrase, 6, nullptr, nullptr),
      1);
  char* data = nullptr;
  long size = BIO_get_mem_data(out, &data);
  std::string encrypted(data, static_cast<size_t>(size));
  BIO_free(out);
  EVP_PKEY_free(pkey);
  BIO_free(in);
  ASSERT_TRUE(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  absl::StatusOr<RsaPrivateKey> key = RsaPrivateKey::FromPkcs8Pem(encrypted);
  EXPECT_EQ(key.status().message(), "rsa key: not an unencrypted PEM private key");
}

TEST(RsaKeyTest, Rs256SignsAndVerifies) {
  const RsaPrivateKey& key = TestRsaKey(0);
  std::string signature = key.SignRs256("message");
  EXPECT_EQ(signature.size(), 256u);
  EXPECT_EQ(signature, key.SignRs256("message"));  // PKCS#1 v1.5 is deterministic
  EXPECT_TRUE(VerifyRs256(key.PublicKeyDer(), "message", signature));
  EXPECT_FALSE(VerifyRs256(key.PublicKeyDer(), "messagE", signature));
  EXPECT_FALSE(VerifyRs256(TestRsaKey(1).PublicKeyDer(), "message", signature));
  EXPECT_FALSE(VerifyRs256(key.PublicKeyDer(), "message", signature.substr(1)));
  EXPECT_FALSE(VerifyRs256(key.PublicKeyDer(), "message", ""));
  EXPECT_FALSE(VerifyRs256("", "message", signature));
  EXPECT_FALSE(VerifyRs256(key.PublicKeyDer() + "x", "message", signature));
}

TEST(RsaKeyTest, PublicNumbersAndSpkiConvertBothWays) {
  const RsaPrivateKey& key = TestRsaKey(0);
  absl::StatusOr<RsaPublicNumbers> numbers = RsaPublicNumbersFromSpki(key.PublicKeyDer());
  ASSERT_TRUE(numbers.ok()) << numbers.status();
  EXPECT_EQ(numbers->modulus, key.Modulus());
  EXPECT_EQ(numbers->exponent, key.PublicExponent());
  absl::StatusOr<std::string> spki = RsaSpkiFromNumbers(numbers->modulus, numbers->exponent);
  ASSERT_TRUE(spki.ok()) << spki.status();
  EXPECT_EQ(*spki, key.PublicKeyDer());
  EXPECT_FALSE(RsaPublicNumbersFromSpki("junk").ok());
}

TEST(RsaKeyTest, FingerprintIsShortAndStable) {
  std::string fingerprint = RsaKeyFingerprint(TestRsaKey(0).PublicKeyDer());
  EXPECT_EQ(fingerprint.size(), 4u + 16u);
  EXPECT_TRUE(fingerprint.starts_with("rsa:"));
  EXPECT_EQ(fingerprint, RsaKeyFingerprint(TestRsaKey(0).PublicKeyDer()));
  EXPECT_NE(fingerprint, RsaKeyFingerprint(TestRsaKey(1).PublicKeyDer()));
}

class RsaKeyFileTest : public ::testing::Test {
 protected:
  RsaKeyFileTest() {
    std::string pattern = ::testing::TempDir() + "mc_rsa_key_XXXXXX";
    dir_ = ::mkdtemp(pattern.data());
  }
  ~RsaKeyFileTest() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  static unsigned Mode(const std::string& path) {
    struct stat info;
    EXPECT_EQ(::stat(path.c_str(), &info), 0);
    return info.st_mode & 0777;
  }
  static void WriteFile(const std::string& path, const std::string& bytes, unsigned mode) {
    std::ofstream(path, std::ios::binary) << bytes;
    ::chmod(path.c_str(), mode);
  }
  size_t FileCount() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir_), {}));
  }

  std::string dir_;
};

TEST_F(RsaKeyFileTest, SavesA0600FileAndLoadsTheSameKey) {
  std::string path = Path("rsa.pem");
  ASSERT_TRUE(TestRsaKey(0).SaveToFile(path).ok());
  EXPECT_EQ(Mode(path), 0600u);
  absl::StatusOr<RsaPrivateKey> loaded = RsaPrivateKey::LoadFromFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->PublicKeyDer(), TestRsaKey(0).PublicKeyDer());
  EXPECT_EQ(FileCount(), 1u);  // no temporary file left behind
}

TEST_F(RsaKeyFileTest, SavingNeverReplacesAKeyFile) {
  std::string path = Path("rsa.pem");
  ASSERT_TRUE(TestRsaKey(0).SaveToFile(path).ok());
  absl::Status again = TestRsaKey(1).SaveToFile(path);
  EXPECT_TRUE(absl::IsAlreadyExists(again)) << again;
  EXPECT_EQ(RsaPrivateKey::LoadFromFile(path)->PublicKeyDer(), TestRsaKey(0).PublicKeyDer());
  EXPECT_EQ(FileCount(), 1u);
}

TEST_F(RsaKeyFileTest, LoadOrCreateCreatesOnceThenLoads) {
  std::string path = Path("rsa.pem");
  absl::StatusOr<RsaPrivateKey> created = RsaPrivateKey::LoadOrCreateFile(path);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(Mode(path), 0600u);
  absl::StatusOr<RsaPrivateKey> loaded = RsaPrivateKey::LoadOrCreateFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->PublicKeyDer(), created->PublicKeyDer());
}

TEST_F(RsaKeyFileTest, RacingCreatorsAllGetTheOneKeyWritten) {
  std::string path = Path("rsa.pem");
  std::vector<std::string> public_keys(3);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < public_keys.size(); ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<RsaPrivateKey> key = RsaPrivateKey::LoadOrCreateFile(path);
      if (key.ok()) public_keys[i] = key->PublicKeyDer();
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::string on_disk = RsaPrivateKey::LoadFromFile(path)->PublicKeyDer();
  for (const std::string& public_key : public_keys) EXPECT_EQ(public_key, on_disk);
  EXPECT_EQ(FileCount(), 1u);
}

TEST_F(RsaKeyFileTest, MissingFileIsNotFound) {
  EXPECT_TRUE(absl::IsNotFound(RsaPrivateKey::LoadFromFile(Path("absent")).status()));
}

TEST_F(RsaKeyFileTest, TooOpenPermissionsAreRefused) {
  for (unsigned mode : {0644u, 0620u, 0602u, 0660u}) {
    std::string path = Path("rsa-" + std::to_string(mode));
    WriteFile(path, TestRsaKey(0).ToPkcs8Pem(), mode);
    absl::Status status = RsaPrivateKey::LoadOrCreateFile(path).status();
    EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
    EXPECT_NE(status.message().find("chmod 600"), absl::string_view::npos) << status;
  }
  WriteFile(Path("group-readable"), TestRsaKey(0).ToPkcs8Pem(), 0640);
  EXPECT_TRUE(RsaPrivateKey::LoadFromFile(Path("group-readable")).ok());
}

TEST_F(RsaKeyFileTest, WrongContentIsRefused) {
  WriteFile(Path("garbage"), "not a key", 0600);
  absl::Status garbage = RsaPrivateKey::LoadOrCreateFile(Path("garbage")).status();
  EXPECT_TRUE(absl::IsInvalidArgument(garbage)) << garbage;
  WriteFile(Path("empty"), "", 0600);
  EXPECT_TRUE(absl::IsFailedPrecondition(RsaPrivateKey::LoadFromFile(Path("empty")).status()));
  WriteFile(Path("huge"), std::string(100000, 'A'), 0600);
  EXPECT_TRUE(absl::IsFailedPrecondition(RsaPrivateKey::LoadFromFile(Path("huge")).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(RsaPrivateKey::LoadFromFile(dir_).status()));
}

}  // namespace
}  // namespace microcred::jose
