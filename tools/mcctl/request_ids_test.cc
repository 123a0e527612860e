#include "tools/mcctl/request_ids.h"

#include <gtest/gtest.h>

#include <set>

#include "libs/crypto/crypto.h"
#include "libs/events/request_ids.h"

namespace microcred::mcctl {
namespace {

// `id` is `prefix` followed by exactly `hex_digits` lower-case hex digits.
::testing::AssertionResult PrefixedHex(const std::string& id, const std::string& prefix,
                                       size_t hex_digits) {
  const bool ok = id.size() == prefix.size() + hex_digits && id.starts_with(prefix) &&
                  id.find_first_not_of("0123456789abcdef", prefix.size()) == std::string::npos;
  if (ok) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << id << " is not " << prefix << " + " << hex_digits << " hex digits";
}
using issuance::v1::IssueCredentialRequest;

IssueCredentialRequest SampleIssue() {
  IssueCredentialRequest request;
  request.set_specification_id("uclouvain/open-science");
  request.mutable_learner()->set_learner_id("s1");
  request.mutable_learner()->set_given_name("Marie");
  request.mutable_learner()->set_family_name("Dupont");
  request.mutable_issued_on()->set_year(2026);
  request.mutable_issued_on()->set_month(3);
  request.mutable_issued_on()->set_day(14);
  request.set_place_of_issuing("Louvain-la-Neuve");
  request.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
  request.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  return request;
}

TEST(RequestIdsTest, PublishIdIsStableAndFollowsTheContent) {
  const std::string id = PublishRequestId("{\"content\":{}}");
  EXPECT_EQ(id, PublishRequestId("{\"content\":{}}"));
  EXPECT_NE(id, PublishRequestId("{\"content\":{} }"));
  // Named ecosystems are part of the request: one file published in two is two requests.
  EXPECT_EQ(PublishRequestId("{\"content\":{}}", "fwb"),
            PublishRequestId("{\"content\":{}}", "fwb"));
  EXPECT_NE(PublishRequestId("{\"content\":{}}", "fwb"), id);
  EXPECT_NE(PublishRequestId("{\"content\":{}}", "fwb"),
            PublishRequestId("{\"content\":{}}", "alliance"));
  EXPECT_TRUE(PrefixedHex(id, "mcctl-publish-", 32));
  EXPECT_TRUE(events::ValidateRequestId(id).ok());
}

TEST(RequestIdsTest, CohortIdsDependOnFileSpecificationAndRow) {
  const std::string file = "learner_id,given_name,family_name\ns1,Marie,Dupont\n";
  const std::string key = CohortKey("uclouvain/a", file);
  EXPECT_EQ(key, CohortKey("uclouvain/a", file));  // same file again: same ids
  EXPECT_NE(key, CohortKey("uclouvain/b", file));  // same class list, other credential
  EXPECT_NE(key, CohortKey("uclouvain/a", file + "s2,Jean,Martin\n"));  // an edited file
  EXPECT_TRUE(PrefixedHex(key, "", 24));
  EXPECT_EQ(CohortRowRequestId(key, 2), "mcctl-cohort-" + key + "-r2");
  EXPECT_NE(CohortRowRequestId(key, 2), CohortRowRequestId(key, 3));
  const std::string biggest = CohortRowRequestId(key, 2147483647);
  EXPECT_TRUE(events::ValidateRequestId(biggest).ok()) << biggest;
}

TEST(RequestIdsTest, CohortKeySeparatesSpecificationFromContent) {
  // Length-prefixed parts: moving bytes between the two parts changes the key.
  EXPECT_NE(CohortKey("ab", "c"), CohortKey("a", "bc"));
}

TEST(RequestIdsTest, IssueIdIgnoresTheRequestIdField) {
  IssueCredentialRequest a = SampleIssue();
  IssueCredentialRequest b = SampleIssue();
  b.set_request_id("something-else");
  EXPECT_EQ(IssueRequestId(a), IssueRequestId(b));
  EXPECT_TRUE(PrefixedHex(IssueRequestId(a), "mcctl-issue-", 32));
  EXPECT_TRUE(events::ValidateRequestId(IssueRequestId(a)).ok());
}

TEST(RequestIdsTest, IssueIdChangesWithEveryField) {
  std::vector<IssueCredentialRequest> variants(15, SampleIssue());
  variants[1].set_specification_id("uclouvain/other");
  variants[2].set_specification_version(2);
  variants[3].mutable_learner()->set_learner_id("s2");
  variants[4].mutable_learner()->set_given_name("Marie-Anne");
  variants[5].mutable_learner()->set_family_name("Dupond");
  variants[6].mutable_learner()->set_email("m@example.org");
  variants[7].mutable_issued_on()->set_day(15);
  variants[8].set_place_of_issuing("Mons");
  variants[9].mutable_grade();  // an empty grade is not no grade
  variants[10].set_supervision_applied(common::v1::SUPERVISION_SUPERVISED_ONLINE);
  variants[11].set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_PRIOR_LEARNING_VALIDATION);
  variants[12].set_signature_algorithm(issuance::v1::SIGNATURE_ALGORITHM_ES256);
  variants[13].set_securing_profile(issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT);
  variants[14].set_securing_profile(issuance::v1::SECURING_PROFILE_VC_JOSE_COSE);
  std::set<std::string> ids;
  for (const IssueCredentialRequest& variant : variants) ids.insert(IssueRequestId(variant));
  EXPECT_EQ(ids.size(), variants.size());
}

TEST(RequestIdsTest, StatusIdsSeparateActionsReasonsAndDays) {
  const std::string id = StatusRequestId("suspend", "urn:uuid:1", "investigation", "2026-03-14");
  EXPECT_EQ(id, StatusRequestId("suspend", "urn:uuid:1", "investigation", "2026-03-14"));
  EXPECT_NE(id, StatusRequestId("suspend", "urn:uuid:1", "investigation", "2026-03-15"));
  EXPECT_NE(id, StatusRequestId("suspend", "urn:uuid:1", "other reason", "2026-03-14"));
  EXPECT_NE(id, StatusRequestId("suspend", "urn:uuid:2", "investigation", "2026-03-14"));
  EXPECT_TRUE(
      PrefixedHex(StatusRequestId("revoke", "urn:uuid:1", "fraud", ""), "mcctl-revoke-", 32));
  EXPECT_TRUE(events::ValidateRequestId(id).ok());
}

TEST(RequestIdsTest, MessageIdFollowsEveryFieldOfTheRequest) {
  issuance::v1::EraseLearnerRequest a;
  a.set_learner_id("s1");
  issuance::v1::EraseLearnerRequest b = a;
  b.set_learner_id("s2");
  const std::string id = MessageRequestId("erase", a);
  EXPECT_EQ(id, MessageRequestId("erase", a));  // the same command again: the same id
  EXPECT_NE(id, MessageRequestId("erase", b));
  EXPECT_NE(id, MessageRequestId("other", a));
  EXPECT_TRUE(PrefixedHex(id, "mcctl-erase-", 32));
  EXPECT_TRUE(events::ValidateRequestId(id).ok());
  // The ids mcctl derived before this function (recognition request, pathway publish) stay.
  EXPECT_EQ(
      id, "mcctl-erase-" + crypto::HexEncode(crypto::Sha256(a.SerializeAsString())).substr(0, 32));
}

TEST(RequestIdsTest, MessageIdWithAPeriodChangesWithThePeriod) {
  issuance::v1::EraseLearnerRequest a;
  a.set_learner_id("s1");
  const std::string day1 = MessageRequestId("ask-info", a, "2026-03-14");
  EXPECT_EQ(day1, MessageRequestId("ask-info", a, "2026-03-14"));
  EXPECT_NE(day1, MessageRequestId("ask-info", a, "2026-03-15"));
  EXPECT_NE(day1, MessageRequestId("ask-info", a));
  EXPECT_TRUE(PrefixedHex(day1, "mcctl-ask-info-", 32));
  EXPECT_TRUE(events::ValidateRequestId(day1).ok());
}

TEST(RequestIdsTest, RecognitionRoundCountsTheEntriesIntoAState) {
  namespace rv1 = recognition::v1;
  rv1::RecognitionRequest request;
  auto enter = [&](rv1::RequestState to) { request.add_history()->set_to(to); };
  EXPECT_EQ(RecognitionRound(request, rv1::REQUEST_STATE_RECEIVED), "");
  enter(rv1::REQUEST_STATE_RECEIVED);  // submitted
  enter(rv1::REQUEST_STATE_UNDER_REVIEW);
  enter(rv1::REQUEST_STATE_INCOMPLETE);  // information asked during review
  EXPECT_EQ(RecognitionRound(request, rv1::REQUEST_STATE_RECEIVED), "");
  EXPECT_EQ(RecognitionRound(request, rv1::REQUEST_STATE_INCOMPLETE), "");
  enter(rv1::REQUEST_STATE_RECEIVED);  // provided: to be reviewed again
  EXPECT_EQ(RecognitionRound(request, rv1::REQUEST_STATE_RECEIVED), "round-2");
  enter(rv1::REQUEST_STATE_INCOMPLETE);  // asked again
  EXPECT_EQ(RecognitionRound(request, rv1::REQUEST_STATE_INCOMPLETE), "round-2");
  rv1::StartReviewRequest start;
  start.set_request_id("uclouvain/r1");
  EXPECT_NE(
      MessageRequestId("review", start, RecognitionRound(request, rv1::REQUEST_STATE_RECEIVED)),
      MessageRequestId("review", start, ""));
}

}  // namespace
}  // namespace microcred::mcctl
