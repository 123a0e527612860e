#include "services/stacking/decomposed_search.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <queue>
#include <tuple>
#include <utility>
#include <vector>

namespace microcred::stacking {
namespace {

// The largest root shortfall, in units, the tables may span (8,000 ECTS at half an ECTS).
constexpr Milli kMaxUnits = 1 << 14;
// The most knapsack cells (items x states) one leaf may hold.
constexpr int64_t kMaxKnapsackCells = int64_t{1} << 22;
// Relaxed solutions the branch and bound over shared items may compute before giving up.
constexpr int kMaxSolves = 64;

constexpr Milli kInf = std::numeric_limits<Milli>::max() / 4;

// What an assignment costs: objectives 2 and 3 of assignment_search.h, in this order.
struct Value {
  Milli cost = kInf;
  int charged = 0;

  bool finite() const { return cost < kInf; }
  friend bool operator<(const Value& a, const Value& b) {
    return std::tie(a.cost, a.charged) < std::tie(b.cost, b.charged);
  }
  friend bool operator==(const Value& a, const Value& b) = default;
};

Value Plus(const Value& a, const Value& b) {
  if (!a.finite() || !b.finite()) return {};
  return {a.cost + b.cost, a.charged + b.charged};
}

// t[s]: the least value that brings a node's shortfall size to at most s units. Tables are
// non-increasing; one shorter than asked holds its last value beyond its end.
using Table = std::vector<Value>;

Value At(const Table& t, size_t s) { return t[std::min(s, t.size() - 1)]; }

size_t FirstFinite(const Table& t) {
  size_t i = 0;
  while (i < t.size() && !t[i].finite()) ++i;
  return i;
}

void PrefixMin(Table& t) {
  for (size_t s = 1; s < t.size(); ++s) t[s] = std::min(t[s], t[s - 1]);
}

// The (min, +) convolution: c[s] = least a[i] + b[j] over i + j <= s, for s < length.
Table Convolve(const Table& a, const Table& b, size_t length) {
  Table c(std::min(length, a.size() + b.size() - 1));
  const size_t fb = FirstFinite(b);
  for (size_t i = FirstFinite(a); i < a.size() && i + fb < c.size(); ++i) {
    for (size_t j = fb; j < b.size() && i + j < c.size(); ++j) {
      const Value v = Plus(a[i], b[j]);
      if (v < c[i + j]) c[i + j] = v;
    }
  }
  PrefixMin(c);
  return c;
}

Table Least(const Table& a, const Table& b, size_t length) {
  Table c(length);
  for (size_t s = 0; s < length; ++s) c[s] = std::min(At(a, s), At(b, s));
  return c;
}

// A split s = s1 + s2 with a[s1] + b[s2] = target. Tables being non-increasing, a least sum
// over i + j <= s is also reached with i + j = s, so the scan finds one.
std::pair<size_t, size_t> Split(const Table& a, const Table& b, size_t s, const Value& target) {
  for (size_t s1 = 0; s1 <= s; ++s1) {
    if (Plus(At(a, s1), At(b, s - s1)) == target) return {s1, s - s1};
  }
  return {s, 0};  // unreachable for tables built by Convolve
}

// A leaf's 0/1 knapsack over (ECTS assigned, credentials assigned), each saturated at the
// leaf's minimum, in units.
struct Knapsack {
  std::vector<int> items;  // in the order taken: the leaf's own items, then shared ones
  int max_e = 0, max_c = 0;
  std::vector<Value> best;  // per state e * (max_c + 1) + c
  std::vector<int> from;    // per (k, state): the state before taking items[k], or -1

