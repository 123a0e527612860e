// Valuing prior experience (VAE: ARES opinion 2024-23 §03.1.5, "Paysage" decree art. 119):
// "the experience must correspond to at least five years of activity, years of higher education
// counting only at one year per 60 credits acquired, up to two years". A jury examines the file;
// this computes the condition for it and shows how.
//
// Choices where the decree is silent:
//  - activity is counted in whole calendar months, both ends included, and overlapping periods
//    count once (two jobs at the same time are not two years of activity);
//  - higher-education credits count in whole years: floor(credits / 60), at most 2 (90 credits
//    are one year; 120 and 180 are two);
//  - five years are 60 months: 2019-01 to 2023-12 is exactly five years and meets the rule.
// Pure; thread-safe.
#ifndef MICROCRED_SERVICES_RECOGNITION_VAE_RULES_H_
#define MICROCRED_SERVICES_RECOGNITION_VAE_RULES_H_

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "microcred/recognition/v1/recognition.pb.h"

namespace microcred::recognition {

inline constexpr int kVaeRequiredMonths = 60;
inline constexpr int kVaeCreditsPerYear = 60;
inline constexpr int kVaeMaxHigherEducationYears = 2;

// Every period is well formed (valid months, from <= to, not after `current_month`, a kind, a
// description); credits are finite, 0 to 1000. INVALID_ARGUMENT naming the field
// ("file.activities[1].to: ...").
absl::Status ValidateVaeFile(const v1::VaeFile& file, absl::CivilMonth current_month);

// Years credited for `credits` of higher education: floor(credits / 60), at most 2.
int HigherEducationYearsCredited(double credits);

// Months covered by the periods, overlaps counted once. Expects a valid file.
int ActivityMonths(const v1::VaeFile& file);

// The art. 119 computation, with a one-line explanation for the jury. Expects a valid file.
v1::VaeEligibility ComputeVaeEligibility(const v1::VaeFile& file);

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_VAE_RULES_H_
