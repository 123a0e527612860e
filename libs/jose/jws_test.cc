#include "libs/jose/jws.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "libs/jose/test_keys.h"

namespace microcred::jose {
namespace {

using Json = nlohmann::json;
using testing::TestRsaKey;
using testing::Unbase64Url;

std::string Encode(std::string_view bytes) { return crypto::Base64UrlEncode(bytes); }
std::string EncodeJson(const Json& json) { return Encode(json.dump()); }

// A credential as an issuing node secures it.
std::string CredentialPayload() {
  return Json{{"@context", {"https://www.w3.org/ns/credentials/v2"}},
              {"type", {"VerifiableCredential", "MicroCredential"}},
              {"issuer", "https://node.uni-leipzig.example"},
              {"validFrom", "2025-01-15T00:00:00Z"},
              {"credentialSubject",
               {{"id", "did:example:student-42"},
                {"achievement", {{"name", "Statistik für Sozialwissenschaften"}, {"ects", 3}}}}}}
      .dump();
}

absl::Status ParseError(std::string_view token) { return ParseCompact(token).status(); }

void ExpectInvalid(std::string_view token, std::string_view message) {
  absl::Status status = ParseError(token);
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_EQ(std::string(status.message()), message);
}

// One signer per algorithm, and a second key for each to be the wrong one.
class JwsTest : public ::testing::Test {
 protected:
  JwsTest()
      : ed25519_(crypto::SigningKey::Generate(), "did:web:node.example#ed"),
        other_ed25519_(crypto::SigningKey::Generate(), "did:web:node.example#ed"),
        rsa_(TestRsaKey(0), "did:web:node.example#rsa"),
        other_rsa_(TestRsaKey(1), "did:web:node.example#rsa"),
        ec_(*EcPrivateKey::Generate(), "did:web:node.example#ec"),
        other_ec_(*EcPrivateKey::Generate(), "did:web:node.example#ec") {}

  std::vector<const JwsSigner*> Signers() const { return {&ed25519_, &rsa_, &ec_}; }
  const JwsSigner& OtherSignerLike(const JwsSigner& signer) const {
    switch (signer.algorithm()) {
      case JwsAlgorithm::kEdDSA:
        return other_ed25519_;
      case JwsAlgorithm::kRS256:
        return other_rsa_;
      case JwsAlgorithm::kES256:
        return other_ec_;
    }
    return other_ed25519_;
  }

  // A token whose header is `header` verbatim, signed by `signer` regardless of what the header
  // says: how an attacker holding some key would build one.
  static std::string SignWithHeader(const JwsSigner& signer, const Json& header,
                                    std::string_view payload) {
    std::string input = EncodeJson(header) + "." + Encode(payload);
    return input + "." + Encode(signer.Sign(input));
  }

