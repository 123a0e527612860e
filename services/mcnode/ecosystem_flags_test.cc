#include "services/mcnode/ecosystem_flags.h"

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "libs/crypto/crypto.h"

namespace microcred {
namespace {

const std::string kDataDir = "/var/lib/mcnode";

// Two distinct Ed25519-sized keys, base64url.
const std::string kFwbRaw(32, '\x01');
const std::string kAllianceRaw(32, '\x02');
const std::string kOtherRaw(32, '\x03');
std::string Key(const std::string& raw) { return crypto::Base64UrlEncode(raw); }

absl::StatusOr<std::vector<EcosystemConfig>> FromFlags(std::vector<const char*> flags) {
  flags.insert(flags.begin(), "mcnode");
  // The single-ecosystem options are main.cc's; declared here as mcnode declares them.
  std::vector<host::ConfigOption> options = EcosystemConfigOptions();
  for (const char* name :
       {"ecosystem", "root-public-key", "kafka", "kafka-config", "trusted-roots"}) {
    options.push_back({name, "as mcnode"});
  }
  auto config = host::Config::Parse(static_cast<int>(flags.size()), flags.data(), options,
                                    [](const std::string&) { return std::nullopt; });
  if (!config.ok()) return config.status();
  return EcosystemsFromConfig(*config, kDataDir);
}

absl::StatusOr<std::vector<EcosystemConfig>> FromJson(const std::string& text) {
  return ParseEcosystemsFile(text, "ecosystems.json", kDataDir);
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// The file of decision 9: a node of fwb (home) and alliance on two Kafka clusters.
std::string TwoClusters() {
  return absl::StrReplaceAll(
      R"({"ecosystems": [
    {"id": "fwb", "root_public_key": "FWB", "kafka": "fwb-kafka:9093,fwb-kafka-2:9093",
     "kafka_config": "/etc/mcnode/fwb-kafka.properties"},
    {"id": "alliance", "root_public_key": "ALLIANCE", "kafka": "alliance-kafka:9093",
     "kafka_config": "/etc/mcnode/alliance-kafka.properties",
     "event_key_file": "/var/lib/mcnode/alliance-event.key",
     "further_roots": {"other-root": "OTHER"}}
  ]})",
      {{"FWB", Key(kFwbRaw)}, {"ALLIANCE", Key(kAllianceRaw)}, {"OTHER", Key(kOtherRaw)}});
}

// The status is an InvalidArgument whose message contains `part`.
void ExpectInvalid(const absl::StatusOr<std::vector<EcosystemConfig>>& result,
                   const std::string& part) {
  ASSERT_FALSE(result.ok()) << "expected an error containing: " << part;
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  EXPECT_TRUE(absl::StrContains(result.status().message(), part))
      << result.status() << "\n  expected: " << part;
}

TEST(EcosystemFlagsTest, SingleFlagsMakeOneEmbeddedEcosystem) {
  const std::string root = "--root-public-key=" + Key(kFwbRaw);
  auto ecosystems = FromFlags({"--ecosystem=fwb", root.c_str()});
  ASSERT_TRUE(ecosystems.ok()) << ecosystems.status();
  ASSERT_EQ(ecosystems->size(), 1u);
  const EcosystemConfig& e = (*ecosystems)[0];
  EXPECT_EQ(e.id, "fwb");
  EXPECT_EQ(e.root_public_key, kFwbRaw);
  EXPECT_EQ(e.kafka, "");
  EXPECT_EQ(e.log_dir, kDataDir + "/log");  // where a one-ecosystem node keeps its log
  EXPECT_EQ(e.event_key_file, kDataDir + "/event-signing.key");
  EXPECT_TRUE(e.further_roots.empty());
}

