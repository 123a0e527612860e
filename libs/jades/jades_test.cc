#include "libs/jades/jades.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "libs/crypto/crypto.h"
#include "libs/jades/testing/test_ca.h"
#include "libs/jades/x509_util.h"
#include "nlohmann/json.hpp"

namespace microcred::jades {
namespace {

// Takes absl::string_view too (Debian's Abseil has its own).
template <typename Text>
bool Contains(const Text& text, std::string_view part) {
  return std::string(text).find(part) != std::string::npos;
}
bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

using Json = nlohmann::json;

const absl::Time kCaStart = absl::FromCivil(absl::CivilSecond(2020, 1, 1), absl::UTCTimeZone());
const absl::Time kCaEnd = absl::FromCivil(absl::CivilSecond(2040, 1, 1), absl::UTCTimeZone());
const absl::Time kSigT = absl::FromCivil(absl::CivilSecond(2026, 6, 1, 12), absl::UTCTimeZone());
const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 12, 1), absl::UTCTimeZone());
constexpr std::string_view kDocument =
    R"({"@context":["https://www.w3.org/2018/credentials/v1"],"id":"urn:credential:1",)"
    R"("title":"Données — ünïcode"})";

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(MC_EUROPASS_DIR) + "/" + name, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

Json HeaderOf(const std::string& sealed) {
  Json document = Json::parse(sealed);
  return Json::parse(
      *crypto::Base64UrlDecode(document["signatures"][0]["protected"].get<std::string>()));
}

// A document sealed under `header` as given (Seal would never write a wrong one): for the
// refusals of malformed seals, signed correctly so that only the header is at fault.
std::string SealWithHeader(const Json& header, std::string_view payload,
                           const jose::JwsSigner& signer) {
  const std::string encoded = crypto::Base64UrlEncode(header.dump());
  const std::string signature =
      crypto::Base64UrlEncode(signer.Sign(encoded + "." + std::string(payload)));
  return Json{{"payload", payload},
              {"signatures", {{{"protected", encoded}, {"signature", signature}}}}}
      .dump();
}

const SealCheck& Check(const SealVerification& result, std::string_view name) {
  for (const SealCheck& check : result.checks) {
    if (check.name == name) return check;
  }
  static const SealCheck kMissing{"missing", false, "no such check"};
  return kMissing;
}

std::string Describe(const SealVerification& result) {
  std::string text;
  for (const SealCheck& check : result.checks) {
    text += check.name + (check.passed ? " ok: " : " FAILED: ") + check.detail + "\n";
  }
  return text;
}

class JadesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new TestCa(*TestCa::Create("Test Root CA", kCaStart, kCaEnd));
    issuing_ = new TestCa(*root_->IssueIntermediate("Test Seal CA", kCaStart, kCaEnd));
    TestSealSpec spec;
    spec.common_name = "Seal of Test University";
    spec.not_before = kCaStart;
    spec.not_after = kCaEnd;
    ec_seal_ = new TestSeal(*issuing_->IssueSeal(spec));
    spec.key_type = TestKeyType::kRsa;
    rsa_seal_ = new TestSeal(*issuing_->IssueSeal(spec));
  }
  static void TearDownTestSuite() {
    delete root_;
    delete issuing_;
    delete ec_seal_;
    delete rsa_seal_;
  }

  static TrustAnchors RootAnchor() { return *TrustAnchors::FromPem(root_->certificate_pem()); }

  static std::string SealEc(std::string_view payload = kDocument) {
    return *Seal(payload, *ec_seal_->signer, ec_seal_->chain_pem, kSigT);
  }

  static TestSeal SealCertificate(TestSealSpec spec) {
    if (spec.not_before == absl::UnixEpoch()) spec.not_before = kCaStart;
    if (spec.not_after == absl::UnixEpoch()) spec.not_after = kCaEnd;
    return *issuing_->IssueSeal(spec);
  }

  static TestCa* root_;
  static TestCa* issuing_;
  static TestSeal* ec_seal_;
  static TestSeal* rsa_seal_;
};
TestCa* JadesTest::root_;
TestCa* JadesTest::issuing_;
TestSeal* JadesTest::ec_seal_;
TestSeal* JadesTest::rsa_seal_;

