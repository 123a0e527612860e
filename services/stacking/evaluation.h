// Evaluation of a pathway against a learner's credentials: is it satisfied, which credential
// counts for which requirement, what is missing, and what is left unused.
//
// Which credentials count (a credential is "countable"):
//  - issued by the pathway's owner (the receiving institution): at its ECTS;
//  - issued elsewhere and covered by an equivalence of the pathway or of the ecosystem policy
//    (specification, issuer or issuer group): at its ECTS;
//  - issued elsewhere with a positive recognition decision (RECOGNISED): at its recognised
//    ECTS when those are given and lower than its ECTS, else at its ECTS;
//  - anything else (no decision, pending, refused) does not count at all.
// A countable credential may be assigned to a leaf requirement whose filters (its own and its
// ancestors') it passes.
//
// The assignment (see rule_tree.h for the shortfall and assignment_search.h for the search):
//  - a credential counts for one requirement only, unless it is assigned to requirements that
//    allow sharing: at most one of its requirements may disallow sharing;
//  - a group's ECTS (for its min_ects) are those of the distinct credentials assigned to
//    leaves below it, so the pathway's overall minimum (the root's min_ects) counts every
//    credential assigned anywhere once, and nothing else: an author who wants "free
//    electives" to count declares a leaf for them (a filter, no minimum);
//  - caps bound the ECTS of the distinct credentials assigned below the capped node, per
//    issuer and from outside the receiving institution; a credential that would exceed a cap
//    is not assigned (credentials never count in part);
//  - the assignment is optimal: least root shortfall (ECTS short + one ECTS per missing
//    credential), then least ECTS consumed (the most ECTS left free), then the first in a
//    search order fixed by the credentials' contents and ids, so that the answer does not
//    depend on the order of the input.
//
// Pure (no I/O); thread-safe.
#ifndef MICROCRED_SERVICES_STACKING_EVALUATION_H_
#define MICROCRED_SERVICES_STACKING_EVALUATION_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "microcred/stacking/v1/stacking.pb.h"

namespace microcred::stacking {

struct EvaluationContext {
  absl::CivilDay evaluation_date;
  // Equivalences the ecosystem's policy declares, on top of the pathway's own.
  std::vector<v1::Equivalence> policy_equivalences;
  // The search stops after this many steps and returns the best assignment found, marked
  // not optimal. Generous: realistic pathways take thousands.
  int64_t search_budget = 20'000'000;
  // Near misses reported per unmet requirement, fewest failed criteria first.
  int max_near_misses = 10;
};

// INVALID_ARGUMENT when the rule tree cannot be evaluated (see CompileRuleTree) or when two
// credentials share an id or one has none.
absl::StatusOr<v1::EvaluationResult> Evaluate(const v1::Pathway& pathway,
                                              std::span<const v1::CredentialFacts> credentials,
                                              const EvaluationContext& context);

// Evaluate with `hypothetical` added to what the learner holds; they are marked hypothetical
// in the answer whatever their own flag says.
absl::StatusOr<v1::EvaluationResult> WhatIf(const v1::Pathway& pathway,
                                            std::span<const v1::CredentialFacts> held,
                                            std::span<const v1::CredentialFacts> hypothetical,
                                            const EvaluationContext& context);

// The ECTS a credential counts for in this pathway, or a negative value when it does not
// count (see "Which credentials count" above).
double CountedEcts(const v1::Pathway& pathway, const v1::CredentialFacts& credential,
                   std::span<const v1::Equivalence> policy_equivalences);

// Whether an equivalence of the pathway or of the policy covers a credential of specification
// `specification_id` issued by `issuer` (member of `issuer_groups`).
bool CoveredByEquivalence(const v1::Pathway& pathway,
                          std::span<const v1::Equivalence> policy_equivalences,
                          const std::string& specification_id, const std::string& issuer,
                          const google::protobuf::RepeatedPtrField<std::string>& issuer_groups);

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_EVALUATION_H_
