// did:web <-> https both ways (ports, paths), and the Profile, JWK and DID documents.
#include <gtest/gtest.h>

#include "libs/crypto/crypto.h"
#include "libs/discovery/did_web.h"
#include "libs/discovery/issuer_documents.h"

namespace microcred::discovery {
namespace {

using nlohmann::json;

TEST(DidWebTest, InstitutionDidFromABareHost) {
  auto did = InstitutionDid("https://Uni.Example", "unamur");
  ASSERT_TRUE(did.ok()) << did.status();
  EXPECT_EQ(*did, "did:web:uni.example:institutions:unamur");
  auto parsed = ParseDidWeb(*did);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(DidDocumentUrl(*parsed), "https://uni.example/institutions/unamur/did.json");
  EXPECT_EQ(DidDocumentUrl(*parsed), IssuerUrl("https://uni.example", "unamur") + "/did.json");
}

TEST(DidWebTest, APortIsPercentEncodedAndAPathBecomesSegments) {
  auto did = InstitutionDid("https://uni.example:8443/wallet/", "ulb");
  ASSERT_TRUE(did.ok()) << did.status();
  EXPECT_EQ(*did, "did:web:uni.example%3A8443:wallet:institutions:ulb");
  auto parsed = ParseDidWeb(*did);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->host, "uni.example:8443");
  EXPECT_EQ(parsed->path, (std::vector<std::string>{"wallet", "institutions", "ulb"}));
  EXPECT_EQ(DidDocumentUrl(*parsed), "https://uni.example:8443/wallet/institutions/ulb/did.json");
  auto parts = ParseInstitutionDid(*did);
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(parts->host, "uni.example:8443");
  EXPECT_EQ(parts->institution_id, "ulb");
  // The issuer URL of the same base drops the trailing slash.
  EXPECT_EQ(IssuerUrl("https://uni.example:8443/wallet/", "ulb"),
            "https://uni.example:8443/wallet/institutions/ulb");
}

TEST(DidWebTest, ADidWithoutPathResolvesAtTheWellKnownPlace) {
  auto parsed = ParseDidWeb("did:web:w3c-ccg.github.io");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(DidDocumentUrl(*parsed), "https://w3c-ccg.github.io/.well-known/did.json");
  EXPECT_FALSE(ParseInstitutionDid("did:web:w3c-ccg.github.io").ok());
  EXPECT_FALSE(ParseInstitutionDid("did:web:uni.example:people:x").ok());
}

TEST(DidWebTest, RefusesWhatDidWebCannotName) {
  for (const char* base :
       {"http://uni.example", "ftp://uni.example", "https://", "https://user@uni.example",
        "https://uni.example/?q=1", "https://uni.example/#x"}) {
    auto did = InstitutionDid(base, "x");
    EXPECT_EQ(did.status().code(), absl::StatusCode::kInvalidArgument) << base;
    EXPECT_NE(did.status().message().find("public_url"), std::string::npos) << did.status();
  }
  for (const char* did :
       {"did:key:z6Mk", "did:web:", "did:web:a::b", "did:web:a%2", "did:web:a/b", "did:web:a%zz"}) {
    EXPECT_EQ(ParseDidWeb(did).status().code(), absl::StatusCode::kInvalidArgument) << did;
  }
}

TEST(DidWebTest, AnIssuerUrlHasTheInstitutionDidAsItsOtherName) {
  EXPECT_EQ(InstitutionDidOfIssuerUrl("https://uni.example:8443/w/institutions/x").value(),
            InstitutionDid("https://uni.example:8443/w", "x").value());
  for (const char* url :
       {"https://uni.example/institutions/", "https://uni.example/x",
        "https://uni.example/institutions/x/keys/1", "http://uni.example/institutions/x"}) {
    EXPECT_FALSE(InstitutionDidOfIssuerUrl(url).ok()) << url;
  }
}

TEST(DidWebTest, HostOfKeepsThePort) {
  EXPECT_EQ(*HostOf("https://Uni.Example:8443/x"), "uni.example:8443");
  EXPECT_EQ(*HostOf("http://127.0.0.1:9000"), "127.0.0.1:9000");
  EXPECT_FALSE(HostOf("uni.example").ok());
}

TEST(DidWebTest, TheIssuerIdFormDecidesTheIssuerIdAndTheKid) {
  EXPECT_EQ(*ParseIssuerIdForm("url"), IssuerIdForm::kUrl);
  EXPECT_EQ(*ParseIssuerIdForm("did-web"), IssuerIdForm::kDidWeb);
  auto bad = ParseIssuerIdForm("did");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("--issuer-id"), std::string::npos);

