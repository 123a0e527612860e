// Property: the tree DP (decomposed_search.h) reaches the branch and bound's optimum, with a
// legal assignment, on random instances shaped to exercise it: separable trees (group minimums
// implied or not), items shared by several leaves (its branch and bound over shared items),
// free items and the charged-count objective (suggestions), caps (its relaxation), and a few
// non-separable trees (sharing), where it must decline.
//
// The branch and bound is itself checked against brute force by evaluation_property_test.cc.
#include "services/stacking/decomposed_search.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "services/stacking/assignment_search.h"
#include "services/stacking/rule_tree.h"
#include "services/stacking/testing/builders.h"

namespace microcred::stacking {
namespace {

constexpr int kInstances = 3000;

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  v1::Pathway Pathway() {
    leaves_ = 0;
    ids_ = 0;
    caps_ = Chance(0.25);
    sharing_ = Chance(0.05);
    return testing::PathwayOf(Group(0));
  }

  std::vector<SearchItem> Items(const RuleTree& tree) {
    std::vector<SearchItem> items;
    const int n = Pick(1, 14);
    // Few distinct ECTS values, so that items are often interchangeable and knapsacks tie.
    static const double kEcts[] = {0, 0.5, 1, 2, 2.5, 2.5, 3, 4, 5, 6};
    const bool suggesting = Chance(0.3);
    for (int i = 0; i < n; ++i) {
      SearchItem item;
      item.ects = ToMilli(kEcts[Pick(0, 9)]);
      item.free = suggesting && Chance(0.4);
      item.issuer = Pick(0, 2);
      item.external = item.issuer != 0;
      for (int leaf : tree.leaves) {
        if (Chance(item.leaves.empty() ? 0.45 : 0.25)) item.leaves.push_back(leaf);
      }
      if (item.leaves.empty()) item.leaves.push_back(tree.leaves[Pick(0, tree.leaves.size() - 1)]);
      items.push_back(std::move(item));
    }
    return items;
  }

  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  v1::Requirement Group(int depth) {
    std::vector<v1::Requirement> children;
    const int n = Pick(1, 4);
    for (int i = 0; i < n && leaves_ < 6; ++i) {
      children.push_back(depth < 2 && Chance(0.35) ? Group(depth + 1) : Leaf());
    }
    if (children.empty()) children.push_back(Leaf());
    static const v1::Combinator kCombinators[] = {v1::COMBINATOR_ALL_OF, v1::COMBINATOR_ANY_OF,
                                                  v1::COMBINATOR_AT_LEAST};
    const v1::Combinator combinator = kCombinators[Pick(0, 2)];
    const int at_least =
        combinator == v1::COMBINATOR_AT_LEAST ? Pick(1, static_cast<int>(children.size())) : 0;
    // Small minimums are usually implied by the children's (separable); large ones are not.
    static const double kGroupMin[] = {0, 0, 0, 2, 3, 8};
    v1::Requirement g = testing::GroupReq("g" + std::to_string(ids_++), combinator,
                                          std::move(children), kGroupMin[Pick(0, 5)], at_least);
    MaybeCaps(g);
    return g;
  }

  v1::Requirement Leaf() {
    ++leaves_;
    static const double kMin[] = {0, 1, 2, 2.5, 4, 5, 7.5};
    v1::Requirement r = testing::LeafReq("l" + std::to_string(ids_++), "", kMin[Pick(0, 6)],
                                         Pick(0, 2) == 0 ? Pick(1, 2) : 0);
    r.set_allow_sharing(sharing_ && Chance(0.5));
    MaybeCaps(r);
    return r;
  }

  void MaybeCaps(v1::Requirement& r) {
    if (!caps_) return;
    if (Chance(0.3)) r.mutable_caps()->set_max_ects_per_issuer(Pick(2, 8));
    if (Chance(0.3)) r.mutable_caps()->set_max_external_ects(Pick(0, 8));
  }

