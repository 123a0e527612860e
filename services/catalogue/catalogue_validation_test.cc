// Every Annex I rule and every policy rule, through the service: a bad input is refused with an
// error naming the field and the rule, and leaves the log and the store exactly as they were.
// (libs/domain/specification_test.cc covers the rules one by one, with their exact messages.)
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/topics.h"
#include "libs/registry/secretariat.h"
#include "services/catalogue/catalogue_service.h"

namespace microcred::catalogue {
namespace {

using common::v1::PROVIDER_TYPE_HIGHER_EDUCATION;
using common::v1::PROVIDER_TYPE_PRIVATE_PROVIDER;
using Content = v1::SpecificationContent;

struct BadInput {
  std::string rule;
  std::string profile;  // "eu" or "fwb"
  std::function<void(Content&)> spoil;
  absl::StatusCode code;
  std::string field;  // the error must start with this field path
};

std::ostream& operator<<(std::ostream& os, const BadInput& b) { return os << b.rule; }

class CatalogueValidationTest : public testing::TestWithParam<BadInput> {
 protected:
  void SetUp() override {
    policy_ =
        std::make_unique<domain::PolicyProfile>(*domain::PolicyProfile::Named(GetParam().profile));
    ASSERT_TRUE(root_.Define(log_, "alliance", policy_->ToRules(), {}).ok());
    Admit("uclouvain", PROVIDER_TYPE_HIGHER_EDUCATION, key_);
    Admit("partner", PROVIDER_TYPE_PRIVATE_PROVIDER, crypto::SigningKey::Generate());
    auto service = CatalogueService::Start({.log = log_,
                                            .store = store_,
                                            .signer = signer_,
                                            .profile = *policy_,
                                            .trust_anchors = {root_.anchor()}});
    ASSERT_TRUE(service.ok()) << service.status();
    service_ = *std::move(service);
  }

  void Admit(const std::string& id, common::v1::ProviderType type, const crypto::SigningKey& key) {
    registry::v1::MemberAdmitted member;
    member.set_institution_id(id);
    member.set_legal_name(id);
    member.set_country("BE");
    member.set_provider_type(type);
    *member.add_keys() = registry::RegisteredKey(key.public_key());
    ASSERT_TRUE(root_.Admit(log_, member).ok());
  }

