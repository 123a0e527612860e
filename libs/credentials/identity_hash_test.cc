// The learner's hashed identifiers our documents carry are recomputed from what a verifier is
// told: the e-mail address in any case and spacing, the learner id as issued.
#include "libs/credentials/identity_hash.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "libs/credentials/open_badge.h"
#include "libs/credentials/testing/sample_facts.h"

namespace microcred::credentials {
namespace {

// The hashed IdentityObjects of the sample credential: {identityType, identityHash, salt}.
std::vector<nlohmann::json> HashedIdentifiers() {
  const auto document = WriteOpenBadgeCredential(testing::SampleFacts());
  EXPECT_TRUE(document.ok()) << document.status();
  std::vector<nlohmann::json> out;
  const nlohmann::json doc = nlohmann::json::parse(*document);
  for (const auto& id : doc["credentialSubject"]["identifier"]) {
    if (id["hashed"] == true) out.push_back(id);
  }
  return out;
}

bool Matches(const nlohmann::json& id, std::string_view identifier) {
  return IdentityHashMatches(id["identityHash"].get<std::string>(), id["salt"].get<std::string>(),
                             identifier);
}

TEST(IdentityHashTest, TheIssuedHashesAreRecomputedFromWhatTheLearnerIsKnownBy) {
  const auto ids = HashedIdentifiers();
  ASSERT_EQ(ids.size(), 2u);
  ASSERT_EQ(ids[0]["identityType"], "emailAddress");
  EXPECT_TRUE(Matches(ids[0], testing::kSampleEmail));
  std::string shouted(testing::kSampleEmail);
  for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(Matches(ids[0], "  " + shouted + " "));
  EXPECT_TRUE(Matches(ids[1], testing::kSampleLearnerId));

  EXPECT_FALSE(Matches(ids[0], "someone.else@example.org"));
  EXPECT_FALSE(Matches(ids[1], testing::kSampleEmail));
  EXPECT_FALSE(Matches(ids[0], ""));
  EXPECT_FALSE(IdentityHashMatches(ids[0]["identityHash"].get<std::string>(), "another salt",
                                   testing::kSampleEmail));
}

TEST(IdentityHashTest, HexInEitherCaseAndOnlySha256) {
  const auto ids = HashedIdentifiers();
  std::string upper = ids[1]["identityHash"];
  for (size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_TRUE(
      IdentityHashMatches(upper, ids[1]["salt"].get<std::string>(), testing::kSampleLearnerId));
  std::string md5 = ids[1]["identityHash"];
  md5.replace(0, 6, "md5");
  EXPECT_FALSE(
      IdentityHashMatches(md5, ids[1]["salt"].get<std::string>(), testing::kSampleLearnerId));
}

}  // namespace
}  // namespace microcred::credentials
