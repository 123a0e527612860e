// Small tools for benchmark programs: timing, percentiles, memory, and one printed row per
// figure. Benchmarks print; they never assert on time.
#ifndef MICROCRED_BENCH_SUPPORT_BENCH_UTIL_H_
#define MICROCRED_BENCH_SUPPORT_BENCH_UTIL_H_

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace microcred::bench {

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Latencies in microseconds; Percentile sorts a copy.
inline double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  size_t index = static_cast<size_t>(p / 100.0 * (samples.size() - 1) + 0.5);
  return samples[std::min(index, samples.size() - 1)];
}

// Calls `op` repeatedly for about `seconds`; returns calls per second.
inline double RatePerSecond(double seconds, const std::function<void()>& op) {
  int64_t calls = 0;
  auto start = Clock::now();
  while (SecondsSince(start) < seconds) {
    for (int i = 0; i < 64; ++i) op();
    calls += 64;
  }
  return calls / SecondsSince(start);
}

// Resident set size of this process, in MiB.
inline double RssMiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

// The value, or the benchmark stops: a benchmark that cannot set up has nothing to measure.
template <typename T>
T Must(absl::StatusOr<T> value, std::string_view what) {
  if (!value.ok()) {
    std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(what.size()), what.data(),
                 std::string(value.status().message()).c_str());
    std::exit(1);
  }
  return *std::move(value);
}

inline void Section(const std::string& title) { std::printf("\n## %s\n", title.c_str()); }

inline void Row(const std::string& what, double value, const std::string& unit) {
  std::printf("  %-58s %12.1f %s\n", what.c_str(), value, unit.c_str());
  std::fflush(stdout);
}

inline void LatencyRows(const std::string& what, const std::vector<double>& micros) {
  Row(what + " p50", Percentile(micros, 50), "us");
  Row(what + " p99", Percentile(micros, 99), "us");
}

}  // namespace microcred::bench

#endif  // MICROCRED_BENCH_SUPPORT_BENCH_UTIL_H_
