// CurlFetcher: the node's HttpFetcher (libs/ports/http_fetcher.h) over libcurl.
//
// Each fetch, hop by hop (redirects are followed here, not by libcurl, so that every hop is
// checked like the first):
//   1. a pinned URL is answered from the pinned documents; offline, nothing else is answered;
//   2. a fresh cached answer is returned (fetch_cache.h);
//   3. the URL must be https (http with allow_http), without userinfo or a zone id;
//   4. the host is resolved here, and every address it resolves to must be public
//      (address_policy.h) unless the host (name and port, as written in the URL) is allowed;
//   5. libcurl is handed exactly the checked addresses (CURLOPT_RESOLVE) and refused any
//      other at socket creation (CURLOPT_OPENSOCKETFUNCTION), so that a second lookup (DNS
//      rebinding) or a proxy from the environment cannot reach another address;
//   6. TLS is verified against the system's CAs and `ca_file`;
//   7. the body is cut off as soon as it passes max_body_bytes (a larger Content-Length is
//      refused before reading); the whole fetch, redirects included, is bounded by `timeout`.
// 200 answers are cached (by the requested URL); errors are not cached, so that an issuer back
// up is seen at once (a slow one costs at most `timeout` per fetch).
#ifndef MICROCRED_LIBS_ADAPTERS_CURL_CURL_FETCHER_H_
#define MICROCRED_LIBS_ADAPTERS_CURL_CURL_FETCHER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/adapters/curl/address_policy.h"
#include "libs/adapters/curl/fetch_cache.h"
#include "libs/adapters/curl/pinned_documents.h"
#include "libs/base/clock.h"
#include "libs/ports/http_fetcher.h"

namespace microcred {

struct HttpFetcherOptions {
  // PEM CA certificates trusted in addition to the system's (/etc/ssl/certs); empty: none.
  std::string ca_file;
  // Hosts that may be on loopback, private or other restricted addresses (tests, intranets).
  fetch::HostAllowList allowed_hosts;
  bool allow_http = false;
  // Bounds connecting and the whole fetch, redirects included.
  absl::Duration timeout = absl::Milliseconds(5000);
  int64_t max_body_bytes = 1 << 20;
  int max_redirects = 5;
  // Offline: only pinned URLs answer; nothing reaches the network.
  bool offline = false;
  fetch::PinnedDocuments pinned;
  size_t cache_entries = fetch::kDefaultCacheEntries;
  Clock clock;  // cache expiry
};

class CurlFetcher : public HttpFetcher {
 public:
  // InvalidArgument naming the option when one is out of range (timeout, max_body_bytes,
  // max_redirects) or NotFound when ca_file cannot be read.
  static absl::StatusOr<std::unique_ptr<CurlFetcher>> Create(HttpFetcherOptions options);

  ~CurlFetcher() override;

  absl::StatusOr<FetchedDocument> Get(const FetchRequest& request) override;

  const HttpFetcherOptions& options() const { return options_; }

 private:
  explicit CurlFetcher(HttpFetcherOptions options);

  absl::StatusOr<FetchedDocument> Fetch(const FetchRequest& request);
  // An easy handle from the pool, or a new one; back to the pool when done. Reused handles keep
  // libcurl's live connections (each to an address checked when it was opened, for the same
  // host and port), TLS sessions and parsed CAs: fetching a status list and then a key from
  // one issuer costs one handshake, not two.
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  const HttpFetcherOptions options_;
  fetch::FetchCache cache_;
  absl::Mutex pool_mu_;
  std::vector<void*> idle_ ABSL_GUARDED_BY(pool_mu_);  // CURL*
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_ADAPTERS_CURL_CURL_FETCHER_H_
