// The dates of the domain (issuing, validity, decisions, appeals: common.v1.Date) as calendar
// days and back. ToCivilDay does not validate: a date from outside is checked first (the
// services' rules say which fields need one and name the field). Pure; thread-safe.
#ifndef MICROCRED_LIBS_DOMAIN_DATES_H_
#define MICROCRED_LIBS_DOMAIN_DATES_H_

#include <optional>
#include <string_view>

#include "absl/time/civil_time.h"
#include "microcred/common/v1/common.pb.h"

namespace microcred::domain {

absl::CivilDay ToCivilDay(const common::v1::Date& date);
common::v1::Date ToDate(absl::CivilDay day);

// A Date left at its default (every field 0): "not given".
bool IsUnset(const common::v1::Date& date);

// The calendar day an ISO 8601 date or date-time begins with, as written (its offset is not
// applied): "2023-09-27T13:54:17+02:00" and "2023-09-27" are 2023-09-27. std::nullopt when the
// text does not begin with YYYY-MM-DD, month 1-12 and day 1-31. What credentials from elsewhere
// state is read this way.
std::optional<common::v1::Date> DateWritten(std::string_view text);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_DATES_H_
