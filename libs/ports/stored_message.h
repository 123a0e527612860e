// Protocol buffer records in a StateStore: what every service's state reads.
#ifndef MICROCRED_LIBS_PORTS_STORED_MESSAGE_H_
#define MICROCRED_LIBS_PORTS_STORED_MESSAGE_H_

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/ports/state_store.h"

namespace microcred {

// "<prefix>/<kind>/<rest>": how a service's state names its records (prefix: the service's).
inline std::string RecordKey(std::string_view prefix, std::string_view kind,
                             std::string_view rest) {
  std::string key;
  key.reserve(prefix.size() + kind.size() + rest.size() + 2);
  key.append(prefix).append("/").append(kind).append("/").append(rest);
  return key;
}

// A version zero-padded to ten digits, so that a resource's versions sort in key order.
inline std::string SortableVersion(uint32_t version) {
  char digits[11];
  std::snprintf(digits, sizeof digits, "%010u", version);
  return digits;
}

// The record at `key` parsed as an `M`; std::nullopt when absent; DATA_LOSS when it does not
// parse (a store written by another build, or damaged).
template <typename M>
absl::StatusOr<std::optional<M>> ReadMessage(StateStore& store, const std::string& key) {
  auto bytes = store.Get(key);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::optional<M>();
  M message;
  if (!message.ParseFromString(**bytes)) return absl::DataLossError("unreadable record " + key);
  return std::optional<M>(std::move(message));
}

// Every record whose key starts with `prefix`, parsed as `M`, in key order; DATA_LOSS when one
// does not parse.
template <typename M>
absl::StatusOr<std::vector<M>> ReadAllMessages(StateStore& store, const std::string& prefix) {
  auto rows = store.ScanPrefix(prefix);
  if (!rows.ok()) return rows.status();
  std::vector<M> all;
  all.reserve(rows->size());
  for (const auto& [key, bytes] : *rows) {
    M message;
    if (!message.ParseFromString(bytes)) return absl::DataLossError("unreadable record " + key);
    all.push_back(std::move(message));
  }
  return all;
}

}  // namespace microcred

#endif  // MICROCRED_LIBS_PORTS_STORED_MESSAGE_H_
