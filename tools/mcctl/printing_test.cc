#include "tools/mcctl/printing.h"

#include <gtest/gtest.h>

namespace microcred::mcctl {
namespace {

TEST(PrintingTest, AVerificationSaysHowTheCredentialIsSecured) {
  issuance::v1::VerificationReport report;
  report.set_valid(true);
  report.set_credential_id("urn:uuid:1");
  report.set_securing_profile(issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT);
  report.set_signature_algorithm(issuance::v1::SIGNATURE_ALGORITHM_ES256);
  EXPECT_NE(VerificationText(report).find(
                "\nsecured as:         open-badges-jwt (Open Badges 3.0 VC-JWT), ES256\n"),
            std::string::npos)
      << VerificationText(report);

  report.set_securing_profile(issuance::v1::SECURING_PROFILE_VC_JOSE_COSE);
  report.set_signature_algorithm(issuance::v1::SIGNATURE_ALGORITHM_EDDSA);
  EXPECT_NE(
      VerificationText(report).find("secured as:         vc-jose-cose (W3C VC-JOSE-COSE), EdDSA"),
      std::string::npos)
      << VerificationText(report);

  // A token that failed the format check has no profile to tell.
  report.clear_securing_profile();
  EXPECT_EQ(VerificationText(report).find("secured as"), std::string::npos);
}

TEST(PrintingTest, AVerificationAndACredentialSayTheEcosystemOfIssue) {
  issuance::v1::VerificationReport report;
  report.set_valid(true);
  report.set_ecosystem_id("alliance");
  EXPECT_NE(VerificationText(report).find("\necosystem:          alliance\n"), std::string::npos)
      << VerificationText(report);
  report.clear_ecosystem_id();  // not recorded by its issuer: no ecosystem to tell
  EXPECT_EQ(VerificationText(report).find("ecosystem"), std::string::npos);

  issuance::v1::IssuedCredential credential;
  credential.set_credential_id("urn:uuid:1");
  credential.set_ecosystem_id("alliance");
  EXPECT_NE(CredentialText(credential).find("\necosystem:          alliance\n"), std::string::npos)
      << CredentialText(credential);
}

TEST(PrintingTest, ASpecificationSaysItsEcosystem) {
  catalogue::v1::Specification spec;
  spec.set_specification_id("uclouvain/data");
  spec.set_version(1);
  spec.set_ecosystem_id("alliance");
  EXPECT_NE(SpecificationText(spec).find("\necosystem:          alliance\n"), std::string::npos)
      << SpecificationText(spec);
  spec.clear_ecosystem_id();  // a record that does not say
  EXPECT_EQ(SpecificationText(spec).find("ecosystem"), std::string::npos);
}

TEST(PrintingTest, ASearchShowsEachResultsEcosystemAndTheEcosystemFacet) {
  catalogue::v1::SearchSpecificationsResponse response;
  response.set_total(4);
  auto* spec = response.add_results();
  spec->set_specification_id("uclouvain/data");
  spec->set_version(1);
  spec->mutable_content()->set_title("Data literacy");
  spec->set_ecosystem_id("fwb");
  auto* facet = response.add_facets();
  facet->set_name("ecosystem");
  auto* fwb = facet->add_counts();
  fwb->set_value("fwb");
  fwb->set_count(3);
  auto* alliance = facet->add_counts();
  alliance->set_value("alliance");
  alliance->set_count(1);
  const std::string text = SearchText(response);
  EXPECT_NE(text.find("Data literacy  [fwb]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nby ecosystem: fwb 3, alliance 1\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace microcred::mcctl
