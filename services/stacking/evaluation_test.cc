// Evaluation, case by case: each rule type, recognition, caps, sharing, filters, what-if, and
// instances where assigning greedily (in the order given) would report the learner short.
#include "services/stacking/evaluation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "services/stacking/credential_filter.h"
#include "services/stacking/testing/builders.h"
#include "services/stacking/testing/generators.h"

namespace microcred::stacking {
namespace {

using testing::Cred;
using testing::GroupReq;
using testing::LeafReq;
using testing::PathwayOf;
using v1::COMBINATOR_ALL_OF;
using v1::COMBINATOR_ANY_OF;
using v1::COMBINATOR_AT_LEAST;

const EvaluationContext kContext{.evaluation_date = absl::CivilDay(2025, 6, 1)};

v1::EvaluationResult Eval(const v1::Pathway& p, const std::vector<v1::CredentialFacts>& c) {
  absl::StatusOr<v1::EvaluationResult> r = Evaluate(p, c, kContext);
  EXPECT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->optimal());
  return *r;
}

// credential id -> requirement ids, joined.
std::map<std::string, std::string> Assigned(const v1::EvaluationResult& r) {
  std::map<std::string, std::string> out;
  for (const v1::Assignment& a : r.assignments()) {
    std::string ids;
    for (const std::string& id : a.requirement_ids()) ids += (ids.empty() ? "" : "+") + id;
    out[a.credential_id()] = ids;
  }
  return out;
}

const v1::RequirementProgress& Progress(const v1::EvaluationResult& r, const std::string& id) {
  for (const v1::RequirementProgress& p : r.requirements()) {
    if (p.requirement_id() == id) return p;
  }
  static const v1::RequirementProgress kNone;
  ADD_FAILURE() << "no progress for " << id;
  return kNone;
}

std::string UnusedReason(const v1::EvaluationResult& r, const std::string& id) {
  for (const v1::UnusedCredential& u : r.unused()) {
    if (u.credential_id() == id) return u.reason();
  }
  return "";
}

// ---- Greedy would fail ----

TEST(EvaluationGreedyTest, CredentialGoesWhereItIsIrreplaceable) {
  // Greedy in order gives A (0611) to "broad", then nothing fits "narrow".
  v1::Pathway p = PathwayOf(GroupReq(
      "root", COMBINATOR_ALL_OF, {LeafReq("broad", "06", 0, 1), LeafReq("narrow", "0611", 0, 1)}));
  v1::EvaluationResult r = Eval(p, {Cred("a", 5, "0611"), Cred("b", 5, "0612")});
  EXPECT_TRUE(r.satisfied());
  EXPECT_EQ(Assigned(r), (std::map<std::string, std::string>{{"a", "narrow"}, {"b", "broad"}}));
}

TEST(EvaluationGreedyTest, EctsSplitAcrossOverlappingRequirements) {
  // Greedy fills "field" with a and c (8 ECTS); "narrow" then finds nothing left.
  v1::Pathway p = PathwayOf(GroupReq("root", COMBINATOR_ALL_OF,
                                     {LeafReq("field", "06", 6), LeafReq("narrow", "061", 4)}));
  v1::EvaluationResult r =
      Eval(p, {Cred("a", 4, "0611"), Cred("b", 2, "0621"), Cred("c", 4, "0612")});
  EXPECT_TRUE(r.satisfied());
  EXPECT_EQ(Progress(r, "narrow").assigned_ects(), 4);
  EXPECT_EQ(Progress(r, "field").assigned_ects(), 6);
}

TEST(EvaluationGreedyTest, CapMakesTheFirstChoiceWrong) {
  v1::Requirement root = GroupReq("root", COMBINATOR_ALL_OF,
                                  {LeafReq("data", "06", 0, 1), LeafReq("teaching", "07", 0, 1)});
  root.mutable_caps()->set_max_ects_per_issuer(5);
  v1::EvaluationResult r =
      Eval(PathwayOf(root), {Cred("a", 5, "0611", "ext-a"), Cred("b", 5, "0711", "ext-a"),
                             Cred("c", 3, "0612", "ext-b")});
  EXPECT_TRUE(r.satisfied());
  EXPECT_EQ(Assigned(r), (std::map<std::string, std::string>{{"b", "teaching"}, {"c", "data"}}));
  EXPECT_NE(UnusedReason(r, "a"), "");
}

TEST(EvaluationGreedyTest, LeastEctsConsumed) {
  // Largest first would take 6 + 5 = 11.
  v1::Pathway p = PathwayOf(LeafReq("only", "06", 10));
  v1::EvaluationResult r =
      Eval(p, {Cred("big", 6, "0611"), Cred("x", 5, "0611"), Cred("y", 5, "0612")});
  EXPECT_TRUE(r.satisfied());
  EXPECT_EQ(r.counted_ects(), 10);
  EXPECT_EQ(UnusedReason(r, "big"), "not needed: the requirements it matches are met without it");
}

TEST(EvaluationGreedyTest, AtLeastPicksTheFeasibleCombination) {
  // "x" is the first child any order would try for a; only a can satisfy "z".
  v1::Pathway p = PathwayOf(GroupReq(
      "root", COMBINATOR_AT_LEAST,
      {LeafReq("x", "06", 0, 1), LeafReq("y", "0612", 0, 1), LeafReq("z", "0611", 0, 1)}, 0, 2));
  v1::EvaluationResult r = Eval(p, {Cred("a", 3, "0611"), Cred("b", 3, "0612")});
  EXPECT_TRUE(r.satisfied());
  EXPECT_EQ(r.assignments_size(), 2);
}

// ---- Rule types and shortfall ----

TEST(EvaluationRulesTest, AllOfSumsShortfalls) {
  v1::Pathway p = PathwayOf(
      GroupReq("root", COMBINATOR_ALL_OF, {LeafReq("a", "06", 5), LeafReq("b", "07", 0, 2)}));
  v1::EvaluationResult r = Eval(p, {Cred("c1", 3, "0611"), Cred("c2", 3, "0711")});
  EXPECT_FALSE(r.satisfied());
  EXPECT_EQ(r.ects_short(), 2);
  EXPECT_EQ(r.credentials_short(), 1);
  EXPECT_EQ(Progress(r, "a").ects_short(), 2);
  EXPECT_EQ(Progress(r, "b").credentials_short(), 1);
}

TEST(EvaluationRulesTest, AnyOfTakesTheSmallestShortfall) {
  v1::Pathway p = PathwayOf(
      GroupReq("root", COMBINATOR_ANY_OF, {LeafReq("a", "06", 10), LeafReq("b", "07", 4)}));
  v1::EvaluationResult r = Eval(p, {Cred("c1", 3, "0611"), Cred("c2", 3, "0711")});
  EXPECT_FALSE(r.satisfied());
  EXPECT_EQ(r.ects_short(), 1);  // b is 1 short, a 7
}

TEST(EvaluationRulesTest, AtLeastSumsTheSmallestShortfalls) {
  v1::Pathway p = PathwayOf(
      GroupReq("root", COMBINATOR_AT_LEAST,
               {LeafReq("a", "06", 10), LeafReq("b", "07", 4), LeafReq("c", "03", 5)}, 0, 2));
  v1::EvaluationResult r = Eval(p, {Cred("c1", 3, "0611"), Cred("c2", 3, "0711")});
  EXPECT_EQ(r.ects_short(), 1 + 5);  // b (1) and c (5), not a (7)
}

TEST(EvaluationRulesTest, GroupMinimumCountsDistinctCredentialsBelow) {
  v1::Pathway p = PathwayOf(GroupReq("root", COMBINATOR_ALL_OF,
                                     {LeafReq("a", "06", 2), LeafReq("electives", "", 0)}, 12));
  v1::EvaluationResult r = Eval(p, {Cred("c1", 4, "0611"), Cred("c2", 5, "0311")});
  EXPECT_FALSE(r.satisfied());
  EXPECT_EQ(r.ects_short(), 3);  // max(children 0, 12 - 9)
  r = Eval(p, {Cred("c1", 4, "0611"), Cred("c2", 5, "0311"), Cred("c3", 3, "0911")});
  EXPECT_TRUE(r.satisfied());
  EXPECT_EQ(Progress(r, "root").assigned_ects(), 12);
}

TEST(EvaluationRulesTest, EmptyPathwayEvaluationListsProgressForEveryNode) {
  v1::Pathway p = PathwayOf(
      GroupReq("root", COMBINATOR_ALL_OF,
               {LeafReq("a", "06", 5), GroupReq("g", COMBINATOR_ANY_OF, {LeafReq("b", "07", 3)})}));
  v1::EvaluationResult r = Eval(p, {});
  ASSERT_EQ(r.requirements_size(), 4);
  EXPECT_EQ(r.requirements(0).requirement_id(), "root");
  EXPECT_EQ(r.requirements(1).requirement_id(), "a");
  EXPECT_EQ(r.ects_short(), 8);
}

// ---- Recognition, equivalences ----

TEST(EvaluationRecognitionTest, ExternalWithoutPositiveDecisionDoesNotCount) {
  v1::Pathway p = PathwayOf(LeafReq("a", "06", 5));
  for (v1::RecognitionStatus status :
       {v1::RECOGNITION_STATUS_UNSPECIFIED, v1::RECOGNITION_STATUS_PENDING,
        v1::RECOGNITION_STATUS_REFUSED}) {
    v1::CredentialFacts c = Cred("ext", 5, "0611", "ext-a");
    c.set_recognition(status);
    v1::EvaluationResult r = Eval(p, {c});
    EXPECT_FALSE(r.satisfied());
    EXPECT_NE(UnusedReason(r, "ext").find("recognition:"), std::string::npos);
    ASSERT_EQ(Progress(r, "a").near_misses_size(), 1);
    EXPECT_NE(Progress(r, "a").near_misses(0).reasons(0).find("recognition"), std::string::npos);
  }
}

TEST(EvaluationRecognitionTest, RecognisedEctsCountInsteadOfTheCredentials) {
  v1::Pathway p = PathwayOf(LeafReq("a", "06", 5));
  v1::CredentialFacts c = Cred("ext", 5, "0611", "ext-a");
  c.set_recognised_ects(3);
  v1::EvaluationResult r = Eval(p, {c});
  EXPECT_FALSE(r.satisfied());
  EXPECT_EQ(r.ects_short(), 2);
  EXPECT_EQ(r.assignments(0).counted_ects(), 3);
}

TEST(EvaluationRecognitionTest, DeclaredEquivalenceCountsWithoutDecision) {
  v1::Pathway p = PathwayOf(LeafReq("a", "06", 5));
  p.add_equivalences()->set_issuer_group("una-europa");
  v1::CredentialFacts c = Cred("ext", 5, "0611", "ext-a");
  c.clear_recognition();
  c.add_issuer_groups("una-europa");
  EXPECT_TRUE(Eval(p, {c}).satisfied());
  // The same through the ecosystem policy instead of the pathway.
  p.clear_equivalences();
  EvaluationContext context = kContext;
  context.policy_equivalences.emplace_back().set_issuer_institution_id("ext-a");
  absl::StatusOr<v1::EvaluationResult> r =
      Evaluate(p, std::vector<v1::CredentialFacts>{c}, context);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->satisfied());
}