  const std::string url = *IssuerId(IssuerIdForm::kUrl, "https://uni.example", "x");
  EXPECT_EQ(url, "https://uni.example/institutions/x");
  EXPECT_EQ(CredentialKeyId(IssuerIdForm::kUrl, url, "ed25519:ab"),
            KeyUrl("https://uni.example", "x", "ed25519:ab"));
  EXPECT_EQ(KeyUrl("https://uni.example", "x", "ed25519:ab"),
            "https://uni.example/institutions/x/keys/ed25519:ab");
  const std::string did = *IssuerId(IssuerIdForm::kDidWeb, "https://uni.example", "x");
  EXPECT_EQ(CredentialKeyId(IssuerIdForm::kDidWeb, did, "ed25519:ab"),
            "did:web:uni.example:institutions:x#ed25519:ab");
  EXPECT_FALSE(IssuerId(IssuerIdForm::kDidWeb, "http://uni.example", "x").ok());
  EXPECT_TRUE(IssuerId(IssuerIdForm::kUrl, "http://uni.example", "x").ok());
}

// ---- Documents ----

PublishedKey Ed25519Key(const crypto::SigningKey& key, bool retired, int64_t at_ms = 0) {
  PublishedKey published;
  published.key_id = crypto::KeyFingerprint(key.public_key());
  published.jwk.alg = jose::JwsAlgorithm::kEdDSA;
  published.jwk.ed25519_public_key = key.public_key();
  published.retired = retired;
  published.retired_at_ms = at_ms;
  return published;
}

TEST(IssuerDocumentsTest, TheDidDocumentListsEveryKeyAndOnlyCurrentOnesAssert) {
  const auto old_key = crypto::SigningKey::Generate(), new_key = crypto::SigningKey::Generate();
  const std::string did = "did:web:uni.example:institutions:unamur";
  const std::string issuer = "https://uni.example/institutions/unamur";
  json doc = DidDocument(
      did, issuer, {Ed25519Key(old_key, true, 1'796'000'000'000), Ed25519Key(new_key, false)});
  EXPECT_EQ(doc["@context"][0], "https://www.w3.org/ns/did/v1");
  EXPECT_EQ(doc["@context"][1], "https://w3id.org/security/suites/jws-2020/v1");
  EXPECT_TRUE(doc["@context"][2].contains("keyStatus"));
  EXPECT_EQ(doc["id"], did);
  EXPECT_EQ(doc["alsoKnownAs"], json::array({issuer}));
  ASSERT_EQ(doc["verificationMethod"].size(), 2u);
  // The current key first.
  const json& current = doc["verificationMethod"][0];
  const std::string current_id = did + "#" + crypto::KeyFingerprint(new_key.public_key());
  EXPECT_EQ(current["id"], current_id);
  EXPECT_EQ(current["type"], "JsonWebKey2020");
  EXPECT_EQ(current["controller"], did);
  EXPECT_EQ(current["keyStatus"], "current");
  EXPECT_FALSE(current.contains("retiredAt"));
  auto jwk = jose::FromJwk(current["publicKeyJwk"]);
  ASSERT_TRUE(jwk.ok()) << jwk.status();
  EXPECT_EQ(jwk->ed25519_public_key, new_key.public_key());
  EXPECT_FALSE(current["publicKeyJwk"].contains("d"));
  const json& retired = doc["verificationMethod"][1];
  EXPECT_EQ(retired["id"], did + "#" + crypto::KeyFingerprint(old_key.public_key()));
  EXPECT_EQ(retired["keyStatus"], "retired");
  EXPECT_EQ(retired["retiredAt"], "2026-11-30T00:53:20Z");
  EXPECT_FALSE(retired.contains("revoked"));
  EXPECT_EQ(doc["assertionMethod"], json::array({current_id}));
}

