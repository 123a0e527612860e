#include "services/catalogue/search_index.h"

#include <algorithm>
#include <numeric>
#include <optional>

#include "libs/domain/text.h"

namespace microcred::catalogue {
namespace {

using common::v1::ProviderType;
using v1::SearchSpecificationsRequest;
using v1::Specification;

constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;
constexpr size_t kMinPrefixLength = 3;

// The facets, in the order the response lists them.
enum Facet : uint8_t {
  kAssessmentType,
  kCountry,
  kCreditBearing,
  kEcosystem,
  kEqfLevel,
  kFormOfParticipation,
  kIscedBroad,
  kLanguage,
  kProvider,
  kProviderType,
  kStackable,
  kFacetCount
};
constexpr const char* kFacetNames[kFacetCount] = {
    "assessment_type", "country",   "credit_bearing",
    "ecosystem",       "eqf_level", "form_of_participation",
    "isced_f_broad",   "language",  "provider",
    "provider_type",   "stackable"};

// Each folded word of a specification with the weight of the best field it appears in.
std::map<std::string, uint32_t> WeightedWords(const Specification& spec) {
  std::map<std::string, uint32_t> words;
  auto add = [&](const std::string& text, uint32_t weight) {
    for (std::string& w : domain::FoldToWords(text)) {
      uint32_t& best = words[std::move(w)];
      best = std::max(best, weight);
    }
  };
  const v1::SpecificationContent& c = spec.content();
  add(c.title(), 3);
  for (const v1::LearningOutcome& o : c.learning_outcomes()) add(o.text(), 2);
  add(c.description(), 1);
  return words;
}

std::vector<std::pair<Facet, std::string>> FacetValues(const Specification& spec,
                                                       const std::vector<ProviderType>& types) {
  const v1::SpecificationContent& c = spec.content();
  std::vector<std::pair<Facet, std::string>> values = {
      {kAssessmentType, common::v1::AssessmentType_Name(c.assessment_type())},
      {kCountry, c.country()},
      {kCreditBearing, c.credit_bearing() ? "true" : "false"},
      {kEqfLevel, std::to_string(c.eqf_level())},
      {kFormOfParticipation, common::v1::FormOfParticipation_Name(c.form_of_participation())},
      {kStackable, c.stackability() == common::v1::STACKABILITY_STACKABLE ? "true" : "false"},
  };
  if (!spec.ecosystem_id().empty()) values.push_back({kEcosystem, spec.ecosystem_id()});
  if (c.isced_f_code().size() >= 2) values.push_back({kIscedBroad, c.isced_f_code().substr(0, 2)});
  for (const std::string& language : c.languages()) values.push_back({kLanguage, language});
  for (const std::string& body : c.awarding_bodies()) values.push_back({kProvider, body});
  for (ProviderType t : types) values.push_back({kProviderType, ProviderType_Name(t)});
  return values;
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
  if (token.size() < 2 || token.size() > 12 || token[0] != 'o' ||
      token.find_first_not_of("0123456789", 1) != std::string::npos) {
    return absl::InvalidArgumentError("page_token: not a token this service returned");
  }
  return std::stoull(token.substr(1));
}

}  // namespace

void SearchIndex::Upsert(const Specification& latest, const std::vector<ProviderType>& types) {
  std::unique_lock lock(mu_);
  auto [it, inserted] = doc_of_.emplace(latest.specification_id(), entries_.size());
  const uint32_t doc = it->second;
  if (inserted) {
    entries_.push_back({});
    columns_.push_back({});
  } else {
    UnindexWords(doc, entries_[doc].spec);
  }
  Entry& entry = entries_[doc];
  entry.spec = latest;
  entry.folded_title = domain::FoldForMatching(latest.content().title());
  columns_[doc] = MakeColumns(latest, types);
  IndexWords(doc, latest);
  std::lock_guard ranks_lock(ranks_mu_);
  ranks_.reset();
}

void SearchIndex::Retype(
    const std::function<std::optional<std::vector<ProviderType>>(const Specification&)>& types) {
  std::unique_lock lock(mu_);
  for (uint32_t doc = 0; doc < entries_.size(); ++doc) {
    if (auto t = types(entries_[doc].spec)) columns_[doc] = MakeColumns(entries_[doc].spec, *t);
  }
}

uint32_t SearchIndex::Intern(uint8_t facet, const std::string& value) {
  if (facet_ids_.empty()) {
    facet_ids_.resize(kFacetCount);
    facet_values_.resize(kFacetCount);
  }
  auto [it, added] = facet_ids_[facet].emplace(value, facet_values_[facet].size());
  if (added) facet_values_[facet].push_back(value);
  return it->second;
}

SearchIndex::Columns SearchIndex::MakeColumns(const Specification& spec,
                                              const std::vector<ProviderType>& types) {
  const v1::SpecificationContent& c = spec.content();
  Columns columns;
  if (c.workload().has_ects()) columns.ects = static_cast<float>(c.workload().ects());
  columns.eqf_level = static_cast<uint8_t>(c.eqf_level());
  columns.form = static_cast<uint8_t>(c.form_of_participation());
  columns.assessment = static_cast<uint8_t>(c.assessment_type());
  columns.withdrawn = spec.status() == v1::SPECIFICATION_STATUS_WITHDRAWN;
  columns.stackable = c.stackability() == common::v1::STACKABILITY_STACKABLE;
  columns.credit_bearing = c.credit_bearing();
  for (ProviderType t : types) columns.provider_types |= 1u << (static_cast<unsigned>(t) & 31);
  columns.facets_begin = static_cast<uint32_t>(facet_pool_.size());
  for (auto& [facet, value] : FacetValues(spec, types)) {
    const uint32_t id = Intern(facet, value);
    facet_pool_.push_back({facet, id});
    if (facet == kCountry) columns.country = static_cast<uint16_t>(id);
    if (facet == kEcosystem) columns.ecosystem = static_cast<uint16_t>(id);
    if (facet == kLanguage && id < 256) columns.languages[id / 64] |= 1ull << (id % 64);
  }
  columns.facets_count = static_cast<uint16_t>(facet_pool_.size() - columns.facets_begin);
  return columns;
}

void SearchIndex::IndexWords(uint32_t doc, const Specification& spec) {
  for (const auto& [word, weight] : WeightedWords(spec)) {
    Postings& list = postings_[word];
    auto pos = std::lower_bound(list.begin(), list.end(), doc,
                                [](const Posting& p, uint32_t d) { return p.doc < d; });
    list.insert(pos, Posting{doc, weight});
  }
}

void SearchIndex::UnindexWords(uint32_t doc, const Specification& spec) {
  for (const auto& [word, weight] : WeightedWords(spec)) {
    auto it = postings_.find(word);
    if (it == postings_.end()) continue;
    Postings& list = it->second;
    auto pos = std::lower_bound(list.begin(), list.end(), doc,
                                [](const Posting& p, uint32_t d) { return p.doc < d; });
    if (pos != list.end() && pos->doc == doc) list.erase(pos);
    if (list.empty()) postings_.erase(it);
  }
}

SearchIndex::Postings SearchIndex::MatchWord(const std::string& word) const {
  // An exact word scores one more than the same field reached through a prefix.
  auto boosted = [](const Postings& list, uint32_t bonus) {
    Postings out = list;
    for (Posting& p : out) p.score += bonus;
    return out;
  };
  if (word.size() < kMinPrefixLength) {
    auto it = postings_.find(word);
    return it == postings_.end() ? Postings{} : boosted(it->second, 1);
  }
  Postings merged;
  for (auto it = postings_.lower_bound(word);
       it != postings_.end() && it->first.compare(0, word.size(), word) == 0; ++it) {
    Postings list = boosted(it->second, it->first.size() == word.size() ? 1 : 0);
    if (merged.empty()) {
      merged = std::move(list);
      continue;
    }
    Postings both;
    both.reserve(merged.size() + list.size());
    std::merge(merged.begin(), merged.end(), list.begin(), list.end(), std::back_inserter(both),
               [](const Posting& a, const Posting& b) { return a.doc < b.doc; });
    merged.clear();
    for (const Posting& p : both) {  // equal docs are adjacent: keep the best score
      if (!merged.empty() && merged.back().doc == p.doc) {
        merged.back().score = std::max(merged.back().score, p.score);
      } else {
        merged.push_back(p);
      }
    }
  }
  return merged;
}

SearchIndex::Postings SearchIndex::MatchWords(const std::vector<std::string>& words) const {
  Postings result = MatchWord(words[0]);
  for (size_t i = 1; i < words.size() && !result.empty(); ++i) {
    Postings next = MatchWord(words[i]);
    Postings both;
    auto a = result.begin(), b = next.begin();
    while (a != result.end() && b != next.end()) {
      if (a->doc < b->doc) {
        ++a;
      } else if (b->doc < a->doc) {
        ++b;
      } else {
        both.push_back({a->doc, a->score + b->score});
        ++a, ++b;
      }
    }
    result = std::move(both);
  }
  return result;
}

struct SearchIndex::Filter {
  uint32_t eqf_levels = ~0u;  // one bit per level
  uint32_t forms = ~0u;
  uint32_t assessments = ~0u;
  uint32_t provider_types = ~0u;
  std::vector<bool> countries;   // by value id; empty = any
  std::vector<bool> ecosystems;  // by value id; empty = any
  std::array<uint64_t, 4> languages{};
  bool any_language = true;
};

SearchIndex::Filter SearchIndex::Resolve(const SearchSpecificationsRequest& r) const {
  Filter f;
  auto mask = [](const auto& values) {
    uint32_t bits = 0;
    for (auto v : values) bits |= 1u << (static_cast<unsigned>(v) & 31);
    return values.empty() ? ~0u : bits;
  };
  f.eqf_levels = mask(r.eqf_levels());
  f.forms = mask(r.forms_of_participation());
  f.assessments = mask(r.assessment_types());
  f.provider_types = mask(r.provider_types());
  auto id_of = [&](Facet facet, const std::string& value) -> std::optional<uint32_t> {
    if (facet_ids_.empty()) return std::nullopt;
    auto it = facet_ids_[facet].find(value);
    if (it == facet_ids_[facet].end()) return std::nullopt;
    return it->second;
  };
  if (!r.countries().empty()) {
    f.countries.assign(facet_values_.empty() ? 1 : facet_values_[kCountry].size() + 1, false);
    for (const std::string& country : r.countries()) {
      if (auto id = id_of(kCountry, country)) f.countries[*id] = true;
    }
  }
  if (!r.ecosystems().empty()) {
    f.ecosystems.assign(facet_values_.empty() ? 1 : facet_values_[kEcosystem].size() + 1, false);
    for (const std::string& ecosystem : r.ecosystems()) {
      if (auto id = id_of(kEcosystem, ecosystem)) f.ecosystems[*id] = true;
    }
  }
  if (!r.languages().empty()) {
    f.any_language = false;
    for (const std::string& language : r.languages()) {
      if (auto id = id_of(kLanguage, language); id && *id < 256) {
        f.languages[*id / 64] |= 1ull << (*id % 64);
      }
    }
  }
  return f;
}

bool SearchIndex::Passes(uint32_t doc, const Filter& f,
                         const SearchSpecificationsRequest& r) const {
  const Columns& c = columns_[doc];
  if (c.withdrawn && !r.include_withdrawn()) return false;
  if (!(f.eqf_levels & (1u << (c.eqf_level & 31)))) return false;
  if (!(f.forms & (1u << (c.form & 31)))) return false;
  if (!(f.assessments & (1u << (c.assessment & 31)))) return false;
  if (!(f.provider_types & c.provider_types)) return false;
  if (r.ects().min() > 0 && c.ects < r.ects().min()) return false;
  if (r.ects().max() > 0 && (c.ects < 0 || c.ects > r.ects().max())) return false;
  if (r.only_stackable() && !c.stackable) return false;
  if (r.only_credit_bearing() && !c.credit_bearing) return false;
  if (!f.countries.empty() && (c.country >= f.countries.size() || !f.countries[c.country])) {
    return false;
  }
  if (!f.ecosystems.empty() && (c.ecosystem >= f.ecosystems.size() || !f.ecosystems[c.ecosystem])) {
    return false;
  }
  if (!f.any_language) {
    uint64_t any = 0;
    for (size_t i = 0; i < c.languages.size(); ++i) any |= c.languages[i] & f.languages[i];
    if (any == 0) return false;
  }
  // Rarely used filters read the specification itself.
  if (r.providers().empty() && r.isced_f_codes().empty() && r.esco_skills().empty()) return true;
  const v1::SpecificationContent& content = entries_[doc].spec.content();
  if (!AnyAllowed(r.providers(), content.awarding_bodies())) return false;
  if (!r.isced_f_codes().empty()) {
    bool any = false;
    for (const std::string& prefix : r.isced_f_codes()) {
      any = any || (!prefix.empty() && content.isced_f_code().rfind(prefix, 0) == 0);
    }
    if (!any) return false;
  }
  if (!r.esco_skills().empty()) {
    bool any = false;
    for (const v1::LearningOutcome& o : content.learning_outcomes()) {
      any = any || AllowedBy(r.esco_skills(), o.esco_skill_uri());
    }
    if (!any) return false;
  }
  return true;
}

std::shared_ptr<const std::vector<uint32_t>> SearchIndex::TitleRanks() const {
  std::lock_guard lock(ranks_mu_);
  if (ranks_) return ranks_;
  std::vector<uint32_t> order(entries_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Entry& ea = entries_[a];
    const Entry& eb = entries_[b];
    if (ea.folded_title != eb.folded_title) return ea.folded_title < eb.folded_title;
    return ea.spec.specification_id() < eb.spec.specification_id();
  });
  auto ranks = std::make_shared<std::vector<uint32_t>>(entries_.size());
  for (uint32_t position = 0; position < order.size(); ++position) {
    (*ranks)[order[position]] = position;
  }
  ranks_ = std::move(ranks);
  return ranks_;
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
  const Filter filter = Resolve(request);
  Postings hits;
  auto keep = [&](uint32_t doc, uint32_t score) {
    if (Passes(doc, filter, request)) hits.push_back({doc, score});
  };
  std::vector<std::string> words = domain::FoldToWords(request.text());
  if (words.empty()) {
    for (uint32_t doc = 0; doc < entries_.size(); ++doc) keep(doc, 0);
  } else {
    for (const Posting& p : MatchWords(words)) keep(p.doc, p.score);
  }

