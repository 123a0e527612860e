#include "services/mcnode/fetcher_flags.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace microcred {
namespace {

absl::StatusOr<HttpFetcherOptions> FromFlags(std::vector<const char*> flags) {
  flags.insert(flags.begin(), "mcnode");
  auto config =
      host::Config::Parse(static_cast<int>(flags.size()), flags.data(), FetcherConfigOptions(),
                          [](const std::string&) { return std::nullopt; });
  if (!config.ok()) return config.status();
  return FetcherOptionsFromConfig(*config);
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(FetcherFlagsTest, DefaultsAreSafe) {
  auto options = FromFlags({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_TRUE(options->ca_file.empty());
  EXPECT_TRUE(options->allowed_hosts.empty());
  EXPECT_FALSE(options->allow_http);
  EXPECT_EQ(options->timeout, absl::Milliseconds(5000));
  EXPECT_EQ(options->max_body_bytes, 1048576);
  EXPECT_FALSE(options->offline);
  EXPECT_TRUE(options->pinned.empty());
}

TEST(FetcherFlagsTest, ReadsEveryFlag) {
  const std::string ca = WriteFile("fetcher_flags_ca.pem", "not checked here");
  const std::string pins = WriteFile("fetcher_flags_pins.json",
                                     R"({"https://issuer.example/.well-known/did.json": {}})");
  const std::string ca_flag = "--fetch-ca-file=" + ca;
  const std::string pins_flag = "--pinned-documents=" + pins;
  auto options = FromFlags({ca_flag.c_str(), "--fetch-allow-hosts=localhost:8443,10.1.2.3",
                            "--fetch-allow-http", "--fetch-timeout-ms=250",
                            "--fetch-max-bytes=4096", "--fetch-offline", pins_flag.c_str()});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->ca_file, ca);
  EXPECT_TRUE(options->allowed_hosts.Allows("localhost", 8443));
  EXPECT_FALSE(options->allowed_hosts.Allows("localhost", 443));
  EXPECT_TRUE(options->allowed_hosts.Allows("10.1.2.3", 443));
  EXPECT_TRUE(options->allow_http);
  EXPECT_EQ(options->timeout, absl::Milliseconds(250));
  EXPECT_EQ(options->max_body_bytes, 4096);
  EXPECT_TRUE(options->offline);
  EXPECT_EQ(options->pinned.count("https://issuer.example/.well-known/did.json"), 1u);
  EXPECT_TRUE(CurlFetcher::Create(*options).ok());
}

TEST(FetcherFlagsTest, BadValuesNameTheFlag) {
  const std::string bad_pins = WriteFile("fetcher_flags_bad_pins.json", "[1, 2]");
  const std::string bad_pins_flag = "--pinned-documents=" + bad_pins;
  struct Case {
    const char* flag;
    const char* named;
  };
  for (const Case& c : {Case{"--fetch-ca-file=/nonexistent/ca.pem", "--fetch-ca-file"},
                        Case{"--fetch-allow-hosts=host:99999", "--fetch-allow-hosts"},
                        Case{"--fetch-allow-http=perhaps", "--fetch-allow-http"},
                        Case{"--fetch-timeout-ms=0", "--fetch-timeout-ms"},
                        Case{"--fetch-timeout-ms=5s", "--fetch-timeout-ms"},
                        Case{"--fetch-max-bytes=-1", "--fetch-max-bytes"},
                        Case{"--fetch-offline=maybe", "--fetch-offline"},
                        Case{"--pinned-documents=/nonexistent/pins.json", "--pinned-documents"},
                        Case{bad_pins_flag.c_str(), "--pinned-documents"}}) {
    auto options = FromFlags({c.flag});
    ASSERT_FALSE(options.ok()) << c.flag;
    EXPECT_TRUE(absl::StrContains(options.status().message(), c.named)) << options.status();
  }
}

}  // namespace
}  // namespace microcred