  std::mt19937_64 rng_;
  int leaves_ = 0;
  int ids_ = 0;
  bool caps_ = false;
  bool sharing_ = false;
};

// Empty when `result` is a legal assignment whose reported figures are right.
std::string Check(const RuleTree& tree, const std::vector<SearchItem>& items,
                  const SearchResult& result) {
  std::vector<Milli> ects(tree.nodes.size(), 0);
  std::vector<int> count(tree.nodes.size(), 0);
  std::map<std::pair<int, int>, Milli> per_issuer;
  std::map<int, Milli> external;
  Milli cost = 0;
  int charged = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::vector<int>& leaves = result.leaves_of_item[i];
    if (leaves.empty()) continue;
    int exclusive = 0;
    std::vector<int> below;
    for (int leaf : leaves) {
      if (!std::binary_search(items[i].leaves.begin(), items[i].leaves.end(), leaf)) {
        return "an item goes to a leaf it does not match";
      }
      exclusive += tree.nodes[leaf].allow_sharing ? 0 : 1;
      ++count[leaf];
      for (int a = leaf; a >= 0; a = tree.nodes[a].parent) below.push_back(a);
    }
    if (exclusive > 1) return "an item counts twice without sharing";
    std::sort(below.begin(), below.end());
    below.erase(std::unique(below.begin(), below.end()), below.end());
    for (int a : below) {
      ects[a] += items[i].ects;
      per_issuer[{a, items[i].issuer}] += items[i].ects;
      if (items[i].external) external[a] += items[i].ects;
    }
    if (!items[i].free) {
      cost += items[i].ects;
      ++charged;
    }
  }
  for (const auto& [key, sum] : per_issuer) {
    const RuleNode& node = tree.nodes[key.first];
    if (node.cap_per_issuer && sum > *node.cap_per_issuer) return "per-issuer cap exceeded";
  }
  for (const auto& [n, sum] : external) {
    const RuleNode& node = tree.nodes[n];
    if (node.cap_external && sum > *node.cap_external) return "external cap exceeded";
  }
  std::vector<Shortfall> shortfalls(tree.nodes.size());
  ComputeShortfalls(tree, ects, count, shortfalls);
  if (shortfalls[0].size() != result.shortfall.size()) return "wrong shortfall";
  if (cost != result.cost) return "wrong cost";
  if (charged != result.charged_count) return "wrong charged count";
  return "";
}

TEST(DecomposedSearchTest, MatchesBranchAndBound) {
  Generator generator(20251126);
  int solved = 0, branched = 0, with_caps = 0, free_items = 0, declined = 0, bounded = 0;
  int compared = 0, unimplied_minimum = 0;
  for (int instance = 0; instance < kInstances; ++instance) {
    const v1::Pathway pathway = generator.Pathway();
    absl::StatusOr<RuleTree> tree = CompileRuleTree(pathway);
    ASSERT_TRUE(tree.ok()) << tree.status();
    const std::vector<SearchItem> items = generator.Items(*tree);
    const bool count_too = generator.Chance(0.5);
    const SearchResult reference = FindOptimalAssignment(
        *tree, items,
        {.node_budget = 5'000'000, .minimise_charged_count = count_too, .decompose = false});
    if (!reference.optimal) continue;
    ++compared;
    const SearchResult result =
        FindOptimalAssignment(*tree, items, {.minimise_charged_count = count_too});
    const std::string where = pathway.rules().DebugString() +
                              "\nitems: " + std::to_string(items.size()) + ", instance " +
                              std::to_string(instance);
    ASSERT_TRUE(result.optimal) << where;
    ASSERT_EQ(Check(*tree, items, result), "") << where;
    ASSERT_EQ(result.shortfall.size(), reference.shortfall.size()) << where;
    ASSERT_EQ(result.cost, reference.cost) << where;
    if (count_too) {
      ASSERT_EQ(result.charged_count, reference.charged_count) << where;
    }

    const TreeDpAnswer dp = SolveByTreeDp(*tree, items);
    if (tree->has_sharing) {
      ASSERT_FALSE(dp.optimum.has_value() || dp.lower_bound.has_value()) << where;
      ++declined;
      continue;
    }
    if (dp.lower_bound.has_value()) {
      // No assignment beats the bound; the start offered is legal.
      ++bounded;
      const auto [size, cost, charged] = *dp.lower_bound;
      ASSERT_TRUE(size < reference.shortfall.size() ||
                  (size == reference.shortfall.size() && cost <= reference.cost))
          << where;
      ASSERT_TRUE(dp.feasible.has_value());
      ASSERT_EQ(Check(*tree, items, *dp.feasible), "") << where;
    }
    if (!dp.optimum.has_value()) continue;
    ++solved;
    branched += dp.optimum->nodes_searched > 1 ? 1 : 0;
    with_caps += tree->has_issuer_caps || tree->has_external_caps ? 1 : 0;
    unimplied_minimum += IsSeparable(*tree) ? 0 : 1;
    for (const SearchItem& item : items) {
      if (item.free) {
        ++free_items;
        break;
      }
    }
    ASSERT_TRUE(dp.optimum->decomposed);
    ASSERT_EQ(Check(*tree, items, *dp.optimum), "") << where;
    ASSERT_EQ(dp.optimum->shortfall.size(), reference.shortfall.size()) << where;
    ASSERT_EQ(dp.optimum->cost, reference.cost) << where;
    // The DP always minimises the charged count among the least costs.
    if (count_too) {
      ASSERT_EQ(dp.optimum->charged_count, reference.charged_count) << where;
    }
  }
  std::printf(
      "%d compared: %d solved by the tree DP (%d after branching on shared items, %d under "
      "caps, %d with free items, %d with a group minimum not implied), %d bounded only, %d "
      "declined\n",
      compared, solved, branched, with_caps, free_items, unimplied_minimum, bounded, declined);
  EXPECT_GT(compared, kInstances * 9 / 10);
  EXPECT_GT(solved, kInstances / 3);
  EXPECT_GT(branched, kInstances / 20);
  EXPECT_GT(with_caps, kInstances / 30);
  EXPECT_GT(free_items, kInstances / 10);
  EXPECT_GT(bounded, kInstances / 100);
  EXPECT_GT(declined, kInstances / 100);
  EXPECT_GT(unimplied_minimum, kInstances / 20);
}

