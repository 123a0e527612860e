#include "tools/mcctl/csv.h"

#include <gtest/gtest.h>

namespace microcred::mcctl {
namespace {

using Rows = std::vector<std::vector<std::string>>;

::testing::AssertionResult Mentions(const absl::Status& status, const std::string& text) {
  if (std::string(status.message()).find(text) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << status << " does not mention \"" << text << "\"";
}

Rows Fields(const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> out;
  for (const CsvRecord& record : records) out.push_back(record.fields);
  return out;
}

TEST(CsvTest, ReadsPlainRecordsWithAnyLineEnding) {
  for (const char* text : {"a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\r1,2\r", "a,b\n1,2"}) {
    auto records = ParseCsv(text);
    ASSERT_TRUE(records.ok()) << records.status();
    EXPECT_EQ(Fields(*records), (Rows{{"a", "b"}, {"1", "2"}})) << text;
  }
}

TEST(CsvTest, EmptyInputHasNoRecords) {
  auto records = ParseCsv("");
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

TEST(CsvTest, KeepsEmptyFields) {
  auto records = ParseCsv("a,,c\n,b,\n");
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(Fields(*records), (Rows{{"a", "", "c"}, {"", "b", ""}}));
}

TEST(CsvTest, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  auto records =
      ParseCsv("name,note\n\"Dupont, Marie\",\"said \"\"hi\"\"\"\n\"x\",\"two\r\nlines\"\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(Fields(*records),
            (Rows{{"name", "note"}, {"Dupont, Marie", "said \"hi\""}, {"x", "two\r\nlines"}}));
}

TEST(CsvTest, EmptyQuotedFieldAndQuotedLastField) {
  auto records = ParseCsv("\"\",\"b\"");
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(Fields(*records), (Rows{{"", "b"}}));
}

TEST(CsvTest, NumbersRecordsAndLinesCountingBlankLines) {
  auto records = ParseCsv("h\n\"multi\nline\"\n\nlast\n");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].number, 1);
  EXPECT_EQ((*records)[0].line, 1);
  EXPECT_EQ((*records)[1].number, 2);
  EXPECT_EQ((*records)[1].line, 2);
  // The blank line (line 4) is record 3, skipped; "last" is record 4 on line 5.
  EXPECT_EQ((*records)[2].number, 4);
  EXPECT_EQ((*records)[2].line, 5);
}

TEST(CsvTest, SkipsUtf8ByteOrderMark) {
  auto records = ParseCsv("\xEF\xBB\xBFlearner_id,x\n");
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(Fields(*records), (Rows{{"learner_id", "x"}}));
}

TEST(CsvTest, KeepsUtf8Text) {
  auto records = ParseCsv("Zoë,Ångström,Łukasz\n");
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(Fields(*records), (Rows{{"Zoë", "Ångström", "Łukasz"}}));
}

TEST(CsvTest, RefusesUnterminatedQuoteNamingItsLine) {
  auto records = ParseCsv("a\nb\n\"open\nstill open\n");
  ASSERT_FALSE(records.ok());
  EXPECT_TRUE(Mentions(records.status(), "line 3"));
  EXPECT_TRUE(Mentions(records.status(), "not closed"));
}

TEST(CsvTest, RefusesQuoteInsideUnquotedField) {
  auto records = ParseCsv("a,b\nJean \"JJ\",x\n");
  ASSERT_FALSE(records.ok());
  EXPECT_TRUE(Mentions(records.status(), "line 2"));
}

TEST(CsvTest, RefusesTextAfterClosingQuote) {
  auto records = ParseCsv("\"a\"b,c\n");
  ASSERT_FALSE(records.ok());
  EXPECT_TRUE(Mentions(records.status(), "after the closing quote"));
}

TEST(CsvTest, FormatsOnlyWhatNeedsQuotes) {
  EXPECT_EQ(FormatCsvRecord({"a", "b c", ""}), "a,b c,\r\n");
  EXPECT_EQ(FormatCsvRecord({"Dupont, Marie", "say \"x\"", "a\nb"}),
            "\"Dupont, Marie\",\"say \"\"x\"\"\",\"a\nb\"\r\n");
}

TEST(CsvTest, FormatThenParseRoundTrips) {
  const std::vector<std::string> fields = {"s1", "Dupont, Marie", "\"q\"", "", "l1\r\nl2"};
  auto records = ParseCsv(FormatCsvRecord(fields) + FormatCsvRecord({"x"}));
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].fields, fields);
}

}  // namespace
}  // namespace microcred::mcctl
