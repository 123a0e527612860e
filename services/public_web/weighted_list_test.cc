#include "services/public_web/weighted_list.h"

#include <gtest/gtest.h>

namespace microcred::web {
namespace {

TEST(WeightedListTest, EachMemberWithItsQuality) {
  auto list = ParseWeightedList("text/html, application/json;level=1; q=0.5 ,*/*;q=x");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].value, "text/html");
  EXPECT_EQ(list[0].q, 1);
  EXPECT_EQ(list[1].value, "application/json");
  EXPECT_EQ(list[1].q, 0.5);
  EXPECT_EQ(list[2].value, "*/*");
  EXPECT_EQ(list[2].q, 0);  // not a number
  ASSERT_EQ(ParseWeightedList("").size(), 1u);
  EXPECT_EQ(ParseWeightedList("")[0].value, "");
}

}  // namespace
}  // namespace microcred::web
