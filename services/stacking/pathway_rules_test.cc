// Every refusal of ValidatePathway, with its code and the field path its message starts with.
#include "services/stacking/pathway_rules.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "services/stacking/testing/builders.h"

namespace microcred::stacking {
namespace {

using testing::GroupReq;
using testing::LeafReq;
using testing::PathwayOf;

v1::Pathway ValidPathway() {
  return PathwayOf(GroupReq("root", v1::COMBINATOR_ALL_OF,
                            {LeafReq("data", "06", 5), LeafReq("teaching", "07", 5)}));
}

v1::Requirement& Leaf0(v1::Pathway& p) {
  return *p.mutable_rules()->mutable_group()->mutable_children(0);
}

struct Refusal {
  std::string rule;
  std::function<void(v1::Pathway&)> spoil;
  absl::StatusCode code;
  std::string field;
  std::string profile = "fwb";
};

std::ostream& operator<<(std::ostream& os, const Refusal& r) { return os << r.rule; }

class PathwayRefusalTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(PathwayRefusalTest, IsRefusedNamingTheField) {
  v1::Pathway p = ValidPathway();
  GetParam().spoil(p);
  const absl::Status s = ValidatePathway(p, *domain::PolicyProfile::Named(GetParam().profile));
  EXPECT_EQ(s.code(), GetParam().code) << s;
  EXPECT_EQ(std::string(s.message()).rfind(GetParam().field + ":", 0), 0u) << s;
}

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;

INSTANTIATE_TEST_SUITE_P(
    Rules, PathwayRefusalTest,
    ::testing::Values(
        Refusal{"bad id", [](auto& p) { p.set_pathway_id("no-slash"); }, kInvalid, "pathway_id"},
        Refusal{"other owner", [](auto& p) { p.set_owner_institution("other"); }, kInvalid,
                "pathway_id"},
        Refusal{"no title", [](auto& p) { p.clear_title(); }, kInvalid, "title"},
        Refusal{"no target", [](auto& p) { p.mutable_target()->clear_kind(); }, kInvalid,
                "target.kind"},
        Refusal{
            "degree target",
            [](auto& p) { p.mutable_target()->set_kind(v1::TARGET_KIND_INITIAL_EDUCATION_DEGREE); },
            kInvalid, "target.kind", "eu"},
        Refusal{"protected title",
                [](auto& p) { p.mutable_target()->set_title("Master en données"); }, kInvalid,
                "target.title"},
        Refusal{"exemption without programme",
                [](auto& p) { p.mutable_target()->set_kind(v1::TARGET_KIND_PROGRAMME_EXEMPTION); },
                kInvalid, "target.programme_id"},
        Refusal{"programme on certificate",
                [](auto& p) { p.mutable_target()->set_programme_id("x"); }, kInvalid,
                "target.programme_id"},
        Refusal{"specification on an exemption",
                [](auto& p) {
                  p.mutable_target()->set_kind(v1::TARGET_KIND_PROGRAMME_EXEMPTION);
                  p.mutable_target()->set_programme_id("uclouvain/master-data");
                  p.mutable_target()->set_specification_id("uclouvain/certificate");
                },
                kInvalid, "target.specification_id"},
        Refusal{"no rules", [](auto& p) { p.clear_rules(); }, kInvalid, "rules"},
        Refusal{"bad requirement id", [](auto& p) { Leaf0(p).set_requirement_id("Data!"); },
                kInvalid, "rules.group.children[0].requirement_id"},
        Refusal{"duplicate requirement id",
                [](auto& p) { Leaf0(p).set_requirement_id("teaching"); }, kInvalid,
                "rules.group.children[1].requirement_id"},
        Refusal{"negative ects", [](auto& p) { Leaf0(p).set_min_ects(-1); }, kInvalid,
                "rules.group.children[0].min_ects"},
        Refusal{"eqf out of range",
                [](auto& p) { Leaf0(p).mutable_filter()->set_min_eqf_level(9); }, kInvalid,
                "rules.group.children[0].filter.min_eqf_level"},
        Refusal{"eqf range inverted",
                [](auto& p) {
                  Leaf0(p).mutable_filter()->set_min_eqf_level(7);
                  Leaf0(p).mutable_filter()->set_max_eqf_level(6);
                },
                kInvalid, "rules.group.children[0].filter.max_eqf_level"},
        Refusal{"bad isced", [](auto& p) { Leaf0(p).mutable_filter()->add_isced_f_codes("6"); },
                kInvalid, "rules.group.children[0].filter.isced_f_codes[1]"},
        Refusal{"bad esco",
                [](auto& p) { Leaf0(p).mutable_filter()->add_esco_skill_uris("https://x"); },
                kInvalid, "rules.group.children[0].filter.esco_skill_uris[0]"},
        Refusal{"bad specification",
                [](auto& p) {
                  Leaf0(p).mutable_filter()->add_specifications()->set_specification_id("x");
                },
                kInvalid, "rules.group.children[0].filter.specifications[0].specification_id"},
        Refusal{"bad issuer",
                [](auto& p) { Leaf0(p).mutable_filter()->add_issuer_institution_ids("A B"); },
                kInvalid, "rules.group.children[0].filter.issuer_institution_ids[0]"},
        Refusal{"unknown provider type",
                [](auto& p) {
                  Leaf0(p).mutable_filter()->add_provider_types(
                      common::v1::PROVIDER_TYPE_UNSPECIFIED);
                },
                kInvalid, "rules.group.children[0].filter.provider_types[0]"},
        Refusal{"unknown assessment",
                [](auto& p) {
                  Leaf0(p).mutable_filter()->add_assessment_types(
                      static_cast<common::v1::AssessmentType>(99));
                },
                kInvalid, "rules.group.children[0].filter.assessment_types[0]"},
        Refusal{"grade out of range",
                [](auto& p) { Leaf0(p).mutable_filter()->set_min_grade(120); }, kInvalid,
                "rules.group.children[0].filter.min_grade"},
        Refusal{"negative cap", [](auto& p) { Leaf0(p).mutable_caps()->set_max_external_ects(-2); },
                kInvalid, "rules.group.children[0].caps.max_external_ects"},
        Refusal{"count on group", [](auto& p) { p.mutable_rules()->set_min_credentials(1); },
                kInvalid, "rules.min_credentials"},
        Refusal{"sharing on group", [](auto& p) { p.mutable_rules()->set_allow_sharing(true); },
                kInvalid, "rules.allow_sharing"},
        Refusal{"no combinator",
                [](auto& p) { p.mutable_rules()->mutable_group()->clear_combinator(); }, kInvalid,
                "rules.group.combinator"},
        Refusal{"at_least too large",
                [](auto& p) {
                  p.mutable_rules()->mutable_group()->set_combinator(v1::COMBINATOR_AT_LEAST);
                  p.mutable_rules()->mutable_group()->set_at_least(3);
                },
                kInvalid, "rules.group.at_least"},
        Refusal{"at_least on all-of",
                [](auto& p) { p.mutable_rules()->mutable_group()->set_at_least(1); }, kInvalid,
                "rules.group.at_least"},
        Refusal{"empty group",
                [](auto& p) { p.mutable_rules()->mutable_group()->clear_children(); }, kInvalid,
                "rules.group.children"},
        Refusal{"equivalence without subject",
                [](auto& p) { p.add_equivalences()->set_basis("agreement"); }, kInvalid,
                "equivalences[0]"},
        Refusal{"certificate under 10 ECTS (fwb)", [](auto& p) { Leaf0(p).set_min_ects(2); },
                kPrecondition, "rules.min_ects"}));

TEST(PathwayRulesTest, ValidPathwayPassesBothProfiles) {
  for (const char* profile : {"eu", "fwb"}) {
    EXPECT_TRUE(ValidatePathway(ValidPathway(), *domain::PolicyProfile::Named(profile)).ok());
  }
}

TEST(PathwayRulesTest, CertificateAndLargerMicroCredentialNameTheirSpecification) {
  v1::Pathway p = ValidPathway();
  p.mutable_target()->set_specification_id("uclouvain/certificate");
  EXPECT_TRUE(ValidatePathway(p, *domain::PolicyProfile::Named("fwb")).ok());
  EXPECT_TRUE(ConfersCredential(p.target()));
  p.mutable_target()->set_kind(v1::TARGET_KIND_LARGER_MICRO_CREDENTIAL);
  EXPECT_TRUE(ValidatePathway(p, *domain::PolicyProfile::Named("fwb")).ok());
  EXPECT_TRUE(ConfersCredential(p.target()));
  p.mutable_target()->set_kind(v1::TARGET_KIND_PROGRAMME_ADMISSION);
  EXPECT_FALSE(ConfersCredential(p.target()));
}

TEST(PathwayRulesTest, CertificateFloorIsThePolicyProfiles) {
  v1::Pathway p = ValidPathway();
  Leaf0(p).set_min_ects(2);  // guarantees 7
  EXPECT_TRUE(ValidatePathway(p, *domain::PolicyProfile::Named("eu")).ok());
  // Other targets have no floor under fwb.
  p.mutable_target()->set_kind(v1::TARGET_KIND_LARGER_MICRO_CREDENTIAL);
  EXPECT_TRUE(ValidatePathway(p, *domain::PolicyProfile::Named("fwb")).ok());
}

TEST(PathwayRulesTest, GuaranteedEctsFollowsTheCombinators) {
  v1::Requirement any =
      GroupReq("g", v1::COMBINATOR_ANY_OF, {LeafReq("a", "", 6), LeafReq("b", "", 4)});
  EXPECT_EQ(GuaranteedEcts(any), 4);
  v1::Requirement at_least =
      GroupReq("h", v1::COMBINATOR_AT_LEAST,
               {LeafReq("a", "", 6), LeafReq("b", "", 4), LeafReq("c", "", 5)}, 0, 2);
  EXPECT_EQ(GuaranteedEcts(at_least), 9);
  at_least.set_min_ects(12);
  EXPECT_EQ(GuaranteedEcts(at_least), 12);
}

TEST(PathwayRulesTest, DegreeTargetRefusedWhateverTheRules) {
  v1::Pathway p = ValidPathway();
  p.mutable_target()->set_kind(v1::TARGET_KIND_INITIAL_EDUCATION_DEGREE);
  const absl::Status s = ValidatePathway(p, *domain::PolicyProfile::Named("fwb"));
  EXPECT_NE(s.message().find("initial-education degree"), absl::string_view::npos);
}

}  // namespace
}  // namespace microcred::stacking
