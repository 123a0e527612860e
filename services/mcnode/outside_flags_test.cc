// mcnode's outside-credential flags: on by default with both verifiers, off refuses; the
// trusted list loads or names the flag; holder proofs signed with a did:key bind a credential.
#include "services/mcnode/outside_flags.h"

#include <fstream>

#include "gtest/gtest.h"
#include "libs/crypto/crypto.h"
#include "libs/jades/testing/test_ca.h"
#include "libs/jose/jws.h"
#include "libs/ports/testing/fake_http_fetcher.h"

namespace microcred {
namespace {

using testing_ports::FakeHttpFetcher;

absl::StatusOr<OutsideCredentialSetup> FromFlags(std::vector<const char*> flags,
                                                 HttpFetcher& fetcher) {
  flags.insert(flags.begin(), "mcnode");
  auto config = host::Config::Parse(static_cast<int>(flags.size()), flags.data(),
                                    OutsideCredentialConfigOptions(),
                                    [](const std::string&) { return std::nullopt; });
  if (!config.ok()) return config.status();
  return OutsideCredentialsFromConfig(*config, fetcher);
}

// base58btc, for making a did:key in the test (the node only decodes them).
std::string Base58(const std::string& bytes) {
  static const char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::vector<unsigned char> digits;  // base 58, least significant first
  for (unsigned char byte : bytes) {
    int carry = byte;
    for (unsigned char& d : digits) {
      carry += d * 256;
      d = static_cast<unsigned char>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<unsigned char>(carry % 58));
      carry /= 58;
    }
  }
  std::string out;
  for (unsigned char byte : bytes) {
    if (byte != 0) break;
    out += '1';
  }
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out += kAlphabet[*it];
  return out;
}

std::string DidKeyOf(const crypto::SigningKey& key) {
  return "did:key:z" + Base58(std::string("\xed\x01", 2) + key.public_key());
}

TEST(OutsideFlagsTest, OnByDefaultWithBothVerifiers) {
  FakeHttpFetcher fetcher;
  auto setup = FromFlags({}, fetcher);
  ASSERT_TRUE(setup.ok()) << setup.status();
  EXPECT_TRUE(setup->accepted);
  EXPECT_EQ(setup->trust_anchors, 0u);
  ASSERT_TRUE(setup->verifiers);
  const auto verifiers = setup->verifiers();
  ASSERT_EQ(verifiers.size(), 2u);
  EXPECT_TRUE(verifiers[0]->Recognises("eyJhbGciOiJFZERTQSJ9.e30.c2ln"));
  EXPECT_TRUE(verifiers[1]->Recognises(R"({"payload":"{}","signatures":[]})"));
  EXPECT_EQ(fetcher.total_calls(), 0) << "nothing fetched before a credential is verified";
}

TEST(OutsideFlagsTest, OffRefusesOutsideCredentials) {
  FakeHttpFetcher fetcher;
  auto setup = FromFlags({"--accept-outside-credentials=false"}, fetcher);
  ASSERT_TRUE(setup.ok()) << setup.status();
  EXPECT_FALSE(setup->accepted);
  EXPECT_FALSE(setup->verifiers);
  EXPECT_TRUE(setup->holder_keys);
  EXPECT_FALSE(FromFlags({"--accept-outside-credentials=maybe"}, fetcher).ok());
}

TEST(OutsideFlagsTest, TheTrustedListLoadsOrNamesTheFlag) {
  FakeHttpFetcher fetcher;
  auto ca = jades::TestCa::Create("Test Seal CA", absl::Now() - absl::Hours(1),
                                  absl::Now() + absl::Hours(24));
  ASSERT_TRUE(ca.ok()) << ca.status();
  const std::string path = ::testing::TempDir() + "/outside_flags_anchors.pem";
  std::ofstream(path) << ca->certificate_pem();
  const std::string flag = "--trusted-list-file=" + path;
  auto setup = FromFlags({flag.c_str()}, fetcher);
  ASSERT_TRUE(setup.ok()) << setup.status();
  EXPECT_EQ(setup->trust_anchors, 1u);

  const std::string bad_path = ::testing::TempDir() + "/outside_flags_bad.pem";
  std::ofstream(bad_path) << "not a certificate";
  for (const std::string& bad : {"--trusted-list-file=" + bad_path,
                                 std::string("--trusted-list-file=/nonexistent/tl.xml")}) {
    auto refused = FromFlags({bad.c_str()}, fetcher);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().message().rfind("--trusted-list-file: ", 0), 0u) << refused.status();
  }
}

TEST(OutsideFlagsTest, AHolderProofSignedWithADidKeyBindsTheCredential) {
  FakeHttpFetcher fetcher;
  auto setup = FromFlags({}, fetcher);
  ASSERT_TRUE(setup.ok());
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  const std::string did = DidKeyOf(key);
  const jose::Ed25519JwsSigner signer(key, did + "#" + did.substr(8));
  const absl::Time now = absl::Now();
  const std::string proof = jose::SignCompact(signer, nullptr,
                                              nlohmann::json({{"iss", did},
                                                              {"aud", "uclouvain"},
                                                              {"nonce", "submit-1"},
                                                              {"iat", absl::ToUnixSeconds(now)}})
                                                  .dump());
  const verification::HolderContext holder{.learner_id = "learner-ana",
                                           .holder_proofs = {proof},
                                           .audience = "uclouvain",
                                           .nonce = "submit-1"};
  const std::string credential = nlohmann::json({{"credentialSubject", {{"id", did}}}}).dump();
  const recognition::v1::HolderBinding binding =
      verification::BindHolder(credential, holder, setup->holder_keys, now);
  EXPECT_TRUE(binding.bound()) << binding.detail();
  EXPECT_EQ(binding.method(), recognition::v1::HOLDER_BINDING_METHOD_DID_PROOF);
  EXPECT_EQ(fetcher.total_calls(), 0) << "did:key is decoded locally";

  // Another key under the same DID's name does not.
  const jose::Ed25519JwsSigner other(crypto::SigningKey::Generate(), did + "#" + did.substr(8));
  const verification::HolderContext forged{
      .learner_id = "learner-ana",
      .holder_proofs = {jose::SignCompact(
          other, nullptr,
          nlohmann::json::parse(*crypto::Base64UrlDecode(proof.substr(
                                    proof.find('.') + 1, proof.rfind('.') - proof.find('.') - 1)))
              .dump())},
      .audience = "uclouvain",
      .nonce = "submit-1"};
  EXPECT_FALSE(verification::BindHolder(credential, forged, setup->holder_keys, now).bound());
}

}  // namespace
}  // namespace microcred
