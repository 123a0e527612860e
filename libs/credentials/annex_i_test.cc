// Where each Annex I element (and each issuance fact) lands in the Open Badges 3.0 document and
// in the European Learning Model document. docs/CREDENTIALS.md is the same table in prose.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "libs/credentials/elm.h"
#include "libs/credentials/open_badge.h"
#include "libs/credentials/testing/sample_facts.h"
#include "libs/credentials/vocabulary.h"
#include "libs/crypto/crypto.h"

namespace microcred::credentials {
namespace {

using nlohmann::json;
using testing::SampleFacts;
using testing::SampleFactsInHours;

// The value at a JSON pointer; throws (and so fails the test) when the path is missing.
const json& At(const json& doc, const std::string& pointer) {
  return doc.at(json::json_pointer(pointer));
}

bool Has(const json& doc, const std::string& pointer) {
  return doc.contains(json::json_pointer(pointer));
}

// Paths into the two documents.
const std::string kAchievement = "/credentialSubject/achievement";
const std::string kObExt = kAchievement + "/microCredential";
const std::string kObAward = "/credentialSubject/microCredentialAward";
const std::string kClaim = "/credentialSubject/hasClaim";
const std::string kQualification = kClaim + "/specifiedBy";
const std::string kElmExt = kQualification + "/microCredential";
const std::string kAssessment = kClaim + "/provenBy/0";

class AnnexITest : public ::testing::Test {
 protected:
  void Build(const CredentialFacts& facts) {
    auto ob = BuildOpenBadgeCredential(facts);
    ASSERT_TRUE(ob.ok()) << ob.status();
    ob_ = *std::move(ob);
    auto elm = BuildElmCredential(facts);
    ASSERT_TRUE(elm.ok()) << elm.status();
    elm_ = *std::move(elm);
  }

  json ob_;
  json elm_;
};

std::string ExpectedHash(std::string_view value) {
  return "sha256$" +
         crypto::HexEncode(crypto::Sha256(std::string(value) + std::string(testing::kSampleSalt)));
}

// Annex I 1.
TEST_F(AnnexITest, LearnerIsNamedInClearAndIdentifiedByHashes) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, "/credentialSubject/id"), "urn:microcred:learner:3f9c2a7d1b6e4c58");
  const json& ids = At(ob_, "/credentialSubject/identifier");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0]["identityType"], "name");
  EXPECT_EQ(ids[0]["hashed"], false);
  EXPECT_EQ(ids[0]["identityHash"], "Ana Andromeda");
  EXPECT_EQ(ids[1]["identityType"], "emailAddress");
  EXPECT_EQ(ids[1]["hashed"], true);
  // Hashed trimmed and in lower case, with the salt the object carries.
  EXPECT_EQ(ids[1]["identityHash"], ExpectedHash("ana.andromeda@student.uclouvain.example"));
  EXPECT_EQ(ids[1]["salt"], testing::kSampleSalt);
  EXPECT_EQ(ids[2]["identityType"], "sisSourcedId");
  EXPECT_EQ(ids[2]["identityHash"], ExpectedHash(testing::kSampleLearnerId));

  EXPECT_EQ(At(elm_, "/credentialSubject/id"), "urn:microcred:learner:3f9c2a7d1b6e4c58");
  EXPECT_EQ(At(elm_, "/credentialSubject/type"), "Person");
  EXPECT_EQ(At(elm_, "/credentialSubject/fullName/en"), "Ana Andromeda");
  EXPECT_EQ(At(elm_, "/credentialSubject/givenName/en"), "Ana");
  EXPECT_EQ(At(elm_, "/credentialSubject/familyName/en"), "Andromeda");
  EXPECT_EQ(At(elm_, "/credentialSubject/identifier/0/notation"), ids[1]["identityHash"]);
  EXPECT_EQ(At(elm_, "/credentialSubject/identifier/0/identitySalt"), testing::kSampleSalt);
  EXPECT_EQ(At(elm_, "/credentialSubject/identifier/0/schemeId"),
            VocabularyIri("HashedEmailAddress"));
  EXPECT_EQ(At(elm_, "/credentialSubject/identifier/1/notation"), ids[2]["identityHash"]);
}