  int States() const { return (max_e + 1) * (max_c + 1); }
};

struct Relaxed {
  Milli size = kInf;  // units
  Value value;
  std::vector<std::vector<int>> leaves_of_item;  // several leaves: copies of a shared item
};

class TreeDp {
 public:
  TreeDp(const RuleTree& tree, std::span<const SearchItem> items, Milli unit)
      : tree_(tree), items_(items), unit_(unit), weight_(kCountWeight / unit) {
    knapsacks_.resize(tree_.nodes.size());
    tables_.resize(tree_.nodes.size());
    length_.assign(tree_.nodes.size(), 0);
    changed_.assign(tree_.nodes.size(), true);
    steps_.resize(tree_.nodes.size());
    matching_.resize(tree_.nodes.size());
    for (size_t i = 0; i < items_.size(); ++i) {
      for (int leaf : items_[i].leaves) matching_[leaf].push_back(static_cast<int>(i));
    }
    std::vector<Milli> zero_ects(tree_.nodes.size(), 0);
    std::vector<int> zero_count(tree_.nodes.size(), 0);
    std::vector<Shortfall> shortfalls(tree_.nodes.size());
    ComputeShortfalls(tree_, zero_ects, zero_count, shortfalls);
    empty_size_.resize(tree_.nodes.size());
    for (size_t n = 0; n < shortfalls.size(); ++n) empty_size_[n] = shortfalls[n].size() / unit_;
  }

  // The relaxed optimum with item i allowed only at forced[i] when that is not -1; nullopt
  // when the tables would be too large.
  std::optional<Relaxed> Solve(const std::vector<int>& forced) {
    const Milli limit = LowerBound(forced);
    if (limit > kMaxUnits) return std::nullopt;
    // Tables are kept from one solution to the next (branches differ in a few leaves) and
    // recomputed only where they change; a table longer than needed serves as well.
    for (int n = static_cast<int>(tree_.nodes.size()) - 1; n >= 0; --n) {
      const size_t length = static_cast<size_t>(std::min(limit, empty_size_[n])) + 1;
      if (tree_.nodes[n].kind == NodeKind::kLeaf) {
        if (!FillLeaf(n, forced, length)) return std::nullopt;
        continue;
      }
      changed_[n] = length_[n] < length;
      for (int child : tree_.nodes[n].children) changed_[n] = changed_[n] || changed_[child];
      if (!changed_[n]) continue;
      FillGroup(n, length);
      length_[n] = length;
    }
    // The relaxation reaches the size of "every item at every leaf it may go to", which bounds
    // every assignment from below: so the root's table is finite at `limit`.
    Relaxed r;
    r.size = static_cast<Milli>(FirstFinite(tables_[0]));
    if (r.size > limit) return std::nullopt;
    r.value = tables_[0][r.size];
    r.leaves_of_item.resize(items_.size());
    Backtrack(0, static_cast<size_t>(r.size), r.value, r);
    return r;
  }

 private:
  bool Allowed(int i, int leaf, const std::vector<int>& forced) const {
    return forced[i] < 0 || forced[i] == leaf;
  }

  // The size, in units, when every item goes to every leaf it is allowed at.
  Milli LowerBound(const std::vector<int>& forced) const {
    std::vector<Milli> ects(tree_.nodes.size(), 0);
    std::vector<int> count(tree_.nodes.size(), 0);
    for (size_t i = 0; i < items_.size(); ++i) {
      for (int leaf : items_[i].leaves) {
        if (!Allowed(static_cast<int>(i), leaf, forced)) continue;
        ects[leaf] += items_[i].ects;
        ++count[leaf];
      }
    }
    std::vector<Shortfall> shortfalls(tree_.nodes.size());
    ComputeShortfalls(tree_, ects, count, shortfalls);  // an upper bound on the DP's own
    return shortfalls[0].size() / unit_;
  }

  void FillGroup(int n, size_t length) {
    const RuleNode& node = tree_.nodes[n];
    switch (node.kind) {
      case NodeKind::kLeaf:
        return;
      case NodeKind::kAllOf: {
        std::vector<Table>& prefix = steps_[n];
        prefix.assign(1, Table{Value{0, 0}});
        for (int child : node.children) {
          prefix.push_back(Convolve(prefix.back(), tables_[child], length));
        }
        tables_[n] = prefix.back();
        return;
      }
      case NodeKind::kAnyOf: {
        Table t(length);
        for (int child : node.children) t = Least(t, tables_[child], length);
        tables_[n] = std::move(t);
        return;
      }
      case NodeKind::kAtLeast:
        FillAtLeast(n, length);
        return;
    }
  }

