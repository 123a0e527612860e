#include "libs/status_list/status_list_credential.h"

#include <gtest/gtest.h>

namespace microcred::status_list {
namespace {

constexpr int64_t kSpecExampleTimeMs = 1'617'632'860'000;  // 2021-04-05T14:27:40Z

StatusList OneBit() { return StatusList::Create(1).value(); }
StatusList TwoBits() { return StatusList::Create(2).value(); }

nlohmann::json Build(const std::string& id, StatusPurpose purpose, const StatusList& list,
                     int64_t valid_from_ms) {
  absl::StatusOr<nlohmann::json> credential =
      BuildStatusListCredential(id, "https://n/", purpose, list, valid_from_ms);
  EXPECT_TRUE(credential.ok()) << credential.status();
  return credential.ok() ? *credential : nlohmann::json();
}

TEST(StatusListCredentialTest, HasTheSpecShape) {
  StatusList bits = OneBit();
  ASSERT_TRUE(bits.Set(94'567, 1).ok());
  const nlohmann::json credential =
      BuildStatusListCredential("https://node.example.edu/status/1", "https://node.example.edu/",
                                StatusPurpose::kRevocation, bits, kSpecExampleTimeMs)
          .value();
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
  StatusList bits = OneBit();
  ASSERT_TRUE(bits.Set(7, 1).ok());
  const nlohmann::json credential =
      Build("https://n/status/2", StatusPurpose::kSuspension, bits, 0);
  EXPECT_EQ(credential["credentialSubject"]["statusPurpose"], "suspension");
  EXPECT_FALSE(credential["credentialSubject"].contains("statusSize"));
  absl::StatusOr<StatusBitstring> decoded =
      StatusBitstring::Decode(credential["credentialSubject"]["encodedList"].get<std::string>());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, bits.bits());
}

// The spec's "message" list: statusSize and the messages in the subject, under the list
// section's name (statusMessages) and the entry's (statusMessage, the v2 context's term).
TEST(StatusListCredentialTest, MessageListHasItsSizeAndMessages) {
  StatusList list = TwoBits();
  ASSERT_TRUE(list.Set(4'217, kMessageSuspended).ok());
  const nlohmann::json credential =
      Build("https://n/institutions/x/status/message", StatusPurpose::kMessage, list, 0);
  const nlohmann::json& subject = credential["credentialSubject"];
  EXPECT_EQ(subject["type"], "BitstringStatusList");
  EXPECT_EQ(subject["statusPurpose"], "message");
  EXPECT_EQ(subject["statusSize"], 2);
  const nlohmann::json messages = nlohmann::json::parse(R"([
    {"status": "0x0", "message": "active"},
    {"status": "0x1", "message": "revoked"},
    {"status": "0x2", "message": "suspended"},
    {"status": "0x3", "message": "undefined"}
  ])");
  EXPECT_EQ(subject["statusMessages"], messages);
  EXPECT_EQ(subject["statusMessage"], messages);
  absl::StatusOr<StatusList> decoded =
      StatusList::Decode(subject["encodedList"].get<std::string>(), 2);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded->Get(4'217), 2u);
}

TEST(StatusListCredentialTest, RefusesAListWhoseEntriesAreNotThePurposesSize) {
  EXPECT_EQ(
      BuildStatusListCredential("https://n/s", "https://n/", StatusPurpose::kMessage, OneBit(), 0)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildStatusListCredential("https://n/s", "https://n/", StatusPurpose::kRevocation,
                                      TwoBits(), 0)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StatusListCredentialTest, IsDeterministic) {
  StatusList bits = TwoBits();
  ASSERT_TRUE(bits.Set(3, 1).ok());
  const auto build = [&bits] {
    return Build("https://n/s/1", StatusPurpose::kMessage, bits, kSpecExampleTimeMs).dump();
  };
  EXPECT_EQ(build(), build());
}

TEST(StatusListCredentialTest, ValidFromIsUtcWithFractionOnlyWhenNeeded) {
  const StatusList bits = OneBit();
  const auto valid_from = [&bits](int64_t ms) {
    return Build("https://n/s", StatusPurpose::kRevocation, bits, ms)["validFrom"]
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

// The spec's example of a "message" entry, with the platform's codes and reference.
TEST(StatusListEntryTest, MessageEntryHasItsSizeMessagesAndReference) {
  const nlohmann::json entry = BuildStatusListEntry(
      "https://u.example/institutions/u/status/message", StatusPurpose::kMessage, 492'847,
      "https://u.example/institutions/u/status");
  EXPECT_EQ(entry, nlohmann::json::parse(R"({
    "id": "https://u.example/institutions/u/status/message#492847",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "message",
    "statusListIndex": "492847",
    "statusSize": 2,
    "statusListCredential": "https://u.example/institutions/u/status/message",
    "statusMessage": [
      {"status": "0x0", "message": "active"},
      {"status": "0x1", "message": "revoked"},
      {"status": "0x2", "message": "suspended"},
      {"status": "0x3", "message": "undefined"}
    ],
    "statusReference": "https://u.example/institutions/u/status"
  })"));
  // One message per value of the entry's bits, as the spec requires.
  EXPECT_EQ(entry["statusMessage"].size(), size_t{1} << entry["statusSize"].get<int>());
  EXPECT_FALSE(
      BuildStatusListEntry("https://n/s", StatusPurpose::kMessage, 1).contains("statusReference"));
}

TEST(StatusListUrlTest, IsTheBaseAndThePurpose) {
  EXPECT_EQ(StatusListUrl("https://u.example/institutions/u/status", StatusPurpose::kMessage),
            "https://u.example/institutions/u/status/message");
  EXPECT_EQ(StatusListUrl("https://u.example/s", StatusPurpose::kSuspension),
            "https://u.example/s/suspension");
  EXPECT_EQ(StatusSizeOf(StatusPurpose::kMessage), 2);
  EXPECT_EQ(StatusSizeOf(StatusPurpose::kRevocation), 1);
  EXPECT_EQ(StatusSizeOf(StatusPurpose::kSuspension), 1);
}

TEST(StatusReferenceTest, NamesTheListsAndExplainsEachCode) {
  const nlohmann::json doc = BuildStatusReference("https://u.example/institutions/u/status",
                                                  "https://u.example/institutions/u");
  EXPECT_EQ(doc["id"], "https://u.example/institutions/u/status");
  EXPECT_EQ(doc["issuer"], "https://u.example/institutions/u");
  ASSERT_EQ(doc["statusLists"].size(), 3u);
  EXPECT_EQ(doc["statusLists"][0]["statusPurpose"], "message");
  EXPECT_EQ(doc["statusLists"][0]["statusSize"], 2);
  EXPECT_EQ(doc["statusLists"][0]["statusListCredential"],
            "https://u.example/institutions/u/status/message");
  EXPECT_EQ(doc["statusLists"][1]["statusListCredential"],
            "https://u.example/institutions/u/status/revocation");
  EXPECT_EQ(doc["statusLists"][2]["statusSize"], 1);
  ASSERT_EQ(doc["statusMessage"].size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(doc["statusMessage"][i]["status"], StatusMessagesJson()[i]["status"]);
    EXPECT_EQ(doc["statusMessage"][i]["message"], StatusMessagesJson()[i]["message"]);
    EXPECT_FALSE(doc["statusMessage"][i].value("description", "").empty());
  }
}

TEST(StatusPurposeTest, NamesRoundTripAndOthersAreRefused) {
  for (StatusPurpose purpose :
       {StatusPurpose::kRevocation, StatusPurpose::kSuspension, StatusPurpose::kMessage}) {
    absl::StatusOr<StatusPurpose> parsed = ParseStatusPurpose(StatusPurposeName(purpose));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, purpose);
  }
  EXPECT_EQ(ParseStatusPurpose("message").value(), StatusPurpose::kMessage);
  EXPECT_EQ(ParseStatusPurpose("refresh").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseStatusPurpose("Revocation").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseStatusPurpose("").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace microcred::status_list
