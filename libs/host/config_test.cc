#include "libs/host/config.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "absl/strings/match.h"

namespace microcred::host {
namespace {

std::vector<ConfigOption> Options() {
  return {{"listen-address", "Where to serve gRPC."},
          {"port", "Port number."},
          {"verbose", "Log more."},
          {"timeout", "How long to wait."},
          {"node-id", "This node's id."}};
}

EnvironmentLookup Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& var) -> std::optional<std::string> {
    auto it = vars.find(var);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

absl::StatusOr<Config> ParseArgs(std::vector<const char*> args,
                                 std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), "prog");
  return Config::Parse(static_cast<int>(args.size()), args.data(), Options(), Env(env));
}

TEST(ConfigTest, EnvVarNameIsPrefixedUpperCaseWithUnderscores) {
  EXPECT_EQ(Config::EnvVarFor("listen-address"), "MC_LISTEN_ADDRESS");
}

TEST(ConfigTest, FlagWinsOverEnvironmentWhichWinsOverDefault) {
  auto config = ParseArgs({"--port=7443"}, {{"MC_PORT", "9000"}, {"MC_NODE_ID", "n1"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(*config->GetInt("port", 1), 7443);
  EXPECT_EQ(*config->GetString("node-id", "x"), "n1");
  EXPECT_EQ(*config->GetString("listen-address", "0.0.0.0:1"), "0.0.0.0:1");
  EXPECT_TRUE(config->IsSet("port"));
  EXPECT_FALSE(config->IsSet("listen-address"));
}

TEST(ConfigTest, TypedGetters) {
  auto config = ParseArgs({"--verbose", "--timeout=250ms"}, {{"MC_PORT", "-3"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(*config->GetBool("verbose", false));
  EXPECT_EQ(*config->GetDuration("timeout", absl::Seconds(1)), absl::Milliseconds(250));
  EXPECT_EQ(*config->GetInt("port", 0), -3);
  EXPECT_EQ(*config->GetDuration("node-id", absl::Seconds(9)), absl::Seconds(9));
}

TEST(ConfigTest, BoolSpellings) {
  for (const char* yes : {"--verbose=true", "--verbose=1", "--verbose=YES", "--verbose=on"}) {
    EXPECT_TRUE(*ParseArgs({yes})->GetBool("verbose", false)) << yes;
  }
  for (const char* no : {"--verbose=false", "--verbose=0", "--verbose=No", "--verbose=off"}) {
    EXPECT_FALSE(*ParseArgs({no})->GetBool("verbose", true)) << no;
  }
}

TEST(ConfigTest, MalformedValuesNameTheFlagAndTheSource) {
  auto config = ParseArgs({"--port=seven", "--timeout=soon"}, {{"MC_VERBOSE", "maybe"}});
  ASSERT_TRUE(config.ok());
  absl::Status port = config->GetInt("port", 0).status();
  EXPECT_EQ(port.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(port.message(), "--port")) << port;
  EXPECT_TRUE(absl::StrContains(port.message(), "seven")) << port;
  absl::Status verbose = config->GetBool("verbose", false).status();
  EXPECT_TRUE(absl::StrContains(verbose.message(), "--verbose")) << verbose;
  EXPECT_TRUE(absl::StrContains(verbose.message(), "MC_VERBOSE")) << verbose;
  EXPECT_FALSE(config->GetDuration("timeout", absl::Seconds(1)).ok());
}

TEST(ConfigTest, UnknownFlagListsTheKnownOnes) {
  auto config = ParseArgs({"--prot=1"});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(config.status().message(), "--prot")) << config.status();
  EXPECT_TRUE(absl::StrContains(config.status().message(), "--port")) << config.status();
  EXPECT_TRUE(absl::StrContains(config.status().message(), "--listen-address"));
}

TEST(ConfigTest, PositionalArgumentIsRejected) {
  EXPECT_FALSE(ParseArgs({"stray"}).ok());
  EXPECT_FALSE(ParseArgs({"-p"}).ok());
}

TEST(ConfigTest, UndeclaredNameInGetterIsAnError) {
  auto config = ParseArgs({});
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->GetString("nope", "x").ok());
}

TEST(ConfigTest, RequireNamesFlagAndVariable) {
  auto config = ParseArgs({}, {{"MC_PORT", ""}});
  ASSERT_TRUE(config.ok());
  absl::Status missing = config->Require("node-id").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(missing.message(), "--node-id")) << missing;
  EXPECT_TRUE(absl::StrContains(missing.message(), "MC_NODE_ID")) << missing;
  EXPECT_FALSE(config->Require("port").ok()) << "empty counts as missing";
  EXPECT_EQ(*ParseArgs({"--node-id=a"})->Require("node-id"), "a");
}

TEST(ConfigTest, HelpIsRequestedAndUsageListsEveryOption) {
  auto config = ParseArgs({"--help"});
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->help_requested());
  std::string usage = config->Usage();
  EXPECT_TRUE(absl::StrContains(usage, "--listen-address (MC_LISTEN_ADDRESS)")) << usage;
  EXPECT_TRUE(absl::StrContains(usage, "Where to serve gRPC.")) << usage;
  EXPECT_FALSE(ParseArgs({})->help_requested());
}

TEST(ConfigTest, ValueMayContainEqualsSign) {
  EXPECT_EQ(*ParseArgs({"--node-id=a=b"})->GetString("node-id", ""), "a=b");
}

}  // namespace
}  // namespace microcred::host
