// Validation of a micro-credential specification (the Annex I elements a provider publishes in
// its catalogue) against the Recommendation, the ecosystem's policy profile and the registry.
//
// ValidateSpecificationContent reports the FIRST violation, checking the fields in the order
// of the SpecificationContent message (title, awarding_bodies, country, region, ...,
// description); within a field, shape rules come before the rules that consult the registry.
// Every error message starts with the field path in proto field names:
//   content.learning_outcomes[2].esco_skill_uri: must be http://data.europa.eu/esco/skill/ ...
// Codes: INVALID_ARGUMENT for malformed content (including a title that contains a protected
// degree title: the content is what must change); FAILED_PRECONDITION for what depends on the
// ecosystem's state (an awarding body unknown to the registry or suspended, a provider type
// the policy profile does not let issue or award ECTS). Pure: the registry is reached only
// through the lookup the caller provides.
//
// Choices made where Annex I is silent:
//  - texts are counted in Unicode code points and must be valid UTF-8; the title is a single
//    line with no surrounding white space (it is frozen, as stored, into every credential);
//  - ECTS are multiples of 0.5, from 0.5 to 400: half credits are common for small offerings,
//    and sums of halves are exact in binary floating point, so stacking thresholds ("at least
//    10 ECTS") compare exactly. 400 ECTS (~10000 h) and 10000 hours are sanity bounds against
//    typing errors, not policy: ARES wants no minimum or maximum for micro-credentials;
//  - hours may be fractional (7.5 h);
//  - esco_skill_uri must use the ESCO identifier exactly: "http://" (not https) and a
//    lower-case UUID, because search compares skill URIs as strings;
//  - deqar_reference accepts a DEQAR institution id (DEQARINST0107) or a DEQAR report id (a
//    positive integer); see field_rules.h;
//  - review_by: a Date of all zeros counts as unset;
//  - region (ISO 3166-2) is checked for shape and country prefix, not against the subdivision
//    list.
#ifndef MICROCRED_LIBS_DOMAIN_SPECIFICATION_H_
#define MICROCRED_LIBS_DOMAIN_SPECIFICATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "libs/domain/institution.h"
#include "libs/domain/policy_profile.h"
#include "microcred/catalogue/v1/catalogue.pb.h"

namespace microcred::domain {

// Limits, in Unicode code points.
inline constexpr size_t kMaxTitleChars = 255;
inline constexpr size_t kMaxLearningOutcomeChars = 2000;
inline constexpr size_t kMaxShortTextChars = 255;      // qa_body
inline constexpr size_t kMaxFreeTextChars = 5000;      // assessment_description, prerequisites,
                                                       // further_information, qa description
inline constexpr size_t kMaxDescriptionChars = 20000;  // description
inline constexpr double kMaxEcts = 400;
inline constexpr double kMaxHours = 10000;

struct SpecificationContext {
  // The ecosystem's policy profile.
  PolicyProfile profile;
  // The institution publishing (or revising) the specification; must be an awarding body.
  std::string publishing_institution;
  // The registry as the publishing node sees it. Must be set.
  InstitutionLookup lookup_institution;
  // The publishing node's current date (review_by must be after it).
  absl::CivilDay today;
};

absl::Status ValidateSpecificationContent(const catalogue::v1::SpecificationContent& content,
                                          const SpecificationContext& ctx);

// True when `date` is a real calendar date (years 1 to 9999).
bool IsValidDate(const common::v1::Date& date);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_SPECIFICATION_H_
