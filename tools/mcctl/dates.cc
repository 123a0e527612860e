#include "tools/mcctl/dates.h"

#include <cstdio>

#include "absl/time/civil_time.h"

namespace microcred::mcctl {
namespace {

bool Digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<common::v1::Date> ParseDate(std::string_view text, std::string_view what) {
  auto malformed = [&] {
    return absl::InvalidArgumentError(std::string(what) + ": expected a date YYYY-MM-DD, got \"" +
                                      std::string(text) + "\"");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !Digits(text.substr(0, 4)) ||
      !Digits(text.substr(5, 2)) || !Digits(text.substr(8, 2))) {
    return malformed();
  }
  const int year = std::stoi(std::string(text.substr(0, 4)));
  const int month = std::stoi(std::string(text.substr(5, 2)));
  const int day = std::stoi(std::string(text.substr(8, 2)));
  // CivilDay normalises 2026-02-30 to 2026-03-02: a day that does not exist does not survive.
  const absl::CivilDay civil(year, month, day);
  if (civil.year() != year || civil.month() != month || civil.day() != day) return malformed();
  common::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

std::string FormatDate(const common::v1::Date& date) {
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year(), date.month(), date.day());
  return text;
}

}  // namespace microcred::mcctl
