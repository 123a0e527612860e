// SearchIndex: the in-memory index behind SearchSpecifications, over the latest version of every
// specification of every ecosystem the node joined (each entry's Specification.ecosystem_id says
// which; the `ecosystems` filter and the `ecosystem` facet read it).
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

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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

  // Recomputes the provider types of every entry `types` answers for (std::nullopt: keeps them).
  void Retype(const std::function<std::optional<std::vector<common::v1::ProviderType>>(
                  const v1::Specification&)>& types);

  // INVALID_ARGUMENT when the page size or token is malformed.
  absl::StatusOr<v1::SearchSpecificationsResponse> Search(
      const v1::SearchSpecificationsRequest& request) const;

  size_t size() const;

 private:
  struct FacetValue {
    uint8_t facet;
    uint32_t value;  // index into facet_values_[facet]
  };
  struct Entry {
    v1::Specification spec;
    std::string folded_title;
  };
  // What filters and facets read, packed per entry so that a scan of every entry stays in the
  // cache instead of chasing each specification's heap objects.
  struct Columns {
    float ects = -1;  // -1 when the workload is in hours
    uint8_t eqf_level = 0;
    uint8_t form = 0;
    uint8_t assessment = 0;
    bool withdrawn = false;
    bool stackable = false;
    bool credit_bearing = false;
    uint16_t country = 0;                 // value id in the country facet
    uint16_t ecosystem = UINT16_MAX;      // value id in the ecosystem facet; MAX when none
    uint32_t provider_types = 0;          // one bit per ProviderType
    std::array<uint64_t, 4> languages{};  // one bit per value id in the language facet
    uint32_t facets_begin = 0;            // this entry's facet values in facet_pool_
    uint16_t facets_count = 0;
  };
  struct Posting {
    uint32_t doc;
    uint32_t score;
  };
  using Postings = std::vector<Posting>;  // sorted by doc, one entry per doc

  void IndexWords(uint32_t doc, const v1::Specification& spec);
  void UnindexWords(uint32_t doc, const v1::Specification& spec);
  uint32_t Intern(uint8_t facet, const std::string& value);
  Columns MakeColumns(const v1::Specification& spec,
                      const std::vector<common::v1::ProviderType>& types);
  struct Filter;  // a request's filters, resolved to column values once per search
  Filter Resolve(const v1::SearchSpecificationsRequest& request) const;
  // Docs matching every word of `words`, with their summed scores, sorted by doc.
  Postings MatchWords(const std::vector<std::string>& words) const;
  Postings MatchWord(const std::string& word) const;
  bool Passes(uint32_t doc, const Filter& filter,
              const v1::SearchSpecificationsRequest& request) const;
  // Each doc's position in (folded title, id) order; rebuilt by the first search after a change.
  std::shared_ptr<const std::vector<uint32_t>> TitleRanks() const;

  mutable std::shared_mutex mu_;
  std::vector<Entry> entries_;          // doc id -> entry
  std::vector<Columns> columns_;        // doc id -> columns
  std::vector<FacetValue> facet_pool_;  // every entry's facet values; replaced ones stay behind
  std::unordered_map<std::string, uint32_t> doc_of_;                  // specification id -> doc id
  std::map<std::string, Postings> postings_;                          // folded word -> docs
  std::vector<std::vector<std::string>> facet_values_;                // facet -> value id -> value
  std::vector<std::unordered_map<std::string, uint32_t>> facet_ids_;  // facet -> value -> id

  mutable std::mutex ranks_mu_;
  mutable std::shared_ptr<const std::vector<uint32_t>> ranks_;  // null when stale
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_SEARCH_INDEX_H_
