#include "libs/verification/outside_jwt_verifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/crypto/crypto.h"
#include "libs/jose/jws.h"
#include "libs/jose/rsa_key.h"
#include "libs/jose/test_keys.h"
#include "libs/ports/testing/fake_http_fetcher.h"
#include "libs/status_list/status_list.h"
#include "libs/status_list/status_list_credential.h"
#include "libs/verification/multikey.h"
#include "libs/verification/outside_status.h"
#include "libs/verification/securing_profile.h"

namespace microcred::verification {
namespace {

using issuance::v1::VerificationReport;
using nlohmann::json;

#define EXPECT_CONTAINS(text, part)                                                    \
  do {                                                                                 \
    const std::string text_(std::string_view(absl::StrCat(text)));                     \
    EXPECT_NE(text_.find(part), std::string::npos) << text_ << "\n lacks: " << (part); \
  } while (0)

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}
template <typename Repeated>
std::vector<std::string> ListOf(const Repeated& r) {
  return std::vector<std::string>(r.begin(), r.end());
}

constexpr char kDid[] = "did:web:academy.example";
constexpr char kDidDocumentUrl[] = "https://academy.example/.well-known/did.json";
constexpr char kStatusUrl[] = "https://academy.example/status/revocation";

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 12, 7, 12, 0, 0), absl::UTCTimeZone());

// did:key's own encoding of a key, for the tests' issuers (the verifier only decodes).
std::string Base58Btc(const std::string& bytes) {
  static constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  std::string digits;  // little-endian base 58
  for (unsigned char byte : bytes) {
    unsigned carry = byte;
    for (char& d : digits) {
      carry += static_cast<unsigned>(d) << 8;
      d = static_cast<char>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<char>(carry % 58));
      carry /= 58;
    }
  }
  std::string out;
  for (size_t i = 0; i < bytes.size() && bytes[i] == 0; ++i) out.push_back('1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kAlphabet[int(*it)]);
  return out;
}

std::string DidKeyOf(const crypto::SigningKey& key) {
  return "did:key:z" + Base58Btc(std::string("\xed\x01", 2) + key.public_key());
}

std::string DidKeyOf(const jose::EcPrivateKey& key) {
  const char prefix = (static_cast<unsigned char>(key.Y().back()) & 1) ? 0x03 : 0x02;
  return "did:key:z" + Base58Btc(std::string("\x80\x24", 2) + prefix + key.X());
}

// A public JWK without kid, as DID documents and jwk headers carry them.
json PublicJwk(const jose::JwsSigner& signer) {
  json jwk = jose::ToJwk(signer.public_jwk());
  jwk.erase("kid");
  jwk.erase("use");
  return jwk;
}

