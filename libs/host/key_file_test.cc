#include "libs/host/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace microcred::host {
namespace {

class KeyFileTest : public ::testing::Test {
 protected:
  KeyFileTest() {
    std::string pattern = ::testing::TempDir() + "mc_key_file_XXXXXX";
    dir_ = ::mkdtemp(pattern.data());
  }
  ~KeyFileTest() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  static unsigned Mode(const std::string& path) {
    struct stat info;
    EXPECT_EQ(::stat(path.c_str(), &info), 0);
    return info.st_mode & 0777;
  }
  static void WriteFile(const std::string& path, const std::string& bytes, unsigned mode) {
    std::ofstream(path, std::ios::binary) << bytes;
    ::chmod(path.c_str(), mode);
  }

  std::string dir_;
};

TEST_F(KeyFileTest, CreatesA0600SeedFileAndLoadsTheSameKeyAgain) {
  std::string path = Path("node.key");
  absl::StatusOr<crypto::SigningKey> created = LoadOrCreateSigningKey(path);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(std::filesystem::file_size(path), 32u);
  absl::StatusOr<crypto::SigningKey> again = LoadOrCreateSigningKey(path);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->public_key(), created->public_key());
  EXPECT_EQ(LoadSigningKey(path)->public_key(), created->public_key());
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST_F(KeyFileTest, ExistingSeedIsUsed) {
  crypto::SigningKey key = crypto::SigningKey::Generate();
  WriteFile(Path("k"), key.ToSeed(), 0600);
  EXPECT_EQ(LoadOrCreateSigningKey(Path("k"))->public_key(), key.public_key());
}

TEST_F(KeyFileTest, TooOpenPermissionsAreRefused) {
  WriteFile(Path("k"), crypto::SigningKey::Generate().ToSeed(), 0644);
  absl::StatusOr<crypto::SigningKey> key = LoadOrCreateSigningKey(Path("k"));
  EXPECT_EQ(key.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(key.status().message().find("644"), std::string::npos) << key.status();
  ::chmod(Path("k").c_str(), 0620);
  EXPECT_FALSE(LoadSigningKey(Path("k")).ok());
  ::chmod(Path("k").c_str(), 0440);  // what Kubernetes makes of a secret with fsGroup
  EXPECT_TRUE(LoadSigningKey(Path("k")).ok());
}

TEST_F(KeyFileTest, WrongSizeIsRefusedNotReplaced) {
  WriteFile(Path("k"), "short", 0600);
  EXPECT_EQ(LoadOrCreateSigningKey(Path("k")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::filesystem::file_size(Path("k")), 5u);
}

TEST_F(KeyFileTest, MissingFileAndMissingDirectory) {
  EXPECT_EQ(LoadSigningKey(Path("absent")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(LoadOrCreateSigningKey(Path("no-such-dir/k")).ok());
  EXPECT_EQ(LoadSigningKey(dir_).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(KeyFileTest, ConcurrentCreatorsAllGetTheSameKey) {
  std::string path = Path("raced.key");
  std::vector<std::string> public_keys(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < public_keys.size(); ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<crypto::SigningKey> key = LoadOrCreateSigningKey(path);
      if (key.ok()) public_keys[i] = key->public_key();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& public_key : public_keys) {
    EXPECT_EQ(public_key, LoadSigningKey(path)->public_key());
  }
}

}  // namespace
}  // namespace microcred::host
