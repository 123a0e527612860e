#include "services/public_web/html.h"

#include <gtest/gtest.h>

namespace microcred::web {
namespace {

TEST(EscapeTest, EscapesTheFiveHtmlSpecialCharacters) {
  EXPECT_EQ(Escape(R"(<a href="x" title='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
}

TEST(EscapeTest, KeepsUtf8AndReplacesMalformedBytes) {
  EXPECT_EQ(Escape("Université"), "Université");
  EXPECT_EQ(Escape("a\xC3z"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(Escape("\xFF"), "\xEF\xBF\xBD");
}

TEST(EscapeTest, DropsControlCharactersButTabAndNewline) {
  EXPECT_EQ(Escape(std::string("a\0b\x1b\x7f\tc\nd", 10)), "ab\tc\nd");
}

TEST(UrlEncodeTest, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(UrlEncode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(UrlEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
}

TEST(QueryStringTest, JoinsEncodedPairs) {
  EXPECT_EQ(QueryString({}), "");
  EXPECT_EQ(QueryString({{"q", "data science"}, {"eqf", "6"}, {"eqf", "7"}}),
            "?q=data%20science&eqf=6&eqf=7");
}

}  // namespace
}  // namespace microcred::web