json Credential(const std::string& issuer_id) {
  return {
      {"@context",
       {"https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}},
      {"id", "urn:uuid:0b5d2c8e-1c1a-4c33-9a0e-6f0b4f1f7d11"},
      {"type", {"VerifiableCredential", "OpenBadgeCredential"}},
      {"name", "Data Stewardship"},
      {"issuer",
       {{"id", issuer_id},
        {"type", {"Profile"}},
        {"name", "Outside Academy"},
        {"address", {{"type", {"Address"}}, {"addressCountryCode", "DE"}}}}},
      {"validFrom", "2026-06-01T00:00:00Z"},
      {"credentialSubject",
       {{"id", "did:example:learner-1"},
        {"type", {"AchievementSubject"}},
        {"result", {{{"type", {"Result"}}, {"value", "A"}}}},
        {"achievement",
         {{"id", "https://academy.example/achievements/data-stewardship"},
          {"type", {"Achievement"}},
          {"name", "Data Stewardship (micro-credential)"},
          {"criteria", {{"narrative", "Designs a data management plan for a research project."}}},
          {"creditsAvailable", 5},
          {"tag", {"ECTS"}},
          {"resultDescription",
           {{{"id", "urn:uuid:r1"},
             {"type", {"ResultDescription"}},
             {"name", "Written exam, graded A-F"},
             {"resultType", "LetterGrade"}}}},
          {"alignment",
           {{{"type", {"Alignment"}},
             {"targetName", "EQF level 6"},
             {"targetFramework", "European Qualifications Framework"},
             {"targetCode", "6"},
             {"targetUrl", "https://europa.eu/europass/en/description-eight-eqf-levels"}},
            {{"type", {"Alignment"}},
             {"targetName", "Applies FAIR principles to research data"},
             {"targetUrl", "https://academy.example/outcomes/fair"}}}}}}}}};
}

// header: {"alg"} plus `extra`; no kid unless `extra` has one.
std::string SignWithHeader(const jose::JwsSigner& signer, json header, const std::string& payload) {
  header["alg"] = std::string(jose::JwsAlgorithmName(signer.algorithm()));
  std::string input =
      crypto::Base64UrlEncode(header.dump()) + "." + crypto::Base64UrlEncode(payload);
  return input + "." + crypto::Base64UrlEncode(signer.Sign(input));
}

std::string SignOpenBadge(const jose::JwsSigner& signer, const json& credential) {
  return jose::SignCompact(
      signer, jose::OpenBadgesJwtHeader(),
      CredentialPayload(issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT, credential.dump()).value());
}

json DidDocument(const std::string& did, const jose::JwsSigner& signer,
                 const std::string& fragment = "key-1") {
  return {{"@context", {"https://www.w3.org/ns/did/v1"}},
          {"id", did},
          {"verificationMethod",
           {{{"id", did + "#" + fragment},
             {"type", "JsonWebKey2020"},
             {"controller", did},
             {"publicKeyJwk", PublicJwk(signer)}}}},
          {"assertionMethod", {did + "#" + fragment}}};
}

const issuance::v1::VerificationCheck& Check(const VerificationReport& report,
                                             const std::string& name) {
  for (const auto& check : report.checks()) {
    if (check.name() == name) return check;
  }
  static const issuance::v1::VerificationCheck kNone;
  ADD_FAILURE() << "no check " << name;
  return kNone;
}

// Answers every URL as the fake does, marked as the institution's pinned copy.
class PinnedFetcher : public HttpFetcher {
 public:
  explicit PinnedFetcher(testing_ports::FakeHttpFetcher& inner) : inner_(inner) {}
  absl::StatusOr<FetchedDocument> Get(const FetchRequest& request) override {
    auto document = inner_.Get(request);
    if (document.ok()) document->pinned = document->from_cache = true;
    return document;
  }

 private:
  testing_ports::FakeHttpFetcher& inner_;
};

class OutsideJwtVerifierTest : public ::testing::Test {
 protected:
  OutsideJwtVerifierTest()
      : ed_key_(crypto::SigningKey::Generate()),
        ed_(ed_key_, std::string(kDid) + "#key-1"),
        verifier_(fetcher_) {}

  VerifiedCredential Verify(const std::string& jws) { return verifier_.Verify(jws, kNow); }

  void ServeDidDocument(const json& document) { fetcher_.Serve(kDidDocumentUrl, document.dump()); }

  // A status list of `purpose` at kStatusUrl with entry `index` set to `value`, signed by
  // `signer` as issued by `issuer` (VC-JOSE-COSE: lists come in either profile).
  void ServeStatusList(const jose::JwsSigner& signer, const std::string& issuer,
                       status_list::StatusPurpose purpose, int64_t index, uint32_t value) {
    auto list = status_list::StatusList::Create(status_list::StatusSizeOf(purpose)).value();
    ASSERT_TRUE(list.Set(index, value).ok());
    json document =
        status_list::BuildStatusListCredential(kStatusUrl, issuer, purpose, list,
                                               absl::ToUnixMillis(kNow - absl::Hours(1)))
            .value();
    fetcher_.Serve(kStatusUrl, jose::SignCompact(signer, jose::VcJwtHeader(), document.dump()),
                   "application/vc+jwt");
  }

  json WithStatus(json credential, status_list::StatusPurpose purpose, int64_t index) {
    credential["credentialStatus"] = status_list::BuildStatusListEntry(kStatusUrl, purpose, index);
    return credential;
  }

  crypto::SigningKey ed_key_;
  jose::Ed25519JwsSigner ed_;
  testing_ports::FakeHttpFetcher fetcher_;
  OutsideJwtVerifier verifier_;
};

// ---- did:web ----

TEST_F(OutsideJwtVerifierTest, DidWebCredentialVerifiesAndStatesItsBasis) {
  ServeDidDocument(DidDocument(kDid, ed_));
  const VerifiedCredential v = Verify(SignOpenBadge(ed_, Credential(kDid)));
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.format(), issuance::v1::CREDENTIAL_FORMAT_VC_JWT);
  EXPECT_EQ(v.report.securing_profile(), issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT);
  EXPECT_EQ(v.report.signature_algorithm(), issuance::v1::SIGNATURE_ALGORITHM_EDDSA);
  EXPECT_EQ(v.report.issuer(), kDid);
  EXPECT_EQ(v.report.issuer_name(), "");  // no registry names an outside issuer
  EXPECT_EQ(v.report.credential_issuer_name(), "Outside Academy");
  EXPECT_EQ(v.report.credential_id(), "urn:uuid:0b5d2c8e-1c1a-4c33-9a0e-6f0b4f1f7d11");
  EXPECT_EQ(v.report.status(), issuance::v1::CREDENTIAL_STATUS_ACTIVE);
  const issuance::v1::TrustBasis& basis = v.report.trust_basis();
  EXPECT_EQ(basis.kind(), issuance::v1::TRUST_KIND_DID_WEB);
  EXPECT_EQ(basis.statement(), "issuer key from did:web:academy.example, not an ecosystem member");
  EXPECT_FALSE(basis.ecosystem_member());
  EXPECT_EQ(basis.issuer_id(), kDid);
  EXPECT_EQ(basis.key_source(), std::string(kDid) + "#key-1");
  EXPECT_CONTAINS(Check(v.report, "issuer").detail(), "its claim, not a verified name");
  EXPECT_EQ(Check(v.report, "status").detail(), "the credential names no status list");
  std::vector<std::string> names;
  for (const auto& c : v.report.checks()) names.push_back(c.name());
  EXPECT_EQ(names,
            (std::vector<std::string>{"format", "issuer", "signature", "status", "validity"}));
}

TEST_F(OutsideJwtVerifierTest, DidWebWithVcJoseCoseProfileAndRelativeMethodIds) {
  json document = DidDocument(kDid, ed_);
  document["verificationMethod"][0]["id"] = "#key-1";
  document["assertionMethod"] = {"#key-1"};
  ServeDidDocument(document);
  const VerifiedCredential v =
      Verify(jose::SignCompact(ed_, jose::VcJwtHeader(), Credential(kDid).dump()));
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.securing_profile(), issuance::v1::SECURING_PROFILE_VC_JOSE_COSE);
}

TEST_F(OutsideJwtVerifierTest, DidWebWithoutKidUsesTheOnlyAssertionKeyOrTheJwkHeader) {
  ServeDidDocument(DidDocument(kDid, ed_));
  const std::string payload =
      CredentialPayload(issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT, Credential(kDid).dump())
          .value();
  EXPECT_TRUE(Verify(SignWithHeader(ed_, {{"typ", "JWT"}}, payload)).report.valid());
  // As openbadgeslib signs: no kid, the public key in a jwk header.
  const VerifiedCredential v =
      Verify(SignWithHeader(ed_, {{"typ", "JWT"}, {"jwk", PublicJwk(ed_)}}, payload));
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.trust_basis().kind(), issuance::v1::TRUST_KIND_DID_WEB);
}

TEST_F(OutsideJwtVerifierTest, DidDocumentForAnotherDidIsRefused) {
  json document = DidDocument(kDid, ed_);
  document["id"] = "did:web:elsewhere.example";
  ServeDidDocument(document);
  const VerifiedCredential v = Verify(SignOpenBadge(ed_, Credential(kDid)));
  EXPECT_FALSE(v.report.valid());
  EXPECT_FALSE(Check(v.report, "issuer").passed());
  EXPECT_CONTAINS(Check(v.report, "issuer").detail(),
                  "is for did:web:elsewhere.example, not did:web:academy.example");
  EXPECT_EQ(Check(v.report, "signature").detail(), "not checked: issuer failed");
  EXPECT_FALSE(v.report.has_trust_basis());
}

