#include "libs/domain/specification.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "libs/base/strings.h"
#include "libs/domain/classifications.h"
#include "libs/domain/field_rules.h"
#include "libs/domain/iso_codes.h"
#include "libs/domain/specification_id.h"
#include "libs/domain/text.h"

namespace microcred::domain {

using strings::Cat;

namespace {

using catalogue::v1::SpecificationContent;
using catalogue::v1::Workload;

absl::Status Invalid(std::string_view field_path, std::string_view what) {
  return absl::InvalidArgumentError(Cat(field_path, ": ", what));
}

absl::Status Precondition(std::string_view field_path, std::string_view what) {
  return absl::FailedPreconditionError(Cat(field_path, ": ", what));
}

std::string Indexed(std::string_view field_path, int index) {
  return Cat(field_path, "[", index, "]");
}

std::string FormatDate(int year, int month, int day) {
  return Cat(absl::Dec(year, absl::kZeroPad4), "-", absl::Dec(month, absl::kZeroPad2), "-",
             absl::Dec(day, absl::kZeroPad2));
}

// An enum field of the open proto3 kind: a number this build does not know is refused, and so
// is the zero value when the element is mandatory.
absl::Status CheckEnum(int value, bool known, bool required, std::string_view field_path) {
  if (!known) return Invalid(field_path, Cat("unknown value ", value));
  if (required && value == 0) return Invalid(field_path, "is required");
  return absl::OkStatus();
}

// The EQF level of each QF-EHEA cycle (Bologna framework: short cycle = EQF 5, ...).
int EqfLevelOfCycle(common::v1::QfEheaCycle cycle) {
  switch (cycle) {
    case common::v1::QF_EHEA_CYCLE_SHORT:
      return 5;
    case common::v1::QF_EHEA_CYCLE_FIRST:
      return 6;
    case common::v1::QF_EHEA_CYCLE_SECOND:
      return 7;
    case common::v1::QF_EHEA_CYCLE_THIRD:
      return 8;
    default:
      return 0;
  }
}

std::string CycleLabel(common::v1::QfEheaCycle cycle) {
  constexpr std::string_view kPrefix = "QF_EHEA_CYCLE_";
  return common::v1::QfEheaCycle_Name(cycle).substr(kPrefix.size());
}

// Checks one specification, rule by rule, in the field order of SpecificationContent. Each
// Check* method is one rule; Run() stops at the first violation.
class ContentValidator {
 public:
  ContentValidator(const SpecificationContent& content, const SpecificationContext& ctx)
      : content_(content), ctx_(ctx) {}

  absl::Status Run();

 private:
  // Annex I 2. The ARES opinion: micro-credential titles must differ from the degree titles
  // HEIs award, so that stacking is never mistaken for a degree.
  absl::Status CheckTitle();

  // Annex I 4. Shape first, then the registry and the policy profile.
  absl::Status CheckAwardingBodies();

  // Annex I 3.
  absl::Status CheckCountry() { return ValidateCountryCode(content_.country(), "content.country"); }

  absl::Status CheckRegion();

  // Annex I 6; the Recommendation's principle 3 links outcomes to ESCO skills.
  absl::Status CheckLearningOutcomes();

  // Annex I 7: ECTS wherever possible, hours for providers that do not award ECTS.
  absl::Status CheckWorkload();

  absl::Status CheckEcts(double ects);

  absl::Status CheckHours(double hours);

  // Annex I 8.
  absl::Status CheckEqfLevel();

  absl::Status CheckQfEheaCycle();

  // Annex I 9.
  absl::Status CheckAssessmentType();

  absl::Status CheckAssessmentDescription();

  // Annex I 10.
  absl::Status CheckFormOfParticipation();

  // Annex I 11; principle 1: external QA is by a named body (AEQES in the FWB), and may be
  // evidenced in DEQAR.
  absl::Status CheckQualityAssurance();

  // Optional elements of Annex I.
  absl::Status CheckPrerequisites();

  absl::Status CheckSupervision();

  absl::Status CheckStackability();

  absl::Status CheckFurtherInformation();

  // Beyond Annex I: the languages of instruction and assessment.
  absl::Status CheckLanguages();

  // ISCED-F 2013: broad field (2 digits: 00 to 10, or 99 "field unknown"), then narrow (3)
  // and detailed (4) fields.
  absl::Status CheckIscedFCode();

  // A credit-bearing micro-credential awards credits: its workload must be stated in them.
  absl::Status CheckCreditBearing();

  absl::Status CheckReviewBy();

  absl::Status CheckDescription();

