// catalogue publish | get | search.
#ifndef MICROCRED_TOOLS_MCCTL_CATALOGUE_COMMANDS_H_
#define MICROCRED_TOOLS_MCCTL_CATALOGUE_COMMANDS_H_

#include <vector>

#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

std::vector<Command> CatalogueCommands();

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_CATALOGUE_COMMANDS_H_
