#include "tools/mcctl/json_input.h"

#include <gtest/gtest.h>

#include "microcred/issuance/v1/issuance.pb.h"

namespace microcred::mcctl {
namespace {

using issuance::v1::EraseLearnerRequest;

TEST(JsonInputTest, ReadsProtoAndCamelCaseNames) {
  EraseLearnerRequest request;
  ASSERT_TRUE(ParseJsonMessage(R"({"learner_id": "s1"})", "a.json", request).ok());
  EXPECT_EQ(request.learner_id(), "s1");
  ASSERT_TRUE(ParseJsonMessage(R"({"learnerId": "s2"})", "a.json", request).ok());
  EXPECT_EQ(request.learner_id(), "s2");
}

TEST(JsonInputTest, ClearsWhatWasThereBefore) {
  EraseLearnerRequest request;
  request.set_request_id("old");
  ASSERT_TRUE(ParseJsonMessage(R"({"learner_id": "s1"})", "a.json", request).ok());
  EXPECT_EQ(request.request_id(), "");
}

TEST(JsonInputTest, AMisspeltFieldIsAnErrorNamingTheFileTheTypeAndTheHint) {
  EraseLearnerRequest request;
  absl::Status status = ParseJsonMessage(R"({"lerner_id": "s1"})", "erase.json", request,
                                         "the file holds {\"learner_id\": ...}");
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const std::string message(status.message());
  EXPECT_TRUE(message.starts_with("erase.json: not a EraseLearnerRequest in JSON (")) << message;
  EXPECT_NE(message.find("lerner_id"), std::string::npos) << message;
  EXPECT_TRUE(message.ends_with("; the file holds {\"learner_id\": ...}")) << message;
}

TEST(JsonInputTest, NotJsonAtAllIsAnError) {
  EraseLearnerRequest request;
  absl::Status status = ParseJsonMessage("learner_id,given_name\n", "-", request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(std::string(status.message()).starts_with("-: not a EraseLearnerRequest in JSON ("))
      << status;
}

}  // namespace
}  // namespace microcred::mcctl
