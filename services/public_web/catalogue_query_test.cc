#include "services/public_web/catalogue_query.h"

#include <gtest/gtest.h>

namespace microcred::web {
namespace {

TEST(ParseCatalogueQueryTest, EveryFacetParameterBecomesItsFilter) {
  auto request = ParseCatalogueQuery({{"q", "data"},
                                      {"eqf", "6"},
                                      {"eqf", "7"},
                                      {"assessment", "ASSESSMENT_TYPE_PROJECT"},
                                      {"country", "BE"},
                                      {"credit_bearing", "true"},
                                      {"ecosystem", "fwb"},
                                      {"ecosystem", "eu-alliance_2"},
                                      {"form", "FORM_OF_PARTICIPATION_ONLINE"},
                                      {"isced", "06"},
                                      {"language", "fr"},
                                      {"provider", "uclouvain"},
                                      {"provider_type", "PROVIDER_TYPE_HIGHER_EDUCATION"},
                                      {"stackable", "true"},
                                      {"ects_min", "2"},
                                      {"ects_max", "5.5"},
                                      {"page", "o20"},
                                      {"lang", "fr"}});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->text(), "data");
  EXPECT_EQ(request->eqf_levels_size(), 2);
  EXPECT_EQ(request->assessment_types(0), common::v1::ASSESSMENT_TYPE_PROJECT);
  EXPECT_EQ(request->countries(0), "BE");
  EXPECT_TRUE(request->only_credit_bearing());
  EXPECT_EQ(request->ecosystems_size(), 2);
  EXPECT_EQ(request->ecosystems(1), "eu-alliance_2");
  EXPECT_EQ(request->forms_of_participation(0), common::v1::FORM_OF_PARTICIPATION_ONLINE);
  EXPECT_EQ(request->isced_f_codes(0), "06");
  EXPECT_EQ(request->languages(0), "fr");
  EXPECT_EQ(request->providers(0), "uclouvain");
  EXPECT_EQ(request->provider_types(0), common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  EXPECT_TRUE(request->only_stackable());
  EXPECT_EQ(request->ects().min(), 2);
  EXPECT_EQ(request->ects().max(), 5.5);
  EXPECT_EQ(request->page_token(), "o20");
  EXPECT_EQ(request->page_size(), kCataloguePageSize);
}

TEST(ParseCatalogueQueryTest, EmptyValuesAreIgnored) {
  auto request = ParseCatalogueQuery({{"ects_min", ""}, {"q", ""}});
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->ects().min(), 0);
}

TEST(ParseCatalogueQueryTest, BadValuesNameTheParameter) {
  const std::string long_id(65, 'e');
  const std::pair<const char*, const char*> bad[] = {
      {"eqf", "9"},         {"eqf", "six"},       {"assessment", "EXAM"},
      {"form", "x"},        {"country", "be"},    {"language", "fra"},
      {"isced", "6"},       {"provider", "A B"},  {"provider_type", "PROVIDER_TYPE_UNSPECIFIED"},
      {"stackable", "yes"}, {"ects_min", "-1"},   {"ects_max", "lots"},
      {"ecosystem", "a b"}, {"ecosystem", "x/y"}, {"ecosystem", long_id.c_str()},
  };
  for (const auto& [name, value] : bad) {
    auto request = ParseCatalogueQuery({{name, value}});
    ASSERT_FALSE(request.ok()) << name << "=" << value;
    EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(request.status().message().substr(0, std::string(name).size() + 1),
              std::string(name) + ":")
        << request.status();
  }
  auto crossed = ParseCatalogueQuery({{"ects_min", "5"}, {"ects_max", "2"}});
  EXPECT_FALSE(crossed.ok());
}

TEST(ToggleTest, AddsOrRemovesAFilterAndDropsThePage) {
  const QueryParams params = {{"q", "data"}, {"eqf", "6"}, {"page", "o20"}, {"lang", "fr"}};
  EXPECT_EQ(Toggle(params, "eqf", "7"), (QueryParams{{"q", "data"}, {"eqf", "6"}, {"eqf", "7"}}));
  EXPECT_EQ(Toggle(params, "eqf", "6"), (QueryParams{{"q", "data"}}));
}

TEST(FacetParameterTest, NamesTheParameterOfEachFacet) {
  EXPECT_EQ(FacetParameter("eqf_level"), "eqf");
  EXPECT_EQ(FacetParameter("isced_f_broad"), "isced");
  EXPECT_EQ(FacetParameter("ecosystem"), "ecosystem");
  EXPECT_EQ(FacetParameter("unknown"), "");
}

}  // namespace
}  // namespace microcred::web