  std::vector<std::vector<int64_t>> counts(facet_values_.size());
  for (size_t f = 0; f < counts.size(); ++f) counts[f].assign(facet_values_[f].size(), 0);
  for (const Posting& hit : hits) {
    const Columns& c = columns_[hit.doc];
    for (uint32_t i = c.facets_begin; i < c.facets_begin + c.facets_count; ++i) {
      ++counts[facet_pool_[i].facet][facet_pool_[i].value];
    }
  }

  const std::shared_ptr<const std::vector<uint32_t>> ranks = TitleRanks();
  auto before = [&](const Posting& a, const Posting& b) {
    if (a.score != b.score) return a.score > b.score;
    return (*ranks)[a.doc] < (*ranks)[b.doc];
  };
  const size_t end = std::min(hits.size(), *offset + page_size);
  if (*offset < end) std::partial_sort(hits.begin(), hits.begin() + end, hits.end(), before);

  v1::SearchSpecificationsResponse response;
  response.set_total(static_cast<int64_t>(hits.size()));
  for (size_t i = *offset; i < end; ++i) *response.add_results() = entries_[hits[i].doc].spec;
  if (end < hits.size()) response.set_next_page_token("o" + std::to_string(end));
  for (size_t f = 0; f < counts.size(); ++f) {
    std::vector<uint32_t> values;
    for (uint32_t v = 0; v < counts[f].size(); ++v) {
      if (counts[f][v] > 0) values.push_back(v);
    }
    if (values.empty()) continue;
    std::sort(values.begin(), values.end(), [&](uint32_t a, uint32_t b) {
      if (counts[f][a] != counts[f][b]) return counts[f][a] > counts[f][b];
      return facet_values_[f][a] < facet_values_[f][b];
    });
    v1::Facet* facet = response.add_facets();
    facet->set_name(kFacetNames[f]);
    for (uint32_t v : values) {
      v1::FacetCount* count = facet->add_counts();
      count->set_value(facet_values_[f][v]);
      count->set_count(counts[f][v]);
    }
  }
  return response;
}

size_t SearchIndex::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace microcred::catalogue
