// recognition request, list, decide, appeal: a learner's recognition requests at a receiving
// institution, and the officers' decisions on them.
#ifndef MICROCRED_TOOLS_MCCTL_RECOGNITION_COMMANDS_H_
#define MICROCRED_TOOLS_MCCTL_RECOGNITION_COMMANDS_H_

#include <vector>

#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

std::vector<Command> RecognitionCommands();

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_RECOGNITION_COMMANDS_H_