TEST_F(AnnexITest, LearnerWithOnlyAFamilyNameAndNoEmail) {
  CredentialFacts facts = SampleFacts();
  facts.issuance.mutable_learner()->clear_given_name();
  facts.issuance.mutable_learner()->clear_email();
  facts.issuance.mutable_learner()->clear_learner_id();
  Build(facts);
  EXPECT_EQ(At(ob_, "/credentialSubject/identifier").size(), 1u);
  EXPECT_EQ(At(ob_, "/credentialSubject/identifier/0/identityHash"), "Andromeda");
  EXPECT_FALSE(Has(elm_, "/credentialSubject/identifier"));
  EXPECT_FALSE(Has(elm_, "/credentialSubject/givenName"));
}

// Annex I 2.
TEST_F(AnnexITest, Title) {
  Build(SampleFacts());
  const std::string title = "Data literacy for public-sector professionals";
  EXPECT_EQ(At(ob_, "/name"), title);
  EXPECT_EQ(At(ob_, kAchievement + "/name"), title);
  EXPECT_EQ(At(elm_, kClaim + "/title/en"), title);
  EXPECT_EQ(At(elm_, kQualification + "/title/en"), title);
}

// Annex I 3: the issuer's country and region are the specification's.
TEST_F(AnnexITest, CountryAndRegionOfTheIssuer) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, "/issuer/address/addressCountryCode"), "BE");
  EXPECT_EQ(At(ob_, "/issuer/address/addressRegion"), "BE-WAL");
  EXPECT_EQ(At(elm_, "/issuer/location/0/address/countryCode/id"),
            "http://publications.europa.eu/resource/authority/country/BEL");
  EXPECT_EQ(At(elm_, "/issuer/location/0/geographicName/en"), "BE-WAL");
}

// Annex I 4: a joint award names every awarding body, the issuer first.
TEST_F(AnnexITest, AwardingBodiesOfAJointAward) {
  CredentialFacts facts = SampleFacts();
  facts.specification.mutable_content()->mutable_awarding_bodies()->SwapElements(0, 1);
  Build(facts);
  EXPECT_EQ(At(ob_, "/issuer/id"), "https://uclouvain.example/institutions/uclouvain");
  EXPECT_EQ(At(ob_, "/issuer/name"), "Université catholique de Louvain");
  const json& bodies = At(ob_, kObExt + "/awardingBodies");
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0]["id"], "https://uclouvain.example/institutions/uclouvain");
  EXPECT_EQ(bodies[1]["id"], "https://ulb.example/institutions/ulb");
  EXPECT_EQ(bodies[1]["name"], "Université libre de Bruxelles");
  EXPECT_EQ(bodies[1]["address"]["addressRegion"], "BE-BRU");

  const json& elm_bodies = At(elm_, kClaim + "/awardedBy/awardingBody");
  ASSERT_EQ(elm_bodies.size(), 2u);
  EXPECT_EQ(elm_bodies[0]["id"], "https://uclouvain.example/institutions/uclouvain");
  EXPECT_EQ(elm_bodies[1]["legalName"]["en"], "Université libre de Bruxelles");
  EXPECT_EQ(elm_bodies[1]["location"][0]["geographicName"]["en"], "BE-BRU");
  EXPECT_EQ(At(elm_, "/issuer/id"), "https://uclouvain.example/institutions/uclouvain");
}

TEST_F(AnnexITest, AwardingBodyIdentifiersAndProviderType) {
  Build(SampleFacts());
  const json& ids = At(ob_, "/issuer/otherIdentifier");
  EXPECT_EQ(ids[0]["identifier"], "uclouvain");
  EXPECT_EQ(ids[1]["identifier"], "DEQARINST0107");
  EXPECT_EQ(ids[1]["identifierType"], "ext:deqarInstitutionId");
  EXPECT_EQ(At(ob_, "/issuer/providerType"), "HigherEducationInstitution");
  EXPECT_EQ(At(elm_, "/issuer/identifier/1/notation"), "DEQARINST0107");
  EXPECT_EQ(At(elm_, "/issuer/dcType/0/id"), VocabularyIri("HigherEducationInstitution"));
}

