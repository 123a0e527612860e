// What ValidateCredentialFacts refuses, and that both builders refuse the same facts.
#include "libs/credentials/credential_facts.h"

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "libs/credentials/elm.h"
#include "libs/credentials/open_badge.h"
#include "libs/credentials/testing/sample_facts.h"

namespace microcred::credentials {
namespace {

using testing::SampleFacts;
using testing::SampleFactsInHours;

TEST(ValidateCredentialFactsTest, AcceptsTheSamples) {
  EXPECT_TRUE(ValidateCredentialFacts(SampleFacts()).ok());
  EXPECT_TRUE(ValidateCredentialFacts(SampleFactsInHours()).ok());
}

// The issuing institution may be named by its did:web DID; the documents carry it as its id.
TEST(ValidateCredentialFactsTest, TheIssuerMayBeNamedByItsDidWeb) {
  CredentialFacts facts = SampleFacts();
  facts.issuers[0].profile_url = "did:web:uclouvain.example%3A8443:institutions:uclouvain";
  ASSERT_TRUE(ValidateCredentialFacts(facts).ok()) << ValidateCredentialFacts(facts);
  auto credential = BuildOpenBadgeCredential(facts);
  ASSERT_TRUE(credential.ok()) << credential.status();
  EXPECT_EQ((*credential)["issuer"]["id"], facts.issuers[0].profile_url);
}

struct Refusal {
  std::string name;
  std::function<void(CredentialFacts&)> mutate;
  std::string message_prefix;  // the field path and the start of the problem
};

void PrintTo(const Refusal& refusal, std::ostream* os) { *os << refusal.name; }

class RefusalTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(RefusalTest, ValidationNamesTheField) {
  CredentialFacts facts = SampleFacts();
  GetParam().mutate(facts);
  const absl::Status status = ValidateCredentialFacts(facts);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_TRUE(absl::StartsWith(status.message(), GetParam().message_prefix)) << status;
}

TEST_P(RefusalTest, BothBuildersRefuse) {
  CredentialFacts facts = SampleFacts();
  GetParam().mutate(facts);
  EXPECT_EQ(BuildOpenBadgeCredential(facts).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildElmCredential(facts).status().code(), absl::StatusCode::kInvalidArgument);
}

using Facts = CredentialFacts;
using common::v1::Date;

Date MakeDate(int y, int m, int d) {
  Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

const std::vector<Refusal>& Refusals() {
  static const auto* kRefusals = new std::vector<Refusal>{
      {"NoCredentialId", [](Facts& f) { f.credential_id.clear(); }, "credential_id: is required"},
      {"CredentialIdNotAUuidUrn", [](Facts& f) { f.credential_id = "urn:uuid:123"; },
       "credential_id: \"urn:uuid:123\" must be"},
      {"CredentialIdUpperCase",
       [](Facts& f) { f.credential_id = "urn:uuid:6F1C2A9E-3B7D-4E5F-9A1B-2C3D4E5F6A7B"; },
       "credential_id:"},
      {"NoSpecificationId", [](Facts& f) { f.specification.clear_specification_id(); },
       "specification.specification_id: is required"},
      {"MalformedSpecificationId",
       [](Facts& f) { f.specification.set_specification_id("no-slash"); },
       "specification.specification_id"},
      {"NoSpecificationVersion", [](Facts& f) { f.specification.set_version(0); },
       "specification.version: must be 1 or more"},
      {"SpecificationWithoutTitle",
       [](Facts& f) { f.specification.mutable_content()->set_title("  "); },
       "specification.content.title: is required"},
      {"NoAwardingBody",
       [](Facts& f) { f.specification.mutable_content()->clear_awarding_bodies(); },
       "specification.content.awarding_bodies: at least one is required"},
      {"NoCountry", [](Facts& f) { f.specification.mutable_content()->clear_country(); },
       "specification.content.country:"},
      {"NoLearningOutcome",
       [](Facts& f) { f.specification.mutable_content()->clear_learning_outcomes(); },
       "specification.content.learning_outcomes: at least one is required"},
      {"BlankLearningOutcome",
       [](Facts& f) {
         f.specification.mutable_content()->mutable_learning_outcomes(1)->set_text("");
       },
       "specification.content.learning_outcomes[1].text: is required"},
      {"NoWorkload", [](Facts& f) { f.specification.mutable_content()->clear_workload(); },
       "specification.content.workload: ects or hours is required"},
      {"NegativeWorkload",
       [](Facts& f) { f.specification.mutable_content()->mutable_workload()->set_hours(-1); },
       "specification.content.workload: must be positive"},
      {"NoEqfLevel", [](Facts& f) { f.specification.mutable_content()->set_eqf_level(0); },
       "specification.content.eqf_level:"},
      {"EqfLevelNine", [](Facts& f) { f.specification.mutable_content()->set_eqf_level(9); },
       "specification.content.eqf_level:"},
      {"UnknownQfEheaCycle",
       [](Facts& f) {
         f.specification.mutable_content()->set_qf_ehea_cycle(
             static_cast<common::v1::QfEheaCycle>(42));
       },
       "specification.content.qf_ehea_cycle: is not a value this build knows"},
      {"NoAssessmentType",
       [](Facts& f) { f.specification.mutable_content()->clear_assessment_type(); },
       "specification.content.assessment_type: is required"},
      {"NoFormOfParticipation",
       [](Facts& f) { f.specification.mutable_content()->clear_form_of_participation(); },
       "specification.content.form_of_participation: is required"},
      {"NoQualityAssurance",
       [](Facts& f) { f.specification.mutable_content()->clear_quality_assurance(); },
       "specification.content.quality_assurance.type: is required"},
      {"ExternalQualityAssuranceWithoutBody",
       [](Facts& f) {
         f.specification.mutable_content()->mutable_quality_assurance()->clear_qa_body();
       },
       "specification.content.quality_assurance.qa_body:"},
      {"NoLanguage", [](Facts& f) { f.specification.mutable_content()->clear_languages(); },
       "specification.content.languages: at least one is required"},
      {"LanguageNotIso6391",
       [](Facts& f) { f.specification.mutable_content()->set_languages(1, "fra"); },
       "specification.content.languages[1]:"},
      {"NoIssuer", [](Facts& f) { f.issuers.clear(); }, "issuers: at least one is required"},
      {"IssuerWithoutLegalName", [](Facts& f) { f.issuers[1].legal_name.clear(); },
       "issuers[1].legal_name: is required"},
      {"IssuerWithoutProviderType",
       [](Facts& f) { f.issuers[0].provider_type = common::v1::PROVIDER_TYPE_UNSPECIFIED; },
       "issuers[0].provider_type: is required"},
      {"IssuerProfileNotHttps",
       [](Facts& f) { f.issuers[0].profile_url = "http://uclouvain.example/institutions/x"; },
       "issuers[0].profile_url:"},
      {"CoAwardingBodyNamedByDid",
       [](Facts& f) { f.issuers[1].profile_url = "did:web:ulb.example:institutions:ulb"; },
       "issuers[1].profile_url:"},
      {"IssuerDidNotDidWeb",
       [](Facts& f) { f.issuers[0].profile_url = "did:web:uclouvain example"; },
       "issuers[0].profile_url:"},
      {"IssuerNotAnAwardingBody", [](Facts& f) { f.issuers[1].institution_id = "umons"; },
       "issuers[1]: \"umons\" is not an awarding body"},
      {"AwardingBodyWithoutFacts", [](Facts& f) { f.issuers.pop_back(); },
       "issuers: no facts for awarding body \"ulb\""},
      {"IssuerTwice", [](Facts& f) { f.issuers[1] = f.issuers[0]; },
       "issuers[1]: \"uclouvain\" is listed twice"},
      {"RequestForAnotherSpecification",
       [](Facts& f) { f.issuance.set_specification_id("ulb/other"); },
       "issuance.specification_id: differs"},
      {"RequestForAnotherVersion", [](Facts& f) { f.issuance.set_specification_version(1); },
       "issuance.specification_version: differs"},
      {"NoLearnerName",
       [](Facts& f) {
         f.issuance.mutable_learner()->clear_given_name();
         f.issuance.mutable_learner()->set_family_name(" ");
       },
       "issuance.learner: a given or family name is required"},
      {"EmailWithoutAt", [](Facts& f) { f.issuance.mutable_learner()->set_email("ana"); },
       "issuance.learner.email:"},
      {"NoIssuedOn", [](Facts& f) { f.issuance.clear_issued_on(); },
       "issuance.issued_on: is required"},
      {"IssuedOnNotADate",
       [](Facts& f) { *f.issuance.mutable_issued_on() = MakeDate(2025, 2, 30); },
       "issuance.issued_on: is not a calendar date"},
      {"ValidUntilBeforeIssuedOn",
       [](Facts& f) { *f.issuance.mutable_valid_until() = MakeDate(2025, 6, 29); },
       "issuance.valid_until: must not be before issued_on"},
      {"NoPlaceOfIssuing", [](Facts& f) { f.issuance.clear_place_of_issuing(); },
       "issuance.place_of_issuing: is required"},
      {"GradingSchemeWithoutGrade", [](Facts& f) { f.issuance.mutable_grade()->clear_value(); },
       "issuance.grade.value:"},
      {"NoModeOfAcquisition", [](Facts& f) { f.issuance.clear_mode_of_acquisition(); },
       "issuance.mode_of_acquisition: is required"},
      {"UnknownSupervisionApplied",
       [](Facts& f) {
         f.issuance.set_supervision_applied(static_cast<common::v1::Supervision>(9));
       },
       "issuance.supervision_applied:"},
      {"NoIssuedAt", [](Facts& f) { f.issued_at_ms = 0; }, "issued_at_ms: is required"},
      {"TextLanguageNotIso6391", [](Facts& f) { f.text_language = "english"; }, "text_language:"},
      {"NoLearnerSubjectId", [](Facts& f) { f.learner_subject_id.clear(); },
       "learner_subject_id: is required"},
      {"LearnerSubjectIdNotAUri", [](Facts& f) { f.learner_subject_id = "ana andromeda"; },
       "learner_subject_id:"},
      {"ShortSalt", [](Facts& f) { f.identifier_salt = "abc"; }, "identifier_salt:"},
      {"NoStatus", [](Facts& f) { f.status = {}; }, "status.status_base_url:"},
      {"NegativeIndex", [](Facts& f) { f.status.status_list_index = -1; },
       "status.status_list_index: must be >= 0"},
      {"StatusBaseNotHttps", [](Facts& f) { f.status.status_base_url = "ftp://x.example/status"; },
       "status.status_base_url:"},
  };
  return *kRefusals;
}

INSTANTIATE_TEST_SUITE_P(Refusals, RefusalTest, ::testing::ValuesIn(Refusals()),
                         [](const auto& info) { return info.param.name; });

TEST(ValidateCredentialFactsTest, ReportsTheFirstProblem) {
  CredentialFacts facts = SampleFacts();
  facts.credential_id.clear();
  facts.issuers.clear();
  EXPECT_TRUE(absl::StartsWith(ValidateCredentialFacts(facts).message(), "credential_id:"));
}

TEST(ValidateCredentialFactsTest, ValidUntilOnTheDayOfIssuingIsAccepted) {
  CredentialFacts facts = SampleFacts();
  *facts.issuance.mutable_valid_until() = facts.issuance.issued_on();
  EXPECT_TRUE(ValidateCredentialFacts(facts).ok());
}

TEST(IssuerFactsFromMemberTest, CopiesTheRegisteredFacts) {
  registry::v1::MemberAdmitted member;
  member.set_institution_id("ulb");
  member.set_legal_name("Université libre de Bruxelles");
  member.set_country("BE");
  member.set_region("BE-BRU");
  member.set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  member.set_deqar_id("DEQARINST0120");
  const IssuerFacts facts = IssuerFactsFromMember(member, "https://ulb.example/institutions/ulb");
  EXPECT_EQ(facts.institution_id, "ulb");
  EXPECT_EQ(facts.legal_name, "Université libre de Bruxelles");
  EXPECT_EQ(facts.country, "BE");
  EXPECT_EQ(facts.region, "BE-BRU");
  EXPECT_EQ(facts.provider_type, common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  EXPECT_EQ(facts.deqar_id, "DEQARINST0120");
  EXPECT_EQ(facts.profile_url, "https://ulb.example/institutions/ulb");
}

TEST(BuildersTest, RefuseTextThatIsNotUtf8) {
  CredentialFacts facts = SampleFacts();
  facts.issuance.mutable_learner()->set_family_name("Andr\xC3");
  const auto ob = BuildOpenBadgeCredential(facts);
  EXPECT_EQ(ob.status().code(), absl::StatusCode::kInvalidArgument) << ob.status();
  EXPECT_EQ(BuildElmCredential(facts).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace microcred::credentials
