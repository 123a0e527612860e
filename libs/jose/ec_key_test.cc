#include "libs/jose/ec_key.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "libs/crypto/secret_file.h"
#include "libs/jose/test_keys.h"

namespace microcred::jose {
namespace {

EcPrivateKey TestP256Key() { return *EcPrivateKey::FromPkcs8Pem(testing::kTestP256Pem); }

TEST(EcKeyTest, GeneratedKeysArePairwiseDistinctP256Keys) {
  absl::StatusOr<EcPrivateKey> one = EcPrivateKey::Generate();
  absl::StatusOr<EcPrivateKey> two = EcPrivateKey::Generate();
  ASSERT_TRUE(one.ok()) << one.status();
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_NE(one->PublicKeyDer(), two->PublicKeyDer());
  EXPECT_EQ(one->X().size(), 32u);
  EXPECT_EQ(one->Y().size(), 32u);
  EXPECT_EQ(one->PublicKeyDer().size(), 91u);  // SPKI of an uncompressed P-256 point
}

TEST(EcKeyTest, Pkcs8PemRoundTrips) {
  EcPrivateKey key = TestP256Key();
  std::string pem = key.ToPkcs8Pem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n")) << pem.substr(0, 40);
  absl::StatusOr<EcPrivateKey> again = EcPrivateKey::FromPkcs8Pem(pem);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->PublicKeyDer(), key.PublicKeyDer());
  EXPECT_TRUE(VerifyEs256(key.PublicKeyDer(), "m", again->SignEs256("m")));
}

TEST(EcKeyTest, CopiesShareTheKey) {
  EcPrivateKey copy = TestP256Key();
  EcPrivateKey assigned = *EcPrivateKey::Generate();
  assigned = copy;
  EXPECT_EQ(assigned.PublicKeyDer(), TestP256Key().PublicKeyDer());
  EcPrivateKey moved = std::move(copy);
  EXPECT_TRUE(VerifyEs256(TestP256Key().PublicKeyDer(), "m", moved.SignEs256("m")));
}

TEST(EcKeyTest, NonKeysAndOtherKeyTypesAreRefused) {
  for (std::string_view pem : {std::string_view(""), std::string_view("garbage"),
                               std::string_view(testing::kTestRsaPem[0])}) {
    absl::StatusOr<EcPrivateKey> key = EcPrivateKey::FromPkcs8Pem(pem);
    EXPECT_TRUE(absl::IsInvalidArgument(key.status())) << key.status();
  }
  EXPECT_EQ(EcPrivateKey::FromPkcs8Pem(testing::kTestRsaPem[0]).status().message(),
            "ec key: not an EC key");
  EXPECT_TRUE(absl::IsInvalidArgument(EcPrivateKey::FromPkcs8Pem(std::string(5000, 'A')).status()));
}

TEST(EcKeyTest, OtherCurvesAreRefused) {
  absl::StatusOr<EcPrivateKey> p384 = EcPrivateKey::FromPkcs8Pem(testing::kTestP384Pem);
  EXPECT_EQ(p384.status().message(), "ec key: EC key on curve secp384r1; only P-256 is accepted");
  absl::StatusOr<EcPrivateKey> k1 = EcPrivateKey::FromPkcs8Pem(testing::kTestSecp256k1Pem);
  EXPECT_EQ(k1.status().message(), "ec key: EC key on curve secp256k1; only P-256 is accepted");
}

// A signature by a secp256k1 key under its own SPKI: the verifier refuses the key, whatever
// the signature.
TEST(EcKeyTest, VerificationRefusesKeysOnOtherCurves) {
  BIO* in = BIO_new_mem_buf(testing::kTestSecp256k1Pem.data(),
                            static_cast<int>(testing::kTestSecp256k1Pem.size()));
  EVP_PKEY* k1 = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  ASSERT_NE(k1, nullptr);
  unsigned char* der = nullptr;
  int size = i2d_PUBKEY(k1, &der);
  ASSERT_GT(size, 0);
  std::string spki(reinterpret_cast<const char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  EVP_PKEY_free(k1);
  EXPECT_FALSE(VerifyEs256(spki, "m", std::string(64, '\x01')));
  EXPECT_EQ(EcPublicPointFromSpki(spki).status().message(),
            "EC key on curve secp256k1; only P-256 is accepted");
}

TEST(EcKeyTest, Es256SignsAndVerifies) {
  EcPrivateKey key = TestP256Key();
  std::string signature = key.SignEs256("message");
  EXPECT_EQ(signature.size(), 64u);
  EXPECT_NE(signature, key.SignEs256("message"));  // ECDSA is randomized
  EXPECT_TRUE(VerifyEs256(key.PublicKeyDer(), "message", signature));
  EXPECT_FALSE(VerifyEs256(key.PublicKeyDer(), "messagE", signature));
  EXPECT_FALSE(VerifyEs256(EcPrivateKey::Generate()->PublicKeyDer(), "message", signature));
  EXPECT_FALSE(VerifyEs256(key.PublicKeyDer(), "message", signature.substr(1)));
  EXPECT_FALSE(VerifyEs256(key.PublicKeyDer(), "message", signature + "x"));
  EXPECT_FALSE(VerifyEs256(key.PublicKeyDer(), "message", ""));
  EXPECT_FALSE(VerifyEs256(key.PublicKeyDer(), "message", std::string(64, '\0')));
  EXPECT_FALSE(VerifyEs256("", "message", signature));
  EXPECT_FALSE(VerifyEs256(key.PublicKeyDer() + "x", "message", signature));
  // R and S swapped: the same bytes, another (invalid) signature.
  EXPECT_FALSE(
      VerifyEs256(key.PublicKeyDer(), "message", signature.substr(32) + signature.substr(0, 32)));
}

TEST(EcKeyTest, PointAndSpkiConvertBothWays) {
  EcPrivateKey key = TestP256Key();
  absl::StatusOr<EcPublicPoint> point = EcPublicPointFromSpki(key.PublicKeyDer());
  ASSERT_TRUE(point.ok()) << point.status();
  EXPECT_EQ(point->x, key.X());
  EXPECT_EQ(point->y, key.Y());
  absl::StatusOr<std::string> spki = EcSpkiFromPoint(point->x, point->y);
  ASSERT_TRUE(spki.ok()) << spki.status();
  EXPECT_EQ(*spki, key.PublicKeyDer());
  EXPECT_FALSE(EcPublicPointFromSpki("junk").ok());
}

TEST(EcKeyTest, PointsOffTheCurveAndShortCoordinatesAreRefused) {
  EcPrivateKey key = TestP256Key();
  std::string y = key.Y();
  y.back() ^= 1;
  EXPECT_TRUE(absl::IsInvalidArgument(EcSpkiFromPoint(key.X(), y).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(EcSpkiFromPoint(key.X().substr(1), key.Y()).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(EcSpkiFromPoint(key.X(), key.Y() + "\x01").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      EcSpkiFromPoint(std::string(32, '\0'), std::string(32, '\0')).status()));
}

TEST(EcKeyTest, FingerprintIsShortAndStable) {
  std::string fingerprint = EcKeyFingerprint(TestP256Key().PublicKeyDer());
  EXPECT_EQ(fingerprint.size(), 3u + 16u);
  EXPECT_TRUE(fingerprint.starts_with("ec:"));
  EXPECT_EQ(fingerprint, EcKeyFingerprint(TestP256Key().PublicKeyDer()));
  EXPECT_NE(fingerprint, EcKeyFingerprint(EcPrivateKey::Generate()->PublicKeyDer()));
}

class EcKeyFileTest : public ::testing::Test {
 protected:
  EcKeyFileTest() {
    std::string pattern = ::testing::TempDir() + "mc_ec_key_XXXXXX";
    dir_ = ::mkdtemp(pattern.data());
  }
  ~EcKeyFileTest() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  static unsigned Mode(const std::string& path) {
    struct stat info;
    EXPECT_EQ(::stat(path.c_str(), &info), 0);
    return info.st_mode & 0777;
  }

  std::string dir_;
};

TEST_F(EcKeyFileTest, SavesA0600FileAndLoadsTheSameKey) {
  std::string path = Path("ec.pem");
  ASSERT_TRUE(TestP256Key().SaveToFile(path).ok());
  EXPECT_EQ(Mode(path), 0600u);
  absl::StatusOr<EcPrivateKey> loaded = EcPrivateKey::LoadFromFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->PublicKeyDer(), TestP256Key().PublicKeyDer());
  absl::Status again = EcPrivateKey::Generate()->SaveToFile(path);
  EXPECT_TRUE(absl::IsAlreadyExists(again)) << again;
}

TEST_F(EcKeyFileTest, LoadOrCreateCreatesOnceThenLoads) {
  std::string path = Path("ec.pem");
  absl::StatusOr<EcPrivateKey> created = EcPrivateKey::LoadOrCreateFile(path);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(Mode(path), 0600u);
  absl::StatusOr<EcPrivateKey> loaded = EcPrivateKey::LoadOrCreateFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->PublicKeyDer(), created->PublicKeyDer());
}

TEST_F(EcKeyFileTest, MissingFileIsNotFoundAndWrongContentIsRefused) {
  EXPECT_TRUE(absl::IsNotFound(EcPrivateKey::LoadFromFile(Path("absent.pem")).status()));
  std::string path = Path("p384.pem");
  ASSERT_TRUE(crypto::WriteSecretFile(path, std::string(testing::kTestP384Pem)).ok());
  absl::Status status = EcPrivateKey::LoadFromFile(path).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_TRUE(std::string(status.message()).starts_with("ec key file " + path)) << status;
}

}  // namespace
}  // namespace microcred::jose