// Annex I 5, and the instant the node issued it.
TEST_F(AnnexITest, DateOfIssuing) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, "/validFrom"), "2025-06-30T00:00:00Z");
  EXPECT_EQ(At(ob_, "/awardedDate"), "2025-06-30T00:00:00Z");
  EXPECT_EQ(At(elm_, "/validFrom"), "2025-06-30T00:00:00Z");
  EXPECT_EQ(At(elm_, kClaim + "/awardedBy/awardingDate"), "2025-06-30T00:00:00Z");
  EXPECT_EQ(At(elm_, "/issued"), "2025-06-30T10:15:00Z");
}

// Annex I 6: outcomes in the criteria, each ESCO skill as an alignment.
TEST_F(AnnexITest, LearningOutcomesWithEscoSkills) {
  Build(SampleFacts());
  const std::string first = "Interpret descriptive statistics and charts critically";
  const std::string second = "Assess the quality and provenance of a data set";
  const std::string skill = "http://data.europa.eu/esco/skill/0a2a6a86-4c6b-4e02-9b5c-5a3ee3f3a0b1";
  const std::string narrative = At(ob_, kAchievement + "/criteria/narrative");
  EXPECT_NE(narrative.find("1. " + first), std::string::npos);
  EXPECT_NE(narrative.find("2. " + second), std::string::npos);
  const json& alignments = At(ob_, kAchievement + "/alignment");
  const auto esco = std::find_if(alignments.begin(), alignments.end(),
                                 [](const json& a) { return a["targetFramework"] == "ESCO"; });
  ASSERT_NE(esco, alignments.end());
  EXPECT_EQ((*esco)["targetUrl"], skill);
  EXPECT_EQ((*esco)["targetName"], first);
  EXPECT_EQ((*esco)["targetCode"], "0a2a6a86-4c6b-4e02-9b5c-5a3ee3f3a0b1");

  EXPECT_EQ(At(elm_, kQualification + "/learningOutcome/0/title/en"), first);
  EXPECT_EQ(At(elm_, kQualification + "/learningOutcome/0/relatedESCOSkill/0/id"), skill);
  EXPECT_EQ(At(elm_, kQualification + "/learningOutcome/1/title/en"), second);
  EXPECT_FALSE(Has(elm_, kQualification + "/learningOutcome/1/relatedESCOSkill"));
}

// Annex I 7, in ECTS: the unit is in the term's name, and the learner earns the credits.
TEST_F(AnnexITest, WorkloadInEcts) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, kObExt + "/ectsCredits"), 3.0);
  EXPECT_FALSE(Has(ob_, kObExt + "/workloadHours"));
  EXPECT_EQ(At(ob_, kObExt + "/creditBearing"), true);
  EXPECT_EQ(At(ob_, kAchievement + "/creditsAvailable"), 3.0);
  EXPECT_EQ(At(ob_, "/credentialSubject/creditsEarned"), 3.0);

  EXPECT_EQ(At(elm_, kQualification + "/creditPoint/0/point"), "3");
  EXPECT_EQ(At(elm_, kQualification + "/creditPoint/0/framework/id"),
            "http://data.europa.eu/snb/education-credit/6fcec5c5af");
  EXPECT_EQ(At(elm_, kClaim + "/creditReceived/0/point"), "3");
  EXPECT_FALSE(Has(elm_, kQualification + "/volumeOfLearning"));
}

TEST_F(AnnexITest, WorkloadInEctsThatIsNotCreditBearing) {
  CredentialFacts facts = SampleFacts();
  facts.specification.mutable_content()->mutable_workload()->set_ects(2.5);
  facts.specification.mutable_content()->set_credit_bearing(false);
  Build(facts);
  EXPECT_EQ(At(ob_, kObExt + "/ectsCredits"), 2.5);
  EXPECT_EQ(At(ob_, kObExt + "/creditBearing"), false);
  EXPECT_FALSE(Has(ob_, kAchievement + "/creditsAvailable"));
  EXPECT_FALSE(Has(ob_, "/credentialSubject/creditsEarned"));
  EXPECT_EQ(At(elm_, kQualification + "/creditPoint/0/point"), "2.5");
  EXPECT_FALSE(Has(elm_, kClaim + "/creditReceived"));
}

