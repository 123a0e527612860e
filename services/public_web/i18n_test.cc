#include "services/public_web/i18n.h"

#include <gtest/gtest.h>

namespace microcred::web {
namespace {

TEST(ChooseLangTest, QueryWinsOverTheHeader) {
  EXPECT_EQ(ChooseLang("fr", "en-GB,en;q=0.9"), Lang::kFr);
  EXPECT_EQ(ChooseLang("en", "fr-BE"), Lang::kEn);
}

TEST(ChooseLangTest, HeaderByQualityThenEnglish) {
  EXPECT_EQ(ChooseLang("", "fr-BE,fr;q=0.9,en;q=0.8"), Lang::kFr);
  EXPECT_EQ(ChooseLang("", "nl-BE, en;q=0.5, fr;q=0.7"), Lang::kFr);
  EXPECT_EQ(ChooseLang("", "de-DE"), Lang::kEn);
  EXPECT_EQ(ChooseLang("", ""), Lang::kEn);
  EXPECT_EQ(ChooseLang("xx", "fr"), Lang::kFr);  // an unknown query value is ignored
}

TEST(TrTest, BothLanguagesAndTheKeyWhenMissing) {
  EXPECT_EQ(Tr(Lang::kEn, "nav.catalogue"), "Catalogue");
  EXPECT_EQ(Tr(Lang::kFr, "verify.button"), "Vérifier");
  EXPECT_EQ(Tr(Lang::kFr, "no.such.key"), "no.such.key");
  EXPECT_FALSE(HasText("no.such.key"));
}

TEST(TrTest, EveryClosedListValueHasATextInBothLanguages) {
  for (std::string_view key :
       {"ASSESSMENT_TYPE_WRITTEN_EXAM", "ASSESSMENT_TYPE_MIXED", "FORM_OF_PARTICIPATION_BLENDED",
        "QUALITY_ASSURANCE_TYPE_EXTERNAL", "SUPERVISION_ONSITE_WITH_ID_CHECK",
        "STACKABILITY_STACKABLE", "PROVIDER_TYPE_PUBLIC_AUTHORITY", "QF_EHEA_CYCLE_THIRD",
        "CREDENTIAL_STATUS_REVOKED", "MODE_OF_ACQUISITION_PRIOR_LEARNING_VALIDATION",
        "SECURING_PROFILE_OPEN_BADGES_JWT", "SECURING_PROFILE_VC_JOSE_COSE"}) {
    EXPECT_TRUE(HasText(key)) << key;
    EXPECT_NE(Tr(Lang::kEn, key), key);
    EXPECT_NE(Tr(Lang::kFr, key), key);
  }
}

TEST(NamesTest, CodesGetNamesOrStayCodes) {
  EXPECT_EQ(CountryName(Lang::kFr, "BE"), "Belgique");
  EXPECT_EQ(CountryName(Lang::kEn, "ZZ"), "ZZ");
  EXPECT_EQ(LanguageName(Lang::kEn, "nl"), "Dutch");
  EXPECT_EQ(IscedBroadFieldName(Lang::kEn, "0613"), "Information and communication technologies");
}

}  // namespace
}  // namespace microcred::web
