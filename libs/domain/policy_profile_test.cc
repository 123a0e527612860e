#include "libs/domain/policy_profile.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>

#include "absl/strings/match.h"

namespace microcred::domain {
namespace {

using common::v1::ProviderType;

PolicyProfile Fwb() { return *PolicyProfile::Named("fwb"); }
PolicyProfile Eu() { return *PolicyProfile::Named("eu"); }

constexpr ProviderType kAllTypes[] = {
    common::v1::PROVIDER_TYPE_HIGHER_EDUCATION,
    common::v1::PROVIDER_TYPE_VET,
    common::v1::PROVIDER_TYPE_PUBLIC_EMPLOYMENT_SERVICE,
    common::v1::PROVIDER_TYPE_EMPLOYER_INDUSTRY,
    common::v1::PROVIDER_TYPE_SOCIAL_PARTNER,
    common::v1::PROVIDER_TYPE_CIVIL_SOCIETY,
    common::v1::PROVIDER_TYPE_PRIVATE_PROVIDER,
    common::v1::PROVIDER_TYPE_PUBLIC_AUTHORITY,
};

TEST(PolicyProfileTest, BuiltinProfilesLoadAndAreNamedAfterTheirFile) {
  EXPECT_EQ(PolicyProfile::BuiltinNames(), (std::vector<std::string>{"eu", "fwb"}));
  for (const std::string& name : PolicyProfile::BuiltinNames()) {
    absl::StatusOr<PolicyProfile> profile = PolicyProfile::Named(name);
    ASSERT_TRUE(profile.ok()) << profile.status();
    EXPECT_EQ(profile->name(), name);
    EXPECT_FALSE(profile->description().empty());
  }
}

TEST(PolicyProfileTest, UnknownNameIsNotFound) {
  absl::StatusOr<PolicyProfile> profile = PolicyProfile::Named("nl");
  EXPECT_EQ(profile.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(profile.status().message(), "policy profile \"nl\" is not built in (eu, fwb)");
}

TEST(PolicyProfileTest, FwbLetsOnlyHigherEducationIssueAndAwardEcts) {
  const PolicyProfile fwb = Fwb();
  for (ProviderType type : kAllTypes) {
    const bool hei = type == common::v1::PROVIDER_TYPE_HIGHER_EDUCATION;
    EXPECT_EQ(fwb.MayIssue(type), hei) << type;
    EXPECT_EQ(fwb.MayAwardEcts(type), hei) << type;
  }
  EXPECT_FALSE(fwb.MayIssue(common::v1::PROVIDER_TYPE_UNSPECIFIED));
  EXPECT_EQ(fwb.min_certificate_ects(), 10);
}

TEST(PolicyProfileTest, EuLetsEveryProviderTypeIssueAndAwardEcts) {
  const PolicyProfile eu = Eu();
  for (ProviderType type : kAllTypes) {
    EXPECT_TRUE(eu.MayIssue(type)) << type;
    EXPECT_TRUE(eu.MayAwardEcts(type)) << type;
  }
  EXPECT_FALSE(eu.MayIssue(common::v1::PROVIDER_TYPE_UNSPECIFIED));
  EXPECT_EQ(eu.min_certificate_ects(), 0);
  EXPECT_TRUE(eu.protected_titles().empty());
  EXPECT_EQ(eu.FindProtectedTitle("Master en data"), std::nullopt);
}

TEST(PolicyProfileTest, FwbProtectsTheDegreeTitles) {
  const std::vector<std::string> titles = Fwb().protected_titles();
  for (const char* title : {"bachelier", "master", "docteur", "agrégé", "master de spécialisation",
                            "certificat d'aptitude pédagogique approprié à l'enseignement "
                            "supérieur",
                            "CAPAES"}) {
    EXPECT_NE(std::find(titles.begin(), titles.end(), title), titles.end()) << title;
  }
}

TEST(ProtectedTitleTest, WholeWordsCaseAndAccentInsensitive) {
  const PolicyProfile fwb = Fwb();
  EXPECT_EQ(fwb.FindProtectedTitle("Master en data"), "master");
  EXPECT_EQ(fwb.FindProtectedTitle("MASTER of Data"), "master");
  EXPECT_EQ(fwb.FindProtectedTitle("Agrégé"), "agrégé");
  EXPECT_EQ(fwb.FindProtectedTitle("AGREGE"), "agrégé");
  EXPECT_EQ(fwb.FindProtectedTitle("Agre\xcc\x81ge\xcc\x81 (NFD)"), "agrégé");
  EXPECT_EQ(fwb.FindProtectedTitle("Introduction (docteur)"), "docteur");
  EXPECT_EQ(fwb.FindProtectedTitle("Master’s in data"), "master");
  EXPECT_EQ(fwb.FindProtectedTitle("Données\u00a0—\u00a0bachelière"), "bachelière");
  EXPECT_EQ(fwb.FindProtectedTitle("Préparation au Ph.D. en chimie"), "Ph.D.");
}

TEST(ProtectedTitleTest, WordsThatMerelyContainATitleAreAllowed) {
  const PolicyProfile fwb = Fwb();
  EXPECT_EQ(fwb.FindProtectedTitle("Masterclass in data"), std::nullopt);
  EXPECT_EQ(fwb.FindProtectedTitle("Mastering Python"), std::nullopt);
  EXPECT_EQ(fwb.FindProtectedTitle("Remastered audio"), std::nullopt);
  EXPECT_EQ(fwb.FindProtectedTitle("Agrégation de données avec SQL"), std::nullopt);
  EXPECT_EQ(fwb.FindProtectedTitle("Docteurs sans frontières"), std::nullopt);
}

TEST(ProtectedTitleTest, LongestMatchAtTheFirstPositionWins) {
  const PolicyProfile fwb = Fwb();
  EXPECT_EQ(fwb.FindProtectedTitle("Master de spécialisation en droit"),
            "master de spécialisation");
  EXPECT_EQ(fwb.FindProtectedTitle("Vers le CAPAES ou le master"), "CAPAES");
  EXPECT_EQ(fwb.FindProtectedTitle("Certificat d’aptitude pédagogique approprié à "
                                   "l’Enseignement Supérieur"),
            "certificat d'aptitude pédagogique approprié à l'enseignement supérieur");
}

constexpr char kValidJson[] = R"({
  "name": "alliance-x",
  "description": "An alliance's own rules.",
  "issuer_provider_types": ["PROVIDER_TYPE_HIGHER_EDUCATION", "PROVIDER_TYPE_VET"],
  "ects_provider_types": [],
  "protected_titles": ["Diplom", "Magister Artium"],
  "min_certificate_ects": 5
})";

TEST(PolicyProfileFromJsonTest, ParsesAnOperatorProfile) {
  absl::StatusOr<PolicyProfile> profile = PolicyProfile::FromJson(kValidJson);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->name(), "alliance-x");
  EXPECT_TRUE(profile->MayIssue(common::v1::PROVIDER_TYPE_VET));
  EXPECT_FALSE(profile->MayIssue(common::v1::PROVIDER_TYPE_PRIVATE_PROVIDER));
  EXPECT_FALSE(profile->MayAwardEcts(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION));
  EXPECT_EQ(profile->min_certificate_ects(), 5);
  EXPECT_EQ(profile->FindProtectedTitle("Der magister-artium Kurs"), "Magister Artium");
}

