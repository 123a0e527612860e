#include "libs/domain/dates.h"

#include <gtest/gtest.h>

namespace microcred::domain {
namespace {

TEST(DatesTest, DaysRoundTrip) {
  for (absl::CivilDay day : {absl::CivilDay(2024, 2, 29), absl::CivilDay(1999, 12, 31)}) {
    const common::v1::Date date = ToDate(day);
    EXPECT_EQ(date.year(), day.year());
    EXPECT_EQ(date.month(), day.month());
    EXPECT_EQ(date.day(), day.day());
    EXPECT_EQ(ToCivilDay(date), day);
  }
}

TEST(DatesTest, UnsetIsEveryFieldZero) {
  EXPECT_TRUE(IsUnset(common::v1::Date()));
  EXPECT_FALSE(IsUnset(ToDate(absl::CivilDay(2026, 11, 26))));
  common::v1::Date only_year;
  only_year.set_year(2026);
  EXPECT_FALSE(IsUnset(only_year));
}

}  // namespace
}  // namespace microcred::domain
