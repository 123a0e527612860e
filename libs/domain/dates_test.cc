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

TEST(DateWrittenTest, TheDayATimestampBeginsWithAsWritten) {
  for (const char* text : {"2023-09-27", "2023-09-27T23:54:17-11:00", "2023-09-27T00:00:00Z"}) {
    auto day = DateWritten(text);
    ASSERT_TRUE(day.has_value()) << text;
    EXPECT_EQ(ToCivilDay(*day), absl::CivilDay(2023, 9, 27)) << text;
  }
}

TEST(DateWrittenTest, RefusesWhatIsNotADate) {
  for (const char* text : {"", "2023-09", "2023/09/27", "2023-13-01", "2023-00-10", "2023-09-32",
                           "27-09-2023", "yesterday!"}) {
    EXPECT_FALSE(DateWritten(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace microcred::domain
