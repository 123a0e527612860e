// pathway publish, list; stack evaluate, what-if, confer: a receiving institution's stacking
// pathways, and the evaluation and conferral of a learner's credentials against them.
#ifndef MICROCRED_TOOLS_MCCTL_STACKING_COMMANDS_H_
#define MICROCRED_TOOLS_MCCTL_STACKING_COMMANDS_H_

#include <vector>

#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

std::vector<Command> StackingCommands();

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_STACKING_COMMANDS_H_
