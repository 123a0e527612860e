// Suggestions: least added ECTS first, then fewest credentials, from the catalogue.
#include "services/stacking/suggestions.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "services/stacking/testing/builders.h"
#include "services/stacking/testing/generators.h"

namespace microcred::stacking {
namespace {

using testing::Cred;
using testing::GroupReq;
using testing::LeafReq;
using testing::PathwayOf;
using testing::Spec;

const EvaluationContext kContext{.evaluation_date = absl::CivilDay(2025, 6, 1)};

v1::Suggestion SuggestFor(const v1::Pathway& p, const std::vector<v1::CredentialFacts>& held,
                          const std::vector<v1::SpecificationSummary>& catalogue) {
  CatalogueIndex index(catalogue);
  absl::StatusOr<v1::Suggestion> s = Suggest(p, held, index, kContext);
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

std::set<std::string> Ids(const v1::Suggestion& s) {
  std::set<std::string> ids;
  for (const auto& spec : s.specifications()) ids.insert(spec.specification().specification_id());
  return ids;
}

TEST(SuggestionsTest, LeastAddedEctsFirst) {
  v1::Pathway p = PathwayOf(LeafReq("a", "06", 7));
  v1::Suggestion s =
      SuggestFor(p, {},
                 {Spec("four", 4, "0611"), Spec("four-b", 4, "0612"), Spec("eight", 8, "0611"),
                  Spec("seven-half", 7.5, "0613"), Spec("elsewhere", 7, "0711")});
  EXPECT_TRUE(s.completes_pathway());
  EXPECT_EQ(s.added_ects(), 7.5);
  EXPECT_EQ(Ids(s), std::set<std::string>{"home/seven-half"});
}

TEST(SuggestionsTest, FewestCredentialsAmongEqualEcts) {
  v1::Pathway p = PathwayOf(LeafReq("a", "06", 10));
  v1::Suggestion s = SuggestFor(p, {},
                                {Spec("five", 5, "0611"), Spec("five-b", 5, "0612"),
                                 Spec("ten", 10, "0613"), Spec("six", 6, "0611")});
  EXPECT_EQ(s.added_ects(), 10);
  EXPECT_EQ(Ids(s), std::set<std::string>{"home/ten"});
}

TEST(SuggestionsTest, CountsWhatTheLearnerHoldsAndSkipsItsSpecifications) {
  v1::Pathway p = PathwayOf(
      GroupReq("root", v1::COMBINATOR_ALL_OF, {LeafReq("a", "06", 5), LeafReq("b", "07", 5)}));
  v1::CredentialFacts held = Cred("h", 5, "0611");
  held.mutable_specification()->set_specification_id("home/held");
  v1::Suggestion s = SuggestFor(
      p, {held}, {Spec("held", 1, "0711"), Spec("teach", 5, "0711"), Spec("data", 5, "0611")});
  EXPECT_EQ(Ids(s), std::set<std::string>{"home/teach"});
  EXPECT_EQ(s.added_ects(), 5);
  ASSERT_EQ(s.specifications_size(), 1);
  EXPECT_EQ(s.specifications(0).requirement_ids(0), "b");
  EXPECT_FALSE(s.specifications(0).needs_recognition());
}

TEST(SuggestionsTest, ExternalSpecificationsNeedRecognition) {
  v1::Pathway p = PathwayOf(LeafReq("a", "07", 3));
  v1::Suggestion s = SuggestFor(p, {}, {Spec("x", 3, "0711", "ext-a")});
  ASSERT_EQ(s.specifications_size(), 1);
  EXPECT_TRUE(s.specifications(0).needs_recognition());
}

TEST(SuggestionsTest, SatisfiedPathwayNeedsNothing) {
  v1::Pathway p = PathwayOf(LeafReq("a", "06", 5));
  v1::Suggestion s = SuggestFor(p, {Cred("h", 5, "0611")}, {Spec("x", 5, "0611")});
  EXPECT_TRUE(s.completes_pathway());
  EXPECT_EQ(s.specifications_size(), 0);
}

TEST(SuggestionsTest, IncompletableReportsTheLeastShortfall) {
  v1::Pathway p = PathwayOf(
      GroupReq("root", v1::COMBINATOR_ALL_OF, {LeafReq("a", "06", 5), LeafReq("b", "09", 5)}));
  v1::Suggestion s = SuggestFor(p, {}, {Spec("x", 5, "0611")});
  EXPECT_FALSE(s.completes_pathway());
  EXPECT_EQ(s.ects_short_after(), 5);
  EXPECT_EQ(Ids(s), std::set<std::string>{"home/x"});
}

TEST(SuggestionsTest, GeneratedCatalogueCompletesTheGeneratedPathway) {
  const testing::Shape shape{.requirements = 10, .caps = false};
  const v1::Pathway p = testing::RealisticPathway(1, shape);
  const auto held = testing::RealisticCredentials(2, 20, shape);
  const auto catalogue = testing::RealisticCatalogue(3, 20000, shape);
  v1::Suggestion s = SuggestFor(p, held, catalogue);
  EXPECT_TRUE(s.completes_pathway());
  EXPECT_TRUE(s.optimal());
  // Adding the suggestion to what is held satisfies the pathway.
  std::vector<v1::CredentialFacts> hypothetical;
  for (const auto& spec : s.specifications()) {
    v1::CredentialFacts c = Cred("new-" + spec.specification().specification_id(), spec.ects(), "");
    for (const auto& entry : catalogue) {
      if (entry.specification().specification_id() != spec.specification().specification_id()) {
        continue;
      }
      *c.mutable_specification() = entry.specification();
      c.set_issuer_institution_id(entry.issuer_institution_id());
      c.set_eqf_level(entry.eqf_level());
      c.set_isced_f_code(entry.isced_f_code());
      c.set_recognition(v1::RECOGNITION_STATUS_RECOGNISED);
    }
    hypothetical.push_back(c);
  }
  absl::StatusOr<v1::EvaluationResult> r = WhatIf(p, held, hypothetical, kContext);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->satisfied());
}

}  // namespace
}  // namespace microcred::stacking