// ---- Seal ----

TEST_F(JadesTest, SealWritesTheJwsJsonSerialisationWithAnUnencodedPayload) {
  for (const TestSeal* seal : {ec_seal_, rsa_seal_}) {
    absl::StatusOr<std::string> sealed = Seal(kDocument, *seal->signer, seal->chain_pem, kSigT);
    ASSERT_TRUE(sealed.ok()) << sealed.status();
    Json document = Json::parse(*sealed);
    EXPECT_EQ(document["payload"], kDocument);  // the JSON text itself, not base64url
    ASSERT_EQ(document["signatures"].size(), 1u);
    Json header = HeaderOf(*sealed);
    EXPECT_EQ(header["alg"], seal == ec_seal_ ? "ES256" : "RS256");
    EXPECT_EQ(header["b64"], false);
    // TS 119 182-1 v1.2.1: iat, not sigT, for signatures made from 2025-05-15 on.
    EXPECT_EQ(header["crit"], Json({"b64"}));
    EXPECT_EQ(header["iat"], absl::ToUnixSeconds(kSigT));
    EXPECT_FALSE(header.contains("sigT"));
    EXPECT_EQ(header["typ"], "jose+json");
    EXPECT_EQ(header["cty"], "ld+json");
    ASSERT_EQ(header["x5c"].size(), 2u);  // the seal's certificate, then the issuing CA
    const std::string leaf_der =
        x509::ToDer(*x509::ParsePemCertificates(seal->certificate_pem, "test")->front());
    EXPECT_EQ(header["x5t#S256"], crypto::Base64UrlEncode(crypto::Sha256(leaf_der)));
  }
}

TEST_F(JadesTest, SealedDocumentsVerifyWithRs256AndEs256) {
  for (const TestSeal* seal : {ec_seal_, rsa_seal_}) {
    std::string sealed = *Seal(kDocument, *seal->signer, seal->chain_pem, kSigT);
    SealVerification result = VerifySeal(sealed, RootAnchor(), kNow);
    EXPECT_TRUE(result.valid()) << Describe(result);
    EXPECT_EQ(result.payload, kDocument);
    EXPECT_EQ(result.algorithm, seal == ec_seal_ ? "ES256" : "RS256");
    EXPECT_EQ(result.signing_time, kSigT);
    EXPECT_EQ(result.seal_subject, "Seal of Test University (Test University)");
    EXPECT_EQ(result.trust_anchor, "Test Root CA");
    ASSERT_EQ(result.checks.size(), 4u);
    EXPECT_TRUE(Contains(Check(result, "certificate").detail, "revocation not checked"));
    EXPECT_TRUE(Contains(result.not_checked.back(), "revocation"));
  }
}

TEST_F(JadesTest, TheIssuingCaAloneIsEnoughAsAnchor) {
  SealVerification result =
      VerifySeal(SealEc(), *TrustAnchors::FromPem(issuing_->certificate_pem()), kNow);
  EXPECT_TRUE(result.valid()) << Describe(result);
  EXPECT_EQ(result.trust_anchor, "Test Seal CA");
}

TEST_F(JadesTest, SealRefusesAKeyTheCertificateDoesNotCertify) {
  absl::StatusOr<std::string> sealed =
      Seal(kDocument, *ec_seal_->signer, rsa_seal_->chain_pem, kSigT);
  EXPECT_TRUE(absl::IsInvalidArgument(sealed.status()));
  EXPECT_TRUE(Contains(sealed.status().message(), "does not certify the signer's key"));
}

TEST_F(JadesTest, SealRefusesEdDsaAnEmptyChainAndNonUtf8Payloads) {
  jose::Ed25519JwsSigner eddsa(crypto::SigningKey::Generate());
  EXPECT_TRUE(Contains(Seal(kDocument, eddsa, ec_seal_->chain_pem, kSigT).status().message(),
                       "EdDSA is not a JAdES seal algorithm"));
  EXPECT_TRUE(Contains(Seal(kDocument, *ec_seal_->signer, "", kSigT).status().message(),
                       "seal.certificate_chain: no PEM certificate"));
  EXPECT_TRUE(
      Contains(Seal(std::string("{\"x\":\"\xff\"}"), *ec_seal_->signer, ec_seal_->chain_pem, kSigT)
                   .status()
                   .message(),
               "seal.payload: not valid UTF-8"));
}

