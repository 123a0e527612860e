#include "libs/registry/secretariat.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/domain/policy_profile.h"
#include "libs/events/reasons.h"
#include "libs/events/topics.h"

namespace microcred::registry {
namespace {

class SecretariatTest : public ::testing::Test {
 protected:
  // The registry topic's records, as a node reads them.
  std::vector<LogRecord> RegistryRecords() {
    auto reader = log_.OpenReader({topics::kRegistry}, {});
    EXPECT_TRUE(reader.ok());
    auto records = (*reader)->Poll(std::chrono::milliseconds(0));
    EXPECT_TRUE(records.ok());
    return records.ok() ? *records : std::vector<LogRecord>{};
  }

  // Appends a catalogue record, so that the log's end moves.
  void AppendDomainRecord() {
    ASSERT_TRUE(log_.Append({topics::kCatalogue, "k", "not an envelope"}).ok());
  }

  MemoryEventLog log_;
  Secretariat secretariat_{"eco", crypto::SigningKey::Generate()};
  Registry registry_{{secretariat_.anchor()}};
};

TEST_F(SecretariatTest, DefineSignsTheRulesFromTheLogsCurrentEnd) {
  AppendDomainRecord();
  AppendDomainRecord();
  v1::EcosystemLog where;
  where.add_bootstrap_servers("kafka.eco.example:9093");
  auto appended =
      secretariat_.Define(log_, "Eco", domain::PolicyProfile::Named("fwb")->ToRules(), where);
  ASSERT_TRUE(appended.ok()) << appended.status();
  AppendDomainRecord();

  std::vector<LogRecord> records = RegistryRecords();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].key, "eco");
  auto env = events::ParseEnvelope(records[0].value);
  ASSERT_TRUE(env.ok());
  auto change = registry_.CheckRegistryChange(*env, {topics::kRegistry, 0, 0});
  ASSERT_TRUE(change.ok()) << change.status();
  ASSERT_TRUE(change->ecosystem.has_value());
  EXPECT_EQ(change->ecosystem->display_name(), "Eco");
  EXPECT_EQ(change->ecosystem->log().bootstrap_servers(0), "kafka.eco.example:9093");
  EXPECT_GT(change->ecosystem->versions(0).at_ms(), 0);
  registry_.RestoreEcosystem(*change->ecosystem);
  // The catalogue records before the definition stay under the Recommendation alone.
  EXPECT_EQ(registry_.ProfileAt({topics::kCatalogue, 0, 1}).name(), "eu");
  EXPECT_EQ(registry_.ProfileAt({topics::kCatalogue, 0, 2}).name(), "fwb");
}

TEST_F(SecretariatTest, DefineRefusesRulesThatDoNotValidateAndWritesNothing) {
  common::v1::PolicyRules rules = domain::PolicyProfile::Named("eu")->ToRules();
  rules.add_protected_titles(" ");
  auto appended = secretariat_.Define(log_, "Eco", rules, {});
  EXPECT_EQ(appended.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(appended.status().message(), "rules.protected_titles[0]"))
      << appended.status();
  EXPECT_TRUE(RegistryRecords().empty());
}

}  // namespace
}  // namespace microcred::registry
