#include "services/catalogue/sample_catalogue.h"

namespace microcred::catalogue::samples {
namespace {

using v1::SpecificationContent;
using namespace common::v1;

struct Outline {
  std::string title;
  std::string description;
  std::vector<std::pair<std::string, std::string>> outcomes;  // text, ESCO skill URI
  int eqf;
  double ects;
  AssessmentType assessment;
  FormOfParticipation form;
  std::string isced;
};

SpecificationContent Build(const std::string& issuer, const std::string& region, const Outline& o) {
  SpecificationContent c;
  c.set_title(o.title);
  c.add_awarding_bodies(issuer);
  c.set_country("BE");
  c.set_region(region);
  for (const auto& [text, skill] : o.outcomes) {
    auto* outcome = c.add_learning_outcomes();
    outcome->set_text(text);
    outcome->set_esco_skill_uri(skill);
  }
  c.mutable_workload()->set_ects(o.ects);
  c.set_eqf_level(o.eqf);
  if (o.eqf >= 5) c.set_qf_ehea_cycle(static_cast<QfEheaCycle>(o.eqf - 4));
  c.set_assessment_type(o.assessment);
  c.set_form_of_participation(o.form);
  c.mutable_quality_assurance()->set_type(QUALITY_ASSURANCE_TYPE_EXTERNAL);
  c.mutable_quality_assurance()->set_qa_body("AEQES");
  c.set_supervision(SUPERVISION_ONSITE_WITH_ID_CHECK);
  c.set_stackability(STACKABILITY_STACKABLE);
  c.add_languages("fr");
  c.add_languages("en");
  c.set_isced_f_code(o.isced);
  c.set_credit_bearing(true);
  c.set_description(o.description);
  c.set_further_information("Stackable towards the alliance's certificate in data practice.");
  return c;
}

}  // namespace

SpecificationContent DataLiteracy(const std::string& issuer) {
  return Build(issuer, "BE-WAL",
               {"Data literacy for public-sector professionals",
                "Read, question and communicate data in everyday professional decisions.",
                {{"Interpret descriptive statistics and charts critically",
                  "http://data.europa.eu/esco/skill/0a2a6a86-4c6b-4e02-9b5c-5a3ee3f3a0b1"},
                 {"Assess the quality and provenance of a data set", ""}},
                6,
                3,
                ASSESSMENT_TYPE_PROJECT,
                FORM_OF_PARTICIPATION_BLENDED,
                "0688"});
}

SpecificationContent AiEthics(const std::string& issuer) {
  return Build(issuer, "BE-WAL",
               {"Ethics and law of artificial intelligence",
                "The EU AI Act, fairness, transparency and accountability in practice.",
                {{"Apply the risk categories of the EU AI Act to a use case", ""},
                 {"Audit a model's decisions for bias", ""}},
                7,
                5,
                ASSESSMENT_TYPE_WRITTEN_EXAM,
                FORM_OF_PARTICIPATION_ONLINE,
                "0421"});
}

SpecificationContent CloudOperations(const std::string& issuer) {
  return Build(issuer, "BE-BRU",
               {"Cloud operations with containers",
                "Deploy, observe and operate containerised services.",
                {{"Deploy a containerised application on a managed cluster", ""},
                 {"Monitor services and respond to incidents", ""}},
                5,
                4,
                ASSESSMENT_TYPE_PRACTICAL_DEMONSTRATION,
                FORM_OF_PARTICIPATION_ONSITE,
                "0612"});
}

SpecificationContent DataVisualisation(const std::string& issuer) {
  return Build(issuer, "BE-BRU",
               {"Data visualisation and storytelling",
                "Design honest, accessible charts and dashboards.",
                {{"Choose an appropriate chart for a data question", ""},
                 {"Build an accessible dashboard from open data", ""}},
                6,
                3,
                ASSESSMENT_TYPE_PORTFOLIO,
                FORM_OF_PARTICIPATION_BLENDED,
                "0613"});
}

SpecificationContent PythonBasics(const std::string& issuer) {
  SpecificationContent c = Build(issuer, "BE-WAL",
                                 {"Python programming basics",
                                  "First steps in Python for job seekers.",
                                  {{"Write and test small Python programs", ""}},
                                  4,
                                  0,
                                  ASSESSMENT_TYPE_PRACTICAL_DEMONSTRATION,
                                  FORM_OF_PARTICIPATION_ONSITE,
                                  "0613"});
  c.mutable_workload()->set_hours(60);
  c.set_credit_bearing(false);
  c.clear_qf_ehea_cycle();
  c.mutable_quality_assurance()->set_type(QUALITY_ASSURANCE_TYPE_INTERNAL);
  c.mutable_quality_assurance()->clear_qa_body();
  return c;
}

}  // namespace microcred::catalogue::samples
