// Validation of a stacking pathway before it is published, under the ecosystem's policy.
//
// Reports the FIRST violation, in the order of the Pathway message (pathway_id, owner,
// title, description, target, rules depth first, equivalences), then the policy rules. Every
// message starts with the proto field path, e.g.
//   rules.group.children[1].filter.min_eqf_level: 9 is not an EQF level (1 to 8)
// Codes:
//  - INVALID_ARGUMENT for malformed content, and for a target that is an initial-education
//    degree, refused under every profile: stacking alone never yields one (ARES opinion
//    2024-23 §03.1.4; Recommendation Annex II principle 5: no automatic entitlement to a
//    degree). A certificate or micro-credential target whose title contains a protected degree
//    title is refused too, as for specifications;
//  - FAILED_PRECONDITION for what the policy profile adds: a continuing-education certificate
//    target whose rules guarantee fewer ECTS than the profile's floor (fwb: 10, decree
//    "Paysage" art. 74). What the rules guarantee is the least ECTS any satisfying set of
//    credentials carries by the min_ects alone: leaf min_ects; all-of: the sum over children;
//    any-of: the least child; at-least-N: the N least children; and at least the group's own
//    min_ects.
//
// Pure; thread-safe.
#ifndef MICROCRED_SERVICES_STACKING_PATHWAY_RULES_H_
#define MICROCRED_SERVICES_STACKING_PATHWAY_RULES_H_

#include "absl/status/status.h"
#include "libs/domain/policy_profile.h"
#include "microcred/stacking/v1/stacking.pb.h"

namespace microcred::stacking {

inline constexpr int kMaxRequirements = 500;
inline constexpr double kMaxPathwayEcts = 1000;

absl::Status ValidatePathway(const v1::Pathway& pathway, const domain::PolicyProfile& profile);

// A certificate or a larger micro-credential is conferred as a credential (the target's
// catalogue specification, issued); an exemption or an admission is granted by the conferral
// event alone.
bool ConfersCredential(const v1::PathwayTarget& target);

// The least ECTS the rules guarantee (see above).
double GuaranteedEcts(const v1::Requirement& requirement);

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_PATHWAY_RULES_H_
