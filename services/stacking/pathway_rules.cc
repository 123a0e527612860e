#include "services/stacking/pathway_rules.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "libs/base/strings.h"
#include "libs/domain/classifications.h"
#include "libs/domain/field_rules.h"
#include "libs/domain/specification.h"
#include "libs/domain/specification_id.h"

namespace microcred::stacking {
namespace {

using strings::Cat;

absl::Status Invalid(std::string_view field_path, std::string_view what) {
  return absl::InvalidArgumentError(Cat(field_path, ": ", what));
}

std::string Indexed(std::string_view field_path, int index) {
  return Cat(field_path, "[", index, "]");
}

bool IsRequirementId(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' || c == '_' || c == '-';
  });
}

absl::Status CheckEcts(double value, std::string_view path) {
  if (!std::isfinite(value) || value < 0 || value > kMaxPathwayEcts) {
    return Invalid(path, Cat(value, " must be a number of ECTS from 0 to ", kMaxPathwayEcts));
  }
  return absl::OkStatus();
}

absl::Status CheckFilter(const v1::CredentialFilter& f, const std::string& path) {
  for (int i = 0; i < f.specifications_size(); ++i) {
    absl::Status s =
        domain::ParseSpecificationId(f.specifications(i).specification_id(),
                                     Cat(Indexed(path + ".specifications", i), ".specification_id"))
            .status();
    if (!s.ok()) return s;
  }
  for (int i = 0; i < f.issuer_institution_ids_size(); ++i) {
    absl::Status s = domain::ValidateInstitutionId(f.issuer_institution_ids(i),
                                                   Indexed(path + ".issuer_institution_ids", i));
    if (!s.ok()) return s;
  }
  for (int i = 0; i < f.issuer_groups_size(); ++i) {
    absl::Status s = domain::ValidateText(f.issuer_groups(i), Indexed(path + ".issuer_groups", i),
                                          {.required = true, .max_chars = 64, .single_line = true});
    if (!s.ok()) return s;
  }
  for (int i = 0; i < f.provider_types_size(); ++i) {
    const int type = f.provider_types(i);
    if (type == 0 || !common::v1::ProviderType_IsValid(type)) {
      return Invalid(Indexed(path + ".provider_types", i), Cat("unknown provider type ", type));
    }
  }
  for (const auto& [value, field] : {std::pair{f.min_eqf_level(), ".min_eqf_level"},
                                     std::pair{f.max_eqf_level(), ".max_eqf_level"}}) {
    if (value < 0 || value > 8) {
      return Invalid(path + field, Cat(value, " is not an EQF level (1 to 8)"));
    }
  }
  if (f.min_eqf_level() > 0 && f.max_eqf_level() > 0 && f.min_eqf_level() > f.max_eqf_level()) {
    return Invalid(path + ".max_eqf_level",
                   Cat("must not be below min_eqf_level ", f.min_eqf_level()));
  }
  for (int i = 0; i < f.isced_f_codes_size(); ++i) {
    if (!domain::IsIscedFCode(f.isced_f_codes(i))) {
      return Invalid(Indexed(path + ".isced_f_codes", i),
                     Cat("\"", f.isced_f_codes(i), "\" is not an ISCED-F 2013 field code"));
    }
  }
  for (int i = 0; i < f.esco_skill_uris_size(); ++i) {
    if (!domain::IsEscoSkillUri(f.esco_skill_uris(i))) {
      return Invalid(Indexed(path + ".esco_skill_uris", i),
                     "must be http://data.europa.eu/esco/skill/ followed by a lower-case UUID");
    }
  }
  for (int i = 0; i < f.assessment_types_size(); ++i) {
    const int type = f.assessment_types(i);
    if (type == 0 || !common::v1::AssessmentType_IsValid(type)) {
      return Invalid(Indexed(path + ".assessment_types", i), Cat("unknown assessment type ", type));
    }
  }
  if (!common::v1::Supervision_IsValid(f.min_supervision())) {
    return Invalid(path + ".min_supervision", Cat("unknown value ", f.min_supervision()));
  }
  if (f.has_min_grade() &&
      (!std::isfinite(f.min_grade()) || f.min_grade() < 0 || f.min_grade() > 100)) {
    return Invalid(path + ".min_grade", "a normalised grade is from 0 to 100");
  }
  return absl::OkStatus();
}

absl::Status CheckCaps(const v1::Caps& caps, const std::string& path) {
  if (caps.has_max_ects_per_issuer()) {
    absl::Status s = CheckEcts(caps.max_ects_per_issuer(), path + ".max_ects_per_issuer");
    if (!s.ok()) return s;
  }
  if (caps.has_max_external_ects()) {
    return CheckEcts(caps.max_external_ects(), path + ".max_external_ects");
  }
  return absl::OkStatus();
}