TEST(EcosystemFlagsTest, SingleFlagsMakeOneDistributedEcosystemWithFurtherRoots) {
  const std::string root = "--root-public-key=" + Key(kFwbRaw);
  const std::string roots =
      "--trusted-roots=alliance=" + Key(kAllianceRaw) + ",other=" + Key(kOtherRaw);
  auto ecosystems = FromFlags({"--ecosystem=fwb", root.c_str(), "--kafka=k1:9093,k2:9093",
                               "--kafka-config=/etc/fwb.properties", roots.c_str()});
  ASSERT_TRUE(ecosystems.ok()) << ecosystems.status();
  ASSERT_EQ(ecosystems->size(), 1u);
  const EcosystemConfig& e = (*ecosystems)[0];
  EXPECT_EQ(e.kafka, "k1:9093,k2:9093");
  EXPECT_EQ(e.kafka_config, "/etc/fwb.properties");
  EXPECT_EQ(e.log_dir, "");
  ASSERT_EQ(e.further_roots.size(), 2u);
  EXPECT_EQ(e.further_roots[0].ecosystem_id, "alliance");
  EXPECT_EQ(e.further_roots[0].public_key, kAllianceRaw);
  EXPECT_EQ(e.further_roots[1].ecosystem_id, "other");
}

TEST(EcosystemFlagsTest, SingleFlagsWithoutRootLeaveItEmptyForDev) {
  auto ecosystems = FromFlags({});
  ASSERT_TRUE(ecosystems.ok()) << ecosystems.status();
  EXPECT_EQ((*ecosystems)[0].id, "dev-ecosystem");
  EXPECT_TRUE((*ecosystems)[0].root_public_key.empty());
}

TEST(EcosystemFlagsTest, SingleFlagsRefusedNamed) {
  ExpectInvalid(FromFlags({"--root-public-key=c2hvcnQ"}), "--root-public-key: an Ed25519");
  ExpectInvalid(FromFlags({"--trusted-roots=nokey"}), "--trusted-roots: expected id=");
  ExpectInvalid(FromFlags({"--ecosystem=a/b"}), "--ecosystem: an ecosystem id is 1 to 64");
  ExpectInvalid(FromFlags({"--kafka=no-port"}), "--kafka: expected HOST:PORT");
}

TEST(EcosystemFlagsTest, FileGivesItsListHomeFirst) {
  const std::string path = WriteFile("ecosystems_two.json", TwoClusters());
  const std::string flag = "--ecosystems-file=" + path;
  auto ecosystems = FromFlags({flag.c_str()});
  ASSERT_TRUE(ecosystems.ok()) << ecosystems.status();
  ASSERT_EQ(ecosystems->size(), 2u);
  const EcosystemConfig& home = (*ecosystems)[0];
  EXPECT_EQ(home.id, "fwb");
  EXPECT_EQ(home.root_public_key, kFwbRaw);
  EXPECT_EQ(home.kafka, "fwb-kafka:9093,fwb-kafka-2:9093");
  EXPECT_EQ(home.kafka_config, "/etc/mcnode/fwb-kafka.properties");
  EXPECT_EQ(home.log_dir, "");
  EXPECT_EQ(home.event_key_file, kDataDir + "/event-signing.key");
  EXPECT_TRUE(home.further_roots.empty());
  const EcosystemConfig& alliance = (*ecosystems)[1];
  EXPECT_EQ(alliance.id, "alliance");
  EXPECT_EQ(alliance.root_public_key, kAllianceRaw);
  EXPECT_EQ(alliance.event_key_file, "/var/lib/mcnode/alliance-event.key");
  ASSERT_EQ(alliance.further_roots.size(), 1u);
  EXPECT_EQ(alliance.further_roots[0].ecosystem_id, "other-root");
  EXPECT_EQ(alliance.further_roots[0].public_key, kOtherRaw);
}

