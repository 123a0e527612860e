#include "services/recognition/vae_rules.h"

#include "gtest/gtest.h"
#include "services/recognition/testing/recognition_test_util.h"

namespace microcred::recognition {
namespace {

using testing::Contains;
using testing::StartsWith;

const absl::CivilMonth kNow(2025, 6);

v1::ActivityPeriod Period(int from_year, int from_month, int to_year, int to_month) {
  v1::ActivityPeriod p;
  p.mutable_from()->set_year(from_year);
  p.mutable_from()->set_month(from_month);
  p.mutable_to()->set_year(to_year);
  p.mutable_to()->set_month(to_month);
  p.set_kind(v1::ACTIVITY_KIND_PROFESSIONAL);
  p.set_description("Data analyst");
  return p;
}

v1::VaeFile File(std::initializer_list<v1::ActivityPeriod> periods, double credits = 0) {
  v1::VaeFile file;
  for (const auto& p : periods) *file.add_activities() = p;
  file.set_higher_education_credits(credits);
  return file;
}

TEST(VaeRulesTest, HigherEducationYearsAreOnePer60CreditsAtMostTwo) {
  EXPECT_EQ(HigherEducationYearsCredited(0), 0);
  EXPECT_EQ(HigherEducationYearsCredited(59.5), 0);
  EXPECT_EQ(HigherEducationYearsCredited(60), 1);
  EXPECT_EQ(HigherEducationYearsCredited(90), 1);
  EXPECT_EQ(HigherEducationYearsCredited(120), 2);
  EXPECT_EQ(HigherEducationYearsCredited(180), 2);
  EXPECT_EQ(HigherEducationYearsCredited(300), 2);
}

TEST(VaeRulesTest, ExactlyFiveYearsOfActivityMeetsTheRule) {
  const v1::VaeEligibility e = ComputeVaeEligibility(File({Period(2019, 1, 2023, 12)}));
  EXPECT_EQ(e.activity_months(), 60);
  EXPECT_EQ(e.higher_education_years_credited(), 0);
  EXPECT_EQ(e.total_months(), 60);
  EXPECT_EQ(e.required_months(), 60);
  EXPECT_TRUE(e.met());
  EXPECT_TRUE(Contains(e.explanation(), "5 years 0 months of activity"));
}

TEST(VaeRulesTest, OneMonthShortDoesNotMeetIt) {
  const v1::VaeEligibility e = ComputeVaeEligibility(File({Period(2019, 2, 2023, 12)}));
  EXPECT_EQ(e.activity_months(), 59);
  EXPECT_FALSE(e.met());
  EXPECT_TRUE(Contains(e.explanation(), "does not meet"));
}

TEST(VaeRulesTest, ThreeYearsAnd120CreditsMeetIt) {
  const v1::VaeEligibility e = ComputeVaeEligibility(File({Period(2021, 1, 2023, 12)}, 120));
  EXPECT_EQ(e.activity_months(), 36);
  EXPECT_EQ(e.higher_education_years_credited(), 2);
  EXPECT_EQ(e.total_months(), 60);
  EXPECT_TRUE(e.met());
}

TEST(VaeRulesTest, Credits180StillCountTwoYearsOnly) {
  const v1::VaeEligibility e = ComputeVaeEligibility(File({Period(2022, 1, 2023, 12)}, 180));
  EXPECT_EQ(e.higher_education_years_credited(), 2);
  EXPECT_EQ(e.total_months(), 48);
  EXPECT_FALSE(e.met());
}

TEST(VaeRulesTest, OverlappingPeriodsCountOnce) {
  const v1::VaeFile file = File({Period(2018, 1, 2020, 12), Period(2020, 1, 2021, 6),
                                 Period(2019, 1, 2019, 6), Period(2023, 1, 2023, 1)});
  EXPECT_EQ(ActivityMonths(file), 36 + 6 + 1);
}

TEST(VaeRulesTest, ValidatesTheFile) {
  EXPECT_TRUE(ValidateVaeFile(File({Period(2019, 1, 2023, 12)}, 30), kNow).ok());
  EXPECT_TRUE(StartsWith(ValidateVaeFile(File({}), kNow).message(), "file.activities:"));
  EXPECT_TRUE(StartsWith(ValidateVaeFile(File({Period(2019, 13, 2023, 12)}), kNow).message(),
                         "file.activities[0].from:"));
  EXPECT_TRUE(StartsWith(ValidateVaeFile(File({Period(2019, 1, 2018, 12)}), kNow).message(),
                         "file.activities[0].to: must not be before"));
  EXPECT_TRUE(StartsWith(ValidateVaeFile(File({Period(2024, 1, 2025, 7)}), kNow).message(),
                         "file.activities[0].to: must not be in the future"));
  v1::VaeFile no_kind = File({Period(2019, 1, 2023, 12)});
  no_kind.mutable_activities(0)->clear_kind();
  EXPECT_TRUE(StartsWith(ValidateVaeFile(no_kind, kNow).message(), "file.activities[0].kind:"));
  v1::VaeFile no_description = File({Period(2019, 1, 2023, 12)});
  no_description.mutable_activities(0)->clear_description();
  EXPECT_TRUE(StartsWith(ValidateVaeFile(no_description, kNow).message(),
                         "file.activities[0].description:"));
  EXPECT_TRUE(StartsWith(ValidateVaeFile(File({Period(2019, 1, 2023, 12)}, -1), kNow).message(),
                         "file.higher_education_credits:"));
}

}  // namespace
}  // namespace microcred::recognition
