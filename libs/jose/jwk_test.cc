#include "libs/jose/jwk.h"

#include <gtest/gtest.h>

#include <string>

#include "libs/jose/ec_key.h"
#include "libs/jose/test_keys.h"

namespace microcred::jose {
namespace {

using Json = nlohmann::json;
using testing::TestRsaKey;

JwkPublicKey Rfc8037Key(std::string kid = "rfc8037") {
  return {.kid = std::move(kid),
          .alg = JwsAlgorithm::kEdDSA,
          .ed25519_public_key = testing::Rfc8037Key().public_key()};
}

JwkPublicKey RsaKey(int which, std::string kid = "rsa") {
  return {.kid = std::move(kid),
          .alg = JwsAlgorithm::kRS256,
          .rsa_spki_der = TestRsaKey(which).PublicKeyDer()};
}

JwkPublicKey EcKey(std::string kid = "ec") {
  return {.kid = std::move(kid),
          .alg = JwsAlgorithm::kES256,
          .ec_spki_der = EcPrivateKey::FromPkcs8Pem(testing::kTestP256Pem)->PublicKeyDer()};
}

// RFC 7515 Appendix A.3's public key.
Json Rfc7515EcJwk() {
  return {{"kty", "EC"},
          {"crv", "P-256"},
          {"x", testing::kRfc7515EcX},
          {"y", testing::kRfc7515EcY},
          {"kid", "rfc7515"}};
}

Json Rfc7515RsaJwk() {
  return {{"kty", "RSA"}, {"n", testing::kRfc7515RsaModulus}, {"e", "AQAB"}, {"kid", "rfc7515"}};
}

void ExpectInvalid(const Json& jwk, std::string_view message) {
  absl::StatusOr<JwkPublicKey> key = FromJwk(jwk);
  ASSERT_FALSE(key.ok()) << jwk.dump();
  EXPECT_TRUE(absl::IsInvalidArgument(key.status())) << key.status();
  EXPECT_EQ(std::string(key.status().message()), message) << jwk.dump();
}

TEST(JwkTest, Ed25519JwkIsTheRfc8037Form) {
  EXPECT_EQ(ToJwk(Rfc8037Key()), (Json{{"kty", "OKP"},
                                       {"crv", "Ed25519"},
                                       {"x", testing::kRfc8037PublicX},
                                       {"kid", "rfc8037"},
                                       {"alg", "EdDSA"},
                                       {"use", "sig"}}));
}

TEST(JwkTest, Ed25519RoundTrips) {
  absl::StatusOr<JwkPublicKey> key = FromJwk(ToJwk(Rfc8037Key()));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->kid, "rfc8037");
  EXPECT_EQ(key->alg, JwsAlgorithm::kEdDSA);
  EXPECT_EQ(key->ed25519_public_key, Rfc8037Key().ed25519_public_key);
  EXPECT_TRUE(key->rsa_spki_der.empty());
}

TEST(JwkTest, RsaJwkHasModulusAndExponent) {
  Json jwk = ToJwk(RsaKey(0));
  EXPECT_EQ(jwk["kty"], "RSA");
  EXPECT_EQ(jwk["e"], "AQAB");
  EXPECT_EQ(jwk["n"], crypto::Base64UrlEncode(TestRsaKey(0).Modulus()));
  EXPECT_EQ(jwk["alg"], "RS256");
  EXPECT_EQ(jwk["use"], "sig");
  EXPECT_EQ(jwk["kid"], "rsa");
  EXPECT_EQ(jwk.size(), 6u);
}

TEST(JwkTest, RsaRoundTrips) {
  absl::StatusOr<JwkPublicKey> key = FromJwk(ToJwk(RsaKey(0)));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->alg, JwsAlgorithm::kRS256);
  EXPECT_EQ(key->rsa_spki_der, TestRsaKey(0).PublicKeyDer());
  EXPECT_TRUE(key->ed25519_public_key.empty());
}

TEST(JwkTest, EcJwkIsTheRfc7518Form) {
  EcPrivateKey key = *EcPrivateKey::FromPkcs8Pem(testing::kTestP256Pem);
  EXPECT_EQ(ToJwk(EcKey()), (Json{{"kty", "EC"},
                                  {"crv", "P-256"},
                                  {"x", crypto::Base64UrlEncode(key.X())},
                                  {"y", crypto::Base64UrlEncode(key.Y())},
                                  {"kid", "ec"},
                                  {"alg", "ES256"},
                                  {"use", "sig"}}));
}

