// The command line of mcctl: `mcctl [global flags] <command> [args]`.
//
// Global flags (--node, --token, --token-file, --output, --timeout, --tls) are also read from the
// environment (MC_NODE, MC_TOKEN, ...; libs/host/config.h) and may appear before or after the
// command. A command's own flags are read from the command line only. Positional arguments and
// flags may be mixed; after a bare "--" everything is positional ("-" always is).
#ifndef MICROCRED_TOOLS_MCCTL_CLI_H_
#define MICROCRED_TOOLS_MCCTL_CLI_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/host/config.h"

namespace microcred::mcctl {

enum ExitCode : int {
  kExitOk = 0,
  kExitRefused = 1,      // the node refused, or answered "no" (NOT VALID, refused rows)
  kExitUsage = 2,        // the command line, or a local file, is wrong
  kExitUnreachable = 3,  // the node could not be reached or did not answer in time
};

struct GlobalOptions {
  std::string node;   // HOST:PORT
  std::string token;  // bearer token; empty = none
  bool json = false;  // --output=json
  bool tls = false;
  absl::Duration timeout;
};

// What a command's handler receives.
struct Invocation {
  const GlobalOptions& global;
  const host::Config& flags;             // the command's own flags
  const std::vector<std::string>& args;  // positional arguments
};

struct Command {
  std::string name;      // "catalogue publish", "issue"
  std::string synopsis;  // the arguments after the name: "FILE.json"
  std::string summary;   // one line for the command list
  std::string details;   // paragraphs for --help
  std::vector<host::ConfigOption> options;
  size_t min_args = 0;
  size_t max_args = 0;
  std::function<int(const Invocation&)> run;
};

// The command line taken apart.
struct CommandLine {
  std::vector<std::string> global_flags;   // "--node=..." wherever they appeared
  std::vector<std::string> words;          // "catalogue", "publish"
  std::vector<std::string> command_flags;  // the command's "--name[=value]" arguments
  std::vector<std::string> args;           // positional arguments
};

std::vector<host::ConfigOption> GlobalOptionList();

// "recognition", "policy" -> "recognition policy".
std::string JoinWords(const std::vector<std::string>& words);

// `groups` are the command words that take a sub-command ("catalogue", "recognition policy"). A
// flag before the command must be global; after it, a flag is global if its name is one.
absl::StatusOr<CommandLine> SplitCommandLine(int argc, const char* const* argv,
                                             const std::vector<std::string>& groups);

// Parses "--name=value" flags against `options` (no environment for command flags).
absl::StatusOr<host::Config> ParseFlags(const std::vector<std::string>& flags,
                                        std::vector<host::ConfigOption> options,
                                        const host::EnvironmentLookup& env);
host::EnvironmentLookup NoEnvironment();

// A command flag that must be given and not empty: InvalidArgument "--NAME is required".
absl::StatusOr<std::string> RequiredFlag(const host::Config& flags, std::string_view name);

// Reads and checks the global options; reads --token-file.
absl::StatusOr<GlobalOptions> ReadGlobalOptions(const host::Config& config);

// "mcctl <name> <synopsis>", the details and the command's options.
std::string CommandHelp(const Command& command);
// The commands and the global flags.
std::string MainHelp(const std::vector<Command>& commands);

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_CLI_H_
