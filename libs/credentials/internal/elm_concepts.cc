#include "libs/credentials/internal/elm_concepts.h"

#include <string>

#include "libs/credentials/internal/iso_alpha3.h"
#include "libs/credentials/internal/strings.h"
#include "libs/credentials/vocabulary.h"

namespace microcred::credentials::internal {
namespace {

using Json = nlohmann::json;
using namespace common::v1;

// The Europass vocabularies name their concept scheme "<vocabulary>/25831c2".
constexpr std::string_view kSnb = "http://data.europa.eu/snb/";
constexpr std::string_view kAuthority = "http://publications.europa.eu/resource/authority/";

Json Concept(std::string_view id, std::string_view scheme, std::string_view english_label) {
  Json out = {
      {"id", id}, {"type", "Concept"}, {"inScheme", {{"id", scheme}, {"type", "ConceptScheme"}}}};
  if (!english_label.empty()) out["prefLabel"] = {{"en", english_label}};
  return out;
}

// A concept of one of the Europass vocabularies: <kSnb><vocabulary>/<code>.
Json SnbConcept(std::string_view vocabulary, std::string_view code, std::string_view label) {
  return Concept(Cat(kSnb, vocabulary, "/", code), Cat(kSnb, vocabulary, "/25831c2"), label);
}

// A concept of the platform's vocabulary, in the named scheme.
Json OwnConcept(std::string_view term, std::string_view scheme, std::string_view label) {
  return Concept(VocabularyIri(term), VocabularyIri(scheme), label);
}

}  // namespace

Json GenericCredentialProfile() { return SnbConcept("credential", "e34929035b", "Generic"); }

Json EqfLevelConcept(int level) { return SnbConcept("eqf", Cat(level), Cat("Level ", level)); }

Json IscedFConcept(std::string_view code) { return SnbConcept("isced-f", code, ""); }

Json EctsFramework() {
  return SnbConcept("education-credit", "6fcec5c5af", "European Credit Transfer System");
}

Json ModeConcept(FormOfParticipation form) {
  switch (form) {
    case FORM_OF_PARTICIPATION_ONLINE:
      return SnbConcept("learning-assessment", "920fbb3cbe", "Online");
    case FORM_OF_PARTICIPATION_BLENDED:
      return SnbConcept("learning-assessment", "e92d221e4d", "Blended");
    case FORM_OF_PARTICIPATION_ONSITE:
      return SnbConcept("learning-assessment", "9191af2ed9", "Presential");
    default:
      return Json();
  }
}

Json IdVerificationConcept(Supervision supervision) {
  if (supervision == SUPERVISION_UNSUPERVISED_NO_ID_CHECK) {
    return SnbConcept("supervision-verification", "c598449d64",
                      "Unsupervised without ID verification");
  }
  return OwnConcept(VocabularyTerm(supervision), "SupervisionAndIdentityVerification",
                    EnglishLabel(supervision));
}

Json CountryConcept(std::string_view alpha2) {
  return Concept(Cat(kAuthority, "country/", CountryAlpha3(alpha2)), Cat(kAuthority, "country"),
                 "");
}

Json LanguageConcept(std::string_view alpha2) {
  return Concept(Cat(kAuthority, "language/", LanguageAlpha3(alpha2)), Cat(kAuthority, "language"),
                 "");
}

Json SvgFileType() {
  return Concept(Cat(kAuthority, "file-type/SVG"), Cat(kAuthority, "file-type"), "SVG");
}

Json Base64Encoding() { return SnbConcept("encoding", "6146cde7dd", "base64"); }

Json AssessmentTypeConcept(AssessmentType type) {
  return OwnConcept(VocabularyTerm(type), "AssessmentTypes", EnglishLabel(type));
}

Json ProviderTypeConcept(ProviderType type) {
  return OwnConcept(VocabularyTerm(type), "ProviderTypes", EnglishLabel(type));
}

}  // namespace microcred::credentials::internal
