#include "libs/domain/versioning.h"

#include <gtest/gtest.h>

namespace microcred::domain {
namespace {

TEST(NextVersionTest, FirstPublicationThenRevisionsOfTheCurrentVersion) {
  EXPECT_EQ(*NextVersion("version", "u/p", 0, std::nullopt), 1u);
  EXPECT_EQ(*NextVersion("version", "u/p", 3, 3u), 4u);
}

TEST(NextVersionTest, StaleOrMisdirectedPublicationsAreRefusedNamingTheField) {
  auto exists = NextVersion("expected_version", "u/p", 0, 2u);
  EXPECT_EQ(exists.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(exists.status().message().substr(0, 17), "expected_version:");
  EXPECT_EQ(NextVersion("version", "u/p", 1, std::nullopt).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(NextVersion("version", "u/p", 2, 3u).status().code(), absl::StatusCode::kAborted);
}

}  // namespace
}  // namespace microcred::domain
