// Pinned documents: the DID documents, keys and status lists an institution vouches for, read
// from a file (mcnode --pinned-documents) and answered by the fetcher without the network.
//
// The file is one JSON object {"<url>": <document>, ...}. A document given as a JSON string is
// answered as that text (content type text/plain: a compact JWT, for instance); any other JSON
// value as its JSON text (content type application/json). Each key must be an absolute http(s)
// URL; the same URL twice is refused.
#ifndef MICROCRED_LIBS_ADAPTERS_CURL_PINNED_DOCUMENTS_H_
#define MICROCRED_LIBS_ADAPTERS_CURL_PINNED_DOCUMENTS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/ports/http_fetcher.h"

namespace microcred::fetch {

using PinnedDocuments = std::map<std::string, FetchedDocument>;  // by URL, from_cache true

// InvalidArgument naming the rule (and the URL) when `json` is not such an object.
absl::StatusOr<PinnedDocuments> ParsePinnedDocuments(absl::string_view json);
// The same from a file; NotFound when it cannot be read. Messages name the path.
absl::StatusOr<PinnedDocuments> LoadPinnedDocuments(const std::string& path);

}  // namespace microcred::fetch

#endif  // MICROCRED_LIBS_ADAPTERS_CURL_PINNED_DOCUMENTS_H_