TEST(EcosystemFlagsTest, EmbeddedLogsDefaultBesideTheHomeLog) {
  auto ecosystems = FromJson(absl::StrReplaceAll(
      R"({"ecosystems": [{"id": "fwb", "root_public_key": "FWB"},
                         {"id": "alliance", "root_public_key": "ALLIANCE"},
                         {"id": "third", "root_public_key": "OTHER", "log_dir": "/srv/third"}]})",
      {{"FWB", Key(kFwbRaw)}, {"ALLIANCE", Key(kAllianceRaw)}, {"OTHER", Key(kOtherRaw)}}));
  ASSERT_TRUE(ecosystems.ok()) << ecosystems.status();
  ASSERT_EQ(ecosystems->size(), 3u);
  EXPECT_EQ((*ecosystems)[0].log_dir, kDataDir + "/log");
  EXPECT_EQ((*ecosystems)[1].log_dir, kDataDir + "/log-alliance");
  EXPECT_EQ((*ecosystems)[2].log_dir, "/srv/third");
}

TEST(EcosystemFlagsTest, FileAndSingleFlagsExcludeEachOther) {
  const std::string path = WriteFile("ecosystems_both.json", TwoClusters());
  const std::string flag = "--ecosystems-file=" + path;
  auto both = FromFlags({flag.c_str(), "--ecosystem=fwb", "--kafka=k:9093"});
  ExpectInvalid(both, "--ecosystems-file excludes --ecosystem, --kafka");
}