// ---- Refusals ----

TEST_F(JadesTest, OneByteChangedInThePayloadIsRefused) {
  std::string sealed = SealEc();
  size_t at = sealed.find("urn:credential:1");
  sealed[at + 15] = '2';
  SealVerification result = VerifySeal(sealed, RootAnchor(), kNow);
  EXPECT_FALSE(result.valid());
  EXPECT_FALSE(Check(result, "signature").passed) << Describe(result);
  EXPECT_TRUE(Check(result, "seal").passed);
  EXPECT_EQ(Check(result, "certificate").detail, "not checked: signature failed");
}

TEST_F(JadesTest, OneByteChangedInTheSignatureIsRefused) {
  std::string sealed = SealEc();
  size_t at = sealed.find("\"signature\":\"") + 20;
  sealed[at] = sealed[at] == 'A' ? 'B' : 'A';
  SealVerification result = VerifySeal(sealed, RootAnchor(), kNow);
  EXPECT_FALSE(Check(result, "signature").passed) << Describe(result);
}

TEST_F(JadesTest, ASealUnderAnUntrustedAnchorIsRefused) {
  TestCa other = *TestCa::Create("Other Root CA", kCaStart, kCaEnd);
  SealVerification result =
      VerifySeal(SealEc(), *TrustAnchors::FromPem(other.certificate_pem()), kNow);
  EXPECT_FALSE(result.valid());
  EXPECT_TRUE(Check(result, "signature").passed);
  EXPECT_TRUE(
      Contains(Check(result, "certificate").detail, "does not reach a configured trust anchor"))
      << Describe(result);
  EXPECT_TRUE(Contains(Check(VerifySeal(SealEc(), TrustAnchors(), kNow), "certificate").detail,
                       "no trust anchors are configured"));
}

TEST_F(JadesTest, ASelfMadeChainInX5cIsNotTrustedBecauseItIsThere) {
  // The seal carries the whole chain, root included; only the configured anchors count.
  std::string chain = ec_seal_->chain_pem + root_->certificate_pem();
  std::string sealed = *Seal(kDocument, *ec_seal_->signer, chain, kSigT);
  TestCa other = *TestCa::Create("Other Root CA", kCaStart, kCaEnd);
  EXPECT_FALSE(VerifySeal(sealed, *TrustAnchors::FromPem(other.certificate_pem()), kNow).valid());
  EXPECT_TRUE(VerifySeal(sealed, RootAnchor(), kNow).valid());
}

TEST_F(JadesTest, AnIssuingCaExpiredAtSigTIsRefused) {
  TestCa expired = *root_->IssueIntermediate("Expired Seal CA", kCaStart, kSigT - absl::Hours(24));
  TestSealSpec spec;
  spec.not_before = kCaStart;
  spec.not_after = kCaEnd;
  TestSeal seal = *expired.IssueSeal(spec);
  std::string sealed = *Seal(kDocument, *seal.signer, seal.chain_pem, kSigT);
  SealVerification result = VerifySeal(sealed, RootAnchor(), kNow);
  EXPECT_FALSE(result.valid());
  EXPECT_TRUE(Contains(Check(result, "certificate").detail, "certificate has expired"))
      << Describe(result);
  EXPECT_TRUE(Contains(Check(result, "certificate").detail, "Expired Seal CA"));
}

