#include "libs/adapters/curl/pinned_documents.h"

#include <fstream>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace microcred::fetch {

absl::StatusOr<PinnedDocuments> ParsePinnedDocuments(absl::string_view json) {
  // Duplicate keys: nlohmann keeps the last one silently, so they are counted on the way in.
  int keys = 0;
  nlohmann::json::parser_callback_t count = [&keys](int depth, nlohmann::json::parse_event_t event,
                                                    nlohmann::json&) {
    if (depth == 1 && event == nlohmann::json::parse_event_t::key) ++keys;
    return true;
  };
  nlohmann::json doc = nlohmann::json::parse(json, count, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError(
        "pinned documents: expected a JSON object {\"<url>\": <document>, ...}");
  }
  if (static_cast<size_t>(keys) != doc.size()) {
    return absl::InvalidArgumentError("pinned documents: a URL is pinned twice");
  }
  PinnedDocuments out;
  for (const auto& [url, value] : doc.items()) {
    if (!absl::StartsWith(url, "https://") && !absl::StartsWith(url, "http://")) {
      return absl::InvalidArgumentError(
          absl::StrCat("pinned documents: ", url, ": not an absolute http(s) URL"));
    }
    FetchedDocument& pinned = out[url];
    pinned.url = url;
    pinned.from_cache = true;
    pinned.pinned = true;  // verifiers report keys found here as the institution's pinned ones
    if (value.is_string()) {
      pinned.content_type = "text/plain";
      pinned.body = value.get<std::string>();
    } else {
      pinned.content_type = "application/json";
      pinned.body = value.dump();
    }
  }
  return out;
}

absl::StatusOr<PinnedDocuments> LoadPinnedDocuments(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("pinned documents: cannot read ", path));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = ParsePinnedDocuments(text);
  if (!parsed.ok()) {
    return absl::Status(parsed.status().code(),
                        absl::StrCat(path, ": ", parsed.status().message()));
  }
  return parsed;
}

}  // namespace microcred::fetch
