// Three institution nodes on one real Kafka broker, each with its own Redis, under the fwb
// profile: a credential issued by a university verifies at a haute école, and its revocation
// reaches it; a training partner (not a higher-education institution) may not issue; a cohort
// issued at the university is known at the haute école; and the haute école, after losing its
// Redis, rebuilds every credential's status from the log.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "absl/time/civil_time.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/real_services.h"
#include "tests/support/three_nodes.h"

namespace microcred {
namespace {

using issuance::v1::VerificationCheck;
using issuance::v1::VerificationReport;
using testing_support::DayFromToday;
using testing_support::OpenKafka;
using testing_support::OpenRedis;
using testing_support::RunningNode;

const VerificationCheck& Check(const VerificationReport& report, const std::string& name) {
  for (const VerificationCheck& check : report.checks()) {
    if (check.name() == name) return check;
  }
  static const VerificationCheck missing;
  return missing;
}

std::vector<std::pair<std::string, std::string>> Sorted(
    std::vector<std::pair<std::string, std::string>> entries) {
  std::sort(entries.begin(), entries.end());
  return entries;
}

class IssuanceCrossNodeTest : public testing_support::ThreeNodesTest {
 protected:
  IssuanceCrossNodeTest()
      : ThreeNodesTest("issuance", testing_support::Uliege, testing_support::Helmo,
                       testing_support::Technofutur) {}

  static void SyncIssuance(RunningNode& n) {
    absl::Status synced = n.node->issuance().projector().Sync(absl::Seconds(30));
    ASSERT_TRUE(synced.ok()) << n.institution.id << ": " << synced;
  }

  static VerificationReport VerifyAt(RunningNode& n, const std::string& jws) {
    issuance::v1::VerifyCredentialRequest request;
    request.set_jws(jws);
    return n.node->issuance().Verify(request);
  }

  issuance::v1::IssueCredentialRequest Request(const std::string& request_id) const {
    issuance::v1::IssueCredentialRequest r;
    r.set_request_id(request_id);
    r.set_specification_id(spec_id_);
    issuance::v1::LearnerIdentity* learner = r.mutable_learner();
    learner->set_learner_id("ULG-" + request_id);
    learner->set_given_name("Léa");
    learner->set_family_name("Lambert");
    learner->set_email("lea.lambert@example.org");
    *r.mutable_issued_on() = DayFromToday(-1);
    r.set_place_of_issuing("Liège");
    r.mutable_grade()->set_value("15/20");
    r.mutable_grade()->set_grading_scheme("Belgian 0-20 scale");
    r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    return r;
  }

