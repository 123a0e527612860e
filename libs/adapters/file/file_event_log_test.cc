#include "libs/adapters/file/file_event_log.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "libs/adapters/file/record_format.h"
#include "libs/ports/testing/event_log_contract.h"

namespace microcred {
namespace {

namespace fs = std::filesystem;

// A directory for this test process, made on first use and removed when the tests end.
class TempRoot : public testing::Environment {
 public:
  static const std::string& Path() {
    static const std::string path = [] {
      std::string pattern = (fs::temp_directory_path() / "file_event_log_test.XXXXXX").string();
      if (::mkdtemp(pattern.data()) == nullptr) std::abort();
      return pattern;
    }();
    created_ = true;
    return path;
  }
  void TearDown() override {
    if (created_) fs::remove_all(Path());
  }

 private:
  static inline bool created_ = false;
};
testing::Environment* const kTempRoot = testing::AddGlobalTestEnvironment(new TempRoot);

std::unique_ptr<FileEventLog> MustOpen(const std::string& dir) {
  auto log = FileEventLog::Open(dir);
  if (!log.ok()) {  // the contract's factory cannot return an error: stop here, loudly
    std::fprintf(stderr, "FileEventLog::Open(%s): %s\n", dir.c_str(),
                 log.status().ToString().c_str());
    std::abort();
  }
  return std::move(*log);
}

EventLogFactory FileFactory() {
  return {"file", [](const std::string& name) -> std::unique_ptr<EventLog> {
            return MustOpen(TempRoot::Path() + "/" + name);
          }};
}
INSTANTIATE_TEST_SUITE_P(File, EventLogContractTest, testing::Values(FileFactory()));
INSTANTIATE_TEST_SUITE_P(File, DurableEventLogContractTest, testing::Values(FileFactory()));

class FileEventLogTest : public testing::Test {
 protected:
  void SetUp() override {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = TempRoot::Path() + "/" + info->name();
  }

  std::string TopicFile(const std::string& topic) const { return dir_ + "/" + topic + ".mclog"; }

  static void AppendValues(EventLog& log, const std::string& topic, int from, int to) {
    for (int i = from; i < to; ++i) {
      auto r = log.Append({topic, "k", "value-" + std::to_string(i)});
      ASSERT_TRUE(r.ok()) << r.status();
      ASSERT_EQ(r->offset, i);
    }
  }

  static std::vector<std::string> ReadValues(EventLog& log, const std::string& topic) {
    std::vector<std::string> values;
    auto reader = log.OpenReader({topic}, {});
    EXPECT_TRUE(reader.ok()) << reader.status();
    if (!reader.ok()) return values;
    for (;;) {
      auto batch = (*reader)->Poll(std::chrono::milliseconds(50));
      EXPECT_TRUE(batch.ok()) << batch.status();
      if (!batch.ok() || batch->empty()) return values;
      for (const LogRecord& r : *batch) values.push_back(r.value);
    }
  }

  static void AppendRawBytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::app) << bytes;
  }

  static void FlipByteAt(const std::string& path, int64_t position) {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekg(position);
    char c = static_cast<char>(f.get());
    f.seekp(position);
    f.put(static_cast<char>(c ^ 0x20));
  }

  std::string dir_;
};

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST_F(FileEventLogTest, FilesAndDirectoriesAreTheOwnersOnlyWhateverTheUmask) {
  const std::string dir = dir_ + "/nested/log";
  const mode_t previous = ::umask(022);
  AppendValues(*MustOpen(dir), "mc.catalogue.v1", 0, 1);
  ::umask(previous);
  EXPECT_EQ(ModeOf(dir_), 0700u);
  EXPECT_EQ(ModeOf(dir_ + "/nested"), 0700u);
  EXPECT_EQ(ModeOf(dir), 0700u);
  EXPECT_EQ(ModeOf(dir + "/LOCK"), 0600u);
  EXPECT_EQ(ModeOf(dir + "/mc.catalogue.v1.mclog"), 0600u);
}

TEST_F(FileEventLogTest, RecordsSurviveReopen) {
  AppendValues(*MustOpen(dir_), "mc.catalogue.v1", 0, 5);
  auto log = MustOpen(dir_);
  EXPECT_EQ(ReadValues(*log, "mc.catalogue.v1").size(), 5u);
  AppendValues(*log, "mc.catalogue.v1", 5, 6);
  auto ends = log->EndPositions("mc.catalogue.v1");
  ASSERT_TRUE(ends.ok());
  EXPECT_EQ((*ends)[(TopicPartition{"mc.catalogue.v1", 0})], 6);
}

TEST_F(FileEventLogTest, TornTailIsTruncatedAndAppendsContinue) {
  AppendValues(*MustOpen(dir_), "t", 0, 3);
  const auto intact_size = fs::file_size(TopicFile("t"));
  std::string next;
  file_log::AppendEncodedRecord("k", "never acknowledged", next);
  AppendRawBytes(TopicFile("t"), next.substr(0, next.size() / 2));

  auto log = MustOpen(dir_);
  EXPECT_EQ(fs::file_size(TopicFile("t")), intact_size);
  EXPECT_EQ(ReadValues(*log, "t"), (std::vector<std::string>{"value-0", "value-1", "value-2"}));
  AppendValues(*log, "t", 3, 4);
  log.reset();
  EXPECT_EQ(ReadValues(*MustOpen(dir_), "t").size(), 4u);
}