TEST_F(OutsideJwtVerifierTest, KeyNotListedUnderAssertionMethodIsRefused) {
  json document = DidDocument(kDid, ed_);
  document["assertionMethod"] = json::array();
  document["authentication"] = {std::string(kDid) + "#key-1"};
  ServeDidDocument(document);
  const VerifiedCredential v = Verify(SignOpenBadge(ed_, Credential(kDid)));
  EXPECT_CONTAINS(Check(v.report, "issuer").detail(),
                  "is not listed under assertionMethod of did:web:academy.example");
}

TEST_F(OutsideJwtVerifierTest, MalformedDidDocumentsAreRefusedWithTheReason) {
  fetcher_.Serve(kDidDocumentUrl, "{\"id\": \"did:web:academy.example\", ");
  EXPECT_CONTAINS(Check(Verify(SignOpenBadge(ed_, Credential(kDid))).report, "issuer").detail(),
                  "is malformed: not a JSON object");
  json document = DidDocument(kDid, ed_);
  document["assertionMethod"] = "#key-1";
  ServeDidDocument(document);
  EXPECT_CONTAINS(Check(Verify(SignOpenBadge(ed_, Credential(kDid))).report, "issuer").detail(),
                  "is malformed: assertionMethod is not an array");
  document = DidDocument(kDid, ed_);
  document["verificationMethod"][0]["publicKeyJwk"]["x"] = "not a key";
  ServeDidDocument(document);
  EXPECT_CONTAINS(Check(Verify(SignOpenBadge(ed_, Credential(kDid))).report, "issuer").detail(),
                  "is malformed: publicKeyJwk of did:web:academy.example#key-1");
}

TEST_F(OutsideJwtVerifierTest, UnreachableIssuerIsSaidAsSuch) {
  fetcher_.Fail(kDidDocumentUrl, absl::UnavailableError("connect to academy.example timed out"));
  const VerifiedCredential v = Verify(SignOpenBadge(ed_, Credential(kDid)));
  EXPECT_FALSE(v.report.valid());
  EXPECT_EQ(Check(v.report, "issuer").detail(),
            "could not fetch the DID document of did:web:academy.example at "
            "https://academy.example/.well-known/did.json: connect to academy.example timed out");
}

TEST_F(OutsideJwtVerifierTest, UnknownKidAndKidOfAnotherDidAreRefused) {
  ServeDidDocument(DidDocument(kDid, ed_, "key-2"));
  EXPECT_CONTAINS(Check(Verify(SignOpenBadge(ed_, Credential(kDid))).report, "issuer").detail(),
                  "unknown kid: the DID document of did:web:academy.example has no "
                  "verification method did:web:academy.example#key-1");
  const jose::Ed25519JwsSigner other(ed_key_, "did:web:mallory.example#key-1");
  EXPECT_CONTAINS(Check(Verify(SignOpenBadge(other, Credential(kDid))).report, "issuer").detail(),
                  "is not the issuer's: the credential's issuer is did:web:academy.example");
}

TEST_F(OutsideJwtVerifierTest, WrongKeyTypeIsNamed) {
  const jose::EcJwsSigner ec(jose::EcPrivateKey::Generate().value(), std::string(kDid) + "#key-1");
  ServeDidDocument(DidDocument(kDid, ec));  // the document says P-256; the token is EdDSA
  const VerifiedCredential v = Verify(SignOpenBadge(ed_, Credential(kDid)));
  EXPECT_CONTAINS(Check(v.report, "signature").detail(),
                  "wrong key type: the token is signed EdDSA but key "
                  "did:web:academy.example#key-1 is for ES256");
}

TEST_F(OutsideJwtVerifierTest, PinnedDocumentGivesPinnedKey) {
  ServeDidDocument(DidDocument(kDid, ed_));
  PinnedFetcher pinned(fetcher_);
  const OutsideJwtVerifier verifier(pinned);
  const VerifiedCredential v = verifier.Verify(SignOpenBadge(ed_, Credential(kDid)), kNow);
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.trust_basis().kind(), issuance::v1::TRUST_KIND_PINNED_KEY);
  EXPECT_CONTAINS(v.report.trust_basis().statement(),
                  "pinned by this institution (did:web:academy.example#key-1)");
}

TEST_F(OutsideJwtVerifierTest, KeptKeysFollowTheIssuersDocument) {
  ServeDidDocument(DidDocument(kDid, ed_));
  const std::string jws = SignOpenBadge(ed_, Credential(kDid));
  ASSERT_TRUE(Verify(jws).report.valid());
  ASSERT_TRUE(Verify(jws).report.valid());  // from the kept key
  // The issuer rotates its key: the document changes, and the old key is no longer taken.
  const jose::Ed25519JwsSigner rotated(crypto::SigningKey::Generate(),
                                       std::string(kDid) + "#key-1");
  ServeDidDocument(DidDocument(kDid, rotated));
  EXPECT_FALSE(Check(Verify(jws).report, "signature").passed());
  EXPECT_TRUE(Verify(SignOpenBadge(rotated, Credential(kDid))).report.valid());
}

TEST_F(OutsideJwtVerifierTest, HugeOrNonJsonAnswersAreRefused) {
  fetcher_.Serve(kDidDocumentUrl, std::string(kMaxKeyDocumentBytes + 1, ' '));
  EXPECT_CONTAINS(Check(Verify(SignOpenBadge(ed_, Credential(kDid))).report, "issuer").detail(),
                  "is larger than 262144 bytes");
  fetcher_.Serve(kDidDocumentUrl, "<html>moved</html>", "text/html");
  EXPECT_CONTAINS(Check(Verify(SignOpenBadge(ed_, Credential(kDid))).report, "issuer").detail(),
                  "is text/html, not JSON");
}

