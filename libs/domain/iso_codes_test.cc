#include "libs/domain/iso_codes.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace microcred::domain {
namespace {

TEST(IsoCodesTest, TablesAreCompleteSortedAndUnique) {
  EXPECT_EQ(IsoCountryCodes().size(), 249u);
  EXPECT_EQ(IsoLanguageCodes().size(), 183u);
  for (auto table : {IsoCountryCodes(), IsoLanguageCodes()}) {
    EXPECT_TRUE(std::is_sorted(table.begin(), table.end()));
    EXPECT_EQ(std::adjacent_find(table.begin(), table.end()), table.end());
  }
}

TEST(IsoCodesTest, Countries) {
  for (const char* code : {"BE", "FR", "DE", "GR", "GB", "AX", "SS", "BQ"}) {
    EXPECT_TRUE(IsIsoCountryCode(code)) << code;
  }
  for (const char* code : {"be", "EL", "UK", "XK", "EU", "ZZ", "B", "BEL", ""}) {
    EXPECT_FALSE(IsIsoCountryCode(code)) << code;
  }
}

TEST(IsoCodesTest, Languages) {
  for (const char* code : {"fr", "nl", "de", "en", "wa", "lb", "zu"}) {
    EXPECT_TRUE(IsIsoLanguageCode(code)) << code;
  }
  for (const char* code : {"FR", "fra", "xx", "bh", "sh", "f", ""}) {
    EXPECT_FALSE(IsIsoLanguageCode(code)) << code;
  }
}

TEST(IsoCodesTest, Subdivisions) {
  EXPECT_TRUE(IsIsoSubdivisionCodeOf("BE-WAL", "BE"));
  EXPECT_TRUE(IsIsoSubdivisionCodeOf("BE-BRU", "BE"));
  EXPECT_TRUE(IsIsoSubdivisionCodeOf("FR-75C", "FR"));
  EXPECT_TRUE(IsIsoSubdivisionCodeOf("DE-BY", "DE"));
  EXPECT_FALSE(IsIsoSubdivisionCodeOf("FR-IDF", "BE"));
  EXPECT_FALSE(IsIsoSubdivisionCodeOf("BE-wal", "BE"));
  EXPECT_FALSE(IsIsoSubdivisionCodeOf("BE-WALL", "BE"));
  EXPECT_FALSE(IsIsoSubdivisionCodeOf("BE-", "BE"));
  EXPECT_FALSE(IsIsoSubdivisionCodeOf("BEWAL", "BE"));
  EXPECT_FALSE(IsIsoSubdivisionCodeOf("ZZ-ABC", "ZZ"));
}

}  // namespace
}  // namespace microcred::domain
