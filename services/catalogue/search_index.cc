#include "services/catalogue/search_index.h"

#include <algorithm>
#include <mutex>

#include "libs/domain/text.h"

namespace microcred::catalogue {
namespace {

using common::v1::ProviderType;
using v1::SearchSpecificationsRequest;
using v1::Specification;

constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;
constexpr size_t kMinPrefixLength = 3;

// Each folded word of a specification with the weight of the best field it appears in.
std::map<std::string, uint8_t> WeightedWords(const Specification& spec) {
  std::map<std::string, uint8_t> words;
  auto add = [&](const std::string& text, uint8_t weight) {
    for (std::string& w : domain::FoldToWords(text)) {
      uint8_t& best = words[std::move(w)];
      best = std::max(best, weight);
    }
  };
  const v1::SpecificationContent& c = spec.content();
  add(c.title(), 3);
  for (const v1::LearningOutcome& o : c.learning_outcomes()) add(o.text(), 2);
  add(c.description(), 1);
  return words;
}

double EctsOf(const Specification& spec) {
  return spec.content().workload().has_ects() ? spec.content().workload().ects() : -1;
}

template <typename T, typename V>
bool AllowedBy(const google::protobuf::RepeatedField<T>& allowed, V value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

bool AllowedBy(const google::protobuf::RepeatedPtrField<std::string>& allowed,
               const std::string& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

template <typename Range>
bool AnyAllowed(const google::protobuf::RepeatedPtrField<std::string>& allowed,
                const Range& values) {
  if (allowed.empty()) return true;
  for (const std::string& v : values) {
    if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return true;
  }
  return false;
}

absl::StatusOr<size_t> DecodePageToken(const std::string& token) {
  if (token.empty()) return 0;
  size_t offset = 0;
  if (token.rfind("o", 0) != 0 || token.size() > 12 ||
      token.find_first_not_of("0123456789", 1) != std::string::npos || token.size() == 1) {
    return absl::InvalidArgumentError("page_token: not a token this service returned");
  }
  offset = std::stoull(token.substr(1));
  return offset;
}

class FacetCounter {
 public:
  void Count(const std::string& facet, const std::string& value) { counts_[facet][value]++; }
  void AddTo(v1::SearchSpecificationsResponse& response) const {
    for (const auto& [name, values] : counts_) {
      v1::Facet* facet = response.add_facets();
      facet->set_name(name);
      std::vector<std::pair<std::string, int64_t>> sorted(values.begin(), values.end());
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
      for (const auto& [value, count] : sorted) {
        v1::FacetCount* fc = facet->add_counts();
        fc->set_value(value);
        fc->set_count(count);
      }
    }
  }

 private:
  std::map<std::string, std::map<std::string, int64_t>> counts_;
};

void CountFacets(const Specification& spec, const std::vector<ProviderType>& provider_types,
                 FacetCounter& facets) {
  const v1::SpecificationContent& c = spec.content();
  facets.Count("eqf_level", std::to_string(c.eqf_level()));
  facets.Count("country", c.country());
  facets.Count("form_of_participation",
               common::v1::FormOfParticipation_Name(c.form_of_participation()));
  facets.Count("assessment_type", common::v1::AssessmentType_Name(c.assessment_type()));
  facets.Count("credit_bearing", c.credit_bearing() ? "true" : "false");
  facets.Count("stackable",
               c.stackability() == common::v1::STACKABILITY_STACKABLE ? "true" : "false");
  if (c.isced_f_code().size() >= 2) facets.Count("isced_f_broad", c.isced_f_code().substr(0, 2));
  for (const std::string& language : c.languages()) facets.Count("language", language);
  for (const std::string& body : c.awarding_bodies()) facets.Count("provider", body);
  for (ProviderType t : provider_types) facets.Count("provider_type", ProviderType_Name(t));
}

}  // namespace

void SearchIndex::Upsert(const Specification& latest,
                         const std::vector<ProviderType>& provider_types) {
  std::unique_lock lock(mu_);
  auto [it, inserted] = doc_of_.emplace(latest.specification_id(), entries_.size());
  const uint32_t doc = it->second;
  if (inserted) {
    entries_.push_back({});
  } else {
    UnindexWords(doc, entries_[doc].spec);
  }
  Entry& entry = entries_[doc];
  entry.spec = latest;
  entry.folded_title = domain::FoldForMatching(latest.content().title());
  entry.provider_types = provider_types;
  IndexWords(doc, latest);
}

void SearchIndex::IndexWords(uint32_t doc, const Specification& spec) {
  for (const auto& [word, weight] : WeightedWords(spec)) {
    std::vector<Posting>& list = postings_[word];
    auto pos = std::lower_bound(list.begin(), list.end(), doc,
                                [](const Posting& p, uint32_t d) { return p.doc < d; });
    list.insert(pos, Posting{doc, weight});
  }
}

void SearchIndex::UnindexWords(uint32_t doc, const Specification& spec) {
  for (const auto& [word, weight] : WeightedWords(spec)) {
    auto it = postings_.find(word);
    if (it == postings_.end()) continue;
    std::vector<Posting>& list = it->second;
    auto pos = std::lower_bound(list.begin(), list.end(), doc,
                                [](const Posting& p, uint32_t d) { return p.doc < d; });
    if (pos != list.end() && pos->doc == doc) list.erase(pos);
    if (list.empty()) postings_.erase(it);
  }
}

SearchIndex::Scores SearchIndex::MatchWord(const std::string& word) const {
  Scores scores;
  auto visit = [&](const std::vector<Posting>& list, uint32_t bonus) {
    for (const Posting& p : list) {
      uint32_t& s = scores[p.doc];
      s = std::max(s, p.weight + bonus);
    }
  };
  if (word.size() < kMinPrefixLength) {
    if (auto it = postings_.find(word); it != postings_.end()) visit(it->second, 1);
    return scores;
  }
  for (auto it = postings_.lower_bound(word);
       it != postings_.end() && it->first.compare(0, word.size(), word) == 0; ++it) {
    visit(it->second, it->first.size() == word.size() ? 1 : 0);  // exact words rank first
  }
  return scores;
}

SearchIndex::Scores SearchIndex::MatchText(const std::string& text) const {
  std::vector<std::string> words = domain::FoldToWords(text);
  Scores result;
  if (words.empty()) {
    for (uint32_t doc = 0; doc < entries_.size(); ++doc) result[doc] = 0;
    return result;
  }
  for (size_t i = 0; i < words.size(); ++i) {
    Scores matched = MatchWord(words[i]);
    if (i == 0) {
      result = std::move(matched);
      continue;
    }
    Scores both;
    for (const auto& [doc, score] : result) {
      if (auto it = matched.find(doc); it != matched.end()) both[doc] = score + it->second;
    }
    result = std::move(both);
    if (result.empty()) break;
  }
  return result;
}

bool SearchIndex::PassesFilters(const Entry& entry, const SearchSpecificationsRequest& r) const {
  const Specification& spec = entry.spec;
  const v1::SpecificationContent& c = spec.content();
  if (!r.include_withdrawn() && spec.status() == v1::SPECIFICATION_STATUS_WITHDRAWN) return false;
  if (!AllowedBy(r.eqf_levels(), c.eqf_level())) return false;
  const double ects = EctsOf(spec);
  if (r.ects().min() > 0 && ects < r.ects().min()) return false;
  if (r.ects().max() > 0 && (ects < 0 || ects > r.ects().max())) return false;
  if (!AnyAllowed(r.providers(), c.awarding_bodies())) return false;
  if (!r.provider_types().empty()) {
    bool any = false;
    for (ProviderType t : entry.provider_types) any = any || AllowedBy(r.provider_types(), t);
    if (!any) return false;
  }
  if (!AllowedBy(r.countries(), c.country())) return false;
  if (!AnyAllowed(r.languages(), c.languages())) return false;
  if (!AllowedBy(r.forms_of_participation(), c.form_of_participation())) return false;
  if (!AllowedBy(r.assessment_types(), c.assessment_type())) return false;
  if (!r.isced_f_codes().empty()) {
    bool any = false;
    for (const std::string& prefix : r.isced_f_codes()) {
      any = any || (!prefix.empty() && c.isced_f_code().rfind(prefix, 0) == 0);
    }
    if (!any) return false;
  }
  if (!r.esco_skills().empty()) {
    std::vector<std::string> skills;
    for (const v1::LearningOutcome& o : c.learning_outcomes()) skills.push_back(o.esco_skill_uri());
    if (!AnyAllowed(r.esco_skills(), skills)) return false;
  }
  if (r.only_stackable() && c.stackability() != common::v1::STACKABILITY_STACKABLE) return false;
  if (r.only_credit_bearing() && !c.credit_bearing()) return false;
  return true;
}

absl::StatusOr<v1::SearchSpecificationsResponse> SearchIndex::Search(
    const SearchSpecificationsRequest& request) const {
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return absl::InvalidArgumentError("page_size: must be between 0 and " +
                                      std::to_string(kMaxPageSize));
  }
  absl::StatusOr<size_t> offset = DecodePageToken(request.page_token());
  if (!offset.ok()) return offset.status();
  const size_t page_size = request.page_size() == 0 ? kDefaultPageSize : request.page_size();

  std::shared_lock lock(mu_);
  std::vector<std::pair<uint32_t, uint32_t>> hits;  // doc, score
  FacetCounter facets;
  for (const auto& [doc, score] : MatchText(request.text())) {
    const Entry& entry = entries_[doc];
    if (!PassesFilters(entry, request)) continue;
    hits.emplace_back(doc, score);
    CountFacets(entry.spec, entry.provider_types, facets);
  }
  auto before = [&](const std::pair<uint32_t, uint32_t>& a,
                    const std::pair<uint32_t, uint32_t>& b) {
    if (a.second != b.second) return a.second > b.second;
    const Entry& ea = entries_[a.first];
    const Entry& eb = entries_[b.first];
    if (ea.folded_title != eb.folded_title) return ea.folded_title < eb.folded_title;
    return ea.spec.specification_id() < eb.spec.specification_id();
  };
  const size_t end = std::min(hits.size(), *offset + page_size);
  if (*offset < end) {
    std::partial_sort(hits.begin(), hits.begin() + end, hits.end(), before);
  }

  v1::SearchSpecificationsResponse response;
  response.set_total(static_cast<int64_t>(hits.size()));
  for (size_t i = *offset; i < end; ++i) *response.add_results() = entries_[hits[i].first].spec;
  if (end < hits.size()) response.set_next_page_token("o" + std::to_string(end));
  facets.AddTo(response);
  return response;
}

size_t SearchIndex::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace microcred::catalogue
