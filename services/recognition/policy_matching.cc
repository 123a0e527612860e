#include "services/recognition/policy_matching.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "libs/base/strings.h"
#include "libs/discovery/did_web.h"
#include "libs/domain/dates.h"
#include "libs/domain/field_rules.h"
#include "libs/domain/specification.h"
#include "libs/domain/specification_id.h"
#include "services/recognition/decision_rules.h"
#include "services/recognition/request_lifecycle.h"

namespace microcred::recognition {
namespace {

using strings::Cat;
using v1::RecognitionPolicy;

constexpr double kMaxPolicyEcts = 400;
constexpr uint32_t kMaxAgeMonths = 1200;

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(Cat("policy.", field, ": ", what));
}

uint32_t Bit(int value) { return value >= 0 && value < 32 ? (1u << value) : 0; }

bool IsHalfMultiple(double ects) { return std::floor(ects * 2) == ects * 2; }

// A list of enum values: each valid and set, none twice.
template <typename IsValid>
absl::Status CheckEnumList(const google::protobuf::RepeatedField<int>& values,
                           std::string_view field, IsValid is_valid) {
  uint32_t seen = 0;
  for (int i = 0; i < values.size(); ++i) {
    const int value = values.Get(i);
    if (value == 0 || !is_valid(value)) return Invalid(Cat(field, "[", i, "]"), "unknown value");
    if (seen & Bit(value)) return Invalid(Cat(field, "[", i, "]"), "listed twice");
    seen |= Bit(value);
  }
  return absl::OkStatus();
}

absl::Status CheckIdList(const google::protobuf::RepeatedPtrField<std::string>& ids,
                         std::string_view field) {
  absl::flat_hash_set<std::string_view> seen;
  for (int i = 0; i < ids.size(); ++i) {
    const std::string path = Cat("policy.", field, "[", i, "]");
    if (auto s = domain::ValidateInstitutionId(ids.Get(i), path); !s.ok()) return s;
    if (!seen.insert(ids.Get(i)).second) return Invalid(Cat(field, "[", i, "]"), "listed twice");
  }
  return absl::OkStatus();
}

absl::Status CheckIdentity(const RecognitionPolicy& p, std::string_view receiving_institution) {
  if (p.receiving_institution() != receiving_institution) {
    return absl::PermissionDeniedError(Cat("policy.receiving_institution: ", receiving_institution,
                                           " can only publish its own policies, not ",
                                           p.receiving_institution(), "'s"));
  }
  absl::StatusOr<domain::SpecificationIdParts> id =
      domain::ParseSpecificationId(p.policy_id(), "policy.policy_id");
  if (!id.ok()) return id.status();
  if (id->institution_id != receiving_institution) {
    return Invalid("policy_id", Cat("must start with \"", receiving_institution, "/\""));
  }
  if (auto s = domain::ValidateText(p.title(), "policy.title",
                                    {.required = true, .max_chars = 255, .single_line = true});
      !s.ok()) {
    return s;
  }
  if (auto s = domain::ValidateText(p.rationale(), "policy.rationale",
                                    {.required = true, .max_chars = 5000});
      !s.ok()) {
    return s;
  }
  if (p.rank() == 0) return Invalid("rank", "must be 1 or more (1 is tried first)");
  if (p.status() == v1::POLICY_STATUS_UNSPECIFIED || !v1::PolicyStatus_IsValid(p.status())) {
    return Invalid("status", "required: ACTIVE or RETIRED");
  }
  return absl::OkStatus();
}

absl::Status CheckLevelAndWorkload(const RecognitionPolicy& p) {
  if (p.min_eqf_level() < 0 || p.min_eqf_level() > 8) {
    return Invalid("min_eqf_level", "must be 1 to 8, or 0 for no bound");
  }
  if (p.max_eqf_level() < 0 || p.max_eqf_level() > 8) {
    return Invalid("max_eqf_level", "must be 1 to 8, or 0 for no bound");
  }
  if (p.max_eqf_level() != 0 && p.min_eqf_level() > p.max_eqf_level()) {
    return Invalid("max_eqf_level", "must not be below min_eqf_level");
  }
  if (!std::isfinite(p.min_ects()) || p.min_ects() < 0 || p.min_ects() > kMaxPolicyEcts) {
    return Invalid("min_ects", Cat("must be 0 to ", kMaxPolicyEcts));
  }
  return absl::OkStatus();
}

absl::Status CheckSpecifications(const RecognitionPolicy& p) {
  absl::flat_hash_set<std::string_view> seen;
  for (int i = 0; i < p.specification_ids_size(); ++i) {
    if (auto s = domain::ParseSpecificationId(p.specification_ids(i),
                                              Cat("policy.specification_ids[", i, "]"));
        !s.ok()) {
      return s.status();
    }
    if (!seen.insert(p.specification_ids(i)).second) {
      return Invalid(Cat("specification_ids[", i, "]"), "listed twice");
    }
  }
  if (!p.specification_ids().empty() && !p.equivalences().empty()) {
    return Invalid("equivalences", "a policy lists specification_ids or equivalences, not both");
  }
  for (int i = 0; i < p.equivalences_size(); ++i) {
    const v1::EquivalenceEntry& e = p.equivalences(i);
    const std::string path = Cat("equivalences[", i, "]");
    if (auto s = domain::ParseSpecificationId(e.specification_id(),
                                              Cat("policy.", path, ".specification_id"));
        !s.ok()) {
      return s.status();
    }
    if (auto s = domain::ValidateText(e.component_id(), Cat("policy.", path, ".component_id"),
                                      {.required = true, .max_chars = 128, .single_line = true});
        !s.ok()) {
      return s;
    }
    if (!std::isfinite(e.ects()) || e.ects() <= 0 || e.ects() > kMaxPolicyEcts ||
        !IsHalfMultiple(e.ects())) {
      return Invalid(Cat(path, ".ects"), "a positive multiple of 0.5, at most 400");
    }
  }
  return absl::OkStatus();
}

// A DID without fragment or query: "did:" method ":" a method-specific id.
bool IsDid(std::string_view text) {
  if (text.substr(0, 4) != "did:") return false;
  const size_t colon = text.find(':', 4);
  if (colon == std::string_view::npos || colon == 4 || colon + 1 == text.size()) return false;
  for (char c : text.substr(4, colon - 4)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return text.find_first_of("#? \t\r\n") == std::string_view::npos;
}

// A host name in lower case, with an optional port: "x.example", "x.example:8443".
bool IsHost(std::string_view text) {
  const size_t colon = text.find(':');
  const std::string_view host = text.substr(0, colon);
  if (host.empty() || host.front() == '.' || host.back() == '.' || host.front() == '-') {
    return false;
  }
  for (char c : host) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  if (colon == std::string_view::npos) return true;
  const std::string_view port = text.substr(colon + 1);
  return !port.empty() && port.size() <= 5 &&
         port.find_first_not_of("0123456789") == std::string_view::npos;
}

template <typename IsShape>
absl::Status CheckOutsideList(const google::protobuf::RepeatedPtrField<std::string>& values,
                              std::string_view field, std::string_view shape, IsShape is_shape) {
  absl::flat_hash_set<std::string_view> seen;
  for (int i = 0; i < values.size(); ++i) {
    const std::string path = Cat(field, "[", i, "]");
    if (values.Get(i).size() > 2048 || !is_shape(values.Get(i))) return Invalid(path, shape);
    if (!seen.insert(values.Get(i)).second) return Invalid(path, "listed twice");
  }
  return absl::OkStatus();
}

absl::Status CheckOutsideIssuers(const RecognitionPolicy& p) {
  if (auto s = CheckOutsideList(p.outside_issuer_dids(), "outside_issuer_dids",
                                "a DID (did:<method>:<id>), without fragment or query", IsDid);
      !s.ok()) {
    return s;
  }
  if (auto s = CheckOutsideList(
          p.outside_issuer_domains(), "outside_issuer_domains",
          "a host name in lower case, with an optional port (x.example, x.example:8443), no "
          "scheme or path",
          IsHost);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < p.trust_anchors_size(); ++i) {
    if (auto s = domain::ValidateText(p.trust_anchors(i), Cat("policy.trust_anchors[", i, "]"),
                                      {.required = true, .max_chars = 255, .single_line = true});
        !s.ok()) {
      return s;
    }
  }
  return CheckOutsideList(p.trust_anchors(), "trust_anchors", "",
                          [](std::string_view) { return true; });
}

bool IsOneOf(issuance::v1::TrustKind kind, std::initializer_list<issuance::v1::TrustKind> kinds) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

}  // namespace

bool IsOutsideCredential(const v1::PresentedCredential& credential) {
  return credential.has_trust_basis() && !credential.trust_basis().ecosystem_member();
}

std::string OutsideIssuerHost(const issuance::v1::TrustBasis& basis) {
  using issuance::v1::TrustKind;
  if (IsOneOf(basis.kind(), {TrustKind::TRUST_KIND_DID_WEB, TrustKind::TRUST_KIND_PINNED_KEY})) {
    const std::string& id = basis.issuer_id();
    if (auto did = discovery::ParseDidWeb(id.substr(0, id.find_first_of("#?"))); did.ok()) {
      return did->host;
    }
  }
  if (IsOneOf(basis.kind(), {TrustKind::TRUST_KIND_KEY_URL, TrustKind::TRUST_KIND_PINNED_KEY}) &&
      basis.key_source().rfind("https://", 0) == 0) {
    if (auto host = discovery::HostOf(basis.key_source()); host.ok()) return *host;
  }
  return std::string();
}

absl::Status ValidatePolicy(const RecognitionPolicy& p, std::string_view receiving_institution) {
  if (auto s = CheckIdentity(p, receiving_institution); !s.ok()) return s;
  if (p.purposes().empty()) return Invalid("purposes", "at least one purpose");
  if (auto s = CheckEnumList(p.purposes(), "purposes", v1::RecognitionPurpose_IsValid); !s.ok()) {
    return s;
  }
  if (auto s = CheckIdList(p.issuers(), "issuers"); !s.ok()) return s;
  if (auto s = CheckIdList(p.issuer_groups(), "issuer_groups"); !s.ok()) return s;
  if (auto s =
          CheckEnumList(p.provider_types(), "provider_types", common::v1::ProviderType_IsValid);
      !s.ok()) {
    return s;
  }
  if (auto s = CheckEnumList(p.quality_assurance_types(), "quality_assurance_types",
                             common::v1::QualityAssuranceType_IsValid);
      !s.ok()) {
    return s;
  }
  if (auto s = CheckLevelAndWorkload(p); !s.ok()) return s;
  if (auto s = CheckSpecifications(p); !s.ok()) return s;
  if (auto s = CheckOutsideIssuers(p); !s.ok()) return s;
  if (p.max_age_months() > kMaxAgeMonths) {
    return Invalid("max_age_months", Cat("must be at most ", kMaxAgeMonths, ", or 0 for no limit"));
  }
  return absl::OkStatus();
}

std::string_view CriterionName(Criterion criterion) {
  switch (criterion) {
    case Criterion::kActive:
      return "active";
    case Criterion::kAuthentic:
      return "authentic";
    case Criterion::kPurpose:
      return "purpose";
    case Criterion::kIssuer:
      return "issuer";
    case Criterion::kAnnexIElements:
      return "Annex I elements";
    case Criterion::kProviderType:
      return "provider type";
    case Criterion::kQualityAssurance:
      return "quality assurance";
    case Criterion::kEqfLevel:
      return "EQF level";
    case Criterion::kMinimumEcts:
      return "minimum ECTS";
    case Criterion::kSpecification:
      return "specification";
    case Criterion::kAge:
      return "age";
  }
  return "unknown";
}

// ---- CompiledPolicy ----

CompiledPolicy::CompiledPolicy(RecognitionPolicy policy, const IssuerGroups& groups)
    : policy_(std::move(policy)) {
  for (int purpose : policy_.purposes()) purpose_mask_ |= Bit(purpose);
  for (int type : policy_.provider_types()) provider_type_mask_ |= Bit(type);
  for (int type : policy_.quality_assurance_types()) qa_type_mask_ |= Bit(type);
  issuers_.insert(policy_.issuers().begin(), policy_.issuers().end());
  for (const std::string& group : policy_.issuer_groups()) {
    auto members = groups.find(group);
    if (members != groups.end()) issuers_.insert(members->second.begin(), members->second.end());
  }
  // A policy that names only unknown groups matches no issuer, rather than every issuer: it
  // keeps one entry that no institution id can equal.
  if (issuers_.empty() && !policy_.issuer_groups().empty()) issuers_.insert("\x01no member");
  specification_ids_.insert(policy_.specification_ids().begin(), policy_.specification_ids().end());
  for (const v1::EquivalenceEntry& entry : policy_.equivalences()) {
    equivalences_[entry.specification_id()].push_back(entry);
  }
  outside_dids_.insert(policy_.outside_issuer_dids().begin(), policy_.outside_issuer_dids().end());
  outside_domains_.insert(policy_.outside_issuer_domains().begin(),
                          policy_.outside_issuer_domains().end());
  trust_anchors_.insert(policy_.trust_anchors().begin(), policy_.trust_anchors().end());
}

bool CompiledPolicy::NamesOutsideIssuers() const {
  return !outside_dids_.empty() || !outside_domains_.empty() || !trust_anchors_.empty();
}

bool CompiledPolicy::NamesOutsideIssuer(const v1::PresentedCredential& credential) const {
  using issuance::v1::TrustKind;
  const issuance::v1::TrustBasis& basis = credential.trust_basis();
  const TrustKind kind = basis.kind();
  if (IsOneOf(kind, {TrustKind::TRUST_KIND_DID_WEB, TrustKind::TRUST_KIND_DID_KEY,
                     TrustKind::TRUST_KIND_PINNED_KEY}) &&
      outside_dids_.contains(basis.issuer_id())) {
    return true;
  }
  if (const std::string host = OutsideIssuerHost(basis); !host.empty()) {
    if (outside_domains_.contains(host) ||
        outside_domains_.contains(host.substr(0, host.find(':')))) {
      return true;
    }
  }
  return kind == TrustKind::TRUST_KIND_TRUSTED_LIST_SEAL && !basis.trust_anchor().empty() &&
         trust_anchors_.contains(basis.trust_anchor());
}

std::vector<std::string> CompiledPolicy::SpecificationKeys() const {
  std::vector<std::string> keys(specification_ids_.begin(), specification_ids_.end());
  for (const auto& [specification_id, entries] : equivalences_) keys.push_back(specification_id);
  return keys;
}

bool CompiledPolicy::HasPurpose(v1::RecognitionPurpose purpose) const {
  return (purpose_mask_ & Bit(purpose)) != 0;
}

const v1::EquivalenceEntry* CompiledPolicy::ApplicableEquivalence(const MatchInput& input) const {
  const v1::CredentialFacts& facts = input.credential.facts();
  auto entries = equivalences_.find(facts.specification_id());
  if (entries == equivalences_.end()) return nullptr;
  const bool component_target = input.target.has_component();
  for (const v1::EquivalenceEntry& entry : entries->second) {
    if (component_target && entry.component_id() != input.target.component().component_id()) {
      continue;
    }
    if (entry.ects() < facts.ects()) continue;
    return &entry;
  }
  return nullptr;
}

bool CompiledPolicy::SpecificationMatches(const MatchInput& input) const {
  if (specification_ids_.empty() && equivalences_.empty()) return true;
  if (specification_ids_.contains(input.credential.facts().specification_id())) return true;
  return ApplicableEquivalence(input) != nullptr;
}

std::optional<Criterion> CompiledPolicy::FirstUnmetCriterion(const MatchInput& input) const {
  const v1::CredentialFacts& facts = input.credential.facts();
  if (policy_.status() != v1::POLICY_STATUS_ACTIVE) return Criterion::kActive;
  if (input.credential.authenticity() != v1::AUTHENTICITY_AUTHENTIC) return Criterion::kAuthentic;
  if (!HasPurpose(input.purpose)) return Criterion::kPurpose;
  if (IsOutsideCredential(input.credential)) {
    if (!NamesOutsideIssuer(input.credential)) return Criterion::kIssuer;
    if (!facts.missing_elements().empty()) return Criterion::kAnnexIElements;
  } else if (!AppliesToMembers() || (!issuers_.empty() && !issuers_.contains(facts.issuer()))) {
    return Criterion::kIssuer;
  }
  if (provider_type_mask_ != 0 && (provider_type_mask_ & Bit(facts.issuer_provider_type())) == 0) {
    return Criterion::kProviderType;
  }
  if (qa_type_mask_ != 0 && (qa_type_mask_ & Bit(facts.quality_assurance_type())) == 0) {
    return Criterion::kQualityAssurance;
  }
  if (policy_.require_deqar_reference() && facts.deqar_reference().empty()) {
    return Criterion::kQualityAssurance;
  }
  const bool has_eqf_bound = policy_.min_eqf_level() != 0 || policy_.max_eqf_level() != 0;
  if (has_eqf_bound &&
      (facts.eqf_level() == 0 || facts.eqf_level() < policy_.min_eqf_level() ||
       (policy_.max_eqf_level() != 0 && facts.eqf_level() > policy_.max_eqf_level()))) {
    return Criterion::kEqfLevel;
  }
  if (policy_.min_ects() > 0 && !(facts.ects() >= policy_.min_ects())) {
    return Criterion::kMinimumEcts;
  }
  if (!SpecificationMatches(input)) return Criterion::kSpecification;
  if (policy_.max_age_months() != 0) {
    if (!facts.has_issued_on() || !domain::IsValidDate(facts.issued_on())) return Criterion::kAge;
    const absl::CivilDay oldest_allowed =
        AddMonthsClamped(input.submitted_on, -static_cast<int>(policy_.max_age_months()));
    if (domain::ToCivilDay(facts.issued_on()) < oldest_allowed) return Criterion::kAge;
  }
  return std::nullopt;
}

double CompiledPolicy::CreditedEcts(const MatchInput& input) const {
  const v1::EquivalenceEntry* entry = ApplicableEquivalence(input);
  return entry != nullptr ? entry->ects() : input.credential.facts().ects();
}

// ---- PolicyIndex ----

absl::StatusOr<PolicyIndex> PolicyIndex::Build(std::vector<RecognitionPolicy> policies,
                                               const IssuerGroups& groups) {
  std::erase_if(policies,
                [](const RecognitionPolicy& p) { return p.status() != v1::POLICY_STATUS_ACTIVE; });
  std::sort(policies.begin(), policies.end(),
            [](const RecognitionPolicy& a, const RecognitionPolicy& b) {
              if (a.rank() != b.rank()) return a.rank() < b.rank();
              return a.policy_id() < b.policy_id();
            });
  for (size_t i = 1; i < policies.size(); ++i) {
    if (policies[i].rank() == policies[i - 1].rank()) {
      return absl::FailedPreconditionError(
          Cat("policy.rank: ", policies[i].policy_id(), " and ", policies[i - 1].policy_id(),
              " share rank ", policies[i].rank(), "; the order must be unambiguous"));
    }
  }
  PolicyIndex index;
  index.compiled_.reserve(policies.size());
  for (RecognitionPolicy& policy : policies) {
    const auto position = static_cast<uint32_t>(index.compiled_.size());
    auto compiled = std::make_unique<CompiledPolicy>(std::move(policy), groups);
    const std::vector<std::string> specifications = compiled->SpecificationKeys();
    for (size_t purpose = 1; purpose < kPurposeCount; ++purpose) {
      if (!compiled->HasPurpose(static_cast<v1::RecognitionPurpose>(purpose))) continue;
      PurposeIndex& slot = index.by_purpose_[purpose];
      if (compiled->NamesOutsideIssuers()) slot.outside.push_back(position);
      // Under its most selective key only: it must hold anyway, so the other lists never need it.
      if (!compiled->AppliesToMembers()) {
        // outside issuers only
      } else if (!compiled->issuers().empty()) {
        for (const std::string& issuer : compiled->issuers()) {
          slot.by_issuer[issuer].push_back(position);
        }
      } else if (!specifications.empty()) {
        for (const std::string& id : specifications) slot.by_specification[id].push_back(position);
      } else {
        slot.any.push_back(position);
      }
    }
    index.compiled_.push_back(std::move(compiled));
  }
  return index;
}

namespace {

const std::vector<uint32_t>& ListOrEmpty(
    const absl::flat_hash_map<std::string, std::vector<uint32_t>>& lists, const std::string& key) {
  static const std::vector<uint32_t>* const kEmpty = new std::vector<uint32_t>();
  auto it = lists.find(key);
  return it == lists.end() ? *kEmpty : it->second;
}

}  // namespace

std::optional<PolicyMatchResult> PolicyIndex::FirstMatch(const MatchInput& input) const {
  const auto purpose = static_cast<size_t>(input.purpose);
  if (purpose == 0 || purpose >= kPurposeCount) return std::nullopt;
  const PurposeIndex& slot = by_purpose_[purpose];
  if (IsOutsideCredential(input.credential)) {
    for (uint32_t position : slot.outside) {
      const CompiledPolicy& candidate = *compiled_[position];
      if (!candidate.FirstUnmetCriterion(input).has_value()) {
        return PolicyMatchResult{&candidate.policy(), candidate.CreditedEcts(input)};
      }
    }
    return std::nullopt;
  }
  const v1::CredentialFacts& facts = input.credential.facts();
  const std::array<const std::vector<uint32_t>*, 3> lists = {
      &ListOrEmpty(slot.by_issuer, facts.issuer()),
      &ListOrEmpty(slot.by_specification, facts.specification_id()), &slot.any};
  // The lists are in rank order and share no policy: walk them merged, stop at the first match.
  std::array<size_t, 3> next = {0, 0, 0};
  while (true) {
    int from = -1;
    for (int l = 0; l < 3; ++l) {
      if (next[l] == lists[l]->size()) continue;
      if (from < 0 || (*lists[l])[next[l]] < (*lists[from])[next[from]]) from = l;
    }
    if (from < 0) return std::nullopt;
    const CompiledPolicy& candidate = *compiled_[(*lists[from])[next[from]++]];
    if (!candidate.FirstUnmetCriterion(input).has_value()) {
      return PolicyMatchResult{&candidate.policy(), candidate.CreditedEcts(input)};
    }
  }
}

}  // namespace microcred::recognition
