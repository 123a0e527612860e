#include "tools/mcctl/cli.h"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>

#include "absl/strings/match.h"
#include "tools/mcctl/catalogue_commands.h"
#include "tools/mcctl/issue_flags.h"
#include "tools/mcctl/registry_commands.h"

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

std::string WriteTempFile(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

TEST(DefineEcosystemTest, TheRulesAreABuiltinProfileOrAFileExactlyOne) {
  auto fwb = RulesFromFlags("fwb", "");
  ASSERT_TRUE(fwb.ok()) << fwb.status();
  EXPECT_EQ(fwb->name(), "fwb");
  EXPECT_EQ(fwb->min_certificate_ects(), 10);
  const std::string file = WriteTempFile("alliance.json", R"({"name": "alliance",
      "issuer_provider_types": ["PROVIDER_TYPE_HIGHER_EDUCATION", "PROVIDER_TYPE_VET"],
      "ects_provider_types": [], "protected_titles": ["Diplom"], "min_certificate_ects": 5})");
  auto from_file = RulesFromFlags("", file);
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  EXPECT_EQ(from_file->name(), "alliance");
  EXPECT_EQ(from_file->issuer_provider_types_size(), 2);
  EXPECT_EQ(from_file->protected_titles(0), "Diplom");

  for (auto [profile, profile_file] : {std::pair<std::string, std::string>{"", ""},
                                       std::pair<std::string, std::string>{"eu", file}}) {
    auto neither_or_both = RulesFromFlags(profile, profile_file);
    EXPECT_EQ(neither_or_both.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(neither_or_both.status().message(), "exactly one"));
  }
  EXPECT_TRUE(absl::StrContains(RulesFromFlags("nl", "").status().message(), "--profile: "));
  EXPECT_TRUE(absl::StrContains(RulesFromFlags("", file + ".missing").status().message(),
                                "--profile-file: cannot read"));
}

TEST(DefineEcosystemTest, ABadProfileFileIsRefusedNamingTheJsonKey) {
  const std::string file = WriteTempFile("bad.json", R"({"name": "bad",
      "issuer_provider_types": ["PROVIDER_TYPE_HIGHER_EDUCATION"], "ects_provider_types": [],
      "protected_titles": ["master", "MASTER"], "min_certificate_ects": 0})");
  auto rules = RulesFromFlags("", file);
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(rules.status().message(),
            "--profile-file " + file +
                ": policy profile: protected_titles[1]: \"MASTER\" duplicates \"master\" once "
                "case and accents are ignored");
  const std::string misspelt = WriteTempFile("misspelt.json", R"({"name": "bad",
      "issuers": ["PROVIDER_TYPE_HIGHER_EDUCATION"]})");
  EXPECT_TRUE(absl::StrContains(RulesFromFlags("", misspelt).status().message(),
                                "issuers: is not a known key"));
}

TEST(DefineEcosystemTest, TheDefinitionIsListedWithEachVersionsCut) {
  registry::v1::Ecosystem ecosystem;
  ecosystem.set_ecosystem_id("fwb");
  ecosystem.set_display_name("Fédération Wallonie-Bruxelles");
  ecosystem.mutable_log()->add_bootstrap_servers("kafka-1:9093");
  ecosystem.mutable_log()->add_bootstrap_servers("kafka-2:9093");
  ecosystem.mutable_log()->set_security_protocol("SSL");
  registry::v1::EcosystemVersion* first = ecosystem.add_versions();
  *first->mutable_rules() = *RulesFromFlags("eu", "");
  registry::v1::EcosystemVersion* second = ecosystem.add_versions();
  *second->mutable_rules() = *RulesFromFlags("fwb", "");
  registry::v1::LogPosition* position = second->mutable_cut()->add_positions();
  position->set_topic("mc.catalogue.v1");
  position->set_partition(0);
  position->set_offset(12);
  second->set_at_ms(86400000);
  const std::string shown = DescribeEcosystem(ecosystem);
  EXPECT_TRUE(absl::StartsWith(
      shown,
      "ecosystem fwb  Fédération Wallonie-Bruxelles  (log: kafka-1:9093,kafka-2:9093, SSL)\n"))
      << shown;
  EXPECT_TRUE(absl::StrContains(shown, "rules \"eu\" from the log's beginning\n")) << shown;
  EXPECT_TRUE(
      absl::StrContains(shown, "1970-01-02 rules \"fwb\" from mc.catalogue.v1/0@12 (latest)\n"))
      << shown;
  EXPECT_TRUE(absl::StrContains(shown,
                                "issuers: HIGHER_EDUCATION; ECTS: HIGHER_EDUCATION; 25 "
                                "protected title(s); certificate minimum 10 ECTS\n"))
      << shown;
}

}  // namespace
}  // namespace microcred::mcctl
