#include "services/recognition/automatic_decision.h"

#include "gtest/gtest.h"
#include "libs/domain/dates.h"
#include "services/recognition/decision_rules.h"
#include "services/recognition/testing/recognition_test_util.h"

namespace microcred::recognition {
namespace {

using testing::At;
using testing::AuthenticCredential;
using testing::Contains;
using testing::Policy;
using testing::SubmittedRequest;

PolicyIndex Policies() {
  v1::RecognitionPolicy alliance = Policy("alliance", 1);
  alliance.add_issuers("uclouvain");
  alliance.set_min_eqf_level(6);
  v1::RecognitionPolicy table = Policy("table", 2);
  v1::EquivalenceEntry& e = *table.add_equivalences();
  e.set_specification_id("kuleuven/ml-1");
  e.set_component_id("STAT-H-400");
  e.set_ects(5);
  absl::StatusOr<PolicyIndex> index = PolicyIndex::Build({alliance, table}, {});
  EXPECT_TRUE(index.ok()) << index.status();
  return *std::move(index);
}

AutomaticDecisionContext Context() {
  return {.decision_reference = "ULB-AUTO-0001",
          .today = absl::CivilDay(2025, 1, 15),
          .appeal_route = "Appeal to the recognition appeal board, recours@ulb.example"};
}

TEST(AutomaticDecisionTest, EveryCredentialMatchedGivesAValidFullDecision) {
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));
  *r.add_credentials() = AuthenticCredential("kuleuven", "ml-1", 4.5, 6);
  const AutomaticOutcome outcome = DecideAutomatically(r, Policies(), Context());
  ASSERT_TRUE(outcome.decision.has_value()) << outcome.manual_review_reason;
  const v1::RecognitionDecision& d = *outcome.decision;
  EXPECT_EQ(d.outcome(), v1::RECOGNITION_OUTCOME_FULL);
  EXPECT_EQ(d.decided_by_policy(), "ulb/alliance");
  EXPECT_EQ(d.policy_version(), 1u);
  ASSERT_EQ(d.policy_matches_size(), 2);
  EXPECT_EQ(d.policy_matches(1).policy_id(), "ulb/table");
  EXPECT_EQ(d.original_ects(), 9.5);
  EXPECT_EQ(d.recognised_ects(), 10);  // the table credits 5 for the 4.5 presented
  EXPECT_EQ(domain::ToCivilDay(d.appeal_deadline()), absl::CivilDay(2025, 2, 14));
  EXPECT_TRUE(ValidateDecision(d, r).ok()) << ValidateDecision(d, r);
}

TEST(AutomaticDecisionTest, ANotAuthenticCredentialGoesToManualReview) {
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));
  v1::PresentedCredential& forged = *r.add_credentials();
  forged = AuthenticCredential("kuleuven", "ml-1", 5, 6);
  forged.set_authenticity(v1::AUTHENTICITY_NOT_AUTHENTIC);
  forged.set_failed_check("signature");
  const AutomaticOutcome outcome = DecideAutomatically(r, Policies(), Context());
  EXPECT_FALSE(outcome.decision.has_value());
  EXPECT_TRUE(Contains(outcome.manual_review_reason, "credentials[1]"));
  EXPECT_TRUE(Contains(outcome.manual_review_reason, "signature"));
}

TEST(AutomaticDecisionTest, AnUnmatchedCredentialOrAVaeRequestGoesToManualReview) {
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));
  *r.add_credentials() = AuthenticCredential("unibo", "x", 5, 6);
  EXPECT_TRUE(Contains(DecideAutomatically(r, Policies(), Context()).manual_review_reason,
                       "credentials[1]: no policy matches"));
  const v1::RecognitionRequest vae = SubmittedRequest(At(2025, 1, 15), v1::REQUEST_TYPE_VAE);
  EXPECT_FALSE(DecideAutomatically(vae, Policies(), Context()).decision.has_value());
}

