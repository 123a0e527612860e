// FetchCache: the fetcher's answers by URL, each until its expiry, at most `capacity` of them
// (the oldest stored goes first when full). Thread-safe.
//
// CacheLifetime reads an answer's Cache-Control: `no-store` is not kept; `max-age=N` is kept N
// seconds bounded to [kMinCacheLifetime, kMaxCacheLifetime]; anything else (no header,
// `no-cache`, a malformed max-age) the default. The floor keeps an issuer answering max-age=0
// from making every verification a fetch; the ceiling makes a rotated key or a revocation seen
// within a day.
#ifndef MICROCRED_LIBS_ADAPTERS_CURL_FETCH_CACHE_H_
#define MICROCRED_LIBS_ADAPTERS_CURL_FETCH_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/ports/http_fetcher.h"

namespace microcred::fetch {

inline constexpr absl::Duration kMinCacheLifetime = absl::Minutes(1);
inline constexpr absl::Duration kMaxCacheLifetime = absl::Hours(24);
inline constexpr absl::Duration kDefaultCacheLifetime = absl::Minutes(10);
inline constexpr size_t kDefaultCacheEntries = 1024;

// How long an answer with this Cache-Control header (empty: none) is kept; nullopt: not kept.
std::optional<absl::Duration> CacheLifetime(absl::string_view cache_control);

class FetchCache {
 public:
  explicit FetchCache(size_t capacity = kDefaultCacheEntries) : capacity_(capacity) {}

  // The document stored for `url` while `now` is before its expiry.
  std::optional<FetchedDocument> Find(const std::string& url, absl::Time now);
  // Stores `document` for `url` until `expires`, replacing what was there.
  void Put(const std::string& url, FetchedDocument document, absl::Time expires);
  size_t size() const;

 private:
  struct Entry {
    FetchedDocument document;
    absl::Time expires;
    uint64_t stored;  // key in order_
  };
  void EraseLocked(std::map<std::string, Entry>::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, std::string> order_ ABSL_GUARDED_BY(mu_);  // oldest stored first
  uint64_t next_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace microcred::fetch

#endif  // MICROCRED_LIBS_ADAPTERS_CURL_FETCH_CACHE_H_
