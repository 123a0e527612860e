#include "services/stacking/rule_tree.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "libs/base/strings.h"

namespace microcred::stacking {
namespace {

using strings::Cat;

// Limits that keep a malformed tree from exhausting the stack or the search.
constexpr int kMaxDepth = 32;

Milli OptionalMilli(bool has, double value) { return has ? ToMilli(value) : 0; }

class Flattener {
 public:
  explicit Flattener(RuleTree& tree) : tree_(tree) {}

  absl::Status Add(const v1::Requirement& requirement, int parent, const std::string& path,
                   int depth) {
    if (depth > kMaxDepth) {
      return absl::InvalidArgumentError(Cat(path, ": the rule tree is deeper than ", kMaxDepth));
    }
    const int index = static_cast<int>(tree_.nodes.size());
    tree_.nodes.emplace_back();
    RuleNode& node = tree_.nodes.back();
    node.requirement = &requirement;
    node.parent = parent;
    if (parent >= 0) {
      node.filters = tree_.nodes[parent].filters;
      tree_.nodes[parent].children.push_back(index);
    }
    node.filters.push_back(&requirement.filter());
    node.min_ects = ToMilli(requirement.min_ects());
    if (requirement.caps().has_max_ects_per_issuer()) {
      node.cap_per_issuer = OptionalMilli(true, requirement.caps().max_ects_per_issuer());
      tree_.has_issuer_caps = true;
    }
    if (requirement.caps().has_max_external_ects()) {
      node.cap_external = OptionalMilli(true, requirement.caps().max_external_ects());
      tree_.has_external_caps = true;
    }
    if (!requirement.has_group()) {
      node.kind = NodeKind::kLeaf;
      node.min_count = static_cast<int>(requirement.min_credentials());
      node.allow_sharing = requirement.allow_sharing();
      tree_.has_sharing |= node.allow_sharing;
      tree_.leaves.push_back(index);
      return absl::OkStatus();
    }
    const v1::RequirementGroup& group = requirement.group();
    const int children = group.children_size();
    if (children == 0) {
      return absl::InvalidArgumentError(Cat(path, ".group.children: a group needs a child"));
    }
    switch (group.combinator()) {
      case v1::COMBINATOR_ALL_OF:
        node.kind = NodeKind::kAllOf;
        break;
      case v1::COMBINATOR_ANY_OF:
        node.kind = NodeKind::kAnyOf;
        break;
      case v1::COMBINATOR_AT_LEAST:
        node.kind = NodeKind::kAtLeast;
        if (group.at_least() < 1 || static_cast<int>(group.at_least()) > children) {
          return absl::InvalidArgumentError(
              Cat(path, ".group.at_least: must be 1 to the number of children (", children, ")"));
        }
        node.at_least = static_cast<int>(group.at_least());
        break;
      default:
        return absl::InvalidArgumentError(Cat(path, ".group.combinator: is required"));
    }
    for (int i = 0; i < children; ++i) {
      absl::Status s =
          Add(group.children(i), index, Cat(path, ".group.children[", i, "]"), depth + 1);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  RuleTree& tree_;
};

// (size or ECTS, child position) pairs, sorted to pick the smallest; reused across calls
// because the evaluator calls the tree functions once per search step.
std::vector<std::pair<Milli, int>>& Scratch() {
  thread_local std::vector<std::pair<Milli, int>> scratch;
  return scratch;
}

}  // namespace

Milli ToMilli(double ects) { return static_cast<Milli>(std::llround(ects * 1000.0)); }
double FromMilli(Milli milli) { return static_cast<double>(milli) / 1000.0; }

absl::StatusOr<RuleTree> CompileRuleTree(const v1::Pathway& pathway) {
  if (!pathway.has_rules()) return absl::InvalidArgumentError("rules: is required");
  RuleTree tree;
  Flattener flattener(tree);
  absl::Status s = flattener.Add(pathway.rules(), -1, "rules", 0);
  if (!s.ok()) return s;
  return tree;
}

void ComputeShortfalls(const RuleTree& tree, std::span<const Milli> node_ects,
                       std::span<const int> leaf_count, std::span<Shortfall> out) {
  // Children come after their parent in pre-order, so a reverse pass sees them first.
  for (int n = static_cast<int>(tree.nodes.size()) - 1; n >= 0; --n) {
    const RuleNode& node = tree.nodes[n];
    const Milli own_ects_short = std::max<Milli>(0, node.min_ects - node_ects[n]);
    if (node.kind == NodeKind::kLeaf) {
      out[n] = {own_ects_short, std::max(0, node.min_count - leaf_count[n])};
      continue;
    }
    Shortfall combined;
    if (node.kind == NodeKind::kAllOf) {
      for (int child : node.children) {
        combined.ects += out[child].ects;
        combined.count += out[child].count;
      }
    } else if (node.kind == NodeKind::kAnyOf) {
      combined = out[node.children[0]];
      for (int child : node.children) {
        if (out[child].size() < combined.size()) combined = out[child];
      }
    } else {
      auto& ranked = Scratch();
      ranked.clear();
      for (int i = 0; i < static_cast<int>(node.children.size()); ++i) {
        ranked.emplace_back(out[node.children[i]].size(), i);
      }
      std::partial_sort(ranked.begin(), ranked.begin() + node.at_least, ranked.end());
      for (int k = 0; k < node.at_least; ++k) {
        const Shortfall& chosen = out[node.children[ranked[k].second]];
        combined.ects += chosen.ects;
        combined.count += chosen.count;
      }
    }
    combined.ects = std::max(combined.ects, own_ects_short);
    out[n] = combined;
  }
}

Milli EctsNeed(const RuleTree& tree, std::span<const Milli> node_ects, std::span<Milli> scratch) {
  for (int n = static_cast<int>(tree.nodes.size()) - 1; n >= 0; --n) {
    const RuleNode& node = tree.nodes[n];
    const Milli own = std::max<Milli>(0, node.min_ects - node_ects[n]);
    if (node.kind == NodeKind::kLeaf) {
      scratch[n] = node.allow_sharing ? 0 : own;
      continue;
    }
    Milli combined = 0;
    if (node.kind == NodeKind::kAllOf) {
      for (int child : node.children) combined += scratch[child];
    } else if (node.kind == NodeKind::kAnyOf) {
      combined = scratch[node.children[0]];
      for (int child : node.children) combined = std::min(combined, scratch[child]);
    } else {
      auto& ranked = Scratch();
      ranked.clear();
      for (int i = 0; i < static_cast<int>(node.children.size()); ++i) {
        ranked.emplace_back(scratch[node.children[i]], i);
      }
      std::partial_sort(ranked.begin(), ranked.begin() + node.at_least, ranked.end());
      for (int k = 0; k < node.at_least; ++k) combined += ranked[k].first;
    }
    scratch[n] = std::max(combined, own);
  }
  return scratch[0];
}

}  // namespace microcred::stacking