TEST_F(OutsideJwtVerifierTest, SeveralAssertionKeysAndNoKidIsAmbiguous) {
  json document = DidDocument(kDid, ed_);
  json second = document["verificationMethod"][0];
  second["id"] = std::string(kDid) + "#key-2";
  document["verificationMethod"].push_back(second);
  document["assertionMethod"].push_back(std::string(kDid) + "#key-2");
  ServeDidDocument(document);
  const std::string payload =
      CredentialPayload(issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT, Credential(kDid).dump())
          .value();
  EXPECT_CONTAINS(
      Check(Verify(SignWithHeader(ed_, {{"typ", "JWT"}}, payload)).report, "issuer").detail(),
      "the token names no key (no kid, no jwk) and did:web:academy.example lists 2 "
      "assertion keys");
  // A bare kid names one of them.
  EXPECT_TRUE(
      Verify(SignWithHeader(ed_, {{"typ", "JWT"}, {"kid", "key-2"}}, payload)).report.valid());
}

TEST_F(OutsideJwtVerifierTest, MethodControlledBySomeoneElseIsRefused) {
  json document = DidDocument(kDid, ed_);
  document["verificationMethod"][0]["controller"] = "did:web:mallory.example";
  ServeDidDocument(document);
  EXPECT_CONTAINS(Check(Verify(SignOpenBadge(ed_, Credential(kDid))).report, "issuer").detail(),
                  "is controlled by did:web:mallory.example, not by did:web:academy.example");
}

// ---- kid URLs ----

class KeyUrlTest : public OutsideJwtVerifierTest {
 protected:
  static constexpr char kIssuer[] = "https://academy.example/issuers/1";
  static constexpr char kKid[] = "https://academy.example/keys/1";
  KeyUrlTest() : ec_(jose::EcPrivateKey::Generate().value(), kKid) {}
  jose::EcJwsSigner ec_;
};

TEST_F(KeyUrlTest, JwkAtTheKidUrl) {
  fetcher_.Serve(kKid, PublicJwk(ec_).dump(), "application/jwk+json");
  const VerifiedCredential v = Verify(SignOpenBadge(ec_, Credential(kIssuer)));
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.signature_algorithm(), issuance::v1::SIGNATURE_ALGORITHM_ES256);
  EXPECT_EQ(v.report.trust_basis().kind(), issuance::v1::TRUST_KIND_KEY_URL);
  EXPECT_EQ(v.report.trust_basis().statement(),
            "issuer key from https://academy.example/keys/1, not an ecosystem member");
  EXPECT_EQ(fetcher_.requests().at(0).accept,
            "application/jwk+json, application/jwk-set+json, application/json");
}

TEST_F(KeyUrlTest, KeySetFoundByKidAndUnknownKid) {
  const jose::EcJwsSigner by_fragment(jose::EcPrivateKey::Generate().value(),
                                      "https://academy.example/jwks.json#k2");
  json k2 = PublicJwk(by_fragment);
  k2["kid"] = "k2";
  fetcher_.Serve("https://academy.example/jwks.json",
                 json{{"keys", {PublicJwk(ec_) /* no kid */, k2}}}.dump());
  const VerifiedCredential v = Verify(SignOpenBadge(by_fragment, Credential(kIssuer)));
  EXPECT_TRUE(v.report.valid()) << v.report.DebugString();
  const jose::EcJwsSigner unknown(jose::EcPrivateKey::Generate().value(),
                                  "https://academy.example/jwks.json#k3");
  EXPECT_CONTAINS(
      Check(Verify(SignOpenBadge(unknown, Credential(kIssuer))).report, "issuer").detail(),
      "unknown kid: the key set at https://academy.example/jwks.json has no key");
}

TEST_F(KeyUrlTest, MultikeyVerificationMethodDocument) {
  const jose::EcPrivateKey key = jose::EcPrivateKey::Generate().value();
  const jose::EcJwsSigner signer(key, kKid);
  fetcher_.Serve(kKid, json{{"id", kKid},
                            {"type", "Multikey"},
                            {"controller", kIssuer},
                            {"publicKeyMultibase", DidKeyOf(key).substr(8)}}
                           .dump());
  EXPECT_TRUE(Verify(SignOpenBadge(signer, Credential(kIssuer))).report.valid());
  fetcher_.Serve(kKid, json{{"id", kKid},
                            {"type", "Multikey"},
                            {"controller", "https://mallory.example/"},
                            {"publicKeyMultibase", DidKeyOf(key).substr(8)}}
                           .dump());
  EXPECT_CONTAINS(
      Check(Verify(SignOpenBadge(signer, Credential(kIssuer))).report, "issuer").detail(),
      "is controlled by https://mallory.example/, not by the issuer");
}

TEST_F(KeyUrlTest, KidOnAnotherOriginIsRefusedWithoutFetching) {
  const jose::EcJwsSigner elsewhere(jose::EcPrivateKey::Generate().value(),
                                    "https://mallory.example/keys/1");
  const VerifiedCredential v = Verify(SignOpenBadge(elsewhere, Credential(kIssuer)));
  EXPECT_EQ(Check(v.report, "issuer").detail(),
            "kid https://mallory.example/keys/1 is not on the origin of the issuer "
            "https://academy.example/issuers/1");
  EXPECT_EQ(fetcher_.total_calls(), 0);
}

TEST_F(KeyUrlTest, RsaKeyAtTheKidUrl) {
  const jose::RsaJwsSigner rsa(
      jose::RsaPrivateKey::FromPkcs8Pem(jose::testing::kTestRsaPem[0]).value(), kKid);
  fetcher_.Serve(kKid, PublicJwk(rsa).dump());
  const VerifiedCredential v = Verify(SignOpenBadge(rsa, Credential(kIssuer)));
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.signature_algorithm(), issuance::v1::SIGNATURE_ALGORITHM_RS256);
}

// ---- did:key, did:jwk, embedded keys ----

