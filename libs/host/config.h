// Process configuration from command-line flags and environment variables.
//
// Each binary declares its options (name + help line). An option `listen-address` is read
// from `--listen-address=VALUE` and from the environment variable `MC_LISTEN_ADDRESS`
// ("MC_" + upper-cased name, '-' -> '_'); the flag wins over the environment. A bare
// `--name` means "true". `--help` is always accepted: check help_requested() and print
// Usage(). Anything else on the command line (an undeclared flag, a positional argument) makes
// Parse fail, naming the flags that are known.
//
// Defaults live at the call site of the typed getters, so each reader states what it assumes.
// Getters fail with InvalidArgument naming the flag (and the variable, if the value came from
// the environment) when a value is malformed, and with InvalidArgument when asked for an option
// that was never declared (a programming error worth surfacing, not silently defaulting).
//
// A Config is immutable after Parse and safe to read from any thread.
#ifndef MICROCRED_LIBS_HOST_CONFIG_H_
#define MICROCRED_LIBS_HOST_CONFIG_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace microcred::host {

struct ConfigOption {
  std::string name;  // lower-case words joined by '-', without the leading "--"
  std::string help;  // one line, shown by --help
};

// Looks an environment variable up; nullopt when unset. Tests pass a map-backed one.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& var)>;

// The real process environment (getenv).
EnvironmentLookup ProcessEnvironment();

class Config {
 public:
  // Parses argv[1..argc) against `options`, reading the environment through `env`.
  static absl::StatusOr<Config> Parse(int argc, const char* const* argv,
                                      std::vector<ConfigOption> options,
                                      const EnvironmentLookup& env = ProcessEnvironment());

  // The environment variable that configures `name`: "MC_" + NAME with '-' -> '_'.
  static std::string EnvVarFor(std::string_view name);

  bool help_requested() const { return help_requested_; }
  // "Options:" followed by one line per option with its variable and help text.
  std::string Usage() const;

  // True when the option was given by flag or environment (defaults do not count).
  bool IsSet(std::string_view name) const;

  absl::StatusOr<std::string> GetString(std::string_view name,
                                        std::string_view default_value) const;
  absl::StatusOr<int64_t> GetInt(std::string_view name, int64_t default_value) const;
  // Accepts true/false, 1/0, yes/no, on/off (any case).
  absl::StatusOr<bool> GetBool(std::string_view name, bool default_value) const;
  // absl::ParseDuration syntax: "250ms", "30s", "1h30m".
  absl::StatusOr<absl::Duration> GetDuration(std::string_view name,
                                             absl::Duration default_value) const;
  // The value, or InvalidArgument "--name (MC_NAME) is required" when unset or empty.
  absl::StatusOr<std::string> Require(std::string_view name) const;

 private:
  struct Value {
    std::string text;
    std::string source;  // "--name" or "MC_NAME", for error messages
  };

  Config() = default;
  absl::Status ApplyArgument(std::string_view arg);
  absl::Status CheckDeclared(std::string_view name) const;
  // The value when set; nullptr when unset. Fails only for undeclared names.
  absl::StatusOr<const Value*> Find(std::string_view name) const;
  std::string KnownFlags() const;

  std::vector<ConfigOption> options_;
  std::map<std::string, Value, std::less<>> values_;
  bool help_requested_ = false;
};

}  // namespace microcred::host

#endif  // MICROCRED_LIBS_HOST_CONFIG_H_
