#include "services/stacking/assignment_search.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <tuple>

#include "services/stacking/decomposed_search.h"

namespace microcred::stacking {
namespace {

// Beyond this many sharing leaves matched by one item, only "all of them" and "none of them"
// are tried (2^n subsets otherwise), and the answer is no longer claimed optimal.
constexpr int kMaxSharingSubsetLeaves = 10;
// The subset-sum bound is kept when its table stays small.
constexpr Milli kMaxSubsetSumUnits = 1 << 15;

constexpr Milli kInfinity = std::numeric_limits<Milli>::max() / 4;

struct Option {
  std::vector<int> leaves;     // where the item goes; empty = unused
  std::vector<int> add_nodes;  // those leaves and their ancestors, each once
  std::vector<int> capped;     // the nodes of add_nodes that carry caps
};

struct PreparedItem {
  const SearchItem* item = nullptr;
  int input_index = 0;
  std::vector<int> touch;         // every leaf it matches and their ancestors, each once
  std::vector<Option> options;    // the empty option last
  bool same_as_previous = false;  // interchangeable with the item searched just before
};

void AddWithAncestors(const RuleTree& tree, int leaf, std::vector<int>& nodes) {
  for (int n = leaf; n >= 0; n = tree.nodes[n].parent) nodes.push_back(n);
}

std::vector<int> SortedUnique(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

Option MakeOption(const RuleTree& tree, std::vector<int> leaves) {
  Option option;
  option.leaves = SortedUnique(std::move(leaves));
  std::vector<int> nodes;
  for (int leaf : option.leaves) AddWithAncestors(tree, leaf, nodes);
  option.add_nodes = SortedUnique(std::move(nodes));
  for (int n : option.add_nodes) {
    if (tree.nodes[n].has_caps()) option.capped.push_back(n);
  }
  return option;
}

// Every way an item may be assigned: at most one leaf that disallows sharing, plus any subset
// of the sharing leaves; larger assignments first, the empty one last.
std::vector<Option> OptionsOf(const RuleTree& tree, const SearchItem& item, bool& complete) {
  std::vector<int> exclusive, sharing;
  for (int leaf : item.leaves) {
    (tree.nodes[leaf].allow_sharing ? sharing : exclusive).push_back(leaf);
  }
  std::vector<uint32_t> subsets;  // bitmasks over `sharing`, largest first
  if (static_cast<int>(sharing.size()) <= kMaxSharingSubsetLeaves) {
    for (uint32_t mask = (1u << sharing.size()); mask-- > 0;) subsets.push_back(mask);
    std::stable_sort(subsets.begin(), subsets.end(),
                     [](uint32_t a, uint32_t b) { return std::popcount(a) > std::popcount(b); });
  } else {
    complete = false;
    subsets = {~0u, 0u};
  }
  auto with_subset = [&](std::vector<int> leaves, uint32_t mask) {
    for (size_t i = 0; i < sharing.size(); ++i) {
      if (mask & (1u << std::min<size_t>(i, 31))) leaves.push_back(sharing[i]);
    }
    return leaves;
  };
  std::vector<Option> options;
  for (int leaf : exclusive) {
    for (uint32_t mask : subsets) options.push_back(MakeOption(tree, with_subset({leaf}, mask)));
  }
  for (uint32_t mask : subsets) {
    if (mask != 0) options.push_back(MakeOption(tree, with_subset({}, mask)));
  }
  options.push_back(Option{});
  return options;
}

class Search {
 public:
  Search(const RuleTree& tree, std::span<const SearchItem> items, const SearchOptions& options);

  // `start`: a legal assignment to begin from; `bound`: no assignment does better, so the
  // search stops as soon as it reaches it.
  SearchResult Run(const std::optional<SearchResult>& start, const std::optional<Objective>& bound);

 private:
  // What makes two items interchangeable for the search.
  std::tuple<const std::vector<int>&, Milli, bool, int, bool> KeyOf(const SearchItem& item) const;

  // Items that match the same leaves are searched together, smallest ECTS first (a first dive
  // then overshoots little); equal keys are adjacent, so interchangeable items are too.
  void Prepare(std::span<const SearchItem> items);

  void PrepareCaps(std::span<const SearchItem> items);

  // suffix_sums_[d]: which totals (in units of the ECTS' greatest common divisor, up to a
  // ceiling) some subset of the charged items d.. can reach. Used to round the cost bound up
  // to a reachable total: four-ECTS credentials cannot cover a need of 58 with less than 60.
  void PrepareSubsetSums();

  // dst |= src << shift, within units_ bits.
  void OrShifted(const uint64_t* src, uint64_t* dst, size_t shift) const;

  // The least total reachable by the items d.. that is at least `need`; kInfinity if none.
  Milli LeastReachable(size_t d, Milli need) const;

  bool Fits(const PreparedItem& p, const Option& option) const;

  // Decides (sign +1) or undecides (sign -1) item p with the given option.
  void Apply(const PreparedItem& p, const Option& option, int sign);

  // Whether assigning this way adds something a node still misses.
  bool Useful(const Option& option) const;

  // A second lower bound on the shortfall when the root caps external ECTS: every external
  // ECTS still to come lowers EctsNeed by at most one, and at most the cap's remainder of them
  // (and of each issuer's, under a per-issuer cap at the root) can come. The relaxation alone
  // ignores caps, and is weak exactly when a learner holds more external credits than count.
  Milli CapBound();

  bool CostBoundPrunes(size_t d);

  // Takes `start` as the incumbent when every item's leaves are among its options.
  void Seed(const SearchResult& start);

  bool Stopped() const { return aborted_ || reached_bound_; }

  bool ReachedBound() const;

  void Record();

  void Dfs(size_t d);

  void Descend(size_t d, const PreparedItem& p, int k);

  const RuleTree& tree_;
  const SearchOptions options_;
  std::vector<PreparedItem> items_;
  bool complete_ = true;

  std::vector<Milli> ects_, pot_ects_, free_ects_;
  // For the root's external cap: assigned plus undecided internal ECTS per node, and the
  // undecided external ECTS per issuer.
  std::vector<Milli> internal_ects_, undecided_external_;
  std::vector<int> count_, pot_count_;
  std::vector<Shortfall> shortfalls_;
  std::vector<Milli> need_scratch_;
  int issuers_ = 0;
  std::vector<int> cap_slot_;
  std::vector<Milli> issuer_sums_, external_sums_;
  Milli unit_ = 0, units_ = 0;
  size_t words_ = 0;
  std::vector<uint64_t> suffix_sums_;

  Milli cost_ = 0;
  int charged_ = 0;
  std::vector<int> choice_;
  std::vector<std::vector<int>> deferred_;  // per depth, so that recursion keeps its own

  Shortfall best_shortfall_{kInfinity, 0};
  Milli best_cost_ = kInfinity;
  int best_charged_ = std::numeric_limits<int>::max();
  std::vector<int> best_choice_;
  int64_t nodes_ = 0;
  bool aborted_ = false;
  std::optional<Objective> bound_;
  bool reached_bound_ = false;
};

Search::Search(const RuleTree& tree, std::span<const SearchItem> items,
               const SearchOptions& options)
    : tree_(tree), options_(options) {
  Prepare(items);
  const size_t n = tree_.nodes.size();
  ects_.assign(n, 0);
  count_.assign(n, 0);
  pot_ects_.assign(n, 0);
  pot_count_.assign(n, 0);
  free_ects_.assign(n, 0);
  internal_ects_.assign(n, 0);
  shortfalls_.resize(n);
  need_scratch_.resize(n);
  for (const PreparedItem& p : items_) {
    for (int node : p.touch) {
      pot_ects_[node] += p.item->ects;
      if (p.item->free) free_ects_[node] += p.item->ects;
      if (!p.item->external) internal_ects_[node] += p.item->ects;
    }
    for (int leaf : p.item->leaves) ++pot_count_[leaf];
  }
  PrepareCaps(items);
  undecided_external_.assign(issuers_, 0);
  for (const PreparedItem& p : items_) {
    if (p.item->external) undecided_external_[p.item->issuer] += p.item->ects;
  }
  PrepareSubsetSums();
  choice_.assign(items_.size(), 0);
  deferred_.resize(items_.size());
}

SearchResult Search::Run(const std::optional<SearchResult>& start,
                         const std::optional<Objective>& bound) {
  bound_ = bound;
  if (start.has_value()) Seed(*start);
  reached_bound_ = ReachedBound();
  if (!reached_bound_) Dfs(0);

  if (best_choice_.empty()) {  // the budget ran out before a first complete assignment
    best_choice_.resize(items_.size());
    for (size_t d = 0; d < items_.size(); ++d) {
      best_choice_[d] = static_cast<int>(items_[d].options.size()) - 1;
    }
    ComputeShortfalls(tree_, ects_, count_, shortfalls_);
    best_shortfall_ = shortfalls_[0];
    best_cost_ = 0;
    best_charged_ = 0;
  }
  SearchResult result;
  result.optimal = reached_bound_ || (!aborted_ && complete_);
  result.nodes_searched = nodes_;
  result.leaves_of_item.resize(items_.size());
  result.shortfall = best_shortfall_;
  result.cost = best_cost_;
  result.charged_count = best_charged_;
  for (size_t d = 0; d < items_.size(); ++d) {
    result.leaves_of_item[items_[d].input_index] = items_[d].options[best_choice_[d]].leaves;
  }
  return result;
}

std::tuple<const std::vector<int>&, Milli, bool, int, bool> Search::KeyOf(
    const SearchItem& item) const {
  return {item.leaves, item.ects, item.free, tree_.has_issuer_caps ? item.issuer : 0,
          tree_.has_external_caps && item.external};
}

void Search::Prepare(std::span<const SearchItem> items) {
  std::vector<int> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return KeyOf(items[a]) < KeyOf(items[b]); });
  items_.reserve(items.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const SearchItem& item = items[order[k]];
    PreparedItem p;
    p.item = &item;
    p.input_index = order[k];
    std::vector<int> touch;
    for (int leaf : item.leaves) AddWithAncestors(tree_, leaf, touch);
    p.touch = SortedUnique(std::move(touch));
    p.options = OptionsOf(tree_, item, complete_);
    p.same_as_previous = k > 0 && KeyOf(items[order[k - 1]]) == KeyOf(item);
    items_.push_back(std::move(p));
  }
}

void Search::PrepareCaps(std::span<const SearchItem> items) {
  for (const SearchItem& item : items) issuers_ = std::max(issuers_, item.issuer + 1);
  cap_slot_.assign(tree_.nodes.size(), -1);
  int slots = 0;
  for (size_t n = 0; n < tree_.nodes.size(); ++n) {
    if (tree_.nodes[n].cap_per_issuer.has_value()) cap_slot_[n] = slots++;
  }
  issuer_sums_.assign(static_cast<size_t>(slots) * issuers_, 0);
  external_sums_.assign(tree_.nodes.size(), 0);
}

void Search::PrepareSubsetSums() {
  Milli gcd = 0, largest = 0;
  for (const PreparedItem& p : items_) {
    if (p.item->free || p.item->ects <= 0) continue;
    gcd = std::gcd(gcd, p.item->ects);
    largest = std::max(largest, p.item->ects);
  }
  if (gcd == 0 || tree_.has_sharing) return;
  std::vector<Milli> zero(tree_.nodes.size(), 0);
  const Milli ceiling = EctsNeed(tree_, zero, need_scratch_) + largest;
  const Milli units = ceiling / gcd + 1;
  if (units > kMaxSubsetSumUnits) return;
  unit_ = gcd;
  units_ = units;
  words_ = static_cast<size_t>((units + 63) / 64);
  suffix_sums_.assign((items_.size() + 1) * words_, 0);
  suffix_sums_[items_.size() * words_] = 1;  // the empty subset
  for (size_t d = items_.size(); d-- > 0;) {
    uint64_t* dst = &suffix_sums_[d * words_];
    const uint64_t* src = &suffix_sums_[(d + 1) * words_];
    std::copy(src, src + words_, dst);
    const SearchItem& item = *items_[d].item;
    if (item.free || item.ects <= 0) continue;
    OrShifted(src, dst, static_cast<size_t>(item.ects / gcd));
  }
}

void Search::OrShifted(const uint64_t* src, uint64_t* dst, size_t shift) const {
  const size_t word_shift = shift / 64, bit_shift = shift % 64;
  for (size_t w = words_; w-- > word_shift;) {
    uint64_t v = src[w - word_shift] << bit_shift;
    if (bit_shift != 0 && w - word_shift >= 1) v |= src[w - word_shift - 1] >> (64 - bit_shift);
    dst[w] |= v;
  }
}

Milli Search::LeastReachable(size_t d, Milli need) const {
  if (unit_ == 0 || need <= 0) return std::max<Milli>(need, 0);
  const Milli first_unit = (need + unit_ - 1) / unit_;
  if (first_unit >= units_) return need;  // beyond the table: no rounding
  const uint64_t* bits = &suffix_sums_[d * words_];
  for (Milli u = first_unit; u < units_; ++u) {
    if (u % 64 == 0 && bits[u / 64] == 0) {
      u += 63;
      continue;
    }
    if (bits[u / 64] >> (u % 64) & 1) return u * unit_;
  }
  return kInfinity;
}

bool Search::Fits(const PreparedItem& p, const Option& option) const {
  const Milli e = p.item->ects;
  for (int n : option.capped) {
    const RuleNode& node = tree_.nodes[n];
    if (node.cap_per_issuer.has_value() &&
        issuer_sums_[static_cast<size_t>(cap_slot_[n]) * issuers_ + p.item->issuer] + e >
            *node.cap_per_issuer) {
      return false;
    }
    if (node.cap_external.has_value() && p.item->external &&
        external_sums_[n] + e > *node.cap_external) {
      return false;
    }
  }
  return true;
}

void Search::Apply(const PreparedItem& p, const Option& option, int sign) {
  const Milli e = p.item->ects * sign;
  for (int n : p.touch) {
    pot_ects_[n] -= e;
    if (p.item->free) free_ects_[n] -= e;
    if (!p.item->external) internal_ects_[n] -= e;
  }
  if (p.item->external) undecided_external_[p.item->issuer] -= e;
  for (int leaf : p.item->leaves) pot_count_[leaf] -= sign;
  for (int n : option.add_nodes) {
    ects_[n] += e;
    pot_ects_[n] += e;
    free_ects_[n] += e;
    internal_ects_[n] += e;
  }
  for (int leaf : option.leaves) {
    count_[leaf] += sign;
    pot_count_[leaf] += sign;
  }
  for (int n : option.capped) {
    const RuleNode& node = tree_.nodes[n];
    if (node.cap_per_issuer.has_value()) {
      issuer_sums_[static_cast<size_t>(cap_slot_[n]) * issuers_ + p.item->issuer] += e;
    }
    if (node.cap_external.has_value() && p.item->external) external_sums_[n] += e;
  }
  if (!option.leaves.empty() && !p.item->free) {
    cost_ += e;
    charged_ += sign;
  }
}

bool Search::Useful(const Option& option) const {
  for (int leaf : option.leaves) {
    const RuleNode& node = tree_.nodes[leaf];
    if (count_[leaf] < node.min_count || ects_[leaf] < node.min_ects) return true;
  }
  for (int n : option.add_nodes) {
    if (ects_[n] < tree_.nodes[n].min_ects) return true;
  }
  return false;
}

Milli Search::CapBound() {
  const RuleNode& root = tree_.nodes[0];
  if (tree_.has_sharing || !root.cap_external.has_value()) return 0;
  Milli can_come = 0;
  for (int issuer = 0; issuer < issuers_; ++issuer) {
    Milli from_issuer = undecided_external_[issuer];
    if (root.cap_per_issuer.has_value()) {
      const Milli used = issuer_sums_[static_cast<size_t>(cap_slot_[0]) * issuers_ + issuer];
      from_issuer = std::min(from_issuer, *root.cap_per_issuer - used);
    }
    can_come += std::max<Milli>(0, from_issuer);
  }
  can_come = std::min(can_come, *root.cap_external - external_sums_[0]);
  return EctsNeed(tree_, internal_ects_, need_scratch_) - can_come;
}

bool Search::CostBoundPrunes(size_t d) {
  Milli bound = cost_;
  if (!tree_.has_sharing) {
    const Milli need = EctsNeed(tree_, free_ects_, need_scratch_) - best_shortfall_.size();
    const Milli least = LeastReachable(d, need);
    if (least >= kInfinity) return true;
    bound += least;
  }
  if (bound != best_cost_) return bound > best_cost_;
  return !options_.minimise_charged_count || charged_ >= best_charged_;
}

void Search::Seed(const SearchResult& start) {
  std::vector<int> choice(items_.size());
  for (size_t d = 0; d < items_.size(); ++d) {
    const std::vector<int>& leaves = start.leaves_of_item[items_[d].input_index];
    const std::vector<Option>& options = items_[d].options;
    auto it = std::find_if(options.begin(), options.end(),
                           [&](const Option& o) { return o.leaves == leaves; });
    if (it == options.end()) return;
    choice[d] = static_cast<int>(it - options.begin());
  }
  best_choice_ = std::move(choice);
  best_shortfall_ = start.shortfall;
  best_cost_ = start.cost;
  best_charged_ = start.charged_count;
}

bool Search::ReachedBound() const {
  if (!bound_.has_value() || best_choice_.empty()) return false;
  return best_shortfall_.size() == bound_->size && best_cost_ == bound_->cost &&
         (!options_.minimise_charged_count || best_charged_ == bound_->charged);
}

void Search::Record() {
  const Shortfall s = shortfalls_[0];
  bool better = s.size() < best_shortfall_.size();
  if (s.size() == best_shortfall_.size()) {
    better = cost_ < best_cost_ ||
             (cost_ == best_cost_ && options_.minimise_charged_count && charged_ < best_charged_);
  }
  if (!better) return;
  best_shortfall_ = s;
  best_cost_ = cost_;
  best_charged_ = charged_;
  best_choice_ = choice_;
  reached_bound_ = ReachedBound();
}

void Search::Dfs(size_t d) {
  if (reached_bound_) return;
  if (++nodes_ > options_.node_budget) {
    aborted_ = true;
    return;
  }
  ComputeShortfalls(tree_, pot_ects_, pot_count_, shortfalls_);
  Milli bound = shortfalls_[0].size();
  if (bound > best_shortfall_.size()) return;
  if (d < items_.size()) bound = std::max(bound, CapBound());
  if (bound > best_shortfall_.size()) return;
  if (d == items_.size()) {
    Record();  // every item decided: the bound is the shortfall itself
    return;
  }
  if (bound == best_shortfall_.size() && CostBoundPrunes(d)) return;
  const PreparedItem& p = items_[d];
  const int first = p.same_as_previous ? choice_[d - 1] : 0;
  const int last = static_cast<int>(p.options.size()) - 1;  // the empty option
  // An assignment that adds nothing any node misses now never will (shortfalls only shrink
  // as the search goes down), so it can only cost more than leaving the item unused: it is
  // not searched. Of the others, those that shrink the root's shortfall right away come
  // first, then leaving the item unused, then the rest: the first dive is then close to
  // optimal, and the bounds prune most of what follows.
  ComputeShortfalls(tree_, ects_, count_, shortfalls_);
  const Milli now = shortfalls_[0].size();
  auto& later = deferred_[d];
  later.clear();
  for (int k = first; k < last && !Stopped(); ++k) {
    const Option& option = p.options[k];
    if (!Useful(option) || !Fits(p, option)) continue;
    Apply(p, option, +1);
    ComputeShortfalls(tree_, ects_, count_, shortfalls_);
    const bool improves = shortfalls_[0].size() < now;
    Apply(p, option, -1);
    if (improves) {
      Descend(d, p, k);
    } else {
      later.push_back(k);
    }
  }
  if (!Stopped()) Descend(d, p, last);
  for (size_t i = 0; i < later.size() && !Stopped(); ++i) Descend(d, p, later[i]);
}

void Search::Descend(size_t d, const PreparedItem& p, int k) {
  Apply(p, p.options[k], +1);
  choice_[d] = k;
  Dfs(d + 1);
  Apply(p, p.options[k], -1);
}

}  // namespace

SearchResult FindOptimalAssignment(const RuleTree& tree, std::span<const SearchItem> items,
                                   const SearchOptions& options) {
  if (!options.decompose) return Search(tree, items, options).Run({}, {});
  TreeDpAnswer dp = SolveByTreeDp(tree, items);
  if (dp.optimum.has_value()) return *std::move(dp.optimum);
  return Search(tree, items, options).Run(dp.feasible, dp.lower_bound);
}

}  // namespace microcred::stacking
