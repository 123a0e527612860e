#include "libs/adapters/curl/fetch_cache.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace microcred::fetch {

std::optional<absl::Duration> CacheLifetime(absl::string_view cache_control) {
  std::optional<absl::Duration> max_age;
  for (absl::string_view raw : absl::StrSplit(cache_control, ',', absl::SkipWhitespace())) {
    absl::string_view directive = absl::StripAsciiWhitespace(raw);
    if (absl::EqualsIgnoreCase(directive, "no-store")) return std::nullopt;
    if (absl::StartsWithIgnoreCase(directive, "max-age=")) {
      absl::string_view value = directive.substr(8);
      absl::ConsumePrefix(&value, "\"");
      absl::ConsumeSuffix(&value, "\"");
      int64_t seconds = 0;
      if (absl::SimpleAtoi(value, &seconds) && seconds >= 0) max_age = absl::Seconds(seconds);
    }
  }
  if (!max_age) return kDefaultCacheLifetime;
  return std::clamp(*max_age, kMinCacheLifetime, kMaxCacheLifetime);
}

std::optional<FetchedDocument> FetchCache::Find(const std::string& url, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(url);
  if (it == entries_.end()) return std::nullopt;
  if (now >= it->second.expires) {
    EraseLocked(it);
    return std::nullopt;
  }
  return it->second.document;
}

void FetchCache::Put(const std::string& url, FetchedDocument document, absl::Time expires) {
  if (capacity_ == 0) return;
  absl::MutexLock lock(&mu_);
  if (auto it = entries_.find(url); it != entries_.end()) EraseLocked(it);
  while (entries_.size() >= capacity_) EraseLocked(entries_.find(order_.begin()->second));
  const uint64_t stored = next_++;
  order_.emplace(stored, url);
  entries_.emplace(url, Entry{std::move(document), expires, stored});
}

size_t FetchCache::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

void FetchCache::EraseLocked(std::map<std::string, Entry>::iterator it) {
  order_.erase(it->second.stored);
  entries_.erase(it);
}

}  // namespace microcred::fetch