  // steps_[n][j * (N + 1) + t]: the first j children seen, t of them picked.
  void FillAtLeast(int n, size_t length) {
    const RuleNode& node = tree_.nodes[n];
    const int picks = node.at_least;
    std::vector<Table>& g = steps_[n];
    g.assign((node.children.size() + 1) * (picks + 1), Table(1));
    g[0] = Table{Value{0, 0}};
    for (size_t j = 1; j <= node.children.size(); ++j) {
      const Table& child = tables_[node.children[j - 1]];
      for (int t = 0; t <= picks; ++t) {
        Table& here = g[j * (picks + 1) + t];
        here = g[(j - 1) * (picks + 1) + t];
        if (t > 0) {
          here = Least(here, Convolve(g[(j - 1) * (picks + 1) + t - 1], child, length), length);
        }
      }
    }
    tables_[n] = g.back();
  }

  // The leaf's items: those that may go only here first, then the shared ones; of identical
  // items (same ECTS and charge), only as many as can still change the knapsack's state:
  // beyond ceil(min_ects / ects) + min_count copies, both counters are saturated and a copy
  // only adds cost (the knapsack takes an item only when strictly better).
  std::vector<int> LeafItems(int leaf, const std::vector<int>& forced, int max_e, int max_c) const {
    std::vector<int> own, shared;
    std::map<std::tuple<Milli, bool, bool>, int> copies;
    for (int i : matching_[leaf]) {
      const SearchItem& item = items_[i];
      if (!Allowed(i, leaf, forced)) continue;
      const bool only_here = forced[i] == leaf || item.leaves.size() == 1;
      const Milli w = item.ects / unit_;
      const Milli useful = (w > 0 ? (max_e + w - 1) / w : 0) + max_c;
      if (copies[{item.ects, item.free, only_here}]++ >= useful) continue;
      (only_here ? own : shared).push_back(static_cast<int>(i));
    }
    own.insert(own.end(), shared.begin(), shared.end());
    return own;
  }

  bool FillLeaf(int leaf, const std::vector<int>& forced, size_t length) {
    const RuleNode& node = tree_.nodes[leaf];
    const int max_e = static_cast<int>(node.min_ects / unit_);
    const int max_c = node.min_count;
    Knapsack& k = knapsacks_[leaf];
    std::vector<int> items = LeafItems(leaf, forced, max_e, max_c);
    const bool same_items = !k.best.empty() && items == k.items;
    changed_[leaf] = !same_items || length_[leaf] < length;
    if (!changed_[leaf]) return true;
    length_[leaf] = length;
    if (!same_items) {
      k.items = std::move(items);
      k.max_e = max_e;
      k.max_c = max_c;
      if (static_cast<int64_t>(k.items.size() + 1) * k.States() > kMaxKnapsackCells) {
        k.best.clear();
        return false;
      }
      RunKnapsack(k);
    }
    Table t(length);
    for (int e = 0; e <= max_e; ++e) {
      for (int c = 0; c <= max_c; ++c) {
        const size_t size = static_cast<size_t>((max_e - e) + weight_ * (max_c - c));
        const Value& v = k.best[e * (max_c + 1) + c];
        if (size < length && v < t[size]) t[size] = v;
      }
    }
    PrefixMin(t);
    tables_[leaf] = std::move(t);
    return true;
  }

  void RunKnapsack(Knapsack& k) const {
    const int states = k.States();
    k.best.assign(states, Value{});
    k.best[0] = Value{0, 0};
    k.from.assign(k.items.size() * states, -1);
    std::vector<Value> next;
    for (size_t step = 0; step < k.items.size(); ++step) {
      const SearchItem& item = items_[k.items[step]];
      const int w = static_cast<int>(std::min<Milli>(item.ects / unit_, k.max_e));
      const Value v = item.free ? Value{0, 0} : Value{item.ects, 1};
      next = k.best;
      for (int e = 0; e <= k.max_e; ++e) {
        for (int c = 0; c <= k.max_c; ++c) {
          const int state = e * (k.max_c + 1) + c;
          if (!k.best[state].finite()) continue;
          const int to = std::min(e + w, k.max_e) * (k.max_c + 1) + std::min(c + 1, k.max_c);
          const Value taken = Plus(k.best[state], v);
          if (taken < next[to]) {
            next[to] = taken;
            k.from[step * states + to] = state;
          }
        }
      }
      k.best.swap(next);
    }
  }

