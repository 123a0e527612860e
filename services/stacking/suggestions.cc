#include "services/stacking/suggestions.h"

#include <algorithm>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_set>

#include "services/stacking/assignment_search.h"
#include "services/stacking/credential_filter.h"
#include "services/stacking/decomposed_search.h"
#include "services/stacking/rule_tree.h"

namespace microcred::stacking {
namespace {

std::vector<int> Union(const std::unordered_map<std::string, std::vector<int>>& index,
                       const google::protobuf::RepeatedPtrField<std::string>& keys,
                       size_t key_length) {
  std::vector<int> out;
  for (const std::string& key : keys) {
    auto it = index.find(key.substr(0, key_length));
    if (it != index.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A candidate specification and the leaves it matches.
struct Candidate {
  int position = 0;
  std::vector<int> leaves;
  Milli ects = 0;
  bool external = false;  // for caps
  bool needs_recognition = false;
};

// How many interchangeable candidates (same leaves, ECTS, origin) an optimal answer could
// use: each one it uses brings a credential some leaf misses or ECTS some node misses.
//  - In general, a candidate used must lower the shortfall of some node, so no more are used
//    than every node's minimum ECTS divided by the candidate's, plus every leaf's count.
//  - When the tree is separable (decomposed_search.h: no sharing, group minimums implied),
//    the root's shortfall depends only on the leaves' own shortfalls. An optimal answer then
//    uses at a leaf no more than ceil(min_ects / ects) + min_credentials candidates of one
//    class: past that many, the leaf has both its ECTS and its count from them alone, and
//    dropping one would cost less (or add one specification fewer, at 0 ECTS) for the same
//    shortfall. So the sum of that over the class's leaves is enough.
int UsefulCopies(const RuleTree& tree, const std::vector<int>& leaves, Milli ects, bool separable) {
  Milli ects_needed = 0;
  int count_needed = 0;
  if (separable) {
    for (int leaf : leaves) {
      ects_needed += tree.nodes[leaf].min_ects;
      count_needed += tree.nodes[leaf].min_count;
    }
  } else {
    for (const RuleNode& node : tree.nodes) {
      ects_needed += node.min_ects;
      count_needed += node.min_count;
    }
  }
  Milli by_ects = 0;
  if (ects > 0 && separable) {
    for (int leaf : leaves) by_ects += (tree.nodes[leaf].min_ects + ects - 1) / ects;
  } else if (ects > 0) {
    by_ects = (ects_needed + ects - 1) / ects;
  }
  return static_cast<int>(std::min<Milli>(by_ects + count_needed, 1 << 20));
}

class Suggester {
 public:
  Suggester(const v1::Pathway& pathway, const RuleTree& tree, const CatalogueIndex& index,
            const EvaluationContext& context)
      : pathway_(pathway), tree_(tree), index_(index), context_(context) {}

  v1::Suggestion Run(std::span<const v1::CredentialFacts> held) {
    std::unordered_set<std::string> held_specifications;
    for (const v1::CredentialFacts& c : held) {
      held_specifications.insert(c.specification().specification_id());
      AddHeld(c);
    }
    const std::vector<Candidate> candidates = KeepUseful(Match(held_specifications));
    for (const Candidate& c : candidates) {
      const v1::SpecificationSummary& s = index_.catalogue()[c.position];
      items_.push_back(SearchItem{.ects = c.ects,
                                  .free = false,
                                  .issuer = IssuerIndex(s.issuer_institution_id()),
                                  .external = c.external,
                                  .leaves = c.leaves});
    }
    const SearchResult search = FindOptimalAssignment(
        tree_, items_, {.node_budget = context_.search_budget, .minimise_charged_count = true});
    v1::Suggestion suggestion;
    suggestion.set_completes_pathway(search.shortfall.size() == 0);
    suggestion.set_ects_short_after(FromMilli(search.shortfall.ects));
    suggestion.set_credentials_short_after(search.shortfall.count);
    suggestion.set_added_ects(FromMilli(search.cost));
    suggestion.set_optimal(search.optimal);
    for (size_t i = 0; i < candidates.size(); ++i) {
      const std::vector<int>& leaves = search.leaves_of_item[held_items_ + i];
      if (leaves.empty()) continue;
      const v1::SpecificationSummary& s = index_.catalogue()[candidates[i].position];
      v1::SuggestedSpecification* out = suggestion.add_specifications();
      *out->mutable_specification() = s.specification();
      out->set_ects(FromMilli(candidates[i].ects));
      for (int leaf : leaves) out->add_requirement_ids(tree_.nodes[leaf].id());
      out->set_needs_recognition(candidates[i].needs_recognition);
    }
    return suggestion;
  }

 private:
  int IssuerIndex(const std::string& issuer) {
    return issuers_.emplace(issuer, static_cast<int>(issuers_.size())).first->second;
  }

  void AddHeld(const v1::CredentialFacts& c) {
    const double counted = CountedEcts(pathway_, c, context_.policy_equivalences);
    if (counted < 0) return;
    SearchItem item{.ects = ToMilli(counted),
                    .free = true,
                    .issuer = IssuerIndex(c.issuer_institution_id()),
                    .external = c.issuer_institution_id() != pathway_.owner_institution()};
    for (int leaf : tree_.leaves) {
      if (PassesFilters(tree_.nodes[leaf].filters, c, context_.evaluation_date)) {
        item.leaves.push_back(leaf);
      }
    }
    if (item.leaves.empty()) return;
    items_.push_back(std::move(item));
    ++held_items_;
  }

  // Every specification that passes some leaf's filters, with the leaves, by position. Each
  // leaf looks only at the index's candidates for its narrowest filter.
  std::vector<Candidate> Match(const std::unordered_set<std::string>& held_specifications) {
    std::vector<std::pair<int, int>> matches;  // (position, leaf)
    for (int leaf : tree_.leaves) {
      const RuleNode& node = tree_.nodes[leaf];
      std::vector<int> best;
      bool narrowed = false;
      for (const v1::CredentialFilter* filter : node.filters) {
        std::vector<int> some = index_.Candidates(*filter);
        if (!narrowed || some.size() < best.size()) best = std::move(some);
        narrowed = true;
      }
      for (int position : best) {
        const v1::SpecificationSummary& s = index_.catalogue()[position];
        if (!PassesFilters(node.filters, s)) continue;
        if (held_specifications.count(s.specification().specification_id()) > 0) continue;
        matches.emplace_back(position, leaf);
      }
    }
    std::sort(matches.begin(), matches.end());
    std::vector<Candidate> out;
    for (size_t begin = 0; begin < matches.size();) {
      const int position = matches[begin].first;
      std::vector<int> leaves;
      for (; begin < matches.size() && matches[begin].first == position; ++begin) {
        leaves.push_back(matches[begin].second);
      }
      const v1::SpecificationSummary& s = index_.catalogue()[position];
      const bool external = s.issuer_institution_id() != pathway_.owner_institution();
      out.push_back(Candidate{
          .position = position,
          .leaves = std::move(leaves),
          .ects = ToMilli(std::max(0.0, s.ects())),
          .external = external,
          .needs_recognition =
              external && !CoveredByEquivalence(pathway_, context_.policy_equivalences,
                                                s.specification().specification_id(),
                                                s.issuer_institution_id(), s.issuer_groups()),
      });
    }
    return out;
  }

  // Keeps, of each class of interchangeable candidates, the first UsefulCopies by
  // specification id; with per-issuer caps, that many per issuer for that many issuers.
  std::vector<Candidate> KeepUseful(std::vector<Candidate> all) {
    const auto& catalogue = index_.catalogue();
    auto rank_of = [&](const Candidate& c) { return index_.IdRank(c.position); };
    auto issuer_of = [&](const Candidate& c) -> const std::string& {
      return catalogue[c.position].issuer_institution_id();
    };
    std::sort(all.begin(), all.end(), [&](const Candidate& a, const Candidate& b) {
      return std::make_tuple(std::cref(a.leaves), a.ects, a.external, rank_of(a)) <
             std::make_tuple(std::cref(b.leaves), b.ects, b.external, rank_of(b));
    });
    const bool separable = IsSeparable(tree_);
    std::vector<Candidate> kept;
    for (size_t begin = 0; begin < all.size();) {
      size_t end = begin;
      while (end < all.size() && all[end].leaves == all[begin].leaves &&
             all[end].ects == all[begin].ects && all[end].external == all[begin].external) {
        ++end;
      }
      const int copies = UsefulCopies(tree_, all[begin].leaves, all[begin].ects, separable);
      if (!tree_.has_issuer_caps) {
        for (size_t i = begin; i < end && static_cast<int>(i - begin) < copies; ++i) {
          kept.push_back(all[i]);
        }
      } else {
        std::map<std::string, int> per_issuer;
        for (size_t i = begin; i < end; ++i) {
          auto [it, fresh] = per_issuer.emplace(issuer_of(all[i]), 0);
          if (fresh && static_cast<int>(per_issuer.size()) > copies) {
            per_issuer.erase(it);
            continue;
          }
          if (it->second++ < copies) kept.push_back(all[i]);
        }
      }
      begin = end;
    }
    std::sort(kept.begin(), kept.end(),
              [&](const Candidate& a, const Candidate& b) { return rank_of(a) < rank_of(b); });
    return kept;
  }

  const v1::Pathway& pathway_;
  const RuleTree& tree_;
  const CatalogueIndex& index_;
  const EvaluationContext& context_;
  std::vector<SearchItem> items_;
  size_t held_items_ = 0;
  std::map<std::string, int> issuers_;
};

}  // namespace

CatalogueIndex::CatalogueIndex(std::span<const v1::SpecificationSummary> catalogue)
    : catalogue_(catalogue) {
  std::vector<int> by_id(catalogue.size());
  std::iota(by_id.begin(), by_id.end(), 0);
  std::stable_sort(by_id.begin(), by_id.end(), [&](int a, int b) {
    return catalogue[a].specification().specification_id() <
           catalogue[b].specification().specification_id();
  });
  id_rank_.resize(catalogue.size());
  for (int rank = 0; rank < static_cast<int>(by_id.size()); ++rank) id_rank_[by_id[rank]] = rank;
  for (int i = 0; i < static_cast<int>(catalogue.size()); ++i) {
    const v1::SpecificationSummary& s = catalogue[i];
    by_specification_[s.specification().specification_id()].push_back(i);
    by_issuer_[s.issuer_institution_id()].push_back(i);
    for (size_t length = 2; length <= kIndexedFieldDigits && length <= s.isced_f_code().size();
         ++length) {
      by_field_prefix_[s.isced_f_code().substr(0, length)].push_back(i);
    }
  }
}

std::vector<int> CatalogueIndex::Candidates(const v1::CredentialFilter& filter) const {
  std::vector<int> ids;
  for (const v1::SpecificationRef& ref : filter.specifications()) {
    auto it = by_specification_.find(ref.specification_id());
    if (it != by_specification_.end()) ids.insert(ids.end(), it->second.begin(), it->second.end());
  }
  if (filter.specifications_size() > 0) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
  }
  if (filter.issuer_institution_ids_size() > 0) {
    return Union(by_issuer_, filter.issuer_institution_ids(), std::string::npos);
  }
  // A code of the filter accepts the fields it prefixes: those listed under its first
  // (up to kIndexedFieldDigits) digits hold them all.
  const bool fields_indexable =
      filter.isced_f_codes_size() > 0 &&
      std::all_of(filter.isced_f_codes().begin(), filter.isced_f_codes().end(),
                  [](const std::string& code) { return code.size() >= 2; });
  if (fields_indexable) return Union(by_field_prefix_, filter.isced_f_codes(), kIndexedFieldDigits);
  std::vector<int> all(catalogue_.size());
  for (int i = 0; i < static_cast<int>(all.size()); ++i) all[i] = i;
  return all;
}

absl::StatusOr<v1::Suggestion> Suggest(const v1::Pathway& pathway,
                                       std::span<const v1::CredentialFacts> held,
                                       const CatalogueIndex& catalogue,
                                       const EvaluationContext& context) {
  absl::StatusOr<RuleTree> tree = CompileRuleTree(pathway);
  if (!tree.ok()) return tree.status();
  return Suggester(pathway, *tree, catalogue, context).Run(held);
}

}  // namespace microcred::stacking
