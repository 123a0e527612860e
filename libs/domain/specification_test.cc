#include "libs/domain/specification.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>

namespace microcred::domain {
namespace {

using catalogue::v1::SpecificationContent;

// A small ecosystem: two universities, a haute école that is suspended, a public employment
// service and a private training company.
std::optional<InstitutionFacts> Registry(const std::string& id) {
  static const std::map<std::string, InstitutionFacts> kMembers = {
      {"uclouvain", {"uclouvain", common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, false}},
      {"ulb", {"ulb", common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, false}},
      {"he-closed", {"he-closed", common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, true}},
      {"forem", {"forem", common::v1::PROVIDER_TYPE_PUBLIC_EMPLOYMENT_SERVICE, false}},
      {"acme-training", {"acme-training", common::v1::PROVIDER_TYPE_PRIVATE_PROVIDER, false}},
  };
  auto it = kMembers.find(id);
  if (it == kMembers.end()) return std::nullopt;
  return it->second;
}

SpecificationContext Context(std::string_view profile_name = "fwb",
                             std::string publisher = "uclouvain") {
  return SpecificationContext{.profile = *PolicyProfile::Named(profile_name),
                              .publishing_institution = std::move(publisher),
                              .lookup_institution = &Registry,
                              .today = absl::CivilDay(2025, 6, 1)};
}

// Every Annex I element filled in, as a joint award of two universities.
SpecificationContent ValidContent() {
  SpecificationContent c;
  c.set_title("Données ouvertes pour l'administration publique");
  c.add_awarding_bodies("uclouvain");
  c.add_awarding_bodies("ulb");
  c.set_country("BE");
  c.set_region("BE-WAL");
  auto* outcome = c.add_learning_outcomes();
  outcome->set_text("Publier un jeu de données au format DCAT-AP.");
  outcome->set_esco_skill_uri(
      "http://data.europa.eu/esco/skill/0d4e6b7f-4c3f-4a5e-9c57-0b3f5e2e9d8a");
  c.add_learning_outcomes()->set_text("Évaluer la qualité d'un jeu de données ouvert.");
  c.mutable_workload()->set_ects(3);
  c.set_eqf_level(6);
  c.set_qf_ehea_cycle(common::v1::QF_EHEA_CYCLE_FIRST);
  c.set_assessment_type(common::v1::ASSESSMENT_TYPE_PROJECT);
  c.set_assessment_description("Un projet de publication évalué sur grille critériée.");
  c.set_form_of_participation(common::v1::FORM_OF_PARTICIPATION_BLENDED);
  c.mutable_quality_assurance()->set_type(common::v1::QUALITY_ASSURANCE_TYPE_EXTERNAL);
  c.mutable_quality_assurance()->set_qa_body("AEQES");
  c.mutable_quality_assurance()->set_deqar_reference("DEQARINST0107");
  c.set_prerequisites("Aucun.");
  c.set_supervision(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  c.set_stackability(common::v1::STACKABILITY_STACKABLE);
  c.set_further_information("Organisé avec l'alliance.");
  c.add_languages("fr");
  c.add_languages("en");
  c.set_isced_f_code("0613");
  c.set_credit_bearing(true);
  c.mutable_review_by()->set_year(2027);
  c.mutable_review_by()->set_month(9);
  c.mutable_review_by()->set_day(1);
  c.set_description("Un module court pour les agents publics.");
  return c;
}

void ExpectInvalid(const SpecificationContent& c, std::string_view message,
                   const SpecificationContext& ctx = Context()) {
  absl::Status s = ValidateSpecificationContent(c, ctx);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(std::string(s.message()), message);
}

void ExpectPrecondition(const SpecificationContent& c, std::string_view message,
                        const SpecificationContext& ctx = Context()) {
  absl::Status s = ValidateSpecificationContent(c, ctx);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_EQ(std::string(s.message()), message);
}

TEST(SpecificationTest, FullyValidSpecificationIsAccepted) {
  EXPECT_TRUE(ValidateSpecificationContent(ValidContent(), Context()).ok());
  EXPECT_TRUE(ValidateSpecificationContent(ValidContent(), Context("eu")).ok());
}

TEST(SpecificationTest, MinimalSpecificationIsAccepted) {
  SpecificationContent c;
  c.set_title("Python pour l'analyse");
  c.add_awarding_bodies("uclouvain");
  c.set_country("BE");
  c.add_learning_outcomes()->set_text("Écrire un script.");
  c.mutable_workload()->set_hours(12.5);
  c.set_eqf_level(4);
  c.set_assessment_type(common::v1::ASSESSMENT_TYPE_WRITTEN_EXAM);
  c.set_form_of_participation(common::v1::FORM_OF_PARTICIPATION_ONLINE);
  c.mutable_quality_assurance()->set_type(common::v1::QUALITY_ASSURANCE_TYPE_INTERNAL);
  c.add_languages("fr");
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
}

TEST(SpecificationTest, ReportsTheFirstViolationInFieldOrder) {
  SpecificationContent c = ValidContent();
  c.set_eqf_level(0);   // field 7
  c.clear_languages();  // field 17
  c.set_country("XX");  // field 3
  ExpectInvalid(c, "content.country: \"XX\" is not an assigned ISO 3166-1 alpha-2 code");
}

// ---- title ----

TEST(SpecificationTitleTest, IsRequired) {
  SpecificationContent c = ValidContent();
  c.set_title("   ");
  ExpectInvalid(c, "content.title: is required");
}

TEST(SpecificationTitleTest, MustNotHaveSurroundingWhiteSpace) {
  SpecificationContent c = ValidContent();
  c.set_title(" Données ouvertes");
  ExpectInvalid(c, "content.title: must not begin or end with white space");
}

TEST(SpecificationTitleTest, IsOneLine) {
  SpecificationContent c = ValidContent();
  c.set_title("Données\nouvertes");
  ExpectInvalid(c, "content.title: must not contain control characters or line breaks");
}

TEST(SpecificationTitleTest, AtMost255CodePoints) {
  SpecificationContent c = ValidContent();
  std::string title;
  for (int i = 0; i < 255; ++i) title += "é";  // 510 bytes, 255 characters
  c.set_title(title);
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
  c.set_title(title + "é");
  ExpectInvalid(c, "content.title: must be at most 255 characters (has 256)");
}

TEST(SpecificationTitleTest, MustBeUtf8) {
  SpecificationContent c = ValidContent();
  c.set_title("Donn\xc3 ouvertes");
  ExpectInvalid(c, "content.title: must be valid UTF-8");
}

TEST(SpecificationTitleTest, ProtectedDegreeTitleRefusedUnderFwb) {
  SpecificationContent c = ValidContent();
  c.set_title("Master en data science");
  ExpectInvalid(c,
                "content.title: contains the protected degree title \"master\" (policy profile "
                "fwb)");
  c.set_title("Agrégé");
  ExpectInvalid(c,
                "content.title: contains the protected degree title \"agrégé\" (policy profile "
                "fwb)");
}

TEST(SpecificationTitleTest, ProtectedDegreeTitleAllowedUnderEu) {
  SpecificationContent c = ValidContent();
  c.set_title("Master en data science");
  EXPECT_TRUE(ValidateSpecificationContent(c, Context("eu")).ok());
}

// ---- awarding_bodies ----

TEST(SpecificationAwardingBodiesTest, AtLeastOne) {
  SpecificationContent c = ValidContent();
  c.clear_awarding_bodies();
  ExpectInvalid(c, "content.awarding_bodies: at least one awarding body is required");
}

TEST(SpecificationAwardingBodiesTest, EachIsAnInstitutionId) {
  SpecificationContent c = ValidContent();
  c.add_awarding_bodies("UCLouvain");
  ExpectInvalid(c,
                "content.awarding_bodies[2]: \"UCLouvain\" is not an institution id (2 to 64 "
                "characters from [a-z0-9.-])");
}

TEST(SpecificationAwardingBodiesTest, NoDuplicates) {
  SpecificationContent c = ValidContent();
  c.add_awarding_bodies("uclouvain");
  ExpectInvalid(c, "content.awarding_bodies[2]: duplicates awarding_bodies[0] (\"uclouvain\")");
}

TEST(SpecificationAwardingBodiesTest, MustIncludeThePublisher) {
  ExpectInvalid(ValidContent(),
                "content.awarding_bodies: must include the publishing institution \"forem\"",
                Context("eu", "forem"));
}

TEST(SpecificationAwardingBodiesTest, UnknownInstitutionIsAPrecondition) {
  SpecificationContent c = ValidContent();
  c.add_awarding_bodies("unknown-u");
  ExpectPrecondition(c,
                     "content.awarding_bodies[2]: institution \"unknown-u\" is not registered in "
                     "the ecosystem");
}

TEST(SpecificationAwardingBodiesTest, SuspendedInstitutionIsAPrecondition) {
  SpecificationContent c = ValidContent();
  c.add_awarding_bodies("he-closed");
  ExpectPrecondition(c, "content.awarding_bodies[2]: institution \"he-closed\" is suspended");
}

TEST(SpecificationAwardingBodiesTest, FwbLetsOnlyHigherEducationIssue) {
  SpecificationContent c = ValidContent();
  c.mutable_workload()->set_hours(40);
  c.set_credit_bearing(false);
  c.set_awarding_bodies(1, "acme-training");
  ExpectPrecondition(c,
                     "content.awarding_bodies[1]: provider type PRIVATE_PROVIDER may not issue "
                     "under policy profile fwb");
  EXPECT_TRUE(ValidateSpecificationContent(c, Context("eu")).ok());
}

TEST(SpecificationAwardingBodiesTest, MissingLookupIsAnInternalError) {
  SpecificationContext ctx = Context();
  ctx.lookup_institution = nullptr;
  EXPECT_EQ(ValidateSpecificationContent(ValidContent(), ctx).code(), absl::StatusCode::kInternal);
}

// ---- country and region ----

TEST(SpecificationCountryTest, IsRequired) {
  SpecificationContent c = ValidContent();
  c.clear_country();
  ExpectInvalid(c, "content.country: is required");
}

TEST(SpecificationCountryTest, TwoUpperCaseLetters) {
  SpecificationContent c = ValidContent();
  c.set_country("be");
  ExpectInvalid(c,
                "content.country: \"be\" is not an ISO 3166-1 alpha-2 code (two upper-case "
                "letters, e.g. \"BE\")");
}

TEST(SpecificationCountryTest, MustBeAssigned) {
  SpecificationContent c = ValidContent();
  c.set_country("EL");  // the EU's code for Greece; ISO's is GR
  c.clear_region();
  ExpectInvalid(c, "content.country: \"EL\" is not an assigned ISO 3166-1 alpha-2 code");
}

TEST(SpecificationRegionTest, MustBeASubdivisionOfTheCountry) {
  SpecificationContent c = ValidContent();
  c.set_region("FR-IDF");
  ExpectInvalid(c, "content.region: \"FR-IDF\" is not a subdivision of country \"BE\"");
}

TEST(SpecificationRegionTest, MustHaveTheIso31662Shape) {
  SpecificationContent c = ValidContent();
  c.set_region("BE-Wallonie");
  ExpectInvalid(c,
                "content.region: \"BE-Wallonie\" is not an ISO 3166-2 subdivision code (the "
                "country code, '-', then 1 to 3 upper-case letters or digits, e.g. \"BE-WAL\")");
  c.set_region("BE-BRU");
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
}

// ---- learning_outcomes ----

TEST(SpecificationLearningOutcomesTest, AtLeastOne) {
  SpecificationContent c = ValidContent();
  c.clear_learning_outcomes();
  ExpectInvalid(c, "content.learning_outcomes: at least one learning outcome is required");
}

TEST(SpecificationLearningOutcomesTest, TextRequired) {
  SpecificationContent c = ValidContent();
  c.add_learning_outcomes()->set_text("");
  ExpectInvalid(c, "content.learning_outcomes[2].text: is required");
}

TEST(SpecificationLearningOutcomesTest, TextAtMost2000Characters) {
  SpecificationContent c = ValidContent();
  c.mutable_learning_outcomes(1)->set_text(std::string(2001, 'x'));
  ExpectInvalid(c, "content.learning_outcomes[1].text: must be at most 2000 characters (has 2001)");
}

TEST(SpecificationLearningOutcomesTest, EscoSkillUriMustBeAnEscoSkill) {
  SpecificationContent c = ValidContent();
  const std::string kMessage =
      "content.learning_outcomes[1].esco_skill_uri: must be http://data.europa.eu/esco/skill/ "
      "followed by a lower-case UUID (8-4-4-4-12 hexadecimal digits)";
  for (const char* bad : {
           "https://data.europa.eu/esco/skill/0d4e6b7f-4c3f-4a5e-9c57-0b3f5e2e9d8a",
           "http://data.europa.eu/esco/occupation/0d4e6b7f-4c3f-4a5e-9c57-0b3f5e2e9d8a",
           "http://data.europa.eu/esco/skill/0D4E6B7F-4C3F-4A5E-9C57-0B3F5E2E9D8A",
           "http://data.europa.eu/esco/skill/0d4e6b7f4c3f4a5e9c570b3f5e2e9d8a",
           "http://data.europa.eu/esco/skill/0d4e6b7f-4c3f-4a5e-9c57-0b3f5e2e9d8g",
       }) {
    c.mutable_learning_outcomes(1)->set_esco_skill_uri(bad);
    ExpectInvalid(c, kMessage);
  }
}

// ---- workload ----

TEST(SpecificationWorkloadTest, ExactlyOneOfEctsOrHours) {
  SpecificationContent c = ValidContent();
  c.clear_workload();
  ExpectInvalid(c, "content.workload: exactly one of ects or hours is required");
}

TEST(SpecificationWorkloadTest, EctsPositiveAndFinite) {
  SpecificationContent c = ValidContent();
  for (double bad : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()}) {
    c.mutable_workload()->set_ects(bad);
    ExpectInvalid(c, "content.workload.ects: must be a positive, finite number");
  }
}

TEST(SpecificationWorkloadTest, EctsInHalfCredits) {
  SpecificationContent c = ValidContent();
  c.mutable_workload()->set_ects(2.5);
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
  c.mutable_workload()->set_ects(0.5);
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
  c.mutable_workload()->set_ects(2.3);
  ExpectInvalid(c, "content.workload.ects: must be a multiple of 0.5 (got 2.3)");
}

TEST(SpecificationWorkloadTest, EctsSanityBound) {
  SpecificationContent c = ValidContent();
  c.mutable_workload()->set_ects(400.5);
  ExpectInvalid(c, "content.workload.ects: must be at most 400");
}

TEST(SpecificationWorkloadTest, HoursPositiveFiniteAndBounded) {
  SpecificationContent c = ValidContent();
  c.set_credit_bearing(false);
  c.mutable_workload()->set_hours(-3);
  ExpectInvalid(c, "content.workload.hours: must be a positive, finite number");
  c.mutable_workload()->set_hours(std::nan(""));
  ExpectInvalid(c, "content.workload.hours: must be a positive, finite number");
  c.mutable_workload()->set_hours(10000.5);
  ExpectInvalid(c, "content.workload.hours: must be at most 10000");
  c.mutable_workload()->set_hours(7.5);
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
}

TEST(SpecificationWorkloadTest, EctsOnlyFromProvidersThatMayAwardThem) {
  // A profile where a public employment service may issue but not award ECTS.
  absl::StatusOr<PolicyProfile> profile = PolicyProfile::FromJson(R"({
    "name": "mixed",
    "issuer_provider_types": ["PROVIDER_TYPE_HIGHER_EDUCATION",
                              "PROVIDER_TYPE_PUBLIC_EMPLOYMENT_SERVICE"],
    "ects_provider_types": ["PROVIDER_TYPE_HIGHER_EDUCATION"],
    "protected_titles": [],
    "min_certificate_ects": 0
  })");
  ASSERT_TRUE(profile.ok()) << profile.status();
  SpecificationContext ctx = Context();
  ctx.profile = *profile;
  SpecificationContent c = ValidContent();
  c.set_awarding_bodies(1, "forem");
  ExpectPrecondition(c,
                     "content.workload.ects: awarding_bodies[1] (\"forem\") has provider type "
                     "PUBLIC_EMPLOYMENT_SERVICE, which may not award ECTS under policy profile "
                     "mixed",
                     ctx);
  c.mutable_workload()->set_hours(75);
  c.set_credit_bearing(false);
  EXPECT_TRUE(ValidateSpecificationContent(c, ctx).ok());
}

// ---- level ----

TEST(SpecificationEqfLevelTest, IsRequired) {
  SpecificationContent c = ValidContent();
  c.set_eqf_level(0);
  c.clear_qf_ehea_cycle();
  ExpectInvalid(c, "content.eqf_level: is required (an EQF level from 1 to 8)");
}

TEST(SpecificationEqfLevelTest, FromOneToEight) {
  SpecificationContent c = ValidContent();
  c.set_eqf_level(9);
  ExpectInvalid(c, "content.eqf_level: must be an EQF level from 1 to 8 (got 9)");
}

TEST(SpecificationQfEheaCycleTest, MustAgreeWithTheEqfLevel) {
  SpecificationContent c = ValidContent();
  c.set_qf_ehea_cycle(common::v1::QF_EHEA_CYCLE_SECOND);
  ExpectInvalid(c, "content.qf_ehea_cycle: cycle SECOND corresponds to EQF level 7, not 6");
  c.set_eqf_level(7);
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
  c.set_qf_ehea_cycle(common::v1::QF_EHEA_CYCLE_UNSPECIFIED);  // not applicable
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
}

TEST(SpecificationQfEheaCycleTest, UnknownValueRefused) {
  SpecificationContent c = ValidContent();
  c.set_qf_ehea_cycle(static_cast<common::v1::QfEheaCycle>(42));
  ExpectInvalid(c, "content.qf_ehea_cycle: unknown value 42");
}

// ---- assessment, participation, quality assurance ----

TEST(SpecificationAssessmentTypeTest, IsRequired) {
  SpecificationContent c = ValidContent();
  c.set_assessment_type(common::v1::ASSESSMENT_TYPE_UNSPECIFIED);
  ExpectInvalid(c, "content.assessment_type: is required");
}

TEST(SpecificationAssessmentDescriptionTest, AtMost5000Characters) {
  SpecificationContent c = ValidContent();
  c.set_assessment_description(std::string(5001, 'a'));
  ExpectInvalid(c, "content.assessment_description: must be at most 5000 characters (has 5001)");
}

TEST(SpecificationFormOfParticipationTest, IsRequired) {
  SpecificationContent c = ValidContent();
  c.set_form_of_participation(common::v1::FORM_OF_PARTICIPATION_UNSPECIFIED);
  ExpectInvalid(c, "content.form_of_participation: is required");
}

TEST(SpecificationQualityAssuranceTest, TypeRequired) {
  SpecificationContent c = ValidContent();
  c.clear_quality_assurance();
  ExpectInvalid(c, "content.quality_assurance.type: is required");
}

TEST(SpecificationQualityAssuranceTest, ExternalNeedsAQaBody) {
  SpecificationContent c = ValidContent();
  c.mutable_quality_assurance()->clear_qa_body();
  ExpectInvalid(c,
                "content.quality_assurance.qa_body: is required when the quality assurance type "
                "is EXTERNAL");
}

TEST(SpecificationQualityAssuranceTest, DeqarReferenceFormat) {
  SpecificationContent c = ValidContent();
  c.mutable_quality_assurance()->set_deqar_reference("54321");  // a report id
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
  c.mutable_quality_assurance()->set_deqar_reference("see AEQES website");
  ExpectInvalid(c,
                "content.quality_assurance.deqar_reference: \"see AEQES website\" is not a DEQAR "
                "reference (a DEQAR institution id such as \"DEQARINST0107\", or a DEQAR report "
                "id such as \"54321\")");
}

// ---- optional elements ----

TEST(SpecificationPrerequisitesTest, AtMost5000Characters) {
  SpecificationContent c = ValidContent();
  c.set_prerequisites(std::string(5001, 'p'));
  ExpectInvalid(c, "content.prerequisites: must be at most 5000 characters (has 5001)");
}

TEST(SpecificationSupervisionTest, AnyOfTheFourOrUnspecified) {
  SpecificationContent c = ValidContent();
  for (int value = 0; value <= 4; ++value) {
    c.set_supervision(static_cast<common::v1::Supervision>(value));
    EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok()) << value;
  }
  c.set_supervision(static_cast<common::v1::Supervision>(5));
  ExpectInvalid(c, "content.supervision: unknown value 5");
}

