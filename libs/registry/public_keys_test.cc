#include "libs/registry/public_keys.h"

#include <gtest/gtest.h>

#include "libs/jose/ec_key.h"
#include "libs/jose/jws.h"
#include "libs/jose/rsa_key.h"
#include "libs/registry/secretariat.h"

namespace microcred::registry {
namespace {

TEST(PublicKeysTest, EachKindIsValidAlone) {
  auto ec = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(ec.ok());
  auto rsa = jose::RsaPrivateKey::Generate();
  ASSERT_TRUE(rsa.ok());
  const v1::PublicKey ed = RegisteredKey(crypto::SigningKey::Generate().public_key());
  const v1::PublicKey p256 = RegisteredP256Key(ec->PublicKeyDer());
  const v1::PublicKey rs = RegisteredRsaKey(rsa->PublicKeyDer());
  EXPECT_TRUE(CheckPublicKey(ed, "k").ok());
  EXPECT_TRUE(CheckPublicKey(p256, "k").ok());
  EXPECT_TRUE(CheckPublicKey(rs, "k").ok());
  EXPECT_EQ(p256.key_id(), jose::EcKeyFingerprint(ec->PublicKeyDer()));
  EXPECT_EQ(p256.key_id().rfind("ec:", 0), 0u);
  EXPECT_EQ(KeyKindLabel(ed), "Ed25519");
  EXPECT_EQ(KeyKindLabel(p256), "P-256");
  EXPECT_EQ(KeyKindLabel(rs), "RSA");
}

TEST(PublicKeysTest, MalformedKeysAreRefusedNamingTheRule) {
  auto ec = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(ec.ok());
  auto rsa = jose::RsaPrivateKey::Generate();
  ASSERT_TRUE(rsa.ok());
  v1::PublicKey two = RegisteredP256Key(ec->PublicKeyDer());
  two.set_ed25519_public_key(crypto::SigningKey::Generate().public_key());
  EXPECT_NE(CheckPublicKey(two, "MemberAdmitted.keys").message().find("exactly one"),
            std::string::npos);
  v1::PublicKey none;
  none.set_key_id("ec:0");
  EXPECT_FALSE(CheckPublicKey(none, "k").ok());
  // An RSA key where a P-256 key belongs.
  v1::PublicKey not_p256 = RegisteredP256Key(rsa->PublicKeyDer());
  absl::Status s = CheckPublicKey(not_p256, "KeyRotated.new_key");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.message()).rfind("KeyRotated.new_key", 0), 0u) << s;
  EXPECT_NE(s.message().find("not a P-256"), std::string::npos) << s;
  // A P-256 key under another id than its fingerprint.
  v1::PublicKey renamed = RegisteredP256Key(ec->PublicKeyDer());
  renamed.set_key_id("ec:0000000000000000");
  EXPECT_NE(CheckPublicKey(renamed, "k").message().find("fingerprint"), std::string::npos);
  v1::PublicKey short_ed;
  short_ed.set_key_id("ed25519:1");
  short_ed.set_ed25519_public_key("short");
  EXPECT_FALSE(CheckPublicKey(short_ed, "k").ok());
}

TEST(PublicKeysTest, EachKeyBecomesTheJwkOfItsOneAlgorithm) {
  auto ec = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(ec.ok());
  auto rsa = jose::RsaPrivateKey::Generate();
  ASSERT_TRUE(rsa.ok());
  crypto::SigningKey ed = crypto::SigningKey::Generate();

  jose::JwkPublicKey p256 = ToJwkPublicKey(RegisteredP256Key(ec->PublicKeyDer()), "kid-ec");
  EXPECT_EQ(p256.kid, "kid-ec");
  EXPECT_EQ(p256.alg, jose::JwsAlgorithm::kES256);
  EXPECT_EQ(p256.ec_spki_der, ec->PublicKeyDer());
  EXPECT_EQ(jose::ToJwk(p256)["crv"], "P-256");
  jose::JwkPublicKey rs = ToJwkPublicKey(RegisteredRsaKey(rsa->PublicKeyDer()), "kid-rsa");
  EXPECT_EQ(rs.alg, jose::JwsAlgorithm::kRS256);
  EXPECT_EQ(rs.rsa_spki_der, rsa->PublicKeyDer());
  jose::JwkPublicKey eddsa = ToJwkPublicKey(RegisteredKey(ed.public_key()), "kid-ed");
  EXPECT_EQ(eddsa.alg, jose::JwsAlgorithm::kEdDSA);
  EXPECT_EQ(eddsa.ed25519_public_key, ed.public_key());

  // An ES256 token verifies with the P-256 key's JWK, and with no other.
  jose::EcJwsSigner signer(*ec, "kid-ec");
  const std::string token = jose::SignCompact(signer, jose::VcJwtHeader(), "{\"a\":1}");
  auto parsed = jose::ParseCompact(token);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(jose::VerifyJws(*parsed, p256));
  EXPECT_FALSE(jose::VerifyJws(*parsed, rs));
  EXPECT_FALSE(jose::VerifyJws(*parsed, eddsa));
}

}  // namespace
}  // namespace microcred::registry
