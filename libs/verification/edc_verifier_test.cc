#include "libs/verification/edc_verifier.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "libs/jades/jades.h"
#include "libs/jades/testing/test_ca.h"

namespace microcred::verification {
namespace {

using Json = nlohmann::json;

const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 12, 1), absl::UTCTimeZone());
const absl::Time kCaStart = absl::FromCivil(absl::CivilSecond(2020, 1, 1), absl::UTCTimeZone());
const absl::Time kCaEnd = absl::FromCivil(absl::CivilSecond(2040, 1, 1), absl::UTCTimeZone());
const absl::Time kSealedAt = absl::FromCivil(absl::CivilSecond(2026, 6, 1), absl::UTCTimeZone());

template <typename Text>
bool Contains(const Text& text, std::string_view part) {
  return std::string(text).find(part) != std::string::npos;
}

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(MC_EUROPASS_DIR) + "/" + name, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

const issuance::v1::VerificationCheck& Check(const issuance::v1::VerificationReport& report,
                                             std::string_view name) {
  for (const auto& check : report.checks()) {
    if (check.name() == name) return check;
  }
  static const issuance::v1::VerificationCheck kMissing;
  return kMissing;
}

std::string Describe(const issuance::v1::VerificationReport& report) {
  std::string text;
  for (const auto& check : report.checks()) {
    text += check.name() + (check.passed() ? " ok: " : " FAILED: ") + check.detail() + "\n";
  }
  return text;
}

std::vector<std::string> Names(const issuance::v1::VerificationReport& report) {
  std::vector<std::string> names;
  for (const auto& check : report.checks()) names.push_back(check.name());
  return names;
}

const std::vector<std::string> kCheckNames = {"format",    "seal",   "certificate", "issuer",
                                              "signature", "status", "validity"};

// ---- The Commission's sample (tests/europass) ----

class CommissionSampleTest : public ::testing::Test {
 protected:
  CommissionSampleTest()
      : sample_(ReadData("samples/Sample-MC-Annex1-signed.jsonld")),
        verifier_(*jades::TrustAnchors::FromText(ReadData("trust/anf-trusted-list.xml"))) {}
  std::string sample_;
  EdcVerifier verifier_;
};

TEST_F(CommissionSampleTest, IsRecognisedAndVerifies) {
  ASSERT_FALSE(sample_.empty());
  EXPECT_TRUE(verifier_.Recognises(sample_));
  VerifiedCredential verified = verifier_.Verify(sample_, kNow);
  const issuance::v1::VerificationReport& report = verified.report;
  EXPECT_TRUE(report.valid()) << Describe(report);
  EXPECT_EQ(Names(report), kCheckNames);
  EXPECT_EQ(report.format(), issuance::v1::CREDENTIAL_FORMAT_EDC_JADES);
  EXPECT_EQ(report.credential_id(), "urn:credential:1018d05f-21d5-4555-b7f0-8fabfd22ca75");
  EXPECT_EQ(report.issuer(), "urn:epass:org:1f0de2587-9348-4fa9-b4d7-a77e34a9ac8a");
  EXPECT_EQ(report.issuer_name(), "");  // not an ecosystem member: no verified name
  EXPECT_EQ(report.credential_issuer_name(), "ORGANIZACION TEST");
  EXPECT_EQ(report.signature_algorithm(), issuance::v1::SIGNATURE_ALGORITHM_RS256);
  EXPECT_EQ(Json::parse(report.credential_json())["id"], report.credential_id());
  const issuance::v1::TrustBasis& basis = report.trust_basis();
  EXPECT_EQ(basis.kind(), issuance::v1::TRUST_KIND_TRUSTED_LIST_SEAL);
  EXPECT_EQ(basis.statement(),
            "e-seal of TEST SEAL (ORGANIZACION TEST) under trust anchor ANF AC Qualified "
            "Certificates for eSeal");
  EXPECT_FALSE(basis.ecosystem_member());
  EXPECT_EQ(basis.trust_anchor(), "ANF AC Qualified Certificates for eSeal");
  EXPECT_EQ(basis.seal_subject(), "TEST SEAL (ORGANIZACION TEST)");
  EXPECT_EQ(basis.issuer_id(), report.issuer());
  // Its issuer's eIDAS identifier is the seal certificate's organizationIdentifier.
  EXPECT_TRUE(Contains(Check(report, "issuer").detail(), "VATES-A00000000 is the seal"));
  // What is not checked is said: revocation, the archival timestamps.
  EXPECT_TRUE(Contains(Check(report, "certificate").detail(), "revocation not checked"));
  EXPECT_TRUE(Contains(Check(report, "seal").detail(), "adoTst"));
  EXPECT_TRUE(Contains(Check(report, "seal").detail(), "etsiU"));
  EXPECT_EQ(Check(report, "status").detail(), "the credential names no status list");
}