TEST(IssuerDocumentsTest, AKeyDocumentIsAJwkNamedByItsUrl) {
  const auto key = crypto::SigningKey::Generate();
  const std::string url = "https://uni.example/institutions/unamur/keys/ed25519:ab";
  json doc = KeyDocument(Ed25519Key(key, true), url);
  EXPECT_EQ(doc["kid"], url);
  EXPECT_EQ(doc["alg"], "EdDSA");
  EXPECT_EQ(doc["keyStatus"], "retired");
  EXPECT_FALSE(doc.contains("retiredAt"));  // a re-admission records no time
  auto jwk = jose::FromJwk(doc);
  ASSERT_TRUE(jwk.ok()) << jwk.status();
  EXPECT_EQ(jwk->ed25519_public_key, key.public_key());
}

TEST(IssuerDocumentsTest, TheProfileIsTheCredentialsIssuerWithLinks) {
  credentials::IssuerFacts issuer{.institution_id = "unamur",
                                  .legal_name = "Université de Namur",
                                  .country = "BE",
                                  .region = "BE-WNA",
                                  .provider_type = common::v1::PROVIDER_TYPE_HIGHER_EDUCATION,
                                  .deqar_id = "DEQARINST0001",
                                  .profile_url = "https://uni.example/institutions/unamur"};
  auto doc =
      ProfileDocument(issuer, "https://uni.example", "did:web:uni.example:institutions:unamur");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ((*doc)["@context"][0], "https://www.w3.org/ns/credentials/v2");
  EXPECT_EQ((*doc)["@context"][1], "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
  EXPECT_EQ((*doc)["id"], issuer.profile_url);
  EXPECT_EQ((*doc)["type"], json::array({"Profile"}));
  EXPECT_EQ((*doc)["name"], "Université de Namur");
  EXPECT_EQ((*doc)["url"], "https://uni.example");
  EXPECT_EQ((*doc)["address"]["addressCountryCode"], "BE");
  EXPECT_EQ((*doc)["address"]["addressRegion"], "BE-WNA");
  EXPECT_EQ((*doc)["jwks"], "https://uni.example/institutions/unamur/jwks.json");
  const json& ids = (*doc)["otherIdentifier"];
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0]["identifier"], "unamur");
  EXPECT_EQ(ids[1]["identifier"], "DEQARINST0001");
  EXPECT_EQ(ids[2]["identifier"], "did:web:uni.example:institutions:unamur");
  EXPECT_EQ(ids[2]["identifierType"], "ext:did");
}

TEST(IssuerDocumentsTest, RetirementComesFromTheMembersHistory) {
  registry::v1::Member member;
  auto* rotated = member.add_history()->mutable_key_rotated();
  rotated->set_retired_key_id("ed25519:old");
  rotated->set_at_ms(42);
  member.add_history()->mutable_readmitted()->add_retired_key_ids("rsa:older");
  EXPECT_EQ(RetirementOf(member, "ed25519:old").at_ms, 42);
  EXPECT_TRUE(RetirementOf(member, "ed25519:old").retired);
  EXPECT_TRUE(RetirementOf(member, "rsa:older").retired);
  EXPECT_EQ(RetirementOf(member, "rsa:older").at_ms, 0);
  EXPECT_FALSE(RetirementOf(member, "ed25519:new").retired);
}

}  // namespace
}  // namespace microcred::discovery
