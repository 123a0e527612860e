#include "services/catalogue/search_index.h"

#include <gtest/gtest.h>

#include "libs/domain/testing/sample_catalogue.h"

namespace microcred::catalogue {
namespace {

using common::v1::PROVIDER_TYPE_HIGHER_EDUCATION;
using common::v1::PROVIDER_TYPE_VET;

v1::Specification Spec(const std::string& id, v1::SpecificationContent content,
                       const std::string& ecosystem = "fwb") {
  v1::Specification spec;
  spec.set_ecosystem_id(ecosystem);
  spec.set_specification_id(id);
  spec.set_version(1);
  spec.set_owner_institution(id.substr(0, id.find('/')));
  spec.set_status(v1::SPECIFICATION_STATUS_PUBLISHED);
  *spec.mutable_content() = std::move(content);
  return spec;
}

class SearchIndexTest : public testing::Test {
 protected:
  void SetUp() override {
    index_.Upsert(Spec("uclouvain/data", samples::DataLiteracy("uclouvain")),
                  {PROVIDER_TYPE_HIGHER_EDUCATION});
    index_.Upsert(Spec("uclouvain/ethics", samples::AiEthics("uclouvain"), "alliance"),
                  {PROVIDER_TYPE_HIGHER_EDUCATION});
    index_.Upsert(Spec("he-vinci/cloud", samples::CloudOperations("he-vinci")),
                  {PROVIDER_TYPE_HIGHER_EDUCATION});
    index_.Upsert(Spec("he-vinci/viz", samples::DataVisualisation("he-vinci")),
                  {PROVIDER_TYPE_HIGHER_EDUCATION});
    index_.Upsert(Spec("technofutur/python", samples::PythonBasics("technofutur"), "alliance"),
                  {PROVIDER_TYPE_VET});
  }

  std::vector<std::string> Ids(const v1::SearchSpecificationsRequest& request) {
    auto response = index_.Search(request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> ids;
    for (const auto& spec : response->results()) ids.push_back(spec.specification_id());
    return ids;
  }

  SearchIndex index_;
};

TEST_F(SearchIndexTest, EveryWordMustMatchAndTitleWordsRankFirst) {
  v1::SearchSpecificationsRequest r;
  r.set_text("data");
  // "data" is in both titles; the viz description also says "data" but ranks by title first.
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"uclouvain/data", "he-vinci/viz"}));
  r.set_text("data dashboard");
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"he-vinci/viz"}));
  r.set_text("data quantum");
  EXPECT_TRUE(Ids(r).empty());
}

TEST_F(SearchIndexTest, MatchingIgnoresCaseAndAccentsAndAcceptsPrefixes) {
  v1::SearchSpecificationsRequest r;
  r.set_text("ÉTHICS");
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"uclouvain/ethics"}));
  r.set_text("contain");  // prefix of "containers", "containerised"
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"he-vinci/cloud"}));
  r.set_text("da");  // too short to be a prefix: exact words only
  EXPECT_TRUE(Ids(r).empty());
}

TEST_F(SearchIndexTest, FiltersNarrowTheResults) {
  v1::SearchSpecificationsRequest r;
  r.add_eqf_levels(7);
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"uclouvain/ethics"}));
  r.Clear();
  r.mutable_ects()->set_min(4);
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"he-vinci/cloud", "uclouvain/ethics"}));
  r.Clear();
  r.mutable_ects()->set_max(3);  // an hours-only course has no ECTS and is excluded
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"uclouvain/data", "he-vinci/viz"}));
  r.Clear();
  r.add_provider_types(PROVIDER_TYPE_VET);
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"technofutur/python"}));
  r.Clear();
  r.add_providers("he-vinci");
  r.add_forms_of_participation(common::v1::FORM_OF_PARTICIPATION_ONSITE);
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"he-vinci/cloud"}));
  r.Clear();
  r.add_isced_f_codes("061");
  EXPECT_EQ(Ids(r).size(), 3u);
  r.Clear();
  r.add_assessment_types(common::v1::ASSESSMENT_TYPE_PORTFOLIO);
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"he-vinci/viz"}));
  r.Clear();
  r.add_esco_skills("http://data.europa.eu/esco/skill/0a2a6a86-4c6b-4e02-9b5c-5a3ee3f3a0b1");
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"uclouvain/data"}));
  r.Clear();
  r.add_countries("FR");  // a value no specification has
  EXPECT_TRUE(Ids(r).empty());
  r.Clear();
  r.add_languages("nl");
  EXPECT_TRUE(Ids(r).empty());
  r.add_languages("fr");
  EXPECT_EQ(Ids(r).size(), 5u);
  r.Clear();
  r.set_only_stackable(true);
  r.add_provider_types(PROVIDER_TYPE_VET);
  r.add_eqf_levels(4);
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"technofutur/python"}));
  r.Clear();
  r.set_only_credit_bearing(true);
  r.add_languages("en");
  r.add_countries("BE");
  EXPECT_EQ(Ids(r).size(), 4u);
}