struct BadProfileCase {
  std::string json;
  std::string message;
};

class PolicyProfileFromJsonErrorTest : public testing::TestWithParam<BadProfileCase> {};

TEST_P(PolicyProfileFromJsonErrorTest, RefusedNamingTheKey) {
  absl::StatusOr<PolicyProfile> profile = PolicyProfile::FromJson(GetParam().json);
  EXPECT_EQ(profile.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(profile.status().message(), GetParam().message);
}

std::string With(std::string_view key, std::string_view value) {
  std::string json = R"({"name": "x", "issuer_provider_types": ["PROVIDER_TYPE_VET"],
      "ects_provider_types": [], "protected_titles": [], "min_certificate_ects": 0)";
  if (!key.empty()) json += ", \"" + std::string(key) + "\": " + std::string(value);
  return json + "}";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PolicyProfileFromJsonErrorTest,
    testing::Values(
        BadProfileCase{"[]", "policy profile: must be a JSON object"},
        BadProfileCase{With("issuer_types", "[]"),
                       "policy profile: issuer_types: is not a known key"},
        BadProfileCase{R"({"name": "x"})", "policy profile: issuer_provider_types: is required"},
        BadProfileCase{R"({"name": "Bad Name", "issuer_provider_types": ["PROVIDER_TYPE_VET"],
            "ects_provider_types": [], "protected_titles": [], "min_certificate_ects": 0})",
                       "policy profile: name: must be a string of 1 to 32 characters from "
                       "[a-z0-9-]"},
        BadProfileCase{R"({"name": "x", "issuer_provider_types": [],
            "ects_provider_types": [], "protected_titles": [], "min_certificate_ects": 0})",
                       "policy profile: issuer_provider_types: must list at least one provider "
                       "type"},
        BadProfileCase{R"({"name": "x", "issuer_provider_types": ["HEI"],
            "ects_provider_types": [], "protected_titles": [], "min_certificate_ects": 0})",
                       "policy profile: issuer_provider_types[0]: must be a ProviderType name "
                       "other than UNSPECIFIED, e.g. \"PROVIDER_TYPE_HIGHER_EDUCATION\""},
        BadProfileCase{R"({"name": "x", "issuer_provider_types": ["PROVIDER_TYPE_VET"],
            "ects_provider_types": ["PROVIDER_TYPE_VET", "PROVIDER_TYPE_VET"],
            "protected_titles": [], "min_certificate_ects": 0})",
                       "policy profile: ects_provider_types[1]: duplicates PROVIDER_TYPE_VET"},
        BadProfileCase{R"({"name": "x", "issuer_provider_types": ["PROVIDER_TYPE_VET"],
            "ects_provider_types": [], "protected_titles": ["Master", " "],
            "min_certificate_ects": 0})",
                       "policy profile: protected_titles[1]: is required"},
        BadProfileCase{R"({"name": "x", "issuer_provider_types": ["PROVIDER_TYPE_VET"],
            "ects_provider_types": [], "protected_titles": ["Agrégé", "AGREGE"],
            "min_certificate_ects": 0})",
                       "policy profile: protected_titles[1]: \"AGREGE\" duplicates \"Agrégé\" "
                       "once case and accents are ignored"},
        BadProfileCase{R"({"name": "x", "issuer_provider_types": ["PROVIDER_TYPE_VET"],
            "ects_provider_types": [], "protected_titles": ["--"],
            "min_certificate_ects": 0})",
                       "policy profile: protected_titles[0]: must contain a letter or digit"},
        BadProfileCase{R"({"name": "x", "issuer_provider_types": ["PROVIDER_TYPE_VET"],
            "ects_provider_types": [], "protected_titles": [], "min_certificate_ects": -1})",
                       "policy profile: min_certificate_ects: must be a finite number >= 0"},
        BadProfileCase{R"({"name": "x", "issuer_provider_types": ["PROVIDER_TYPE_VET"],
            "ects_provider_types": [], "protected_titles": [], "min_certificate_ects": "10"})",
                       "policy profile: min_certificate_ects: must be a finite number >= 0"}));