TEST(MultikeyTest, DidKeySpecVectors) {
  // did:key method specification (W3C CCG), test vectors: an Ed25519 key and its base58 form,
  // a P-256 key and its JWK coordinates.
  auto ed = PublicKeyFromDidKey("did:key:z6MkmjY8GnV5i9YTDtPETC2uUAW6ejw3nk5mXF5yci5ab7th", "k");
  ASSERT_TRUE(ed.ok()) << ed.status();
  EXPECT_EQ(ed->alg, jose::JwsAlgorithm::kEdDSA);
  EXPECT_EQ(ed->ed25519_public_key,
            Base58BtcDecode("8HH5gYEeNc3z7PYXmd54d4x6qAfCNrqQqEB3nS7Zfu7K").value());
  auto p256 = PublicKeyFromDidKey("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", "k");
  ASSERT_TRUE(p256.ok()) << p256.status();
  EXPECT_EQ(p256->alg, jose::JwsAlgorithm::kES256);
  const json jwk = jose::ToJwk(*p256);
  EXPECT_EQ(jwk["x"], "fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI");
  EXPECT_EQ(jwk["y"], "hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU");
}

TEST(MultikeyTest, MalformedDidKeysAreRefused) {
  EXPECT_CONTAINS(PublicKeyFromDidKey("did:key:6Mkmj", "k").status().message(),
                  "must be base58btc (start with z)");
  EXPECT_CONTAINS(PublicKeyFromDidKey("did:key:z0OIl", "k").status().message(),
                  "not a base58btc character");
  EXPECT_CONTAINS(PublicKeyFromDidKey("did:key:z" + std::string(200, 'a'), "k").status().message(),
                  "longer than 128");
  // secp256k1-pub (0xe7): not one this node reads.
  EXPECT_CONTAINS(
      PublicKeyFromDidKey("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "k")
          .status()
          .message(),
      "multicodec 0xe7");
}

TEST_F(OutsideJwtVerifierTest, DidKeyIssuersEd25519AndP256) {
  const std::string ed_did = DidKeyOf(ed_key_);
  const jose::Ed25519JwsSigner ed(ed_key_, ed_did + "#" + ed_did.substr(8));
  VerifiedCredential v = Verify(SignOpenBadge(ed, Credential(ed_did)));
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.trust_basis().kind(), issuance::v1::TRUST_KIND_DID_KEY);
  EXPECT_EQ(v.report.trust_basis().statement(),
            "issuer key is the did:key issuer id itself: proves control of the key, not identity");
  EXPECT_EQ(fetcher_.total_calls(), 0);

  const jose::EcPrivateKey key = jose::EcPrivateKey::Generate().value();
  const std::string ec_did = DidKeyOf(key);
  const jose::EcJwsSigner ec(key, ec_did + "#" + ec_did.substr(8));
  v = Verify(SignOpenBadge(ec, Credential(ec_did)));
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();

  // Signed by another key than the did:key names: the signature fails.
  const jose::Ed25519JwsSigner impostor(crypto::SigningKey::Generate(),
                                        ed_did + "#" + ed_did.substr(8));
  v = Verify(SignOpenBadge(impostor, Credential(ed_did)));
  EXPECT_FALSE(Check(v.report, "signature").passed());
  // A did:key kid for another issuer.
  v = Verify(SignOpenBadge(ed, Credential(kDid)));
  EXPECT_CONTAINS(Check(v.report, "issuer").detail(), "is not the issuer's");
}

TEST_F(OutsideJwtVerifierTest, EmbeddedJwkIsRefusedByDefaultAndAllowedByOption) {
  const std::string payload =
      CredentialPayload(issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT,
                        Credential("https://academy.example/issuers/1").dump())
          .value();
  const std::string jws = SignWithHeader(ed_, {{"typ", "JWT"}, {"jwk", PublicJwk(ed_)}}, payload);
  VerifiedCredential v = Verify(jws);
  EXPECT_CONTAINS(Check(v.report, "issuer").detail(),
                  "a key embedded in the token proves integrity only; this node does not "
                  "accept it");
  const OutsideJwtVerifier lenient(fetcher_, {.allow_embedded_jwk = true});
  v = lenient.Verify(jws, kNow);
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.trust_basis().kind(), issuance::v1::TRUST_KIND_EMBEDDED_JWK);
  EXPECT_EQ(v.report.trust_basis().statement(),
            "key embedded in the token: proves integrity only, not who signed");
  EXPECT_EQ(v.report.trust_basis().key_source(), "jwk header");
}

TEST_F(OutsideJwtVerifierTest, DidJwkIssuerWithItsEmbeddedKey) {
  const std::string did = "did:jwk:" + crypto::Base64UrlEncode(PublicJwk(ed_).dump());
  const std::string payload =
      CredentialPayload(issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT, Credential(did).dump())
          .value();
  VerifiedCredential v =
      Verify(SignWithHeader(ed_, {{"typ", "JWT"}, {"jwk", PublicJwk(ed_)}}, payload));
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.trust_basis().kind(), issuance::v1::TRUST_KIND_DID_KEY);
  // A jwk header that is not the did:jwk's key.
  const jose::Ed25519JwsSigner other(crypto::SigningKey::Generate(), "x");
  v = Verify(SignWithHeader(other, {{"typ", "JWT"}, {"jwk", PublicJwk(other)}}, payload));
  EXPECT_CONTAINS(Check(v.report, "issuer").detail(), "is not the key of its issuer");
}

// ---- signature, validity, format ----

TEST_F(OutsideJwtVerifierTest, TamperedTokenFailsTheSignature) {
  ServeDidDocument(DidDocument(kDid, ed_));
  const std::string jws = SignOpenBadge(ed_, Credential(kDid));
  json payload = json::parse(
      CredentialPayload(issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT, Credential(kDid).dump())
          .value());
  payload["credentialSubject"]["achievement"]["name"] = "Rocket Science";
  const std::string tampered = jws.substr(0, jws.find('.') + 1) +
                               crypto::Base64UrlEncode(payload.dump()) + jws.substr(jws.rfind('.'));
  const VerifiedCredential v = Verify(tampered);
  EXPECT_FALSE(v.report.valid());
  EXPECT_EQ(Check(v.report, "signature").detail(),
            "the signature does not verify with key did:web:academy.example#key-1");
  EXPECT_EQ(Check(v.report, "status").detail(), "not checked: signature failed");
}

