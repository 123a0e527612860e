#include "libs/domain/testing/sample_catalogue.h"

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

SpecificationContent Generated(const std::string& issuer, uint64_t seed) {
  static const char* const kSubjects[] = {"data",
                                          "cloud",
                                          "cyber security",
                                          "machine learning",
                                          "sustainability",
                                          "circular economy",
                                          "public health",
                                          "nursing",
                                          "project management",
                                          "accounting",
                                          "law",
                                          "ethics",
                                          "statistics",
                                          "software testing",
                                          "networks",
                                          "robotics",
                                          "energy",
                                          "water management",
                                          "urban planning",
                                          "digital marketing",
                                          "entrepreneurship",
                                          "teaching",
                                          "languages",
                                          "journalism",
                                          "design",
                                          "logistics",
                                          "agriculture",
                                          "biotechnology",
                                          "chemistry",
                                          "physics"};
  static const char* const kAngles[] = {"Foundations of",
                                        "Applied",
                                        "Advanced",
                                        "Introduction to",
                                        "Professional practice in",
                                        "Leadership in",
                                        "Research methods in",
                                        "Tools for"};
  static const char* const kVerbs[] = {"Analyse", "Design", "Evaluate",    "Apply",
                                       "Explain", "Plan",   "Communicate", "Audit"};
  static const char* const kIsced[] = {"0613", "0612", "0688", "0421", "0413",
                                       "0913", "0731", "0521", "0532", "0111"};
  static const char* const kLanguages[] = {"fr", "en", "nl", "de", "es", "it"};
  uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
  auto next = [&x](uint64_t n) {  // splitmix64: cheap, deterministic, well spread
    x += 0x9E3779B97F4A7C15ULL;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (z ^ (z >> 31)) % n;
  };
  const std::string subject = kSubjects[next(std::size(kSubjects))];
  const int eqf = 4 + static_cast<int>(next(5));
  Outline o{std::string(kAngles[next(std::size(kAngles))]) + " " + subject + " " +
                std::to_string(seed % 1000),
            "A short course on " + subject + " for working professionals.",
            {},
            eqf,
            0.5 * (2 + next(19)),
            static_cast<AssessmentType>(1 + next(7)),
            static_cast<FormOfParticipation>(1 + next(3)),
            kIsced[next(std::size(kIsced))]};
  for (int i = 0; i < 3; ++i) {
    o.outcomes.push_back({std::string(kVerbs[next(std::size(kVerbs))]) + " " + subject +
                              " in a professional setting, case " + std::to_string(i + 1),
                          ""});
  }
  SpecificationContent c = Build(issuer, "BE-WAL", o);
  c.clear_languages();
  c.add_languages(kLanguages[next(std::size(kLanguages))]);
  c.set_stackability(static_cast<Stackability>(1 + next(3)));
  return c;
}

}  // namespace microcred::catalogue::samples