// ---- Caps and sharing ----

TEST(EvaluationCapsTest, ExternalCapLimitsWhatIsAssigned) {
  v1::Requirement leaf = LeafReq("a", "06", 10);
  leaf.mutable_caps()->set_max_external_ects(5);
  v1::EvaluationResult r =
      Eval(PathwayOf(leaf),
           {Cred("e1", 5, "0611", "ext-a"), Cred("e2", 5, "0611", "ext-b"), Cred("h1", 3, "0611")});
  EXPECT_FALSE(r.satisfied());
  EXPECT_EQ(r.ects_short(), 2);  // 5 external + 3 internal
  EXPECT_NE(UnusedReason(r, "e1") + UnusedReason(r, "e2"), "");
  const std::string reason =
      UnusedReason(r, "e1").empty() ? UnusedReason(r, "e2") : UnusedReason(r, "e1");
  EXPECT_EQ(reason.rfind("caps: a allows at most 5 ECTS from outside home", 0), 0u) << reason;
}

TEST(EvaluationCapsTest, PerIssuerCapAppliesToTheGroup) {
  v1::Requirement root =
      GroupReq("root", COMBINATOR_ALL_OF, {LeafReq("a", "06", 4), LeafReq("b", "07", 4)});
  root.mutable_caps()->set_max_ects_per_issuer(6);
  v1::EvaluationResult r =
      Eval(PathwayOf(root), {Cred("x", 4, "0611", "ext-a"), Cred("y", 4, "0711", "ext-a")});
  EXPECT_EQ(r.ects_short(), 4);
  EXPECT_EQ(r.assignments_size(), 1);
}

