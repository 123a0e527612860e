#include "services/stacking/evaluation.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "libs/base/strings.h"
#include "services/stacking/assignment_search.h"
#include "services/stacking/credential_filter.h"
#include "services/stacking/rule_tree.h"

namespace microcred::stacking {
namespace {

using strings::Cat;

// Near misses fail at most two criteria; counting a third tells that a credential is not one.
constexpr int kMaxCountedFailures = 3;

struct Input {
  const v1::CredentialFacts* facts = nullptr;
  bool hypothetical = false;
  Milli counted = -1;       // < 0: does not count
  std::vector<int> leaves;  // the leaves it may be assigned to
  // Per leaf of the tree (in RuleTree::leaves order): the filter criteria it fails, counted
  // up to kMaxCountedFailures; computed once, for matching and for near misses.
  std::vector<uint8_t> failures;
  int item = -1;  // its SearchItem, if any
};

bool Covers(const v1::Equivalence& e, const std::string& specification_id,
            const std::string& issuer,
            const google::protobuf::RepeatedPtrField<std::string>& groups) {
  switch (e.subject_case()) {
    case v1::Equivalence::kSpecificationId:
      return e.specification_id() == specification_id;
    case v1::Equivalence::kIssuerInstitutionId:
      return e.issuer_institution_id() == issuer;
    case v1::Equivalence::kIssuerGroup:
      return std::find(groups.begin(), groups.end(), e.issuer_group()) != groups.end();
    default:
      return false;
  }
}

std::string NotCountedReason(const v1::Pathway& pathway, const v1::CredentialFacts& c) {
  return Cat("recognition: issued by ", c.issuer_institution_id(), " outside ",
             pathway.owner_institution(),
             ", with no positive recognition decision and no declared equivalence");
}

// The ECTS assigned below each capped node, per issuer and from outside, for the near-miss
// and unused explanations.
struct CapUse {
  std::map<std::pair<int, std::string>, Milli> per_issuer;
  std::map<int, Milli> external;
};

class ResultBuilder {
 public:
  static constexpr size_t kMaxReasons = 2;  // more failed criteria than this is not "near"

  ResultBuilder(const v1::Pathway& pathway, const RuleTree& tree, std::vector<Input>& inputs,
                const SearchResult& search, const EvaluationContext& context)
      : pathway_(pathway), tree_(tree), inputs_(inputs), search_(search), context_(context) {}

  v1::EvaluationResult Build() {
    Tally();
    v1::EvaluationResult result;
    result.set_pathway_id(pathway_.pathway_id());
    result.set_pathway_version(pathway_.version());
    const Shortfall& root = shortfalls_[0];
    result.set_satisfied(root.size() == 0);
    result.set_ects_short(FromMilli(root.ects));
    result.set_credentials_short(root.count);
    result.set_optimal(search_.optimal);
    Milli counted = 0;
    for (const Input& in : inputs_) {
      const std::vector<int>& leaves = LeavesOf(in);
      if (leaves.empty()) {
        result.add_unused()->set_credential_id(in.facts->credential_id());
        result.mutable_unused()->rbegin()->set_reason(UnusedReason(in));
        continue;
      }
      counted += in.counted;
      v1::Assignment* a = result.add_assignments();
      a->set_credential_id(in.facts->credential_id());
      for (int leaf : leaves) a->add_requirement_ids(tree_.nodes[leaf].id());
      a->set_counted_ects(FromMilli(in.counted));
      a->set_hypothetical(in.hypothetical);
    }
    result.set_counted_ects(FromMilli(counted));
    for (size_t n = 0; n < tree_.nodes.size(); ++n) AddProgress(static_cast<int>(n), result);
    return result;
  }

 private:
  const std::vector<int>& LeavesOf(const Input& in) const {
    static const std::vector<int> kNone;
    return in.item < 0 ? kNone : search_.leaves_of_item[in.item];
  }

  void Tally() {
    const size_t n = tree_.nodes.size();
    node_ects_.assign(n, 0);
    leaf_count_.assign(n, 0);
    shortfalls_.resize(n);
    for (const Input& in : inputs_) {
      std::set<int> nodes;
      for (int leaf : LeavesOf(in)) {
        ++leaf_count_[leaf];
        for (int a = leaf; a >= 0; a = tree_.nodes[a].parent) nodes.insert(a);
      }
      for (int a : nodes) {
        node_ects_[a] += in.counted;
        if (tree_.nodes[a].cap_per_issuer.has_value()) {
          caps_.per_issuer[{a, in.facts->issuer_institution_id()}] += in.counted;
        }
        if (tree_.nodes[a].cap_external.has_value() && IsExternal(in)) {
          caps_.external[a] += in.counted;
        }
      }
    }
    ComputeShortfalls(tree_, node_ects_, leaf_count_, shortfalls_);
  }

  bool IsExternal(const Input& in) const {
    return in.facts->issuer_institution_id() != pathway_.owner_institution();
  }