TEST_F(JadesTest, ASigTOutsideTheSealCertificatesValidityIsRefused) {
  TestSealSpec spec;
  spec.not_before = kSigT + absl::Hours(1);  // not yet valid at sigT
  spec.not_after = kCaEnd;
  TestSeal later = SealCertificate(spec);
  SealVerification result =
      VerifySeal(*Seal(kDocument, *later.signer, later.chain_pem, kSigT), RootAnchor(), kNow);
  EXPECT_TRUE(Contains(Check(result, "certificate").detail, "not yet valid")) << Describe(result);

  spec.not_before = kCaStart;
  spec.not_after = kSigT - absl::Seconds(1);  // expired at sigT
  TestSeal earlier = SealCertificate(spec);
  result =
      VerifySeal(*Seal(kDocument, *earlier.signer, earlier.chain_pem, kSigT), RootAnchor(), kNow);
  EXPECT_TRUE(Contains(Check(result, "certificate").detail, "certificate has expired"))
      << Describe(result);
  EXPECT_TRUE(Contains(Check(result, "certificate").detail, "depth 0"));
}

TEST_F(JadesTest, ARememberedChainStandsOnlyForTimesItIsValidAt) {
  // Verified once at sigT, the chain is remembered with its validity period; a seal made with
  // the same certificates after the seal certificate expired must still be refused.
  TestSealSpec spec;
  spec.not_after = kSigT + absl::Hours(24);
  TestSeal short_lived = SealCertificate(spec);
  const TrustAnchors anchors = RootAnchor();
  SealVerification first = VerifySeal(
      *Seal(kDocument, *short_lived.signer, short_lived.chain_pem, kSigT), anchors, kNow);
  EXPECT_TRUE(first.valid()) << Describe(first);
  SealVerification again = VerifySeal(
      *Seal(kDocument, *short_lived.signer, short_lived.chain_pem, kSigT), anchors, kNow);
  EXPECT_TRUE(again.valid()) << Describe(again);
  EXPECT_EQ(again.trust_anchor, "Test Root CA");
  SealVerification late = VerifySeal(
      *Seal(kDocument, *short_lived.signer, short_lived.chain_pem, kSigT + absl::Hours(48)),
      anchors, kNow);
  EXPECT_FALSE(late.valid());
  EXPECT_TRUE(Contains(Check(late, "certificate").detail, "certificate has expired"))
      << Describe(late);
}

TEST_F(JadesTest, ASealCertificateWithoutSigningKeyUsageIsRefused) {
  TestSealSpec spec;
  spec.digital_signature = false;
  spec.non_repudiation = false;
  TestSeal encipher = SealCertificate(spec);
  SealVerification result =
      VerifySeal(*Seal(kDocument, *encipher.signer, encipher.chain_pem, kSigT), RootAnchor(), kNow);
  EXPECT_TRUE(
      Contains(Check(result, "certificate").detail, "neither digitalSignature nor nonRepudiation"))
      << Describe(result);

  spec.key_usage_extension = false;
  TestSeal none = SealCertificate(spec);
  result = VerifySeal(*Seal(kDocument, *none.signer, none.chain_pem, kSigT), RootAnchor(), kNow);
  EXPECT_TRUE(Contains(Check(result, "certificate").detail, "states no key usage"))
      << Describe(result);

  spec.key_usage_extension = true;
  spec.non_repudiation = true;  // nonRepudiation alone is a seal's usage too
  TestSeal content_commitment = SealCertificate(spec);
  EXPECT_TRUE(
      VerifySeal(*Seal(kDocument, *content_commitment.signer, content_commitment.chain_pem, kSigT),
                 RootAnchor(), kNow)
          .valid());
}

// The header in TS 119 182-1 v1.1.1's form: the signing time as a critical sigT.
void UseSigT(Json& header) {
  header.erase("iat");
  header["sigT"] = "2026-06-01T12:00:00Z";
  header["crit"] = {"b64", "sigT"};
}

// Seals whose header breaks one JAdES rule, each correctly signed.
class MalformedHeaderTest : public JadesTest {
 protected:
  SealVerification VerifyWith(const std::function<void(Json&)>& change) {
    Json header = HeaderOf(SealEc());
    change(header);
    return VerifySeal(SealWithHeader(header, kDocument, *ec_seal_->signer), RootAnchor(), kNow);
  }
  void ExpectSealRefused(const std::function<void(Json&)>& change, std::string_view reason) {
    SealVerification result = VerifyWith(change);
    EXPECT_FALSE(result.valid());
    EXPECT_FALSE(Check(result, "seal").passed);
    EXPECT_TRUE(Contains(Check(result, "seal").detail, reason)) << Describe(result);
    EXPECT_EQ(Check(result, "signature").detail, "not checked: seal failed");
  }
};

