// Calendar dates on the command line and in cohort files: YYYY-MM-DD.
#ifndef MICROCRED_TOOLS_MCCTL_DATES_H_
#define MICROCRED_TOOLS_MCCTL_DATES_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "microcred/common/v1/common.pb.h"

namespace microcred::mcctl {

// "2026-03-14" -> {2026, 3, 14}; anything else, or a day that does not exist (2026-02-30), is
// InvalidArgument naming `what` ("--issued-on").
absl::StatusOr<common::v1::Date> ParseDate(std::string_view text, std::string_view what);

// {2026, 3, 14} -> "2026-03-14".
std::string FormatDate(const common::v1::Date& date);

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_DATES_H_
