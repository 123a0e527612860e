// SearchIndex: the in-memory index behind SearchSpecifications, over the latest version of every
// specification of the whole ecosystem.
//
// Free text matches words of the title (weight 3), learning outcomes and ESCO skills (2) and the
// description (1), folded for case and accents. Every query word must match; a word of three
// characters or more also matches as a prefix ("data" finds "database"). Results are ordered by
// score (the sum of each query word's best field weight), then by folded title, then by id, so
// the same query on the same catalogue always gives the same pages. Facets count the values of
// every result that passes the filters.
//
// Thread-safe: many concurrent searches, one writer at a time.
#ifndef MICROCRED_SERVICES_CATALOGUE_SEARCH_INDEX_H_
#define MICROCRED_SERVICES_CATALOGUE_SEARCH_INDEX_H_

#include <cstdint>
#include <map>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "microcred/catalogue/v1/catalogue.pb.h"

namespace microcred::catalogue {

class SearchIndex {
 public:
  // Adds or replaces the entry of `latest.specification_id()`. `provider_types` are those of its
  // awarding bodies, as the registry knows them.
  void Upsert(const v1::Specification& latest,
              const std::vector<common::v1::ProviderType>& provider_types);

  // INVALID_ARGUMENT when the page size or token is malformed.
  absl::StatusOr<v1::SearchSpecificationsResponse> Search(
      const v1::SearchSpecificationsRequest& request) const;

  size_t size() const;

 private:
  struct Entry {
    v1::Specification spec;
    std::string folded_title;
    std::vector<common::v1::ProviderType> provider_types;
  };
  struct Posting {
    uint32_t doc;
    uint8_t weight;
  };
  using Scores = std::unordered_map<uint32_t, uint32_t>;

  void IndexWords(uint32_t doc, const v1::Specification& spec);
  void UnindexWords(uint32_t doc, const v1::Specification& spec);
  // Docs matching every word of `text`, with their scores; all docs when `text` has no word.
  Scores MatchText(const std::string& text) const;
  Scores MatchWord(const std::string& word) const;
  bool PassesFilters(const Entry& entry, const v1::SearchSpecificationsRequest& request) const;

  mutable std::shared_mutex mu_;
  std::vector<Entry> entries_;                            // doc id -> entry
  std::unordered_map<std::string, uint32_t> doc_of_;      // specification id -> doc id
  std::map<std::string, std::vector<Posting>> postings_;  // folded word -> docs, sorted by doc
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_SEARCH_INDEX_H_