TEST_F(MalformedHeaderTest, TheUnchangedHeaderVerifies) {
  EXPECT_TRUE(VerifyWith([](Json&) {}).valid());
}

TEST_F(MalformedHeaderTest, ACriticalSigTVerifies) {
  SealVerification result = VerifyWith(UseSigT);
  EXPECT_TRUE(result.valid()) << Describe(result);
  EXPECT_EQ(result.signing_time, kSigT);
}

TEST_F(MalformedHeaderTest, CritWithoutSigTIsRefused) {
  ExpectSealRefused(
      [](Json& h) {
        UseSigT(h);
        h["crit"] = {"b64"};
      },
      "crit: does not list sigT");
  ExpectSealRefused(
      [](Json& h) {
        UseSigT(h);
        h["crit"] = {"sigT"};
      },
      "crit: does not list b64");
  ExpectSealRefused([](Json& h) { h["crit"] = {"iat"}; }, "crit: does not list b64");
  ExpectSealRefused([](Json& h) { h.erase("crit"); }, "crit: missing");
}

TEST_F(MalformedHeaderTest, TheSigningTimeIsExactlyOneOfSigTAndIat) {
  ExpectSealRefused([](Json& h) { h.erase("iat"); }, "sigT or iat: missing");
  ExpectSealRefused(
      [](Json& h) {
        UseSigT(h);
        h["iat"] = absl::ToUnixSeconds(kSigT);
      },
      "sigT and iat: both given");
  ExpectSealRefused([](Json& h) { h["iat"] = "1780315200"; }, "iat: not a NumericDate");
  ExpectSealRefused([](Json& h) { h["iat"] = 1780315200.5; }, "iat: not a NumericDate");
  ExpectSealRefused([](Json& h) { h["iat"] = absl::ToUnixSeconds(kNow + absl::Hours(1)); },
                    "in the future");
}

TEST_F(MalformedHeaderTest, CritNamingAnythingElseIsRefused) {
  ExpectSealRefused(
      [](Json& h) {
        h["crit"] = {"b64", "exp"};
        h["exp"] = 1;
      },
      "crit: names exp, which this verifier does not understand");
  ExpectSealRefused(
      [](Json& h) {
        h["crit"] = {"b64", "adoTst"};
      },
      "crit: names adoTst, which the protected header does not carry");
}

TEST_F(MalformedHeaderTest, B64TrueOrAbsentIsRefused) {
  ExpectSealRefused([](Json& h) { h["b64"] = true; }, "b64: must be false");
  ExpectSealRefused([](Json& h) { h["b64"] = "false"; }, "b64: must be false");
}

TEST_F(MalformedHeaderTest, AnX5tS256MismatchIsRefused) {
  ExpectSealRefused(
      [](Json& h) { h["x5t#S256"] = crypto::Base64UrlEncode(crypto::Sha256("another")); },
      "x5t#S256: is not the SHA-256 of x5c[0]");
}

TEST_F(MalformedHeaderTest, AMissingX5tS256IsSaidNotRefused) {
  SealVerification result = VerifyWith([](Json& h) { h.erase("x5t#S256"); });
  EXPECT_TRUE(result.valid()) << Describe(result);
  EXPECT_TRUE(Contains(result.not_checked.front(), "x5t#S256: absent"));
}