// Annex I 7, in hours: no credits anywhere, a volume of learning in ELM.
TEST_F(AnnexITest, WorkloadInHours) {
  Build(SampleFactsInHours());
  EXPECT_EQ(At(ob_, kObExt + "/workloadHours"), 60.0);
  EXPECT_FALSE(Has(ob_, kObExt + "/ectsCredits"));
  EXPECT_FALSE(Has(ob_, kAchievement + "/creditsAvailable"));
  EXPECT_FALSE(Has(ob_, "/credentialSubject/creditsEarned"));
  EXPECT_EQ(At(elm_, kQualification + "/volumeOfLearning"), "PT60H");
  EXPECT_FALSE(Has(elm_, kQualification + "/creditPoint"));
  EXPECT_FALSE(Has(elm_, kClaim + "/creditReceived"));
}

TEST_F(AnnexITest, FractionalHoursAreAWholeDuration) {
  CredentialFacts facts = SampleFactsInHours();
  facts.specification.mutable_content()->mutable_workload()->set_hours(7.5);
  Build(facts);
  EXPECT_EQ(At(ob_, kObExt + "/workloadHours"), 7.5);
  EXPECT_EQ(At(elm_, kQualification + "/volumeOfLearning"), "PT7H30M");
}

// Annex I 8.
TEST_F(AnnexITest, EqfLevelAndQfEheaCycle) {
  Build(SampleFacts());
  const json& eqf = At(ob_, kAchievement + "/alignment/0");
  EXPECT_EQ(eqf["targetUrl"], "http://data.europa.eu/snb/eqf/6");
  EXPECT_EQ(eqf["targetFramework"], "European Qualifications Framework");
  EXPECT_EQ(eqf["targetCode"], "6");
  EXPECT_EQ(At(ob_, kObExt + "/qfEheaCycle"), "FirstCycle");
  EXPECT_EQ(At(elm_, kQualification + "/eqfLevel/id"), "http://data.europa.eu/snb/eqf/6");
  EXPECT_EQ(At(elm_, kQualification + "/eqfLevel/inScheme/id"),
            "http://data.europa.eu/snb/eqf/25831c2");
  EXPECT_EQ(At(elm_, kElmExt + "/qfEheaCycle"), "FirstCycle");
}

TEST_F(AnnexITest, NoQfEheaCycleWhenNotApplicable) {
  Build(SampleFactsInHours());
  EXPECT_EQ(At(ob_, kAchievement + "/alignment/0/targetUrl"), "http://data.europa.eu/snb/eqf/4");
  EXPECT_FALSE(Has(ob_, kObExt + "/qfEheaCycle"));
  EXPECT_FALSE(Has(elm_, kElmExt + "/qfEheaCycle"));
}

// Annex I 9.
TEST_F(AnnexITest, TypeOfAssessment) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, kObExt + "/assessmentType"), "ProjectAssessment");
  EXPECT_EQ(At(ob_, kObExt + "/assessmentDescription"),
            "A data audit of a public dataset, marked on a rubric.");
  const std::string narrative = At(ob_, kAchievement + "/criteria/narrative");
  EXPECT_NE(narrative.find("Assessment: Project."), std::string::npos);
  const std::string spec = kQualification + "/provenBy/0";
  EXPECT_EQ(At(elm_, spec + "/type"), "LearningAssessmentSpecification");
  EXPECT_EQ(At(elm_, spec + "/dcType/id"), VocabularyIri("ProjectAssessment"));
  EXPECT_EQ(At(elm_, spec + "/dcType/prefLabel/en"), "Project");
  EXPECT_EQ(At(elm_, spec + "/description/en"),
            "A data audit of a public dataset, marked on a rubric.");
  EXPECT_EQ(At(elm_, kAssessment + "/specifiedBy/id"), At(elm_, spec + "/id"));
}

// Annex I 10.
TEST_F(AnnexITest, FormOfParticipation) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, kObExt + "/formOfParticipation"), "BlendedParticipation");
  EXPECT_EQ(At(elm_, kQualification + "/mode/0/id"),
            "http://data.europa.eu/snb/learning-assessment/e92d221e4d");
  Build(SampleFactsInHours());
  EXPECT_EQ(At(ob_, kObExt + "/formOfParticipation"), "OnsiteParticipation");
  EXPECT_EQ(At(elm_, kQualification + "/mode/0/id"),
            "http://data.europa.eu/snb/learning-assessment/9191af2ed9");
}

