// issue --cohort=FILE.csv: every learner of a cohort file, in batches through IssueCredentials,
// with progress on stderr, a summary (new, already issued, refused with row and reason), and
// optionally each JWS in --out-dir and the refused rows in --refused-out.
#ifndef MICROCRED_TOOLS_MCCTL_COHORT_ISSUE_H_
#define MICROCRED_TOOLS_MCCTL_COHORT_ISSUE_H_

#include <string>

#include "tools/mcctl/cli.h"

namespace microcred::mcctl {

int RunCohortIssue(const Invocation& in, const std::string& path);

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_COHORT_ISSUE_H_
