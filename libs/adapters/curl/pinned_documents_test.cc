#include "libs/adapters/curl/pinned_documents.h"

#include "gtest/gtest.h"

namespace microcred::fetch {
namespace {

TEST(PinnedDocumentsTest, ReadsJsonDocumentsAndStrings) {
  auto pinned = ParsePinnedDocuments(R"({
    "https://x.example/.well-known/did.json": {"id": "did:web:x.example"},
    "https://x.example/status/1": "eyJhbGciOiJFUzI1NiJ9.e30.c2ln"
  })");
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  ASSERT_EQ(pinned->size(), 2u);
  const FetchedDocument& did = pinned->at("https://x.example/.well-known/did.json");
  EXPECT_EQ(did.body, R"({"id":"did:web:x.example"})");
  EXPECT_EQ(did.content_type, "application/json");
  EXPECT_EQ(did.url, "https://x.example/.well-known/did.json");
  EXPECT_TRUE(did.from_cache);
  EXPECT_TRUE(did.pinned);
  const FetchedDocument& list = pinned->at("https://x.example/status/1");
  EXPECT_EQ(list.body, "eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
  EXPECT_EQ(list.content_type, "text/plain");
}

TEST(PinnedDocumentsTest, RefusesWhatIsNotAnObjectOfUrls) {
  for (const char* bad : {"", "[]", "{", R"({"did:web:x.example": {}})",
                          R"({"https://a.example/": 1, "https://a.example/": 2})"}) {
    auto pinned = ParsePinnedDocuments(bad);
    ASSERT_FALSE(pinned.ok()) << bad;
    EXPECT_EQ(pinned.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(ParsePinnedDocuments(R"({"did:web:x.example": {}})")
                .status()
                .message()
                .find("did:web:x.example"),
            std::string::npos);
  EXPECT_EQ(LoadPinnedDocuments("/nonexistent/pins.json").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace microcred::fetch