TEST_F(SearchIndexTest, FacetsCountTheFilteredResults) {
  v1::SearchSpecificationsRequest r;
  r.add_providers("uclouvain");
  auto response = index_.Search(r);
  ASSERT_TRUE(response.ok());
  std::map<std::string, std::map<std::string, int64_t>> facets;
  for (const auto& f : response->facets()) {
    for (const auto& c : f.counts()) facets[f.name()][c.value()] = c.count();
  }
  EXPECT_EQ(facets["eqf_level"], (std::map<std::string, int64_t>{{"6", 1}, {"7", 1}}));
  EXPECT_EQ(facets["provider"], (std::map<std::string, int64_t>{{"uclouvain", 2}}));
  EXPECT_EQ(facets["language"]["fr"], 2);
}

std::map<std::string, int64_t> FacetOf(const v1::SearchSpecificationsResponse& response,
                                       const std::string& name) {
  std::map<std::string, int64_t> counts;
  for (const auto& f : response.facets()) {
    if (f.name() != name) continue;
    for (const auto& c : f.counts()) counts[c.value()] = c.count();
  }
  return counts;
}

TEST_F(SearchIndexTest, TheEcosystemFilterKeepsTheEcosystemsNamed) {
  v1::SearchSpecificationsRequest r;
  r.add_ecosystems("alliance");
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"uclouvain/ethics", "technofutur/python"}));
  r.add_provider_types(PROVIDER_TYPE_VET);
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"technofutur/python"}));
  r.Clear();
  r.add_ecosystems("fwb");
  r.add_ecosystems("alliance");  // any of the values
  EXPECT_EQ(Ids(r).size(), 5u);
  r.Clear();
  r.add_ecosystems("nowhere");  // an ecosystem no specification is in
  EXPECT_TRUE(Ids(r).empty());
  r.Clear();
  r.set_text("data");
  r.add_ecosystems("fwb");
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"uclouvain/data", "he-vinci/viz"}));
}

TEST_F(SearchIndexTest, TheEcosystemFacetCountsEveryFilteredResult) {
  v1::SearchSpecificationsRequest r;
  r.set_page_size(1);  // facets count every page's results
  auto all = index_.Search(r);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(FacetOf(*all, "ecosystem"),
            (std::map<std::string, int64_t>{{"alliance", 2}, {"fwb", 3}}));
  r.add_providers("uclouvain");
  auto uclouvain = index_.Search(r);
  ASSERT_TRUE(uclouvain.ok());
  EXPECT_EQ(FacetOf(*uclouvain, "ecosystem"),
            (std::map<std::string, int64_t>{{"alliance", 1}, {"fwb", 1}}));
  r.Clear();
  r.add_ecosystems("alliance");
  auto alliance = index_.Search(r);
  ASSERT_TRUE(alliance.ok());
  EXPECT_EQ(FacetOf(*alliance, "ecosystem"), (std::map<std::string, int64_t>{{"alliance", 2}}));
  EXPECT_EQ(FacetOf(*alliance, "provider_type"),
            (std::map<std::string, int64_t>{{"PROVIDER_TYPE_HIGHER_EDUCATION", 1},
                                            {"PROVIDER_TYPE_VET", 1}}));
}

TEST_F(SearchIndexTest, AnEntryWithoutEcosystemMatchesNoEcosystemFilter) {
  index_.Upsert(Spec("old/course", samples::PythonBasics("old"), ""), {PROVIDER_TYPE_VET});
  v1::SearchSpecificationsRequest r;
  r.add_ecosystems("fwb");
  EXPECT_EQ(Ids(r).size(), 3u);
  r.Clear();
  auto all = index_.Search(r);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total(), 6);
  EXPECT_EQ(FacetOf(*all, "ecosystem"),
            (std::map<std::string, int64_t>{{"alliance", 2}, {"fwb", 3}}));
}

TEST_F(SearchIndexTest, PagesAreDeterministicAndComplete) {
  v1::SearchSpecificationsRequest r;
  r.set_page_size(2);
  std::vector<std::string> all;
  for (int page = 0; page < 5; ++page) {
    auto response = index_.Search(r);
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->total(), 5);
    for (const auto& s : response->results()) all.push_back(s.specification_id());
    if (response->next_page_token().empty()) break;
    r.set_page_token(response->next_page_token());
  }
  // Alphabetical by folded title when there is no text.
  EXPECT_EQ(all, (std::vector<std::string>{"he-vinci/cloud", "uclouvain/data", "he-vinci/viz",
                                           "uclouvain/ethics", "technofutur/python"}));
}

TEST_F(SearchIndexTest, MalformedPagingIsInvalidArgument) {
  v1::SearchSpecificationsRequest r;
  r.set_page_size(1000);
  EXPECT_EQ(index_.Search(r).status().code(), absl::StatusCode::kInvalidArgument);
  r.set_page_size(10);
  r.set_page_token("o-5");
  auto bad = index_.Search(r);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("page_token"), std::string::npos);
}

TEST_F(SearchIndexTest, UpsertReplacesTheIndexedWords) {
  v1::SpecificationContent renamed = samples::AiEthics("uclouvain");
  renamed.set_title("Responsible machine learning");
  index_.Upsert(Spec("uclouvain/ethics", renamed), {PROVIDER_TYPE_HIGHER_EDUCATION});
  v1::SearchSpecificationsRequest r;
  r.set_text("ethics");
  EXPECT_TRUE(Ids(r).empty());
  r.set_text("responsible");
  EXPECT_EQ(Ids(r), (std::vector<std::string>{"uclouvain/ethics"}));
  EXPECT_EQ(index_.size(), 5u);
}

}  // namespace
}  // namespace microcred::catalogue