  void BacktrackLeaf(int leaf, size_t s, const Value& target, Relaxed& r) const {
    const Knapsack& k = knapsacks_[leaf];
    int state = -1;
    for (int e = 0; e <= k.max_e && state < 0; ++e) {
      for (int c = 0; c <= k.max_c && state < 0; ++c) {
        const size_t size = static_cast<size_t>((k.max_e - e) + weight_ * (k.max_c - c));
        if (size <= s && k.best[e * (k.max_c + 1) + c] == target) {
          state = e * (k.max_c + 1) + c;
        }
      }
    }
    const int states = k.States();
    for (size_t step = k.items.size(); step-- > 0 && state >= 0;) {
      const int before = k.from[step * states + state];
      if (before < 0) continue;
      r.leaves_of_item[k.items[step]].push_back(leaf);
      state = before;
    }
  }

  void Backtrack(int n, size_t s, const Value& target, Relaxed& r) const {
    const RuleNode& node = tree_.nodes[n];
    switch (node.kind) {
      case NodeKind::kLeaf:
        BacktrackLeaf(n, s, target, r);
        return;
      case NodeKind::kAllOf: {
        Value want = target;
        for (size_t j = node.children.size(); j > 0; --j) {
          const Table& before = steps_[n][j - 1];
          const Table& child = tables_[node.children[j - 1]];
          const auto [s1, s2] = Split(before, child, s, want);
          Backtrack(node.children[j - 1], s2, At(child, s2), r);
          s = s1;
          want = At(before, s1);
        }
        return;
      }
      case NodeKind::kAnyOf:
        for (int child : node.children) {
          if (At(tables_[child], s) == target) {
            Backtrack(child, s, target, r);
            return;
          }
        }
        return;
      case NodeKind::kAtLeast: {
        const int picks = node.at_least;
        int t = picks;
        Value want = target;
        for (size_t j = node.children.size(); j > 0; --j) {
          const Table& skipped = steps_[n][(j - 1) * (picks + 1) + t];
          if (At(skipped, s) == want) continue;  // child j - 1 not picked
          const Table& before = steps_[n][(j - 1) * (picks + 1) + t - 1];
          const Table& child = tables_[node.children[j - 1]];
          const auto [s1, s2] = Split(before, child, s, want);
          Backtrack(node.children[j - 1], s2, At(child, s2), r);
          s = s1;
          want = At(before, s1);
          --t;
        }
        return;
      }
    }
  }

