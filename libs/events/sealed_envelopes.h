// SealedEnvelopes: the envelopes this process sealed lately, so that its own consumers need not
// verify their signatures again.
//
// A node reads back every event it writes (its read models are projections of the log). An
// envelope whose event id and exact bytes match one sealed here carries a signature this
// process has just made over those bytes: verifying it again would cost an Ed25519
// verification, the largest part of applying an event, to learn nothing. Every other envelope,
// including one that reuses a known event id with other bytes, is verified as usual; the
// membership and key checks run for all.
//
// Bounded: remembers the last `capacity` envelopes (older ones are simply verified again).
// Thread-safe.
#ifndef MICROCRED_LIBS_EVENTS_SEALED_ENVELOPES_H_
#define MICROCRED_LIBS_EVENTS_SEALED_ENVELOPES_H_

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"

namespace microcred::events {

class SealedEnvelopes {
 public:
  static constexpr size_t kDefaultCapacity = 16384;

  explicit SealedEnvelopes(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  void Remember(std::string_view event_id, std::string_view envelope_bytes);
  // True when `envelope_bytes` are exactly the bytes sealed here under `event_id`.
  bool Contains(std::string_view event_id, std::string_view envelope_bytes) const;

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  absl::flat_hash_map<std::string, std::string> digest_by_event_id_;  // SHA-256 of the bytes
  std::deque<std::string> oldest_first_;
};

}  // namespace microcred::events

#endif  // MICROCRED_LIBS_EVENTS_SEALED_ENVELOPES_H_