TEST_F(CommissionSampleTest, ItsAnnexIFactsAreRead) {
  const recognition::v1::CredentialFacts facts = verifier_.Verify(sample_, kNow).facts;
  EXPECT_EQ(facts.title(), "Digital micro-credential creation");
  EXPECT_EQ(facts.issuer(), "urn:epass:org:1f0de2587-9348-4fa9-b4d7-a77e34a9ac8a");
  EXPECT_EQ(facts.issuer_name(), "ORGANIZACION TEST");
  ASSERT_EQ(facts.awarding_bodies_size(), 1);
  EXPECT_EQ(facts.awarding_bodies(0), "University of Zed");
  EXPECT_EQ(facts.country(), "IE");
  EXPECT_EQ(facts.issued_on().year(), 2023);  // issuanceDate: the sample has no awardingDate
  EXPECT_EQ(facts.issued_on().month(), 9);
  EXPECT_EQ(facts.issued_on().day(), 27);
  ASSERT_EQ(facts.learning_outcomes_size(), 2);
  EXPECT_EQ(facts.learning_outcomes(0), "Communication, collaboration and creativity");
  EXPECT_EQ(facts.learning_outcomes(1), "Developing digital content");
  EXPECT_EQ(facts.ects(), 2);  // creditPoint under ECTS wins over volumeOfLearning
  EXPECT_EQ(facts.hours(), 0);
  EXPECT_EQ(facts.eqf_level(), 6);
  EXPECT_EQ(facts.assessment(), "Digital artefact assessment");
  EXPECT_EQ(facts.grade().value(), "Pass");
  EXPECT_EQ(facts.form_of_participation(), "Blended");
  // The sample states no accreditation: quality assurance is the one element it lacks.
  EXPECT_EQ(
      std::vector<std::string>(facts.missing_elements().begin(), facts.missing_elements().end()),
      std::vector<std::string>{"quality_assurance"});
}

TEST_F(CommissionSampleTest, OneByteChangedIsRefused) {
  std::string changed = sample_;
  changed[changed.find("Digital micro-credential creation")] = 'd';
  const issuance::v1::VerificationReport report = verifier_.Verify(changed, kNow).report;
  EXPECT_FALSE(report.valid());
  EXPECT_FALSE(Check(report, "signature").passed()) << Describe(report);
}

TEST_F(CommissionSampleTest, IsRefusedWithoutItsAnchor) {
  jades::TestCa other = *jades::TestCa::Create("Other CA", kCaStart, kCaEnd);
  EdcVerifier verifier(*jades::TrustAnchors::FromPem(other.certificate_pem()));
  const issuance::v1::VerificationReport report = verifier.Verify(sample_, kNow).report;
  EXPECT_FALSE(report.valid());
  EXPECT_FALSE(Check(report, "certificate").passed()) << Describe(report);
  EXPECT_EQ(Check(report, "issuer").detail(), "not checked: certificate failed");
  EXPECT_FALSE(report.has_trust_basis());
}

// ---- EDCs sealed here ----

class SealedEdcTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ca_ = new jades::TestCa(*jades::TestCa::Create("Test Seal CA", kCaStart, kCaEnd));
    jades::TestSealSpec spec;
    spec.common_name = "Seal of Test University";
    spec.organization = "Test University";
    spec.organization_identifier = "VATBE-0123456789";
    spec.not_before = kCaStart;
    spec.not_after = kCaEnd;
    seal_ = new jades::TestSeal(*ca_->IssueSeal(spec));
  }
  static void TearDownTestSuite() {
    delete ca_;
    delete seal_;
  }

  static Json Credential() {
    return Json::parse(R"({
      "@context": ["https://www.w3.org/2018/credentials/v1",
                   "http://data.europa.eu/snb/model/context/edc-ap"],
      "id": "urn:credential:test-1",
      "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
      "issuer": {"id": "https://uni.example/institution", "type": "Organisation",
                 "legalName": {"en": "Test University"},
                 "eIDASIdentifier": {"type": "LegalIdentifier", "notation": "VATBE-0123456789"}},
      "validFrom": "2026-01-01T00:00:00Z",
      "issuanceDate": "2026-01-02T00:00:00Z",
      "credentialSubject": {
        "id": "did:key:z6Mkexample",
        "type": "Person",
        "hasClaim": {
          "type": "LearningAchievement",
          "title": {"fr": "Analyse de données", "en": "Data analysis"},
          "awardedBy": {"type": "AwardingProcess", "awardingDate": "2025-12-20T00:00:00Z",
            "awardingBody": [
              {"id": "urn:org:1", "type": "Organisation", "legalName": {"en": "Test University"},
               "location": {"address": {"countryCode": {
                 "id": "http://publications.europa.eu/resource/authority/country/BEL"}}}},
              {"id": "urn:org:2", "type": "Organisation"}]},
          "specifiedBy": {
            "type": "Qualification",
            "learningOutcome": [{"title": {"en": "Clean a data set"}}],
            "volumeOfLearning": "PT37H30M",
            "eqfLevel": {"id": "http://data.europa.eu/snb/eqf/5"},
            "mode": [{"id": "http://data.europa.eu/snb/learning-assessment/920fbb3cbe",
                      "prefLabel": {"en": "Online"}}],
            "provenBy": [{"type": "LearningAssessmentSpecification",
                          "dcType": {"prefLabel": {"en": "written exam"}},
                          "description": {"en": "a two-hour paper"}}],
            "accreditation": [{"type": "Accreditation",
                               "accreditingAgent": {"legalName": {"en": "Quality Agency"}}}]
          }
        }
      }
    })");
  }

  static std::string SealOf(const Json& credential) {
    return *jades::Seal(credential.dump(), *seal_->signer, seal_->chain_pem, kSealedAt);
  }

  static issuance::v1::VerificationReport VerifyReport(const std::string& sealed,
                                                       EdcStatusCheck status = nullptr) {
    EdcVerifier verifier(*jades::TrustAnchors::FromPem(ca_->certificate_pem()), std::move(status));
    return verifier.Verify(sealed, kNow).report;
  }

  static jades::TestCa* ca_;
  static jades::TestSeal* seal_;
};
jades::TestCa* SealedEdcTest::ca_;
jades::TestSeal* SealedEdcTest::seal_;

TEST_F(SealedEdcTest, AnEdcSealedHereVerifiesWithItsFacts) {
  EdcVerifier verifier(*jades::TrustAnchors::FromPem(ca_->certificate_pem()));
  VerifiedCredential verified = verifier.Verify(SealOf(Credential()), kNow);
  EXPECT_TRUE(verified.report.valid()) << Describe(verified.report);
  EXPECT_EQ(verified.report.trust_basis().statement(),
            "e-seal of Seal of Test University (Test University) under trust anchor Test Seal CA");
  EXPECT_EQ(verified.report.signature_algorithm(), issuance::v1::SIGNATURE_ALGORITHM_ES256);
  const recognition::v1::CredentialFacts& facts = verified.facts;
  EXPECT_EQ(facts.title(), "Data analysis");
  EXPECT_EQ(facts.country(), "BE");
  EXPECT_EQ(
      std::vector<std::string>(facts.awarding_bodies().begin(), facts.awarding_bodies().end()),
      (std::vector<std::string>{"Test University", "urn:org:2"}));
  EXPECT_EQ(facts.issued_on().day(), 20);  // the awarding date, not the issuance date
  EXPECT_EQ(facts.hours(), 37.5);
  EXPECT_EQ(facts.ects(), 0);
  EXPECT_EQ(facts.eqf_level(), 5);
  EXPECT_EQ(facts.form_of_participation(), "Online");
  EXPECT_EQ(facts.assessment(), "written exam: a two-hour paper");
  EXPECT_EQ(facts.qa_body(), "Quality Agency");
  EXPECT_TRUE(facts.missing_elements().empty()) << facts.DebugString();
}

TEST_F(SealedEdcTest, AnEmptyClaimListsEveryElementMissing) {
  Json credential = Credential();
  credential["credentialSubject"] = {{"type", "Person"}};
  const recognition::v1::CredentialFacts facts = ReadElmFacts(credential);
  EXPECT_EQ(
      std::vector<std::string>(facts.missing_elements().begin(), facts.missing_elements().end()),
      (std::vector<std::string>{"learner", "title", "country", "learning_outcomes", "workload",
                                "level", "assessment", "form_of_participation",
                                "quality_assurance"}));
  // The issuer's legal name stands as the awarding body; issuanceDate as the date.
  EXPECT_EQ(facts.issuer_name(), "Test University");
  EXPECT_EQ(facts.issued_on().day(), 2);
}