class RuleTreeValidator {
 public:
  absl::Status Check(const v1::Requirement& r, const std::string& path, int depth) {
    if (++count_ > kMaxRequirements) {
      return Invalid(path, Cat("a pathway has at most ", kMaxRequirements, " requirements"));
    }
    if (depth > 16) return Invalid(path, "the rule tree is deeper than 16 levels");
    if (!IsRequirementId(r.requirement_id())) {
      return Invalid(path + ".requirement_id", "must be 1 to 64 characters from [a-z0-9._-]");
    }
    if (!ids_.insert(r.requirement_id()).second) {
      return Invalid(path + ".requirement_id",
                     Cat("\"", r.requirement_id(), "\" is used by another requirement"));
    }
    if (absl::Status s = domain::ValidateText(
            r.title(), path + ".title", {.max_chars = domain::kMaxTitleChars, .single_line = true});
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckFilter(r.filter(), path + ".filter"); !s.ok()) return s;
    if (absl::Status s = CheckEcts(r.min_ects(), path + ".min_ects"); !s.ok()) return s;
    const bool leaf = !r.has_group();
    if (!leaf && r.min_credentials() > 0) {
      return Invalid(path + ".min_credentials", "applies to leaf requirements only");
    }
    if (r.min_credentials() > 1000) return Invalid(path + ".min_credentials", "at most 1000");
    if (absl::Status s = CheckCaps(r.caps(), path + ".caps"); !s.ok()) return s;
    if (!leaf && r.allow_sharing()) {
      return Invalid(path + ".allow_sharing", "applies to leaf requirements only");
    }
    if (leaf) return absl::OkStatus();
    return CheckGroup(r.group(), path + ".group", depth);
  }