TEST(JwkTest, EcRoundTrips) {
  absl::StatusOr<JwkPublicKey> key = FromJwk(ToJwk(EcKey()));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->kid, "ec");
  EXPECT_EQ(key->alg, JwsAlgorithm::kES256);
  EXPECT_EQ(key->ec_spki_der, EcKey().ec_spki_der);
  EXPECT_TRUE(key->rsa_spki_der.empty());
  EXPECT_TRUE(key->ed25519_public_key.empty());
  // A foreign key (the RFC's) comes back with the same coordinates.
  absl::StatusOr<JwkPublicKey> rfc = FromJwk(Rfc7515EcJwk());
  ASSERT_TRUE(rfc.ok()) << rfc.status();
  Json again = ToJwk(*rfc);
  EXPECT_EQ(again["x"], testing::kRfc7515EcX);
  EXPECT_EQ(again["y"], testing::kRfc7515EcY);
}

TEST(JwkTest, ForeignRsaJwkRoundTripsToTheSameNumbers) {
  absl::StatusOr<JwkPublicKey> key = FromJwk(Rfc7515RsaJwk());
  ASSERT_TRUE(key.ok()) << key.status();
  Json again = ToJwk(*key);
  EXPECT_EQ(again["n"], testing::kRfc7515RsaModulus);
  EXPECT_EQ(again["e"], "AQAB");
}

TEST(JwkTest, AbsentAlgIsImpliedAndUnknownMembersAreIgnored) {
  Json jwk = ToJwk(Rfc8037Key());
  jwk.erase("alg");
  jwk.erase("use");
  jwk["key_ops"] = {"verify"};
  jwk["x5t#S256"] = "ignored";
  absl::StatusOr<JwkPublicKey> key = FromJwk(jwk);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->alg, JwsAlgorithm::kEdDSA);
  Json rsa = Rfc7515RsaJwk();
  EXPECT_EQ(FromJwk(rsa)->alg, JwsAlgorithm::kRS256);
}

TEST(JwkTest, LeadingZeroInModulusIsTolerated) {
  Json padded = Rfc7515RsaJwk();
  std::string modulus = testing::Unbase64Url(testing::kRfc7515RsaModulus);
  padded["n"] = crypto::Base64UrlEncode(std::string(1, '\0') + modulus);
  EXPECT_EQ(FromJwk(padded)->rsa_spki_der, FromJwk(Rfc7515RsaJwk())->rsa_spki_der);
}

Json With(Json jwk, const std::string& member, Json value) {
  jwk[member] = std::move(value);
  return jwk;
}

Json Without(Json jwk, const std::string& member) {
  jwk.erase(member);
  return jwk;
}

TEST(JwkTest, KeyTypeAndCurveAreChecked) {
  Json ed = ToJwk(Rfc8037Key());
  ExpectInvalid(Json::array(), "jwk: not a JSON object");
  ExpectInvalid(Json(nullptr), "jwk: not a JSON object");
  ExpectInvalid(Without(ed, "kty"), "jwk.kty: missing");
  ExpectInvalid(With(ed, "kty", 1), "jwk.kty: not a string");
  ExpectInvalid(With(ed, "kty", "EC"), "jwk.crv: unsupported curve Ed25519");
  ExpectInvalid(With(ed, "kty", "ec"), "jwk.kty: unsupported key type ec");
  ExpectInvalid(With(ed, "kty", "okp"), "jwk.kty: unsupported key type okp");
  ExpectInvalid(Without(ed, "crv"), "jwk.crv: missing");
  ExpectInvalid(With(ed, "crv", "Ed448"), "jwk.crv: unsupported curve Ed448");
  ExpectInvalid(With(ed, "crv", "X25519"), "jwk.crv: unsupported curve X25519");
}

