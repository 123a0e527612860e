// mcctl key create and token mint: the keys and bearer tokens of an ecosystem that is not a
// development one. A node's event-signing key (admitted with `registry admit`) and a token
// issuer's key (trusted by nodes through --token-keys) are both Ed25519 key files.
#ifndef MICROCRED_TOOLS_MCCTL_KEY_COMMANDS_H_
#define MICROCRED_TOOLS_MCCTL_KEY_COMMANDS_H_

#include <vector>

#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

std::vector<Command> KeyCommands();

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_KEY_COMMANDS_H_