TEST(EcosystemFlagsTest, UnreadableFileIsNotFound) {
  auto missing = FromFlags({"--ecosystems-file=/nonexistent/ecosystems.json"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(missing.status().message(), "/nonexistent/ecosystems.json"));
}

// Each bad file, and the path and rule its error names.
TEST(EcosystemFlagsTest, BadFilesRefusedNamingTheJsonPath) {
  const std::string fwb = R"({"id": "fwb", "root_public_key": ")" + Key(kFwbRaw) + R"("})";
  const std::string alliance =
      R"("id": "alliance", "root_public_key": ")" + Key(kAllianceRaw) + "\"";
  const struct {
    std::string json;
    std::string error;
  } cases[] = {
      {"not json", "ecosystems.json: not JSON"},
      {"[]", "ecosystems.json: an object"},
      {R"({"ecosystems": []})", "ecosystems.json: ecosystems: a list of at least one"},
      {R"({"ecosystem": [)" + fwb + "]}", "ecosystems.json: ecosystem: unknown key"},
      {R"({"ecosystems": [)" + fwb + R"(, "alliance"]})", "ecosystems[1]: an object"},
      {R"({"ecosystems": [)" + fwb + ", {" + alliance + R"(, "root_publickey": "x"}]})",
       "ecosystems[1].root_publickey: unknown key"},
      {R"({"ecosystems": [)" + fwb + ", {" + alliance + R"(, "id": "again"}]})",
       "key \"id\" repeated"},
      {R"({"ecosystems": [{"root_public_key": ")" + Key(kFwbRaw) + R"("}]})",
       "ecosystems[0].id: required"},
      {R"({"ecosystems": [{"id": "fwb/x", "root_public_key": ")" + Key(kFwbRaw) + R"("}]})",
       "ecosystems[0].id: an ecosystem id is 1 to 64 characters from [A-Za-z0-9._-]"},
      {R"({"ecosystems": [{"id": ")" + std::string(65, 'a') + R"(", "root_public_key": ")" +
           Key(kFwbRaw) + R"("}]})",
       "ecosystems[0].id: an ecosystem id is 1 to 64"},
      {R"({"ecosystems": [{"id": 7, "root_public_key": ")" + Key(kFwbRaw) + R"("}]})",
       "ecosystems[0].id: a non-empty string"},
      {R"({"ecosystems": [)" + fwb + R"(, {"id": "fwb", "root_public_key": ")" + Key(kAllianceRaw) +
           R"("}]})",
       "ecosystems[1].id: \"fwb\" is also ecosystems[0]'s id"},
      {R"({"ecosystems": [)" + fwb + R"(, {"id": "alliance"}]})",
       "ecosystems[1].root_public_key: required"},
      {R"({"ecosystems": [)" + fwb + R"(, {"id": "alliance", "root_public_key": "c2hvcnQ"}]})",
       "ecosystems[1].root_public_key: an Ed25519 public key is base64url of 32 bytes"},
      {R"({"ecosystems": [)" + fwb + ", {" + alliance + R"(, "kafka": "k:9093"}]})",
       "ecosystems[1].kafka: set for every ecosystem or for none"},
      {R"({"ecosystems": [{"id": "fwb", "kafka": "k:9093", "root_public_key": ")" + Key(kFwbRaw) +
           R"("}, {)" + alliance + "}]}",
       "ecosystems[1].kafka: set for every ecosystem or for none"},
      {R"({"ecosystems": [{"id": "fwb", "kafka": "k:9093", "root_public_key": ")" + Key(kFwbRaw) +
           R"("}, {)" + alliance + R"(, "kafka": "k:9093"}]})",
       "ecosystems[1].kafka: ecosystems[0]'s cluster"},
      {R"({"ecosystems": [{"id": "fwb", "kafka": "k", "root_public_key": ")" + Key(kFwbRaw) +
           R"("}]})",
       "ecosystems[0].kafka: expected HOST:PORT"},
      {R"({"ecosystems": [{"id": "fwb", "kafka_config": "/etc/x", "root_public_key": ")" +
           Key(kFwbRaw) + R"("}]})",
       "ecosystems[0].kafka_config: only with kafka"},
      {R"({"ecosystems": [{"id": "fwb", "kafka": "k:1", "log_dir": "/x", "root_public_key": ")" +
           Key(kFwbRaw) + R"("}]})",
       "ecosystems[0].log_dir: only without kafka"},
      {R"({"ecosystems": [)" + fwb + ", {" + alliance +
           R"(, "log_dir": "/var/lib/mcnode/./log"}]})",
       "ecosystems[1].log_dir: /var/lib/mcnode/./log is ecosystems[0]'s log"},
      {R"({"ecosystems": [)" + fwb + ", {" + alliance + R"(, "event_key_file": ""}]})",
       "ecosystems[1].event_key_file: a non-empty string"},
      {R"({"ecosystems": [)" + fwb + ", {" + alliance + R"(, "further_roots": ["x"]}]})",
       "ecosystems[1].further_roots: an object of ecosystem id: base64url root key"},
      {R"({"ecosystems": [)" + fwb + ", {" + alliance + R"(, "further_roots": {"o": "c2hvcnQ"}}]})",
       "ecosystems[1].further_roots.o: an Ed25519 public key"},
      {R"({"ecosystems": [)" + fwb + ", {" + alliance + R"(, "further_roots": {"a b": ")" +
           Key(kOtherRaw) + R"("}}]})",
       "ecosystems[1].further_roots.a b: an ecosystem id"},
      {R"({"ecosystems": [)" + fwb + ", {" + alliance + R"(, "further_roots": {"alliance": ")" +
           Key(kOtherRaw) + R"("}}]})",
       "ecosystems[1].further_roots.alliance: the ecosystem's own root"},
      {R"({"ecosystems": [)" + fwb + ", {" + alliance + R"(, "further_roots": {"fwb": ")" +
           Key(kOtherRaw) + R"("}}]})",
       "ecosystems[1].further_roots.fwb: not the root_public_key of ecosystems[0]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.json);
    ExpectInvalid(FromJson(c.json), c.error);
  }
}

TEST(EcosystemFlagsTest, AFurtherRootMayNameAJoinedEcosystemWithItsOwnKey) {
  const std::string json = R"({"ecosystems": [{"id": "fwb", "root_public_key": ")" + Key(kFwbRaw) +
                           R"("}, {"id": "alliance", "root_public_key": ")" + Key(kAllianceRaw) +
                           R"(", "further_roots": {"fwb": ")" + Key(kFwbRaw) + R"("}}]})";
  auto ecosystems = FromJson(json);
  ASSERT_TRUE(ecosystems.ok()) << ecosystems.status();
  EXPECT_EQ((*ecosystems)[1].further_roots[0].ecosystem_id, "fwb");
}

}  // namespace
}  // namespace microcred
