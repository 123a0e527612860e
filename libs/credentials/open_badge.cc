#include "libs/credentials/open_badge.h"

#include <string>

#include "libs/credentials/internal/checked_build.h"
#include "libs/credentials/internal/document_parts.h"
#include "libs/credentials/internal/strings.h"
#include "libs/credentials/vocabulary.h"

namespace microcred::credentials {
namespace {

using catalogue::v1::Specification;
using catalogue::v1::SpecificationContent;
using internal::Cat;
using internal::Json;

constexpr std::string_view kEqfBase = "http://data.europa.eu/snb/eqf/";
constexpr std::string_view kIscedFBase = "http://data.europa.eu/snb/isced-f/";

// Open Badges' IdentifierTypeEnum for the learner's own identifiers; the institution
// identifiers are extensions ("ext:" is how Open Badges extends its enumerations).
constexpr std::string_view kLearnerIdType = "sisSourcedId";
constexpr std::string_view kInstitutionIdType = "ext:microcredInstitutionId";
constexpr std::string_view kDeqarIdType = "ext:deqarInstitutionId";

Json Context() { return Json::array({kVcV2Context, kOpenBadgesContext, kMicrocredContext}); }

Json IdentifierEntry(std::string_view identifier, std::string_view type) {
  return {{"type", "IdentifierEntry"}, {"identifier", identifier}, {"identifierType", type}};
}

// An awarding body. `country` and `region` are passed separately because the issuer's come
// from the frozen specification (Annex I element 3), a co-awarding body's from the registry.
Json Profile(const IssuerFacts& body, std::string_view country, std::string_view region) {
  Json address = {{"type", Json::array({"Address"})}, {"addressCountryCode", country}};
  if (!region.empty()) address["addressRegion"] = region;
  Json ids = Json::array({IdentifierEntry(body.institution_id, kInstitutionIdType)});
  if (!body.deqar_id.empty()) ids.push_back(IdentifierEntry(body.deqar_id, kDeqarIdType));
  return {{"id", body.profile_url},  {"type", Json::array({"Profile"})},
          {"name", body.legal_name}, {"address", address},
          {"otherIdentifier", ids},  {"providerType", VocabularyTerm(body.provider_type)}};
}

Json IssuerProfile(const CredentialFacts& facts) {
  const auto& content = facts.specification.content();
  return Profile(facts.issuers.front(), content.country(), content.region());
}

Json AwardingBodies(const CredentialFacts& facts) {
  Json out = Json::array({IssuerProfile(facts)});
  const auto bodies = internal::AwardingBodiesInOrder(facts);
  for (size_t i = 1; i < bodies.size(); ++i) {
    out.push_back(Profile(*bodies[i], bodies[i]->country, bodies[i]->region));
  }
  return out;
}

Json Alignment(std::string_view name, std::string_view url, std::string_view framework,
               std::string_view code) {
  return {{"type", Json::array({"Alignment"})},
          {"targetName", name},
          {"targetUrl", url},
          {"targetFramework", framework},
          {"targetCode", code}};
}

// EQF level (Annex I element 8), the ESCO skill of each learning outcome that names one
// (element 6), and the ISCED-F field.
Json Alignments(const SpecificationContent& c) {
  const std::string eqf = Cat(c.eqf_level());
  Json out = Json::array({Alignment(Cat("EQF level ", eqf), Cat(kEqfBase, eqf),
                                    "European Qualifications Framework", eqf)});
  for (const auto& outcome : c.learning_outcomes()) {
    if (outcome.esco_skill_uri().empty()) continue;
    const std::string& uri = outcome.esco_skill_uri();
    out.push_back(Alignment(outcome.text(), uri, "ESCO", uri.substr(uri.rfind('/') + 1)));
  }
  if (!c.isced_f_code().empty()) {
    out.push_back(Alignment(Cat("ISCED-F 2013 field ", c.isced_f_code()),
                            Cat(kIscedFBase, c.isced_f_code()), "ISCED-F 2013", c.isced_f_code()));
  }
  return out;
}

// What the learner had to show: the learning outcomes, and how they were assessed (Markdown).
std::string CriteriaNarrative(const SpecificationContent& c) {
  std::string text = "Learning outcomes:\n";
  for (int i = 0; i < c.learning_outcomes().size(); ++i) {
    absl::StrAppend(&text, "\n", i + 1, ". ", c.learning_outcomes(i).text());
  }
  absl::StrAppend(&text, "\n\nAssessment: ", internal::ForStrCat(EnglishLabel(c.assessment_type())),
                  ".");
  if (!c.assessment_description().empty()) {
    absl::StrAppend(&text, " ", c.assessment_description());
  }
  return text;
}

std::string GradeDescriptionId(const Specification& spec) {
  return Cat(internal::SpecificationUri(spec), "#grade");
}

Json ResultDescriptions(const CredentialFacts& facts) {
  const auto& grade = facts.issuance.grade();
  const std::string name = grade.grading_scheme().empty() ? "Grade" : grade.grading_scheme();
  return Json::array({{{"id", GradeDescriptionId(facts.specification)},
                       {"type", Json::array({"ResultDescription"})},
                       {"name", name},
                       {"resultType", "Result"}}});
}

// The extension object: what Open Badges' Achievement cannot say.
Json AchievementExtension(const CredentialFacts& facts) {
  const auto& c = facts.specification.content();
  Json ext = internal::SpecificationExtension(facts.specification);
  ext["awardingBodies"] = AwardingBodies(facts);
  if (c.workload().amount_case() == catalogue::v1::Workload::kEcts) {
    ext["ectsCredits"] = c.workload().ects();
  } else {
    ext["workloadHours"] = c.workload().hours();
  }
  ext["assessmentType"] = VocabularyTerm(c.assessment_type());
  if (!c.assessment_description().empty()) {
    ext["assessmentDescription"] = c.assessment_description();
  }
  ext["formOfParticipation"] = VocabularyTerm(c.form_of_participation());
  ext["instructionLanguage"] = Json::array();
  for (const std::string& language : c.languages()) ext["instructionLanguage"].push_back(language);
  if (!c.prerequisites().empty()) ext["prerequisites"] = c.prerequisites();
  if (!c.further_information().empty()) ext["furtherInformation"] = c.further_information();
  return ext;
}

Json Achievement(const CredentialFacts& facts) {
  const Specification& spec = facts.specification;
  const auto& c = spec.content();
  Json out = {{"id", internal::SpecificationUri(spec)},
              {"type", Json::array({"Achievement"})},
              {"achievementType", "MicroCredential"},
              {"name", c.title()},
              {"description", c.description().empty() ? c.title() : c.description()},
              {"criteria", {{"narrative", CriteriaNarrative(c)}}},
              {"alignment", Alignments(c)},
              {"inLanguage", internal::TextLanguage(facts)},
              {"version", Cat(spec.version())},
              {"microCredential", AchievementExtension(facts)}};
  if (internal::AwardsEcts(c)) out["creditsAvailable"] = c.workload().ects();
  if (!c.isced_f_code().empty()) out["fieldOfStudy"] = Cat("ISCED-F ", c.isced_f_code());
  if (!facts.issuance.grade().value().empty()) out["resultDescription"] = ResultDescriptions(facts);
  return out;
}

Json IdentityObject(std::string_view type, std::string_view value, const std::string* salt) {
  Json out = {{"type", "IdentityObject"},
              {"identityType", type},
              {"hashed", salt != nullptr},
              {"identityHash", value}};
  if (salt != nullptr) out["salt"] = *salt;
  return out;
}

// The learner's name in clear, so that whoever receives the credential can see whose it is;
// e-mail and learner id hashed, so that they can confirm one the learner tells them.
Json LearnerIdentifiers(const CredentialFacts& facts) {
  Json out = Json::array(
      {IdentityObject("name", internal::LearnerFullName(facts.issuance.learner()), nullptr)});
  for (const auto& hashed : internal::HashedLearnerIdentifiers(facts)) {
    const std::string_view type =
        hashed.kind == "emailAddress" ? std::string_view("emailAddress") : kLearnerIdType;
    out.push_back(IdentityObject(type, hashed.hash, &facts.identifier_salt));
  }
  return out;
}

Json SubjectExtension(const issuance::v1::IssueCredentialRequest& issuance) {
  Json ext = internal::AwardExtension(issuance);
  ext["placeOfIssuing"] = issuance.place_of_issuing();
  if (issuance.supervision_applied() != 0) {
    ext["supervisionApplied"] = VocabularyTerm(issuance.supervision_applied());
  }
  return ext;
}

Json CredentialSubject(const CredentialFacts& facts) {
  const auto& grade = facts.issuance.grade();
  Json out = {{"id", facts.learner_subject_id},
              {"type", Json::array({"AchievementSubject"})},
              {"identifier", LearnerIdentifiers(facts)},
              {"achievement", Achievement(facts)},
              {"microCredentialAward", SubjectExtension(facts.issuance)}};
  const auto& content = facts.specification.content();
  if (internal::AwardsEcts(content)) out["creditsEarned"] = content.workload().ects();
  if (!grade.value().empty()) {
    out["result"] = Json::array({{{"type", Json::array({"Result"})},
                                  {"value", grade.value()},
                                  {"resultDescription", GradeDescriptionId(facts.specification)}}});
  }
  return out;
}

Json Build(const CredentialFacts& facts) {
  const auto& content = facts.specification.content();
  const auto& issuance = facts.issuance;
  Json out = {
      {"@context", Context()},
      {"id", facts.credential_id},
      {"type", Json::array({"VerifiableCredential", "OpenBadgeCredential"})},
      {"name", content.title()},
      {"issuer", IssuerProfile(facts)},
      {"validFrom", internal::StartOfDayUtc(issuance.issued_on())},
      {"awardedDate", internal::StartOfDayUtc(issuance.issued_on())},
      {"credentialSubject", CredentialSubject(facts)},
      {"credentialSchema",
       Json::array({{{"id", kOpenBadgesSchema}, {"type", "1EdTechJsonSchemaValidator2019"}}})},
      {"credentialStatus", internal::StatusEntries(facts)}};
  if (!content.description().empty()) out["description"] = content.description();
  if (internal::IsSet(issuance.valid_until())) {
    out["validUntil"] = internal::EndOfDayUtc(issuance.valid_until());
  }
  return out;
}

}  // namespace

absl::StatusOr<nlohmann::json> BuildOpenBadgeCredential(const CredentialFacts& facts) {
  return internal::CheckedBuild(facts, &Build);
}

}  // namespace microcred::credentials