  // The first cap above `leaf` that assigning `in` there would exceed, described; or "".
  std::string BlockingCap(const Input& in, int leaf) const {
    for (int a = leaf; a >= 0; a = tree_.nodes[a].parent) {
      const RuleNode& node = tree_.nodes[a];
      if (node.cap_per_issuer.has_value()) {
        auto it = caps_.per_issuer.find({a, in.facts->issuer_institution_id()});
        const Milli used = it == caps_.per_issuer.end() ? 0 : it->second;
        if (used + in.counted > *node.cap_per_issuer) {
          return Cat("caps: ", node.id(), " allows at most ", FromMilli(*node.cap_per_issuer),
                     " ECTS from ", in.facts->issuer_institution_id(), "; ", FromMilli(used),
                     " already count");
        }
      }
      if (node.cap_external.has_value() && IsExternal(in)) {
        auto it = caps_.external.find(a);
        const Milli used = it == caps_.external.end() ? 0 : it->second;
        if (used + in.counted > *node.cap_external) {
          return Cat("caps: ", node.id(), " allows at most ", FromMilli(*node.cap_external),
                     " ECTS from outside ", pathway_.owner_institution(), "; ", FromMilli(used),
                     " already count");
        }
      }
    }
    return "";
  }

  std::string UnusedReason(const Input& in) const {
    if (in.counted < 0) return NotCountedReason(pathway_, *in.facts);
    if (in.leaves.empty()) return "matches no requirement of the pathway";
    for (int leaf : in.leaves) {
      if (shortfalls_[leaf].size() == 0) continue;
      std::string cap = BlockingCap(in, leaf);
      if (!cap.empty()) return cap;
    }
    return "not needed: the requirements it matches are met without it";
  }

  // Why `in` does not count for `leaf`; empty when it could count but is simply not assigned.
  std::vector<std::string> MissReasons(const Input& in, int leaf) const {
    std::vector<std::string> reasons;
    if (in.counted < 0) reasons.push_back(NotCountedReason(pathway_, *in.facts));
    std::vector<std::string> failures =
        FilterFailures(tree_.nodes[leaf].filters, *in.facts, context_.evaluation_date);
    reasons.insert(reasons.end(), failures.begin(), failures.end());
    if (!reasons.empty()) return reasons;
    const std::vector<int>& assigned = LeavesOf(in);
    if (!assigned.empty()) {
      std::string ids;
      for (int other : assigned) ids += (ids.empty() ? "" : ", ") + tree_.nodes[other].id();
      return {Cat("sharing: already counted for ", ids)};
    }
    std::string cap = BlockingCap(in, leaf);
    if (!cap.empty()) return {cap};
    return {"not needed by the optimal assignment"};
  }

  // How many reasons MissReasons would give (more than kMaxReasons: some number above).
  int CountMissReasons(const Input& in, int leaf_position) const {
    const int not_counted = in.counted < 0 ? 1 : 0;
    return std::max(1, not_counted + in.failures[leaf_position]);
  }