TEST(SpecificationStackabilityTest, UnknownValueRefused) {
  SpecificationContent c = ValidContent();
  c.set_stackability(static_cast<common::v1::Stackability>(-1));
  ExpectInvalid(c, "content.stackability: unknown value -1");
}

TEST(SpecificationFurtherInformationTest, AtMost5000Characters) {
  SpecificationContent c = ValidContent();
  c.set_further_information(std::string(5001, 'f'));
  ExpectInvalid(c, "content.further_information: must be at most 5000 characters (has 5001)");
}

TEST(SpecificationDescriptionTest, AtMost20000Characters) {
  SpecificationContent c = ValidContent();
  c.set_description(std::string(20001, 'd'));
  ExpectInvalid(c, "content.description: must be at most 20000 characters (has 20001)");
}

TEST(SpecificationDescriptionTest, NoControlCharactersButLineBreaks) {
  SpecificationContent c = ValidContent();
  c.set_description("Ligne 1\nLigne 2\tfin");
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
  c.set_description(std::string("nul\0byte", 8));
  ExpectInvalid(c,
                "content.description: must not contain control characters other than tab and "
                "line breaks");
}

// ---- languages ----

TEST(SpecificationLanguagesTest, AtLeastOne) {
  SpecificationContent c = ValidContent();
  c.clear_languages();
  ExpectInvalid(c, "content.languages: at least one language is required");
}

