#include "services/mcnode/trusted_list_flags.h"

#include <fstream>

#include "gtest/gtest.h"
#include "libs/jades/testing/test_ca.h"

namespace microcred {
namespace {

absl::StatusOr<jades::TrustAnchors> FromFlags(std::vector<const char*> flags) {
  flags.insert(flags.begin(), "mcnode");
  auto config =
      host::Config::Parse(static_cast<int>(flags.size()), flags.data(), TrustedListConfigOptions(),
                          [](const std::string&) { return std::nullopt; });
  if (!config.ok()) return config.status();
  return TrustedListFromConfig(*config);
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(TrustedListFlagsTest, NoFlagTrustsNoSeal) {
  absl::StatusOr<jades::TrustAnchors> anchors = FromFlags({});
  ASSERT_TRUE(anchors.ok()) << anchors.status();
  EXPECT_TRUE(anchors->empty());
}

TEST(TrustedListFlagsTest, APemBundleGivesItsAnchors) {
  const absl::Time now = absl::Now();
  jades::TestCa ca = *jades::TestCa::Create("Seal CA", now, now + absl::Hours(1));
  const std::string path = WriteFile("trusted_list_flags.pem", ca.certificate_pem());
  const std::string flag = "--trusted-list-file=" + path;
  absl::StatusOr<jades::TrustAnchors> anchors = FromFlags({flag.c_str()});
  ASSERT_TRUE(anchors.ok()) << anchors.status();
  ASSERT_EQ(anchors->anchors().size(), 1u);
  EXPECT_EQ(anchors->anchors()[0].name, "Seal CA");
}

TEST(TrustedListFlagsTest, BadFilesNameTheFlag) {
  absl::StatusOr<jades::TrustAnchors> missing =
      FromFlags({"--trusted-list-file=/nonexistent/tl.xml"});
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_EQ(missing.status().message(),
            "--trusted-list-file: trusted list file /nonexistent/tl.xml: cannot be opened");
  const std::string empty_list =
      WriteFile("trusted_list_flags.xml",
                R"(<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"/>)");
  const std::string flag = "--trusted-list-file=" + empty_list;
  absl::StatusOr<jades::TrustAnchors> none = FromFlags({flag.c_str()});
  EXPECT_TRUE(absl::IsInvalidArgument(none.status()));
  EXPECT_EQ(none.status().message(), "--trusted-list-file: file " + empty_list +
                                         ": trusted list: no granted CA/QC service with a "
                                         "certificate");
}

}  // namespace
}  // namespace microcred