TEST_F(OutsideJwtVerifierTest, ExpiredAndNotYetValid) {
  ServeDidDocument(DidDocument(kDid, ed_));
  json expired = Credential(kDid);
  expired["validUntil"] = "2026-11-30T00:00:00Z";
  VerifiedCredential v = Verify(SignOpenBadge(ed_, expired));
  EXPECT_FALSE(v.report.valid());
  EXPECT_EQ(Check(v.report, "validity").detail(), "expired on 2026-11-30T00:00:00Z");
  json future = Credential(kDid);
  future["validFrom"] = "2027-01-01T00:00:00Z";
  v = Verify(SignOpenBadge(ed_, future));
  EXPECT_EQ(Check(v.report, "validity").detail(), "not valid before 2027-01-01T00:00:00Z");
  // Within the clock skew (5 minutes): valid.
  json soon = Credential(kDid);
  soon["validFrom"] = "2026-12-07T12:03:00Z";
  EXPECT_TRUE(Verify(SignOpenBadge(ed_, soon)).report.valid());
}

TEST_F(OutsideJwtVerifierTest, RecognisesAnyCompactJwsAndNothingElse) {
  EXPECT_TRUE(verifier_.Recognises(SignOpenBadge(ed_, Credential(kDid))));
  EXPECT_TRUE(verifier_.Recognises("eyJhbGciOiJub25lIn0.e30.c2ln"));
  EXPECT_FALSE(verifier_.Recognises("{\"payload\": \"{}\", \"signatures\": []}"));
  EXPECT_FALSE(verifier_.Recognises("a.b"));
  EXPECT_FALSE(verifier_.Recognises(".b.c"));
  EXPECT_FALSE(verifier_.Recognises("a.b.c.d"));
}

TEST_F(OutsideJwtVerifierTest, FormatFailuresSayWhy) {
  VerifiedCredential v = Verify("eyJhbGciOiJub25lIn0.e30.c2ln");
  EXPECT_EQ(Check(v.report, "format").detail(), "jws.header.alg: unsupported algorithm none");
  EXPECT_EQ(Check(v.report, "issuer").detail(), "not checked: format failed");
  EXPECT_EQ(v.facts.credential_id(), "");
  json not_a_badge = Credential(kDid);
  not_a_badge["type"] = {"VerifiableCredential"};
  v = Verify(SignOpenBadge(ed_, not_a_badge));
  EXPECT_CONTAINS(Check(v.report, "format").detail(), "OpenBadgeCredential");
  const OutsideJwtVerifier small(fetcher_, {.max_token_bytes = 100});
  v = small.Verify(SignOpenBadge(ed_, Credential(kDid)), kNow);
  EXPECT_EQ(Check(v.report, "format").detail(), "jws: longer than 100 bytes, this node's limit");
  const std::string bearer = jose::SignCompact(ed_, {{"typ", "at+jwt"}}, "{}");
  EXPECT_CONTAINS(Check(Verify(bearer).report, "format").detail(), "jws.header.typ");
}

// ---- status ----

TEST_F(OutsideJwtVerifierTest, StatusActiveRevokedSuspended) {
  ServeDidDocument(DidDocument(kDid, ed_));
  using status_list::StatusPurpose;
  ServeStatusList(ed_, kDid, StatusPurpose::kRevocation, 4242, 0);
  VerifiedCredential v =
      Verify(SignOpenBadge(ed_, WithStatus(Credential(kDid), StatusPurpose::kRevocation, 4242)));
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(Check(v.report, "status").detail(),
            "not revoked (status list https://academy.example/status/revocation, index 4242)");

  ServeStatusList(ed_, kDid, StatusPurpose::kRevocation, 4242, 1);
  v = Verify(SignOpenBadge(ed_, WithStatus(Credential(kDid), StatusPurpose::kRevocation, 4242)));
  EXPECT_FALSE(v.report.valid());
  EXPECT_EQ(v.report.status(), issuance::v1::CREDENTIAL_STATUS_REVOKED);
  EXPECT_CONTAINS(Check(v.report, "status").detail(), "revoked (status list");
  EXPECT_TRUE(Check(v.report, "validity").passed());

  ServeStatusList(ed_, kDid, StatusPurpose::kSuspension, 7, 1);
  v = Verify(SignOpenBadge(ed_, WithStatus(Credential(kDid), StatusPurpose::kSuspension, 7)));
  EXPECT_EQ(v.report.status(), issuance::v1::CREDENTIAL_STATUS_SUSPENDED);
  EXPECT_CONTAINS(Check(v.report, "status").detail(), "suspended");
}

TEST_F(OutsideJwtVerifierTest, StatusMessageListOfTwoBits) {
  ServeDidDocument(DidDocument(kDid, ed_));
  using status_list::StatusPurpose;
  ServeStatusList(ed_, kDid, StatusPurpose::kMessage, 9, status_list::kMessageSuspended);
  VerifiedCredential v =
      Verify(SignOpenBadge(ed_, WithStatus(Credential(kDid), StatusPurpose::kMessage, 9)));
  EXPECT_EQ(v.report.status(), issuance::v1::CREDENTIAL_STATUS_SUSPENDED);
  ServeStatusList(ed_, kDid, StatusPurpose::kMessage, 9, status_list::kMessageUndefined);
  v = Verify(SignOpenBadge(ed_, WithStatus(Credential(kDid), StatusPurpose::kMessage, 9)));
  EXPECT_EQ(v.report.status(), issuance::v1::CREDENTIAL_STATUS_UNDETERMINED);
  EXPECT_CONTAINS(Check(v.report, "status").detail(),
                  "status 0x3 (\"undefined\") is not one this node interprets");
}