TEST(EvaluationSharingTest, CredentialCountsOnceByDefault) {
  v1::Pathway p = PathwayOf(
      GroupReq("root", COMBINATOR_ALL_OF, {LeafReq("a", "06", 5), LeafReq("b", "061", 5)}));
  v1::EvaluationResult r = Eval(p, {Cred("c", 5, "0611")});
  EXPECT_FALSE(r.satisfied());
  EXPECT_EQ(r.ects_short(), 5);
  const v1::RequirementProgress& unmet =
      Progress(r, "a").satisfied() ? Progress(r, "b") : Progress(r, "a");
  ASSERT_EQ(unmet.near_misses_size(), 1);
  EXPECT_EQ(unmet.near_misses(0).reasons(0).rfind("sharing: already counted for", 0), 0u);
}

TEST(EvaluationSharingTest, SharingRequirementReusesCredentials) {
  v1::Requirement shared = LeafReq("b", "061", 5);
  shared.set_allow_sharing(true);
  v1::Pathway p = PathwayOf(GroupReq("root", COMBINATOR_ALL_OF, {LeafReq("a", "06", 5), shared}));
  v1::EvaluationResult r = Eval(p, {Cred("c", 5, "0611")});
  EXPECT_TRUE(r.satisfied());
  EXPECT_EQ(Assigned(r).at("c"), "a+b");
  EXPECT_EQ(r.counted_ects(), 5);  // consumed once
}

