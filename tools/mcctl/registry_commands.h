// registry init-root, define-ecosystem, admit, suspend, reinstate, rotate-key, list: what an
// ecosystem's secretariat does with its root key. They write to and read the registry topic of the
// shared Kafka directly (the secretariat runs no node); a development mcnode admits itself.
#ifndef MICROCRED_TOOLS_MCCTL_REGISTRY_COMMANDS_H_
#define MICROCRED_TOOLS_MCCTL_REGISTRY_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "microcred/common/v1/policy_rules.pb.h"
#include "microcred/registry/v1/registry.pb.h"
#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

std::vector<Command> RegistryCommands();

// The rules define-ecosystem signs: the built-in profile --profile names, or the JSON file
// --profile-file names (exactly one), validated as every node validates them. INVALID_ARGUMENT
// naming the flag and, for a file, the JSON key at fault.
absl::StatusOr<common::v1::PolicyRules> RulesFromFlags(const std::string& profile,
                                                       const std::string& profile_file);

// The ecosystem's definition as `registry list` shows it: its name and log, then each version
// of its rules with the cut it applies from, the one in force now last.
std::string DescribeEcosystem(const registry::v1::Ecosystem& ecosystem);

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_REGISTRY_COMMANDS_H_
