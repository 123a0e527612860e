// A pathway's rule tree in the flat form the evaluator searches over, and the shortfall
// semantics every part of stacking shares.
//
// Units. ECTS are held as integer thousandths ("milli-ECTS") so that sums and comparisons are
// exact; a missing credential weighs kCountWeight (one ECTS) in a shortfall's size.
//
// Shortfall of a node, given the credentials assigned to the leaves (ects short, count short):
//   leaf        (max(0, min_ects - assigned ECTS), max(0, min_credentials - assigned count))
//   all-of      the sum of the children's shortfalls
//   any-of      the child shortfall of smallest size (ties: the first child)
//   at-least-N  the sum of the N child shortfalls of smallest size (ties: earlier children)
// and then, for a group, ects short = max(combined ects short, min_ects - ECTS of the distinct
// credentials assigned anywhere below). The max, not a sum: credits added to a short child
// also count for the group, so this is the least ECTS still to add. size = ects short +
// kCountWeight * count short; a node is satisfied when its size is 0.
//
// Thread-safe once built; a RuleTree points into the Pathway it was compiled from, which must
// outlive it.
#ifndef MICROCRED_SERVICES_STACKING_RULE_TREE_H_
#define MICROCRED_SERVICES_STACKING_RULE_TREE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "microcred/stacking/v1/stacking.pb.h"

namespace microcred::stacking {

using Milli = int64_t;
inline constexpr Milli kCountWeight = 1000;

// Rounds to the nearest thousandth of an ECTS.
Milli ToMilli(double ects);
double FromMilli(Milli milli);

enum class NodeKind { kLeaf, kAllOf, kAnyOf, kAtLeast };

struct RuleNode {
  const v1::Requirement* requirement = nullptr;
  NodeKind kind = NodeKind::kLeaf;
  int parent = -1;
  std::vector<int> children;
  int at_least = 0;  // kAtLeast only
  Milli min_ects = 0;
  int min_count = 0;  // leaves only
  bool allow_sharing = false;
  std::optional<Milli> cap_per_issuer;
  std::optional<Milli> cap_external;
  // The filters a credential must pass to be assigned here: the ancestors' (root first), then
  // the node's own.
  std::vector<const v1::CredentialFilter*> filters;

  const std::string& id() const { return requirement->requirement_id(); }
  bool has_caps() const { return cap_per_issuer.has_value() || cap_external.has_value(); }
};

struct RuleTree {
  std::vector<RuleNode> nodes;  // pre-order: a parent comes before its children; 0 is the root
  std::vector<int> leaves;      // leaf node indices, in pre-order
  bool has_sharing = false;
  bool has_issuer_caps = false;
  bool has_external_caps = false;
};

// Flattens pathway.rules. INVALID_ARGUMENT naming the node when the tree cannot be evaluated
// (no rules, a group without children or combinator, at_least out of range). Full validation
// is ValidatePathway's (pathway_rules.h).
absl::StatusOr<RuleTree> CompileRuleTree(const v1::Pathway& pathway);

struct Shortfall {
  Milli ects = 0;
  int count = 0;
  Milli size() const { return ects + kCountWeight * count; }
};

// The shortfall of every node (see the top of this file). `node_ects` holds, for a leaf, the
// ECTS assigned to it and, for a group, the ECTS of the distinct credentials assigned below;
// `leaf_count` the number of credentials assigned to each leaf (ignored for groups). `out` and
// the inputs have one entry per node.
void ComputeShortfalls(const RuleTree& tree, std::span<const Milli> node_ects,
                       std::span<const int> leaf_count, std::span<Shortfall> out);

// An ECTS-only lower bound used by the search: the same recursion on ECTS alone, with
// any-of/at-least choosing by ECTS and leaves that allow sharing counting 0. Never more than
// the ECTS part of the root's shortfall for the same inputs.
Milli EctsNeed(const RuleTree& tree, std::span<const Milli> node_ects, std::span<Milli> scratch);

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_RULE_TREE_H_