// Annex I 11.
TEST_F(AnnexITest, QualityAssuranceWithBodyAndDeqar) {
  Build(SampleFacts());
  for (const json* doc : {&At(ob_, kObExt), &At(elm_, kElmExt)}) {
    const json& qa = (*doc)["qualityAssurance"];
    EXPECT_EQ(qa["type"], "QualityAssurance");
    EXPECT_EQ(qa["qaType"], "ExternalQualityAssurance");
    EXPECT_EQ(qa["qaBody"], "AEQES");
    EXPECT_EQ(qa["deqarReference"], "DEQARINST0107");
    EXPECT_EQ(qa["qaDescription"], "AEQES institutional review, 2023.");
  }
  Build(SampleFactsInHours());
  EXPECT_EQ(At(ob_, kObExt + "/qualityAssurance/qaType"), "InternalQualityAssurance");
  EXPECT_FALSE(Has(ob_, kObExt + "/qualityAssurance/qaBody"));
}

// Optional: prerequisites.
TEST_F(AnnexITest, Prerequisites) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, kObExt + "/prerequisites"), "Basic spreadsheet skills.");
  EXPECT_EQ(At(elm_, kQualification + "/entryRequirement/noteLiteral/en"),
            "Basic spreadsheet skills.");
  Build(SampleFactsInHours());
  EXPECT_FALSE(Has(ob_, kObExt + "/prerequisites"));
  EXPECT_FALSE(Has(elm_, kQualification + "/entryRequirement"));
}

// Optional: supervision and identity verification, as specified and as applied.
TEST_F(AnnexITest, SupervisionSpecifiedAndApplied) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, kObExt + "/supervision"), "SupervisedOnsiteWithIdVerification");
  EXPECT_EQ(At(ob_, kObAward + "/supervisionApplied"), "SupervisedOnsiteWithIdVerification");
  EXPECT_EQ(At(elm_, kElmExt + "/supervision"), "SupervisedOnsiteWithIdVerification");
  EXPECT_EQ(At(elm_, kAssessment + "/idVerification/id"),
            VocabularyIri("SupervisedOnsiteWithIdVerification"));
}

TEST_F(AnnexITest, UnsupervisedAssessmentUsesTheEuropassConcept) {
  CredentialFacts facts = SampleFacts();
  facts.issuance.set_supervision_applied(common::v1::SUPERVISION_UNSUPERVISED_NO_ID_CHECK);
  Build(facts);
  EXPECT_EQ(At(ob_, kObAward + "/supervisionApplied"), "UnsupervisedWithoutIdVerification");
  EXPECT_EQ(At(elm_, kAssessment + "/idVerification/id"),
            "http://data.europa.eu/snb/supervision-verification/c598449d64");
}

TEST_F(AnnexITest, NoSupervisionAppliedWhenNotStated) {
  Build(SampleFactsInHours());
  EXPECT_FALSE(Has(ob_, kObAward + "/supervisionApplied"));
  EXPECT_FALSE(Has(elm_, kAssessment + "/idVerification"));
}

// Optional: grade.
TEST_F(AnnexITest, Grade) {
  Build(SampleFacts());
  const json& result = At(ob_, "/credentialSubject/result/0");
  EXPECT_EQ(result["value"], "16/20");
  const json& description = At(ob_, kAchievement + "/resultDescription/0");
  EXPECT_EQ(result["resultDescription"], description["id"]);
  EXPECT_EQ(description["name"], "Belgian 0-20 scale");
  EXPECT_EQ(description["resultType"], "Result");
  EXPECT_EQ(At(elm_, kAssessment + "/grade/noteLiteral/en"), "16/20");
  EXPECT_EQ(At(elm_, kQualification + "/provenBy/0/gradingScheme/title/en"), "Belgian 0-20 scale");
}

