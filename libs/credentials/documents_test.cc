// The documents as wholes: their envelopes, what they must never contain, determinism, and that
// every extension term they use is defined by the extension context.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "libs/credentials/elm.h"
#include "libs/credentials/open_badge.h"
#include "libs/credentials/testing/sample_facts.h"
#include "libs/credentials/vocabulary.h"
#include "libs/crypto/crypto.h"
#include "libs/status_list/status_list_credential.h"

namespace microcred::credentials {
namespace {

using nlohmann::json;
using testing::SampleFacts;
using testing::SampleFactsInHours;

json OpenBadge(const CredentialFacts& facts) {
  auto document = BuildOpenBadgeCredential(facts);
  EXPECT_TRUE(document.ok()) << document.status();
  return document.ok() ? *document : json();
}

json Elm(const CredentialFacts& facts) {
  auto document = BuildElmCredential(facts);
  EXPECT_TRUE(document.ok()) << document.status();
  return document.ok() ? *document : json();
}

TEST(OpenBadgeCredentialTest, IsAVerifiableCredentialAndAnOpenBadge) {
  const json doc = OpenBadge(SampleFacts());
  EXPECT_EQ(doc["@context"],
            json::array({"https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                         "https://w3id.org/microcred/v1"}));
  EXPECT_EQ(doc["type"], json::array({"VerifiableCredential", "OpenBadgeCredential"}));
  EXPECT_EQ(doc["id"], "urn:uuid:6f1c2a9e-3b7d-4e5f-9a1b-2c3d4e5f6a7b");
  EXPECT_EQ(doc["issuer"]["type"], json::array({"Profile"}));
  EXPECT_EQ(doc["credentialSubject"]["type"], json::array({"AchievementSubject"}));
  const json& achievement = doc["credentialSubject"]["achievement"];
  EXPECT_EQ(achievement["type"], json::array({"Achievement"}));
  EXPECT_EQ(achievement["achievementType"], "MicroCredential");
  EXPECT_EQ(achievement["description"],
            "Read, question and communicate data in everyday professional decisions.");
  EXPECT_EQ(doc["credentialSchema"][0]["type"], "1EdTechJsonSchemaValidator2019");
  EXPECT_FALSE(doc.contains("proof"));  // issuance secures it as a JWS
}

// The 1EdTech OB 3.0 AchievementCredential schema's rule: "credentialStatus" is one
// CredentialStatus object ({"$ref": "#/$defs/CredentialStatus"}) with string "id" and "type";
// an array fails it. (The whole schema is checked by the conformance test.)
TEST(OpenBadgeCredentialTest, CredentialStatusIsOneObjectAsTheSchemaRequires) {
  for (const CredentialFacts& facts : {SampleFacts(), SampleFactsInHours()}) {
    const json doc = OpenBadge(facts);
    ASSERT_TRUE(doc.contains("credentialStatus"));
    const json& status = doc["credentialStatus"];
    ASSERT_TRUE(status.is_object()) << status;
    ASSERT_TRUE(status.contains("id") && status["id"].is_string()) << status;
    ASSERT_TRUE(status.contains("type") && status["type"].is_string()) << status;
    EXPECT_EQ(status["type"], "BitstringStatusListEntry");
  }
}

// The entry written on the hot path is the status list library's message entry, byte for byte
// once parsed.
TEST(OpenBadgeCredentialTest, CredentialStatusIsTheStatusListsMessageEntry) {
  const CredentialFacts facts = SampleFacts();
  using status_list::StatusPurpose;
  EXPECT_EQ(
      OpenBadge(facts)["credentialStatus"],
      status_list::BuildStatusListEntry(
          status_list::StatusListUrl(facts.status.status_base_url, StatusPurpose::kMessage),
          StatusPurpose::kMessage, facts.status.status_list_index, facts.status.status_base_url));
}

TEST(ElmCredentialTest, IsAEuropeanDigitalCredential) {
  const json doc = Elm(SampleFacts());
  EXPECT_EQ(doc["@context"][0], "https://www.w3.org/2018/credentials/v1");
  EXPECT_EQ(doc["@context"][1], "http://data.europa.eu/snb/model/context/edc-ap");
  EXPECT_EQ(doc["@context"][2], "https://w3id.org/microcred/v1");
  EXPECT_EQ(doc["@context"].size(), 3u);
  EXPECT_EQ(doc["type"], json::array({"VerifiableCredential", "EuropeanDigitalCredential"}));
  EXPECT_EQ(doc["credentialProfiles"][0]["id"], "http://data.europa.eu/snb/credential/e34929035b");
  EXPECT_EQ(doc["credentialSchema"]["type"], "ShaclValidator2017");
  const json& claim = doc["credentialSubject"]["hasClaim"];
  EXPECT_EQ(claim["type"], "LearningAchievement");
  EXPECT_EQ(claim["awardedBy"]["type"], "AwardingProcess");
  EXPECT_EQ(claim["provenBy"][0]["type"], "LearningAssessment");
  EXPECT_EQ(claim["specifiedBy"]["type"], "Qualification");
  EXPECT_EQ(claim["provenBy"][0]["awardedBy"]["id"], claim["awardedBy"]["id"]);
}

// EDC requires the issuer's eIDAS identifier: the legal person the e-seal's certificate names.
TEST(ElmCredentialTest, IssuerHasTheSealsEidasIdentifier) {
  const json doc = Elm(SampleFacts());
  const json& eidas = doc["issuer"]["eIDASIdentifier"];
  EXPECT_EQ(eidas["type"], "LegalIdentifier");
  EXPECT_EQ(eidas["notation"], "NTRBE-0419052173");
  EXPECT_EQ(eidas["spatial"]["id"], "http://publications.europa.eu/resource/authority/country/BEL");
  EXPECT_EQ(doc["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"][0]["eIDASIdentifier"],
            eidas);
}

TEST(ElmCredentialTest, RefusesFactsWithoutTheSeal) {
  CredentialFacts facts = SampleFacts();
  facts.seal.organization_identifier.clear();
  auto doc = BuildElmCredential(facts);
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(doc.status().message(), "seal.organization_identifier: "))
      << doc.status();
  facts = SampleFacts();
  facts.seal.country = "XX";
  doc = BuildElmCredential(facts);
  EXPECT_TRUE(absl::StartsWith(doc.status().message(), "seal.country: ")) << doc.status();
  // The Open Badges document does not need it.
  EXPECT_TRUE(BuildOpenBadgeCredential(facts).ok());
}

// The display EDC requires: one page whose image is an SVG of the credential's own facts.
TEST(ElmCredentialTest, DisplayIsAnSvgOfTheFacts) {
  CredentialFacts facts = SampleFacts();
  facts.specification.mutable_content()->set_title("Data <literacy> & \"ethics\"");
  const json doc = Elm(facts);
  const json& display = doc["displayParameter"];
  EXPECT_EQ(display["type"], "DisplayParameter");
  EXPECT_EQ(display["primaryLanguage"]["id"],
            "http://publications.europa.eu/resource/authority/language/ENG");
  EXPECT_EQ(display["language"][0], display["primaryLanguage"]);
  const json& detail = display["individualDisplay"][0]["displayDetail"][0];
  EXPECT_EQ(detail["page"], 1);
  const json& image = detail["image"];
  EXPECT_EQ(image["contentType"]["id"],
            "http://publications.europa.eu/resource/authority/file-type/SVG");
  EXPECT_EQ(image["contentEncoding"]["id"], "http://data.europa.eu/snb/encoding/6146cde7dd");
  std::string base64 = image["content"].get<std::string>();
  ASSERT_EQ(base64.size() % 4, 0u);
  while (!base64.empty() && base64.back() == '=') base64.pop_back();
  for (char& c : base64) c = c == '+' ? '-' : c == '/' ? '_' : c;
  auto svg = crypto::Base64UrlDecode(base64);
  ASSERT_TRUE(svg.ok());
  EXPECT_TRUE(absl::StartsWith(*svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"")) << *svg;
  EXPECT_NE(svg->find("Data &lt;literacy&gt; &amp; &quot;ethics&quot;"), std::string::npos) << *svg;
  EXPECT_NE(svg->find("Ana Andromeda"), std::string::npos);
  EXPECT_NE(svg->find("by Université catholique de Louvain, Université libre de Bruxelles"),
            std::string::npos);
  EXPECT_NE(svg->find("on 2025-06-30"), std::string::npos);
  EXPECT_NE(svg->find(facts.credential_id), std::string::npos);
}

// The e-mail address and the learner id travel only hashed; the date of birth not at all.
TEST(PrivacyTest, RawIdentifiersNeverAppear) {
  for (const CredentialFacts& facts : {SampleFacts(), SampleFactsInHours()}) {
    for (const json& doc : {OpenBadge(facts), Elm(facts)}) {
      const std::string text = absl::AsciiStrToLower(doc.dump());
      EXPECT_EQ(text.find(absl::AsciiStrToLower(std::string(testing::kSampleEmail))),
                std::string::npos);
      EXPECT_EQ(text.find("ana.andromeda@"), std::string::npos);
      EXPECT_EQ(text.find("@student.uclouvain"), std::string::npos);
      EXPECT_EQ(text.find(absl::AsciiStrToLower(std::string(testing::kSampleLearnerId))),
                std::string::npos);
      EXPECT_EQ(text.find("1999"), std::string::npos);
      EXPECT_EQ(text.find("dateofbirth"), std::string::npos);
    }
  }
}

TEST(DeterminismTest, EqualFactsGiveEqualBytes) {
  for (const CredentialFacts& facts : {SampleFacts(), SampleFactsInHours()}) {
    EXPECT_EQ(OpenBadge(facts).dump(), OpenBadge(facts).dump());
    EXPECT_EQ(Elm(facts).dump(), Elm(facts).dump());
  }
}

TEST(DeterminismTest, DifferentSaltsGiveDifferentHashes) {
  CredentialFacts other = SampleFacts();
  other.identifier_salt = "00112233445566778899aabbccddeeff";
  const json a = OpenBadge(SampleFacts());
  const json b = OpenBadge(other);
  EXPECT_NE(a["credentialSubject"]["identifier"][1]["identityHash"],
            b["credentialSubject"]["identifier"][1]["identityHash"]);
}

// ---- Every extension term is defined by the extension context ----

const json& ExtensionContext() {
  static const json* kContext = new json(json::parse(MicrocredContextDocument())["@context"]);
  return *kContext;
}

// Properties whose values are extension terms (typed "@vocab" in the context).
const std::set<std::string>& VocabValuedProperties() {
  static const auto* kSet =
      new std::set<std::string>{"qfEheaCycle",  "assessmentType",    "formOfParticipation",
                                "qaType",       "supervision",       "stackability",
                                "providerType", "modeOfAcquisition", "supervisionApplied"};
  return *kSet;
}

// Every key of every object, and every value of the vocab-valued properties.
void CollectTerms(const json& node, std::set<std::string>& keys, std::set<std::string>& values) {
  if (node.is_array()) {
    for (const json& item : node) CollectTerms(item, keys, values);
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [key, value] : node.items()) {
    if (key.starts_with("@")) continue;  // JSON-LD keywords (@context, a value object's)
    keys.insert(key);
    if (VocabValuedProperties().contains(key)) values.insert(value.get<std::string>());
    if (key == "type" && value.is_string()) values.insert(value.get<std::string>());
    if (key == "type" && value.is_array()) {
      for (const json& t : value) values.insert(t.get<std::string>());
    }
    CollectTerms(value, keys, values);
  }
}

// The terms the documents use from the W3C, 1EdTech and ELM contexts.
const std::set<std::string>& StandardTerms() {
  static const auto* kSet = new std::set<std::string>{
      // VC 2.0 / VC 1.1 / Bitstring Status List
      "id", "type", "name", "description", "issuer", "validFrom", "validUntil", "issued",
      "credentialSubject", "credentialSchema", "credentialStatus", "VerifiableCredential",
      "BitstringStatusListEntry", "statusPurpose", "statusListIndex", "statusListCredential",
      // the VC 2.0 context's terms of a BitstringStatusListEntry with more than one bit
      "statusSize", "statusMessage", "status", "message", "statusReference",
      // Open Badges 3.0
      "OpenBadgeCredential", "awardedDate", "AchievementSubject", "achievement", "identifier",
      "creditsEarned", "result", "Achievement", "achievementType", "MicroCredential", "criteria",
      "narrative", "alignment", "creditsAvailable", "fieldOfStudy", "inLanguage", "version",
      "resultDescription", "Alignment", "targetName", "targetUrl", "targetFramework", "targetCode",
      "Profile", "address", "Address", "addressCountryCode", "addressRegion", "otherIdentifier",
      "IdentifierEntry", "identifierType", "IdentityObject", "identityType", "hashed",
      "identityHash", "salt", "Result", "value", "ResultDescription", "resultType",
      "1EdTechJsonSchemaValidator2019",
      // European Learning Model v3 (EDC application profile)
      "EuropeanDigitalCredential", "credentialProfiles", "ShaclValidator2017", "Concept",
      "ConceptScheme", "inScheme", "prefLabel", "Person", "fullName", "givenName", "familyName",
      "hasClaim", "LearningAchievement", "title", "awardedBy", "AwardingProcess", "awardingBody",
      "awardingDate", "location", "Location", "geographicName", "countryCode", "Organisation",
      "legalName", "dcType", "Identifier", "notation", "schemeName", "schemeId", "provenBy",
      "LearningAssessment", "grade", "idVerification", "specifiedBy", "Note", "noteLiteral",
      "Qualification", "learningOutcome", "LearningOutcome", "relatedESCOSkill", "creditPoint",
      "CreditPoint", "framework", "point", "volumeOfLearning", "eqfLevel", "mode", "language",
      "thematicArea", "entryRequirement", "additionalNote", "LearningAssessmentSpecification",
      "gradingScheme", "GradingScheme", "creditReceived", "eIDASIdentifier", "LegalIdentifier",
      "spatial", "displayParameter", "DisplayParameter", "primaryLanguage", "individualDisplay",
      "IndividualDisplay", "displayDetail", "DisplayDetail", "image", "page", "MediaObject",
      "content", "contentType", "contentEncoding"};
  return *kSet;
}

// Language-map keys ({"fr": "..."}) are language tags, not terms.
bool IsLanguageTag(const std::string& key) {
  return key.size() == 2 && absl::ascii_islower(key[0]) && absl::ascii_islower(key[1]);
}

TEST(ExtensionContextTest, DefinesEveryTermTheDocumentsUse) {
  std::set<std::string> keys, values;
  for (const CredentialFacts& facts : {SampleFacts(), SampleFactsInHours()}) {
    CollectTerms(OpenBadge(facts), keys, values);
    CollectTerms(Elm(facts), keys, values);
  }
  for (const std::string& key : keys) {
    if (StandardTerms().contains(key) || IsLanguageTag(key)) continue;
    EXPECT_TRUE(ExtensionContext().contains(key)) << "undefined property: " << key;
  }
  for (const std::string& value : values) {
    if (StandardTerms().contains(value)) continue;
    EXPECT_TRUE(ExtensionContext().contains(value)) << "undefined term: " << value;
  }
}

TEST(ExtensionContextTest, IsProtectedAndDoesNotRedefineStandardTerms) {
  EXPECT_EQ(ExtensionContext()["@version"], 1.1);
  EXPECT_EQ(ExtensionContext()["@protected"], true);
  for (const auto& [term, definition] : ExtensionContext().items()) {
    EXPECT_FALSE(StandardTerms().contains(term)) << term;
    if (term.starts_with("@") || term == "mc") continue;
    EXPECT_TRUE(definition["@id"].get<std::string>().starts_with("mc:")) << term;
  }
  EXPECT_EQ(ExtensionContext()["mc"], kMicrocredVocabulary);
}

}  // namespace
}  // namespace microcred::credentials