// ELM's URI form of credentialStatus, as our EDC export writes it, is read as the entry of the
// issuer's message list it names: a revoked EDC is seen as revoked elsewhere.
TEST_F(OutsideJwtVerifierTest, AnElmStatusUriNamesAnEntryOfTheIssuersMessageList) {
  ServeDidDocument(DidDocument(kDid, ed_));
  using status_list::StatusPurpose;
  KeyDiscovery keys(fetcher_, {});
  OutsideStatusChecker checker(keys);
  auto entry = MessageEntryOfStatusUri(
      json{{"@value", std::string(kStatusUrl) + "#9"}, {"@type", "xsd:anyURI"}});
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ((*entry)["statusPurpose"], "message");
  EXPECT_EQ((*entry)["statusListIndex"], "9");

  ServeStatusList(ed_, kDid, StatusPurpose::kMessage, 9, status_list::kMessageActive);
  OutsideStatus status = checker.Check(entry->dump(), kDid, kNow, absl::Minutes(5));
  EXPECT_EQ(status.status, issuance::v1::CREDENTIAL_STATUS_ACTIVE) << status.detail;
  EXPECT_TRUE(status.passed);

  ServeStatusList(ed_, kDid, StatusPurpose::kMessage, 9, status_list::kMessageRevoked);
  status = checker.Check(entry->dump(), kDid, kNow, absl::Minutes(5));
  EXPECT_EQ(status.status, issuance::v1::CREDENTIAL_STATUS_REVOKED) << status.detail;
  EXPECT_FALSE(status.passed);

  // Another issuer's credential cannot borrow the list.
  status = checker.Check(entry->dump(), "did:web:elsewhere.example", kNow, absl::Minutes(5));
  EXPECT_EQ(status.status, issuance::v1::CREDENTIAL_STATUS_UNDETERMINED) << status.detail;

  // A node issuing under its did:web DID names its organisation by URL in the ELM document:
  // the list of the institution's DID is that URL's.
  const std::string institution_url = "https://academy.example/institutions/acad";
  const std::string institution_did = "did:web:academy.example:institutions:acad";
  const jose::Ed25519JwsSigner by_did(ed_key_, institution_did + "#key-1");
  fetcher_.Serve("https://academy.example/institutions/acad/did.json",
                 DidDocument(institution_did, by_did).dump());
  ServeStatusList(by_did, institution_did, StatusPurpose::kMessage, 9,
                  status_list::kMessageRevoked);
  const json uri = std::string(kStatusUrl) + "#9";
  std::optional<OutsideStatus> checked =
      checker.CheckStatusUri(uri, institution_url, kNow, absl::Minutes(5));
  ASSERT_TRUE(checked.has_value());
  EXPECT_EQ(checked->status, issuance::v1::CREDENTIAL_STATUS_REVOKED) << checked->detail;
  checked = checker.CheckStatusUri(uri, "https://academy.example/institutions/other", kNow,
                                   absl::Minutes(5));
  ASSERT_TRUE(checked.has_value());
  EXPECT_EQ(checked->status, issuance::v1::CREDENTIAL_STATUS_UNDETERMINED) << checked->detail;
  EXPECT_FALSE(
      checker.CheckStatusUri(json("urn:epass:status:1"), institution_url, kNow, absl::Minutes(5))
          .has_value());

  for (const json& other : {json("urn:epass:status:1"), json(std::string(kStatusUrl) + "#x"),
                            json(std::string(kStatusUrl)), json("ftp://academy.example/status#3"),
                            json(42), json{{"id", std::string(kStatusUrl) + "#9"}}}) {
    EXPECT_FALSE(MessageEntryOfStatusUri(other).has_value()) << other.dump();
  }
}

TEST_F(OutsideJwtVerifierTest, StatusUndeterminedWhenTheListCannotBeTrusted) {
  ServeDidDocument(DidDocument(kDid, ed_));
  using status_list::StatusPurpose;
  const std::string jws =
      SignOpenBadge(ed_, WithStatus(Credential(kDid), StatusPurpose::kRevocation, 1));
  // Unreachable.
  fetcher_.Fail(kStatusUrl,
                absl::UnavailableError("GET https://academy.example/status/revocation: HTTP 503"));
  VerifiedCredential v = Verify(jws);
  EXPECT_FALSE(v.report.valid());
  EXPECT_EQ(v.report.status(), issuance::v1::CREDENTIAL_STATUS_UNDETERMINED);
  EXPECT_EQ(Check(v.report, "status").detail(),
            "status could not be determined: the status list "
            "https://academy.example/status/revocation could not be fetched: GET "
            "https://academy.example/status/revocation: HTTP 503");
  // Issued by another issuer.
  const jose::Ed25519JwsSigner mallory(crypto::SigningKey::Generate(),
                                       "did:web:mallory.example#key-1");
  ServeStatusList(mallory, "did:web:mallory.example", StatusPurpose::kRevocation, 1, 0);
  v = Verify(jws);
  EXPECT_EQ(v.report.status(), issuance::v1::CREDENTIAL_STATUS_UNDETERMINED);
  EXPECT_CONTAINS(Check(v.report, "status").detail(),
                  "is issued by did:web:mallory.example, not by the credential's issuer");
  // Claiming the issuer, signed by another key.
  const jose::Ed25519JwsSigner forger(crypto::SigningKey::Generate(), std::string(kDid) + "#key-1");
  ServeStatusList(forger, kDid, StatusPurpose::kRevocation, 1, 0);
  v = Verify(jws);
  EXPECT_CONTAINS(Check(v.report, "status").detail(), "has a signature that does not verify");
  // JSON, not a JWT.
  fetcher_.Serve(kStatusUrl, "{\"type\": [\"BitstringStatusListCredential\"]}");
  v = Verify(jws);
  EXPECT_CONTAINS(Check(v.report, "status").detail(),
                  "is JSON, not a JWT: this node checks only status lists secured as JWTs");
  // The list is for suspension, the entry for revocation.
  ServeStatusList(ed_, kDid, StatusPurpose::kSuspension, 1, 0);
  v = Verify(jws);
  EXPECT_CONTAINS(Check(v.report, "status").detail(), "is for suspension, not for revocation");
}

