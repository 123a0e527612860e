// Structured logs: one JSON object per line on stderr.
//
//   Logger::Info("specification_published", {{"spec", id}, {"version", 3}});
//   {"ts":"2024-05-01T09:30:00.123Z","level":"info","service":"catalogue",
//    "event":"specification_published","spec":"...","version":3}
//
// `ts` is RFC 3339 UTC with milliseconds; `event` is a stable snake_case name that operators
// can alert on; fields carry the details. A field whose key collides with ts/level/service/event
// is written as "field.<key>" rather than silently replacing the envelope.
//
// Never pass secrets or tokens. As a second line of defence, any field whose key mentions
// token, secret, password, authorization, seed or private key is written as "[redacted]".
//
// All functions are thread-safe; concurrent lines never interleave.
#ifndef MICROCRED_LIBS_HOST_LOG_H_
#define MICROCRED_LIBS_HOST_LOG_H_

#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace microcred::host {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "debug", "info", "warning" (or "warn"), "error"; any case.
absl::StatusOr<LogLevel> ParseLogLevel(std::string_view text);
std::string_view LogLevelName(LogLevel level);

// A field value: a string, an integer, a floating-point number or a boolean. Durations, times
// and statuses are written as their usual text forms.
class LogValue {
 public:
  using Variant = std::variant<std::string, int64_t, uint64_t, double, bool>;

  LogValue(std::string_view text) : value_(std::string(text)) {}
  LogValue(const char* text) : value_(std::string(text)) {}
  LogValue(const std::string& text) : value_(text) {}
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) LogValue(T number) {
    if constexpr (std::is_signed_v<T>) {
      value_ = static_cast<int64_t>(number);
    } else {
      value_ = static_cast<uint64_t>(number);
    }
  }
  LogValue(double number) : value_(number) {}
  // A template so that pointers do not silently convert to bool.
  template <std::same_as<bool> T>
  LogValue(T flag) : value_(flag) {}
  LogValue(absl::Duration duration);
  LogValue(absl::Time time);
  LogValue(const absl::Status& status);

  const Variant& value() const { return value_; }

 private:
  Variant value_;
};

using LogFields = std::initializer_list<std::pair<std::string_view, LogValue>>;

class Logger {
 public:
  // The `service` written on every line (e.g. "catalogue"; "mcnode" for the embedded node).
  static void SetService(std::string service);
  // Lines below `level` are dropped. Default: kInfo.
  static void SetMinLevel(LogLevel level);
  static LogLevel min_level();
  static bool Enabled(LogLevel level) { return level >= min_level(); }

  static void Log(LogLevel level, std::string_view event, LogFields fields = {});
  static void Debug(std::string_view event, LogFields fields = {});
  static void Info(std::string_view event, LogFields fields = {});
  static void Warn(std::string_view event, LogFields fields = {});
  static void Error(std::string_view event, LogFields fields = {});

  // Sends gRPC core's own diagnostics through this logger (event "grpc_log") so that stderr
  // stays one JSON object per line. Which gRPC lines exist is still set by GRPC_VERBOSITY.
  static void CaptureGrpcLogs();

  // One line, without the trailing newline. Exposed for tests.
  static std::string FormatLine(absl::Time ts, LogLevel level, std::string_view service,
                                std::string_view event, LogFields fields);

  // Receives each line (without newline) instead of stderr; an empty function restores stderr.
  static void SetSinkForTesting(std::function<void(std::string_view line)> sink);
};

}  // namespace microcred::host

#endif  // MICROCRED_LIBS_HOST_LOG_H_
