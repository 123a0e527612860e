#include "tools/mcctl/credential_keys.h"

#include <gtest/gtest.h>

#include "libs/crypto/crypto.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/rsa_key.h"

namespace microcred::mcctl {
namespace {

TEST(CredentialKeysTest, TypedKeysBecomeRegistryEntriesUnderTheirFingerprints) {
  auto ec = jose::EcPrivateKey::Generate();
  auto rsa = jose::RsaPrivateKey::Generate();
  ASSERT_TRUE(ec.ok() && rsa.ok());
  const std::string es256 = "es256:" + crypto::Base64UrlEncode(ec->PublicKeyDer());
  const std::string rs256 = "rs256:" + crypto::Base64UrlEncode(rsa->PublicKeyDer());
  auto keys = ParseCredentialKeys(es256 + "," + rs256, "credential-key");
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].key_id(), jose::EcKeyFingerprint(ec->PublicKeyDer()));
  EXPECT_EQ((*keys)[0].ec_p256_public_key_der(), ec->PublicKeyDer());
  EXPECT_EQ((*keys)[1].key_id(), jose::RsaKeyFingerprint(rsa->PublicKeyDer()));
  EXPECT_EQ((*keys)[1].rsa_public_key_der(), rsa->PublicKeyDer());
  EXPECT_EQ(CredentialKeyText((*keys)[0]), es256);
  EXPECT_EQ(CredentialKeyText((*keys)[1]), rs256);
  auto none = ParseCredentialKeys("", "credential-key");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(CredentialKeysTest, MistypedKeysAreRefusedNamingTheFlag) {
  auto ec = jose::EcPrivateKey::Generate();
  auto rsa = jose::RsaPrivateKey::Generate();
  ASSERT_TRUE(ec.ok() && rsa.ok());
  const std::string ec_text = crypto::Base64UrlEncode(ec->PublicKeyDer());
  const std::string rsa_text = crypto::Base64UrlEncode(rsa->PublicKeyDer());
  for (const std::string& bad : std::vector<std::string>{
           ec_text, "eddsa:" + ec_text, "es256:" + rsa_text, "rs256:" + ec_text, "es256:not*b64",
           "es256:" + ec_text + ",es256:" + ec_text}) {
    auto keys = ParseCredentialKeys(bad, "credential-key");
    EXPECT_EQ(keys.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(std::string(keys.status().message()).rfind("--credential-key: ", 0), 0u)
        << keys.status();
  }
}

}  // namespace
}  // namespace microcred::mcctl
