#include "libs/host/config.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "libs/base/strings.h"

namespace microcred::host {

using strings::Cat;
using strings::ToAbsl;

EnvironmentLookup ProcessEnvironment() {
  return [](const std::string& var) -> std::optional<std::string> {
    const char* value = std::getenv(var.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::string Config::EnvVarFor(std::string_view name) {
  std::string var = Cat("MC_", absl::AsciiStrToUpper(ToAbsl(name)));
  for (char& c : var) {
    if (c == '-') c = '_';
  }
  return var;
}

absl::StatusOr<Config> Config::Parse(int argc, const char* const* argv,
                                     std::vector<ConfigOption> options,
                                     const EnvironmentLookup& env) {
  Config config;
  config.options_ = std::move(options);
  // Environment first, so that flags applied afterwards override it.
  for (const ConfigOption& option : config.options_) {
    std::string var = EnvVarFor(option.name);
    if (std::optional<std::string> value = env(var)) {
      config.values_[option.name] = Value{*std::move(value), var};
    }
  }
  for (int i = 1; i < argc; ++i) {
    if (absl::Status status = config.ApplyArgument(argv[i]); !status.ok()) return status;
  }
  return config;
}

absl::Status Config::ApplyArgument(std::string_view arg) {
  if (arg == "--help" || arg == "-h") {
    help_requested_ = true;
    return absl::OkStatus();
  }
  if (arg.size() <= 2 || arg.substr(0, 2) != "--") {
    return absl::InvalidArgumentError(
        Cat("unexpected argument \"", arg, "\"; flags are --name=value. ", KnownFlags()));
  }
  arg.remove_prefix(2);
  size_t equals = arg.find('=');
  std::string_view name = arg.substr(0, equals);
  // A bare --name is a boolean switch turned on.
  std::string_view text = equals == std::string_view::npos ? "true" : arg.substr(equals + 1);
  if (absl::Status status = CheckDeclared(name); !status.ok()) return status;
  values_[std::string(name)] = Value{std::string(text), Cat("--", name)};
  return absl::OkStatus();
}

absl::Status Config::CheckDeclared(std::string_view name) const {
  for (const ConfigOption& option : options_) {
    if (option.name == name) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(Cat("unknown flag --", name, ". ", KnownFlags()));
}

std::string Config::KnownFlags() const {
  std::vector<std::string> names;
  for (const ConfigOption& option : options_) names.push_back("--" + option.name);
  names.push_back("--help");
  return Cat("Known flags: ", absl::StrJoin(names, ", "));
}

std::string Config::Usage() const {
  std::string usage = "Options (flag, or environment variable):\n";
  for (const ConfigOption& option : options_) {
    absl::StrAppend(&usage, "  --", option.name, " (", EnvVarFor(option.name), ")\n      ",
                    option.help, "\n");
  }
  absl::StrAppend(&usage, "  --help\n      Print this help and exit.\n");
  return usage;
}

absl::StatusOr<const Config::Value*> Config::Find(std::string_view name) const {
  if (absl::Status status = CheckDeclared(name); !status.ok()) return status;
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

bool Config::IsSet(std::string_view name) const { return values_.contains(name); }

namespace {
absl::Status Malformed(std::string_view name, std::string_view source, std::string_view text,
                       std::string_view expected) {
  std::string from = source.starts_with("--") ? "" : Cat(" (from ", source, ")");
  return absl::InvalidArgumentError(
      Cat("--", name, from, ": expected ", expected, ", got \"", text, "\""));
}
}  // namespace

absl::StatusOr<std::string> Config::GetString(std::string_view name,
                                              std::string_view default_value) const {
  absl::StatusOr<const Value*> value = Find(name);
  if (!value.ok()) return value.status();
  if (*value == nullptr) return std::string(default_value);
  return (*value)->text;
}

absl::StatusOr<int64_t> Config::GetInt(std::string_view name, int64_t default_value) const {
  absl::StatusOr<const Value*> value = Find(name);
  if (!value.ok()) return value.status();
  if (*value == nullptr) return default_value;
  int64_t parsed = 0;
  if (!absl::SimpleAtoi((*value)->text, &parsed)) {
    return Malformed(name, (*value)->source, (*value)->text, "an integer");
  }
  return parsed;
}

absl::StatusOr<bool> Config::GetBool(std::string_view name, bool default_value) const {
  absl::StatusOr<const Value*> value = Find(name);
  if (!value.ok()) return value.status();
  if (*value == nullptr) return default_value;
  std::string text = absl::AsciiStrToLower((*value)->text);
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  return Malformed(name, (*value)->source, (*value)->text, "true or false");
}

absl::StatusOr<absl::Duration> Config::GetDuration(std::string_view name,
                                                   absl::Duration default_value) const {
  absl::StatusOr<const Value*> value = Find(name);
  if (!value.ok()) return value.status();
  if (*value == nullptr) return default_value;
  absl::Duration parsed;
  if (!absl::ParseDuration((*value)->text, &parsed)) {
    return Malformed(name, (*value)->source, (*value)->text, "a duration such as 30s or 250ms");
  }
  return parsed;
}

absl::StatusOr<std::string> Config::Require(std::string_view name) const {
  absl::StatusOr<const Value*> value = Find(name);
  if (!value.ok()) return value.status();
  if (*value == nullptr || (*value)->text.empty()) {
    return absl::InvalidArgumentError(Cat("--", name, " (", EnvVarFor(name), ") is required"));
  }
  return (*value)->text;
}

}  // namespace microcred::host