TEST_F(OutsideJwtVerifierTest, StatusUndeterminedForAnExpiredListOrAnIndexOutsideIt) {
  ServeDidDocument(DidDocument(kDid, ed_));
  using status_list::StatusPurpose;
  auto list = status_list::StatusList::Create(1).value();
  json document =
      status_list::BuildStatusListCredential(kStatusUrl, kDid, StatusPurpose::kRevocation, list,
                                             absl::ToUnixMillis(kNow - absl::Hours(48)))
          .value();
  document["validUntil"] = "2026-12-06T00:00:00Z";
  fetcher_.Serve(kStatusUrl, jose::SignCompact(ed_, jose::VcJwtHeader(), document.dump()));
  VerifiedCredential v =
      Verify(SignOpenBadge(ed_, WithStatus(Credential(kDid), StatusPurpose::kRevocation, 1)));
  EXPECT_EQ(v.report.status(), issuance::v1::CREDENTIAL_STATUS_UNDETERMINED);
  EXPECT_CONTAINS(Check(v.report, "status").detail(), "expired on 2026-12-06T00:00:00Z");
  ServeStatusList(ed_, kDid, StatusPurpose::kRevocation, 1, 0);
  v = Verify(SignOpenBadge(ed_, WithStatus(Credential(kDid), StatusPurpose::kRevocation, 131072)));
  EXPECT_CONTAINS(
      Check(v.report, "status").detail(),
      "index 131072 is outside the status list https://academy.example/status/revocation "
      "(131072 entries)");
}

// ---- facts ----

TEST_F(OutsideJwtVerifierTest, FactsAreReadFromTheCredentialOntoAnnexI) {
  ServeDidDocument(DidDocument(kDid, ed_));
  const VerifiedCredential v = Verify(SignOpenBadge(ed_, Credential(kDid)));
  const recognition::v1::CredentialFacts& f = v.facts;
  EXPECT_EQ(f.title(), "Data Stewardship (micro-credential)");
  EXPECT_EQ(f.issuer(), kDid);
  EXPECT_EQ(f.issuer_name(), "Outside Academy");
  EXPECT_EQ(ListOf(f.awarding_bodies()), std::vector<std::string>{kDid});
  EXPECT_EQ(f.country(), "DE");
  EXPECT_EQ(f.issued_on().year(), 2026);
  EXPECT_EQ(f.issued_on().month(), 6);
  EXPECT_EQ(f.eqf_level(), 6);
  EXPECT_EQ(f.ects(), 5);  // creditsAvailable, the achievement tagged ECTS
  EXPECT_EQ(ListOf(f.learning_outcomes()),
            (std::vector<std::string>{"Designs a data management plan for a research project.",
                                      "Applies FAIR principles to research data"}));
  EXPECT_EQ(f.assessment(), "Written exam, graded A-F");
  EXPECT_EQ(f.grade().value(), "A");
  EXPECT_EQ(f.grade().grading_scheme(), "Written exam, graded A-F");
  EXPECT_EQ(Sorted(ListOf(f.missing_elements())),
            (std::vector<std::string>{"form_of_participation", "quality_assurance"}));
}

TEST_F(OutsideJwtVerifierTest, MissingElementsAreListedNotDefaulted) {
  ServeDidDocument(DidDocument(kDid, ed_));
  json bare = Credential(kDid);
  bare["issuer"] = kDid;
  json& achievement = bare["credentialSubject"]["achievement"];
  achievement.erase("criteria");
  achievement.erase("alignment");
  achievement.erase("tag");  // creditsAvailable without a unit is no workload
  achievement.erase("resultDescription");
  bare["credentialSubject"].erase("id");
  const VerifiedCredential v = Verify(SignOpenBadge(ed_, bare));
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.facts.ects(), 0);
  EXPECT_EQ(v.facts.eqf_level(), 0);
  EXPECT_EQ(Sorted(ListOf(v.facts.missing_elements())),
            Sorted({"learner", "country", "awarding_body", "learning_outcomes", "workload", "level",
                    "assessment", "form_of_participation", "quality_assurance"}));
}

// ---- credentials made by independent libraries ----

class IndependentFixturesTest : public ::testing::Test {
 protected:
  IndependentFixturesTest() : verifier_(fetcher_) {
    std::ifstream in(std::string(MC_VERIFICATION_TESTDATA) + "/outside_jwt_fixtures.json");
    std::stringstream text;
    text << in.rdbuf();
    fixtures_ = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(fixtures_.is_object()) << "testdata/outside_jwt_fixtures.json unreadable";
    if (!fixtures_.is_object()) return;
    for (const auto& [url, body] : fixtures_["documents"].items()) {
      fetcher_.Serve(url, body.get<std::string>());
    }
  }
  std::string Fixture(const char* name) { return fixtures_.value(name, std::string()); }

  testing_ports::FakeHttpFetcher fetcher_;
  OutsideJwtVerifier verifier_;
  json fixtures_;
};

TEST_F(IndependentFixturesTest, JoserfcDidWebCredentialAndItsRevocationList) {
  VerifiedCredential v = verifier_.Verify(Fixture("joserfc_did_web_active"), kNow);
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.trust_basis().kind(), issuance::v1::TRUST_KIND_DID_WEB);
  EXPECT_EQ(v.report.signature_algorithm(), issuance::v1::SIGNATURE_ALGORITHM_ES256);
  EXPECT_EQ(v.facts.eqf_level(), 5);
  EXPECT_EQ(v.facts.country(), "NL");
  v = verifier_.Verify(Fixture("joserfc_did_web_revoked"), kNow);
  EXPECT_FALSE(v.report.valid());
  EXPECT_EQ(v.report.status(), issuance::v1::CREDENTIAL_STATUS_REVOKED);
  EXPECT_TRUE(Check(v.report, "signature").passed());
}

TEST_F(IndependentFixturesTest, OpenbadgeslibDidKeyCredentialWithJwkHeader) {
  const VerifiedCredential v = verifier_.Verify(Fixture("openbadgeslib_did_key"), kNow);
  ASSERT_TRUE(v.report.valid()) << v.report.DebugString();
  EXPECT_EQ(v.report.issuer(), Fixture("openbadgeslib_did_key_issuer"));
  EXPECT_EQ(v.report.trust_basis().kind(), issuance::v1::TRUST_KIND_DID_KEY);
  EXPECT_EQ(v.facts.title(), "Open Source Contributor");
  EXPECT_EQ(fetcher_.total_calls(), 0);
}

}  // namespace
}  // namespace microcred::verification
