// The dates of the domain (issuing, validity, decisions, appeals: common.v1.Date) as calendar
// days and back. ToCivilDay does not validate: a date from outside is checked first (the
// services' rules say which fields need one and name the field). Pure; thread-safe.
#ifndef MICROCRED_LIBS_DOMAIN_DATES_H_
#define MICROCRED_LIBS_DOMAIN_DATES_H_

#include "absl/time/civil_time.h"
#include "microcred/common/v1/common.pb.h"

namespace microcred::domain {

absl::CivilDay ToCivilDay(const common::v1::Date& date);
common::v1::Date ToDate(absl::CivilDay day);

// A Date left at its default (every field 0): "not given".
bool IsUnset(const common::v1::Date& date);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_DATES_H_
