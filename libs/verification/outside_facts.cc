#include "libs/verification/outside_facts.h"

#include <cstdio>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "libs/credentials/vocabulary.h"
#include "libs/verification/presented_credential.h"

namespace microcred::verification {
namespace {

using nlohmann::json;

const json* At(const json& root, std::initializer_list<const char*> path) {
  const json* node = &root;
  for (const char* key : path) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

std::string StringAt(const json& root, std::initializer_list<const char*> path) {
  const json* node = At(root, path);
  return node != nullptr && node->is_string() ? node->get<std::string>() : std::string();
}

double NumberAt(const json& root, std::initializer_list<const char*> path) {
  const json* node = At(root, path);
  return node != nullptr && node->is_number() ? node->get<double>() : 0;
}

const json& ArrayAt(const json& root, std::initializer_list<const char*> path) {
  static const json kEmpty = json::array();
  const json* node = At(root, path);
  return node != nullptr && node->is_array() ? *node : kEmpty;
}

std::string IdOf(const json* profile) {
  if (profile == nullptr) return "";
  if (profile->is_string()) return profile->get<std::string>();
  return StringAt(*profile, {"id"});
}

std::optional<common::v1::Date> DateOf(const std::string& text) {
  int year = 0, month = 0, day = 0;
  if (text.size() < 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d", &year, &month, &day) != 3) {
    return std::nullopt;
  }
  common::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

bool IsEqf(const std::string& framework) {
  const std::string lower = absl::AsciiStrToLower(framework);
  return lower == "eqf" || absl::StrContains(lower, "european qualifications framework");
}

// The EQF level in a targetCode: its last digit, when that is 1-8 and no digit precedes it.
int EqfLevelOf(const std::string& code) {
  const size_t last = code.find_last_of("0123456789");
  if (last == std::string::npos) return 0;
  if (last > 0 && absl::ascii_isdigit(static_cast<unsigned char>(code[last - 1]))) return 0;
  const int level = code[last] - '0';
  return level >= 1 && level <= 8 ? level : 0;
}

bool SaysEcts(const json& achievement) {
  for (const json& tag : ArrayAt(achievement, {"tag"})) {
    if (tag.is_string() && absl::AsciiStrToUpper(tag.get<std::string>()) == "ECTS") return true;
  }
  for (const json& a : ArrayAt(achievement, {"alignment"})) {
    const std::string framework = StringAt(a, {"targetFramework"});
    if (absl::StrContains(absl::AsciiStrToUpper(framework), "ECTS") ||
        absl::StrContains(absl::AsciiStrToLower(framework), "european credit transfer")) {
      return true;
    }
  }
  return false;
}

common::v1::QualityAssuranceType QaTypeOf(const std::string& term) {
  if (term.empty()) return common::v1::QualityAssuranceType(0);
  for (int v = 1; v <= 16; ++v) {
    if (!common::v1::QualityAssuranceType_IsValid(v)) continue;
    const auto type = static_cast<common::v1::QualityAssuranceType>(v);
    if (credentials::VocabularyTerm(type) == term) return type;
  }
  return common::v1::QualityAssuranceType(0);
}

void ReadAchievement(const json& achievement, recognition::v1::CredentialFacts& facts) {
  if (const std::string narrative = StringAt(achievement, {"criteria", "narrative"});
      !narrative.empty()) {
    facts.add_learning_outcomes(narrative);
  }
  for (const json& a : ArrayAt(achievement, {"alignment"})) {
    if (IsEqf(StringAt(a, {"targetFramework"}))) {
      if (int level = EqfLevelOf(StringAt(a, {"targetCode"}));
          level > 0 && facts.eqf_level() == 0) {
        facts.set_eqf_level(level);
      }
      continue;
    }
    if (std::string name = StringAt(a, {"targetName"}); !name.empty()) {
      facts.add_learning_outcomes(name);
    }
  }
  const json* mc = At(achievement, {"microCredential"});
  if (mc != nullptr && mc->is_object()) {
    facts.set_ects(NumberAt(*mc, {"ectsCredits"}));
    facts.set_hours(NumberAt(*mc, {"workloadHours"}));
    std::string assessment = StringAt(*mc, {"assessmentDescription"});
    if (assessment.empty()) assessment = StringAt(*mc, {"assessmentType"});
    facts.set_assessment(assessment);
    facts.set_form_of_participation(StringAt(*mc, {"formOfParticipation"}));
    facts.set_quality_assurance_type(QaTypeOf(StringAt(*mc, {"qualityAssurance", "qaType"})));
    facts.set_qa_body(StringAt(*mc, {"qualityAssurance", "qaBody"}));
    facts.set_deqar_reference(StringAt(*mc, {"qualityAssurance", "deqarReference"}));
  }
  if (facts.ects() == 0 && facts.hours() == 0 && SaysEcts(achievement)) {
    facts.set_ects(NumberAt(achievement, {"creditsAvailable"}));
  }
  if (facts.assessment().empty()) {
    std::vector<std::string> names;
    for (const json& d : ArrayAt(achievement, {"resultDescription"})) {
      if (std::string name = StringAt(d, {"name"}); !name.empty()) names.push_back(name);
    }
    facts.set_assessment(absl::StrJoin(names, "; "));
  }
}

}  // namespace

recognition::v1::CredentialFacts OpenBadgeFacts(const json& credential) {
  recognition::v1::CredentialFacts facts;
  if (!credential.is_object()) {
    for (std::string& missing : MissingAnnexIElements(facts, false)) {
      facts.add_missing_elements(std::move(missing));
    }
    return facts;
  }
  facts.set_credential_id(StringAt(credential, {"id"}));
  const json* issuer = At(credential, {"issuer"});
  facts.set_issuer(IdOf(issuer));
  facts.set_issuer_name(StringAt(credential, {"issuer", "name"}));
  // The issuer awards an Open Badge; a bare id does not tell a reviewer who that is, so it
  // counts as the awarding body only when the credential names it.
  if (!facts.issuer().empty() && !facts.issuer_name().empty()) {
    facts.add_awarding_bodies(facts.issuer());
  }
  std::string country = StringAt(credential, {"issuer", "address", "addressCountryCode"});
  if (country.empty()) country = StringAt(credential, {"issuer", "address", "addressCountry"});
  facts.set_country(country);

  const json empty = json::object();
  const json* subject = At(credential, {"credentialSubject"});
  if (subject == nullptr || !subject->is_object()) subject = &empty;
  const json* achievement = At(*subject, {"achievement"});
  if (achievement != nullptr && achievement->is_object()) {
    facts.set_title(StringAt(*achievement, {"name"}));
    const std::string creator = IdOf(At(*achievement, {"creator"}));
    if (!creator.empty() && creator != facts.issuer()) facts.add_awarding_bodies(creator);
    ReadAchievement(*achievement, facts);
  }
  if (facts.title().empty()) facts.set_title(StringAt(credential, {"name"}));

  std::string issued = StringAt(*subject, {"awardedDate"});
  if (issued.empty()) issued = StringAt(credential, {"validFrom"});
  if (auto day = DateOf(issued)) *facts.mutable_issued_on() = *day;
  if (auto day = DateOf(StringAt(credential, {"validUntil"}))) *facts.mutable_valid_until() = *day;
  const json& results = ArrayAt(*subject, {"result"});
  if (!results.empty()) {
    facts.mutable_grade()->set_value(StringAt(results[0], {"value"}));
    if (achievement != nullptr) {
      const json& descriptions = ArrayAt(*achievement, {"resultDescription"});
      if (!descriptions.empty()) {
        facts.mutable_grade()->set_grading_scheme(StringAt(descriptions[0], {"name"}));
      }
    }
  }
  const bool learner_stated =
      !StringAt(*subject, {"id"}).empty() || !ArrayAt(*subject, {"identifier"}).empty();
  for (std::string& missing : MissingAnnexIElements(facts, learner_stated)) {
    facts.add_missing_elements(std::move(missing));
  }
  return facts;
}

}  // namespace microcred::verification