// EDC requires a grade of every LearningAssessment, so an award without a grade has none.
TEST_F(AnnexITest, NoGrade) {
  Build(SampleFactsInHours());
  EXPECT_FALSE(Has(ob_, "/credentialSubject/result"));
  EXPECT_FALSE(Has(ob_, kAchievement + "/resultDescription"));
  EXPECT_FALSE(Has(elm_, kClaim + "/provenBy"));
  EXPECT_FALSE(Has(elm_, kQualification + "/provenBy/0/gradingScheme"));
  // The assessment specified (Annex I 9) stays.
  EXPECT_EQ(At(elm_, kQualification + "/provenBy/0/type"), "LearningAssessmentSpecification");
}

// Without a grade, the supervision applied has no LearningAssessment to sit in: the extension
// carries it, as the Open Badges document does.
TEST_F(AnnexITest, SupervisionWithoutGradeGoesToTheExtension) {
  CredentialFacts facts = SampleFacts();
  facts.issuance.clear_grade();
  Build(facts);
  EXPECT_FALSE(Has(elm_, kClaim + "/provenBy"));
  EXPECT_EQ(At(elm_, kClaim + "/microCredentialAward/supervisionApplied"),
            "SupervisedOnsiteWithIdVerification");
}

// Optional: integration / stackability.
TEST_F(AnnexITest, Stackability) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, kObExt + "/stackability"), "StackableTowardsCredential");
  EXPECT_EQ(At(elm_, kElmExt + "/stackability"), "StackableTowardsCredential");
  CredentialFacts facts = SampleFacts();
  facts.specification.mutable_content()->clear_stackability();
  Build(facts);
  EXPECT_FALSE(Has(ob_, kObExt + "/stackability"));
  EXPECT_FALSE(Has(elm_, kElmExt + "/stackability"));
}

// Optional: further information.
TEST_F(AnnexITest, FurtherInformation) {
  Build(SampleFacts());
  const std::string text = "Stackable towards the alliance's certificate in data practice.";
  EXPECT_EQ(At(ob_, kObExt + "/furtherInformation"), text);
  EXPECT_EQ(At(elm_, kQualification + "/additionalNote/0/noteLiteral/en"), text);
}

// Issuance: course or validation of prior learning.
TEST_F(AnnexITest, ModeOfAcquisition) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, kObAward + "/modeOfAcquisition"), "CompletedLearningActivity");
  EXPECT_EQ(At(elm_, kClaim + "/microCredentialAward/modeOfAcquisition"),
            "CompletedLearningActivity");
  Build(SampleFactsInHours());
  EXPECT_EQ(At(ob_, kObAward + "/modeOfAcquisition"), "ValidationOfPriorLearning");
  EXPECT_EQ(At(elm_, kClaim + "/microCredentialAward/modeOfAcquisition"),
            "ValidationOfPriorLearning");
}

// Issuance: place of issuing (Annex II principle 9).
TEST_F(AnnexITest, PlaceOfIssuing) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, kObAward + "/placeOfIssuing"), "Louvain-la-Neuve, Belgium");
  // Text, in the extension: an ELM Location needs an address with a country (EDC profile).
  EXPECT_EQ(At(elm_, kClaim + "/microCredentialAward/placeOfIssuing"), "Louvain-la-Neuve, Belgium");
  EXPECT_FALSE(Has(elm_, kClaim + "/awardedBy/location"));
}

// The specification version the credential was issued against, frozen.
TEST_F(AnnexITest, SpecificationIdAndVersion) {
  Build(SampleFacts());
  const std::string uri = "urn:microcred:specification:uclouvain/data-literacy/v2";
  EXPECT_EQ(At(ob_, kAchievement + "/id"), uri);
  EXPECT_EQ(At(ob_, kAchievement + "/version"), "2");
  EXPECT_EQ(At(ob_, kObExt + "/specificationId"), "uclouvain/data-literacy");
  EXPECT_EQ(At(ob_, kObExt + "/specificationVersion"), 2);
  EXPECT_EQ(At(elm_, kQualification + "/id"), uri);
  EXPECT_EQ(At(elm_, kQualification + "/identifier/0/notation"), "uclouvain/data-literacy");
  EXPECT_EQ(At(elm_, kElmExt + "/specificationVersion"), 2);
}

