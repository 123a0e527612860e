#include "tools/mcctl/cli.h"

#include <gtest/gtest.h>

#include <vector>

#include "tools/mcctl/catalogue_commands.h"
#include "tools/mcctl/issue_flags.h"

namespace microcred::mcctl {
namespace {

const std::vector<std::string> kGroups = {"catalogue", "recognition", "recognition policy"};

absl::StatusOr<CommandLine> Split(std::vector<const char*> args) {
  args.insert(args.begin(), "mcctl");
  return SplitCommandLine(static_cast<int>(args.size()), args.data(), kGroups);
}

TEST(CliTest, AGroupWithinAGroupTakesAThirdWord) {
  auto line = Split({"--output=json", "recognition", "policy", "publish", "p.json", "--rank=1"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->words, (std::vector<std::string>{"recognition", "policy", "publish"}));
  EXPECT_EQ(line->args, std::vector<std::string>{"p.json"});
  EXPECT_EQ(line->global_flags, std::vector<std::string>{"--output=json"});
  EXPECT_EQ(line->command_flags, std::vector<std::string>{"--rank=1"});
}

TEST(CliTest, ACommandThatIsNotAGroupTakesNoFurtherWord) {
  auto line = Split({"recognition", "get", "policy", "x"});
  ASSERT_TRUE(line.ok()) << line.status();
  EXPECT_EQ(line->words, (std::vector<std::string>{"recognition", "get"}));
  EXPECT_EQ(line->args, (std::vector<std::string>{"policy", "x"}));
}

TEST(CliTest, AGroupAloneOrBeforeAFlagStops) {
  auto alone = Split({"recognition", "policy"});
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(alone->words, (std::vector<std::string>{"recognition", "policy"}));
  auto help = Split({"recognition", "policy", "--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_EQ(help->words, (std::vector<std::string>{"recognition", "policy"}));
  EXPECT_EQ(help->command_flags, std::vector<std::string>{"--help"});
  auto dashes = Split({"recognition", "--", "policy"});
  ASSERT_TRUE(dashes.ok());
  EXPECT_EQ(dashes->words, std::vector<std::string>{"recognition"});
  EXPECT_EQ(dashes->args, std::vector<std::string>{"policy"});
}

TEST(CliTest, JoinWords) {
  EXPECT_EQ(JoinWords({}), "");
  EXPECT_EQ(JoinWords({"recognition", "policy", "list"}), "recognition policy list");
}

TEST(CliTest, TheCommandListStartsEverySummaryInOneColumn) {
  std::vector<Command> commands = {{.name = "verify", .summary = "verify a credential"},
                                   {.name = "recognition vae-eligibility", .summary = "compute"}};
  const std::string help = MainHelp(commands);
  EXPECT_NE(help.find("\n  verify                       verify a credential\n"), std::string::npos)
      << help;
  EXPECT_NE(help.find("\n  recognition vae-eligibility  compute\n"), std::string::npos) << help;
}

TEST(IssueFlagsTest, TheProfileIsNamedOrLeftToTheNode) {
  EXPECT_EQ(*ParseSecuringProfile(""), issuance::v1::SECURING_PROFILE_UNSPECIFIED);
  EXPECT_EQ(*ParseSecuringProfile("open-badges-jwt"),
            issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT);
  EXPECT_EQ(*ParseSecuringProfile("vc-jose-cose"), issuance::v1::SECURING_PROFILE_VC_JOSE_COSE);
  auto wrong = ParseSecuringProfile("jwt");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("--profile: expected open-badges-jwt or vc-jose-cose"),
            std::string::npos);
}

TEST(CatalogueFlagsTest, EcosystemIdsAreAListOrOneAndNameTheFlag) {
  EXPECT_EQ(*EcosystemIds("ecosystem", "fwb,eu-alliance_2", true),
            (std::vector<std::string>{"fwb", "eu-alliance_2"}));
  EXPECT_TRUE(EcosystemIds("ecosystem", "", true)->empty());
  EXPECT_EQ(*EcosystemIds("ecosystem", "fwb", false), std::vector<std::string>{"fwb"});
  auto two = EcosystemIds("ecosystem", "fwb,alliance", false);
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("--ecosystem: one ecosystem id"), std::string::npos);
  for (const std::string& bad : std::vector<std::string>{"a b", "x/y", std::string(65, 'e')}) {
    auto ids = EcosystemIds("ecosystem", bad, true);
    ASSERT_FALSE(ids.ok()) << bad;
    EXPECT_EQ(ids.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ids.status().message().rfind("--ecosystem: ", 0), 0u) << ids.status();
  }
}

}  // namespace
}  // namespace microcred::mcctl