// A separable tree whose leaves overlap heavily: an all-of of any-ofs, items matching two or
// three leaves each, many ties.
TEST(DecomposedSearchTest, SharedItemsAcrossGroups) {
  v1::Pathway p = testing::PathwayOf(testing::GroupReq(
      "root", v1::COMBINATOR_ALL_OF,
      {testing::GroupReq("a", v1::COMBINATOR_ANY_OF,
                         {testing::LeafReq("a1", "", 5), testing::LeafReq("a2", "", 4, 2)}),
       testing::GroupReq("b", v1::COMBINATOR_AT_LEAST,
                         {testing::LeafReq("b1", "", 3), testing::LeafReq("b2", "", 3),
                          testing::LeafReq("b3", "", 2, 1)},
                         0, 2)}));
  absl::StatusOr<RuleTree> tree = CompileRuleTree(p);
  ASSERT_TRUE(tree.ok());
  ASSERT_TRUE(IsSeparable(*tree));
  std::mt19937_64 rng(5);
  for (int round = 0; round < 300; ++round) {
    std::vector<SearchItem> items;
    const int n = std::uniform_int_distribution<int>(2, 12)(rng);
    for (int i = 0; i < n; ++i) {
      SearchItem item{.ects = 1000 * std::uniform_int_distribution<Milli>(1, 4)(rng)};
      for (int leaf : tree->leaves) {
        if (std::uniform_int_distribution<int>(0, 2)(rng) == 0) item.leaves.push_back(leaf);
      }
      if (item.leaves.empty()) item.leaves.push_back(tree->leaves[i % tree->leaves.size()]);
      items.push_back(std::move(item));
    }
    const SearchResult reference = FindOptimalAssignment(*tree, items, {.decompose = false});
    ASSERT_TRUE(reference.optimal);
    const TreeDpAnswer dp = SolveByTreeDp(*tree, items);
    ASSERT_TRUE(dp.optimum.has_value()) << round;
    ASSERT_EQ(Check(*tree, items, *dp.optimum), "") << round;
    ASSERT_EQ(dp.optimum->shortfall.size(), reference.shortfall.size()) << round;
    ASSERT_EQ(dp.optimum->cost, reference.cost) << round;
  }
}

}  // namespace
}  // namespace microcred::stacking
