#include "libs/domain/provider.h"

#include <gtest/gtest.h>

namespace microcred::domain {
namespace {

using catalogue::v1::ProviderProfile;

const InstitutionFacts kRegistered{"uclouvain", common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, false,
                                   "Université catholique de Louvain"};

ProviderProfile ValidProfile() {
  ProviderProfile p;
  p.set_institution_id("uclouvain");
  p.set_legal_name("Université catholique de Louvain");
  p.set_country("BE");
  p.set_region("BE-WAL");
  p.set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  p.set_qa_declaration("Évaluation institutionnelle AEQES 2023.");
  p.set_deqar_id("DEQARINST0107");
  p.add_public_key_ids("ed25519:0123456789abcdef");  // output only: ignored
  p.mutable_recognition_policy()->set_text(
      "Nous reconnaissons les microcertifications des membres de l'alliance sur la base des "
      "éléments de l'annexe I.");
  p.mutable_recognition_policy()->add_links("https://uclouvain.be/reconnaissance");
  p.set_website("https://uclouvain.be");
  return p;
}

void ExpectError(const ProviderProfile& p, absl::StatusCode code, std::string_view message) {
  absl::Status s = ValidateProviderProfile(p, kRegistered);
  EXPECT_EQ(s.code(), code) << s;
  EXPECT_EQ(std::string(s.message()), message);
}

TEST(ProviderProfileTest, ValidProfileIsAccepted) {
  EXPECT_TRUE(ValidateProviderProfile(ValidProfile(), kRegistered).ok());
  ProviderProfile minimal = ValidProfile();
  minimal.clear_region();
  minimal.clear_qa_declaration();
  minimal.clear_deqar_id();
  minimal.mutable_recognition_policy()->clear_links();
  minimal.clear_website();
  EXPECT_TRUE(ValidateProviderProfile(minimal, kRegistered).ok());
}

TEST(ProviderProfileTest, InstitutionIdRequired) {
  ProviderProfile p = ValidProfile();
  p.clear_institution_id();
  ExpectError(p, absl::StatusCode::kInvalidArgument, "profile.institution_id: is required");
}

TEST(ProviderProfileTest, InstitutionIdMustBeTheRegisteredOne) {
  ProviderProfile p = ValidProfile();
  p.set_institution_id("ulb");
  ExpectError(p, absl::StatusCode::kFailedPrecondition,
              "profile.institution_id: \"ulb\" does not match the registered institution "
              "\"uclouvain\"");
}

TEST(ProviderProfileTest, LegalNameRequired) {
  ProviderProfile p = ValidProfile();
  p.set_legal_name("");
  ExpectError(p, absl::StatusCode::kInvalidArgument, "profile.legal_name: is required");
}

TEST(ProviderProfileTest, LegalNameMustBeTheRegisteredOne) {
  ProviderProfile p = ValidProfile();
  p.set_legal_name("Université libre de Bruxelles");
  ExpectError(p, absl::StatusCode::kFailedPrecondition,
              "profile.legal_name: \"Université libre de Bruxelles\" does not match the "
              "registered legal name \"Université catholique de Louvain\"");
}

TEST(ProviderProfileTest, CountryMustBeAnIsoCode) {
  ProviderProfile p = ValidProfile();
  p.set_country("Belgique");
  ExpectError(p, absl::StatusCode::kInvalidArgument,
              "profile.country: \"Belgique\" is not an ISO 3166-1 alpha-2 code (two upper-case "
              "letters, e.g. \"BE\")");
}

TEST(ProviderProfileTest, RegionMustBelongToTheCountry) {
  ProviderProfile p = ValidProfile();
  p.set_region("NL-NH");
  ExpectError(p, absl::StatusCode::kInvalidArgument,
              "profile.region: \"NL-NH\" is not a subdivision of country \"BE\"");
}

TEST(ProviderProfileTest, ProviderTypeRequired) {
  ProviderProfile p = ValidProfile();
  p.set_provider_type(common::v1::PROVIDER_TYPE_UNSPECIFIED);
  ExpectError(p, absl::StatusCode::kInvalidArgument, "profile.provider_type: is required");
}

TEST(ProviderProfileTest, ProviderTypeMustBeTheRegisteredOne) {
  ProviderProfile p = ValidProfile();
  p.set_provider_type(common::v1::PROVIDER_TYPE_PRIVATE_PROVIDER);
  ExpectError(p, absl::StatusCode::kFailedPrecondition,
              "profile.provider_type: PRIVATE_PROVIDER does not match the registered provider "
              "type HIGHER_EDUCATION");
}

TEST(ProviderProfileTest, QaDeclarationAtMost20000Characters) {
  ProviderProfile p = ValidProfile();
  p.set_qa_declaration(std::string(20001, 'q'));
  ExpectError(p, absl::StatusCode::kInvalidArgument,
              "profile.qa_declaration: must be at most 20000 characters (has 20001)");
}

TEST(ProviderProfileTest, DeqarIdFormat) {
  ProviderProfile p = ValidProfile();
  p.set_deqar_id("107");
  ExpectError(p, absl::StatusCode::kInvalidArgument,
              "profile.deqar_id: \"107\" is not a DEQAR institution id (DEQARINST followed by 4 "
              "to 10 digits, e.g. \"DEQARINST0107\")");
}

TEST(ProviderProfileTest, RecognitionPolicyTextRequired) {
  ProviderProfile p = ValidProfile();
  p.mutable_recognition_policy()->set_text(" ");
  ExpectError(p, absl::StatusCode::kInvalidArgument,
              "profile.recognition_policy.text: is required");
}

TEST(ProviderProfileTest, RecognitionPolicyTextAtMost20000Characters) {
  ProviderProfile p = ValidProfile();
  p.mutable_recognition_policy()->set_text(std::string(20001, 'r'));
  ExpectError(p, absl::StatusCode::kInvalidArgument,
              "profile.recognition_policy.text: must be at most 20000 characters (has 20001)");
}

TEST(ProviderProfileTest, RecognitionPolicyLinksAreHttps) {
  ProviderProfile p = ValidProfile();
  p.mutable_recognition_policy()->add_links("http://uclouvain.be/policy");
  ExpectError(p, absl::StatusCode::kInvalidArgument,
              "profile.recognition_policy.links[1]: must be an https URL (https://...)");
}

TEST(ProviderProfileTest, RecognitionPolicyLinksAreBounded) {
  ProviderProfile p = ValidProfile();
  for (int i = 0; i < 20; ++i) p.mutable_recognition_policy()->add_links("https://a.be/");
  ExpectError(p, absl::StatusCode::kInvalidArgument,
              "profile.recognition_policy.links: at most 20 links (has 21)");
}

TEST(ProviderProfileTest, WebsiteIsHttps) {
  ProviderProfile p = ValidProfile();
  p.set_website("uclouvain.be");
  ExpectError(p, absl::StatusCode::kInvalidArgument,
              "profile.website: must be an https URL (https://...)");
}

}  // namespace
}  // namespace microcred::domain