  std::string spec_id_;
};

TEST_F(IssuanceCrossNodeTest, IssueVerifyRevokeRefuseCohortAndRebuild) {
  const std::string& a_id = a_.institution.id;
  const std::string& c_id = c_.institution.id;

  // A publishes a specification; C's catalogue gets it too.
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("publish-data");
  publish.set_local_id("data-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy(a_id);
  auto spec = a_.node->catalogue().Publish(StaffOf(a_id), publish);
  ASSERT_TRUE(spec.ok()) << spec.status();
  spec_id_ = spec->specification_id();
  ASSERT_EQ(spec_id_, a_id + "/data-literacy");

  // A issues; B verifies it with every check passed.
  auto issued = a_.node->issuance().Issue(StaffOf(a_id), Request("award-1"));
  ASSERT_TRUE(issued.ok()) << issued.status();
  ASSERT_NO_FATAL_FAILURE(SyncIssuance(b_));
  VerificationReport report = VerifyAt(b_, issued->jws());
  EXPECT_TRUE(report.valid());
  std::set<std::string> names;
  for (const VerificationCheck& check : report.checks()) {
    EXPECT_TRUE(check.passed()) << check.name() << ": " << check.detail();
    names.insert(check.name());
  }
  EXPECT_EQ(names, (std::set<std::string>{"format", "issuer", "signature", "policy", "issued",
                                          "status", "validity"}));
  EXPECT_EQ(report.checks_size(), 7);
  EXPECT_EQ(report.issuer(), a_id);
  EXPECT_EQ(report.credential_id(), issued->credential_id());
  EXPECT_EQ(report.specification_id(), spec_id_);
  EXPECT_EQ(report.status(), issuance::v1::CREDENTIAL_STATUS_ACTIVE);

  // A revokes it; B's next verification fails the status check, with A's reason.
  const std::string reason = "issued in error: the assessment was not completed";
  issuance::v1::ChangeStatusRequest revoke;
  revoke.set_request_id("revoke-1");
  revoke.set_credential_id(issued->credential_id());
  revoke.set_reason(reason);
  auto revoked = a_.node->issuance().Revoke(StaffOf(a_id), revoke);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->status(), issuance::v1::CREDENTIAL_STATUS_REVOKED);
  ASSERT_NO_FATAL_FAILURE(SyncIssuance(b_));
  report = VerifyAt(b_, issued->jws());
  EXPECT_FALSE(report.valid());
  EXPECT_EQ(report.status(), issuance::v1::CREDENTIAL_STATUS_REVOKED);
  EXPECT_FALSE(Check(report, "status").passed());
  EXPECT_NE(Check(report, "status").detail().find("REVOKED"), std::string::npos)
      << Check(report, "status").detail();
  EXPECT_NE(Check(report, "status").detail().find(reason), std::string::npos)
      << Check(report, "status").detail();
  EXPECT_TRUE(Check(report, "signature").passed());
  EXPECT_TRUE(Check(report, "issued").passed());

  // C, a training partner, may not issue under fwb, even against a specification its
  // catalogue knows.
  ASSERT_TRUE(c_.node->catalogue().projector().Sync(absl::Seconds(30)).ok());
  auto refused = c_.node->issuance().Issue(StaffOf(c_id), Request("partner-1"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_NE(refused.status().message().find("policy profile fwb"), std::string::npos)
      << refused.status();

  // A cohort of 500 with three bad rows: 497 issued, each one known at B.
  issuance::v1::IssueCredentialsRequest cohort;
  for (int i = 0; i < 500; ++i) *cohort.add_rows() = Request("cohort-" + std::to_string(i));
  cohort.mutable_rows(17)->mutable_learner()->clear_family_name();
  cohort.mutable_rows(250)->set_specification_id(a_id + "/no-such-specification");
  *cohort.mutable_rows(433)->mutable_issued_on() = DayFromToday(10);
  auto response = a_.node->issuance().IssueMany(StaffOf(a_id), cohort);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->issued(), 497);
  EXPECT_EQ(response->refused(), 3);
  ASSERT_EQ(response->results_size(), 500);
  EXPECT_EQ(response->results(17).code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(response->results(17).message().find("learner.family_name"), std::string::npos);
  EXPECT_EQ(response->results(250).code(), static_cast<int>(absl::StatusCode::kNotFound));
  EXPECT_EQ(response->results(433).code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(response->results(433).message().find("issued_on"), std::string::npos);

  ASSERT_NO_FATAL_FAILURE(SyncIssuance(b_));
  std::vector<std::string> cohort_jws;
  for (const auto& row : response->results()) {
    if (row.code() == 0) cohort_jws.push_back(row.credential().jws());
  }
  ASSERT_EQ(cohort_jws.size(), 497u);
  int valid_at_b = 0;
  for (const std::string& jws : cohort_jws) valid_at_b += VerifyAt(b_, jws).valid() ? 1 : 0;
  EXPECT_EQ(valid_at_b, 497);
  // B knows exactly A's 498 credentials: the partner's refused attempt wrote nothing.
  auto known_before = b_.store->ScanPrefix("issuance/known/");
  ASSERT_TRUE(known_before.ok()) << known_before.status();
  EXPECT_EQ(known_before->size(), 498u);

  // B loses its Redis (FLUSHALL) and restarts: every status comes back from the log.
  b_.node.reset();
  ASSERT_TRUE(testing_support::FlushAll(1).ok());
  ASSERT_TRUE(b_.store->ScanPrefix("")->empty());
  ASSERT_NO_FATAL_FAILURE(StartNode(b_));
  auto known_after = b_.store->ScanPrefix("issuance/known/");
  ASSERT_TRUE(known_after.ok()) << known_after.status();
  EXPECT_EQ(known_after->size(), 498u);
  EXPECT_TRUE(Sorted(*known_after) == Sorted(*known_before));

  report = VerifyAt(b_, issued->jws());
  EXPECT_FALSE(report.valid()) << "the revoked credential stays revoked";
  EXPECT_EQ(report.status(), issuance::v1::CREDENTIAL_STATUS_REVOKED);
  EXPECT_NE(Check(report, "status").detail().find(reason), std::string::npos)
      << Check(report, "status").detail();
  valid_at_b = 0;
  for (const std::string& jws : cohort_jws) valid_at_b += VerifyAt(b_, jws).valid() ? 1 : 0;
  EXPECT_EQ(valid_at_b, 497);
}

}  // namespace
}  // namespace microcred
