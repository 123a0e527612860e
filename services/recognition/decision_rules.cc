#include "services/recognition/decision_rules.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "libs/auth/roles.h"
#include "libs/base/strings.h"
#include "libs/domain/dates.h"
#include "libs/domain/field_rules.h"
#include "libs/domain/specification.h"
#include "services/recognition/request_lifecycle.h"

namespace microcred::recognition {
namespace {

using strings::Cat;
using v1::RecognitionDecision;
using v1::RecognitionRequest;

enum class DecisionKind { kFirst, kAppeal };

constexpr domain::TextRule kReference{.required = true, .max_chars = 128, .single_line = true};
constexpr domain::TextRule kRequiredLongText{
    .required = true, .max_chars = 5000, .single_line = false};
constexpr domain::TextRule kShortText{.required = true, .max_chars = 255, .single_line = true};

constexpr std::array<v1::ComparisonElement, 5> kElements = {
    v1::COMPARISON_ELEMENT_LEVEL, v1::COMPARISON_ELEMENT_WORKLOAD,
    v1::COMPARISON_ELEMENT_QUALITY_ASSURANCE, v1::COMPARISON_ELEMENT_LEARNING_OUTCOMES,
    v1::COMPARISON_ELEMENT_PROFILE};

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(Cat("decision.", field, ": ", what));
}

std::string OutcomeName(v1::RecognitionOutcome outcome) {
  std::string name = v1::RecognitionOutcome_Name(outcome);
  constexpr std::string_view kPrefix = "RECOGNITION_OUTCOME_";
  if (name.rfind(kPrefix, 0) == 0) name.erase(0, kPrefix.size());
  return name;
}

std::string ElementName(v1::ComparisonElement element) {
  std::string name = v1::ComparisonElement_Name(element);
  constexpr std::string_view kPrefix = "COMPARISON_ELEMENT_";
  if (name.rfind(kPrefix, 0) == 0) name.erase(0, kPrefix.size());
  return name;
}

bool IsSet(const common::v1::Date& date) {
  return date.year() != 0 || date.month() != 0 || date.day() != 0;
}

std::string FormatDay(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// ---- who decides ----

absl::Status CheckFirstDecider(const RecognitionDecision& d, const RecognitionRequest& request) {
  if (!d.decided_by_policy().empty()) {
    if (!d.decided_by().empty()) {
      return Invalid("decided_by", "a decision is taken by a policy or by a person, not both");
    }
    if (request.type() != v1::REQUEST_TYPE_CREDENTIALS) {
      return Invalid("decided_by_policy", "a VAE request is decided by a jury, never by a policy");
    }
    if (d.outcome() != v1::RECOGNITION_OUTCOME_FULL) {
      // Anything less than full recognition needs a person to justify a substantial difference.
      return Invalid("outcome", "a policy can only grant FULL recognition");
    }
    return absl::OkStatus();
  }
  if (auto s = domain::ValidateText(d.decided_by(), "decision.decided_by", kShortText); !s.ok()) {
    return s;
  }
  if (request.type() == v1::REQUEST_TYPE_VAE) {
    if (d.decided_by_role() != auth::roles::kJuryMember) {
      return absl::PermissionDeniedError(
          Cat("decision.decided_by_role: a VAE request is decided by its jury (role ",
              auth::roles::kJuryMember, "), not by ", d.decided_by_role()));
    }
    const auto& jury = d.vae().jury_members();
    if (std::find(jury.begin(), jury.end(), d.decided_by()) == jury.end()) {
      return absl::PermissionDeniedError(Cat("decision.decided_by: ", d.decided_by(),
                                             " is not a member of the jury (decision.vae)"));
    }
    return absl::OkStatus();
  }
  if (d.decided_by_role() != auth::roles::kRecognitionOfficer) {
    return absl::PermissionDeniedError(Cat("decision.decided_by_role: a recognition request is ",
                                           "decided by a ", auth::roles::kRecognitionOfficer,
                                           ", not by ", d.decided_by_role()));
  }
  return absl::OkStatus();
}

// The appeal goes to another person, in another role, than the first decision.
absl::Status CheckAppealDecider(const RecognitionDecision& d, const RecognitionRequest& request) {
  if (!d.decided_by_policy().empty()) {
    return Invalid("decided_by_policy", "an appeal is decided by a person, never by a policy");
  }
  if (auto s = domain::ValidateText(d.decided_by(), "decision.decided_by", kShortText); !s.ok()) {
    return s;
  }
  const RecognitionDecision& first = request.decision();
  if (d.decided_by() == first.decided_by()) {
    return absl::PermissionDeniedError(
        Cat("decision.decided_by: ", d.decided_by(),
            " took the decision under appeal; an appeal is decided by another person"));
  }
  const auto& jury = first.vae().jury_members();
  if (std::find(jury.begin(), jury.end(), d.decided_by()) != jury.end()) {
    return absl::PermissionDeniedError(
        Cat("decision.decided_by: ", d.decided_by(),
            " sat on the jury under appeal; an appeal is decided by another person"));
  }
  if (d.decided_by_role() != auth::roles::kAppealOfficer ||
      d.decided_by_role() == first.decided_by_role()) {
    return absl::PermissionDeniedError(Cat("decision.decided_by_role: an appeal is decided by an ",
                                           auth::roles::kAppealOfficer, ", not by ",
                                           d.decided_by_role()));
  }
  return absl::OkStatus();
}

// ---- content ----

absl::Status CheckFindings(const RecognitionDecision& d) {
  std::array<bool, kElements.size() + 1> seen{};
  for (int i = 0; i < d.findings_size(); ++i) {
    const v1::Finding& finding = d.findings(i);
    const std::string path = Cat("findings[", i, "]");
    if (finding.element() == v1::COMPARISON_ELEMENT_UNSPECIFIED ||
        !v1::ComparisonElement_IsValid(finding.element())) {
      return Invalid(Cat(path, ".element"), "one of the five elements is required");
    }
    if (seen[finding.element()]) {
      return Invalid(Cat(path, ".element"),
                     Cat(ElementName(finding.element()), " is assessed twice"));
    }
    seen[finding.element()] = true;
    if (finding.assessment() == v1::ASSESSMENT_UNSPECIFIED ||
        !v1::Assessment_IsValid(finding.assessment())) {
      return Invalid(Cat(path, ".assessment"),
                     "required: COMPARABLE, NON_SUBSTANTIAL_DIFFERENCE or SUBSTANTIAL_DIFFERENCE");
    }
    if (finding.assessment() == v1::ASSESSMENT_SUBSTANTIAL_DIFFERENCE &&
        finding.justification().find_first_not_of(" \t\r\n") == std::string::npos) {
      return Invalid(Cat(path, ".justification"), "a substantial difference must be justified");
    }
    if (auto s = domain::ValidateText(
            finding.justification(), Cat("decision.", path, ".justification"), {.max_chars = 5000});
        !s.ok()) {
      return s;
    }
  }
  for (v1::ComparisonElement element : kElements) {
    if (!seen[element]) return Invalid("findings", Cat("no finding on ", ElementName(element)));
  }
  if (d.outcome() != v1::RECOGNITION_OUTCOME_FULL && !HasJustifiedSubstantialDifference(d)) {
    return Invalid("findings",
                   Cat("a ", OutcomeName(d.outcome()),
                       " decision must show at least one substantial difference, justified "
                       "(the burden of proof lies with the receiving institution)"));
  }
  return absl::OkStatus();
}

absl::Status CheckReasons(const RecognitionDecision& d) {
  if (d.reason_codes().empty()) return Invalid("reason_codes", "at least one is required");
  for (int i = 0; i < d.reason_codes_size(); ++i) {
    if (d.reason_codes(i) == v1::REASON_CODE_UNSPECIFIED ||
        !v1::ReasonCode_IsValid(d.reason_codes(i))) {
      return Invalid(Cat("reason_codes[", i, "]"), "not a reason code");
    }
  }
  const bool required = d.outcome() != v1::RECOGNITION_OUTCOME_FULL;
  return domain::ValidateText(d.reasons(), "decision.reasons",
                              {.required = required, .max_chars = 5000});
}

absl::Status CheckEctsValue(double value, std::string_view field) {
  if (!std::isfinite(value) || value < 0 || value > kMaxRecognitionEcts) {
    return Invalid(field, Cat("must be 0 to ", kMaxRecognitionEcts));
  }
  return absl::OkStatus();
}

absl::Status CheckEctsAndScope(const RecognitionDecision& d) {
  if (auto s = CheckEctsValue(d.original_ects(), "original_ects"); !s.ok()) return s;
  if (auto s = CheckEctsValue(d.recognised_ects(), "recognised_ects"); !s.ok()) return s;
  for (int i = 0; i < d.recognised_for_purposes_size(); ++i) {
    if (d.recognised_for_purposes(i) == v1::RECOGNITION_PURPOSE_UNSPECIFIED ||
        !v1::RecognitionPurpose_IsValid(d.recognised_for_purposes(i))) {
      return Invalid(Cat("recognised_for_purposes[", i, "]"), "not a purpose");
    }
  }
  const bool fewer = d.recognised_ects() < d.original_ects();
  const bool some_purposes = !d.recognised_for_purposes().empty();
  switch (d.outcome()) {
    case v1::RECOGNITION_OUTCOME_FULL:
      if (fewer) {
        return Invalid("recognised_ects",
                       "below original_ects: that is a PARTIAL recognition, not FULL");
      }
      break;
    case v1::RECOGNITION_OUTCOME_PARTIAL:
      if (!fewer && !some_purposes) {
        return Invalid("recognised_ects",
                       "a PARTIAL recognition recognises fewer ECTS than presented, or lists "
                       "recognised_for_purposes");
      }
      break;
    case v1::RECOGNITION_OUTCOME_REFUSED:
      if (d.recognised_ects() != 0) return Invalid("recognised_ects", "must be 0 when REFUSED");
      break;
    default:
      break;
  }
  if (some_purposes && d.outcome() != v1::RECOGNITION_OUTCOME_PARTIAL) {
    return Invalid("recognised_for_purposes", "only a PARTIAL recognition is limited to purposes");
  }
  return absl::OkStatus();
}

absl::Status CheckOutcomeSpecifics(const RecognitionDecision& d) {
  const bool conditional = d.outcome() == v1::RECOGNITION_OUTCOME_CONDITIONAL;
  if (conditional != d.has_compensatory_measure()) {
    return Invalid("compensatory_measure", conditional ? "required for a CONDITIONAL recognition"
                                                       : "only a CONDITIONAL recognition has one");
  }
  if (conditional) {
    const v1::CompensatoryMeasure& m = d.compensatory_measure();
    if (m.kind() == v1::COMPENSATORY_MEASURE_KIND_UNSPECIFIED ||
        !v1::CompensatoryMeasureKind_IsValid(m.kind())) {
      return Invalid("compensatory_measure.kind", "required");
    }
    if (auto s = domain::ValidateText(m.description(), "decision.compensatory_measure.description",
                                      kRequiredLongText);
        !s.ok()) {
      return s;
    }
    if (auto s = CheckEctsValue(m.ects(), "compensatory_measure.ects"); !s.ok()) return s;
  }
  const bool alternative = d.outcome() == v1::RECOGNITION_OUTCOME_ALTERNATIVE;
  if (!alternative && !d.alternative_recognition().empty()) {
    return Invalid("alternative_recognition", "only an ALTERNATIVE recognition offers one");
  }
  return domain::ValidateText(d.alternative_recognition(), "decision.alternative_recognition",
                              {.required = alternative, .max_chars = 5000});
}

absl::Status CheckGradeConversions(const RecognitionDecision& d) {
  for (int i = 0; i < d.grade_conversions_size(); ++i) {
    const v1::GradeConversion& g = d.grade_conversions(i);
    const std::string path = Cat("decision.grade_conversions[", i, "]");
    for (const auto& [value, field] :
         {std::pair{&g.original().value(), ".original.value"},
          std::pair{&g.converted().value(), ".converted.value"},
          std::pair{&g.converted().grading_scheme(), ".converted.grading_scheme"},
          std::pair{&g.method(), ".method"}}) {
      if (auto s = domain::ValidateText(*value, Cat(path, field), kShortText); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRemediesAndAppealRoute(const RecognitionDecision& d,
                                         const RecognitionRequest& request, DecisionKind kind) {
  if (d.remedies().empty()) return Invalid("remedies", "the remedies open to the learner");
  bool internal_appeal = false;
  for (int i = 0; i < d.remedies_size(); ++i) {
    if (d.remedies(i) == v1::REMEDY_UNSPECIFIED || !v1::Remedy_IsValid(d.remedies(i))) {
      return Invalid(Cat("remedies[", i, "]"), "not a remedy");
    }
    internal_appeal |= d.remedies(i) == v1::REMEDY_INTERNAL_APPEAL;
  }
  if (kind == DecisionKind::kAppeal) {
    if (internal_appeal) {
      return Invalid("remedies", "the internal appeal is spent once the appeal is decided");
    }
    return absl::OkStatus();
  }
  if (!internal_appeal) return Invalid("remedies", "must include REMEDY_INTERNAL_APPEAL");
  if (auto s = domain::ValidateText(d.appeal_route(), "decision.appeal_route", kRequiredLongText);
      !s.ok()) {
    return s;
  }
  if (!IsSet(d.appeal_deadline())) return Invalid("appeal_deadline", "is required");
  if (!domain::IsValidDate(d.appeal_deadline())) {
    return Invalid("appeal_deadline", "not a valid calendar date");
  }
  const absl::CivilDay earliest =
      AppealDeadline(domain::ToCivilDay(d.decided_on()), request.deadlines());
  if (domain::ToCivilDay(d.appeal_deadline()) < earliest) {
    return Invalid("appeal_deadline", Cat("must not be before ", FormatDay(earliest),
                                          " (the appeal period the institution fixed in advance)"));
  }
  return absl::OkStatus();
}

absl::Status CheckVaeConclusion(const RecognitionDecision& d, const RecognitionRequest& request) {
  const bool vae = request.type() == v1::REQUEST_TYPE_VAE;
  if (vae != d.has_vae()) {
    return Invalid("vae", vae ? "a VAE decision records the jury's conclusion"
                              : "only a VAE decision has one");
  }
  if (!vae) return absl::OkStatus();
  if (d.vae().jury_members().empty()) return Invalid("vae.jury_members", "at least one");
  if (!d.vae().has_eligibility_shown()) {
    // The jury must have seen the art. 119 computation it decides on.
    return Invalid("vae.eligibility_shown", "the art. 119 computation shown to the jury");
  }
  if (!d.vae().eligibility_shown().met() && d.outcome() != v1::RECOGNITION_OUTCOME_REFUSED) {
    return Invalid("outcome", "the art. 119 condition (five years of activity) is not met");
  }
  return absl::OkStatus();
}

absl::Status CheckContent(const RecognitionDecision& d, const RecognitionRequest& request,
                          DecisionKind kind) {
  if (auto s =
          domain::ValidateText(d.decision_reference(), "decision.decision_reference", kReference);
      !s.ok()) {
    return s;
  }
  if (!IsSet(d.decided_on())) return Invalid("decided_on", "is required");
  if (!domain::IsValidDate(d.decided_on())) {
    return Invalid("decided_on", "not a valid calendar date");
  }
  if (d.outcome() == v1::RECOGNITION_OUTCOME_UNSPECIFIED ||
      !v1::RecognitionOutcome_IsValid(d.outcome())) {
    return Invalid("outcome", "required: FULL, PARTIAL, CONDITIONAL, ALTERNATIVE or REFUSED");
  }
  if (auto s = CheckFindings(d); !s.ok()) return s;
  if (auto s = CheckReasons(d); !s.ok()) return s;
  if (auto s = CheckEctsAndScope(d); !s.ok()) return s;
  if (auto s = CheckOutcomeSpecifics(d); !s.ok()) return s;
  if (auto s = CheckGradeConversions(d); !s.ok()) return s;
  if (auto s = CheckRemediesAndAppealRoute(d, request, kind); !s.ok()) return s;
  return CheckVaeConclusion(d, request);
}

}  // namespace

bool HasJustifiedSubstantialDifference(const RecognitionDecision& decision) {
  return std::any_of(decision.findings().begin(), decision.findings().end(),
                     [](const v1::Finding& f) {
                       return f.assessment() == v1::ASSESSMENT_SUBSTANTIAL_DIFFERENCE &&
                              f.justification().find_first_not_of(" \t\r\n") != std::string::npos;
                     });
}

absl::Status ValidateDecision(const RecognitionDecision& decision,
                              const RecognitionRequest& request) {
  if (auto s = CheckFirstDecider(decision, request); !s.ok()) return s;
  return CheckContent(decision, request, DecisionKind::kFirst);
}

absl::Status ValidateAppeal(const v1::Appeal& appeal, const RecognitionRequest& request) {
  if (!request.has_decision()) {
    return absl::FailedPreconditionError("appeal: there is no decision to appeal against");
  }
  if (auto s = domain::ValidateText(appeal.grounds(), "appeal.grounds", kRequiredLongText);
      !s.ok()) {
    return s;
  }
  if (!IsSet(appeal.lodged_on()) || !domain::IsValidDate(appeal.lodged_on())) {
    return absl::InvalidArgumentError("appeal.lodged_on: a valid date is required");
  }
  const absl::CivilDay deadline = domain::ToCivilDay(request.decision().appeal_deadline());
  if (domain::ToCivilDay(appeal.lodged_on()) > deadline) {
    return absl::FailedPreconditionError(
        Cat("appeal.lodged_on: ", FormatDay(domain::ToCivilDay(appeal.lodged_on())),
            " is after the appeal deadline, ", FormatDay(deadline)));
  }
  return absl::OkStatus();
}

absl::Status ValidateAppealDecision(const RecognitionDecision& decision,
                                    const RecognitionRequest& request) {
  if (auto s = CheckAppealDecider(decision, request); !s.ok()) return s;
  return CheckContent(decision, request, DecisionKind::kAppeal);
}

}  // namespace microcred::recognition
