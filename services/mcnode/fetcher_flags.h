// The node's HTTP client from its flags: mcnode's --fetch-* and --pinned-documents options and
// the HttpFetcherOptions they make (libs/adapters/curl/curl_fetcher.h). Every bad value is an
// InvalidArgument (NotFound for an unreadable file) naming the flag, found at start-up.
#ifndef MICROCRED_SERVICES_MCNODE_FETCHER_FLAGS_H_
#define MICROCRED_SERVICES_MCNODE_FETCHER_FLAGS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "libs/adapters/curl/curl_fetcher.h"
#include "libs/host/config.h"

namespace microcred {

// --fetch-ca-file, --fetch-allow-hosts, --fetch-allow-http, --fetch-timeout-ms,
// --fetch-max-bytes, --fetch-offline, --pinned-documents.
std::vector<host::ConfigOption> FetcherConfigOptions();

absl::StatusOr<HttpFetcherOptions> FetcherOptionsFromConfig(const host::Config& config);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_FETCHER_FLAGS_H_
