#include "libs/credentials/open_badge.h"

#include <initializer_list>
#include <string>
#include <utility>

#include "libs/base/json_writer.h"
#include "libs/credentials/internal/document_parts.h"
#include "libs/credentials/internal/strings.h"
#include "libs/credentials/vocabulary.h"
#include "libs/crypto/crypto.h"
#include "libs/status_list/status_list_credential.h"

namespace microcred::credentials {
namespace {

using catalogue::v1::Specification;
using catalogue::v1::SpecificationContent;
using internal::Cat;

constexpr std::string_view kEqfBase = "http://data.europa.eu/snb/eqf/";
constexpr std::string_view kIscedFBase = "http://data.europa.eu/snb/isced-f/";

// Open Badges' IdentifierTypeEnum for the learner's own identifiers; the institution
// identifiers are extensions ("ext:" is how Open Badges extends its enumerations).
constexpr std::string_view kLearnerIdType = "sisSourcedId";
constexpr std::string_view kInstitutionIdType = "ext:microcredInstitutionId";
constexpr std::string_view kDeqarIdType = "ext:deqarInstitutionId";

void WriteContext(JsonWriter& w) {
  w.Key("@context").BeginArray();
  w.String(kVcV2Context).String(kOpenBadgesContext).String(kMicrocredContext).EndArray();
}

void WriteTypes(JsonWriter& w, std::initializer_list<std::string_view> types) {
  w.Key("type").BeginArray();
  for (std::string_view type : types) w.String(type);
  w.EndArray();
}

void WriteIdentifierEntry(std::string_view identifier, std::string_view type, JsonWriter& w) {
  w.BeginObject()
      .Field("type", "IdentifierEntry")
      .Field("identifier", identifier)
      .Field("identifierType", type)
      .EndObject();
}

// An awarding body. `country` and `region` are passed separately because the issuer's come
// from the frozen specification (Annex I element 3), a co-awarding body's from the registry.
void WriteProfile(const IssuerFacts& body, std::string_view country, std::string_view region,
                  JsonWriter& w) {
  w.BeginObject().Field("id", body.profile_url);
  WriteTypes(w, {"Profile"});
  w.Field("name", body.legal_name).Key("address").BeginObject();
  WriteTypes(w, {"Address"});
  w.Field("addressCountryCode", country).FieldIfNotEmpty("addressRegion", region).EndObject();
  w.Key("otherIdentifier").BeginArray();
  WriteIdentifierEntry(body.institution_id, kInstitutionIdType, w);
  if (!body.deqar_id.empty()) WriteIdentifierEntry(body.deqar_id, kDeqarIdType, w);
  w.EndArray().Field("providerType", VocabularyTerm(body.provider_type)).EndObject();
}

void WriteIssuerProfile(const CredentialFacts& facts, JsonWriter& w) {
  const auto& content = facts.specification.content();
  WriteProfile(facts.issuers.front(), content.country(), content.region(), w);
}

void WriteAwardingBodies(const CredentialFacts& facts, JsonWriter& w) {
  w.BeginArray();
  WriteIssuerProfile(facts, w);
  const auto bodies = internal::AwardingBodiesInOrder(facts);
  for (size_t i = 1; i < bodies.size(); ++i) {
    WriteProfile(*bodies[i], bodies[i]->country, bodies[i]->region, w);
  }
  w.EndArray();
}

void WriteAlignment(std::string_view name, std::string_view url, std::string_view framework,
                    std::string_view code, JsonWriter& w) {
  w.BeginObject();
  WriteTypes(w, {"Alignment"});
  w.Field("targetName", name)
      .Field("targetUrl", url)
      .Field("targetFramework", framework)
      .Field("targetCode", code)
      .EndObject();
}

// EQF level (Annex I element 8), the ESCO skill of each learning outcome that names one
// (element 6), and the ISCED-F field.
void WriteAlignments(const SpecificationContent& c, JsonWriter& w) {
  const std::string eqf = Cat(c.eqf_level());
  w.BeginArray();
  WriteAlignment(Cat("EQF level ", eqf), Cat(kEqfBase, eqf), "European Qualifications Framework",
                 eqf, w);
  for (const auto& outcome : c.learning_outcomes()) {
    if (outcome.esco_skill_uri().empty()) continue;
    const std::string& uri = outcome.esco_skill_uri();
    WriteAlignment(outcome.text(), uri, "ESCO", std::string_view(uri).substr(uri.rfind('/') + 1),
                   w);
  }
  if (!c.isced_f_code().empty()) {
    WriteAlignment(Cat("ISCED-F 2013 field ", c.isced_f_code()), Cat(kIscedFBase, c.isced_f_code()),
                   "ISCED-F 2013", c.isced_f_code(), w);
  }
  w.EndArray();
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

void WriteResultDescriptions(const CredentialFacts& facts, JsonWriter& w) {
  const auto& grade = facts.issuance.grade();
  const std::string_view name =
      grade.grading_scheme().empty() ? std::string_view("Grade") : grade.grading_scheme();
  w.BeginArray().BeginObject().Field("id", GradeDescriptionId(facts.specification));
  WriteTypes(w, {"ResultDescription"});
  w.Field("name", name).Field("resultType", "Result").EndObject().EndArray();
}

// The extension object: what Open Badges' Achievement cannot say.
void WriteAchievementExtension(const CredentialFacts& facts, JsonWriter& w) {
  const auto& c = facts.specification.content();
  w.BeginObject();
  internal::WriteSpecificationExtensionMembers(facts.specification, w);
  w.Key("awardingBodies");
  WriteAwardingBodies(facts, w);
  if (c.workload().amount_case() == catalogue::v1::Workload::kEcts) {
    w.Field("ectsCredits", c.workload().ects());
  } else {
    w.Field("workloadHours", c.workload().hours());
  }
  w.Field("assessmentType", VocabularyTerm(c.assessment_type()))
      .FieldIfNotEmpty("assessmentDescription", c.assessment_description())
      .Field("formOfParticipation", VocabularyTerm(c.form_of_participation()))
      .Key("instructionLanguage")
      .BeginArray();
  for (const std::string& language : c.languages()) w.String(language);
  w.EndArray()
      .FieldIfNotEmpty("prerequisites", c.prerequisites())
      .FieldIfNotEmpty("furtherInformation", c.further_information())
      .EndObject();
}

void WriteAchievement(const CredentialFacts& facts, JsonWriter& w) {
  const Specification& spec = facts.specification;
  const auto& c = spec.content();
  w.BeginObject().Field("id", internal::SpecificationUri(spec));
  WriteTypes(w, {"Achievement"});
  w.Field("achievementType", "MicroCredential")
      .Field("name", c.title())
      .Field("description", c.description().empty() ? c.title() : c.description())
      .Key("criteria")
      .BeginObject()
      .Field("narrative", CriteriaNarrative(c))
      .EndObject();
  if (internal::AwardsEcts(c)) w.Field("creditsAvailable", c.workload().ects());
  if (!c.isced_f_code().empty()) w.Field("fieldOfStudy", Cat("ISCED-F ", c.isced_f_code()));
  w.Key("alignment");
  WriteAlignments(c, w);
  if (!facts.issuance.grade().value().empty()) {
    w.Key("resultDescription");
    WriteResultDescriptions(facts, w);
  }
  w.Field("inLanguage", internal::TextLanguage(facts)).Field("version", Cat(spec.version()));
  w.Key("microCredential");
  WriteAchievementExtension(facts, w);
  w.EndObject();
}

void WriteIdentityObject(std::string_view type, std::string_view value, const std::string* salt,
                         JsonWriter& w) {
  w.BeginObject()
      .Field("type", "IdentityObject")
      .Field("identityType", type)
      .Field("hashed", salt != nullptr)
      .Field("identityHash", value);
  if (salt != nullptr) w.Field("salt", *salt);
  w.EndObject();
}

// The learner's name in clear, so that whoever receives the credential can see whose it is;
// e-mail and learner id hashed, so that they can confirm one the learner tells them.
void WriteLearnerIdentifiers(const CredentialFacts& facts, JsonWriter& w) {
  w.BeginArray();
  WriteIdentityObject("name", internal::LearnerFullName(facts.issuance.learner()), nullptr, w);
  for (const auto& hashed : internal::HashedLearnerIdentifiers(facts)) {
    const std::string_view type =
        hashed.kind == "emailAddress" ? std::string_view("emailAddress") : kLearnerIdType;
    WriteIdentityObject(type, hashed.hash, &facts.identifier_salt, w);
  }
  w.EndArray();
}

void WriteSubjectExtension(const issuance::v1::IssueCredentialRequest& issuance, JsonWriter& w) {
  w.BeginObject();
  internal::WriteAwardExtensionMembers(issuance, w);
  w.Field("placeOfIssuing", issuance.place_of_issuing());
  if (issuance.supervision_applied() != 0) {
    w.Field("supervisionApplied", VocabularyTerm(issuance.supervision_applied()));
  }
  w.EndObject();
}

void WriteCredentialSubject(const CredentialFacts& facts, JsonWriter& w) {
  const auto& grade = facts.issuance.grade();
  const auto& content = facts.specification.content();
  w.BeginObject().Field("id", facts.learner_subject_id);
  WriteTypes(w, {"AchievementSubject"});
  w.Key("identifier");
  WriteLearnerIdentifiers(facts, w);
  w.Key("achievement");
  WriteAchievement(facts, w);
  if (internal::AwardsEcts(content)) w.Field("creditsEarned", content.workload().ects());
  if (!grade.value().empty()) {
    w.Key("result").BeginArray().BeginObject();
    WriteTypes(w, {"Result"});
    w.Field("value", grade.value())
        .Field("resultDescription", GradeDescriptionId(facts.specification))
        .EndObject()
        .EndArray();
  }
  w.Key("microCredentialAward");
  WriteSubjectExtension(facts.issuance, w);
  w.EndObject();
}

// One entry, as the 1EdTech schema takes one CredentialStatus object: the issuer's "message"
// list, whose 2-bit code says active, revoked or suspended (Bitstring Status List v1.0's way of
// carrying several states in one entry). status_list::BuildStatusListEntry's JSON, written here
// on the hot path.
void WriteCredentialStatus(const StatusFacts& status, JsonWriter& w) {
  constexpr auto kPurpose = status_list::StatusPurpose::kMessage;
  const std::string list = status_list::StatusListUrl(status.status_base_url, kPurpose);
  const std::string index = Cat(status.status_list_index);
  w.BeginObject()
      .Field("id", Cat(list, "#", index))
      .Field("type", "BitstringStatusListEntry")
      .Field("statusPurpose", status_list::StatusPurposeName(kPurpose))
      .Field("statusListIndex", index)
      .Field("statusSize", status_list::StatusSizeOf(kPurpose))
      .Field("statusListCredential", list)
      .Key("statusMessage")
      .BeginArray();
  for (const status_list::StatusMessage& m : status_list::kMessageStatuses) {
    w.BeginObject()
        .Field("status", status_list::StatusHex(m.status))
        .Field("message", m.message)
        .EndObject();
  }
  w.EndArray().Field("statusReference", status.status_base_url).EndObject();
}

void WriteCredential(const CredentialFacts& facts, JsonWriter& w) {
  const auto& content = facts.specification.content();
  const auto& issuance = facts.issuance;
  w.BeginObject();
  WriteContext(w);
  w.Field("id", facts.credential_id);
  WriteTypes(w, {"VerifiableCredential", "OpenBadgeCredential"});
  w.Field("name", content.title()).FieldIfNotEmpty("description", content.description());
  w.Key("issuer");
  WriteIssuerProfile(facts, w);
  const std::string issued = internal::StartOfDayUtc(issuance.issued_on());
  w.Field("validFrom", issued);
  if (internal::IsSet(issuance.valid_until())) {
    w.Field("validUntil", internal::EndOfDayUtc(issuance.valid_until()));
  }
  w.Field("awardedDate", issued).Key("credentialSubject");
  WriteCredentialSubject(facts, w);
  if (!issuance.constituent_credential_ids().empty()) {
    // A stacked credential: the credentials it was conferred on (OB 3.0 Evidence).
    w.Key("evidence").BeginArray();
    for (const std::string& id : issuance.constituent_credential_ids()) {
      w.BeginObject().Field("id", id);
      WriteTypes(w, {"Evidence"});
      w.Field("name", "Constituent credential").EndObject();
    }
    w.EndArray();
  }
  w.Key("credentialSchema").BeginArray().BeginObject();
  w.Field("id", kOpenBadgesSchema).Field("type", "1EdTechJsonSchemaValidator2019");
  w.EndObject().EndArray().Key("credentialStatus");
  WriteCredentialStatus(facts.status, w);
  w.EndObject();
}

}  // namespace

absl::StatusOr<nlohmann::json> BuildProfile(const IssuerFacts& issuer) {
  JsonWriter w(1024);
  WriteProfile(issuer, issuer.country, issuer.region, w);
  auto text = std::move(w).Finish();
  if (!text.ok()) return text.status();
  return nlohmann::json::parse(*text);
}

absl::StatusOr<std::string> WriteOpenBadgeCredential(const CredentialFacts& facts) {
  if (absl::Status status = ValidateCredentialFacts(facts); !status.ok()) return status;
  if (absl::Status status = crypto::InitCrypto(); !status.ok()) return status;
  JsonWriter w(8192);
  WriteCredential(facts, w);
  absl::StatusOr<std::string> text = std::move(w).Finish();
  if (!text.ok() && text.status().code() == absl::StatusCode::kInvalidArgument) {
    return absl::InvalidArgumentError(Cat("credential facts: ", text.status().message()));
  }
  return text;
}

absl::StatusOr<nlohmann::json> BuildOpenBadgeCredential(const CredentialFacts& facts) {
  absl::StatusOr<std::string> text = WriteOpenBadgeCredential(facts);
  if (!text.ok()) return text.status();
  return nlohmann::json::parse(*text);
}

// The same values WriteCredential, WriteIssuerProfile and WriteCredentialSubject write; a
// difference would make every Open Badges credential fail verification (its claims would
// contradict it), which the issuance tests catch.
ClaimedMembers ClaimedMembersOf(const CredentialFacts& facts) {
  const auto& issuance = facts.issuance;
  ClaimedMembers members{.issuer_id = facts.issuers.front().profile_url,
                         .id = facts.credential_id,
                         .subject_id = facts.learner_subject_id,
                         .valid_from = internal::StartOfDayUtc(issuance.issued_on())};
  if (internal::IsSet(issuance.valid_until())) {
    members.valid_until = internal::EndOfDayUtc(issuance.valid_until());
  }
  return members;
}

}  // namespace microcred::credentials
