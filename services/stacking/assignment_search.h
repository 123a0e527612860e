// The exact search behind evaluation and suggestions: assigns items (credentials, held or
// hypothetical) to the leaves of a rule tree so as to minimise, in this order,
//   1. the size of the root's shortfall (rule_tree.h);
//   2. the cost of the items assigned (an item costs its counted ECTS, or 0 for an item the
//      caller marks free: the learner's own credentials when suggesting);
//   3. optionally, the number of charged (non-free) items assigned;
// subject to: an item goes only to leaves it matches; at most one of its leaves disallows
// sharing; every cap of every node above a leaf it is assigned to holds (the ECTS of the
// distinct items assigned below a capped node, per issuer and from outside the receiving
// institution, stay within the caps).
//
// First the tree DP of decomposed_search.h, exact and polynomial when the objective decomposes
// along the tree (no sharing, group minimums implied by the children's). When it does not
// apply, the branch and bound below; when it applies but cannot conclude (caps bind, or too
// many items contested by several leaves), the branch and bound starts from its legal
// assignment and stops as soon as it reaches its lower bound.
//
// Branch and bound, depth first over the items, exact unless the node budget runs out:
//  - lower bound on the shortfall: every undecided item assigned to every leaf it matches,
//    caps ignored (the shortfall only shrinks as items are added);
//  - lower bound on the cost: an assignment of x ECTS lowers EctsNeed (rule_tree.h) by at most
//    x when no leaf allows sharing, so reaching shortfall S costs at least EctsNeed - S;
//  - interchangeable items (same leaves, ECTS, cost, and issuer/origin where caps look at
//    them) are taken in a fixed order of choices, so their permutations are searched once;
//  - the first dive assigns each item where something is still missing, which yields a good
//    incumbent early.
// Ties are broken by the search order, itself a function of the items' contents and their
// positions in the input: equal inputs give equal answers.
//
// Pure; thread-safe.
#ifndef MICROCRED_SERVICES_STACKING_ASSIGNMENT_SEARCH_H_
#define MICROCRED_SERVICES_STACKING_ASSIGNMENT_SEARCH_H_

#include <cstdint>
#include <span>
#include <vector>

#include "services/stacking/rule_tree.h"

namespace microcred::stacking {

struct SearchItem {
  Milli ects = 0;           // counted ECTS
  bool free = false;        // costs nothing and is not counted by objective 3
  int issuer = 0;           // dense issuer index, for per-issuer caps
  bool external = false;    // issued outside the receiving institution
  std::vector<int> leaves;  // node indices of the leaves it matches, ascending, not empty
};

struct SearchOptions {
  int64_t node_budget = 20'000'000;
  bool minimise_charged_count = false;
  // Try the tree DP of decomposed_search.h first (exact, when it applies); false forces the
  // branch and bound, which tests compare it with.
  bool decompose = true;
};

struct SearchResult {
  // For each item (in input order): the leaves it is assigned to, ascending; empty = unused.
  std::vector<std::vector<int>> leaves_of_item;
  Shortfall shortfall;
  Milli cost = 0;
  int charged_count = 0;
  bool optimal = true;         // false when the budget ran out first
  int64_t nodes_searched = 0;  // branch and bound nodes, or relaxed solutions of the tree DP
  bool decomposed = false;     // solved by the tree DP of decomposed_search.h
};

SearchResult FindOptimalAssignment(const RuleTree& tree, std::span<const SearchItem> items,
                                   const SearchOptions& options = {});

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_ASSIGNMENT_SEARCH_H_
