// verify, revoke, suspend, reinstate, export: what is done to a credential once issued.
#ifndef MICROCRED_TOOLS_MCCTL_CREDENTIAL_COMMANDS_H_
#define MICROCRED_TOOLS_MCCTL_CREDENTIAL_COMMANDS_H_

#include <vector>

#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

std::vector<Command> CredentialCommands();

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_CREDENTIAL_COMMANDS_H_
