#include "libs/domain/dates.h"

namespace microcred::domain {

absl::CivilDay ToCivilDay(const common::v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

common::v1::Date ToDate(absl::CivilDay day) {
  common::v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

bool IsUnset(const common::v1::Date& date) {
  return date.year() == 0 && date.month() == 0 && date.day() == 0;
}

}  // namespace microcred::domain
