// HttpFetcher: the port through which a node reads documents from the network: outside
// issuers' DID documents, keys and status lists. One implementation for the node
// (libs/adapters/curl/, over libcurl) and fakes for unit tests (libs/ports/testing/).
//
// Whatever the implementation, a fetch is safe to make on an address a credential chose:
//   - https only (http only where the node's options allow it), TLS verified;
//   - bounded: connect and total timeouts, a maximum body size, a maximum number of redirects;
//   - no server-side request forgery: every address a name resolves to, and every redirect's,
//     is refused when loopback, private, link-local, multicast or unspecified, unless the
//     node's options allow that host;
//   - cached by URL until the answer's max-age (bounded by the options), so that verifying
//     the same issuer's credentials does not fetch its keys again;
//   - offline, the node answers only from documents the institution pinned.
// Errors name the URL and the rule: UNAVAILABLE (unreachable, timed out, TLS failed, HTTP
// error status), PERMISSION_DENIED (an address or scheme refused), RESOURCE_EXHAUSTED (too
// large, too many redirects), FAILED_PRECONDITION (offline and not pinned), INVALID_ARGUMENT
// (not an absolute URL).
//
// Thread-safe: Get may be called from any thread.
#ifndef MICROCRED_LIBS_PORTS_HTTP_FETCHER_H_
#define MICROCRED_LIBS_PORTS_HTTP_FETCHER_H_

#include <string>

#include "absl/status/statusor.h"

namespace microcred {

struct FetchRequest {
  std::string url;
  std::string accept;  // the Accept header; empty sends "*/*"
};

struct FetchedDocument {
  std::string url;           // the URL answered, after redirects
  std::string content_type;  // without parameters, lower case
  std::string body;
  bool from_cache = false;  // answered from the cache or the pinned documents
  // Answered from the documents the institution pinned (--pinned-documents): its own copy, not
  // the issuer's server. Verifiers report a key found this way as TRUST_KIND_PINNED_KEY.
  bool pinned = false;
};

class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  // Returns the document at request.url when the server answered 200, else an error.
  virtual absl::StatusOr<FetchedDocument> Get(const FetchRequest& request) = 0;
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_PORTS_HTTP_FETCHER_H_
