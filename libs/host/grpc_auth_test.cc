#include "libs/host/grpc_auth.h"

#include <gtest/gtest.h>

namespace microcred::host {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

class GrpcAuthTest : public ::testing::Test {
 protected:
  GrpcAuthTest() : minter_(crypto::SigningKey::Generate(), "https://idp.example", "node-a") {
    EXPECT_TRUE(
        verifier_.AddTrustedKey(minter_.kid(), minter_.issuer(), minter_.public_key()).ok());
  }

  absl::StatusOr<auth::Caller> WithHeaders(const std::vector<std::string>& values) {
    values_ = values;
    GrpcMetadata metadata;
    metadata.emplace("user-agent", "test");
    for (const std::string& value : values_) metadata.emplace("authorization", value);
    return Authorize(metadata, verifier_, {auth::roles::kRegistrar}, kNow);
  }

  auth::TokenMinter minter_;
  auth::TokenVerifier verifier_{"node-a"};
  std::vector<std::string> values_;  // the metadata's string_refs point here
};

TEST_F(GrpcAuthTest, TheAuthorizationMetadataGivesTheCaller) {
  const std::string token =
      minter_.Mint("alice", "uni-a", {auth::roles::kRegistrar}, absl::Hours(1), kNow);
  auto caller = WithHeaders({"Bearer " + token});
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "alice");
  EXPECT_EQ(caller->institution_id, "uni-a");
}

TEST_F(GrpcAuthTest, EveryAuthorizationHeaderIsSeen) {
  const std::string token =
      minter_.Mint("alice", "uni-a", {auth::roles::kRegistrar}, absl::Hours(1), kNow);
  EXPECT_EQ(WithHeaders({}).status().code(), absl::StatusCode::kUnauthenticated);
  auto twice = WithHeaders({"Bearer " + token, "Bearer " + token});
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(twice.status().message(), "more than one authorization header");
}

}  // namespace
}  // namespace microcred::host
