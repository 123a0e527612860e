// An exact solver for the assignment problem of assignment_search.h by dynamic programming
// over the rule tree, for the instances whose objective decomposes along the tree. It returns
// the same optimum (shortfall size, then cost, then charged count) as the branch and bound, in
// time polynomial in the sizes of the tables (below) instead of exponential in the items.
//
// When it applies exactly ("separable" instances; else see the relaxations below):
//  - no leaf allows sharing (an item's ECTS then count once, at one leaf); with sharing it
//    does not apply at all and returns nothing;
//  - every group's min_ects is implied by its children's minimums (min_ects <= the ECTS its
//    children guarantee, as in pathway_rules.h). Proof that it then never binds: for any
//    assignment, the combined ECTS short of a node is at least G - E, where G is what its
//    children guarantee and E the ECTS assigned below (by induction: a leaf misses
//    max(0, min - e) >= min - e; an all-of sums, and without sharing E is the sum of the
//    children's; an any-of or at-least-N takes some children, each missing at least its G
//    minus its E <= E). So max(combined, min_ects - E) = combined. The shortfall of the root
//    is then a function of the leaves' shortfall SIZES alone, through sums (all-of), a least
//    element (any-of) and the N least (at-least-N), all non-decreasing;
//  - the ECTS and minimums share a unit (their greatest common divisor with one ECTS) fine
//    enough that the tables stay small (kMaxUnits);
//  - a group minimum that its children do not guarantee is left out too (a relaxation: a
//    shortfall only grows with it), and the optimum found is returned when the minimum does
//    not bind on it: its true shortfall is then its relaxed one, which no assignment beats;
//  - caps: they are ignored (a relaxation), and the optimum found is returned only when it
//    respects every cap, in which case it is also the optimum under the caps; otherwise it is
//    a lower bound for the caller's search.
//
// Method. F_n(s) = the least (cost, charged count) that brings node n's shortfall size to at
// most s (in units), for every s. A leaf's F is a 0/1 knapsack over its items on (ECTS
// assigned, count assigned), both saturated at the leaf's minimums. An all-of's F is the
// (min, +) convolution of its children's; an any-of's the pointwise least of its children's
// (the others get nothing: their sizes cannot raise a least element); an at-least-N's picks N
// children by a DP over (children seen, children picked) (the others get nothing: their sizes
// can only fall outside the N least). The answer is the least s with F_root(s) finite.
//
// Items matching several leaves. Each leaf's knapsack sees a copy of every item it matches, at
// the full cost: a relaxation (every real assignment is one of the relaxed ones, at the same
// value), so its optimum is a lower bound, and it is the optimum when no item is used twice.
// Copies come last in a leaf's knapsack, which takes an item only when strictly better, so a
// copy is used only when its leaf gains by it. When an item is used at several leaves, a
// best-first branch and bound restricts it to each of its leaves in turn (every real
// assignment keeps it in at most one) and solves again; the first relaxed optimum popped that
// uses no item twice is optimal, since every open branch is bounded below by its own relaxed
// optimum. It gives up beyond kMaxSolves solutions (a lower bound then, as with caps).
//
// Ties are broken by the order of the items and of the tree's children, so equal inputs give
// equal answers. Pure; thread-safe.
#ifndef MICROCRED_SERVICES_STACKING_DECOMPOSED_SEARCH_H_
#define MICROCRED_SERVICES_STACKING_DECOMPOSED_SEARCH_H_

#include <optional>
#include <span>

#include "services/stacking/assignment_search.h"
#include "services/stacking/rule_tree.h"

namespace microcred::stacking {

// Whether the objective decomposes along the tree (the first two conditions above).
bool IsSeparable(const RuleTree& tree);

// The three objectives, compared in order.
struct Objective {
  Milli size = 0;
  Milli cost = 0;
  int charged = 0;
};

struct TreeDpAnswer {
  // The optimum (optimal = true), when found.
  std::optional<SearchResult> optimum;
  // Otherwise, when the method applies but caps bind or it gives up: no assignment does better
  // than `lower_bound`, and `feasible` is a legal assignment (shared items kept at their first
  // leaf, then items dropped until every cap holds) for the caller's search to start from.
  std::optional<Objective> lower_bound;
  std::optional<SearchResult> feasible;
};

TreeDpAnswer SolveByTreeDp(const RuleTree& tree, std::span<const SearchItem> items);

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_DECOMPOSED_SEARCH_H_