TEST(JwkTest, Ed25519PublicKeyIsChecked) {
  Json ed = ToJwk(Rfc8037Key());
  ExpectInvalid(Without(ed, "x"), "jwk.x: missing");
  ExpectInvalid(With(ed, "x", "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
                "jwk.x: not valid base64url");
  ExpectInvalid(With(ed, "x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo="),
                "jwk.x: not valid base64url");
  ExpectInvalid(With(ed, "x", crypto::Base64UrlEncode(std::string(31, 'x'))),
                "jwk.x: not 32 bytes");
  ExpectInvalid(With(ed, "x", crypto::Base64UrlEncode(std::string(33, 'x'))),
                "jwk.x: not 32 bytes");
}

TEST(JwkTest, EcCurveAndPointAreChecked) {
  Json ec = Rfc7515EcJwk();
  for (const char* curve : {"P-384", "P-521", "secp256k1", "p-256", "Ed25519"}) {
    ExpectInvalid(With(ec, "crv", curve), std::string("jwk.crv: unsupported curve ") + curve);
  }
  ExpectInvalid(Without(ec, "crv"), "jwk.crv: missing");
  ExpectInvalid(Without(ec, "y"), "jwk.y: missing");
  ExpectInvalid(Without(ec, "x"), "jwk.x: missing");
  // Full length only (RFC 7518 §6.2.1.2): a coordinate with its leading zero byte dropped is
  // refused rather than padded.
  ExpectInvalid(With(ec, "x", crypto::Base64UrlEncode(std::string(31, 'x'))),
                "jwk.x: not 32 bytes");
  ExpectInvalid(With(ec, "y", crypto::Base64UrlEncode(std::string(33, 'x'))),
                "jwk.y: not 32 bytes");
  std::string y = testing::Unbase64Url(testing::kRfc7515EcY);
  y.back() ^= 1;
  ExpectInvalid(With(ec, "y", crypto::Base64UrlEncode(y)), "jwk.x: (x, y) is not a point on P-256");
  ExpectInvalid(With(ec, "alg", "ES384"),
                "jwk.alg: ES384 is not ES256, the algorithm of a EC key here");
  ExpectInvalid(With(ec, "d", "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"),
                "jwk.d: a private key member; publish public keys only");
}

TEST(JwkTest, RsaNumbersAreChecked) {
  Json rsa = Rfc7515RsaJwk();
  ExpectInvalid(Without(rsa, "n"), "jwk.n: missing");
  ExpectInvalid(Without(rsa, "e"), "jwk.e: missing");
  ExpectInvalid(With(rsa, "e", 65537), "jwk.e: not a string");
  ExpectInvalid(With(rsa, "n", "a+b"), "jwk.n: not valid base64url");
  ExpectInvalid(With(rsa, "n", crypto::Base64UrlEncode(std::string(128, '\xff'))),
                "jwk: RSA modulus of 1024 bits; accepted are 2048 to 8192");
  ExpectInvalid(With(rsa, "n", crypto::Base64UrlEncode(std::string(1025, '\xff'))),
                "jwk: RSA modulus of 8200 bits; accepted are 2048 to 8192");
  ExpectInvalid(With(rsa, "e", "AQAA"), "jwk: RSA exponent must be odd and between 3 and 2^32");
  ExpectInvalid(With(rsa, "e", "AQ"), "jwk: RSA exponent must be odd and between 3 and 2^32");
  ExpectInvalid(With(rsa, "e", ""), "jwk: RSA exponent must be odd and between 3 and 2^32");
  ExpectInvalid(With(rsa, "e", crypto::Base64UrlEncode("\x01\x00\x00\x00\x01")),
                "jwk: RSA exponent must be odd and between 3 and 2^32");
}

TEST(JwkTest, AlgMustBeTheKeyTypesAlgorithm) {
  ExpectInvalid(With(ToJwk(Rfc8037Key()), "alg", "RS256"),
                "jwk.alg: RS256 is not EdDSA, the algorithm of a OKP key here");
  ExpectInvalid(With(Rfc7515RsaJwk(), "alg", "PS256"),
                "jwk.alg: PS256 is not RS256, the algorithm of a RSA key here");
  ExpectInvalid(With(Rfc7515RsaJwk(), "alg", "EdDSA"),
                "jwk.alg: EdDSA is not RS256, the algorithm of a RSA key here");
  ExpectInvalid(With(Rfc7515RsaJwk(), "alg", "none"),
                "jwk.alg: none is not RS256, the algorithm of a RSA key here");
  ExpectInvalid(With(Rfc7515RsaJwk(), "alg", true), "jwk.alg: not a string");
}

TEST(JwkTest, KidAndUseAreChecked) {
  Json ed = ToJwk(Rfc8037Key());
  ExpectInvalid(Without(ed, "kid"), "jwk.kid: missing");
  ExpectInvalid(With(ed, "kid", ""), "jwk.kid: empty");
  ExpectInvalid(With(ed, "kid", 3), "jwk.kid: not a string");
  ExpectInvalid(With(ed, "use", "enc"), "jwk.use: not \"sig\"");
  ExpectInvalid(With(ed, "use", 1), "jwk.use: not \"sig\"");
}

TEST(JwkTest, PrivateKeysAreRefused) {
  ExpectInvalid(With(ToJwk(Rfc8037Key()), "d", testing::kRfc8037Seed),
                "jwk.d: a private key member; publish public keys only");
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth"}) {
    ExpectInvalid(
        With(Rfc7515RsaJwk(), member, "AQAB"),
        std::string("jwk.") + member + ": a private key member; publish public keys only");
  }
  ExpectInvalid({{"kty", "oct"}, {"k", "c2VjcmV0"}, {"kid", "hmac"}},
                "jwk.k: a private key member; publish public keys only");
}

