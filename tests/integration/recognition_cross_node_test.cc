// Three institution nodes on one real Kafka broker, each with its own Redis, under the fwb
// profile: a haute école (A) issues credentials; a university (B) publishes a recognition policy
// and receives a learner's requests: one decided at once by the policy, one partially recognised
// after review, one with a revoked credential recorded as not authentic; a training partner (C)
// knows the university's policy and every decision, from the log alone.
#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/topics.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/real_services.h"
#include "tests/support/three_nodes.h"

namespace microcred {
namespace {

using recognition::v1::RecognitionRequest;
using testing_support::DayFromToday;
using testing_support::OpenKafka;
using testing_support::OpenRedis;
using testing_support::RunningNode;

class RecognitionCrossNodeTest : public testing_support::ThreeNodesTest {
 protected:
  RecognitionCrossNodeTest()
      : ThreeNodesTest("recognition", testing_support::Helmo, testing_support::Uliege,
                       testing_support::Technofutur) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(ThreeNodesTest::SetUp());
    // Other tests share the broker: what the nodes refused while catching up with the log is
    // theirs, so this test compares with it.
    for (RunningNode* n : {&a_, &b_, &c_}) {
      refused_at_start_[n] = n->node->recognition().projector().counters().refused_by_reason;
    }
  }

  auth::Caller Officer(const std::string& subject = "officer-anne") const {
    return {.subject = subject,
            .institution_id = b_.institution.id,
            .roles = {auth::roles::kRecognitionOfficer}};
  }
  auth::Caller Learner() const {
    return {
        .subject = "lea", .institution_id = b_.institution.id, .roles = {auth::roles::kLearner}};
  }

  issuance::v1::IssuedCredential Issue(const std::string& request_id, const std::string& spec) {
    issuance::v1::IssueCredentialRequest r;
    r.set_request_id(request_id);
    r.set_specification_id(spec);
    issuance::v1::LearnerIdentity* learner = r.mutable_learner();
    // Her id in the alliance, the one she signs in with at B too: holder binding at B
    // recomputes the credential's hashed learner id from it.
    learner->set_learner_id("lea");
    learner->set_given_name("Léa");
    learner->set_family_name("Lambert");
    learner->set_email("lea.lambert@example.org");
    *r.mutable_issued_on() = DayFromToday(-1);
    r.set_place_of_issuing("Liège");
    r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    auto issued = a_.node->issuance().Issue(StaffOf(a_.institution.id), r);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? *issued : issuance::v1::IssuedCredential();
  }

  std::string Publish(const std::string& local_id,
                      const catalogue::v1::SpecificationContent& content) {
    catalogue::v1::PublishSpecificationRequest publish;
    publish.set_request_id("publish-" + local_id);
    publish.set_local_id(local_id);
    *publish.mutable_content() = content;
    auto spec = a_.node->catalogue().Publish(StaffOf(a_.institution.id), publish);
    EXPECT_TRUE(spec.ok()) << spec.status();
    return spec.ok() ? spec->specification_id() : "";
  }