  crypto::SigningKey key_ = crypto::SigningKey::Generate();
  registry::Secretariat root_{"alliance", crypto::SigningKey::Generate()};
  events::EnvelopeSigner signer_{"uclouvain", "n", key_};
  MemoryEventLog log_;
  MemoryStateStore store_;
  std::unique_ptr<domain::PolicyProfile> policy_;
  std::unique_ptr<CatalogueService> service_;
};

TEST_P(CatalogueValidationTest, IsRefusedNamingTheFieldAndChangesNothing) {
  const BadInput& bad = GetParam();
  Content content = samples::DataLiteracy("uclouvain");
  bad.spoil(content);
  const auto log_before = *log_.EndPositions(topics::kCatalogue);
  const auto store_before = store_.Snapshot();

  v1::PublishSpecificationRequest request;
  request.set_request_id("bad-input");
  request.set_local_id("bad-input");
  *request.mutable_content() = content;
  auto result = service_->Publish({.institution_id = "uclouvain"}, request);

  EXPECT_EQ(result.status().code(), bad.code) << result.status();
  EXPECT_EQ(std::string(result.status().message()).rfind(bad.field, 0), 0u)
      << "expected the error to start with " << bad.field << ", got " << result.status();
  EXPECT_EQ(*log_.EndPositions(topics::kCatalogue), log_before);
  EXPECT_EQ(store_.Snapshot(), store_before);
}

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;

INSTANTIATE_TEST_SUITE_P(
    AnnexIAndPolicyRules, CatalogueValidationTest,
    testing::Values(
        BadInput{"title_required", "eu", [](Content& c) { c.clear_title(); }, kInvalid,
                 "content.title"},
        BadInput{"title_too_long", "eu", [](Content& c) { c.set_title(std::string(256, 'x')); },
                 kInvalid, "content.title"},
        BadInput{"title_protected_fwb", "fwb",
                 [](Content& c) { c.set_title("Bachelier en gestion"); }, kInvalid,
                 "content.title"},
        BadInput{"title_protected_accents_fwb", "fwb",
                 [](Content& c) { c.set_title("Cours d'AGREGE en chimie"); }, kInvalid,
                 "content.title"},
        BadInput{"awarding_body_required", "eu", [](Content& c) { c.clear_awarding_bodies(); },
                 kInvalid, "content.awarding_bodies"},
        BadInput{"awarding_body_unknown", "eu",
                 [](Content& c) { c.add_awarding_bodies("unknown-inst"); }, kPrecondition,
                 "content.awarding_bodies[1]"},
        BadInput{"awarding_body_duplicate", "eu",
                 [](Content& c) { c.add_awarding_bodies("uclouvain"); }, kInvalid,
                 "content.awarding_bodies[1]"},
        BadInput{"publisher_not_awarding", "eu",
                 [](Content& c) { c.set_awarding_bodies(0, "partner"); }, kInvalid,
                 "content.awarding_bodies"},
        BadInput{"co_awarding_non_hei_fwb", "fwb",
                 [](Content& c) { c.add_awarding_bodies("partner"); }, kPrecondition,
                 "content.awarding_bodies[1]"},
        BadInput{"country_required", "eu", [](Content& c) { c.clear_country(); }, kInvalid,
                 "content.country"},
        BadInput{"country_not_iso", "eu", [](Content& c) { c.set_country("XX"); }, kInvalid,
                 "content.country"},
        BadInput{"region_of_another_country", "eu", [](Content& c) { c.set_region("FR-IDF"); },
                 kInvalid, "content.region"},
        BadInput{"outcomes_required", "eu", [](Content& c) { c.clear_learning_outcomes(); },
                 kInvalid, "content.learning_outcomes"},
        BadInput{"outcome_text_empty", "eu",
                 [](Content& c) { c.mutable_learning_outcomes(1)->set_text("  "); }, kInvalid,
                 "content.learning_outcomes[1].text"},
        BadInput{"esco_uri_malformed", "eu",
                 [](Content& c) {
                   c.mutable_learning_outcomes(0)->set_esco_skill_uri("https://esco/skill/x");
                 },
                 kInvalid, "content.learning_outcomes[0].esco_skill_uri"},
        BadInput{"workload_required", "eu", [](Content& c) { c.clear_workload(); }, kInvalid,
                 "content.workload"},
        BadInput{"ects_zero", "eu", [](Content& c) { c.mutable_workload()->set_ects(0); }, kInvalid,
                 "content.workload.ects"},
        BadInput{"ects_nan", "eu", [](Content& c) { c.mutable_workload()->set_ects(std::nan("")); },
                 kInvalid, "content.workload.ects"},
        BadInput{"ects_infinite", "eu",
                 [](Content& c) {
                   c.mutable_workload()->set_ects(std::numeric_limits<double>::infinity());
                 },
                 kInvalid, "content.workload.ects"},
        BadInput{"hours_negative", "eu",
                 [](Content& c) {
                   c.mutable_workload()->set_hours(-4);
                   c.set_credit_bearing(false);
                 },
                 kInvalid, "content.workload.hours"},
        BadInput{"credit_bearing_in_hours", "eu",
                 [](Content& c) { c.mutable_workload()->set_hours(30); }, kInvalid,
                 "content.credit_bearing"},
        BadInput{"eqf_level_missing", "eu", [](Content& c) { c.set_eqf_level(0); }, kInvalid,
                 "content.eqf_level"},
        BadInput{"eqf_level_nine", "eu", [](Content& c) { c.set_eqf_level(9); }, kInvalid,
                 "content.eqf_level"},
        BadInput{"cycle_disagrees_with_eqf", "eu",
                 [](Content& c) { c.set_qf_ehea_cycle(common::v1::QF_EHEA_CYCLE_THIRD); }, kInvalid,
                 "content.qf_ehea_cycle"},
        BadInput{"assessment_required", "eu", [](Content& c) { c.clear_assessment_type(); },
                 kInvalid, "content.assessment_type"},
        BadInput{"form_required", "eu", [](Content& c) { c.clear_form_of_participation(); },
                 kInvalid, "content.form_of_participation"},
        BadInput{"form_unknown_value", "eu",
                 [](Content& c) {
                   c.set_form_of_participation(static_cast<common::v1::FormOfParticipation>(42));
                 },
                 kInvalid, "content.form_of_participation"},
        BadInput{"qa_type_required", "eu",
                 [](Content& c) { c.mutable_quality_assurance()->clear_type(); }, kInvalid,
                 "content.quality_assurance.type"},
        BadInput{"external_qa_needs_body", "eu",
                 [](Content& c) { c.mutable_quality_assurance()->clear_qa_body(); }, kInvalid,
                 "content.quality_assurance.qa_body"},
        BadInput{"deqar_reference_malformed", "eu",
                 [](Content& c) {
                   c.mutable_quality_assurance()->set_deqar_reference("not a reference");
                 },
                 kInvalid, "content.quality_assurance.deqar_reference"},
        BadInput{"supervision_unknown_value", "eu",
                 [](Content& c) { c.set_supervision(static_cast<common::v1::Supervision>(9)); },
                 kInvalid, "content.supervision"},
        BadInput{"stackability_unknown_value", "eu",
                 [](Content& c) { c.set_stackability(static_cast<common::v1::Stackability>(9)); },
                 kInvalid, "content.stackability"},
        BadInput{"prerequisites_too_long", "eu",
                 [](Content& c) { c.set_prerequisites(std::string(5001, 'p')); }, kInvalid,
                 "content.prerequisites"},
        BadInput{"languages_required", "eu", [](Content& c) { c.clear_languages(); }, kInvalid,
                 "content.languages"},
        BadInput{"language_not_iso", "eu", [](Content& c) { c.add_languages("xx"); }, kInvalid,
                 "content.languages[2]"},
        BadInput{"isced_malformed", "eu", [](Content& c) { c.set_isced_f_code("06131"); }, kInvalid,
                 "content.isced_f_code"},
        BadInput{"review_by_in_the_past", "eu",
                 [](Content& c) {
                   c.mutable_review_by()->set_year(2020);
                   c.mutable_review_by()->set_month(1);
                   c.mutable_review_by()->set_day(1);
                 },
                 kInvalid, "content.review_by"},
        BadInput{"review_by_not_a_date", "eu",
                 [](Content& c) {
                   c.mutable_review_by()->set_year(2031);
                   c.mutable_review_by()->set_month(2);
                   c.mutable_review_by()->set_day(30);
                 },
                 kInvalid, "content.review_by"}),
    [](const testing::TestParamInfo<BadInput>& info) { return info.param.rule; });

}  // namespace
}  // namespace microcred::catalogue
