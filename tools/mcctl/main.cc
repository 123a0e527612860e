// mcctl: the command-line client of a microcred node, for staff, officers and operators.
//
//   mcctl [global flags] <command> [args]
//
// Commands: catalogue publish|get|search|revise|withdraw, catalogue profile get|publish, issue (one
// learner or a CSV cohort), verify, revoke, suspend, reinstate, export, credentials list, learner
// erase, recognition request|vae|vae-eligibility|list|get|review|ask-info|provide-info|decide|
// appeal|decide-appeal|withdraw, recognition policy publish|list, pathway publish|list|get, stack
// evaluate|what-if|confer, registry init-root|admit|suspend|reinstate|rotate-key|list, key create,
// token mint. `mcctl --help` lists them; every command has --help. Exit codes: 0 done, 1 the node
// refused (or NOT VALID, or not eligible, or refused cohort rows), 2 usage error, 3 the node
// cannot be reached.
#include <algorithm>
#include <iostream>

#include "tools/mcctl/catalogue_commands.h"
#include "tools/mcctl/cli.h"
#include "tools/mcctl/credential_commands.h"
#include "tools/mcctl/issue_command.h"
#include "tools/mcctl/key_commands.h"
#include "tools/mcctl/output.h"
#include "tools/mcctl/recognition_commands.h"
#include "tools/mcctl/registry_commands.h"
#include "tools/mcctl/stacking_commands.h"

namespace microcred::mcctl {
namespace {

// Command words that take a sub-command; a group may be inside another ("catalogue profile").
const std::vector<std::string> kGroups = {
    "catalogue",   "catalogue profile",  "credentials", "key",   "learner", "pathway",
    "recognition", "recognition policy", "registry",    "stack", "token"};

std::vector<Command> AllCommands() {
  std::vector<Command> commands = CatalogueCommands();
  commands.push_back(IssueCommand());
  for (Command& command : CredentialCommands()) commands.push_back(std::move(command));
  for (Command& command : RecognitionCommands()) commands.push_back(std::move(command));
  for (Command& command : RegistryCommands()) commands.push_back(std::move(command));
  for (Command& command : KeyCommands()) commands.push_back(std::move(command));
  for (Command& command : StackingCommands()) commands.push_back(std::move(command));
  return commands;
}

const Command* Find(const std::vector<Command>& commands, const std::string& name) {
  for (const Command& command : commands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

// The longest leading words of the command line that name a group; empty when none.
std::string GroupOf(const std::vector<std::string>& words) {
  for (size_t n = words.size(); n > 0; --n) {
    const std::string prefix =
        JoinWords(std::vector<std::string>(words.begin(), words.begin() + static_cast<long>(n)));
    if (std::find(kGroups.begin(), kGroups.end(), prefix) != kGroups.end()) return prefix;
  }
  return "";
}

// `mcctl catalogue` alone, or with an unknown sub-command: the group's commands.
std::string GroupHelp(const std::vector<Command>& commands, const std::string& group) {
  std::string help = "Usage: mcctl [global flags] " + group + " <command> [args]\n\nCommands:\n";
  for (const Command& command : commands) {
    if (command.name.starts_with(group + " ")) {
      help += "  " + command.name + ": " + command.summary + "\n";
    }
  }
  return help;
}

int RunCommand(const Command& command, const CommandLine& line) {
  auto flags = ParseFlags(line.command_flags, command.options, NoEnvironment());
  if (!flags.ok()) return UsageError(command.name, flags.status());
  if (flags->help_requested()) {
    std::cout << CommandHelp(command);
    return kExitOk;
  }
  if (line.args.size() < command.min_args || line.args.size() > command.max_args) {
    const std::string expected =
        command.synopsis.empty() ? "no arguments" : "arguments " + command.synopsis;
    return UsageError(command.name,
                      "expected " + expected + ", got " + std::to_string(line.args.size()));
  }
  auto global_config =
      ParseFlags(line.global_flags, GlobalOptionList(), host::ProcessEnvironment());
  if (!global_config.ok()) return UsageError(command.name, global_config.status());
  auto global = ReadGlobalOptions(*global_config);
  if (!global.ok()) return UsageError(command.name, global.status());
  return command.run({.global = *global, .flags = *flags, .args = line.args});
}

bool AsksForHelp(const std::vector<std::string>& flags) {
  return std::any_of(flags.begin(), flags.end(),
                     [](const std::string& f) { return f == "--help" || f == "-h"; });
}

// `mcctl catalogue` alone (or with --help, or an unknown sub-command).
int RunGroup(const std::vector<Command>& commands, const CommandLine& line,
             const std::string& group) {
  const bool help = JoinWords(line.words) == group && AsksForHelp(line.command_flags);
  (help ? std::cout : std::cerr) << GroupHelp(commands, group);
  return help ? kExitOk : kExitUsage;
}

int Main(int argc, char** argv) {
  const std::vector<Command> commands = AllCommands();
  auto line = SplitCommandLine(argc, argv, kGroups);
  if (!line.ok()) return UsageError("", line.status());
  const bool help = AsksForHelp(line->global_flags);
  if (line->words.empty() || line->words[0] == "help") {
    const bool asked = help || !line->words.empty();
    (asked ? std::cout : std::cerr) << MainHelp(commands);
    return asked ? kExitOk : kExitUsage;
  }
  const std::string name = JoinWords(line->words);
  const Command* command = Find(commands, name);
  if (command == nullptr) {
    if (const std::string group = GroupOf(line->words); !group.empty()) {
      return RunGroup(commands, *line, group);
    }
    return UsageError("", "unknown command \"" + name + "\"; mcctl --help lists the commands");
  }
  if (help) {
    std::cout << CommandHelp(*command);
    return kExitOk;
  }
  return RunCommand(*command, *line);
}

}  // namespace
}  // namespace microcred::mcctl

int main(int argc, char** argv) { return microcred::mcctl::Main(argc, argv); }