TEST(AutomaticDecisionTest, AnOutsideCredentialGoesToAnOfficerUnlessAPolicyNamesItsIssuer) {
  v1::RecognitionPolicy outside = Policy("outside", 3);
  outside.add_outside_issuer_domains("x.example");
  absl::StatusOr<PolicyIndex> index = PolicyIndex::Build({outside}, {});
  ASSERT_TRUE(index.ok());
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));
  v1::PresentedCredential& c = *r.mutable_credentials(0);
  issuance::v1::TrustBasis& basis = *c.mutable_trust_basis();
  basis.set_kind(issuance::v1::TRUST_KIND_DID_WEB);
  basis.set_issuer_id("did:web:y.example");
  basis.set_statement("issuer key from did:web:y.example, not an ecosystem member");
  EXPECT_EQ(DecideAutomatically(r, *index, Context()).manual_review_reason,
            "credentials[0]: no policy matches; from outside the ecosystem, only a policy naming "
            "its issuer may (issuer key from did:web:y.example, not an ecosystem member)");
  basis.set_issuer_id("did:web:x.example");
  EXPECT_TRUE(DecideAutomatically(r, *index, Context()).decision.has_value());
  c.mutable_facts()->add_missing_elements("assessment");
  c.mutable_facts()->add_missing_elements("form_of_participation");
  const AutomaticOutcome outcome = DecideAutomatically(r, *index, Context());
  EXPECT_FALSE(outcome.decision.has_value());
  EXPECT_EQ(outcome.manual_review_reason,
            "credentials[0] comes from outside the ecosystem and does not state assessment, "
            "form_of_participation: an officer asks for them");
}

TEST(RecognitionDecidedTest, CarriesThePseudonymAndNoPersonalData) {
  v1::RecognitionRequest r = SubmittedRequest(At(2025, 1, 15));
  r.mutable_credentials(0)->mutable_facts()->mutable_grade()->set_value("18/20");
  AutomaticOutcome outcome = DecideAutomatically(r, Policies(), Context());
  ASSERT_TRUE(outcome.decision.has_value());
  ASSERT_TRUE(RecordDecision(r, *outcome.decision, true, {.now = At(2025, 1, 15)}).ok());
  std::vector<std::string> tags;
  for (int i = 0; i < r.credentials_size(); ++i) tags.push_back("ct1_tag-" + std::to_string(i));
  const v1::RecognitionDecided event = MakeRecognitionDecided(r, false, tags);
  EXPECT_EQ(event.learner_pseudonym(), "pseudo-7f3a");
  EXPECT_EQ(event.request_id(), "ulb/req-1");
  EXPECT_EQ(event.decided_by_policy(), "ulb/alliance");
  EXPECT_EQ(event.outcome(), v1::RECOGNITION_OUTCOME_FULL);
  EXPECT_EQ(event.decided_at_ms(), absl::ToUnixMillis(At(2025, 1, 15)));
  EXPECT_FALSE(event.on_appeal());
  const std::string bytes = event.SerializeAsString();
  EXPECT_EQ(bytes.find(r.credentials(0).jws()), std::string::npos);
  EXPECT_EQ(bytes.find("learner-42"), std::string::npos);
  EXPECT_EQ(bytes.find("18/20"), std::string::npos);
  EXPECT_EQ(bytes.find("Recognised under"), std::string::npos);  // no free text
  // The credentials by number and by the institution's tags, never by their ids (issue 12).
  EXPECT_EQ(event.credential_count(), static_cast<uint32_t>(r.credentials_size()));
  EXPECT_EQ(
      std::vector<std::string>(event.credential_tags().begin(), event.credential_tags().end()),
      tags);
  for (const v1::PresentedCredential& c : r.credentials()) {
    ASSERT_FALSE(c.facts().credential_id().empty());
    EXPECT_EQ(bytes.find(c.facts().credential_id()), std::string::npos);
  }
}

}  // namespace
}  // namespace microcred::recognition
