// catalogue publish | get | search | revise | withdraw | profile get | profile publish.
#ifndef MICROCRED_TOOLS_MCCTL_CATALOGUE_COMMANDS_H_
#define MICROCRED_TOOLS_MCCTL_CATALOGUE_COMMANDS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

std::vector<Command> CatalogueCommands();

// The ecosystem ids of `--<flag>=ID[,ID]` (at most one when `!many`): each 1 to 64 characters
// from A-Z a-z 0-9 . _ -; INVALID_ARGUMENT naming the flag otherwise. Empty text: none.
absl::StatusOr<std::vector<std::string>> EcosystemIds(std::string_view flag,
                                                      const std::string& text, bool many);

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_CATALOGUE_COMMANDS_H_
