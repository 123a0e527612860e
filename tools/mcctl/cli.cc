#include "tools/mcctl/cli.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace microcred::mcctl {
namespace {

bool IsFlag(const std::string& arg) {
  return arg == "-h" || (arg.size() > 2 && arg.starts_with("--"));
}

std::string FlagName(const std::string& arg) {
  if (arg == "-h") return "help";
  return arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
}

bool IsGlobal(const std::string& name) {
  const auto options = GlobalOptionList();
  return std::any_of(options.begin(), options.end(),
                     [&](const host::ConfigOption& o) { return o.name == name; });
}

bool Contains(const std::vector<std::string>& list, const std::string& word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

absl::StatusOr<std::string> ReadToken(const host::Config& config) {
  auto token = config.GetString("token", "");
  auto token_file = config.GetString("token-file", "");
  if (!token.ok()) return token.status();
  if (!token_file.ok()) return token_file.status();
  if (!token->empty() && !token_file->empty()) {
    return absl::InvalidArgumentError(
        "both --token and --token-file are set (as flags, or as MC_TOKEN and MC_TOKEN_FILE); "
        "give one");
  }
  if (token_file->empty()) return Trim(*token);
  std::ifstream in(*token_file);
  if (!in) return absl::InvalidArgumentError("--token-file: cannot read " + *token_file);
  std::stringstream content;
  content << in.rdbuf();
  std::string text = Trim(content.str());
  if (text.empty()) return absl::InvalidArgumentError("--token-file: " + *token_file + " is empty");
  return text;
}

std::string FormatOptions(const std::vector<host::ConfigOption>& options) {
  std::string out;
  for (const host::ConfigOption& option : options) {
    out += "  --" + option.name + "\n      " + option.help + "\n";
  }
  out += "  --help\n      Print this help and exit.\n";
  return out;
}

}  // namespace

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

std::vector<host::ConfigOption> GlobalOptionList() {
  return {
      {"node", "the node's gRPC address HOST:PORT (default 127.0.0.1:7443)"},
      {"token", "bearer token sent as \"authorization: Bearer ...\""},
      {"token-file",
       "file holding the bearer token (mcnode --dev writes one to <data-dir>/dev-token)"},
      {"output", "text or json: json prints the node's answer as JSON (default text)"},
      {"timeout", "how long to wait for each answer of the node (default 30s)"},
      {"tls", "connect with TLS (system root certificates) instead of plaintext"},
  };
}

host::EnvironmentLookup NoEnvironment() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

absl::StatusOr<CommandLine> SplitCommandLine(int argc, const char* const* argv,
                                             const std::vector<std::string>& groups) {
  CommandLine line;
  int i = 1;
  for (; i < argc && IsFlag(argv[i]); ++i) {
    const std::string arg = argv[i];
    if (FlagName(arg) != "help" && !IsGlobal(FlagName(arg))) {
      return absl::InvalidArgumentError(arg +
                                        " is not a global flag; a command's flags go after "
                                        "the command (mcctl <command> --help lists them)");
    }
    line.global_flags.push_back(arg);
  }
  if (i < argc) line.words.push_back(argv[i++]);
  // A group's word is followed by a sub-command, which may itself be a group ("recognition
  // policy publish").
  while (!line.words.empty() && Contains(groups, JoinWords(line.words)) && i < argc &&
         !IsFlag(argv[i]) && std::string(argv[i]) != "--") {
    line.words.push_back(argv[i++]);
  }
  bool only_positional = false;
  for (; i < argc; ++i) {
    const std::string arg = argv[i];
    if (only_positional || !IsFlag(arg)) {
      if (!only_positional && arg == "--") {
        only_positional = true;
        continue;
      }
      line.args.push_back(arg);
    } else if (IsGlobal(FlagName(arg))) {
      line.global_flags.push_back(arg);
    } else {
      line.command_flags.push_back(arg);
    }
  }
  return line;
}

absl::StatusOr<host::Config> ParseFlags(const std::vector<std::string>& flags,
                                        std::vector<host::ConfigOption> options,
                                        const host::EnvironmentLookup& env) {
  std::vector<const char*> argv = {"mcctl"};
  for (const std::string& flag : flags) argv.push_back(flag.c_str());
  return host::Config::Parse(static_cast<int>(argv.size()), argv.data(), std::move(options), env);
}

absl::StatusOr<GlobalOptions> ReadGlobalOptions(const host::Config& config) {
  GlobalOptions global;
  auto node = config.GetString("node", "127.0.0.1:7443");
  if (!node.ok()) return node.status();
  if (node->empty()) return absl::InvalidArgumentError("--node: expected HOST:PORT");
  global.node = *node;
  auto output = config.GetString("output", "text");
  if (!output.ok()) return output.status();
  if (*output != "text" && *output != "json") {
    return absl::InvalidArgumentError("--output: expected text or json, got \"" + *output + "\"");
  }
  global.json = *output == "json";
  auto timeout = config.GetDuration("timeout", absl::Seconds(30));
  if (!timeout.ok()) return timeout.status();
  if (*timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--timeout: must be positive");
  }
  global.timeout = *timeout;
  auto tls = config.GetBool("tls", false);
  if (!tls.ok()) return tls.status();
  global.tls = *tls;
  auto token = ReadToken(config);
  if (!token.ok()) return token.status();
  global.token = *token;
  return global;
}

std::string CommandHelp(const Command& command) {
  std::string help = "Usage: mcctl [global flags] " + command.name;
  if (!command.options.empty()) help += " [flags]";
  if (!command.synopsis.empty()) help += " " + command.synopsis;
  help += "\n\n" + command.summary + "\n";
  if (!command.details.empty()) help += "\n" + command.details;
  if (!help.ends_with("\n")) help += "\n";
  help += "\nFlags:\n" + FormatOptions(command.options);
  help += "\nGlobal flags: see mcctl --help.\n";
  return help;
}

std::string MainHelp(const std::vector<Command>& commands) {
  std::string help =
      "mcctl: the command-line client of a microcred node, for staff, officers and operators.\n\n"
      "Usage: mcctl [global flags] <command> [args]\n\nCommands:\n";
  size_t width = 20;  // the summaries start in one column
  for (const Command& command : commands) width = std::max(width, command.name.size() + 2);
  for (const Command& command : commands) {
    std::string name = command.name;
    name.resize(width, ' ');
    help += "  " + name + command.summary + "\n";
  }
  help += "\nEvery command has --help.\n\nGlobal flags, before or after the command. ";
  auto empty = ParseFlags({}, GlobalOptionList(), NoEnvironment());
  if (empty.ok()) help += empty->Usage();
  help +=
      "\nExit codes: 0 done; 1 the node refused (the reason and a hint are printed), or a\n"
      "credential is NOT VALID, or some cohort rows were refused; 2 usage error (including an\n"
      "unreadable input or unwritable output file); 3 the node cannot be reached or did not\n"
      "answer within --timeout.\n";
  return help;
}

absl::StatusOr<std::string> RequiredFlag(const host::Config& flags, std::string_view name) {
  auto value = flags.GetString(name, "");
  if (!value.ok()) return value.status();
  if (value->empty()) return absl::InvalidArgumentError("--" + std::string(name) + " is required");
  return value;
}

}  // namespace microcred::mcctl