TEST_F(FileEventLogTest, ZeroFilledTailIsTruncated) {
  AppendValues(*MustOpen(dir_), "t", 0, 2);
  AppendRawBytes(TopicFile("t"), std::string(8192, '\0'));
  auto log = MustOpen(dir_);
  EXPECT_EQ(ReadValues(*log, "t").size(), 2u);
  AppendValues(*log, "t", 2, 3);
}

TEST_F(FileEventLogTest, FlippedByteInTheMiddleIsDataLossNamingTheOffset) {
  AppendValues(*MustOpen(dir_), "t", 0, 10);
  // Every record here is 16 header + 1 key + 7 value ("value-N") = 24 bytes.
  const int64_t record_5 = 5 * 24;
  FlipByteAt(TopicFile("t"), record_5 + 16 + 3);
  auto log = FileEventLog::Open(dir_);
  ASSERT_EQ(log.status().code(), absl::StatusCode::kDataLoss) << log.status();
  const std::string message(log.status().message());
  EXPECT_NE(message.find(TopicFile("t")), std::string::npos) << message;
  EXPECT_NE(message.find("byte 120 (offset 5)"), std::string::npos) << message;
}

TEST_F(FileEventLogTest, SecondOpenFailsWhileTheFirstIsOpen) {
  auto first = MustOpen(dir_);
  auto second = FileEventLog::Open(dir_);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition) << second.status();
  first.reset();
  EXPECT_TRUE(FileEventLog::Open(dir_).ok());
}

TEST_F(FileEventLogTest, ReaderKeepsTheDirectoryLocked) {
  auto log = MustOpen(dir_);
  auto reader = log->OpenReader({"t"}, {});
  ASSERT_TRUE(reader.ok());
  log.reset();
  EXPECT_FALSE(FileEventLog::Open(dir_).ok());
  reader->reset();
  EXPECT_TRUE(FileEventLog::Open(dir_).ok());
}

TEST_F(FileEventLogTest, DamageAfterOpenIsDataLossForTheReader) {
  auto log = MustOpen(dir_);
  AppendValues(*log, "t", 0, 2);
  FlipByteAt(TopicFile("t"), 24 + 16 + 2);
  auto reader = log->OpenReader({"t"}, {});
  ASSERT_TRUE(reader.ok());
  auto records = (*reader)->Poll(std::chrono::milliseconds(10));
  EXPECT_EQ(records.status().code(), absl::StatusCode::kDataLoss) << records.status();
}

TEST_F(FileEventLogTest, TopicNamesAreEscapedIntoFileNames) {
  const std::string topic = "odd/topic name%\xff";
  AppendValues(*MustOpen(dir_), topic, 0, 1);
  EXPECT_TRUE(fs::exists(dir_ + "/odd%2ftopic%20name%25%ff.mclog"));
  EXPECT_EQ(ReadValues(*MustOpen(dir_), topic), (std::vector<std::string>{"value-0"}));
}

TEST_F(FileEventLogTest, ForeignFilesAreLeftAlone) {
  fs::create_directories(dir_);
  AppendRawBytes(dir_ + "/README", "not a log");
  AppendValues(*MustOpen(dir_), "t", 0, 1);
  EXPECT_EQ(fs::file_size(dir_ + "/README"), 9u);
  AppendRawBytes(dir_ + "/%zz.mclog", "");
  EXPECT_EQ(FileEventLog::Open(dir_).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(FileEventLogTest, ConcurrentAppendsGetDistinctDurableOffsets) {
  constexpr int kThreads = 8, kPerThread = 50;
  {
    auto log = MustOpen(dir_);
    std::vector<std::thread> threads;
    std::mutex mu;
    std::set<int64_t> offsets;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          auto r = log->Append({"t", "writer-" + std::to_string(t), std::to_string(i)});
          ASSERT_TRUE(r.ok()) << r.status();
          std::lock_guard lock(mu);
          offsets.insert(r->offset);
        }
      });
    }
    for (auto& th : threads) th.join();
    ASSERT_EQ(offsets.size(), size_t{kThreads * kPerThread});
    EXPECT_EQ(*offsets.rbegin(), kThreads * kPerThread - 1);
  }
  EXPECT_EQ(ReadValues(*MustOpen(dir_), "t").size(), size_t{kThreads * kPerThread});
}

TEST_F(FileEventLogTest, BatchesSpanningTopicsLandInOrder) {
  auto log = MustOpen(dir_);
  auto results = log->AppendBatch({{"a", "k", "a0"}, {"b", "k", "b0"}, {"a", "k", "a1"}});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0].offset, 0);
  EXPECT_EQ((*results)[1].offset, 0);
  EXPECT_EQ((*results)[2].offset, 1);
  EXPECT_EQ(ReadValues(*log, "a"), (std::vector<std::string>{"a0", "a1"}));
  EXPECT_EQ(ReadValues(*log, "b"), (std::vector<std::string>{"b0"}));
}

TEST_F(FileEventLogTest, InvalidAppendsAreRefused) {
  auto log = MustOpen(dir_);
  EXPECT_EQ(log->Append({"", "k", "v"}).status().code(), absl::StatusCode::kInvalidArgument);
  std::string huge(file_log::kMaxRecordPayloadBytes + 1, 'x');
  EXPECT_EQ(log->Append({"t", "", huge}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(log->Append({std::string(300, 't'), "k", "v"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace microcred
