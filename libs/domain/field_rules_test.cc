#include "libs/domain/field_rules.h"

#include <gtest/gtest.h>

namespace microcred::domain {
namespace {

TEST(ValidateTextTest, OptionalEmptyIsValidButBlankIsNot) {
  EXPECT_TRUE(ValidateText("", "x", {.max_chars = 10}).ok());
  EXPECT_EQ(ValidateText(" \n", "x", {.max_chars = 10}).message(),
            "x: must not be only white space");
  EXPECT_EQ(ValidateText("", "x", {.required = true, .max_chars = 10}).message(), "x: is required");
}

TEST(ValidateTextTest, LengthInCodePoints) {
  EXPECT_TRUE(ValidateText("ééé", "x", {.max_chars = 3}).ok());
  EXPECT_EQ(ValidateText("éééé", "x", {.max_chars = 3}).message(),
            "x: must be at most 3 characters (has 4)");
}

TEST(ValidateHttpsUrlTest, AcceptsHttpsUrls) {
  for (const char* url : {"https://uclouvain.be", "https://www.ares-ac.be/fr/recognition?x=1#a",
                          "HTTPS://example.org:8443/policy.pdf", "https://localhost/"}) {
    EXPECT_TRUE(ValidateHttpsUrl(url, "link").ok()) << url;
  }
}

TEST(ValidateHttpsUrlTest, RefusesOthers) {
  EXPECT_EQ(ValidateHttpsUrl("", "link").message(), "link: is required");
  EXPECT_EQ(ValidateHttpsUrl("http://uclouvain.be", "link").message(),
            "link: must be an https URL (https://...)");
  EXPECT_EQ(ValidateHttpsUrl("javascript:alert(1)", "link").message(),
            "link: must be an https URL (https://...)");
  EXPECT_EQ(ValidateHttpsUrl("https://a b.be", "link").message(),
            "link: must not contain white space or control characters");
  EXPECT_EQ(ValidateHttpsUrl("https://user@evil.example", "link").message(),
            "link: must not contain user information (user@host)");
  EXPECT_EQ(ValidateHttpsUrl("https:///path", "link").message(),
            "link: must name a host (https://host/...)");
  EXPECT_EQ(ValidateHttpsUrl("https://-bad.be/", "link").message(),
            "link: must name a host (https://host/...)");
  EXPECT_EQ(ValidateHttpsUrl("https://a..be/", "link").message(),
            "link: must name a host (https://host/...)");
  EXPECT_EQ(ValidateHttpsUrl("https://a.be:x/", "link").message(), "link: has an invalid port");
  EXPECT_EQ(ValidateHttpsUrl("https://a.be/" + std::string(2100, 'p'), "link").message(),
            "link: must be at most 2048 bytes");
}

TEST(DeqarTest, InstitutionIds) {
  EXPECT_TRUE(ValidateDeqarInstitutionId("", "d").ok());
  EXPECT_TRUE(ValidateDeqarInstitutionId("DEQARINST0107", "d").ok());
  EXPECT_TRUE(ValidateDeqarInstitutionId("DEQARINST12345", "d").ok());
  for (const char* bad : {"DEQARINST12", "deqarinst0107", "DEQARINST01O7", "0107", "AEQES"}) {
    EXPECT_FALSE(ValidateDeqarInstitutionId(bad, "d").ok()) << bad;
  }
  EXPECT_EQ(ValidateDeqarInstitutionId("AEQES", "d").message(),
            "d: \"AEQES\" is not a DEQAR institution id (DEQARINST followed by 4 to 10 digits, "
            "e.g. \"DEQARINST0107\")");
}

TEST(DeqarTest, References) {
  for (const char* good : {"", "DEQARINST0107", "54321", "1"}) {
    EXPECT_TRUE(ValidateDeqarReference(good, "d").ok()) << good;
  }
  for (const char* bad : {"0", "012", "12345678901", "report 5", "https://www.eqar.eu/"}) {
    EXPECT_FALSE(ValidateDeqarReference(bad, "d").ok()) << bad;
  }
}

}  // namespace
}  // namespace microcred::domain
