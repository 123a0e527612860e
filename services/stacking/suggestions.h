// Suggestions: the catalogue specifications that would complete a pathway for a learner with
// the least added ECTS, and among those the fewest credentials.
//
// The learner's credentials count as in Evaluate (evaluation.h) and cost nothing; each
// suggested specification is a credential the learner would earn: issued today, passing any
// min_grade, counting its full ECTS. One issued outside the receiving institution and covered
// by no equivalence is marked needs_recognition: it is assumed to be recognised in full, since
// the receiving institution decides only once the learner asks. Specifications the learner
// already holds (any version) are not suggested. When nothing in the catalogue completes the
// pathway, the suggestion is the one that leaves the least shortfall.
//
// Exactness: the search (assignment_search.h) is exact over the candidates. Candidates are
// the specifications that pass some leaf's filters; among specifications that match the same
// leaves with the same ECTS (and origin, and issuer when per-issuer caps apply) only as many
// are kept as an optimal answer could use, which loses nothing since they are
// interchangeable: when the tree is separable (decomposed_search.h), the sum over those
// leaves of ceil(min_ects / ects) + min_credentials (more at one leaf could be dropped for the
// same shortfall at less cost); otherwise all the tree's minimum ECTS over their ECTS plus all
// leaves' counts. Ties are broken by specification id.
//
// CatalogueIndex is immutable once built and thread-safe; Suggest is pure.
#ifndef MICROCRED_SERVICES_STACKING_SUGGESTIONS_H_
#define MICROCRED_SERVICES_STACKING_SUGGESTIONS_H_

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "microcred/stacking/v1/stacking.pb.h"
#include "services/stacking/evaluation.h"

namespace microcred::stacking {

// Lookups that spare a scan of the whole catalogue for filters that name specifications,
// issuers or ISCED-F fields. Holds pointers into `catalogue`, which must outlive it.
class CatalogueIndex {
 public:
  explicit CatalogueIndex(std::span<const v1::SpecificationSummary> catalogue);

  std::span<const v1::SpecificationSummary> catalogue() const { return catalogue_; }

  // Positions of the entries that may pass `filter` (a superset), ascending; or all of them.
  std::vector<int> Candidates(const v1::CredentialFilter& filter) const;

  // The rank of entry `position` in the order of specification ids (ties: by position), so
  // that ties are broken by id without comparing strings.
  int IdRank(int position) const { return id_rank_[position]; }

 private:
  std::span<const v1::SpecificationSummary> catalogue_;
  std::vector<int> id_rank_;
  std::unordered_map<std::string, std::vector<int>> by_specification_;
  std::unordered_map<std::string, std::vector<int>> by_issuer_;
  // ISCED-F codes by their first 2, 3 and 4 digits (broad, narrow, detailed fields).
  static constexpr size_t kIndexedFieldDigits = 4;
  std::unordered_map<std::string, std::vector<int>> by_field_prefix_;
};

absl::StatusOr<v1::Suggestion> Suggest(const v1::Pathway& pathway,
                                       std::span<const v1::CredentialFacts> held,
                                       const CatalogueIndex& catalogue,
                                       const EvaluationContext& context);

}  // namespace microcred::stacking

#endif  // MICROCRED_SERVICES_STACKING_SUGGESTIONS_H_
