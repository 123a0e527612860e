#include "libs/credentials/testing/sample_facts.h"

#include <string>

#include "libs/domain/testing/sample_catalogue.h"

namespace microcred::credentials::testing {
namespace {

using namespace common::v1;

Date MakeDate(int year, int month, int day) {
  Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

catalogue::v1::Specification Specification(std::string id, uint32_t version,
                                           catalogue::v1::SpecificationContent content) {
  catalogue::v1::Specification spec;
  spec.set_specification_id(id);
  spec.set_version(version);
  spec.set_owner_institution(id.substr(0, id.find('/')));
  spec.set_status(catalogue::v1::SPECIFICATION_STATUS_PUBLISHED);
  spec.set_published_at_ms(1748736000000);  // 2025-06-01
  *spec.mutable_content() = std::move(content);
  return spec;
}

IssuerFacts UcLouvain() {
  return {.institution_id = "uclouvain",
          .legal_name = "Université catholique de Louvain",
          .country = "BE",
          .region = "BE-WAL",
          .provider_type = PROVIDER_TYPE_HIGHER_EDUCATION,
          .deqar_id = "DEQARINST0107",
          .profile_url = "https://uclouvain.example/institutions/uclouvain"};
}

IssuerFacts Ulb() {
  return {.institution_id = "ulb",
          .legal_name = "Université libre de Bruxelles",
          .country = "BE",
          .region = "BE-BRU",
          .provider_type = PROVIDER_TYPE_HIGHER_EDUCATION,
          .deqar_id = "DEQARINST0120",
          .profile_url = "https://ulb.example/institutions/ulb"};
}

IssuerFacts Forem() {
  return {.institution_id = "forem",
          .legal_name = "Le Forem",
          .country = "BE",
          .region = "BE-WAL",
          .provider_type = PROVIDER_TYPE_PUBLIC_EMPLOYMENT_SERVICE,
          .profile_url = "https://forem.example/institutions/forem"};
}

issuance::v1::LearnerIdentity Ana() {
  issuance::v1::LearnerIdentity learner;
  learner.set_learner_id(std::string(kSampleLearnerId));
  learner.set_given_name("Ana");
  learner.set_family_name("Andromeda");
  learner.set_email(std::string(kSampleEmail));
  *learner.mutable_date_of_birth() = MakeDate(1999, 10, 1);
  return learner;
}

catalogue::v1::SpecificationContent JointDataLiteracy() {
  auto content = catalogue::samples::DataLiteracy("uclouvain");
  content.add_awarding_bodies("ulb");
  content.set_assessment_description("A data audit of a public dataset, marked on a rubric.");
  content.mutable_quality_assurance()->set_deqar_reference("DEQARINST0107");
  content.mutable_quality_assurance()->set_description("AEQES institutional review, 2023.");
  content.set_prerequisites("Basic spreadsheet skills.");
  return content;
}

}  // namespace

CredentialFacts SampleFacts() {
  CredentialFacts facts;
  facts.credential_id = "urn:uuid:6f1c2a9e-3b7d-4e5f-9a1b-2c3d4e5f6a7b";
  facts.specification = Specification("uclouvain/data-literacy", 2, JointDataLiteracy());
  facts.issuers = {UcLouvain(), Ulb()};
  auto& request = facts.issuance;
  request.set_request_id("req-0001");
  request.set_specification_id("uclouvain/data-literacy");
  request.set_specification_version(2);
  *request.mutable_learner() = Ana();
  *request.mutable_issued_on() = MakeDate(2025, 6, 30);
  request.set_place_of_issuing("Louvain-la-Neuve, Belgium");
  request.mutable_grade()->set_value("16/20");
  request.mutable_grade()->set_grading_scheme("Belgian 0-20 scale");
  request.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
  request.set_supervision_applied(SUPERVISION_ONSITE_WITH_ID_CHECK);
  facts.issued_at_ms = 1751278500000;  // 2025-06-30T10:15:00Z
  facts.text_language = "en";          // the sample catalogue is written in English
  facts.learner_subject_id = "urn:microcred:learner:3f9c2a7d1b6e4c58";
  facts.identifier_salt = std::string(kSampleSalt);
  facts.status = {.status_base_url = "https://uclouvain.example/institutions/uclouvain/status",
                  .status_list_index = 4217};
  facts.seal = {.organization_identifier = "NTRBE-0419052173", .country = "BE"};
  return facts;
}

CredentialFacts SampleFactsInHours() {
  CredentialFacts facts = SampleFacts();
  facts.credential_id = "urn:uuid:0b8e7f6d-5c4b-4a39-8271-605f4e3d2c1b";
  facts.specification =
      Specification("forem/python-basics", 1, catalogue::samples::PythonBasics("forem"));
  facts.issuers = {Forem()};
  auto& request = facts.issuance;
  request.set_specification_id("forem/python-basics");
  request.set_specification_version(1);
  request.clear_grade();
  request.set_place_of_issuing("Charleroi, Belgium");
  request.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_PRIOR_LEARNING_VALIDATION);
  request.clear_supervision_applied();
  *request.mutable_valid_until() = MakeDate(2028, 6, 30);
  facts.status = {.status_base_url = "https://forem.example/institutions/forem/status",
                  .status_list_index = 17};
  facts.seal = {.organization_identifier = "NTRBE-0236363165", .country = "BE"};
  return facts;
}

}  // namespace microcred::credentials::testing
