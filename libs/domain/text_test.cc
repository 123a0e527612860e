#include "libs/domain/text.h"

#include <gtest/gtest.h>

namespace microcred::domain {
namespace {

using Words = std::vector<std::string>;

TEST(Utf8CodePointCountTest, CountsCodePoints) {
  EXPECT_EQ(Utf8CodePointCount(""), 0u);
  EXPECT_EQ(Utf8CodePointCount("abc"), 3u);
  EXPECT_EQ(Utf8CodePointCount("agrégé"), 6u);
  EXPECT_EQ(Utf8CodePointCount("€𝄞"), 2u);  // 3-byte and 4-byte sequences
}

TEST(Utf8CodePointCountTest, RefusesMalformedUtf8) {
  EXPECT_EQ(Utf8CodePointCount("\xc3"), std::nullopt);              // truncated
  EXPECT_EQ(Utf8CodePointCount("\xc0\xaf"), std::nullopt);          // overlong '/'
  EXPECT_EQ(Utf8CodePointCount("\xed\xa0\x80"), std::nullopt);      // surrogate U+D800
  EXPECT_EQ(Utf8CodePointCount("\xf4\x90\x80\x80"), std::nullopt);  // above U+10FFFF
  EXPECT_EQ(Utf8CodePointCount("\x80"), std::nullopt);              // lone continuation
  EXPECT_EQ(Utf8CodePointCount("\xff"), std::nullopt);
}

TEST(TrimWhiteSpaceTest, TrimsUnicodeWhiteSpace) {
  EXPECT_EQ(TrimWhiteSpace("  a b \t\n"), "a b");
  EXPECT_EQ(TrimWhiteSpace("\u00a0\u2003titre\u3000"), "titre");
  EXPECT_EQ(TrimWhiteSpace(" \u00a0 "), "");
  EXPECT_EQ(TrimWhiteSpace("é"), "é");
}

TEST(ContainsControlCharacterTest, LineBreaksOnlyWhenAllowed) {
  EXPECT_FALSE(ContainsControlCharacter("a\tb\nc\r\n", true));
  EXPECT_TRUE(ContainsControlCharacter("a\tb", false));
  EXPECT_TRUE(ContainsControlCharacter("a\x7f", true));
  EXPECT_TRUE(ContainsControlCharacter("a\u0085", true));  // C1 NEL
  EXPECT_FALSE(ContainsControlCharacter("déjà vu", false));
}

TEST(FoldToWordsTest, FoldsCaseAccentsAndLigatures) {
  EXPECT_EQ(FoldToWords("L’Agrégée  de\u00a0Œuvres"), (Words{"l", "agregee", "de", "oeuvres"}));
  EXPECT_EQ(FoldToWords("ÉÈÊËÀÂÄÎÏÔÖÙÛÜÇ éèêëàâäîïôöùûüç"),
            (Words{"eeeeaaaiioouuuc", "eeeeaaaiioouuuc"}));
  EXPECT_EQ(FoldToWords("Æsir Straße ĳs ﬁnance Łódź"),
            (Words{"aesir", "strasse", "ijs", "finance", "lodz"}));
  EXPECT_EQ(FoldToWords("e\xcc\x81te\xcc\x81"), (Words{"ete"}));  // NFD
}

TEST(FoldToWordsTest, PunctuationSeparatesOtherScriptsAreKept) {
  EXPECT_EQ(FoldToWords("«Master» – 2024/25"), (Words{"master", "2024", "25"}));
  EXPECT_EQ(FoldToWords("Ελληνικά και data"), (Words{"Ελληνικά", "και", "data"}));
  EXPECT_EQ(FoldToWords("a\xff"
                        "b"),
            (Words{"a", "b"}));
  EXPECT_EQ(FoldToWords(" -- "), Words{});
}

TEST(FoldForMatchingTest, JoinsWithSingleSpaces) {
  EXPECT_EQ(FoldForMatching("  Données   OUVERTES! "), "donnees ouvertes");
}

}  // namespace
}  // namespace microcred::domain
