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

}  // namespace
}  // namespace microcred::mcctl
