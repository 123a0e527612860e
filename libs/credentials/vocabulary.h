// The vocabularies a credential document is written in: the JSON-LD contexts it names, and the
// platform's own extension vocabulary (context/microcred-v1.jsonld) for the Annex I elements
// that neither Open Badges 3.0 nor the European Learning Model can hold.
//
// Whoever writes or reads a credential (issuance, verification, recognition, stacking) spells a
// term through these functions, so that each term is written in one place. Pure; thread-safe.
#ifndef MICROCRED_LIBS_CREDENTIALS_VOCABULARY_H_
#define MICROCRED_LIBS_CREDENTIALS_VOCABULARY_H_

#include <string>
#include <string_view>

#include "microcred/common/v1/common.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"

namespace microcred::credentials {

// W3C Verifiable Credentials Data Model 2.0.
inline constexpr std::string_view kVcV2Context = "https://www.w3.org/ns/credentials/v2";
// Open Badges 3.0, the context release that goes with VC 2.0.
inline constexpr std::string_view kOpenBadgesContext =
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
// The JSON Schema 1EdTech publishes for AchievementCredential (and OpenBadgeCredential).
inline constexpr std::string_view kOpenBadgesSchema =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
// What the European Commission's own ELM v3 credential samples name: VC 1.1 and the EDC
// application profile.
inline constexpr std::string_view kVcV1Context = "https://www.w3.org/2018/credentials/v1";
inline constexpr std::string_view kEdcContext = "http://data.europa.eu/snb/model/context/edc-ap";
inline constexpr std::string_view kEdcShaclSchema =
    "http://data.europa.eu/snb/model/ap/edc-generic-full";

// The platform's extension context and vocabulary. The URLs are stable names, independent of
// any one node (every node's credentials name the same context); each node serves the document
// (MicrocredContextDocument) and w3id.org redirects to it. See docs/CREDENTIALS.md.
inline constexpr std::string_view kMicrocredContext = "https://w3id.org/microcred/v1";
inline constexpr std::string_view kMicrocredVocabulary = "https://w3id.org/microcred/vocab#";

// The extension context document, context/microcred-v1.jsonld, embedded at build time.
std::string_view MicrocredContextDocument();

// The extension term for a value of one of Annex I's closed lists, e.g.
// VocabularyTerm(ASSESSMENT_TYPE_WRITTEN_EXAM) == "WrittenExam". Empty for UNSPECIFIED and for
// values this build does not know.
std::string_view VocabularyTerm(common::v1::AssessmentType value);
std::string_view VocabularyTerm(common::v1::FormOfParticipation value);
std::string_view VocabularyTerm(common::v1::QfEheaCycle value);
std::string_view VocabularyTerm(common::v1::QualityAssuranceType value);
std::string_view VocabularyTerm(common::v1::Supervision value);
std::string_view VocabularyTerm(common::v1::Stackability value);
std::string_view VocabularyTerm(common::v1::ProviderType value);
std::string_view VocabularyTerm(issuance::v1::ModeOfAcquisition value);

// An English label for the same values, for people reading the document ("Written exam").
// Empty where VocabularyTerm is empty.
std::string_view EnglishLabel(common::v1::AssessmentType value);
std::string_view EnglishLabel(common::v1::FormOfParticipation value);
std::string_view EnglishLabel(common::v1::QfEheaCycle value);
std::string_view EnglishLabel(common::v1::QualityAssuranceType value);
std::string_view EnglishLabel(common::v1::Supervision value);
std::string_view EnglishLabel(common::v1::Stackability value);
std::string_view EnglishLabel(common::v1::ProviderType value);
std::string_view EnglishLabel(issuance::v1::ModeOfAcquisition value);

// The full IRI of an extension term: kMicrocredVocabulary + term.
std::string VocabularyIri(std::string_view term);

}  // namespace microcred::credentials

#endif  // MICROCRED_LIBS_CREDENTIALS_VOCABULARY_H_
