// SKOS concepts for the European Learning Model document: the EU controlled vocabularies where
// a concept URI could be verified, and the platform's own vocabulary otherwise. Internal to
// libs/credentials; docs/CREDENTIALS.md says where each URI comes from.
#ifndef MICROCRED_LIBS_CREDENTIALS_INTERNAL_ELM_CONCEPTS_H_
#define MICROCRED_LIBS_CREDENTIALS_INTERNAL_ELM_CONCEPTS_H_

#include <string_view>

#include "microcred/common/v1/common.pb.h"
#include "nlohmann/json.hpp"

namespace microcred::credentials::internal {

// The EDC credential profile "Generic".
nlohmann::json GenericCredentialProfile();
// http://data.europa.eu/snb/eqf/<level>.
nlohmann::json EqfLevelConcept(int level);
// http://data.europa.eu/snb/isced-f/<code>.
nlohmann::json IscedFConcept(std::string_view code);
// The ECTS framework of the education-credit vocabulary.
nlohmann::json EctsFramework();
// The learning-assessment ("mode of learning and assessment") vocabulary.
nlohmann::json ModeConcept(common::v1::FormOfParticipation form);
// The supervision-verification vocabulary where verified; the platform's vocabulary otherwise.
nlohmann::json IdVerificationConcept(common::v1::Supervision supervision);
// The EU country and language authority tables, from ISO 3166-1 alpha-2 and ISO 639-1.
nlohmann::json CountryConcept(std::string_view alpha2);
nlohmann::json LanguageConcept(std::string_view alpha2);
// The display image's file type (the EU file-type authority table's SVG) and its encoding
// (the Europass encoding vocabulary's base64).
nlohmann::json SvgFileType();
nlohmann::json Base64Encoding();
// The platform's vocabulary: no EU list with verified URIs exists for these.
nlohmann::json AssessmentTypeConcept(common::v1::AssessmentType type);
nlohmann::json ProviderTypeConcept(common::v1::ProviderType type);

}  // namespace microcred::credentials::internal

#endif  // MICROCRED_LIBS_CREDENTIALS_INTERNAL_ELM_CONCEPTS_H_