TEST(PolicyProfileFromJsonTest, SyntaxErrorSaysWhere) {
  absl::StatusOr<PolicyProfile> profile = PolicyProfile::FromJson(R"({"name": "x",})");
  EXPECT_EQ(profile.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(profile.status().message(), "policy profile: not valid JSON: "))
      << profile.status();
  EXPECT_TRUE(absl::StrContains(profile.status().message(), "line 1, column 14"))
      << profile.status();
}

TEST(PolicyProfileFromJsonTest, DescriptionIsOptional) {
  EXPECT_TRUE(PolicyProfile::FromJson(With("", "")).ok());
}

// ---- rules as data (an ecosystem's definition) ----

common::v1::PolicyRules ValidRules() {
  common::v1::PolicyRules rules;
  rules.set_name("alliance-x");
  rules.set_description("An alliance's own rules.");
  rules.add_issuer_provider_types(common::v1::PROVIDER_TYPE_VET);
  rules.add_issuer_provider_types(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  rules.add_protected_titles("Diplom");
  rules.add_protected_titles("Magister Artium");
  rules.set_min_certificate_ects(5);
  return rules;
}

TEST(PolicyProfileFromRulesTest, ReadsTheRulesAsTheJsonFileWouldBeRead) {
  absl::StatusOr<PolicyProfile> from_rules = PolicyProfile::FromRules(ValidRules());
  ASSERT_TRUE(from_rules.ok()) << from_rules.status();
  absl::StatusOr<PolicyProfile> from_json = PolicyProfile::FromJson(kValidJson);
  ASSERT_TRUE(from_json.ok()) << from_json.status();
  EXPECT_EQ(from_rules->ToRules().SerializeAsString(), from_json->ToRules().SerializeAsString());
  EXPECT_TRUE(from_rules->MayIssue(common::v1::PROVIDER_TYPE_VET));
  EXPECT_FALSE(from_rules->MayAwardEcts(common::v1::PROVIDER_TYPE_VET));
  EXPECT_EQ(from_rules->FindProtectedTitle("Der magister-artium Kurs"), "Magister Artium");
}

TEST(PolicyProfileFromRulesTest, EveryBuiltinProfileSurvivesTheRoundTrip) {
  for (const std::string& name : PolicyProfile::BuiltinNames()) {
    const PolicyProfile builtin = *PolicyProfile::Named(name);
    const common::v1::PolicyRules rules = builtin.ToRules();
    absl::StatusOr<PolicyProfile> again = PolicyProfile::FromRules(rules);
    ASSERT_TRUE(again.ok()) << name << ": " << again.status();
    EXPECT_EQ(again->ToRules().SerializeAsString(), rules.SerializeAsString()) << name;
    EXPECT_EQ(again->name(), builtin.name());
    EXPECT_EQ(again->description(), builtin.description());
    EXPECT_EQ(again->protected_titles(), builtin.protected_titles());
    EXPECT_EQ(again->min_certificate_ects(), builtin.min_certificate_ects());
    for (ProviderType type : kAllTypes) {
      EXPECT_EQ(again->MayIssue(type), builtin.MayIssue(type)) << name << " " << type;
      EXPECT_EQ(again->MayAwardEcts(type), builtin.MayAwardEcts(type)) << name << " " << type;
    }
  }
  EXPECT_EQ(Fwb().ToRules().protected_titles(0), "bachelier");  // as written, in order
}

struct BadRulesCase {
  std::function<void(common::v1::PolicyRules&)> spoil;
  std::string message;
};

class PolicyProfileFromRulesErrorTest : public testing::TestWithParam<BadRulesCase> {};

TEST_P(PolicyProfileFromRulesErrorTest, RefusedNamingTheField) {
  common::v1::PolicyRules rules = ValidRules();
  GetParam().spoil(rules);
  absl::StatusOr<PolicyProfile> profile = PolicyProfile::FromRules(rules);
  EXPECT_EQ(profile.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(profile.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PolicyProfileFromRulesErrorTest,
    testing::Values(
        BadRulesCase{[](common::v1::PolicyRules& r) { r.clear_name(); },
                     "rules.name: must be a string of 1 to 32 characters from [a-z0-9-]"},
        BadRulesCase{[](common::v1::PolicyRules& r) { r.clear_issuer_provider_types(); },
                     "rules.issuer_provider_types: must list at least one provider type"},
        BadRulesCase{[](common::v1::PolicyRules& r) {
                       r.add_issuer_provider_types(common::v1::PROVIDER_TYPE_UNSPECIFIED);
                     },
                     "rules.issuer_provider_types[2]: must be a ProviderType name other than "
                     "UNSPECIFIED, e.g. \"PROVIDER_TYPE_HIGHER_EDUCATION\""},
        BadRulesCase{[](common::v1::PolicyRules& r) {
                       r.add_ects_provider_types(static_cast<ProviderType>(77));
                     },
                     "rules.ects_provider_types[0]: must be a ProviderType name other than "
                     "UNSPECIFIED, e.g. \"PROVIDER_TYPE_HIGHER_EDUCATION\""},
        BadRulesCase{[](common::v1::PolicyRules& r) {
                       r.add_ects_provider_types(common::v1::PROVIDER_TYPE_VET);
                       r.add_ects_provider_types(common::v1::PROVIDER_TYPE_VET);
                     },
                     "rules.ects_provider_types[1]: duplicates PROVIDER_TYPE_VET"},
        BadRulesCase{[](common::v1::PolicyRules& r) { r.add_protected_titles(""); },
                     "rules.protected_titles[2]: is required"},
        BadRulesCase{[](common::v1::PolicyRules& r) { r.add_protected_titles("DIPLOM"); },
                     "rules.protected_titles[2]: \"DIPLOM\" duplicates \"Diplom\" once case "
                     "and accents are ignored"},
        BadRulesCase{[](common::v1::PolicyRules& r) {
                       r.set_min_certificate_ects(std::numeric_limits<double>::infinity());
                     },
                     "rules.min_certificate_ects: must be a finite number >= 0"},
        BadRulesCase{[](common::v1::PolicyRules& r) { r.set_min_certificate_ects(-0.5); },
                     "rules.min_certificate_ects: must be a finite number >= 0"}));

TEST(PolicyProfileFromJsonTest, AnUnspecifiedProviderTypeIsRefusedAsInRules) {
  absl::StatusOr<PolicyProfile> profile = PolicyProfile::FromJson(R"({"name": "x",
      "issuer_provider_types": ["PROVIDER_TYPE_UNSPECIFIED"], "ects_provider_types": [],
      "protected_titles": [], "min_certificate_ects": 0})");
  EXPECT_EQ(profile.status().message(),
            "policy profile: issuer_provider_types[0]: must be a ProviderType name other than "
            "UNSPECIFIED, e.g. \"PROVIDER_TYPE_HIGHER_EDUCATION\"");
}

TEST(ProviderTypeLabelTest, DropsThePrefix) {
  EXPECT_EQ(ProviderTypeLabel(common::v1::PROVIDER_TYPE_PRIVATE_PROVIDER), "PRIVATE_PROVIDER");
  EXPECT_EQ(ProviderTypeLabel(common::v1::PROVIDER_TYPE_UNSPECIFIED), "UNSPECIFIED");
  EXPECT_EQ(ProviderTypeLabel(static_cast<ProviderType>(77)), "77");
}

}  // namespace
}  // namespace microcred::domain
