// RedisStateStore against a real redis-server at MC_REDIS_ADDR (host:port). Every store gets a
// fresh random namespace, so runs sharing one server never see each other's keys.
#include "libs/adapters/redis/redis_state_store.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/ports/testing/files_holding.h"
#include "libs/ports/testing/state_store_contract.h"

namespace microcred {
namespace {

constexpr char kMissingEnv[] = "MC_REDIS_ADDR is not set: run through tests/infra/with-services.sh";

// Where the test server is, from MC_REDIS_ADDR (host:port).
absl::StatusOr<RedisConfig> ConfigFromEnvironment() {
  const char* addr = std::getenv("MC_REDIS_ADDR");
  if (addr == nullptr) return absl::FailedPreconditionError(kMissingEnv);
  std::pair<std::string, std::string> host_port = absl::StrSplit(addr, absl::MaxSplits(':', 1));
  RedisConfig config;
  config.host = host_port.first;
  if (!absl::SimpleAtoi(host_port.second, &config.port)) {
    return absl::InvalidArgumentError(absl::StrCat("MC_REDIS_ADDR must be host:port, got ", addr));
  }
  return config;
}

uint64_t RandomNumber() {
  static std::mt19937_64 rng(std::random_device{}());
  static std::mutex mu;
  std::lock_guard lock(mu);
  return rng() % 1000000000000ULL;
}

std::string RandomNamespace(const std::string& purpose) {
  return absl::StrCat("test:", purpose, ":", RandomNumber(), ":");
}

absl::StatusOr<std::unique_ptr<RedisStateStore>> OpenNamespace(
    const std::string& key_prefix, const std::string& client_name = "microcred-test") {
  absl::StatusOr<RedisConfig> config = ConfigFromEnvironment();
  if (!config.ok()) return config.status();
  config->key_prefix = key_prefix;
  config->client_name = client_name;
  return RedisStateStore::Open(*config);
}

// The contract's store: a fresh namespace, flushed when the test is done so that a long-lived
// dev server stays clean. Without a server every call fails with the reason, so every contract
// test FAILS (never skips) and says why.
class ContractStore : public StateStore {
 public:
  ContractStore() {
    auto store = OpenNamespace(RandomNamespace("contract"));
    if (store.ok()) {
      store_ = *std::move(store);
    } else {
      open_error_ = store.status();
      ADD_FAILURE() << open_error_;
    }
  }
  ~ContractStore() override {
    if (store_ != nullptr) {
      EXPECT_TRUE(store_->FlushNamespace().ok());
    }
  }
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override {
    if (store_ == nullptr) return open_error_;
    return store_->Get(key);
  }
  absl::Status Commit(const WriteBatch& batch) override {
    if (store_ == nullptr) return open_error_;
    return store_->Commit(batch);
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string& prefix) override {
    if (store_ == nullptr) return open_error_;
    return store_->ScanPrefix(prefix);
  }
  absl::Status Scrub() override {
    if (store_ == nullptr) return open_error_;
    return store_->Scrub();
  }