// Beyond Annex I: languages and field of education.
TEST_F(AnnexITest, LanguagesAndIscedField) {
  Build(SampleFacts());
  EXPECT_EQ(At(ob_, kAchievement + "/inLanguage"), "en");
  EXPECT_EQ(At(ob_, kObExt + "/instructionLanguage"), json::array({"fr", "en"}));
  EXPECT_EQ(At(ob_, kAchievement + "/fieldOfStudy"), "ISCED-F 0688");
  EXPECT_EQ(At(ob_, kAchievement + "/alignment").back()["targetUrl"],
            "http://data.europa.eu/snb/isced-f/0688");
  EXPECT_EQ(At(elm_, kQualification + "/language/0/id"),
            "http://publications.europa.eu/resource/authority/language/FRA");
  EXPECT_EQ(At(elm_, kQualification + "/language/1/id"),
            "http://publications.europa.eu/resource/authority/language/ENG");
  EXPECT_EQ(At(elm_, kQualification + "/thematicArea/0/id"),
            "http://data.europa.eu/snb/isced-f/0688");
}

// Texts are tagged with the language they are written in, by default the first language.
TEST_F(AnnexITest, TextLanguageDefaultsToTheFirstLanguage) {
  CredentialFacts facts = SampleFacts();
  facts.text_language.clear();
  Build(facts);
  EXPECT_EQ(At(ob_, kAchievement + "/inLanguage"), "fr");
  EXPECT_EQ(At(elm_, kQualification + "/title/fr"), At(ob_, "/name"));
  EXPECT_EQ(At(elm_, "/credentialSubject/fullName/fr"), "Ana Andromeda");
}

// The Open Badges document: one Bitstring Status List entry, purpose "message", whose 2-bit code
// says active, revoked or suspended.
TEST_F(AnnexITest, OpenBadgeHasOneMessageStatusEntry) {
  Build(SampleFacts());
  const std::string list = "https://uclouvain.example/institutions/uclouvain/status/message";
  const json& status = At(ob_, "/credentialStatus");
  ASSERT_TRUE(status.is_object()) << status;
  EXPECT_EQ(status["type"], "BitstringStatusListEntry");
  EXPECT_EQ(status["statusPurpose"], "message");
  EXPECT_EQ(status["statusListIndex"], "4217");
  EXPECT_EQ(status["statusSize"], 2);
  EXPECT_EQ(status["statusListCredential"], list);
  EXPECT_EQ(status["id"], list + "#4217");
  EXPECT_EQ(status["statusReference"], "https://uclouvain.example/institutions/uclouvain/status");
  EXPECT_EQ(status["statusMessage"], json::parse(R"([
    {"status": "0x0", "message": "active"},
    {"status": "0x1", "message": "revoked"},
    {"status": "0x2", "message": "suspended"},
    {"status": "0x3", "message": "undefined"}
  ])"));
  Build(SampleFactsInHours());
  EXPECT_EQ(At(ob_, "/credentialStatus/statusListIndex"), "17");
}

// The ELM document: a revocation and a suspension entry at the same index, revocation first.
// EDC takes one credentialStatus, an xsd:anyURI literal: the message entry's id, which is also
// the id of the Open Badges document's entry.
TEST_F(AnnexITest, ElmStatusIsTheMessageEntryAsOneUri) {
  Build(SampleFacts());
  const std::string base = "https://uclouvain.example/institutions/uclouvain/status";
  EXPECT_EQ(At(elm_, "/credentialStatus"),
            json::parse(R"({"@value": ")" + base +
                        R"(/message#4217", "@type": "http://www.w3.org/2001/XMLSchema#anyURI"})"));
  EXPECT_EQ(At(elm_, "/credentialStatus/@value"), At(ob_, "/credentialStatus/id"));
  Build(SampleFactsInHours());
  EXPECT_EQ(At(elm_, "/credentialStatus/@value"),
            "https://forem.example/institutions/forem/status/message#17");
}

TEST_F(AnnexITest, ValidUntilIncludesItsLastDay) {
  Build(SampleFactsInHours());
  EXPECT_EQ(At(ob_, "/validUntil"), "2028-06-30T23:59:59Z");
  EXPECT_EQ(At(elm_, "/validUntil"), "2028-06-30T23:59:59Z");
  Build(SampleFacts());
  EXPECT_FALSE(Has(ob_, "/validUntil"));
  EXPECT_FALSE(Has(elm_, "/validUntil"));
}

}  // namespace
}  // namespace microcred::credentials
