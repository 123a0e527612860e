#include "services/stacking/credential_filter.h"

#include <algorithm>
#include <type_traits>

#include "libs/base/strings.h"
#include "libs/domain/dates.h"
#include "libs/domain/policy_profile.h"

namespace microcred::stacking {
namespace {

using strings::Cat;

// Collects failures in words, or counts them up to `stop_after` when no words are wanted.
class Verdict {
 public:
  explicit Verdict(std::vector<std::string>* failures, int stop_after = 1)
      : failures_(failures), stop_after_(stop_after) {}

  // Returns false when the caller may stop checking.
  template <typename... Args>
  bool Fail(const Args&... what) {
    passed_ = false;
    ++count_;
    if (failures_ == nullptr) return count_ < stop_after_;
    failures_->push_back(Cat(what...));
    return true;
  }
  bool passed() const { return passed_; }
  int count() const { return count_; }

 private:
  std::vector<std::string>* failures_;
  int stop_after_;
  int count_ = 0;
  bool passed_ = true;
};

template <typename List, typename T>
bool Contains(const List& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool AcceptsSpecification(const v1::CredentialFilter& filter, const v1::SpecificationRef& spec) {
  for (const v1::SpecificationRef& accepted : filter.specifications()) {
    if (accepted.specification_id() == spec.specification_id() &&
        (accepted.version() == 0 || accepted.version() == spec.version())) {
      return true;
    }
  }
  return false;
}

bool AcceptsIsced(const v1::CredentialFilter& filter, const std::string& code) {
  for (const std::string& prefix : filter.isced_f_codes()) {
    if (code.size() >= prefix.size() && code.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

bool CoversSkill(const v1::CredentialFilter& filter,
                 const google::protobuf::RepeatedPtrField<std::string>& skills) {
  for (const std::string& skill : skills) {
    if (Contains(filter.esco_skill_uris(), skill)) return true;
  }
  return false;
}

std::string SpecificationLabel(const v1::SpecificationRef& spec) {
  return Cat(spec.specification_id(), " version ", spec.version());
}

// Facts is CredentialFacts or SpecificationSummary; both name the shared facts alike.
template <typename Facts>
bool CheckFilter(const v1::CredentialFilter& f, const Facts& facts, absl::CivilDay today,
                 Verdict& v) {
  constexpr bool kIsCredential = std::is_same_v<Facts, v1::CredentialFacts>;
  if (f.specifications_size() > 0 && !AcceptsSpecification(f, facts.specification()) &&
      !v.Fail("specifications: ", SpecificationLabel(facts.specification()),
              " is not among the accepted specifications")) {
    return false;
  }
  if (f.issuer_institution_ids_size() > 0 &&
      !Contains(f.issuer_institution_ids(), facts.issuer_institution_id()) &&
      !v.Fail("issuer_institution_ids: issued by ", facts.issuer_institution_id(),
              ", not an accepted issuer")) {
    return false;
  }
  if (f.issuer_groups_size() > 0 &&
      std::none_of(facts.issuer_groups().begin(), facts.issuer_groups().end(),
                   [&](const std::string& g) { return Contains(f.issuer_groups(), g); }) &&
      !v.Fail("issuer_groups: ", facts.issuer_institution_id(),
              " belongs to none of the accepted groups")) {
    return false;
  }
  if (f.provider_types_size() > 0 && !Contains(f.provider_types(), facts.provider_type()) &&
      !v.Fail("provider_types: a provider of type ",
              domain::ProviderTypeLabel(facts.provider_type()), " is not accepted")) {
    return false;
  }
  if (f.min_eqf_level() > 0 && facts.eqf_level() < f.min_eqf_level() &&
      !v.Fail("min_eqf_level: EQF level ", facts.eqf_level(), " is below ", f.min_eqf_level())) {
    return false;
  }
  if (f.max_eqf_level() > 0 && facts.eqf_level() > f.max_eqf_level() &&
      !v.Fail("max_eqf_level: EQF level ", facts.eqf_level(), " is above ", f.max_eqf_level())) {
    return false;
  }
  if (f.isced_f_codes_size() > 0 && !AcceptsIsced(f, facts.isced_f_code()) &&
      !v.Fail("isced_f_codes: field \"", facts.isced_f_code(), "\" is not an accepted field")) {
    return false;
  }
  if (f.esco_skill_uris_size() > 0 && !CoversSkill(f, facts.esco_skill_uris()) &&
      !v.Fail("esco_skill_uris: covers none of the required skills")) {
    return false;
  }
  if (f.assessment_types_size() > 0 && !Contains(f.assessment_types(), facts.assessment_type()) &&
      !v.Fail("assessment_types: ", common::v1::AssessmentType_Name(facts.assessment_type()),
              " is not an accepted type of assessment")) {
    return false;
  }
  if (f.min_supervision() != common::v1::SUPERVISION_UNSPECIFIED &&
      facts.supervision() < f.min_supervision() &&
      !v.Fail("min_supervision: ", common::v1::Supervision_Name(facts.supervision()), " is below ",
              common::v1::Supervision_Name(f.min_supervision()))) {
    return false;
  }
  if constexpr (kIsCredential) {
    if (f.has_min_grade() && !facts.has_grade() &&
        !v.Fail("min_grade: the credential has no grade; ", f.min_grade(), " is required")) {
      return false;
    }
    if (f.has_min_grade() && facts.has_grade() && facts.grade() < f.min_grade() &&
        !v.Fail("min_grade: grade ", facts.grade(), " is below ", f.min_grade())) {
      return false;
    }
    if (f.max_age_days() > 0) {
      // A credential without a year of issuing counts as issued long ago.
      const absl::CivilDay issued = facts.issued_on().year() == 0
                                        ? absl::CivilDay(1970, 1, 1)
                                        : domain::ToCivilDay(facts.issued_on());
      const int64_t age = today - issued;
      if (age > static_cast<int64_t>(f.max_age_days()) &&
          !v.Fail("max_age_days: issued ", age, " days before the evaluation date, more than ",
                  f.max_age_days())) {
        return false;
      }
    }
  }
  return true;
}

template <typename Facts>
bool CheckAll(std::span<const v1::CredentialFilter* const> filters, const Facts& facts,
              absl::CivilDay today, Verdict& verdict) {
  for (const v1::CredentialFilter* filter : filters) {
    if (!CheckFilter(*filter, facts, today, verdict)) return false;
  }
  return verdict.passed();
}

}  // namespace

bool PassesFilters(std::span<const v1::CredentialFilter* const> filters,
                   const v1::CredentialFacts& credential, absl::CivilDay evaluation_date) {
  Verdict verdict(nullptr);
  return CheckAll(filters, credential, evaluation_date, verdict);
}

bool PassesFilters(std::span<const v1::CredentialFilter* const> filters,
                   const v1::SpecificationSummary& specification) {
  Verdict verdict(nullptr);
  return CheckAll(filters, specification, absl::CivilDay(), verdict);
}

int CountFilterFailures(std::span<const v1::CredentialFilter* const> filters,
                        const v1::CredentialFacts& credential, absl::CivilDay evaluation_date,
                        int stop_after) {
  Verdict verdict(nullptr, stop_after);
  CheckAll(filters, credential, evaluation_date, verdict);
  return verdict.count();
}

std::vector<std::string> FilterFailures(std::span<const v1::CredentialFilter* const> filters,
                                        const v1::CredentialFacts& credential,
                                        absl::CivilDay evaluation_date) {
  std::vector<std::string> failures;
  Verdict verdict(&failures);
  CheckAll(filters, credential, evaluation_date, verdict);
  return failures;
}

}  // namespace microcred::stacking