 private:
  std::unique_ptr<RedisStateStore> store_;
  absl::Status open_error_;
};

INSTANTIATE_TEST_SUITE_P(Redis, StateStoreContractTest,
                         testing::Values(StateStoreFactory{
                             "redis", [] { return std::make_unique<ContractStore>(); }}));

TEST(RedisStateStoreTest, FlushNamespaceRemovesOnlyItsOwnNamespace) {
  const std::string base = RandomNamespace("flush");
  auto mine = OpenNamespace(base + "mine:");
  auto theirs = OpenNamespace(base + "theirs:");
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_TRUE(theirs.ok()) << theirs.status();
  WriteBatch batch;
  for (int i = 0; i < 2500; ++i) batch.Put(absl::StrCat("k", i), "v");  // several SCAN steps
  ASSERT_TRUE((*mine)->Commit(batch).ok());
  ASSERT_TRUE((*theirs)->Commit(batch).ok());

  ASSERT_TRUE((*mine)->FlushNamespace().ok());

  auto mine_left = (*mine)->ScanPrefix("");
  auto theirs_left = (*theirs)->ScanPrefix("");
  ASSERT_TRUE(mine_left.ok() && theirs_left.ok());
  EXPECT_TRUE(mine_left->empty());
  EXPECT_EQ(theirs_left->size(), 2500u);
  EXPECT_TRUE((*theirs)->FlushNamespace().ok());
}

TEST(RedisStateStoreTest, NamespacesDoNotSeeEachOther) {
  const std::string base = RandomNamespace("isolation");
  auto a = OpenNamespace(base + "a:");
  auto b = OpenNamespace(base + "b:");
  ASSERT_TRUE(a.ok() && b.ok()) << a.status() << " " << b.status();
  WriteBatch batch;
  batch.Put("shared-key", "from a");
  ASSERT_TRUE((*a)->Commit(batch).ok());
  auto from_b = (*b)->Get("shared-key");
  ASSERT_TRUE(from_b.ok());
  EXPECT_EQ(*from_b, std::nullopt);
  auto scanned = (*a)->ScanPrefix("");
  ASSERT_TRUE(scanned.ok());
  ASSERT_EQ(scanned->size(), 1u);
  EXPECT_EQ((*scanned)[0].first, "shared-key");  // the namespace is stripped
  EXPECT_TRUE((*a)->FlushNamespace().ok());
}

TEST(RedisStateStoreTest, EmptyNamespaceRefusesToFlush) {
  auto whole_server = OpenNamespace("");
  ASSERT_TRUE(whole_server.ok()) << whole_server.status();
  EXPECT_EQ((*whole_server)->FlushNamespace().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(RedisStateStoreTest, ScanPrefixSpansManyChunks) {
  auto store = OpenNamespace(RandomNamespace("chunks"));
  ASSERT_TRUE(store.ok()) << store.status();
  WriteBatch batch;
  for (int i = 0; i < 3001; ++i) batch.Put(absl::StrCat("row:", 100000 + i), absl::StrCat(i));
  batch.Put("rox", "outside the prefix");
  ASSERT_TRUE((*store)->Commit(batch).ok());
  auto rows = (*store)->ScanPrefix("row:");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 3001u);
  for (int i = 0; i < 3001; ++i) EXPECT_EQ((*rows)[i].second, absl::StrCat(i));
  EXPECT_TRUE((*store)->FlushNamespace().ok());
}

TEST(RedisStateStoreTest, UnreachableServerFailsToOpen) {
  RedisConfig config;
  config.port = 1;  // nothing listens on tcpmux
  config.connect_timeout = std::chrono::milliseconds(500);
  auto store = RedisStateStore::Open(config);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable) << store.status();
}

// Kills this test's server-side connections (found by client name) from a separate one.
void KillClientsNamed(const std::string& name) {
  absl::StatusOr<RedisConfig> config = ConfigFromEnvironment();
  ASSERT_TRUE(config.ok()) << config.status();
  redisContext* admin = redisConnect(config->host.c_str(), config->port);
  ASSERT_TRUE(admin != nullptr && admin->err == 0);
  auto* list = static_cast<redisReply*>(redisCommand(admin, "CLIENT LIST"));
  ASSERT_TRUE(list != nullptr && list->type == REDIS_REPLY_STRING);
  int killed = 0;
  for (absl::string_view line : absl::StrSplit(absl::string_view(list->str, list->len), '\n')) {
    std::map<absl::string_view, absl::string_view> fields;
    for (absl::string_view field : absl::StrSplit(line, ' ')) {
      fields.insert(absl::StrSplit(field, absl::MaxSplits('=', 1)));
    }
    if (fields["name"] != name) continue;
    std::string id(fields["id"]);
    freeReplyObject(redisCommand(admin, "CLIENT KILL ID %s", id.c_str()));
    ++killed;
  }
  freeReplyObject(list);
  redisFree(admin);
  EXPECT_GT(killed, 0);
}

TEST(RedisStateStoreTest, ReconnectsAfterTheServerDropsTheConnection) {
  const std::string client_name = absl::StrCat("reconnect-", RandomNumber());
  auto store = OpenNamespace(RandomNamespace("reconnect"), client_name);
  ASSERT_TRUE(store.ok()) << store.status();
  WriteBatch batch;
  batch.Put("k", "before");
  ASSERT_TRUE((*store)->Commit(batch).ok());

  KillClientsNamed(client_name);

  auto value = (*store)->Get("k");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "before");
  EXPECT_TRUE((*store)->FlushNamespace().ok());
}

// A redis-server of this test's own, configured as the deployment's (appendonly yes, multi-part
// AOF under appendonlydir) plus RDB snapshots, so that its files can be read.
class OwnRedisServer {
 public:
  OwnRedisServer() {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("mc-redis-scrub-", ::getpid(), "-", RandomNumber());
    std::filesystem::create_directories(dir_);
    port_ = FreePort();
    const std::string port = std::to_string(port_);
    std::vector<std::string> args = {"redis-server"};
    for (const auto& [option, value] :
         std::vector<std::pair<std::string, std::string>>{{"--bind", "127.0.0.1"},
                                                          {"--port", port},
                                                          {"--dir", dir_},
                                                          {"--appendonly", "yes"},
                                                          {"--appenddirname", "appendonlydir"},
                                                          {"--appendfsync", "always"},
                                                          {"--save", "3600 1"},
                                                          {"--logfile", dir_ + "/redis.log"}}) {
      args.push_back(option);
      args.push_back(value);
    }
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (::posix_spawnp(&pid_, "redis-server", nullptr, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
    }
  }
  ~OwnRedisServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }

