// Three institution nodes on one real Kafka broker, each with its own Redis, under the fwb
// profile: a university (B) publishes and revises a stacking pathway; a haute école (A) and a
// training partner (C) know every version of it from the log alone, and a publication B refused
// (a certificate under 10 ECTS) is known nowhere.
#include <gtest/gtest.h>

#include "libs/events/topics.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/real_services.h"
#include "tests/support/three_nodes.h"

namespace microcred {
namespace {

using testing_support::OpenKafka;
using testing_support::OpenRedis;
using testing_support::RunningNode;
namespace sv1 = stacking::v1;

sv1::Pathway Certificate(const std::string& issuer, double core_ects) {
  sv1::Pathway p;
  p.set_title("Certificat en science des données appliquée");
  p.mutable_target()->set_kind(sv1::TARGET_KIND_CONTINUING_EDUCATION_CERTIFICATE);
  p.mutable_target()->set_title("Certificat en science des données appliquée");
  sv1::Requirement& root = *p.mutable_rules();
  root.set_requirement_id("root");
  root.mutable_group()->set_combinator(sv1::COMBINATOR_ALL_OF);
  sv1::Requirement& core = *root.mutable_group()->add_children();
  core.set_requirement_id("core");
  core.set_min_ects(core_ects);
  core.mutable_filter()->add_isced_f_codes("06");
  sv1::Requirement& partner = *root.mutable_group()->add_children();
  partner.set_requirement_id("partner");
  partner.set_min_ects(2);
  partner.mutable_filter()->add_issuer_institution_ids(issuer);
  return p;
}

class StackingCrossNodeTest : public testing_support::ThreeNodesTest {
 protected:
  StackingCrossNodeTest()
      : ThreeNodesTest("stacking", testing_support::Helmo, testing_support::Uliege,
                       testing_support::Technofutur) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ThreeNodesTest::SetUp());
    for (RunningNode* n : {&a_, &b_, &c_}) {
      refused_at_start_[n] = n->node->stacking().projector().counters().refused_by_reason;
    }
  }

  auth::Caller Editor() const {
    return {.subject = "editor-paul",
            .institution_id = b_.institution.id,
            .roles = {auth::roles::kPathwayEditor}};
  }

  std::map<RunningNode*, std::map<std::string, int64_t>> refused_at_start_;
};

TEST_F(StackingCrossNodeTest, PublishedAtBKnownAtAAndC) {
  const std::string b_id = b_.institution.id;
  sv1::PublishPathwayRequest publish;
  publish.set_request_id("publish-certificate");
  publish.set_local_id("data-certificate");
  *publish.mutable_pathway() = Certificate(a_.institution.id, 8);
  auto first = b_.node->stacking().PublishPathway(Editor(), publish);
  ASSERT_TRUE(first.ok()) << first.status();
  sv1::PublishPathwayRequest revise;
  revise.set_request_id("revise-certificate");
  *revise.mutable_pathway() = *first;
  revise.mutable_pathway()->set_description("Revised for 2027.");
  revise.set_expected_version(1);
  auto second = b_.node->stacking().PublishPathway(Editor(), revise);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->version(), 2u);

  sv1::PublishPathwayRequest small;
  small.set_request_id("publish-small");
  small.set_local_id("small-certificate");
  *small.mutable_pathway() = Certificate(a_.institution.id, 4);
  auto refused = b_.node->stacking().PublishPathway(Editor(), small);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();

  for (RunningNode* n : {&a_, &c_}) {
    ASSERT_TRUE(n->node->stacking().projector().Sync(absl::Seconds(30)).ok());
    sv1::GetPathwayRequest get;
    get.set_pathway_id(first->pathway_id());
    auto latest = n->node->stacking().GetPathway(get);
    ASSERT_TRUE(latest.ok()) << n->institution.id << ": " << latest.status();
    EXPECT_EQ(latest->SerializeAsString(), second->SerializeAsString());
    get.set_version(1);
    auto v1 = n->node->stacking().GetPathway(get);
    ASSERT_TRUE(v1.ok()) << v1.status();
    EXPECT_EQ(v1->SerializeAsString(), first->SerializeAsString());
    sv1::ListPathwaysRequest list;
    list.set_owner_institution(b_id);
    auto listed = n->node->stacking().ListPathways(list);
    ASSERT_TRUE(listed.ok()) << listed.status();
    ASSERT_EQ(listed->pathways_size(), 1) << n->institution.id;
    EXPECT_EQ(listed->pathways(0).version(), 2u);
  }
  for (RunningNode* n : {&a_, &b_, &c_}) {
    EXPECT_EQ(n->node->stacking().projector().counters().refused_by_reason, refused_at_start_[n])
        << n->institution.id;
  }
}

}  // namespace
}  // namespace microcred
