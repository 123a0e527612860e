#include "libs/credentials/elm.h"

#include <string>

#include "libs/credentials/internal/checked_build.h"
#include "libs/credentials/internal/document_parts.h"
#include "libs/credentials/internal/elm_concepts.h"
#include "libs/credentials/internal/elm_display.h"
#include "libs/credentials/internal/iso_alpha3.h"
#include "libs/credentials/internal/strings.h"
#include "libs/credentials/vocabulary.h"
#include "libs/status_list/status_list_credential.h"

namespace microcred::credentials {
namespace {

using internal::Cat;
using internal::Json;

constexpr std::string_view kXsdAnyUri = "http://www.w3.org/2001/XMLSchema#anyURI";

// What every part of the document needs: the facts, the language of the texts, and the bases of
// the node ids (the credential's own nodes under its id, the specification's under its URI, so
// that two credentials of one specification share those nodes).
struct Doc {
  const CredentialFacts& facts;
  std::string lang;
  std::string spec_uri;

  std::string CredentialNode(std::string_view name) const {
    return Cat(facts.credential_id, "#", name);
  }
  std::string SpecNode(std::string_view name) const { return Cat(spec_uri, "#", name); }
  Json Text(std::string_view text) const { return {{lang, text}}; }
  Json Note(std::string id, std::string_view text) const {
    return {{"id", std::move(id)}, {"type", "Note"}, {"noteLiteral", Text(text)}};
  }
};

// VC 1.1 and the EDC profile, as the Commission's samples use them, and the platform's
// extension context.
Json Context() { return Json::array({kVcV1Context, kEdcContext, kMicrocredContext}); }

Json Identifier(std::string id, std::string_view notation, std::string_view scheme_name) {
  return {{"id", std::move(id)},
          {"type", "Identifier"},
          {"notation", notation},
          {"schemeName", scheme_name}};
}

Json Location(const Doc& doc, const IssuerFacts& body, std::string_view country,
              std::string_view region) {
  Json location = {{"id", Cat(body.profile_url, "#location")},
                   {"type", "Location"},
                   {"address",
                    {{"id", Cat(body.profile_url, "#address")},
                     {"type", "Address"},
                     {"countryCode", internal::CountryConcept(country)}}}};
  if (!region.empty()) location["geographicName"] = doc.Text(region);
  return location;
}

// An awarding body. The issuer's country and region come from the frozen specification (Annex
// I element 3), a co-awarding body's from the registry.
Json Organisation(const Doc& doc, const IssuerFacts& body, std::string_view country,
                  std::string_view region) {
  Json ids = Json::array({Identifier(Cat(body.profile_url, "#institution-id"), body.institution_id,
                                     "microcred institution id")});
  if (!body.deqar_id.empty()) {
    ids.push_back(Identifier(Cat(body.profile_url, "#deqar-id"), body.deqar_id, "DEQAR"));
  }
  return {{"id", body.profile_url},
          {"type", "Organisation"},
          {"legalName", doc.Text(body.legal_name)},
          {"location", Json::array({Location(doc, body, country, region)})},
          {"identifier", ids},
          {"dcType", Json::array({internal::ProviderTypeConcept(body.provider_type)})}};
}

// The legal person the e-seal certifies (EDC requires it of the issuer): the seal
// certificate's organizationIdentifier and country, as Europass writes it when it seals.
Json EidasIdentifier(const Doc& doc) {
  const SealFacts& seal = doc.facts.seal;
  return {{"id", Cat(doc.facts.issuers.front().profile_url, "#eidas-id")},
          {"type", "LegalIdentifier"},
          {"notation", seal.organization_identifier},
          {"spatial", internal::CountryConcept(seal.country)}};
}

Json IssuerOrganisation(const Doc& doc) {
  const auto& content = doc.facts.specification.content();
  Json out = Organisation(doc, doc.facts.issuers.front(), content.country(), content.region());
  out["eIDASIdentifier"] = EidasIdentifier(doc);
  return out;
}

Json AwardingBodies(const Doc& doc) {
  Json out = Json::array({IssuerOrganisation(doc)});
  const auto bodies = internal::AwardingBodiesInOrder(doc.facts);
  for (size_t i = 1; i < bodies.size(); ++i) {
    out.push_back(Organisation(doc, *bodies[i], bodies[i]->country, bodies[i]->region));
  }
  return out;
}

Json AwardingProcess(const Doc& doc) {
  const auto& issuance = doc.facts.issuance;
  return {{"id", doc.CredentialNode("awarding")},
          {"type", "AwardingProcess"},
          {"awardingBody", AwardingBodies(doc)},
          {"awardingDate", internal::StartOfDayUtc(issuance.issued_on())}};
}

Json LearningOutcomes(const Doc& doc) {
  Json out = Json::array();
  const auto& outcomes = doc.facts.specification.content().learning_outcomes();
  for (int i = 0; i < outcomes.size(); ++i) {
    Json outcome = {{"id", doc.SpecNode(Cat("learning-outcome-", i + 1))},
                    {"type", "LearningOutcome"},
                    {"title", doc.Text(outcomes[i].text())}};
    if (!outcomes[i].esco_skill_uri().empty()) {
      outcome["relatedESCOSkill"] =
          Json::array({{{"id", outcomes[i].esco_skill_uri()},
                        {"type", "Concept"},
                        {"inScheme",
                         {{"id", "http://data.europa.eu/esco/concept-scheme/skills"},
                          {"type", "ConceptScheme"}}}}});
    }
    out.push_back(std::move(outcome));
  }
  return out;
}

Json CreditPoint(std::string id, double ects) {
  return {{"id", std::move(id)},
          {"type", "CreditPoint"},
          {"framework", internal::EctsFramework()},
          {"point", internal::DecimalString(ects)}};
}

// Annex I element 9. The grading scheme comes with the grade, so this node is the credential's.
Json AssessmentSpecification(const Doc& doc) {
  const auto& c = doc.facts.specification.content();
  Json out = {{"id", doc.CredentialNode("assessment-specification")},
              {"type", "LearningAssessmentSpecification"},
              {"title", doc.Text(c.title())},
              {"dcType", internal::AssessmentTypeConcept(c.assessment_type())}};
  if (!c.assessment_description().empty()) {
    out["description"] = doc.Text(c.assessment_description());
  }
  const auto& scheme = doc.facts.issuance.grade().grading_scheme();
  if (!scheme.empty()) {
    out["gradingScheme"] = {{"id", doc.CredentialNode("grading-scheme")},
                            {"type", "GradingScheme"},
                            {"title", doc.Text(scheme)}};
  }
  return out;
}

Json Languages(const catalogue::v1::SpecificationContent& c) {
  Json out = Json::array();
  for (const std::string& language : c.languages()) {
    out.push_back(internal::LanguageConcept(language));
  }
  return out;
}

// Workload (element 7): ECTS as credit points, hours as a volume of learning.
void AddWorkload(const Doc& doc, Json& spec) {
  const auto& workload = doc.facts.specification.content().workload();
  if (workload.amount_case() == catalogue::v1::Workload::kEcts) {
    spec["creditPoint"] = Json::array({CreditPoint(doc.SpecNode("credit-point"), workload.ects())});
  } else {
    spec["volumeOfLearning"] = internal::HoursAsDuration(workload.hours());
  }
}

void AddOptionalTexts(const Doc& doc, Json& spec) {
  const auto& c = doc.facts.specification.content();
  if (!c.description().empty()) spec["description"] = doc.Text(c.description());
  if (!c.isced_f_code().empty()) {
    spec["thematicArea"] = Json::array({internal::IscedFConcept(c.isced_f_code())});
  }
  if (!c.prerequisites().empty()) {
    spec["entryRequirement"] = doc.Note(doc.SpecNode("entry-requirement"), c.prerequisites());
  }
  if (!c.further_information().empty()) {
    spec["additionalNote"] =
        Json::array({doc.Note(doc.SpecNode("further-information"), c.further_information())});
  }
}

Json Qualification(const Doc& doc) {
  const auto& spec = doc.facts.specification;
  const auto& c = spec.content();
  Json out = {{"id", doc.spec_uri},
              {"type", "Qualification"},
              {"title", doc.Text(c.title())},
              {"identifier",
               Json::array({Identifier(doc.SpecNode("specification-id"), spec.specification_id(),
                                       "microcred specification id")})},
              {"learningOutcome", LearningOutcomes(doc)},
              {"eqfLevel", internal::EqfLevelConcept(c.eqf_level())},
              {"mode", Json::array({internal::ModeConcept(c.form_of_participation())})},
              {"language", Languages(c)},
              {"provenBy", Json::array({AssessmentSpecification(doc)})},
              {"microCredential", internal::SpecificationExtension(spec)}};
  AddWorkload(doc, out);
  AddOptionalTexts(doc, out);
  return out;
}

// Only for a graded award: EDC requires a grade of every LearningAssessment.
Json LearningAssessment(const Doc& doc) {
  const auto& issuance = doc.facts.issuance;
  Json out = {{"id", doc.CredentialNode("assessment")},
              {"type", "LearningAssessment"},
              {"title", doc.Text(doc.facts.specification.content().title())},
              {"awardedBy", {{"id", doc.CredentialNode("awarding")}, {"type", "AwardingProcess"}}},
              {"specifiedBy",
               {{"id", doc.CredentialNode("assessment-specification")},
                {"type", "LearningAssessmentSpecification"}}}};
  out["grade"] = doc.Note(doc.CredentialNode("grade"), issuance.grade().value());
  if (issuance.supervision_applied() != 0) {
    out["idVerification"] = internal::IdVerificationConcept(issuance.supervision_applied());
  }
  return out;
}

Json LearningAchievement(const Doc& doc) {
  const auto& c = doc.facts.specification.content();
  const auto& issuance = doc.facts.issuance;
  Json award = internal::AwardExtension(issuance);
  // ELM's place is a Location, which EDC requires to have an address with a country; the
  // place of issuing is free text, so it stays text, in the extension.
  award["placeOfIssuing"] = issuance.place_of_issuing();
  Json out = {{"id", doc.CredentialNode("achievement")},
              {"type", "LearningAchievement"},
              {"title", doc.Text(c.title())},
              {"awardedBy", AwardingProcess(doc)},
              {"specifiedBy", Qualification(doc)}};
  if (!issuance.grade().value().empty()) {
    out["provenBy"] = Json::array({LearningAssessment(doc)});
  } else if (issuance.supervision_applied() != 0) {
    // Without a grade there is no LearningAssessment to carry idVerification.
    award["supervisionApplied"] = VocabularyTerm(issuance.supervision_applied());
  }
  out["microCredentialAward"] = std::move(award);
  if (internal::AwardsEcts(c)) {
    out["creditReceived"] =
        Json::array({CreditPoint(doc.CredentialNode("credit-received"), c.workload().ects())});
  }
  return out;
}

// The learner's e-mail and learner id as salted hashes, with the salt a verifier needs.
Json HashedIdentifiers(const Doc& doc) {
  Json out = Json::array();
  for (const auto& hashed : internal::HashedLearnerIdentifiers(doc.facts)) {
    const bool email = hashed.kind == "emailAddress";
    Json id = Identifier(
        doc.CredentialNode(email ? "learner-email" : "learner-id"), hashed.hash,
        email ? "salted SHA-256 of the e-mail address" : "salted SHA-256 of the learner id");
    const std::string term = email ? "HashedEmailAddress" : "HashedLearnerId";
    id["schemeId"] = VocabularyIri(term);
    id["identitySalt"] = doc.facts.identifier_salt;
    out.push_back(std::move(id));
  }
  return out;
}

Json Person(const Doc& doc) {
  const auto& learner = doc.facts.issuance.learner();
  Json out = {{"id", doc.facts.learner_subject_id},
              {"type", "Person"},
              {"fullName", doc.Text(internal::LearnerFullName(learner))},
              {"hasClaim", LearningAchievement(doc)}};
  if (!learner.given_name().empty()) out["givenName"] = doc.Text(learner.given_name());
  if (!learner.family_name().empty()) out["familyName"] = doc.Text(learner.family_name());
  if (Json ids = HashedIdentifiers(doc); !ids.empty()) out["identifier"] = std::move(ids);
  return out;
}

// EDC takes one credentialStatus, an xsd:anyURI literal (a value object: the VC 1.1 context
// would make a plain string an IRI node). It is the credential's entry in the 2-bit "message"
// list, list URL + "#" + index, the id the Open Badges document's entry has: the list
// credential it names says its purpose, size and messages (docs/CREDENTIALS.md, "Status").
Json StatusUri(const StatusFacts& status) {
  const std::string list =
      status_list::StatusListUrl(status.status_base_url, status_list::StatusPurpose::kMessage);
  return {{"@value", Cat(list, "#", status.status_list_index)}, {"@type", kXsdAnyUri}};
}

// The display EDC requires: one page, the image DisplaySvg draws, in the texts' language.
Json DisplayParameter(const Doc& doc) {
  const Json language = internal::LanguageConcept(doc.lang);
  const Json image = {{"id", doc.CredentialNode("display-image")},
                      {"type", "MediaObject"},
                      {"content", internal::Base64(internal::DisplaySvg(doc.facts))},
                      {"contentType", internal::SvgFileType()},
                      {"contentEncoding", internal::Base64Encoding()}};
  const Json detail = {{"id", doc.CredentialNode("display-page-1")},
                       {"type", "DisplayDetail"},
                       {"image", image},
                       {"page", 1}};
  return {{"id", doc.CredentialNode("display")},
          {"type", "DisplayParameter"},
          {"title", doc.Text(doc.facts.specification.content().title())},
          {"primaryLanguage", language},
          {"language", Json::array({language})},
          {"individualDisplay", Json::array({{{"id", doc.CredentialNode("display-individual")},
                                              {"type", "IndividualDisplay"},
                                              {"language", language},
                                              {"displayDetail", Json::array({detail})}}})}};
}

Json Build(const CredentialFacts& facts) {
  const Doc doc{facts, std::string(internal::TextLanguage(facts)),
                internal::SpecificationUri(facts.specification)};
  const auto& issuance = facts.issuance;
  Json out = {{"@context", Context()},
              {"id", facts.credential_id},
              {"type", Json::array({"VerifiableCredential", "EuropeanDigitalCredential"})},
              {"credentialProfiles", Json::array({internal::GenericCredentialProfile()})},
              {"credentialSchema", {{"id", kEdcShaclSchema}, {"type", "ShaclValidator2017"}}},
              {"issuer", IssuerOrganisation(doc)},
              {"issued", internal::InstantUtc(facts.issued_at_ms)},
              {"validFrom", internal::StartOfDayUtc(issuance.issued_on())},
              {"displayParameter", DisplayParameter(doc)},
              {"credentialSubject", Person(doc)},
              {"credentialStatus", StatusUri(facts.status)}};
  if (internal::IsSet(issuance.valid_until())) {
    out["validUntil"] = internal::EndOfDayUtc(issuance.valid_until());
  }
  return out;
}

}  // namespace

absl::StatusOr<nlohmann::json> BuildElmCredential(const CredentialFacts& facts) {
  if (facts.seal.organization_identifier.empty()) {
    return absl::InvalidArgumentError(
        "seal.organization_identifier: the seal certificate's organizationIdentifier is "
        "required (EDC's issuer eIDAS identifier)");
  }
  if (internal::CountryAlpha3(facts.seal.country).empty()) {
    return absl::InvalidArgumentError(
        "seal.country: the seal certificate's countryName, an ISO 3166-1 alpha-2 code, is "
        "required");
  }
  return internal::CheckedBuild(facts, &Build);
}

}  // namespace microcred::credentials