TEST(SpecificationLanguagesTest, TwoLowerCaseLetters) {
  SpecificationContent c = ValidContent();
  c.add_languages("NL");
  ExpectInvalid(c,
                "content.languages[2]: \"NL\" is not an ISO 639-1 code (two lower-case letters, "
                "e.g. \"fr\")");
  c.set_languages(2, "nld");
  ExpectInvalid(c,
                "content.languages[2]: \"nld\" is not an ISO 639-1 code (two lower-case letters, "
                "e.g. \"fr\")");
}

TEST(SpecificationLanguagesTest, MustBeAssigned) {
  SpecificationContent c = ValidContent();
  c.add_languages("xx");
  ExpectInvalid(c, "content.languages[2]: \"xx\" is not an assigned ISO 639-1 code");
}

TEST(SpecificationLanguagesTest, NoDuplicates) {
  SpecificationContent c = ValidContent();
  c.add_languages("fr");
  ExpectInvalid(c, "content.languages[2]: duplicates languages[0] (\"fr\")");
}

// ---- isced_f_code ----

TEST(SpecificationIscedFCodeTest, TwoToFourDigits) {
  SpecificationContent c = ValidContent();
  for (const char* good : {"06", "061", "0613", "10", "99", "1041"}) {
    c.set_isced_f_code(good);
    EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok()) << good;
  }
  c.set_isced_f_code("06131");
  ExpectInvalid(c, "content.isced_f_code: \"06131\" must be 2, 3 or 4 digits (ISCED-F 2013)");
  c.set_isced_f_code("6");
  ExpectInvalid(c, "content.isced_f_code: \"6\" must be 2, 3 or 4 digits (ISCED-F 2013)");
}

