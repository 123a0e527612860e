// registry init-root, admit, suspend, reinstate, rotate-key, list: what an ecosystem's
// secretariat does with its root key. They write to and read the registry topic of the shared
// Kafka directly (the secretariat runs no node); a development mcnode admits itself.
#ifndef MICROCRED_TOOLS_MCCTL_REGISTRY_COMMANDS_H_
#define MICROCRED_TOOLS_MCCTL_REGISTRY_COMMANDS_H_

#include <vector>

#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

std::vector<Command> RegistryCommands();

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_REGISTRY_COMMANDS_H_
