#include "libs/ports/testing/fake_http_fetcher.h"

#include "gtest/gtest.h"

namespace microcred::testing_ports {
namespace {

TEST(FakeHttpFetcherTest, AnswersWhatTheTestServesAndCountsCalls) {
  FakeHttpFetcher fetcher;
  fetcher.Serve("https://x.example/.well-known/did.json", R"({"id":"did:web:x.example"})");
  fetcher.Fail("https://down.example/k",
               absl::UnavailableError("GET https://down.example/k: down"));

  auto doc = fetcher.Get({.url = "https://x.example/.well-known/did.json"});
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->body, R"({"id":"did:web:x.example"})");
  EXPECT_EQ(doc->content_type, "application/json");
  EXPECT_EQ(doc->url, "https://x.example/.well-known/did.json");
  EXPECT_FALSE(doc->from_cache);

  EXPECT_EQ(fetcher.Get({.url = "https://down.example/k"}).status().code(),
            absl::StatusCode::kUnavailable);
  auto missing = fetcher.Get({.url = "https://x.example/none", .accept = "application/jwk+json"});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(missing.status().message().find("https://x.example/none"), std::string::npos);

  EXPECT_EQ(fetcher.calls("https://x.example/.well-known/did.json"), 1);
  EXPECT_EQ(fetcher.total_calls(), 3);
  EXPECT_EQ(fetcher.requests().back().accept, "application/jwk+json");

  fetcher.Remove("https://x.example/.well-known/did.json");
  EXPECT_FALSE(fetcher.Get({.url = "https://x.example/.well-known/did.json"}).ok());
}

}  // namespace
}  // namespace microcred::testing_ports