TEST_F(MalformedHeaderTest, BadAlgorithmsChainsAndTimesAreRefused) {
  ExpectSealRefused([](Json& h) { h["alg"] = "none"; }, "alg: none is not RS256, ES256 or PS256");
  ExpectSealRefused([](Json& h) { h["alg"] = "HS256"; }, "alg: HS256");
  ExpectSealRefused([](Json& h) { h.erase("x5c"); }, "x5c: missing");
  ExpectSealRefused([](Json& h) { h["x5c"] = Json::array(); }, "x5c: not a non-empty array");
  ExpectSealRefused([](Json& h) { h["x5c"][0] = "bm90IGEgY2VydA=="; },
                    "x5c[0]: not a base64 DER certificate");
  ExpectSealRefused(
      [](Json& h) {
        UseSigT(h);
        h["sigT"] = "2026-06-01T12:00:00.5Z";
      },
      "sigT: not a UTC time");
  ExpectSealRefused(
      [](Json& h) {
        UseSigT(h);
        h["sigT"] = "2026-06-01T14:00:00+02:00";
      },
      "sigT: not a UTC");
  ExpectSealRefused(
      [](Json& h) {
        UseSigT(h);
        h["sigT"] = "2027-06-01T12:00:00Z";
      },
      "sigT 2027-06-01T12:00:00Z: in the future");
}

// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 7518 §3.5), made here with
// OpenSSL: libs/jose has no PS256 signer, and Seal writes RS256 for RSA keys.
std::string SignPs256(const std::string& private_key_pem, const std::string& message) {
  BIO* in = BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_PKEY_CTX* key_context = nullptr;
  std::string signature(512, '\0');
  size_t size = signature.size();
  bool ok =
      key != nullptr &&
      EVP_DigestSignInit(context, &key_context, EVP_sha256(), nullptr, key) == 1 &&
      EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) == 1 &&
      EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) == 1 &&
      EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(key);
  signature.resize(ok ? size : 0);
  return signature;
}

TEST_F(JadesTest, Ps256SealsVerify) {
  Json header = HeaderOf(*Seal(kDocument, *rsa_seal_->signer, rsa_seal_->chain_pem, kSigT));
  header["alg"] = "PS256";
  const std::string encoded = crypto::Base64UrlEncode(header.dump());
  const std::string signature =
      SignPs256(rsa_seal_->private_key_pem, encoded + "." + std::string(kDocument));
  ASSERT_FALSE(signature.empty());
  const std::string sealed =
      Json{{"payload", kDocument},
           {"signatures",
            {{{"protected", encoded}, {"signature", crypto::Base64UrlEncode(signature)}}}}}
          .dump();
  SealVerification result = VerifySeal(sealed, RootAnchor(), kNow);
  EXPECT_TRUE(result.valid()) << Describe(result);
  EXPECT_EQ(result.algorithm, "PS256");
  // The same signature under RS256 does not verify: the padding is the algorithm's.
  header["alg"] = "RS256";
  std::string as_rs256 = sealed;
  as_rs256.replace(as_rs256.find(encoded), encoded.size(), crypto::Base64UrlEncode(header.dump()));
  EXPECT_FALSE(Check(VerifySeal(as_rs256, RootAnchor(), kNow), "signature").passed);
}

TEST_F(MalformedHeaderTest, AnAlgorithmThatIsNotTheKeysIsRefusedAtTheSignature) {
  SealVerification result = VerifyWith([](Json& h) { h["alg"] = "RS256"; });
  EXPECT_FALSE(Check(result, "signature").passed) << Describe(result);
}

// ---- Format ----

TEST_F(JadesTest, DocumentsThatAreNotOneSealAreRefusedAtTheFormat) {
  const std::string sealed = SealEc();
  Json two = Json::parse(sealed);
  two["signatures"].push_back(two["signatures"][0]);
  Json flattened = Json::parse(sealed);
  flattened["protected"] = flattened["signatures"][0]["protected"];
  flattened["signature"] = flattened["signatures"][0]["signature"];
  flattened.erase("signatures");
  Json encoded = Json::parse(sealed);
  encoded["payload"] = Json::parse(std::string(kDocument));
  const std::pair<std::string, std::string_view> cases[] = {
      {"", "not valid JSON"},
      {"[]", "not a JSON object"},
      {"{\"signatures\":[]}", "payload: missing"},
      {encoded.dump(), "payload: not a string"},
      {two.dump(), "2 signatures; this verifier checks documents with exactly one"},
      {flattened.dump(), "signatures: missing (the flattened"},
      {std::string(kMaxSealedDocumentBytes + 1, ' '), "longer than"},
  };
  for (const auto& [text, reason] : cases) {
    SealVerification result = VerifySeal(text, RootAnchor(), kNow);
    EXPECT_FALSE(Check(result, "format").passed);
    EXPECT_TRUE(Contains(Check(result, "format").detail, reason)) << Describe(result);
    EXPECT_EQ(result.checks.size(), 4u);
    EXPECT_EQ(Check(result, "certificate").detail, "not checked: format failed");
  }
}

