#include "libs/adapters/curl/fetch_cache.h"

#include "gtest/gtest.h"

namespace microcred::fetch {
namespace {

TEST(CacheLifetimeTest, BoundsMaxAgeAndHonoursNoStore) {
  EXPECT_EQ(CacheLifetime(""), kDefaultCacheLifetime);
  EXPECT_EQ(CacheLifetime("public"), absl::Minutes(10));
  EXPECT_EQ(CacheLifetime("max-age=300"), absl::Minutes(5));
  EXPECT_EQ(CacheLifetime("public, Max-Age=\"120\""), absl::Minutes(2));
  EXPECT_EQ(CacheLifetime("max-age=0"), kMinCacheLifetime);
  EXPECT_EQ(CacheLifetime("max-age=5"), absl::Minutes(1));
  EXPECT_EQ(CacheLifetime("max-age=31536000"), kMaxCacheLifetime);
  EXPECT_EQ(CacheLifetime("max-age=soon"), kDefaultCacheLifetime);
  EXPECT_EQ(CacheLifetime("no-cache"), kDefaultCacheLifetime);
  EXPECT_EQ(CacheLifetime("no-store"), std::nullopt);
  EXPECT_EQ(CacheLifetime("max-age=600, NO-STORE"), std::nullopt);
}

TEST(FetchCacheTest, AnswersUntilExpiry) {
  FetchCache cache;
  const absl::Time t0 = absl::FromUnixSeconds(1'800'000'000);
  cache.Put("https://a.example/k", {.url = "https://a.example/k", .body = "key"},
            t0 + absl::Minutes(1));
  ASSERT_TRUE(cache.Find("https://a.example/k", t0));
  EXPECT_EQ(cache.Find("https://a.example/k", t0 + absl::Seconds(59))->body, "key");
  EXPECT_FALSE(cache.Find("https://a.example/k", t0 + absl::Minutes(1)));
  EXPECT_EQ(cache.size(), 0u);  // an expired entry goes when seen
  EXPECT_FALSE(cache.Find("https://b.example/", t0));
}

TEST(FetchCacheTest, EvictsTheOldestStoredWhenFull) {
  FetchCache cache(3);
  const absl::Time t0 = absl::FromUnixSeconds(1'800'000'000);
  const absl::Time later = t0 + absl::Hours(1);
  cache.Put("u1", {.body = "1"}, later);
  cache.Put("u2", {.body = "2"}, later);
  cache.Put("u3", {.body = "3"}, later);
  cache.Put("u1", {.body = "1 again"}, later);  // stored anew: now the newest
  cache.Put("u4", {.body = "4"}, later);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.Find("u2", t0));
  EXPECT_EQ(cache.Find("u1", t0)->body, "1 again");
  EXPECT_TRUE(cache.Find("u3", t0));
  EXPECT_TRUE(cache.Find("u4", t0));
}

TEST(FetchCacheTest, HoldsAtMostTheDefaultNumberOfEntries) {
  FetchCache cache;
  const absl::Time later = absl::FromUnixSeconds(1'800'000'000);
  for (int i = 0; i < 1100; ++i) cache.Put("u" + std::to_string(i), {}, later);
  EXPECT_EQ(cache.size(), kDefaultCacheEntries);
  EXPECT_FALSE(cache.Find("u0", absl::UnixEpoch()));
  EXPECT_TRUE(cache.Find("u1099", absl::UnixEpoch()));
}

}  // namespace
}  // namespace microcred::fetch
