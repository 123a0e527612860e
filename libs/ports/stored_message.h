// Protocol buffer records in a StateStore: what every service's state reads.
#ifndef MICROCRED_LIBS_PORTS_STORED_MESSAGE_H_
#define MICROCRED_LIBS_PORTS_STORED_MESSAGE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/ports/state_store.h"

namespace microcred {

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