  Ed25519JwsSigner ed25519_;
  Ed25519JwsSigner other_ed25519_;
  RsaJwsSigner rsa_;
  RsaJwsSigner other_rsa_;
  EcJwsSigner ec_;
  EcJwsSigner other_ec_;
};

// --- Known answers ---------------------------------------------------------------------------

TEST(JwsKnownAnswerTest, Rfc8037AppendixA4Ed25519Signing) {
  crypto::SigningKey key = testing::Rfc8037Key();
  EXPECT_EQ(Encode(key.public_key()), testing::kRfc8037PublicX);
  std::string signing_input =
      Encode(R"({"alg":"EdDSA"})") + "." + Encode("Example of Ed25519 signing");
  ASSERT_EQ(signing_input, "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc");
  Ed25519JwsSigner signer(key, "rfc8037");
  EXPECT_EQ(
      Encode(signer.Sign(signing_input)),
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
}

TEST(JwsKnownAnswerTest, Rfc8037AppendixA5ValidationNeedsOnlyAKid) {
  const std::string rfc_token =
      "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
  // Credentials always name their key, so the RFC's kid-less token is refused as it stands...
  EXPECT_EQ(ParseError(rfc_token).message(), "jws.header.kid: missing");
  // ...but its signature verifies under the RFC's JWK once the header is read.
  absl::StatusOr<JwkPublicKey> key = FromJwk(
      {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", testing::kRfc8037PublicX}, {"kid", "rfc"}});
  ASSERT_TRUE(key.ok()) << key.status();
  ParsedJws parsed{.algorithm = JwsAlgorithm::kEdDSA,
                   .kid = "rfc",
                   .payload = "Example of Ed25519 signing",
                   .signing_input = rfc_token.substr(0, rfc_token.rfind('.')),
                   .signature = Unbase64Url(rfc_token.substr(rfc_token.rfind('.') + 1))};
  EXPECT_TRUE(VerifyJws(parsed, *key));
}

TEST(JwsKnownAnswerTest, Rfc8037AppendixA5ParsesWhenTheKidIsOptional) {
  const std::string rfc_token =
      "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
  absl::StatusOr<ParsedJws> parsed = ParseCompact(rfc_token, KidRule::kOptional);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->kid, "");
  absl::StatusOr<JwkPublicKey> key = FromJwk(
      {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", testing::kRfc8037PublicX}, {"kid", "rfc"}});
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(VerifyJws(*parsed, *key));
  // A kid that is present must still be a non-empty string.
  const std::string empty_kid = Encode(R"({"alg":"EdDSA","kid":""})") + ".e30.c2ln";
  EXPECT_EQ(ParseCompact(empty_kid, KidRule::kOptional).status().message(),
            "jws.header.kid: empty");
}

// RFC 7515 Appendix A.3: the published ES256 example, verified with the published public key.
TEST(JwsKnownAnswerTest, Rfc7515AppendixA3Es256Validation) {
  absl::StatusOr<JwkPublicKey> key = FromJwk({{"kty", "EC"},
                                              {"crv", "P-256"},
                                              {"x", testing::kRfc7515EcX},
                                              {"y", testing::kRfc7515EcY},
                                              {"kid", "rfc"}});
  ASSERT_TRUE(key.ok()) << key.status();
  // The RFC's header has no kid, which ParseCompact requires, so the fields are filled here.
  ParsedJws rfc{.algorithm = JwsAlgorithm::kES256,
                .kid = "rfc",
                .signing_input = std::string(testing::kRfc7515Es256SigningInput),
                .signature = Unbase64Url(testing::kRfc7515Es256Signature)};
  ASSERT_EQ(rfc.signature.size(), 64u);
  EXPECT_TRUE(VerifyJws(rfc, *key));
  ParsedJws tampered_input = rfc;
  tampered_input.signing_input.back() ^= 1;
  EXPECT_FALSE(VerifyJws(tampered_input, *key));
  ParsedJws tampered_signature = rfc;
  tampered_signature.signature[40] ^= 1;
  EXPECT_FALSE(VerifyJws(tampered_signature, *key));
}

TEST(JwsKnownAnswerTest, Rfc7515AppendixA2Rs256Validation) {
  absl::StatusOr<JwkPublicKey> key =
      FromJwk({{"kty", "RSA"}, {"n", testing::kRfc7515RsaModulus}, {"e", "AQAB"}, {"kid", "rfc"}});
  ASSERT_TRUE(key.ok()) << key.status();
  ParsedJws parsed{.algorithm = JwsAlgorithm::kRS256,
                   .kid = "rfc",
                   .signing_input = std::string(testing::kRfc7515SigningInput),
                   .signature = Unbase64Url(testing::kRfc7515Signature)};
  EXPECT_TRUE(VerifyJws(parsed, *key));
  parsed.signing_input.back() ^= 1;
  EXPECT_FALSE(VerifyJws(parsed, *key));
}

// The header is deterministic (members sorted by name), so the whole token is: a regression
// guard on the exact bytes other implementations receive.
TEST(JwsKnownAnswerTest, Ed25519TokenIsStable) {
  Ed25519JwsSigner signer(testing::Rfc8037Key(), "rfc8037");
  std::string token = SignCompact(signer, VcJwtHeader(), R"({"type":["VerifiableCredential"]})");
  EXPECT_EQ(token.substr(0, token.find('.')),
            Encode(R"({"alg":"EdDSA","cty":"vc","kid":"rfc8037","typ":"vc+jwt"})"));
  EXPECT_EQ(token, SignCompact(signer, VcJwtHeader(), R"({"type":["VerifiableCredential"]})"));
}

// Open Badges 3.0 allows alg, kid, jwk and typ ("JWT"); the header is exactly three of them.
TEST(JwsKnownAnswerTest, OpenBadgesHeaderIsAlgKidAndTypJwt) {
  Ed25519JwsSigner signer(testing::Rfc8037Key(), "rfc8037");
  std::string token = SignCompact(signer, OpenBadgesJwtHeader(), "{}");
  EXPECT_EQ(token.substr(0, token.find('.')),
            Encode(R"({"alg":"EdDSA","kid":"rfc8037","typ":"JWT"})"));
  absl::StatusOr<ParsedJws> parsed = ParseCompact(token);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->typ, kJwtType);
  EXPECT_EQ(parsed->cty, "");
  EXPECT_EQ(CompactSigner(signer, OpenBadgesJwtHeader()).Sign("{}"), token);
}

// --- Round trips -----------------------------------------------------------------------------

TEST_F(JwsTest, SignedCredentialParsesAndVerifiesForEachAlgorithm) {
  for (const JwsSigner* signer : Signers()) {
    SCOPED_TRACE(JwsAlgorithmName(signer->algorithm()));
    std::string token = SignCompact(*signer, VcJwtHeader(), CredentialPayload());
    absl::StatusOr<ParsedJws> parsed = ParseCompact(token);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->algorithm, signer->algorithm());
    EXPECT_EQ(parsed->kid, signer->kid());
    EXPECT_EQ(parsed->typ, kVcJwtType);
    EXPECT_EQ(parsed->cty, kVcContentType);
    EXPECT_EQ(parsed->payload, CredentialPayload());
    EXPECT_EQ(parsed->header, (Json{{"alg", JwsAlgorithmName(signer->algorithm())},
                                    {"kid", signer->kid()},
                                    {"typ", "vc+jwt"},
                                    {"cty", "vc"}}));
    EXPECT_TRUE(VerifyJws(*parsed, signer->public_jwk()));
    absl::StatusOr<ParsedJws> verified = VerifyCompact(token, {signer->public_jwk()});
    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_EQ(verified->payload, CredentialPayload());
  }
}

TEST_F(JwsTest, CompactSignerMakesTheTokensSignCompactMakes) {
  for (const JwsSigner* signer : Signers()) {
    SCOPED_TRACE(JwsAlgorithmName(signer->algorithm()));
    const CompactSigner compact(*signer, VcJwtHeader());
    EXPECT_EQ(&compact.signer(), signer);
    const std::string credential = CredentialPayload();
    for (std::string_view payload :
         {std::string_view(""), std::string_view("a"), std::string_view(credential)}) {
      std::string token = compact.Sign(payload);
      std::string expected = SignCompact(*signer, VcJwtHeader(), payload);
      if (signer->algorithm() == JwsAlgorithm::kES256) {
        // ECDSA is randomized: the signing inputs agree, and both signatures verify.
        EXPECT_EQ(token.substr(0, token.rfind('.')), expected.substr(0, expected.rfind('.')));
        EXPECT_TRUE(VerifyCompact(token, {signer->public_jwk()}).ok());
      } else {
        // EdDSA and RS256 sign deterministically, so equal inputs give equal tokens.
        EXPECT_EQ(token, expected);
      }
    }
  }
}

TEST_F(JwsTest, Rs256SignatureIsTheModulusLength) {
  absl::StatusOr<ParsedJws> parsed = ParseCompact(SignCompact(rsa_, nullptr, "{}"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->signature.size(), 256u);
}

TEST_F(JwsTest, Es256SignatureIsRAndSOf32BytesEach) {
  for (int i = 0; i < 20; ++i) {  // R or S with leading zero bytes must still be padded
    absl::StatusOr<ParsedJws> parsed = ParseCompact(SignCompact(ec_, nullptr, "{}"));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->signature.size(), 64u);
  }
}

// OpenSSL's own DER form of a valid signature is not JOSE's: refused, as is any other width.
TEST_F(JwsTest, Es256DerEncodedSignatureIsRefused) {
  absl::StatusOr<ParsedJws> parsed = ParseCompact(SignCompact(ec_, nullptr, "{}"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(VerifyJws(*parsed, ec_.public_jwk()));
  ECDSA_SIG* signature = ECDSA_SIG_new();
  const auto* rs = reinterpret_cast<const unsigned char*>(parsed->signature.data());
  ASSERT_EQ(ECDSA_SIG_set0(signature, BN_bin2bn(rs, 32, nullptr), BN_bin2bn(rs + 32, 32, nullptr)),
            1);
  unsigned char* der = nullptr;
  int size = i2d_ECDSA_SIG(signature, &der);
  ASSERT_GT(size, 0);
  ParsedJws der_signed = *parsed;
  der_signed.signature.assign(reinterpret_cast<const char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  ECDSA_SIG_free(signature);
  // The DER really is a valid signature, in OpenSSL's form: only its encoding is wrong.
  JwkPublicKey key = ec_.public_jwk();
  EVP_PKEY* pkey = nullptr;
  const auto* spki = reinterpret_cast<const unsigned char*>(key.ec_spki_der.data());
  pkey = d2i_PUBKEY(nullptr, &spki, static_cast<long>(key.ec_spki_der.size()));
  ASSERT_NE(pkey, nullptr);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, pkey), 1);
  EXPECT_EQ(
      EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(der_signed.signature.data()),
                       der_signed.signature.size(),
                       reinterpret_cast<const unsigned char*>(parsed->signing_input.data()),
                       parsed->signing_input.size()),
      1);
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(pkey);
  EXPECT_FALSE(VerifyJws(der_signed, key));
  ParsedJws padded = *parsed;
  padded.signature.push_back('\0');
  EXPECT_FALSE(VerifyJws(padded, key));
  ParsedJws zero = *parsed;
  zero.signature.assign(64, '\0');
  EXPECT_FALSE(VerifyJws(zero, key));
}

TEST_F(JwsTest, DefaultKidsAreKeyFingerprints) {
  crypto::SigningKey key = crypto::SigningKey::Generate();
  EXPECT_EQ(Ed25519JwsSigner(key).kid(), crypto::KeyFingerprint(key.public_key()));
  EXPECT_EQ(RsaJwsSigner(TestRsaKey(0)).kid(), RsaKeyFingerprint(TestRsaKey(0).PublicKeyDer()));
}

TEST_F(JwsTest, SignerAlgAndKidOverrideTheExtraHeader) {
  Json extra = {{"alg", "none"}, {"kid", "someone-else"}, {"typ", "vc+jwt"}};
  absl::StatusOr<ParsedJws> parsed = ParseCompact(SignCompact(ed25519_, extra, "{}"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->algorithm, JwsAlgorithm::kEdDSA);
  EXPECT_EQ(parsed->kid, ed25519_.kid());
  EXPECT_TRUE(VerifyJws(*parsed, ed25519_.public_jwk()));
}

TEST_F(JwsTest, NullOrNonObjectExtraHeaderMeansAlgAndKidOnly) {
  for (const Json& extra : {Json(nullptr), Json::array({1, 2}), Json("typ")}) {
    absl::StatusOr<ParsedJws> parsed = ParseCompact(SignCompact(ed25519_, extra, "x"));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->header, (Json{{"alg", "EdDSA"}, {"kid", ed25519_.kid()}}));
    EXPECT_TRUE(parsed->typ.empty());
  }
}

TEST_F(JwsTest, InvalidUtf8InTheHeaderIsReplacedNotThrown) {
  std::string token = SignCompact(ed25519_, {{"typ", std::string("vc\xff")}}, "{}");
  absl::StatusOr<ParsedJws> parsed = ParseCompact(token);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->typ, "vc\xEF\xBF\xBD");  // U+FFFD
  EXPECT_TRUE(VerifyJws(*parsed, ed25519_.public_jwk()));
}

TEST_F(JwsTest, BinaryAndEmptyPayloadsRoundTrip) {
  for (const std::string& payload : {std::string(), std::string("\0\xff\x01", 3)}) {
    absl::StatusOr<ParsedJws> parsed = ParseCompact(SignCompact(rsa_, nullptr, payload));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->payload, payload);
    EXPECT_TRUE(VerifyJws(*parsed, rsa_.public_jwk()));
  }
}

// --- Tampering and wrong keys ----------------------------------------------------------------

TEST_F(JwsTest, TamperedHeaderFails) {
  for (const JwsSigner* signer : Signers()) {
    SCOPED_TRACE(JwsAlgorithmName(signer->algorithm()));
    std::string token = SignCompact(*signer, VcJwtHeader(), CredentialPayload());
    Json header = ParseCompact(token)->header;
    header["typ"] = "JWT";
    std::string tampered = EncodeJson(header) + token.substr(token.find('.'));
    absl::StatusOr<ParsedJws> parsed = ParseCompact(tampered);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_FALSE(VerifyJws(*parsed, signer->public_jwk()));
  }
}

TEST_F(JwsTest, TamperedPayloadFails) {
  for (const JwsSigner* signer : Signers()) {
    SCOPED_TRACE(JwsAlgorithmName(signer->algorithm()));
    std::string token = SignCompact(*signer, VcJwtHeader(), CredentialPayload());
    std::string payload = CredentialPayload();
    payload.replace(payload.find("\"ects\":3"), 8, "\"ects\":30");
    size_t first = token.find('.'), second = token.rfind('.');
    std::string tampered = token.substr(0, first + 1) + Encode(payload) + token.substr(second);
    EXPECT_FALSE(VerifyJws(*ParseCompact(tampered), signer->public_jwk()));
    EXPECT_EQ(VerifyCompact(tampered, {signer->public_jwk()}).status().message(),
              "jws.signature: does not verify");
  }
}

TEST_F(JwsTest, EveryFlippedSignatureBitFails) {
  for (const JwsSigner* signer : Signers()) {
    SCOPED_TRACE(JwsAlgorithmName(signer->algorithm()));
    absl::StatusOr<ParsedJws> parsed = ParseCompact(SignCompact(*signer, nullptr, "{}"));
    ASSERT_TRUE(parsed.ok());
    for (size_t bit = 0; bit < parsed->signature.size() * 8; bit += 61) {
      ParsedJws tampered = *parsed;
      tampered.signature[bit / 8] ^= static_cast<char>(1 << (bit % 8));
      EXPECT_FALSE(VerifyJws(tampered, signer->public_jwk())) << "bit " << bit;
    }
    ParsedJws truncated = *parsed;
    truncated.signature.pop_back();
    EXPECT_FALSE(VerifyJws(truncated, signer->public_jwk()));
  }
}

TEST_F(JwsTest, AnotherKeyOfTheSameAlgorithmFails) {
  for (const JwsSigner* signer : Signers()) {
    SCOPED_TRACE(JwsAlgorithmName(signer->algorithm()));
    std::string token = SignCompact(*signer, VcJwtHeader(), CredentialPayload());
    JwkPublicKey wrong = OtherSignerLike(*signer).public_jwk();
    ASSERT_EQ(wrong.kid, signer->kid());  // same kid: only the key material differs
    EXPECT_FALSE(VerifyJws(*ParseCompact(token), wrong));
    EXPECT_FALSE(VerifyCompact(token, {wrong}).ok());
  }
}

TEST_F(JwsTest, MalformedKeysNeverVerify) {
  absl::StatusOr<ParsedJws> ed = ParseCompact(SignCompact(ed25519_, nullptr, "{}"));
  absl::StatusOr<ParsedJws> rsa = ParseCompact(SignCompact(rsa_, nullptr, "{}"));
  EXPECT_FALSE(VerifyJws(*ed, {.kid = ed25519_.kid(), .alg = JwsAlgorithm::kEdDSA}));
  EXPECT_FALSE(VerifyJws(*rsa, {.kid = rsa_.kid(), .alg = JwsAlgorithm::kRS256}));
  EXPECT_FALSE(
      VerifyJws(*rsa, {.kid = rsa_.kid(), .alg = JwsAlgorithm::kRS256, .rsa_spki_der = "not der"}));
}

// --- Algorithm confusion ---------------------------------------------------------------------

// The header claims RS256, and the Ed25519 key really did sign it: only the key's algorithm
// counts, so it still fails.
TEST_F(JwsTest, HeaderAlgorithmOtherThanTheKeysFailsEvenWithAValidSignature) {
  Json header = {{"alg", "RS256"}, {"kid", ed25519_.kid()}};
  std::string token = SignWithHeader(ed25519_, header, "{}");
  absl::StatusOr<ParsedJws> parsed = ParseCompact(token);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_TRUE(crypto::Verify(ed25519_.public_jwk().ed25519_public_key, parsed->signing_input,
                             parsed->signature));
  EXPECT_FALSE(VerifyJws(*parsed, ed25519_.public_jwk()));
  absl::Status status = VerifyCompact(token, {ed25519_.public_jwk()}).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_EQ(status.message(),
            "jws.header.alg: RS256, but key \"did:web:node.example#ed\" is for EdDSA");
}

TEST_F(JwsTest, TokensOfOneAlgorithmFailUnderTheOthersKey) {
  std::string ed_token = SignCompact(ed25519_, nullptr, "{}");
  std::string rsa_token = SignCompact(rsa_, nullptr, "{}");
  EXPECT_FALSE(VerifyJws(*ParseCompact(ed_token), rsa_.public_jwk()));
  EXPECT_FALSE(VerifyJws(*ParseCompact(rsa_token), ed25519_.public_jwk()));
  JwkPublicKey rsa_key_under_ed_kid = rsa_.public_jwk();
  rsa_key_under_ed_kid.kid = ed25519_.kid();
  EXPECT_FALSE(VerifyCompact(ed_token, {rsa_key_under_ed_kid}).ok());
}

TEST_F(JwsTest, NoneAndHmacAndOtherAlgorithmsAreRefused) {
  for (std::string alg : {"none", "HS256", "HS512", "ES384", "es256", "PS256", "RS512", "Ed25519",
                          "eddsa", "NONE", "rs256", ""}) {
    SCOPED_TRACE(alg);
    Json header = {{"alg", alg}, {"kid", ed25519_.kid()}};
    // "none" tokens carry an empty signature; the others some bytes.
    std::string token =
        EncodeJson(header) + "." + Encode("{}") + "." + (alg == "none" ? "" : Encode("sig"));
    absl::Status status = ParseError(token);
    EXPECT_TRUE(absl::IsInvalidArgument(status));
    EXPECT_EQ(status.message(), alg.empty() ? "jws.header.alg: empty"
                                            : "jws.header.alg: unsupported algorithm " + alg);
  }
}

// The classic HS256 confusion: the HMAC key is the verifier's own public key, which anyone has.
TEST_F(JwsTest, Hs256KeyedWithThePublicKeyIsRefused) {
  std::string input = EncodeJson({{"alg", "HS256"}, {"kid", rsa_.kid()}}) + "." + Encode("{}");
  std::string token = input + "." + Encode(std::string(32, 'm'));
  EXPECT_EQ(ParseError(token).message(), "jws.header.alg: unsupported algorithm HS256");
  EXPECT_FALSE(VerifyCompact(token, {rsa_.public_jwk()}).ok());
}

// --- Malformed input -------------------------------------------------------------------------

TEST_F(JwsTest, PartCountIsChecked) {
  std::string token = SignCompact(ed25519_, nullptr, "{}");
  ExpectInvalid("", "jws: empty");
  ExpectInvalid(token.substr(0, token.rfind('.')),
                "jws: expected three dot-separated parts, got 2");
  ExpectInvalid(token + ".", "jws: expected three dot-separated parts, got 4");
  ExpectInvalid(token + ".AAAA", "jws: expected three dot-separated parts, got 4");
  ExpectInvalid("abc", "jws: expected three dot-separated parts, got 1");
}

TEST_F(JwsTest, EachPartMustBeUnpaddedBase64Url) {
  std::string header = EncodeJson({{"alg", "EdDSA"}, {"kid", "k"}});
  std::string good = header + "." + Encode("{}") + "." + Encode("signature");
  ASSERT_TRUE(ParseCompact(good).ok());
  ExpectInvalid("!!!." + Encode("{}") + ".AAAA", "jws.header: not valid base64url");
  ExpectInvalid(header + "=." + Encode("{}") + ".AAAA", "jws.header: not valid base64url");
  ExpectInvalid(header + ".e30+.AAAA", "jws.payload: not valid base64url");
  ExpectInvalid(header + ".e30.AA/A", "jws.signature: not valid base64url");
  ExpectInvalid(header + ".e30.AAA A", "jws.signature: not valid base64url");
  ExpectInvalid(header + ".e30.", "jws.signature: empty");
}

TEST_F(JwsTest, HeaderMustBeAJsonObjectWithAlgAndKid) {
  auto token = [](std::string_view header_json) {
    return Encode(header_json) + "." + Encode("{}") + "." + Encode("signature");
  };
  ExpectInvalid(token(""), "jws.header: not valid JSON");
  ExpectInvalid(token("{\"alg\":\"EdDSA\""), "jws.header: not valid JSON");
  ExpectInvalid(token("{\"alg\":\"EdDSA\",\"kid\":\"\xff\"}"), "jws.header: not valid JSON");
  ExpectInvalid(token("[\"EdDSA\"]"), "jws.header: not a JSON object");
  ExpectInvalid(token("\"EdDSA\""), "jws.header: not a JSON object");
  ExpectInvalid(token("null"), "jws.header: not a JSON object");
  ExpectInvalid(token(R"({"kid":"k"})"), "jws.header.alg: missing");
  ExpectInvalid(token(R"({"alg":["EdDSA"],"kid":"k"})"), "jws.header.alg: not a string");
  ExpectInvalid(token(R"({"alg":"EdDSA"})"), "jws.header.kid: missing");
  ExpectInvalid(token(R"({"alg":"EdDSA","kid":7})"), "jws.header.kid: not a string");
  ExpectInvalid(token(R"({"alg":"EdDSA","kid":""})"), "jws.header.kid: empty");
  ExpectInvalid(token(R"({"alg":"EdDSA","kid":"k","typ":1})"), "jws.header.typ: not a string");
  ExpectInvalid(token(R"({"alg":"EdDSA","kid":"k","cty":{}})"), "jws.header.cty: not a string");
  ExpectInvalid(token(R"({"alg":"EdDSA","kid":"k","crit":["exp"],"exp":1})"),
                "jws.header.crit: critical extensions are not supported");
  ExpectInvalid(token(R"({"alg":"EdDSA","kid":"k","b64":false,"crit":["b64"]})"),
                "jws.header.crit: critical extensions are not supported");
}

TEST_F(JwsTest, RepeatedHeaderMemberCountsAsItsLastOccurrence) {
  std::string header = R"({"alg":"none","alg":"EdDSA","kid":"k"})";
  absl::StatusOr<ParsedJws> parsed =
      ParseCompact(Encode(header) + "." + Encode("{}") + "." + Encode("signature"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->algorithm, JwsAlgorithm::kEdDSA);
  ExpectInvalid(Encode(R"({"alg":"EdDSA","alg":"none","kid":"k"})") + ".e30.AAAA",
                "jws.header.alg: unsupported algorithm none");
}

TEST_F(JwsTest, SizeLimitIsEnforcedBeforeDecoding) {
  std::string kid = "k";
  std::string header, signature = Encode(std::string(64, 's'));
  size_t fill = 0;
  do {  // a base64url text is never 1 (mod 4) long: lengthen the kid until the payload is not
    kid += "k";
    header = EncodeJson({{"alg", "EdDSA"}, {"kid", kid}});
    fill = kMaxCompactJwsBytes - header.size() - signature.size() - 2;
  } while (fill % 4 == 1);
  std::string at_limit = header + "." + std::string(fill, 'A') + "." + signature;
  ASSERT_EQ(at_limit.size(), kMaxCompactJwsBytes);
  EXPECT_TRUE(ParseCompact(at_limit).ok()) << ParseError(at_limit);
  ExpectInvalid(at_limit + "A", "jws: longer than 262144 bytes");
}

TEST_F(JwsTest, DeeplyNestedHeaderIsHandledWithoutRecursion) {
  std::string nested = std::string(50000, '[') + std::string(50000, ']');
  std::string header = R"({"alg":"EdDSA","kid":"k","x":)" + nested + "}";
  absl::StatusOr<ParsedJws> parsed = ParseCompact(Encode(header) + ".e30.AAAA");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
}

TEST_F(JwsTest, ErrorsQuoteAtMost64PrintableBytesOfTheToken) {
  std::string long_alg = std::string(1000, 'A') + "\n";
  absl::Status status = ParseError(EncodeJson({{"alg", long_alg}, {"kid", "k"}}) + ".e30.AAAA");
  EXPECT_EQ(status.message(),
            "jws.header.alg: unsupported algorithm " + std::string(64, 'A') + "...");
  std::string evil_kid = "line\nbreak";
  status = VerifyCompact(SignWithHeader(ed25519_, {{"alg", "EdDSA"}, {"kid", evil_kid}}, "{}"),
                         {ed25519_.public_jwk()})
               .status();
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  EXPECT_EQ(status.message(), "jws.header.kid: no trusted key \"line?break\"");
}

// --- VerifyCompact ---------------------------------------------------------------------------

TEST_F(JwsTest, VerifyCompactPicksTheKeyByKid) {
  Ed25519JwsSigner second(crypto::SigningKey::Generate(), "second");
  std::vector<JwkPublicKey> keys = {ed25519_.public_jwk(), rsa_.public_jwk(), second.public_jwk()};
  for (const JwsSigner* signer :
       {static_cast<const JwsSigner*>(&ed25519_), static_cast<const JwsSigner*>(&rsa_),
        static_cast<const JwsSigner*>(&second)}) {
    absl::StatusOr<ParsedJws> verified = VerifyCompact(SignCompact(*signer, nullptr, "p"), keys);
    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_EQ(verified->kid, signer->kid());
  }
  absl::Status unknown = VerifyCompact(SignCompact(ed25519_, nullptr, "p"), {}).status();
  EXPECT_TRUE(absl::IsNotFound(unknown)) << unknown;
  EXPECT_EQ(unknown.message(), "jws.header.kid: no trusted key \"did:web:node.example#ed\"");
  EXPECT_EQ(VerifyCompact("a.b", keys).status().message(),
            "jws: expected three dot-separated parts, got 2");
}

}  // namespace
}  // namespace microcred::jose