TEST_F(SealedEdcTest, OutsideItsValidityPeriodIsRefused) {
  Json later = Credential();
  later["validFrom"] = "2027-01-01T00:00:00Z";
  issuance::v1::VerificationReport report = VerifyReport(SealOf(later));
  EXPECT_FALSE(report.valid());
  EXPECT_EQ(Check(report, "validity").detail(), "not yet valid: validFrom 2027-01-01T00:00:00Z");

  Json expired = Credential();
  expired["expirationDate"] = "2026-11-30T00:00:00Z";
  report = VerifyReport(SealOf(expired));
  EXPECT_FALSE(report.valid());
  EXPECT_EQ(Check(report, "validity").detail(), "expired: expirationDate 2026-11-30T00:00:00Z");
}

TEST_F(SealedEdcTest, AnIssuerTheSealDoesNotBelongToIsRefused) {
  Json other = Credential();
  other["issuer"]["eIDASIdentifier"]["notation"] = "VATFR-99999999999";
  issuance::v1::VerificationReport report = VerifyReport(SealOf(other));
  EXPECT_FALSE(report.valid());
  EXPECT_EQ(Check(report, "issuer").detail(),
            "the credential's issuer.eIDASIdentifier VATFR-99999999999 is not the seal "
            "certificate's organizationIdentifier VATBE-0123456789");
  EXPECT_FALSE(report.has_trust_basis());

  Json anonymous = Credential();
  anonymous.erase("issuer");
  report = VerifyReport(SealOf(anonymous));
  EXPECT_EQ(Check(report, "issuer").detail(), "the credential names no issuer id (issuer.id)");
}

TEST_F(SealedEdcTest, APayloadThatIsNotAnElmCredentialFailsTheFormat) {
  issuance::v1::VerificationReport report = VerifyReport(SealOf(Json{{"hello", "world"}}));
  EXPECT_EQ(Check(report, "format").detail(),
            "payload: not typed VerifiableCredential or EuropeanDigitalCredential");
  EXPECT_EQ(Names(report), kCheckNames);
  EXPECT_EQ(Check(report, "validity").detail(), "not checked: format failed");
  EXPECT_TRUE(report.credential_json().empty());

  report = VerifyReport(R"({"payload": "x", "signatures": []})");
  EXPECT_TRUE(Contains(Check(report, "format").detail(), "0 signatures"));
}

TEST_F(SealedEdcTest, ACredentialStatusGoesToTheNodesCheckOrIsSaidNotChecked) {
  Json with_status = Credential();
  with_status["credentialStatus"] = {{"@value", "https://uni.example/status/3#42"},
                                     {"@type", "http://www.w3.org/2001/XMLSchema#anyURI"}};
  const std::string sealed = SealOf(with_status);
  issuance::v1::VerificationReport report = VerifyReport(sealed);
  EXPECT_TRUE(report.valid());
  EXPECT_TRUE(Contains(Check(report, "status").detail(), "not checked"));
  EXPECT_EQ(report.status(), issuance::v1::CREDENTIAL_STATUS_UNSPECIFIED);

  std::string seen_issuer;
  report =
      VerifyReport(sealed, [&](const Json& credential, const std::string& issuer_id, absl::Time) {
        seen_issuer = issuer_id;
        EXPECT_TRUE(credential.contains("credentialStatus"));
        return EdcStatus{issuance::v1::CREDENTIAL_STATUS_REVOKED, false, "revoked"};
      });
  EXPECT_FALSE(report.valid());
  EXPECT_EQ(seen_issuer, "https://uni.example/institution");
  EXPECT_EQ(Check(report, "status").detail(), "revoked");
  EXPECT_EQ(report.status(), issuance::v1::CREDENTIAL_STATUS_REVOKED);
}

TEST(EdcVerifierTest, RecognisesOnlyTheJwsJsonSerialisation) {
  EdcVerifier verifier{jades::TrustAnchors()};
  EXPECT_TRUE(verifier.Recognises(R"( {"payload": "{}", "signatures": []})"));
  EXPECT_FALSE(verifier.Recognises("eyJhbGciOiJFUzI1NiJ9.eyJ9.c2ln"));
  EXPECT_FALSE(verifier.Recognises(R"({"payload": "{}"})"));
  EXPECT_FALSE(verifier.Recognises(""));
}

}  // namespace
}  // namespace microcred::verification