TEST(JwkTest, MalformedKeysRenderAsNull) {
  EXPECT_TRUE(
      ToJwk({.kid = "k", .alg = JwsAlgorithm::kEdDSA, .ed25519_public_key = "short"}).is_null());
  EXPECT_TRUE(ToJwk({.kid = "k", .alg = JwsAlgorithm::kRS256, .rsa_spki_der = "junk"}).is_null());
  EXPECT_TRUE(ToJwk({.kid = "k", .alg = JwsAlgorithm::kRS256}).is_null());
  EXPECT_TRUE(ToJwk({.kid = "k", .alg = JwsAlgorithm::kES256}).is_null());
  // An RSA SPKI where a P-256 one belongs.
  EXPECT_TRUE(
      ToJwk({.kid = "k", .alg = JwsAlgorithm::kES256, .ec_spki_der = RsaKey(0).rsa_spki_der})
          .is_null());
}

TEST(JwkTest, KeySetRoundTrips) {
  std::vector<JwkPublicKey> keys = {Rfc8037Key("ed"), RsaKey(0, "rsa-0"), RsaKey(1, "rsa-1"),
                                    EcKey("ec")};
  Json jwks = ToJwks(keys);
  ASSERT_EQ(jwks["keys"].size(), 4u);
  EXPECT_EQ(jwks["keys"][1], ToJwk(keys[1]));
  absl::StatusOr<std::vector<JwkPublicKey>> again = FromJwks(jwks);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->size(), 4u);
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ((*again)[i].kid, keys[i].kid);
    EXPECT_EQ((*again)[i].alg, keys[i].alg);
    EXPECT_EQ((*again)[i].ed25519_public_key, keys[i].ed25519_public_key);
    EXPECT_EQ((*again)[i].rsa_spki_der, keys[i].rsa_spki_der);
    EXPECT_EQ((*again)[i].ec_spki_der, keys[i].ec_spki_der);
  }
}

TEST(JwkTest, KeySetSkipsMalformedKeysWhenWriting) {
  Json jwks = ToJwks({Rfc8037Key(), {.kid = "broken", .alg = JwsAlgorithm::kRS256}});
  EXPECT_EQ(jwks, (Json{{"keys", {ToJwk(Rfc8037Key())}}}));
  EXPECT_EQ(ToJwks({}), (Json{{"keys", Json::array()}}));
}

TEST(JwkTest, KeySetErrorsNameTheKey) {
  auto error = [](const Json& jwks) { return std::string(FromJwks(jwks).status().message()); };
  EXPECT_EQ(error(Json::array()), "jwks: not a JSON object with a \"keys\" array");
  EXPECT_EQ(error({{"keys", Json::array({Json{{"kid", "x"}}})}}), "jwks.keys[0]: jwk.kty: missing");
  EXPECT_EQ(error({{"keys", "none"}}), "jwks: not a JSON object with a \"keys\" array");
  Json bad_curve = With(ToJwk(Rfc8037Key("b")), "crv", "P-256");
  EXPECT_EQ(error({{"keys", {ToJwk(Rfc8037Key("a")), bad_curve}}}),
            "jwks.keys[1]: jwk.crv: unsupported curve P-256");
  EXPECT_EQ(error({{"keys", {ToJwk(Rfc8037Key("same")), ToJwk(RsaKey(0, "same"))}}}),
            "jwks.keys[1]: kid \"same\" repeated");
}

}  // namespace
}  // namespace microcred::jose