TEST(SpecificationIscedFCodeTest, BroadFieldMustExist) {
  SpecificationContent c = ValidContent();
  c.set_isced_f_code("1101");
  ExpectInvalid(c,
                "content.isced_f_code: \"1101\" has broad field 11, which ISCED-F 2013 does not "
                "define (00 to 10, or 99)");
}

// ---- credit_bearing ----

TEST(SpecificationCreditBearingTest, RequiresEcts) {
  SpecificationContent c = ValidContent();
  c.mutable_workload()->set_hours(75);
  ExpectInvalid(c,
                "content.credit_bearing: a credit-bearing micro-credential must state its "
                "workload in ECTS");
}

// ---- review_by ----

TEST(SpecificationReviewByTest, MustBeARealDate) {
  SpecificationContent c = ValidContent();
  c.mutable_review_by()->set_month(2);
  c.mutable_review_by()->set_day(30);
  ExpectInvalid(c, "content.review_by: 2027-02-30 is not a valid calendar date");
}

TEST(SpecificationReviewByTest, MustBeAfterToday) {
  SpecificationContent c = ValidContent();
  *c.mutable_review_by() = common::v1::Date();
  c.mutable_review_by()->set_year(2025);
  c.mutable_review_by()->set_month(6);
  c.mutable_review_by()->set_day(1);
  ExpectInvalid(c, "content.review_by: must be after today (2025-06-01)");
  c.mutable_review_by()->set_day(2);
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
}

TEST(SpecificationReviewByTest, AllZeroDateIsUnset) {
  SpecificationContent c = ValidContent();
  *c.mutable_review_by() = common::v1::Date();
  EXPECT_TRUE(ValidateSpecificationContent(c, Context()).ok());
}

TEST(IsValidDateTest, LeapYears) {
  common::v1::Date d;
  d.set_year(2024), d.set_month(2), d.set_day(29);
  EXPECT_TRUE(IsValidDate(d));
  d.set_year(2025);
  EXPECT_FALSE(IsValidDate(d));
  d.set_year(1900);
  EXPECT_FALSE(IsValidDate(d));
  d.set_year(2000);
  EXPECT_TRUE(IsValidDate(d));
  d.set_month(13);
  EXPECT_FALSE(IsValidDate(d));
}

}  // namespace
}  // namespace microcred::domain