// ---- The Commission's sample (tests/europass/trust/SOURCE.md) ----

TEST(CommissionSampleTest, VerifiesUnderTheCaThatIssuedItsSealCertificate) {
  const std::string sample = ReadData("samples/Sample-MC-Annex1-signed.jsonld");
  ASSERT_FALSE(sample.empty());
  for (const char* list : {"trust/anf-eseal-ca.pem", "trust/anf-trusted-list.xml"}) {
    absl::StatusOr<TrustAnchors> anchors = TrustAnchors::FromText(ReadData(list));
    ASSERT_TRUE(anchors.ok()) << anchors.status();
    SealVerification result = VerifySeal(sample, *anchors, kNow);
    EXPECT_TRUE(result.valid()) << list << "\n" << Describe(result);
    EXPECT_EQ(result.algorithm, "RS256");
    EXPECT_EQ(result.signing_time,
              absl::FromCivil(absl::CivilSecond(2023, 9, 27, 11, 54, 17), absl::UTCTimeZone()));
    EXPECT_EQ(result.seal_subject, "TEST SEAL (ORGANIZACION TEST)");
    EXPECT_EQ(result.seal_organization_identifier, "VATES-A00000000");
    EXPECT_EQ(result.trust_anchor, "ANF AC Qualified Certificates for eSeal");
    EXPECT_TRUE(StartsWith(result.payload, "{\"id\":\"urn:credential:1018d05f"));
    // Its archival properties are there, and said not to be checked.
    std::string not_checked;
    for (const std::string& line : result.not_checked) not_checked += line + "\n";
    EXPECT_TRUE(Contains(not_checked, "adoTst")) << not_checked;
    EXPECT_TRUE(Contains(not_checked, "etsiU"));
    EXPECT_TRUE(Contains(not_checked, "revocation"));
  }
}

TEST(CommissionSampleTest, OneByteChangedInItIsRefused) {
  std::string sample = ReadData("samples/Sample-MC-Annex1-signed.jsonld");
  TrustAnchors anchors = *TrustAnchors::FromText(ReadData("trust/anf-eseal-ca.pem"));
  size_t at = sample.find("urn:credential:1018d05f");
  ASSERT_NE(at, std::string::npos);
  sample[at + 15] = '2';  // urn:credential:2018d05f...
  SealVerification result = VerifySeal(sample, anchors, kNow);
  EXPECT_FALSE(result.valid());
  EXPECT_FALSE(Check(result, "signature").passed) << Describe(result);
}

TEST(CommissionSampleTest, OneByteChangedInItsSignatureIsRefused) {
  std::string sample = ReadData("samples/Sample-MC-Annex1-signed.jsonld");
  TrustAnchors anchors = *TrustAnchors::FromText(ReadData("trust/anf-eseal-ca.pem"));
  size_t at = sample.rfind("\"signature\":\"");
  ASSERT_NE(at, std::string::npos);
  at += 40;
  sample[at] = sample[at] == 'A' ? 'B' : 'A';
  SealVerification result = VerifySeal(sample, anchors, kNow);
  EXPECT_FALSE(result.valid());
  EXPECT_FALSE(Check(result, "signature").passed) << Describe(result);
  EXPECT_TRUE(Check(result, "seal").passed);
}

TEST(CommissionSampleTest, IsRefusedUnderAnotherAnchor) {
  TestCa other = *TestCa::Create("Other Root CA", kCaStart, kCaEnd);
  SealVerification result = VerifySeal(ReadData("samples/Sample-MC-Annex1-signed.jsonld"),
                                       *TrustAnchors::FromPem(other.certificate_pem()), kNow);
  EXPECT_TRUE(Check(result, "signature").passed);
  EXPECT_FALSE(Check(result, "certificate").passed) << Describe(result);
}

}  // namespace
}  // namespace microcred::jades