 private:
  absl::Status CheckGroup(const v1::RequirementGroup& g, const std::string& path, int depth) {
    if (g.combinator() == v1::COMBINATOR_UNSPECIFIED || !v1::Combinator_IsValid(g.combinator())) {
      return Invalid(path + ".combinator", "is required (ALL_OF, ANY_OF or AT_LEAST)");
    }
    const int children = g.children_size();
    if (g.combinator() == v1::COMBINATOR_AT_LEAST) {
      if (g.at_least() < 1 || static_cast<int>(g.at_least()) > children) {
        return Invalid(
            path + ".at_least",
            Cat(g.at_least(), " must be from 1 to the number of children (", children, ")"));
      }
    } else if (g.at_least() != 0) {
      return Invalid(path + ".at_least", "applies to AT_LEAST groups only");
    }
    if (children == 0) return Invalid(path + ".children", "a group needs at least one child");
    for (int i = 0; i < children; ++i) {
      absl::Status s = Check(g.children(i), Indexed(path + ".children", i), depth + 1);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  int count_ = 0;
  std::set<std::string> ids_;
};

}  // namespace

bool ConfersCredential(const v1::PathwayTarget& target) {
  return target.kind() == v1::TARGET_KIND_CONTINUING_EDUCATION_CERTIFICATE ||
         target.kind() == v1::TARGET_KIND_LARGER_MICRO_CREDENTIAL;
}

namespace {

absl::Status CheckTarget(const v1::PathwayTarget& t, const domain::PolicyProfile& profile) {
  if (t.kind() == v1::TARGET_KIND_UNSPECIFIED || !v1::TargetKind_IsValid(t.kind())) {
    return Invalid("target.kind", "is required");
  }
  if (t.kind() == v1::TARGET_KIND_INITIAL_EDUCATION_DEGREE) {
    return Invalid("target.kind",
                   "stacking alone can never yield an initial-education degree (ARES opinion "
                   "2024-23 §03.1.4; Recommendation Annex II principle 5)");
  }
  if (absl::Status s = domain::ValidateText(
          t.title(), "target.title",
          {.required = true, .max_chars = domain::kMaxTitleChars, .single_line = true});
      !s.ok()) {
    return s;
  }
  const bool conferred = ConfersCredential(t);
  if (conferred) {
    if (std::optional<std::string> title = profile.FindProtectedTitle(t.title())) {
      return Invalid("target.title", Cat("contains the protected degree title \"", *title,
                                         "\" (policy ", profile.name(),
                                         "): a stacked credential must not be mistaken for a "
                                         "degree"));
    }
  }
  if (!t.specification_id().empty()) {
    absl::Status s =
        domain::ParseSpecificationId(t.specification_id(), "target.specification_id").status();
    if (!s.ok()) return s;
    if (!conferred) {
      return Invalid("target.specification_id",
                     "applies to a certificate or a larger micro-credential only (an exemption "
                     "or an admission is granted, not issued)");
    }
  }
  const bool programme = t.kind() == v1::TARGET_KIND_PROGRAMME_EXEMPTION ||
                         t.kind() == v1::TARGET_KIND_PROGRAMME_ADMISSION;
  if (programme) {
    return domain::ValidateText(t.programme_id(), "target.programme_id",
                                {.required = true, .max_chars = 128, .single_line = true});
  }
  if (!t.programme_id().empty()) {
    return Invalid("target.programme_id", "applies to an exemption or an admission only");
  }
  return absl::OkStatus();
}

absl::Status CheckEquivalences(const v1::Pathway& p) {
  for (int i = 0; i < p.equivalences_size(); ++i) {
    const v1::Equivalence& e = p.equivalences(i);
    const std::string path = Indexed("equivalences", i);
    absl::Status s;
    switch (e.subject_case()) {
      case v1::Equivalence::kSpecificationId:
        s = domain::ParseSpecificationId(e.specification_id(), path + ".specification_id").status();
        break;
      case v1::Equivalence::kIssuerInstitutionId:
        s = domain::ValidateInstitutionId(e.issuer_institution_id(),
                                          path + ".issuer_institution_id");
        break;
      case v1::Equivalence::kIssuerGroup:
        s = domain::ValidateText(e.issuer_group(), path + ".issuer_group",
                                 {.required = true, .max_chars = 64, .single_line = true});
        break;
      default:
        return Invalid(path, "names a specification, an issuer or an issuer group");
    }
    if (!s.ok()) return s;
    s = domain::ValidateText(e.basis(), path + ".basis", {.max_chars = 5000});
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckIdentity(const v1::Pathway& p) {
  absl::StatusOr<std::string> owner = domain::OwnerOf(p.pathway_id(), "pathway_id");
  if (!owner.ok()) return owner.status();
  if (absl::Status s = domain::ValidateInstitutionId(p.owner_institution(), "owner_institution");
      !s.ok()) {
    return s;
  }
  if (*owner != p.owner_institution()) {
    return Invalid("pathway_id",
                   Cat(p.pathway_id(), " belongs to ", *owner, ", not to ", p.owner_institution()));
  }
  if (absl::Status s = domain::ValidateText(
          p.title(), "title",
          {.required = true, .max_chars = domain::kMaxTitleChars, .single_line = true});
      !s.ok()) {
    return s;
  }
  return domain::ValidateText(p.description(), "description",
                              {.max_chars = domain::kMaxDescriptionChars});
}

}  // namespace

double GuaranteedEcts(const v1::Requirement& r) {
  double combined = 0;
  if (r.has_group()) {
    std::vector<double> children;
    for (const v1::Requirement& child : r.group().children()) {
      children.push_back(GuaranteedEcts(child));
    }
    std::sort(children.begin(), children.end());
    size_t take = children.size();
    if (r.group().combinator() == v1::COMBINATOR_ANY_OF) take = std::min<size_t>(1, take);
    if (r.group().combinator() == v1::COMBINATOR_AT_LEAST) {
      take = std::min<size_t>(r.group().at_least(), take);
    }
    for (size_t i = 0; i < take; ++i) combined += children[i];
  }
  return std::max(combined, r.min_ects());
}

absl::Status ValidatePathway(const v1::Pathway& pathway, const domain::PolicyProfile& profile) {
  if (absl::Status s = CheckIdentity(pathway); !s.ok()) return s;
  if (absl::Status s = CheckTarget(pathway.target(), profile); !s.ok()) return s;
  if (!pathway.has_rules()) return Invalid("rules", "is required");
  if (absl::Status s = RuleTreeValidator().Check(pathway.rules(), "rules", 0); !s.ok()) return s;
  if (absl::Status s = CheckEquivalences(pathway); !s.ok()) return s;
  const double floor = profile.min_certificate_ects();
  if (pathway.target().kind() == v1::TARGET_KIND_CONTINUING_EDUCATION_CERTIFICATE &&
      GuaranteedEcts(pathway.rules()) < floor) {
    return absl::FailedPreconditionError(
        Cat("rules.min_ects: a continuing-education certificate carries at least ", floor,
            " ECTS under policy ", profile.name(),
            " (decree \"Paysage\" art. 74); these rules "
            "guarantee only ",
            GuaranteedEcts(pathway.rules())));
  }
  return absl::OkStatus();
}

}  // namespace microcred::stacking