  const RuleTree& tree_;
  std::span<const SearchItem> items_;
  const Milli unit_;
  const Milli weight_;  // units per missing credential
  std::vector<Milli> empty_size_;
  std::vector<Knapsack> knapsacks_;         // per leaf
  std::vector<Table> tables_;               // per node
  std::vector<size_t> length_;              // per node: how far its table reaches
  std::vector<bool> changed_;               // per node: recomputed for the current solution
  std::vector<std::vector<int>> matching_;  // per leaf: the items that match it
  std::vector<std::vector<Table>> steps_;   // per group: the partial tables, for backtracking
};

// The unit of every table: the greatest common divisor of the count weight, the leaves'
// minimums and the items' ECTS.
Milli UnitOf(const RuleTree& tree, std::span<const SearchItem> items) {
  Milli unit = kCountWeight;
  for (int leaf : tree.leaves) unit = std::gcd(unit, tree.nodes[leaf].min_ects);
  for (const SearchItem& item : items) unit = std::gcd(unit, item.ects);
  return unit;
}

// The first item used at several leaves, or -1.
int FirstSharedItem(const Relaxed& r) {
  for (size_t i = 0; i < r.leaves_of_item.size(); ++i) {
    if (r.leaves_of_item[i].size() > 1) return static_cast<int>(i);
  }
  return -1;
}

bool RespectsCaps(const RuleTree& tree, std::span<const SearchItem> items,
                  const std::vector<std::vector<int>>& leaves_of_item) {
  if (!tree.has_issuer_caps && !tree.has_external_caps) return true;
  for (size_t n = 0; n < tree.nodes.size(); ++n) {
    const RuleNode& node = tree.nodes[n];
    if (!node.has_caps()) continue;
    std::map<int, Milli> per_issuer;
    Milli external = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      if (leaves_of_item[i].empty()) continue;
      bool below = false;
      for (int a = leaves_of_item[i][0]; a >= 0 && !below; a = tree.nodes[a].parent) {
        below = a == static_cast<int>(n);
      }
      if (!below) continue;
      per_issuer[items[i].issuer] += items[i].ects;
      if (items[i].external) external += items[i].ects;
    }
    if (node.cap_external.has_value() && external > *node.cap_external) return false;
    if (node.cap_per_issuer.has_value()) {
      for (const auto& [issuer, sum] : per_issuer) {
        if (sum > *node.cap_per_issuer) return false;
      }
    }
  }
  return true;
}

// Removes, last items first, the items whose ECTS push a capped node above its cap.
void DropOverCaps(const RuleTree& tree, std::span<const SearchItem> items,
                  std::vector<std::vector<int>>& leaves_of_item) {
  if (!tree.has_issuer_caps && !tree.has_external_caps) return;
  std::map<std::pair<int, int>, Milli> per_issuer;  // (node, issuer)
  std::map<int, Milli> external;
  auto add = [&](size_t i, int sign) {
    for (int a = leaves_of_item[i][0]; a >= 0; a = tree.nodes[a].parent) {
      per_issuer[{a, items[i].issuer}] += sign * items[i].ects;
      if (items[i].external) external[a] += sign * items[i].ects;
    }
  };
  auto over = [&](size_t i) {
    for (int a = leaves_of_item[i][0]; a >= 0; a = tree.nodes[a].parent) {
      const RuleNode& node = tree.nodes[a];
      if (node.cap_per_issuer && per_issuer[{a, items[i].issuer}] > *node.cap_per_issuer) {
        return true;
      }
      if (node.cap_external && items[i].external && external[a] > *node.cap_external) return true;
    }
    return false;
  };
  for (size_t i = 0; i < items.size(); ++i) {
    if (!leaves_of_item[i].empty()) add(i, +1);
  }
  for (size_t i = items.size(); i-- > 0;) {
    if (leaves_of_item[i].empty() || !over(i)) continue;
    add(i, -1);
    leaves_of_item[i].clear();
  }
}

SearchResult ToResult(const RuleTree& tree, std::span<const SearchItem> items,
                      std::vector<std::vector<int>> leaves_of_item, int solves) {
  SearchResult result;
  result.leaves_of_item = std::move(leaves_of_item);
  result.nodes_searched = solves;
  result.decomposed = true;
  std::vector<Milli> ects(tree.nodes.size(), 0);
  std::vector<int> count(tree.nodes.size(), 0);
  for (size_t i = 0; i < items.size(); ++i) {
    if (result.leaves_of_item[i].empty()) continue;
    const int leaf = result.leaves_of_item[i][0];
    ++count[leaf];
    for (int a = leaf; a >= 0; a = tree.nodes[a].parent) ects[a] += items[i].ects;
    if (items[i].free) continue;
    result.cost += items[i].ects;
    ++result.charged_count;
  }
  std::vector<Shortfall> shortfalls(tree.nodes.size());
  ComputeShortfalls(tree, ects, count, shortfalls);
  result.shortfall = shortfalls[0];
  return result;
}

// A legal assignment near a relaxed one: a shared item stays at its first leaf only.
SearchResult Repaired(const RuleTree& tree, std::span<const SearchItem> items, Relaxed relaxed,
                      int solves) {
  for (std::vector<int>& leaves : relaxed.leaves_of_item) {
    if (leaves.size() > 1) leaves.resize(1);
  }
  DropOverCaps(tree, items, relaxed.leaves_of_item);
  SearchResult result = ToResult(tree, items, std::move(relaxed.leaves_of_item), solves);
  result.optimal = false;
  return result;
}

struct Branch {
  Relaxed solution;
  std::vector<int> forced;
  int64_t sequence = 0;
};

// Best first: least (size, value), then the branch created first.
struct Later {
  bool operator()(const Branch* a, const Branch* b) const {
    return std::tie(a->solution.size, a->solution.value, a->sequence) >
           std::tie(b->solution.size, b->solution.value, b->sequence);
  }
};

}  // namespace