  // A store on the server, once it answers.
  absl::StatusOr<std::unique_ptr<RedisStateStore>> Open() const {
    if (pid_ <= 0) return absl::UnavailableError("redis-server could not be started");
    RedisConfig config;
    config.port = port_;
    config.pool_size = 1;
    absl::Status last;
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto store = RedisStateStore::Open(config);
      if (store.ok()) return store;
      last = store.status();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return last;
  }

  // Which files under the server's directory hold `bytes`.
  std::vector<std::string> FilesHolding(const std::string& bytes) const {
    return microcred::FilesHolding(dir_, bytes);
  }

 private:
  static int FreePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size);
    ::close(fd);
    return ntohs(addr.sin_port);
  }

  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST(RedisStateStoreScrubTest, ADeletedValueIsInNoFileOfTheServerAfterScrub) {
  OwnRedisServer server;
  auto store = server.Open();
  ASSERT_TRUE(store.ok()) << store.status();
  // Random bytes: RDB files compress what they can, and these cannot be.
  std::string secret = "wrapped-key:";
  std::random_device random;
  for (int i = 0; i < 48; ++i) secret.push_back(static_cast<char>(random()));
  WriteBatch put;
  put.Put("issuance/vault/lp1_ana", secret);
  put.Put("kept", "kept-value");
  ASSERT_TRUE((*store)->Commit(put).ok());
  // An AOF rewrite and an RDB snapshot now hold the key, as they would after weeks of running.
  ASSERT_TRUE((*store)->Scrub().ok());
  WriteBatch erase;
  erase.Delete("issuance/vault/lp1_ana");
  ASSERT_TRUE((*store)->Commit(erase).ok());
  // The hole: deleting the key leaves it in the AOF's base and in dump.rdb.
  const std::vector<std::string> before = server.FilesHolding(secret);
  ASSERT_FALSE(before.empty());
  ASSERT_EQ(std::count_if(before.begin(), before.end(),
                          [](const std::string& f) { return f.ends_with("dump.rdb"); }),
            1);

  ASSERT_TRUE((*store)->Scrub().ok());
  EXPECT_EQ(server.FilesHolding(secret), std::vector<std::string>());
  EXPECT_EQ(*(*store)->Get("kept"), "kept-value");
  EXPECT_FALSE(server.FilesHolding("kept-value").empty());  // the files were searched
}

}  // namespace
}  // namespace microcred
