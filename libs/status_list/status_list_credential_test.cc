#include "libs/status_list/status_list_credential.h"

#include <gtest/gtest.h>

namespace microcred::status_list {
namespace {

constexpr int64_t kSpecExampleTimeMs = 1'617'632'860'000;  // 2021-04-05T14:27:40Z

TEST(StatusListCredentialTest, HasTheSpecShape) {
  StatusBitstring bits;
  ASSERT_TRUE(bits.Set(94'567, true).ok());
  const nlohmann::json credential =
      BuildStatusListCredential("https://node.example.edu/status/1", "https://node.example.edu/",
                                StatusPurpose::kRevocation, bits, kSpecExampleTimeMs);
  const nlohmann::json expected = nlohmann::json::parse(R"({
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "https://node.example.edu/status/1",
    "type": ["VerifiableCredential", "BitstringStatusListCredential"],
    "issuer": "https://node.example.edu/",
    "validFrom": "2021-04-05T14:27:40Z",
    "credentialSubject": {
      "id": "https://node.example.edu/status/1#list",
      "type": "BitstringStatusList",
      "statusPurpose": "revocation",
      "encodedList": ")" + bits.Encode() + R"("
    }
  })");
  EXPECT_EQ(credential, expected);
}

TEST(StatusListCredentialTest, EncodedListCarriesTheBits) {
  StatusBitstring bits;
  ASSERT_TRUE(bits.Set(7, true).ok());
  const nlohmann::json credential = BuildStatusListCredential("https://n/status/2", "https://n/",
                                                              StatusPurpose::kSuspension, bits, 0);
  EXPECT_EQ(credential["credentialSubject"]["statusPurpose"], "suspension");
  absl::StatusOr<StatusBitstring> decoded =
      StatusBitstring::Decode(credential["credentialSubject"]["encodedList"].get<std::string>());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, bits);
}

TEST(StatusListCredentialTest, IsDeterministic) {
  StatusBitstring bits;
  ASSERT_TRUE(bits.Set(3, true).ok());
  const auto build = [&bits] {
    return BuildStatusListCredential("https://n/s/1", "https://n/", StatusPurpose::kRevocation,
                                     bits, kSpecExampleTimeMs)
        .dump();
  };
  EXPECT_EQ(build(), build());
}

TEST(StatusListCredentialTest, ValidFromIsUtcWithFractionOnlyWhenNeeded) {
  const StatusBitstring bits;
  const auto valid_from = [&bits](int64_t ms) {
    return BuildStatusListCredential("https://n/s", "https://n/", StatusPurpose::kRevocation, bits,
                                     ms)["validFrom"]
        .get<std::string>();
  };
  EXPECT_EQ(valid_from(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(valid_from(kSpecExampleTimeMs + 250), "2021-04-05T14:27:40.25Z");
  EXPECT_EQ(valid_from(kSpecExampleTimeMs + 7), "2021-04-05T14:27:40.007Z");
}

TEST(StatusListEntryTest, HasTheSpecShape) {
  const nlohmann::json entry = BuildStatusListEntry("https://example.com/credentials/status/3",
                                                    StatusPurpose::kRevocation, 94'567);
  EXPECT_EQ(entry, nlohmann::json::parse(R"({
    "id": "https://example.com/credentials/status/3#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://example.com/credentials/status/3"
  })"));
}

TEST(StatusPurposeTest, NamesRoundTripAndOthersAreRefused) {
  for (StatusPurpose purpose : {StatusPurpose::kRevocation, StatusPurpose::kSuspension}) {
    absl::StatusOr<StatusPurpose> parsed = ParseStatusPurpose(StatusPurposeName(purpose));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, purpose);
  }
  EXPECT_EQ(ParseStatusPurpose("message").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseStatusPurpose("Revocation").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseStatusPurpose("").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace microcred::status_list
