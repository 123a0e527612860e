#include "libs/domain/specification_id.h"

#include <gtest/gtest.h>

#include <string>

namespace microcred::domain {
namespace {

TEST(InstitutionIdTest, LowerCaseDigitsDotsAndHyphens) {
  for (const char* id : {"ul", "uclouvain", "he-vinci.be", "u-2"}) {
    EXPECT_TRUE(ValidateInstitutionId(id).ok()) << id;
  }
  EXPECT_TRUE(ValidateInstitutionId(std::string(64, 'a')).ok());
  EXPECT_EQ(ValidateInstitutionId("").message(), "institution_id: is required");
  EXPECT_EQ(ValidateInstitutionId("u").message(),
            "institution_id: \"u\" is not an institution id (2 to 64 characters from "
            "[a-z0-9.-])");
  EXPECT_FALSE(ValidateInstitutionId("UCLouvain").ok());
  EXPECT_FALSE(ValidateInstitutionId("ucl/ouvain").ok());
  EXPECT_FALSE(ValidateInstitutionId("ucl_louvain").ok());
  EXPECT_FALSE(ValidateInstitutionId(std::string(65, 'a')).ok());
  EXPECT_EQ(ValidateInstitutionId("A", "request.issuer").message(),
            "request.issuer: \"A\" is not an institution id (2 to 64 characters from "
            "[a-z0-9.-])");
  EXPECT_EQ(ValidateInstitutionId("A").code(), absl::StatusCode::kInvalidArgument);
}

TEST(EcosystemIdTest, LettersDigitsDotsUnderscoresAndHyphens) {
  for (const char* id : {"e", "fwb", "EU-Alliance_2.0"}) {
    EXPECT_TRUE(ValidateEcosystemId(id).ok()) << id;
  }
  EXPECT_TRUE(ValidateEcosystemId(std::string(64, 'a')).ok());
  EXPECT_EQ(ValidateEcosystemId("").message(), "ecosystem_id: is required");
  EXPECT_FALSE(ValidateEcosystemId(std::string(65, 'a')).ok());
  EXPECT_FALSE(ValidateEcosystemId("a/b").ok());
  EXPECT_EQ(ValidateEcosystemId("a b", "request.ecosystem_id").message(),
            "request.ecosystem_id: \"a b\" is not an ecosystem id (1 to 64 characters from "
            "[A-Za-z0-9._-])");
}

TEST(LocalIdTest, LowerCaseDigitsAndHyphens) {
  EXPECT_TRUE(ValidateLocalId("a").ok());
  EXPECT_TRUE(ValidateLocalId("data-literacy-101").ok());
  EXPECT_TRUE(ValidateLocalId(std::string(64, 'z')).ok());
  EXPECT_EQ(ValidateLocalId("").message(), "local_id: is required");
  EXPECT_EQ(ValidateLocalId("Data.1").message(),
            "local_id: \"Data.1\" is not a local id (1 to 64 characters from [a-z0-9-])");
  EXPECT_FALSE(ValidateLocalId("a.b").ok());
  EXPECT_FALSE(ValidateLocalId(std::string(65, 'z')).ok());
}

TEST(SpecificationIdTest, MakeAndParseRoundTrip) {
  const std::string id = MakeSpecificationId("uclouvain", "data-101");
  EXPECT_EQ(id, "uclouvain/data-101");
  absl::StatusOr<SpecificationIdParts> parts = ParseSpecificationId(id);
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(parts->institution_id, "uclouvain");
  EXPECT_EQ(parts->local_id, "data-101");
  EXPECT_EQ(OwnerOf(id).value_or(""), "uclouvain");
}

TEST(SpecificationIdTest, MalformedIdsAreRefused) {
  EXPECT_EQ(OwnerOf("").status().message(), "specification_id: is required");
  EXPECT_EQ(OwnerOf("uclouvain").status().message(),
            "specification_id: \"uclouvain\" is not a specification id "
            "(<institution_id>/<local_id>)");
  EXPECT_EQ(OwnerOf("/x").status().message(), "specification_id (institution part): is required");
  EXPECT_EQ(OwnerOf("ucl/").status().message(), "specification_id (local part): is required");
  EXPECT_EQ(OwnerOf("ucl/a/b").status().message(),
            "specification_id (local part): \"a/b\" is not a local id (1 to 64 characters from "
            "[a-z0-9-])");
  EXPECT_EQ(OwnerOf("UCL/a", "request.specification_id").status().message(),
            "request.specification_id (institution part): \"UCL\" is not an institution id (2 "
            "to 64 characters from [a-z0-9.-])");
}

}  // namespace
}  // namespace microcred::domain
