#include "libs/domain/dates.h"

#include <cstdio>
#include <string>

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

std::optional<common::v1::Date> DateWritten(std::string_view text) {
  int year = 0, month = 0, day = 0;
  const std::string head(text.substr(0, 10));
  if (head.size() < 10 || head[4] != '-' || head[7] != '-' ||
      std::sscanf(head.c_str(), "%4d-%2d-%2d", &year, &month, &day) != 3 || month < 1 ||
      month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  common::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

}  // namespace microcred::domain
