#include "services/mcnode/fetcher_flags.h"

#include <fstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace microcred {
namespace {

constexpr int64_t kMaxTimeoutMs = 600'000;
constexpr int64_t kMaxBodyBytes = int64_t{256} << 20;

absl::Status Named(const char* flag, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat("--", flag, ": ", status.message()));
}

}  // namespace

std::vector<host::ConfigOption> FetcherConfigOptions() {
  return {
      {"fetch-ca-file",
       "PEM CA certificates trusted for fetching outside issuers' documents, in addition to "
       "the system's (e.g. an intranet's or a test CA)"},
      {"fetch-allow-hosts",
       "host[:port],... that may be fetched from although they are on loopback, private or "
       "link-local addresses (tests, intranets); default none"},
      {"fetch-allow-http", "also fetch http:// URLs (default false: https only)"},
      {"fetch-timeout-ms",
       "bound on one fetch, connecting and redirects included, in ms (default 5000)"},
      {"fetch-max-bytes", "largest document fetched, in bytes (default 1048576)"},
      {"fetch-offline",
       "fetch nothing: outside documents come only from --pinned-documents (default false)"},
      {"pinned-documents",
       "JSON file {\"<url>\": <document>, ...}: DID documents, keys and status lists the "
       "institution vouches for, answered without fetching"},
  };
}

absl::StatusOr<HttpFetcherOptions> FetcherOptionsFromConfig(const host::Config& config) {
  HttpFetcherOptions options;
  options.ca_file = *config.GetString("fetch-ca-file", "");
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file)) {
    return absl::NotFoundError("--fetch-ca-file: cannot read " + options.ca_file);
  }
  auto hosts = fetch::HostAllowList::Parse(*config.GetString("fetch-allow-hosts", ""));
  if (!hosts.ok()) return Named("fetch-allow-hosts", hosts.status());
  options.allowed_hosts = *std::move(hosts);
  auto allow_http = config.GetBool("fetch-allow-http", false);
  if (!allow_http.ok()) return allow_http.status();
  options.allow_http = *allow_http;
  auto timeout_ms = config.GetInt("fetch-timeout-ms", 5000);
  if (!timeout_ms.ok()) return timeout_ms.status();
  if (*timeout_ms < 1 || *timeout_ms > kMaxTimeoutMs) {
    return absl::InvalidArgumentError(
        absl::StrCat("--fetch-timeout-ms: between 1 and ", kMaxTimeoutMs, ", not ", *timeout_ms));
  }
  options.timeout = absl::Milliseconds(*timeout_ms);
  auto max_bytes = config.GetInt("fetch-max-bytes", 1 << 20);
  if (!max_bytes.ok()) return max_bytes.status();
  if (*max_bytes < 1 || *max_bytes > kMaxBodyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("--fetch-max-bytes: between 1 and ", kMaxBodyBytes, ", not ", *max_bytes));
  }
  options.max_body_bytes = *max_bytes;
  auto offline = config.GetBool("fetch-offline", false);
  if (!offline.ok()) return offline.status();
  options.offline = *offline;
  if (const std::string pins = *config.GetString("pinned-documents", ""); !pins.empty()) {
    auto pinned = fetch::LoadPinnedDocuments(pins);
    if (!pinned.ok()) return Named("pinned-documents", pinned.status());
    options.pinned = *std::move(pinned);
  }
  return options;
}

}  // namespace microcred
