// Clock: the time a node reads. One for the whole node, so that a test that sets it sets it for
// every service at once.
//
// A default Clock reads the system clock; `Clock(now_ms)` reads `now_ms` (milliseconds since the
// Unix epoch, UTC), which tests step by hand. Copies share nothing but the function. Thread-safe
// when `now_ms` is.
#ifndef MICROCRED_LIBS_BASE_CLOCK_H_
#define MICROCRED_LIBS_BASE_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <utility>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace microcred {

class Clock {
 public:
  Clock() = default;
  explicit Clock(std::function<int64_t()> now_ms) : now_ms_(std::move(now_ms)) {}

  int64_t NowMs() const {
    if (now_ms_) return now_ms_();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  absl::Time Now() const { return absl::FromUnixMillis(NowMs()); }
  // The day it is in `zone` (an institution's days and deadlines are in its own time zone).
  absl::CivilDay Today(absl::TimeZone zone) const { return absl::ToCivilDay(Now(), zone); }

 private:
  std::function<int64_t()> now_ms_;
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_BASE_CLOCK_H_
