#include "tools/mcctl/cohort.h"

#include <gtest/gtest.h>

namespace microcred::mcctl {
namespace {

::testing::AssertionResult Mentions(const std::string& message, const std::string& text) {
  if (message.find(text) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << message << "\" does not mention \"" << text << "\"";
}

TEST(CohortTest, ReadsColumnsInAnyOrderAndCase) {
  auto cohort = ParseCohort(
      "Family Name,LEARNER_ID,given-name,email,grade,grading_scheme,date_of_birth\n"
      " Dupont , s1,Marie,marie@example.org,16/20,Belgian 0-20 scale,2001-02-03\n");
  ASSERT_TRUE(cohort.ok()) << cohort.status();
  ASSERT_EQ(cohort->rows.size(), 1u);
  const CohortRow& row = cohort->rows[0];
  EXPECT_EQ(row.row, 2);
  EXPECT_EQ(row.learner.learner_id(), "s1");
  EXPECT_EQ(row.learner.given_name(), "Marie");
  EXPECT_EQ(row.learner.family_name(), "Dupont");  // trimmed
  EXPECT_EQ(row.learner.email(), "marie@example.org");
  EXPECT_EQ(row.learner.date_of_birth().year(), 2001);
  EXPECT_EQ(row.learner.date_of_birth().month(), 2);
  EXPECT_EQ(row.learner.date_of_birth().day(), 3);
  EXPECT_EQ(row.grade, "16/20");
  EXPECT_EQ(row.grading_scheme, "Belgian 0-20 scale");
  EXPECT_EQ(row.fields[0], " Dupont ");  // as read, for --refused-out
}

TEST(CohortTest, OptionalColumnsMayBeAbsent) {
  auto cohort = ParseCohort("learner_id,given_name,family_name\ns1,Marie,Dupont\n");
  ASSERT_TRUE(cohort.ok()) << cohort.status();
  ASSERT_EQ(cohort->rows.size(), 1u);
  EXPECT_EQ(cohort->rows[0].learner.email(), "");
  EXPECT_EQ(cohort->rows[0].grade, "");
  EXPECT_FALSE(cohort->rows[0].learner.has_date_of_birth());
}

TEST(CohortTest, RefusesHeaderProblemsForTheWholeFile) {
  auto missing = ParseCohort("learner_id,given_name\ns1,Marie\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(Mentions(std::string(missing.status().message()), "family_name is required"));

  auto unknown = ParseCohort("learner_id,given_name,family_name,nickname\ns1,M,D,x\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(Mentions(std::string(unknown.status().message()), "unknown column \"nickname\""));

  auto twice = ParseCohort("learner_id,given_name,family_name,Email,email\ns1,M,D,a,b\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_TRUE(Mentions(std::string(twice.status().message()), "email appears twice"));
}

TEST(CohortTest, RefusesEmptyFileAndFileWithoutLearners) {
  EXPECT_FALSE(ParseCohort("").ok());
  auto header_only = ParseCohort("learner_id,given_name,family_name\n\n,,\n");
  ASSERT_FALSE(header_only.ok());
  EXPECT_TRUE(Mentions(std::string(header_only.status().message()), "no learners"));
}

TEST(CohortTest, RefusesBadRowsBeforeSendingAndKeepsTheOthers) {
  auto cohort = ParseCohort(
      "learner_id,given_name,family_name,date_of_birth\n"
      "s1,Marie,Dupont,\n"         // row 2
      "s2,Jean,Martin\n"           // row 3: three fields
      "s3,Ana,Silva,2001-02-30\n"  // row 4: no such day
      "s1,Marie,Dupont,\n"         // row 5: s1 again
      "s4,Zoë,Ångström,\n");       // row 6
  ASSERT_TRUE(cohort.ok()) << cohort.status();
  ASSERT_EQ(cohort->rows.size(), 2u);
  EXPECT_EQ(cohort->rows[0].row, 2);
  EXPECT_EQ(cohort->rows[1].row, 6);
  ASSERT_EQ(cohort->refused.size(), 3u);
  EXPECT_EQ(cohort->refused[0].row, 3);
  EXPECT_EQ(cohort->refused[0].learner_id, "s2");
  EXPECT_TRUE(Mentions(cohort->refused[0].reason, "has 3 fields, the header has 4"));
  EXPECT_EQ(cohort->refused[1].row, 4);
  EXPECT_TRUE(Mentions(cohort->refused[1].reason, "date_of_birth"));
  EXPECT_EQ(cohort->refused[2].row, 5);
  EXPECT_TRUE(Mentions(cohort->refused[2].reason, "already on row 2"));
  EXPECT_EQ(cohort->total(), 5);
}

TEST(CohortTest, SkipsEmptyRowsButKeepsSpreadsheetRowNumbers) {
  auto cohort = ParseCohort(
      "learner_id,given_name,family_name\n"
      "\n"
      ",,\n"
      "s1,Marie,Dupont\n");
  ASSERT_TRUE(cohort.ok()) << cohort.status();
  ASSERT_EQ(cohort->rows.size(), 1u);
  EXPECT_EQ(cohort->rows[0].row, 4);
  EXPECT_EQ(cohort->total(), 1);
}

TEST(CohortTest, QuotedNamesWithCommas) {
  auto cohort = ParseCohort(
      "learner_id,given_name,family_name\r\n"
      "s1,\"Marie, Anne\",\"O\"\"Brien\"\r\n");
  ASSERT_TRUE(cohort.ok()) << cohort.status();
  ASSERT_EQ(cohort->rows.size(), 1u);
  EXPECT_EQ(cohort->rows[0].learner.given_name(), "Marie, Anne");
  EXPECT_EQ(cohort->rows[0].learner.family_name(), "O\"Brien");
}

TEST(CohortTest, CsvErrorsFailTheWholeFile) {
  auto cohort = ParseCohort("learner_id,given_name,family_name\ns1,\"Marie,Dupont\n");
  ASSERT_FALSE(cohort.ok());
  EXPECT_TRUE(Mentions(std::string(cohort.status().message()), "line 2"));
}

TEST(CohortTest, SafeFileNamesStayInTheDirectory) {
  EXPECT_EQ(SafeFileName("L0001"), "L0001");
  EXPECT_EQ(SafeFileName("jean.dupont@uclouvain.be"), "jean.dupont@uclouvain.be");
  EXPECT_EQ(SafeFileName("../../etc/passwd"), "_.._.._etc_passwd");
  EXPECT_EQ(SafeFileName(".hidden"), "_.hidden");
  EXPECT_EQ(SafeFileName("a b/c\\d"), "a_b_c_d");
  EXPECT_EQ(SafeFileName(""), "_");
}

}  // namespace
}  // namespace microcred::mcctl