  const SpecificationContent& content_;
  const SpecificationContext& ctx_;
  // The registered facts of each awarding body, in list order; set by CheckAwardingBodies.
  std::vector<InstitutionFacts> awarding_bodies_;
};

absl::Status ContentValidator::Run() {
  using Rule = absl::Status (ContentValidator::*)();
  static constexpr Rule kRulesInFieldOrder[] = {
      &ContentValidator::CheckTitle,                  // 1
      &ContentValidator::CheckAwardingBodies,         // 2
      &ContentValidator::CheckCountry,                // 3
      &ContentValidator::CheckRegion,                 // 4
      &ContentValidator::CheckLearningOutcomes,       // 5
      &ContentValidator::CheckWorkload,               // 6
      &ContentValidator::CheckEqfLevel,               // 7
      &ContentValidator::CheckQfEheaCycle,            // 8
      &ContentValidator::CheckAssessmentType,         // 9
      &ContentValidator::CheckAssessmentDescription,  // 10
      &ContentValidator::CheckFormOfParticipation,    // 11
      &ContentValidator::CheckQualityAssurance,       // 12
      &ContentValidator::CheckPrerequisites,          // 13
      &ContentValidator::CheckSupervision,            // 14
      &ContentValidator::CheckStackability,           // 15
      &ContentValidator::CheckFurtherInformation,     // 16
      &ContentValidator::CheckLanguages,              // 17
      &ContentValidator::CheckIscedFCode,             // 18
      &ContentValidator::CheckCreditBearing,          // 19
      &ContentValidator::CheckReviewBy,               // 20
      &ContentValidator::CheckDescription,            // 21
  };
  for (Rule rule : kRulesInFieldOrder) {
    if (absl::Status status = (this->*rule)(); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckTitle() {
  constexpr std::string_view kPath = "content.title";
  if (absl::Status s =
          ValidateText(content_.title(), kPath,
                       {.required = true, .max_chars = kMaxTitleChars, .single_line = true});
      !s.ok()) {
    return s;
  }
  if (std::optional<std::string> found = ctx_.profile.FindProtectedTitle(content_.title())) {
    return Invalid(kPath, Cat("contains the protected degree title \"", *found,
                              "\" (policy profile ", ctx_.profile.name(), ")"));
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckAwardingBodies() {
  constexpr std::string_view kPath = "content.awarding_bodies";
  const auto& bodies = content_.awarding_bodies();
  if (bodies.empty()) return Invalid(kPath, "at least one awarding body is required");
  for (int i = 0; i < bodies.size(); ++i) {
    const std::string path = Indexed(kPath, i);
    if (absl::Status s = ValidateInstitutionId(bodies[i], path); !s.ok()) return s;
    const auto earlier = std::find(bodies.begin(), bodies.begin() + i, bodies[i]);
    if (earlier != bodies.begin() + i) {
      return Invalid(path, Cat("duplicates awarding_bodies[", earlier - bodies.begin(), "] (\"",
                               bodies[i], "\")"));
    }
  }
  if (std::find(bodies.begin(), bodies.end(), ctx_.publishing_institution) == bodies.end()) {
    return Invalid(kPath, Cat("must include the publishing institution \"",
                              ctx_.publishing_institution, "\""));
  }
  if (!ctx_.lookup_institution) {
    return absl::InternalError("SpecificationContext.lookup_institution is not set");
  }
  awarding_bodies_.clear();
  for (int i = 0; i < bodies.size(); ++i) {
    const std::string path = Indexed(kPath, i);
    std::optional<InstitutionFacts> facts = ctx_.lookup_institution(bodies[i]);
    if (!facts.has_value()) {
      return Precondition(
          path, Cat("institution \"", bodies[i], "\" is not registered in the ecosystem"));
    }
    if (facts->suspended) {
      return Precondition(path, Cat("institution \"", bodies[i], "\" is suspended"));
    }
    if (!ctx_.profile.MayIssue(facts->provider_type)) {
      return Precondition(path, Cat("provider type ", ProviderTypeLabel(facts->provider_type),
                                    " may not issue under policy profile ", ctx_.profile.name()));
    }
    awarding_bodies_.push_back(*std::move(facts));
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckRegion() {
  return ValidateRegionCode(content_.region(), content_.country(), "content.region");
}

absl::Status ContentValidator::CheckLearningOutcomes() {
  constexpr std::string_view kPath = "content.learning_outcomes";
  const auto& outcomes = content_.learning_outcomes();
  if (outcomes.empty()) return Invalid(kPath, "at least one learning outcome is required");
  for (int i = 0; i < outcomes.size(); ++i) {
    const std::string path = Indexed(kPath, i);
    if (absl::Status s = ValidateText(
            outcomes[i].text(), Cat(path, ".text"),
            {.required = true, .max_chars = kMaxLearningOutcomeChars, .single_line = false});
        !s.ok()) {
      return s;
    }
    const std::string& uri = outcomes[i].esco_skill_uri();
    if (!uri.empty() && !IsEscoSkillUri(uri)) {
      return Invalid(Cat(path, ".esco_skill_uri"),
                     "must be http://data.europa.eu/esco/skill/ followed by a lower-case UUID "
                     "(8-4-4-4-12 hexadecimal digits)");
    }
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckWorkload() {
  switch (content_.workload().amount_case()) {
    case Workload::kEcts:
      return CheckEcts(content_.workload().ects());
    case Workload::kHours:
      return CheckHours(content_.workload().hours());
    case Workload::AMOUNT_NOT_SET:
      break;
  }
  return Invalid("content.workload", "exactly one of ects or hours is required");
}

absl::Status ContentValidator::CheckEcts(double ects) {
  constexpr std::string_view kPath = "content.workload.ects";
  if (!std::isfinite(ects) || ects <= 0) {
    return Invalid(kPath, "must be a positive, finite number");
  }
  if (ects > kMaxEcts) return Invalid(kPath, Cat("must be at most ", kMaxEcts));
  if (std::floor(ects * 2) != ects * 2) {
    return Invalid(kPath, Cat("must be a multiple of 0.5 (got ", ects, ")"));
  }
  for (size_t i = 0; i < awarding_bodies_.size(); ++i) {
    const InstitutionFacts& body = awarding_bodies_[i];
    if (!ctx_.profile.MayAwardEcts(body.provider_type)) {
      return Precondition(
          kPath, Cat("awarding_bodies[", i, "] (\"", body.institution_id, "\") has provider type ",
                     ProviderTypeLabel(body.provider_type),
                     ", which may not award ECTS under policy profile ", ctx_.profile.name()));
    }
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckHours(double hours) {
  constexpr std::string_view kPath = "content.workload.hours";
  if (!std::isfinite(hours) || hours <= 0) {
    return Invalid(kPath, "must be a positive, finite number");
  }
  if (hours > kMaxHours) return Invalid(kPath, Cat("must be at most ", kMaxHours));
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckEqfLevel() {
  const int level = content_.eqf_level();
  if (level == 0) return Invalid("content.eqf_level", "is required (an EQF level from 1 to 8)");
  if (level < 1 || level > 8) {
    return Invalid("content.eqf_level", Cat("must be an EQF level from 1 to 8 (got ", level, ")"));
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckQfEheaCycle() {
  constexpr std::string_view kPath = "content.qf_ehea_cycle";
  const common::v1::QfEheaCycle cycle = content_.qf_ehea_cycle();
  if (absl::Status s = CheckEnum(cycle, common::v1::QfEheaCycle_IsValid(cycle),
                                 /*required=*/false, kPath);
      !s.ok()) {
    return s;
  }
  if (cycle == common::v1::QF_EHEA_CYCLE_UNSPECIFIED) return absl::OkStatus();
  const int expected_level = EqfLevelOfCycle(cycle);
  if (content_.eqf_level() != expected_level) {
    return Invalid(kPath, Cat("cycle ", CycleLabel(cycle), " corresponds to EQF level ",
                              expected_level, ", not ", content_.eqf_level()));
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckAssessmentType() {
  const common::v1::AssessmentType type = content_.assessment_type();
  return CheckEnum(type, common::v1::AssessmentType_IsValid(type), /*required=*/true,
                   "content.assessment_type");
}

absl::Status ContentValidator::CheckAssessmentDescription() {
  return ValidateText(content_.assessment_description(), "content.assessment_description",
                      {.max_chars = kMaxFreeTextChars});
}

absl::Status ContentValidator::CheckFormOfParticipation() {
  const common::v1::FormOfParticipation form = content_.form_of_participation();
  return CheckEnum(form, common::v1::FormOfParticipation_IsValid(form), /*required=*/true,
                   "content.form_of_participation");
}

absl::Status ContentValidator::CheckQualityAssurance() {
  constexpr std::string_view kPath = "content.quality_assurance";
  const catalogue::v1::QualityAssurance& qa = content_.quality_assurance();
  if (absl::Status s = CheckEnum(qa.type(), common::v1::QualityAssuranceType_IsValid(qa.type()),
                                 /*required=*/true, Cat(kPath, ".type"));
      !s.ok()) {
    return s;
  }
  const std::string qa_body_path = Cat(kPath, ".qa_body");
  if (qa.type() == common::v1::QUALITY_ASSURANCE_TYPE_EXTERNAL &&
      TrimWhiteSpace(qa.qa_body()).empty()) {
    return Invalid(qa_body_path, "is required when the quality assurance type is EXTERNAL");
  }
  if (absl::Status s = ValidateText(qa.qa_body(), qa_body_path,
                                    {.max_chars = kMaxShortTextChars, .single_line = true});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateDeqarReference(qa.deqar_reference(), Cat(kPath, ".deqar_reference"));
      !s.ok()) {
    return s;
  }
  return ValidateText(qa.description(), Cat(kPath, ".description"),
                      {.max_chars = kMaxFreeTextChars});
}

absl::Status ContentValidator::CheckPrerequisites() {
  return ValidateText(content_.prerequisites(), "content.prerequisites",
                      {.max_chars = kMaxFreeTextChars});
}

absl::Status ContentValidator::CheckSupervision() {
  const common::v1::Supervision supervision = content_.supervision();
  return CheckEnum(supervision, common::v1::Supervision_IsValid(supervision),
                   /*required=*/false, "content.supervision");
}

absl::Status ContentValidator::CheckStackability() {
  const common::v1::Stackability stackability = content_.stackability();
  return CheckEnum(stackability, common::v1::Stackability_IsValid(stackability),
                   /*required=*/false, "content.stackability");
}

absl::Status ContentValidator::CheckFurtherInformation() {
  return ValidateText(content_.further_information(), "content.further_information",
                      {.max_chars = kMaxFreeTextChars});
}

absl::Status ContentValidator::CheckLanguages() {
  constexpr std::string_view kPath = "content.languages";
  const auto& languages = content_.languages();
  if (languages.empty()) return Invalid(kPath, "at least one language is required");
  for (int i = 0; i < languages.size(); ++i) {
    const std::string path = Indexed(kPath, i);
    const std::string& code = languages[i];
    if (code.size() != 2 || !absl::ascii_islower(code[0]) || !absl::ascii_islower(code[1])) {
      return Invalid(path, Cat("\"", code,
                               "\" is not an ISO 639-1 code (two lower-case letters, "
                               "e.g. \"fr\")"));
    }
    if (!IsIsoLanguageCode(code)) {
      return Invalid(path, Cat("\"", code, "\" is not an assigned ISO 639-1 code"));
    }
    const auto earlier = std::find(languages.begin(), languages.begin() + i, code);
    if (earlier != languages.begin() + i) {
      return Invalid(
          path, Cat("duplicates languages[", earlier - languages.begin(), "] (\"", code, "\")"));
    }
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckIscedFCode() {
  constexpr std::string_view kPath = "content.isced_f_code";
  const std::string& code = content_.isced_f_code();
  if (code.empty() || IsIscedFCode(code)) return absl::OkStatus();
  const bool digits_only =
      std::all_of(code.begin(), code.end(), [](char c) { return absl::ascii_isdigit(c); });
  if (code.size() < 2 || code.size() > 4 || !digits_only) {
    return Invalid(kPath, Cat("\"", code, "\" must be 2, 3 or 4 digits (ISCED-F 2013)"));
  }
  const int broad_field = (code[0] - '0') * 10 + (code[1] - '0');
  if (broad_field > 10 && broad_field != 99) {
    return Invalid(kPath, Cat("\"", code, "\" has broad field ", code.substr(0, 2),
                              ", which ISCED-F 2013 does not define (00 to 10, or 99)"));
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckCreditBearing() {
  if (content_.credit_bearing() && content_.workload().amount_case() != Workload::kEcts) {
    return Invalid("content.credit_bearing",
                   "a credit-bearing micro-credential must state its workload in ECTS");
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckReviewBy() {
  constexpr std::string_view kPath = "content.review_by";
  if (!content_.has_review_by()) return absl::OkStatus();
  const common::v1::Date& date = content_.review_by();
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return absl::OkStatus();
  if (!IsValidDate(date)) {
    return Invalid(kPath, Cat(FormatDate(date.year(), date.month(), date.day()),
                              " is not a valid calendar date"));
  }
  const absl::CivilDay review_by(date.year(), date.month(), date.day());
  if (review_by <= ctx_.today) {
    const absl::CivilDay today = ctx_.today;
    return Invalid(
        kPath, Cat("must be after today (",
                   FormatDate(static_cast<int>(today.year()), today.month(), today.day()), ")"));
  }
  return absl::OkStatus();
}

absl::Status ContentValidator::CheckDescription() {
  return ValidateText(content_.description(), "content.description",
                      {.max_chars = kMaxDescriptionChars});
}

}  // namespace

absl::Status ValidateSpecificationContent(const SpecificationContent& content,
                                          const SpecificationContext& ctx) {
  return ContentValidator(content, ctx).Run();
}

bool IsValidDate(const common::v1::Date& date) {
  if (date.year() < 1 || date.year() > 9999) return false;
  if (date.month() < 1 || date.month() > 12 || date.day() < 1 || date.day() > 31) return false;
  // CivilDay normalises out-of-range days (Feb 30 -> Mar 2): a real date survives unchanged.
  const absl::CivilDay day(date.year(), date.month(), date.day());
  return day.year() == date.year() && day.month() == date.month() && day.day() == date.day();
}

}  // namespace microcred::domain