bool IsSeparable(const RuleTree& tree) {
  if (tree.has_sharing) return false;
  std::vector<Milli> guaranteed(tree.nodes.size(), 0);
  for (int n = static_cast<int>(tree.nodes.size()) - 1; n >= 0; --n) {
    const RuleNode& node = tree.nodes[n];
    if (node.kind == NodeKind::kLeaf) {
      guaranteed[n] = node.min_ects;
      continue;
    }
    std::vector<Milli> children;
    for (int child : node.children) children.push_back(guaranteed[child]);
    std::sort(children.begin(), children.end());
    const size_t take = node.kind == NodeKind::kAllOf   ? children.size()
                        : node.kind == NodeKind::kAnyOf ? 1
                                                        : static_cast<size_t>(node.at_least);
    const Milli combined = std::accumulate(children.begin(), children.begin() + take, Milli{0});
    if (node.min_ects > combined) return false;
    guaranteed[n] = combined;
  }
  return true;
}

TreeDpAnswer SolveByTreeDp(const RuleTree& tree, std::span<const SearchItem> items) {
  if (tree.has_sharing) return {};
  const bool separable = IsSeparable(tree);
  const Milli unit = UnitOf(tree, items);
  if (unit <= 0) return {};
  TreeDp dp(tree, items, unit);
  std::vector<std::unique_ptr<Branch>> branches;
  std::priority_queue<Branch*, std::vector<Branch*>, Later> open;
  auto add = [&](std::vector<int> forced) {
    std::optional<Relaxed> solution = dp.Solve(forced);
    if (!solution.has_value()) return false;
    branches.push_back(std::make_unique<Branch>(
        Branch{std::move(*solution), std::move(forced), static_cast<int64_t>(branches.size())}));
    open.push(branches.back().get());
    return true;
  };
  if (!add(std::vector<int>(items.size(), -1))) return {};
  auto bounded = [&](const Relaxed& best) {
    const int solves = static_cast<int>(branches.size());
    TreeDpAnswer answer;
    answer.lower_bound = Objective{best.size * unit, best.value.cost, best.value.charged};
    answer.feasible = Repaired(tree, items, best, solves);
    return answer;
  };
  while (!open.empty()) {
    const Branch* best = open.top();
    const int shared = FirstSharedItem(best->solution);
    if (shared < 0) {
      if (!RespectsCaps(tree, items, best->solution.leaves_of_item)) return bounded(best->solution);
      SearchResult result =
          ToResult(tree, items, best->solution.leaves_of_item, static_cast<int>(branches.size()));
      if (result.shortfall.size() != best->solution.size * unit ||
          result.cost != best->solution.value.cost) {
        // A group minimum the DP left out binds: a bound only. In a separable tree the
        // tables' arithmetic and the tree's agree by construction, and the caller's search is
        // the safe answer were they not to.
        if (separable) return {};
        return bounded(best->solution);
      }
      return {.optimum = std::move(result)};
    }
    if (static_cast<int>(branches.size()) + static_cast<int>(items[shared].leaves.size()) >
        kMaxSolves) {
      return bounded(best->solution);
    }
    open.pop();
    // Every real assignment puts the item at one of its leaves or nowhere: one branch per leaf
    // covers them all ("nowhere" lies in each).
    for (int leaf : items[shared].leaves) {
      std::vector<int> forced = best->forced;
      forced[shared] = leaf;
      if (!add(std::move(forced))) return {};
    }
  }
  return {};
}

}  // namespace microcred::stacking