  RecognitionRequest Submit(const std::string& client_id, const std::string& jws) {
    recognition::v1::SubmitRequestRequest r;
    r.set_client_request_id(client_id);
    r.set_purpose(recognition::v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
    r.mutable_target()->mutable_component()->set_programme_id(b_.institution.id + "/master-data");
    r.mutable_target()->mutable_component()->set_component_id("STAT0001");
    r.add_credential_jws(jws);
    auto submitted = b_.node->recognition().Submit(Learner(), r);
    EXPECT_TRUE(submitted.ok()) << submitted.status();
    return submitted.ok() ? *submitted : RecognitionRequest();
  }

  static void Sync(RunningNode& n) {
    ASSERT_TRUE(n.node->catalogue().projector().Sync(absl::Seconds(30)).ok());
    ASSERT_TRUE(n.node->issuance().projector().Sync(absl::Seconds(30)).ok());
    ASSERT_TRUE(n.node->recognition().projector().Sync(absl::Seconds(30)).ok());
  }

  std::map<RunningNode*, std::map<std::string, int64_t>> refused_at_start_;
};

TEST_F(RecognitionCrossNodeTest, IssuedAtADecidedAtBKnownAtC) {
  const std::string a_id = a_.institution.id, b_id = b_.institution.id;
  const std::string data = Publish("data-literacy", catalogue::samples::DataLiteracy(a_id));
  const std::string ethics = Publish("ai-ethics", catalogue::samples::AiEthics(a_id));
  const auto data_credential = Issue("award-data", data);
  const auto ethics_credential = Issue("award-ethics", ethics);
  const auto revoked_credential = Issue("award-revoked", data);
  issuance::v1::ChangeStatusRequest revoke;
  revoke.set_request_id("revoke-1");
  revoke.set_credential_id(revoked_credential.credential_id());
  revoke.set_reason("issued in error");
  auto revoked = a_.node->issuance().Revoke(StaffOf(a_id), revoke);
  ASSERT_TRUE(revoked.ok()) << revoked.status();

  // B's policy: A's data literacy course counts in full.
  recognition::v1::PublishPolicyRequest policy;
  policy.set_client_request_id("policy-data");
  recognition::v1::RecognitionPolicy& p = *policy.mutable_policy();
  p.set_policy_id(b_id + "/helmo-data");
  p.set_title("Data literacy at HELMo");
  p.set_rationale("HELMo's data literacy course covers our STAT0001 component.");
  p.set_rank(1);
  p.add_purposes(recognition::v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
  p.add_issuers(a_id);
  p.add_specification_ids(data);
  auto published = b_.node->recognition().PublishPolicy(Officer(), policy);
  ASSERT_TRUE(published.ok()) << published.status();

  ASSERT_NO_FATAL_FAILURE(Sync(b_));
  // Recognised by policy, at once.
  RecognitionRequest automatic = Submit("req-data", data_credential.jws());
  EXPECT_EQ(automatic.state(), recognition::v1::REQUEST_STATE_DECIDED);
  EXPECT_EQ(automatic.credentials(0).authenticity(), recognition::v1::AUTHENTICITY_AUTHENTIC);
  EXPECT_EQ(automatic.credentials(0).facts().specification_id(), data);
  EXPECT_EQ(automatic.decision().decided_by_policy(), b_id + "/helmo-data");

  // No policy for the ethics course: reviewed, partially recognised with a justification.
  RecognitionRequest manual = Submit("req-ethics", ethics_credential.jws());
  ASSERT_EQ(manual.state(), recognition::v1::REQUEST_STATE_RECEIVED);
  recognition::v1::StartReviewRequest start;
  start.set_client_request_id("review-ethics");
  start.set_request_id(manual.request_id());
  ASSERT_TRUE(b_.node->recognition().StartReview(Officer(), start).ok());
  recognition::v1::DecideRequest decide;
  decide.set_client_request_id("decide-ethics");
  decide.set_request_id(manual.request_id());
  recognition::v1::RecognitionDecision& d = *decide.mutable_decision();
  d.set_outcome(recognition::v1::RECOGNITION_OUTCOME_PARTIAL);
  for (int element = 1; element <= 5; ++element) {
    recognition::v1::Finding& f = *d.add_findings();
    f.set_element(static_cast<recognition::v1::ComparisonElement>(element));
    f.set_assessment(recognition::v1::ASSESSMENT_COMPARABLE);
  }
  d.mutable_findings(3)->set_assessment(recognition::v1::ASSESSMENT_SUBSTANTIAL_DIFFERENCE);
  d.mutable_findings(3)->set_justification("The statistics outcomes of STAT0001 are not covered.");
  d.add_reason_codes(recognition::v1::REASON_CODE_LEARNING_OUTCOMES_DIFFER);
  d.set_reasons("Recognised for 3 of the 5 ECTS presented.");
  d.set_recognised_ects(3);
  d.add_remedies(recognition::v1::REMEDY_INTERNAL_APPEAL);
  auto partial = b_.node->recognition().Decide(Officer(), decide);
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_EQ(partial->decision().outcome(), recognition::v1::RECOGNITION_OUTCOME_PARTIAL);
  EXPECT_EQ(partial->decision().original_ects(), 5);

  // The revoked credential is recorded as not authentic, with A's reason.
  RecognitionRequest refused = Submit("req-revoked", revoked_credential.jws());
  EXPECT_EQ(refused.state(), recognition::v1::REQUEST_STATE_RECEIVED);
  EXPECT_EQ(refused.credentials(0).authenticity(), recognition::v1::AUTHENTICITY_NOT_AUTHENTIC);
  EXPECT_EQ(refused.credentials(0).failed_check(), "status");
  EXPECT_NE(refused.credentials(0).failed_detail().find("issued in error"), std::string::npos);

  // C knows B's policy and both decisions, by request; A too. Only B finds them from the
  // credentials (the events name them by B's tags: issue 12).
  for (RunningNode* n : {&c_, &a_, &b_}) {
    ASSERT_NO_FATAL_FAILURE(Sync(*n));
    recognition::v1::ListPoliciesRequest list;
    list.set_receiving_institution(b_id);
    auto policies = n->node->recognition().ListPolicies(list);
    ASSERT_TRUE(policies.ok()) << policies.status();
    ASSERT_EQ(policies->policies_size(), 1) << n->institution.id;
    EXPECT_EQ(policies->policies(0).policy_id(), b_id + "/helmo-data");

    const auto& decisions = n->node->recognition().read_model();
    auto full = decisions.FindDecision(automatic.request_id());
    ASSERT_TRUE(full.ok()) << full.status();
    ASSERT_TRUE(full->has_value()) << n->institution.id;
    EXPECT_EQ((*full)->outcome(), recognition::v1::RECOGNITION_OUTCOME_FULL);
    EXPECT_EQ((*full)->receiving_institution(), b_id);
    EXPECT_EQ((*full)->recognised_ects(), 3);
    EXPECT_EQ((*full)->credential_count(), 1u);

    auto some = decisions.FindDecision(manual.request_id());
    ASSERT_TRUE(some.ok());
    ASSERT_TRUE(some->has_value());
    EXPECT_EQ((*some)->outcome(), recognition::v1::RECOGNITION_OUTCOME_PARTIAL);
    EXPECT_EQ((*some)->recognised_ects(), 3);
    EXPECT_TRUE((*some)->decided_by_policy().empty());

    const size_t at_b = n == &b_ ? 1 : 0;
    EXPECT_EQ(decisions.FindDecisionsForCredential(data_credential.credential_id())->size(), at_b)
        << n->institution.id;
    EXPECT_EQ(decisions.FindDecisionsForCredential(ethics_credential.credential_id())->size(), at_b)
        << n->institution.id;
    EXPECT_TRUE(decisions.FindDecisionsForCredential(revoked_credential.credential_id())->empty());
  }
  // Nothing of this test was refused anywhere: every node applied every recognition event.
  for (RunningNode* n : {&a_, &b_, &c_}) {
    EXPECT_EQ(n->node->recognition().projector().counters().refused_by_reason, refused_at_start_[n])
        << n->institution.id;
  }
}

}  // namespace
}  // namespace microcred
