#include "services/recognition/vae_rules.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "libs/base/strings.h"
#include "libs/domain/field_rules.h"

namespace microcred::recognition {
namespace {

using strings::Cat;

constexpr double kMaxCredits = 1000;

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(Cat("file.", field, ": ", what));
}

bool IsValidYearMonth(const v1::YearMonth& m) {
  return m.year() >= 1900 && m.year() <= 9999 && m.month() >= 1 && m.month() <= 12;
}

absl::CivilMonth ToCivilMonth(const v1::YearMonth& m) {
  return absl::CivilMonth(m.year(), m.month());
}

absl::Status CheckPeriod(const v1::ActivityPeriod& period, int index,
                         absl::CivilMonth current_month) {
  const std::string path = Cat("activities[", index, "]");
  if (!IsValidYearMonth(period.from())) {
    return Invalid(Cat(path, ".from"), "a year (1900 or later) and a month 1 to 12");
  }
  if (!IsValidYearMonth(period.to())) {
    return Invalid(Cat(path, ".to"), "a year (1900 or later) and a month 1 to 12");
  }
  if (ToCivilMonth(period.to()) < ToCivilMonth(period.from())) {
    return Invalid(Cat(path, ".to"), "must not be before from");
  }
  if (ToCivilMonth(period.to()) > current_month) {
    return Invalid(Cat(path, ".to"), "must not be in the future");
  }
  if (period.kind() == v1::ACTIVITY_KIND_UNSPECIFIED || !v1::ActivityKind_IsValid(period.kind())) {
    return Invalid(Cat(path, ".kind"), "required: PROFESSIONAL or PERSONAL");
  }
  return domain::ValidateText(period.description(), Cat("file.", path, ".description"),
                              {.required = true, .max_chars = 2000});
}

}  // namespace

absl::Status ValidateVaeFile(const v1::VaeFile& file, absl::CivilMonth current_month) {
  if (file.activities().empty()) return Invalid("activities", "at least one period of activity");
  for (int i = 0; i < file.activities_size(); ++i) {
    if (auto s = CheckPeriod(file.activities(i), i, current_month); !s.ok()) return s;
  }
  const double credits = file.higher_education_credits();
  if (!std::isfinite(credits) || credits < 0 || credits > kMaxCredits) {
    return Invalid("higher_education_credits", Cat("must be 0 to ", kMaxCredits));
  }
  if (auto s = domain::ValidateText(file.portfolio_summary(), "file.portfolio_summary",
                                    {.max_chars = 20000});
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < file.evidence_references_size(); ++i) {
    if (auto s = domain::ValidateText(file.evidence_references(i),
                                      Cat("file.evidence_references[", i, "]"),
                                      {.required = true, .max_chars = 255, .single_line = true});
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

int HigherEducationYearsCredited(double credits) {
  if (!std::isfinite(credits) || credits <= 0) return 0;
  const double whole_years = std::floor(credits / kVaeCreditsPerYear);
  return static_cast<int>(std::min<double>(whole_years, kVaeMaxHigherEducationYears));
}

int ActivityMonths(const v1::VaeFile& file) {
  // Half-open month ranges [from, to + 1), sorted and merged.
  std::vector<std::pair<absl::CivilMonth, absl::CivilMonth>> ranges;
  ranges.reserve(file.activities_size());
  for (const v1::ActivityPeriod& p : file.activities()) {
    ranges.emplace_back(ToCivilMonth(p.from()), ToCivilMonth(p.to()) + 1);
  }
  std::sort(ranges.begin(), ranges.end());
  int months = 0;
  absl::CivilMonth covered_until = ranges.empty() ? absl::CivilMonth() : ranges.front().first;
  for (const auto& [from, until] : ranges) {
    const absl::CivilMonth start = std::max(from, covered_until);
    if (until > start) {
      months += static_cast<int>(until - start);
      covered_until = until;
    }
  }
  return months;
}

v1::VaeEligibility ComputeVaeEligibility(const v1::VaeFile& file) {
  v1::VaeEligibility e;
  e.set_activity_months(ActivityMonths(file));
  e.set_higher_education_years_credited(
      HigherEducationYearsCredited(file.higher_education_credits()));
  e.set_total_months(e.activity_months() + 12 * e.higher_education_years_credited());
  e.set_required_months(kVaeRequiredMonths);
  e.set_met(e.total_months() >= kVaeRequiredMonths);
  e.set_explanation(
      Cat(e.activity_months() / 12, " years ", e.activity_months() % 12, " months of activity + ",
          e.higher_education_years_credited(), " year(s) for ", file.higher_education_credits(),
          " higher-education credits (one per 60, at most 2) = ", e.total_months() / 12, " years ",
          e.total_months() % 12, " months: ", e.met() ? "meets" : "does not meet",
          " the five years of art. 119"));
  return e;
}

}  // namespace microcred::recognition
