#include "libs/host/log.h"

#include <grpc/support/log.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <mutex>

#include "absl/strings/ascii.h"
#include "libs/base/strings.h"
#include "nlohmann/json.hpp"

namespace microcred::host {

using strings::Cat;
using strings::ToAbsl;

namespace {

struct LoggerState {
  std::mutex mu;
  std::string service = "unknown";
  std::function<void(std::string_view)> sink;
  std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};
};

LoggerState& State() {
  static LoggerState* state = new LoggerState();  // never destroyed: logging works at exit
  return *state;
}

bool IsReservedKey(std::string_view key) {
  return key == "ts" || key == "level" || key == "service" || key == "event";
}

bool LooksSecret(std::string_view key) {
  static constexpr std::array<std::string_view, 6> kWords = {"token",         "secret", "password",
                                                             "authorization", "seed",   "private"};
  std::string lower = absl::AsciiStrToLower(ToAbsl(key));
  for (std::string_view word : kWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

nlohmann::ordered_json ToJson(const LogValue& value) {
  return std::visit([](const auto& v) { return nlohmann::ordered_json(v); }, value.value());
}

void Write(std::string_view line) {
  LoggerState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  if (state.sink) {
    state.sink(line);
    return;
  }
  std::string with_newline = Cat(line, "\n");
  std::fwrite(with_newline.data(), 1, with_newline.size(), stderr);
}

std::string CurrentService() {
  LoggerState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  return state.service;
}

void GrpcLogFunction(gpr_log_func_args* args) {
  LogLevel level = args->severity == GPR_LOG_SEVERITY_ERROR  ? LogLevel::kError
                   : args->severity == GPR_LOG_SEVERITY_INFO ? LogLevel::kInfo
                                                             : LogLevel::kDebug;
  Logger::Log(level, "grpc_log",
              {{"message", args->message}, {"file", args->file}, {"line", args->line}});
}

}  // namespace

absl::StatusOr<LogLevel> ParseLogLevel(std::string_view text) {
  std::string lower = absl::AsciiStrToLower(ToAbsl(text));
  if (lower == "debug") return LogLevel::kDebug;
  if (lower == "info") return LogLevel::kInfo;
  if (lower == "warning" || lower == "warn") return LogLevel::kWarning;
  if (lower == "error") return LogLevel::kError;
  return absl::InvalidArgumentError(
      Cat("log level: expected debug, info, warning or error, got \"", text, "\""));
}

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "unknown";
}

LogValue::LogValue(absl::Duration duration) : value_(absl::FormatDuration(duration)) {}
LogValue::LogValue(absl::Time time)
    : value_(absl::FormatTime(absl::RFC3339_full, time, absl::UTCTimeZone())) {}
LogValue::LogValue(const absl::Status& status) : value_(status.ToString()) {}

void Logger::SetService(std::string service) {
  LoggerState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  state.service = std::move(service);
}

void Logger::SetMinLevel(LogLevel level) {
  State().min_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

LogLevel Logger::min_level() {
  return static_cast<LogLevel>(State().min_level.load(std::memory_order_relaxed));
}

std::string Logger::FormatLine(absl::Time ts, LogLevel level, std::string_view service,
                               std::string_view event, LogFields fields) {
  nlohmann::ordered_json line;
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", ts, absl::UTCTimeZone());
  line["level"] = LogLevelName(level);
  line["service"] = service;
  line["event"] = event;
  for (const auto& [key, value] : fields) {
    std::string name = IsReservedKey(key) ? Cat("field.", key) : std::string(key);
    line[name] = LooksSecret(key) ? nlohmann::ordered_json("[redacted]") : ToJson(value);
  }
  // Replace invalid UTF-8 rather than throw: a log call must never fail.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void Logger::Log(LogLevel level, std::string_view event, LogFields fields) {
  if (!Enabled(level)) return;
  Write(FormatLine(absl::Now(), level, CurrentService(), event, fields));
}

void Logger::Debug(std::string_view event, LogFields fields) {
  Log(LogLevel::kDebug, event, fields);
}
void Logger::Info(std::string_view event, LogFields fields) { Log(LogLevel::kInfo, event, fields); }
void Logger::Warn(std::string_view event, LogFields fields) {
  Log(LogLevel::kWarning, event, fields);
}
void Logger::Error(std::string_view event, LogFields fields) {
  Log(LogLevel::kError, event, fields);
}

void Logger::CaptureGrpcLogs() { gpr_set_log_function(&GrpcLogFunction); }

void Logger::SetSinkForTesting(std::function<void(std::string_view line)> sink) {
  LoggerState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  state.sink = std::move(sink);
}

}  // namespace microcred::host