// ---- Filters ----

TEST(EvaluationFilterTest, MaxAgeAtEvaluationDate) {
  v1::Requirement leaf = LeafReq("a", "06", 5);
  leaf.mutable_filter()->set_max_age_days(365);
  v1::CredentialFacts old = Cred("old", 5, "0611");
  old.mutable_issued_on()->set_year(2024);
  old.mutable_issued_on()->set_month(5);
  v1::EvaluationResult r = Eval(PathwayOf(leaf), {old});
  EXPECT_FALSE(r.satisfied());
  ASSERT_EQ(Progress(r, "a").near_misses_size(), 1);
  EXPECT_EQ(Progress(r, "a").near_misses(0).reasons(0).rfind("max_age_days: issued ", 0), 0u);
  old.mutable_issued_on()->set_year(2025);
  EXPECT_TRUE(Eval(PathwayOf(leaf), {old}).satisfied());
}

struct FilterCase {
  std::string name;
  std::function<void(v1::CredentialFilter&)> set;
  std::string failure_prefix;  // for Cred("c", 5, "0611") with the builders' defaults
};

TEST(EvaluationFilterTest, EveryCriterionAcceptsAndRefuses) {
  const absl::CivilDay today(2025, 6, 1);
  const v1::CredentialFacts c = Cred("c", 5, "0611", "home");
  const std::vector<FilterCase> cases = {
      {"specifications", [](auto& f) { f.add_specifications()->set_specification_id("x/y"); },
       "specifications:"},
      {"issuers", [](auto& f) { f.add_issuer_institution_ids("other"); },
       "issuer_institution_ids:"},
      {"groups", [](auto& f) { f.add_issuer_groups("alliance"); }, "issuer_groups:"},
      {"provider", [](auto& f) { f.add_provider_types(common::v1::PROVIDER_TYPE_VET); },
       "provider_types:"},
      {"min eqf", [](auto& f) { f.set_min_eqf_level(7); }, "min_eqf_level:"},
      {"max eqf", [](auto& f) { f.set_max_eqf_level(5); }, "max_eqf_level:"},
      {"isced", [](auto& f) { f.add_isced_f_codes("07"); }, "isced_f_codes:"},
      {"esco",
       [](auto& f) {
         f.add_esco_skill_uris(
             "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000");
       },
       "esco_skill_uris:"},
      {"assessment", [](auto& f) { f.add_assessment_types(common::v1::ASSESSMENT_TYPE_PORTFOLIO); },
       "assessment_types:"},
      {"grade", [](auto& f) { f.set_min_grade(50); }, "min_grade:"},
      {"age", [](auto& f) { f.set_max_age_days(30); }, "max_age_days:"},
  };
  for (const FilterCase& fc : cases) {
    v1::CredentialFilter f;
    fc.set(f);
    const std::vector<const v1::CredentialFilter*> filters = {&f};
    std::vector<std::string> failures = FilterFailures(filters, c, today);
    ASSERT_EQ(failures.size(), 1u) << fc.name;
    EXPECT_EQ(failures[0].rfind(fc.failure_prefix, 0), 0u) << failures[0];
    EXPECT_FALSE(PassesFilters(filters, c, today)) << fc.name;
  }
  // And the matching values pass.
  v1::CredentialFilter f;
  f.add_specifications()->set_specification_id("home/spec-c");
  f.add_issuer_institution_ids("home");
  f.add_provider_types(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  f.set_min_eqf_level(6);
  f.set_max_eqf_level(6);
  f.add_isced_f_codes("061");
  f.add_assessment_types(common::v1::ASSESSMENT_TYPE_WRITTEN_EXAM);
  f.set_min_supervision(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  f.set_max_age_days(365);
  v1::CredentialFacts graded = c;
  graded.set_grade(75);
  f.set_min_grade(60);
  const std::vector<const v1::CredentialFilter*> filters = {&f};
  EXPECT_TRUE(PassesFilters(filters, graded, today));
  graded.set_supervision(common::v1::SUPERVISION_SUPERVISED_ONLINE);
  EXPECT_EQ(FilterFailures(filters, graded, today).at(0).rfind("min_supervision:", 0), 0u);
}

TEST(EvaluationFilterTest, GroupFilterAppliesToItsLeaves) {
  v1::Requirement group = GroupReq("g", COMBINATOR_ALL_OF, {LeafReq("a", "06", 5)});
  group.mutable_filter()->set_min_eqf_level(7);
  v1::EvaluationResult r = Eval(PathwayOf(group), {Cred("c", 5, "0611")});
  EXPECT_FALSE(r.satisfied());
  EXPECT_EQ(UnusedReason(r, "c"), "matches no requirement of the pathway");
}

// ---- Input handling, determinism, what-if ----

TEST(EvaluationInputTest, DuplicateOrMissingIdsAreRefused) {
  v1::Pathway p = PathwayOf(LeafReq("a", "06", 5));
  EXPECT_EQ(
      Evaluate(p, std::vector{Cred("x", 1, "06"), Cred("x", 2, "06")}, kContext).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Evaluate(p, std::vector{Cred("", 1, "06")}, kContext).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::Pathway no_rules = p;
  no_rules.clear_rules();
  EXPECT_EQ(Evaluate(no_rules, {}, kContext).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EvaluationDeterminismTest, SameAnswerForAnyOrderAndRepeatedCalls) {
  const testing::Shape shape{.requirements = 10, .caps = false};
  const v1::Pathway p = testing::RealisticPathway(3, shape);
  std::vector<v1::CredentialFacts> c = testing::RealisticCredentials(4, 40, shape);
  const std::string first = Eval(p, c).SerializeAsString();
  EXPECT_EQ(Eval(p, c).SerializeAsString(), first);
  std::reverse(c.begin(), c.end());
  EXPECT_EQ(Eval(p, c).SerializeAsString(), first);
}

TEST(EvaluationWhatIfTest, HypotheticalCredentialCompletesThePathway) {
  v1::Pathway p = PathwayOf(
      GroupReq("root", COMBINATOR_ALL_OF, {LeafReq("a", "06", 5), LeafReq("b", "07", 5)}));
  const std::vector<v1::CredentialFacts> held = {Cred("h", 5, "0611")};
  EXPECT_FALSE(Eval(p, held).satisfied());
  const std::vector<v1::CredentialFacts> extra = {Cred("maybe", 5, "0711")};
  absl::StatusOr<v1::EvaluationResult> r = WhatIf(p, held, extra, kContext);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->satisfied());
  for (const v1::Assignment& a : r->assignments()) {
    EXPECT_EQ(a.hypothetical(), a.credential_id() == "maybe");
  }
}

}  // namespace
}  // namespace microcred::stacking
