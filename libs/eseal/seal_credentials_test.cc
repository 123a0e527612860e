#include "libs/eseal/seal_credentials.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "libs/eseal/self_signed.h"

namespace microcred::eseal {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1780000000);  // 2026-05-28

SelfSignedSealSpec Spec() {
  return {.organization = "Universiteit Antwerpen",
          .organization_identifier = "NTRBE-0123456789",
          .country = "BE",
          .not_before = kNow - absl::Hours(24),
          .not_after = kNow + absl::Hours(24 * 365)};
}

SelfSignedSeal MakeSeal(const SelfSignedSealSpec& spec = Spec()) {
  auto seal = CreateSelfSignedSeal(spec);
  EXPECT_TRUE(seal.ok()) << seal.status();
  return seal.ok() ? *std::move(seal) : SelfSignedSeal();
}

void ExpectRefused(const absl::StatusOr<SealCredentials>& loaded, absl::string_view prefix) {
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument) << loaded.status();
  EXPECT_TRUE(absl::StartsWith(loaded.status().message(), prefix)) << loaded.status();
}

TEST(SealCredentialsTest, ASelfMadeSealLoadsWithItsLegalPerson) {
  const SelfSignedSeal seal = MakeSeal();
  auto loaded = SealCredentialsFromPem(seal.private_key_pem, seal.chain_pem, kNow);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->organization_identifier, "NTRBE-0123456789");
  EXPECT_EQ(loaded->country, "BE");
  EXPECT_EQ(loaded->signer->algorithm(), jose::JwsAlgorithm::kES256);
  EXPECT_EQ(loaded->certificate_chain_pem, seal.chain_pem);
  EXPECT_TRUE(absl::StrContains(loaded->subject, "CN=Universiteit Antwerpen development seal"))
      << loaded->subject;
  EXPECT_EQ(loaded->not_after, kNow + absl::Hours(24 * 365));
}

TEST(SealCredentialsTest, RefusesAKeyTheCertificateDoesNotCertify) {
  const SelfSignedSeal seal = MakeSeal();
  const SelfSignedSeal other = MakeSeal();
  ExpectRefused(SealCredentialsFromPem(other.private_key_pem, seal.chain_pem, kNow),
                "--seal-certificate-file: the first certificate does not certify the "
                "--seal-key-file key");
}

TEST(SealCredentialsTest, RefusesAChainOutOfOrder) {
  const SelfSignedSeal seal = MakeSeal();
  const std::string leaf =
      seal.chain_pem.substr(0, seal.chain_pem.size() - seal.ca_certificate_pem.size());
  const SelfSignedSeal other = MakeSeal();
  // The seal's certificate, then another CA's.
  ExpectRefused(SealCredentialsFromPem(seal.private_key_pem, leaf + other.ca_certificate_pem, kNow),
                "--seal-certificate-file: certificate 2 did not issue certificate 1");
}

TEST(SealCredentialsTest, RefusesAnExpiredOrNotYetValidCertificate) {
  SelfSignedSealSpec spec = Spec();
  spec.not_after = kNow - absl::Seconds(1);
  spec.not_before = kNow - absl::Hours(48);
  SelfSignedSeal seal = MakeSeal(spec);
  ExpectRefused(SealCredentialsFromPem(seal.private_key_pem, seal.chain_pem, kNow),
                "--seal-certificate-file: the seal certificate expired at ");
  spec = Spec();
  spec.not_before = kNow + absl::Hours(1);
  seal = MakeSeal(spec);
  ExpectRefused(SealCredentialsFromPem(seal.private_key_pem, seal.chain_pem, kNow),
                "--seal-certificate-file: the seal certificate is not valid before ");
}

TEST(SealCredentialsTest, RefusesWhatIsNoKeyOrNoCertificate) {
  const SelfSignedSeal seal = MakeSeal();
  ExpectRefused(SealCredentialsFromPem("not a key", seal.chain_pem, kNow),
                "--seal-key-file: not an unencrypted PEM private key for a seal");
  ExpectRefused(SealCredentialsFromPem(seal.private_key_pem, "", kNow),
                "--seal-certificate-file: no PEM certificate");
  ExpectRefused(SealCredentialsFromPem(seal.private_key_pem,
                                       "-----BEGIN CERTIFICATE-----\nAAAA\n"
                                       "-----END CERTIFICATE-----\n",
                                       kNow),
                "--seal-certificate-file: certificate 1 is not a valid PEM certificate");
}

// X.520 bounds the names to 64 characters: a long legal name is cut, not refused.
TEST(SelfSignedSealTest, ALongLegalNameIsCutToFit) {
  SelfSignedSealSpec spec = Spec();
  spec.organization =
      "Université catholique de Louvain, Faculté des sciences économiques et sociales";
  const SelfSignedSeal seal = MakeSeal(spec);
  auto loaded = SealCredentialsFromPem(seal.private_key_pem, seal.chain_pem, kNow);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(absl::StrContains(loaded->subject, "Faculté des s development seal"))
      << loaded->subject;
}

TEST(SelfSignedSealTest, RefusesAnIncompleteSpec) {
  SelfSignedSealSpec spec = Spec();
  spec.organization_identifier.clear();
  EXPECT_EQ(CreateSelfSignedSeal(spec).status().code(), absl::StatusCode::kInvalidArgument);
  spec = Spec();
  spec.country = "BEL";
  EXPECT_EQ(CreateSelfSignedSeal(spec).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DevelopmentOrganizationIdentifier("be", "uantwerpen"), "NTRBE-dev-uantwerpen");
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SelfSignedSealTest, DevelopmentSealFilesAreMadeOnceAndLoad) {
  char dir_template[] = "/tmp/eseal_test_XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string dir = dir_template;
  SelfSignedSealSpec spec = Spec();
  spec.not_before = absl::Now() - absl::Hours(1);
  spec.not_after = absl::Now() + absl::Hours(24);
  auto files = WriteDevelopmentSeal(dir, spec);
  ASSERT_TRUE(files.ok()) << files.status();
  const std::string chain = ReadFile(files->certificate_file);
  auto loaded = LoadSealCredentials(files->key_file, files->certificate_file, absl::Now());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->organization_identifier, "NTRBE-0123456789");
  EXPECT_TRUE(absl::EndsWith(chain, ReadFile(files->ca_file)));
  // A restart keeps them.
  auto again = WriteDevelopmentSeal(dir, spec);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(ReadFile(again->certificate_file), chain);
  auto missing = LoadSealCredentials(dir + "/none.key", files->certificate_file, absl::Now());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound) << missing.status();
  EXPECT_TRUE(absl::StartsWith(missing.status().message(), "--seal-key-file: "))
      << missing.status();
  for (const std::string& path : {files->key_file, files->certificate_file, files->ca_file}) {
    std::remove(path.c_str());
  }
  rmdir(dir.c_str());
}

}  // namespace
}  // namespace microcred::eseal