  // The reasons are counted first and put in words only for the credentials kept: most
  // credentials fail far more than two criteria of a given leaf.
  void AddNearMisses(int leaf, v1::RequirementProgress& progress) const {
    if (context_.max_near_misses <= 0) return;
    const int position = static_cast<int>(
        std::lower_bound(tree_.leaves.begin(), tree_.leaves.end(), leaf) - tree_.leaves.begin());
    std::vector<std::pair<int, const Input*>> misses;  // (reasons, credential), by id
    for (const Input& in : inputs_) {
      const std::vector<int>& assigned = LeavesOf(in);
      if (std::binary_search(assigned.begin(), assigned.end(), leaf)) continue;
      const int reasons = CountMissReasons(in, position);
      if (reasons <= static_cast<int>(kMaxReasons)) misses.emplace_back(reasons, &in);
    }
    std::stable_sort(misses.begin(), misses.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    const size_t keep = std::min(misses.size(), static_cast<size_t>(context_.max_near_misses));
    for (size_t i = 0; i < keep; ++i) {
      v1::NearMiss* miss = progress.add_near_misses();
      miss->set_credential_id(misses[i].second->facts->credential_id());
      for (const std::string& r : MissReasons(*misses[i].second, leaf)) miss->add_reasons(r);
    }
  }

  void AddProgress(int n, v1::EvaluationResult& result) const {
    const RuleNode& node = tree_.nodes[n];
    v1::RequirementProgress* progress = result.add_requirements();
    progress->set_requirement_id(node.id());
    progress->set_satisfied(shortfalls_[n].size() == 0);
    progress->set_assigned_ects(FromMilli(node_ects_[n]));
    int count = 0;
    if (node.kind == NodeKind::kLeaf) {
      count = leaf_count_[n];
    } else {
      for (const Input& in : inputs_) {
        for (int leaf : LeavesOf(in)) {
          if (IsBelow(leaf, n)) {
            ++count;
            break;
          }
        }
      }
    }
    progress->set_assigned_credentials(count);
    progress->set_ects_short(FromMilli(shortfalls_[n].ects));
    progress->set_credentials_short(shortfalls_[n].count);
    if (node.kind == NodeKind::kLeaf && shortfalls_[n].size() > 0) AddNearMisses(n, *progress);
  }

  bool IsBelow(int node, int ancestor) const {
    for (int a = node; a >= 0; a = tree_.nodes[a].parent) {
      if (a == ancestor) return true;
    }
    return false;
  }

  const v1::Pathway& pathway_;
  const RuleTree& tree_;
  std::vector<Input>& inputs_;
  const SearchResult& search_;
  const EvaluationContext& context_;
  std::vector<Milli> node_ects_;
  std::vector<int> leaf_count_;
  std::vector<Shortfall> shortfalls_;
  CapUse caps_;
};

absl::StatusOr<v1::EvaluationResult> EvaluateInputs(const v1::Pathway& pathway,
                                                    std::vector<Input> inputs,
                                                    const EvaluationContext& context) {
  absl::StatusOr<RuleTree> tree = CompileRuleTree(pathway);
  if (!tree.ok()) return tree.status();
  std::stable_sort(inputs.begin(), inputs.end(), [](const Input& a, const Input& b) {
    return a.facts->credential_id() < b.facts->credential_id();
  });
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string& id = inputs[i].facts->credential_id();
    if (id.empty()) return absl::InvalidArgumentError("credentials: a credential has no id");
    if (i > 0 && id == inputs[i - 1].facts->credential_id()) {
      return absl::InvalidArgumentError(Cat("credentials: ", id, " is given twice"));
    }
  }
  std::vector<SearchItem> items;
  std::map<std::string, int> issuers;
  for (Input& in : inputs) {
    in.failures.reserve(tree->leaves.size());
    for (int leaf : tree->leaves) {
      in.failures.push_back(static_cast<uint8_t>(CountFilterFailures(
          tree->nodes[leaf].filters, *in.facts, context.evaluation_date, kMaxCountedFailures)));
    }
    const double counted = CountedEcts(pathway, *in.facts, context.policy_equivalences);
    if (counted < 0) continue;
    in.counted = ToMilli(counted);
    for (size_t k = 0; k < tree->leaves.size(); ++k) {
      if (in.failures[k] == 0) in.leaves.push_back(tree->leaves[k]);
    }
    if (in.leaves.empty()) continue;
    in.item = static_cast<int>(items.size());
    const std::string& issuer = in.facts->issuer_institution_id();
    items.push_back(SearchItem{
        .ects = in.counted,
        .issuer = issuers.emplace(issuer, static_cast<int>(issuers.size())).first->second,
        .external = issuer != pathway.owner_institution(),
        .leaves = in.leaves,
    });
  }
  const SearchResult search =
      FindOptimalAssignment(*tree, items, {.node_budget = context.search_budget});
  return ResultBuilder(pathway, *tree, inputs, search, context).Build();
}

}  // namespace

bool CoveredByEquivalence(const v1::Pathway& pathway,
                          std::span<const v1::Equivalence> policy_equivalences,
                          const std::string& specification_id, const std::string& issuer,
                          const google::protobuf::RepeatedPtrField<std::string>& issuer_groups) {
  for (const v1::Equivalence& e : pathway.equivalences()) {
    if (Covers(e, specification_id, issuer, issuer_groups)) return true;
  }
  for (const v1::Equivalence& e : policy_equivalences) {
    if (Covers(e, specification_id, issuer, issuer_groups)) return true;
  }
  return false;
}

double CountedEcts(const v1::Pathway& pathway, const v1::CredentialFacts& credential,
                   std::span<const v1::Equivalence> policy_equivalences) {
  const double ects = std::max(0.0, credential.ects());
  if (credential.issuer_institution_id() == pathway.owner_institution()) return ects;
  if (CoveredByEquivalence(pathway, policy_equivalences,
                           credential.specification().specification_id(),
                           credential.issuer_institution_id(), credential.issuer_groups())) {
    return ects;
  }
  if (credential.recognition() != v1::RECOGNITION_STATUS_RECOGNISED) return -1;
  if (credential.has_recognised_ects()) {
    return std::clamp(credential.recognised_ects(), 0.0, ects);
  }
  return ects;
}

absl::StatusOr<v1::EvaluationResult> Evaluate(const v1::Pathway& pathway,
                                              std::span<const v1::CredentialFacts> credentials,
                                              const EvaluationContext& context) {
  return WhatIf(pathway, credentials, {}, context);
}

absl::StatusOr<v1::EvaluationResult> WhatIf(const v1::Pathway& pathway,
                                            std::span<const v1::CredentialFacts> held,
                                            std::span<const v1::CredentialFacts> hypothetical,
                                            const EvaluationContext& context) {
  std::vector<Input> inputs;
  inputs.reserve(held.size() + hypothetical.size());
  for (const v1::CredentialFacts& c : held) inputs.push_back({&c, c.hypothetical()});
  for (const v1::CredentialFacts& c : hypothetical) inputs.push_back({&c, true});
  return EvaluateInputs(pathway, std::move(inputs), context);
}

}  // namespace microcred::stacking
