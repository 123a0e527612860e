#include "libs/verification/outside_facts.h"

#include <simdjson.h>

#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "libs/credentials/vocabulary.h"
#include "libs/domain/dates.h"
#include "libs/verification/presented_credential.h"

namespace microcred::verification {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;

std::optional<element> At(element root, std::initializer_list<const char*> path) {
  element node = root;
  for (const char* key : path) {
    if (!node.is_object() || node.at_key(key).get(node)) return std::nullopt;
  }
  return node;
}

std::string StringOf(element value) {
  std::string_view text;
  return value.get_string().get(text) ? std::string() : std::string(text);
}

std::string StringAt(element root, std::initializer_list<const char*> path) {
  std::optional<element> node = At(root, path);
  return node ? StringOf(*node) : std::string();
}

double NumberAt(element root, std::initializer_list<const char*> path) {
  std::optional<element> node = At(root, path);
  double value = 0;
  return node && !node->get_double().get(value) ? value : 0;
}

// The elements of the array at `path`; none when it is absent or not an array.
std::vector<element> ArrayAt(element root, std::initializer_list<const char*> path) {
  std::vector<element> items;
  std::optional<element> node = At(root, path);
  array list;
  if (node && !node->get_array().get(list)) {
    for (element item : list) items.push_back(item);
  }
  return items;
}

// A profile's id: the member itself when a string, else its "id".
std::string IdOf(std::optional<element> profile) {
  if (!profile) return "";
  if (profile->is_string()) return StringOf(*profile);
  return StringAt(*profile, {"id"});
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

bool SaysEcts(element achievement) {
  for (element tag : ArrayAt(achievement, {"tag"})) {
    if (absl::AsciiStrToUpper(StringOf(tag)) == "ECTS") return true;
  }
  for (element a : ArrayAt(achievement, {"alignment"})) {
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

// The extension this platform's own credentials carry (libs/credentials/open_badge.cc), which
// another node of the same software writes too.
void ReadMicroCredential(element mc, recognition::v1::CredentialFacts& facts) {
  facts.set_ects(NumberAt(mc, {"ectsCredits"}));
  facts.set_hours(NumberAt(mc, {"workloadHours"}));
  std::string assessment = StringAt(mc, {"assessmentDescription"});
  if (assessment.empty()) assessment = StringAt(mc, {"assessmentType"});
  facts.set_assessment(assessment);
  facts.set_form_of_participation(StringAt(mc, {"formOfParticipation"}));
  facts.set_quality_assurance_type(QaTypeOf(StringAt(mc, {"qualityAssurance", "qaType"})));
  facts.set_qa_body(StringAt(mc, {"qualityAssurance", "qaBody"}));
  facts.set_deqar_reference(StringAt(mc, {"qualityAssurance", "deqarReference"}));
}

void ReadAchievement(element achievement, recognition::v1::CredentialFacts& facts) {
  if (const std::string narrative = StringAt(achievement, {"criteria", "narrative"});
      !narrative.empty()) {
    facts.add_learning_outcomes(narrative);
  }
  for (element a : ArrayAt(achievement, {"alignment"})) {
    if (IsEqf(StringAt(a, {"targetFramework"}))) {
      const int level = EqfLevelOf(StringAt(a, {"targetCode"}));
      if (level > 0 && facts.eqf_level() == 0) facts.set_eqf_level(level);
      continue;
    }
    if (std::string name = StringAt(a, {"targetName"}); !name.empty()) {
      facts.add_learning_outcomes(name);
    }
  }
  if (std::optional<element> mc = At(achievement, {"microCredential"}); mc && mc->is_object()) {
    ReadMicroCredential(*mc, facts);
  }
  if (facts.ects() == 0 && facts.hours() == 0 && SaysEcts(achievement)) {
    facts.set_ects(NumberAt(achievement, {"creditsAvailable"}));
  }
  if (facts.assessment().empty()) {
    std::vector<std::string> names;
    for (element d : ArrayAt(achievement, {"resultDescription"})) {
      if (std::string name = StringAt(d, {"name"}); !name.empty()) names.push_back(name);
    }
    facts.set_assessment(absl::StrJoin(names, "; "));
  }
}

void ListMissing(recognition::v1::CredentialFacts& facts, bool learner_stated) {
  for (std::string& missing : MissingAnnexIElements(facts, learner_stated)) {
    facts.add_missing_elements(std::move(missing));
  }
}

}  // namespace

recognition::v1::CredentialFacts OpenBadgeFacts(std::string_view payload) {
  recognition::v1::CredentialFacts facts;
  thread_local simdjson::dom::parser parser;
  element credential;
  if (parser.parse(simdjson::padded_string(payload)).get(credential) || !credential.is_object()) {
    ListMissing(facts, /*learner_stated=*/false);
    return facts;
  }
  facts.set_credential_id(StringAt(credential, {"id"}));
  facts.set_issuer(IdOf(At(credential, {"issuer"})));
  facts.set_issuer_name(StringAt(credential, {"issuer", "name"}));
  // The issuer awards an Open Badge; a bare id does not tell a reviewer who that is, so it
  // counts as the awarding body only when the credential names it.
  if (!facts.issuer().empty() && !facts.issuer_name().empty()) {
    facts.add_awarding_bodies(facts.issuer());
  }
  std::string country = StringAt(credential, {"issuer", "address", "addressCountryCode"});
  if (country.empty()) country = StringAt(credential, {"issuer", "address", "addressCountry"});
  facts.set_country(country);

  std::optional<element> subject = At(credential, {"credentialSubject"});
  if (subject && !subject->is_object()) subject.reset();
  std::optional<element> achievement;
  if (subject) achievement = At(*subject, {"achievement"});
  if (achievement && achievement->is_object()) {
    facts.set_title(StringAt(*achievement, {"name"}));
    const std::string creator = IdOf(At(*achievement, {"creator"}));
    if (!creator.empty() && creator != facts.issuer()) facts.add_awarding_bodies(creator);
    ReadAchievement(*achievement, facts);
  } else {
    achievement.reset();
  }
  if (facts.title().empty()) facts.set_title(StringAt(credential, {"name"}));

  std::string issued = subject ? StringAt(*subject, {"awardedDate"}) : "";
  if (issued.empty()) issued = StringAt(credential, {"validFrom"});
  if (auto day = domain::DateWritten(issued)) *facts.mutable_issued_on() = *day;
  if (auto day = domain::DateWritten(StringAt(credential, {"validUntil"})))
    *facts.mutable_valid_until() = *day;
  const std::vector<element> results =
      subject ? ArrayAt(*subject, {"result"}) : std::vector<element>();
  if (!results.empty()) {
    facts.mutable_grade()->set_value(StringAt(results[0], {"value"}));
    const std::vector<element> descriptions =
        achievement ? ArrayAt(*achievement, {"resultDescription"}) : std::vector<element>();
    if (!descriptions.empty()) {
      facts.mutable_grade()->set_grading_scheme(StringAt(descriptions[0], {"name"}));
    }
  }
  const bool learner_stated = subject && (!StringAt(*subject, {"id"}).empty() ||
                                          !ArrayAt(*subject, {"identifier"}).empty());
  ListMissing(facts, learner_stated);
  return facts;
}

}  // namespace microcred::verification
