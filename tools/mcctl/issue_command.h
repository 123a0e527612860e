// issue: one credential, or a cohort (--cohort=FILE.csv, cohort_issue.h).
#ifndef MICROCRED_TOOLS_MCCTL_ISSUE_COMMAND_H_
#define MICROCRED_TOOLS_MCCTL_ISSUE_COMMAND_H_

#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

Command IssueCommand();

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_ISSUE_COMMAND_H_
