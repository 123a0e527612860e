// Whether a credential (or a catalogue specification, for suggestions) passes a requirement's
// CredentialFilter, and if not, which criteria it fails, in words a learner can act on.
//
// Criteria (stacking.proto, CredentialFilter): an empty field accepts everything; a repeated
// field accepts any listed value; ISCED-F codes match as prefixes ("06" accepts "0613");
// min_supervision compares on the ordered Supervision scale; a credential without a grade
// fails min_grade; max_age_days counts whole days from the date of issuing to the evaluation
// date. A specification (not yet a credential) has no grade and no age: it is taken to pass
// both, since a suggestion assumes the learner will earn the credential as required.
//
// Pure; thread-safe.
#ifndef MICROCRED_SERVICES_STACKING_CREDENTIAL_FILTER_H_
#define MICROCRED_SERVICES_STACKING_CREDENTIAL_FILTER_H_

#include <span>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "microcred/stacking/v1/stacking.pb.h"

namespace microcred::stacking {

// True when `credential` passes every filter of `filters`.
bool PassesFilters(std::span<const v1::CredentialFilter* const> filters,
                   const v1::CredentialFacts& credential, absl::CivilDay evaluation_date);
bool PassesFilters(std::span<const v1::CredentialFilter* const> filters,
                   const v1::SpecificationSummary& specification);

// One sentence per failed criterion, each starting with the filter field ("min_eqf_level: the
// credential is at EQF level 5, below 6"); empty when it passes.
std::vector<std::string> FilterFailures(std::span<const v1::CredentialFilter* const> filters,
                                        const v1::CredentialFacts& credential,
                                        absl::CivilDay evaluation_date);

// The number of criteria FilterFailures would list, counting no further than `stop_after`;
// cheaper, since nothing is put in words.
int CountFilterFailures(std::span<const v1::CredentialFilter* const> filters,
                        const v1::CredentialFacts& credential, absl::CivilDay evaluation_date,
                        int stop_after);

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_CREDENTIAL_FILTER_H_
