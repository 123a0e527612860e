#include "libs/jades/trust_anchors.h"

#include <gtest/gtest.h>

#include "absl/strings/str_replace.h"
#include "libs/jades/testing/test_ca.h"

namespace microcred::jades {
namespace {

// Takes absl::string_view too (Debian's Abseil has its own).
template <typename Text>
bool Contains(const Text& text, std::string_view part) {
  return std::string(text).find(part) != std::string::npos;
}

const absl::Time kStart = absl::FromCivil(absl::CivilSecond(2020, 1, 1), absl::UTCTimeZone());
const absl::Time kEnd = absl::FromCivil(absl::CivilSecond(2040, 1, 1), absl::UTCTimeZone());

std::string Base64Body(const std::string& pem) {
  std::string body = pem;
  body = absl::StrReplaceAll(
      body, {{"-----BEGIN CERTIFICATE-----", ""}, {"-----END CERTIFICATE-----", ""}});
  return body;
}

std::string Service(const std::string& type, const std::string& status, const std::string& names,
                    const std::string& certificate_base64) {
  return "<tsl:TSPService><tsl:ServiceInformation><tsl:ServiceTypeIdentifier>" + type +
         "</tsl:ServiceTypeIdentifier><tsl:ServiceName>" + names +
         "</tsl:ServiceName><tsl:ServiceDigitalIdentity><tsl:DigitalId><tsl:X509Certificate>" +
         certificate_base64 +
         "</tsl:X509Certificate></tsl:DigitalId></tsl:ServiceDigitalIdentity><tsl:ServiceStatus>" +
         status + "</tsl:ServiceStatus></tsl:ServiceInformation></tsl:TSPService>";
}

std::string TrustedList(const std::string& services) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#">
 <tsl:TrustServiceProviderList><tsl:TrustServiceProvider><tsl:TSPServices>)" +
         services + R"(</tsl:TSPServices></tsl:TrustServiceProvider></tsl:TrustServiceProviderList>
</tsl:TrustServiceStatusList>)";
}

constexpr char kCaQc[] = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
constexpr char kGranted[] = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
constexpr char kWithdrawn[] = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn";

class TrustAnchorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    one_ = new TestCa(*TestCa::Create("First CA", kStart, kEnd));
    two_ = new TestCa(*TestCa::Create("Second CA", kStart, kEnd));
  }
  static void TearDownTestSuite() {
    delete one_;
    delete two_;
  }
  static TestCa* one_;
  static TestCa* two_;
};
TestCa* TrustAnchorsTest::one_;
TestCa* TrustAnchorsTest::two_;

TEST_F(TrustAnchorsTest, APemBundleNamesEachCertificateByItsCommonName) {
  absl::StatusOr<TrustAnchors> anchors = TrustAnchors::FromText(
      "\n" + one_->certificate_pem() + "comment\n" + two_->certificate_pem());
  ASSERT_TRUE(anchors.ok()) << anchors.status();
  ASSERT_EQ(anchors->anchors().size(), 2u);
  EXPECT_EQ(anchors->anchors()[0].name, "First CA");
  EXPECT_EQ(anchors->anchors()[1].name, "Second CA");
}

TEST_F(TrustAnchorsTest, BadPemIsRefusedNamingTheCertificate) {
  EXPECT_EQ(TrustAnchors::FromPem("nothing").status().message(),
            "trusted list: no PEM certificate");
  std::string broken = one_->certificate_pem();
  broken.insert(broken.find('\n') + 5, "!!!!");
  EXPECT_EQ(TrustAnchors::FromPem(two_->certificate_pem() + broken).status().message(),
            "trusted list: certificate 2 is not a valid PEM certificate");
}

TEST_F(TrustAnchorsTest, ATrustedListContributesItsGrantedCaQcServicesByServiceName) {
  std::string xml = TrustedList(
      Service(
          kCaQc, kGranted,
          R"(<tsl:Name xml:lang="de">Erste CA</tsl:Name><tsl:Name xml:lang="en">First service</tsl:Name>)",
          Base64Body(one_->certificate_pem())) +
      Service("http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST", kGranted,
              R"(<tsl:Name xml:lang="en">A timestamping service</tsl:Name>)",
              Base64Body(two_->certificate_pem())) +
      Service(kCaQc, kWithdrawn, R"(<tsl:Name xml:lang="en">Withdrawn service</tsl:Name>)",
              Base64Body(two_->certificate_pem())));
  absl::StatusOr<TrustAnchors> anchors = TrustAnchors::FromText(xml);
  ASSERT_TRUE(anchors.ok()) << anchors.status();
  ASSERT_EQ(anchors->anchors().size(), 1u);
  EXPECT_EQ(anchors->anchors()[0].name, "First service");
}

TEST_F(TrustAnchorsTest, BadTrustedListsAreRefusedWithAReason) {
  EXPECT_TRUE(Contains(TrustAnchors::FromText("<a><b></a>").status().message(),
                       "trusted list: not well-formed XML"));
  EXPECT_EQ(TrustAnchors::FromText("<TrustServiceStatusList/>").status().message(),
            "trusted list: not a TS 119 612 TrustServiceStatusList");
  EXPECT_EQ(TrustAnchors::FromText(TrustedList("")).status().message(),
            "trusted list: no granted CA/QC service with a certificate");
  EXPECT_EQ(TrustAnchors::FromText(
                TrustedList(Service(kCaQc, kGranted, "<tsl:Name>Broken</tsl:Name>", "AAAA")))
                .status()
                .message(),
            "trusted list: TSPService 1 (Broken): X509Certificate is not a valid base64 DER "
            "certificate");
}

TEST_F(TrustAnchorsTest, NoEntityIsEverResolved) {
  // An external entity pointing at a local file: refused before parsing, so nothing is read.
  std::string xxe = R"(<?xml version="1.0"?>
<!DOCTYPE tsl:TrustServiceStatusList [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<tsl:TrustServiceStatusList xmlns:tsl="http://uri.etsi.org/02231/v2#">&x;</tsl:TrustServiceStatusList>)";
  absl::StatusOr<TrustAnchors> anchors = TrustAnchors::FromText(xxe);
  EXPECT_EQ(anchors.status().message(),
            "trusted list: a DOCTYPE is not allowed (TS 119 612 lists have none)");
}

TEST_F(TrustAnchorsTest, LoadFileNamesTheFile) {
  absl::StatusOr<TrustAnchors> missing = TrustAnchors::LoadFile("/nonexistent/list.xml");
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_TRUE(Contains(missing.status().message(), "/nonexistent/list.xml"));
}

}  // namespace
}  // namespace microcred::jades
