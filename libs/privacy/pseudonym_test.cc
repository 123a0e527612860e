#include "libs/privacy/pseudonym.h"

#include <gtest/gtest.h>

#include <string>

namespace microcred::privacy {
namespace {

std::string Secret(char fill) { return std::string(kPseudonymSecretBytes, fill); }

std::string Pseudonym(const std::string& secret, const std::string& institution,
                      const std::string& learner) {
  absl::StatusOr<std::string> pseudonym = LearnerPseudonym(secret, institution, learner);
  EXPECT_TRUE(pseudonym.ok()) << pseudonym.status();
  return pseudonym.value_or("");
}

TEST(LearnerPseudonymTest, KnownAnswer) {
  // Computed independently (Python hashlib.blake2b, digest_size=16, key=secret) over
  // "microcred.learner-pseudonym.v1\0" | u64be(len) institution | u64be(len) learner.
  // A change here gives every learner of every node a new pseudonym.
  std::string secret;
  for (int i = 0; i < 32; ++i) secret.push_back(static_cast<char>(i));
  EXPECT_EQ(Pseudonym(secret, "uclouvain", "student-42"), "lp1_uKUlw0jQPIQAUmm5oTv16w");
}

TEST(LearnerPseudonymTest, StableAndOfFixedFormat) {
  const std::string first = Pseudonym(Secret('k'), "uclouvain", "student-42");
  EXPECT_EQ(first, Pseudonym(Secret('k'), "uclouvain", "student-42"));
  EXPECT_EQ(first.size(), kPseudonymLength);
  EXPECT_EQ(first.rfind(kPseudonymPrefix, 0), 0u);
  EXPECT_EQ(first.find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 4),
            std::string::npos);
}

TEST(LearnerPseudonymTest, DistinctPerIssuerInstitutionAndLearner) {
  const std::string base = Pseudonym(Secret('k'), "uclouvain", "student-42");
  EXPECT_NE(base, Pseudonym(Secret('j'), "uclouvain", "student-42"));
  EXPECT_NE(base, Pseudonym(Secret('k'), "ulb", "student-42"));
  EXPECT_NE(base, Pseudonym(Secret('k'), "uclouvain", "student-43"));
}

TEST(LearnerPseudonymTest, FieldBoundariesAreUnambiguous) {
  EXPECT_NE(Pseudonym(Secret('k'), "ab", "c"), Pseudonym(Secret('k'), "a", "bc"));
}

TEST(LearnerPseudonymTest, RefusesBadInputs) {
  EXPECT_EQ(LearnerPseudonym("short", "uclouvain", "s").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LearnerPseudonym(Secret('k') + "x", "uclouvain", "s").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LearnerPseudonym(Secret('k'), "", "s").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LearnerPseudonym(Secret('k'), "uclouvain", "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// A tag is the institution's alone: another secret or institution gives another tag, and the
// same secret gives a learner's pseudonym and a credential's tag that differ even for equal ids.
TEST(CredentialTagTest, KeyedPerInstitutionAndApartFromPseudonyms) {
  auto tag = CredentialTag(Secret('k'), "uclouvain", "urn:uuid:1");
  ASSERT_TRUE(tag.ok()) << tag.status();
  EXPECT_EQ(tag->size(), kCredentialTagPrefix.size() + 22);
  EXPECT_EQ(tag->rfind(kCredentialTagPrefix, 0), 0u);
  EXPECT_EQ(*tag, *CredentialTag(Secret('k'), "uclouvain", "urn:uuid:1"));
  EXPECT_NE(*tag, *CredentialTag(Secret('j'), "uclouvain", "urn:uuid:1"));
  EXPECT_NE(*tag, *CredentialTag(Secret('k'), "ulb", "urn:uuid:1"));
  EXPECT_NE(*tag, *CredentialTag(Secret('k'), "uclouvain", "urn:uuid:2"));
  EXPECT_NE(tag->substr(4), Pseudonym(Secret('k'), "uclouvain", "urn:uuid:1").substr(4));
  // Computed independently, as the pseudonym's known answer, in "microcred.credential-tag.v1\0".
  std::string secret;
  for (int i = 0; i < 32; ++i) secret.push_back(static_cast<char>(i));
  EXPECT_EQ(*CredentialTag(secret, "uclouvain", "urn:uuid:1"), "ct1_34hH6CgN6pzjFnys93IkcA");
  EXPECT_EQ(CredentialTag(Secret('k'), "uclouvain", "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace microcred::privacy
