#include "libs/host/log.h"

#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <thread>
#include <vector>

#include "nlohmann/json.hpp"

namespace microcred::host {
namespace {

using Json = nlohmann::json;

// Captures lines for the duration of a test and restores stderr afterwards.
class LogCapture {
 public:
  LogCapture() {
    Logger::SetSinkForTesting([this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mu_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() {
    Logger::SetSinkForTesting({});
    Logger::SetMinLevel(LogLevel::kInfo);
  }
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> lock(mu_);
    return lines_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

TEST(LogTest, LineIsJsonWithEnvelopeAndTypedFields) {
  absl::Time ts = absl::FromUnixMillis(1714555800123);
  std::string line = Logger::FormatLine(
      ts, LogLevel::kInfo, "catalogue", "specification_published",
      {{"spec", "spec-1"}, {"version", 3}, {"ratio", 0.5}, {"draft", false}, {"big", 7u}});
  Json json = Json::parse(line, nullptr, false);
  ASSERT_TRUE(json.is_object()) << line;
  EXPECT_EQ(json["ts"], "2024-05-01T09:30:00.123Z");
  EXPECT_EQ(json["level"], "info");
  EXPECT_EQ(json["service"], "catalogue");
  EXPECT_EQ(json["event"], "specification_published");
  EXPECT_EQ(json["spec"], "spec-1");
  EXPECT_EQ(json["version"], 3);
  EXPECT_EQ(json["ratio"], 0.5);
  EXPECT_EQ(json["draft"], false);
  EXPECT_EQ(json["big"], 7u);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.rfind("{\"ts\":", 0), 0u) << "envelope comes first: " << line;
}

TEST(LogTest, TimestampIsRfc3339UtcWithMilliseconds) {
  std::string line = Logger::FormatLine(absl::Now(), LogLevel::kError, "s", "e", {});
  std::string ts = Json::parse(line)["ts"];
  EXPECT_TRUE(std::regex_match(ts, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"))) << ts;
}

TEST(LogTest, SecretLookingFieldsAreRedacted) {
  std::string line = Logger::FormatLine(absl::Now(), LogLevel::kInfo, "s", "e",
                                        {{"bearer_token", "eyJhbGciOi"},
                                         {"Authorization", "Bearer x"},
                                         {"client_secret", "s3cr3t"},
                                         {"subject", "alice"}});
  Json json = Json::parse(line);
  EXPECT_EQ(json["bearer_token"], "[redacted]");
  EXPECT_EQ(json["Authorization"], "[redacted]");
  EXPECT_EQ(json["client_secret"], "[redacted]");
  EXPECT_EQ(json["subject"], "alice");
  EXPECT_EQ(line.find("eyJhbGciOi"), std::string::npos);
}

TEST(LogTest, FieldsCannotOverwriteTheEnvelope) {
  Json json = Json::parse(Logger::FormatLine(absl::Now(), LogLevel::kInfo, "svc", "real",
                                             {{"event", "fake"}, {"level", "x"}}));
  EXPECT_EQ(json["event"], "real");
  EXPECT_EQ(json["field.event"], "fake");
  EXPECT_EQ(json["level"], "info");
}

TEST(LogTest, InvalidUtf8DoesNotThrow) {
  std::string line = Logger::FormatLine(absl::Now(), LogLevel::kInfo, "s", "e",
                                        {{"bytes", std::string("\xff\xfe", 2)}});
  EXPECT_TRUE(Json::parse(line, nullptr, false).is_object()) << line;
}

TEST(LogTest, DurationsTimesAndStatusesAreText) {
  Json json = Json::parse(Logger::FormatLine(absl::Now(), LogLevel::kInfo, "s", "e",
                                             {{"took", absl::Milliseconds(1500)},
                                              {"at", absl::FromUnixSeconds(0)},
                                              {"status", absl::NotFoundError("spec x")}}));
  EXPECT_EQ(json["took"], "1.5s");
  EXPECT_EQ(json["at"], "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(json["status"], "NOT_FOUND: spec x");
}

TEST(LogTest, MinimumLevelFilters) {
  LogCapture capture;
  Logger::SetService("catalogue");
  Logger::SetMinLevel(LogLevel::kWarning);
  Logger::Info("dropped");
  Logger::Debug("dropped");
  Logger::Warn("kept", {{"n", 1}});
  Logger::Error("kept_too");
  std::vector<std::string> lines = capture.lines();
  ASSERT_EQ(lines.size(), 2u);
  Json first = Json::parse(lines[0]);
  EXPECT_EQ(first["event"], "kept");
  EXPECT_EQ(first["level"], "warning");
  EXPECT_EQ(first["service"], "catalogue");
  EXPECT_EQ(Json::parse(lines[1])["level"], "error");
}

TEST(LogTest, ConcurrentLinesStayWhole) {
  LogCapture capture;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 100; ++i) Logger::Info("tick", {{"thread", t}, {"i", i}});
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> lines = capture.lines();
  ASSERT_EQ(lines.size(), 400u);
  for (const std::string& line : lines) {
    EXPECT_TRUE(Json::parse(line, nullptr, false).is_object()) << line;
  }
}

TEST(LogTest, ParseLogLevel) {
  EXPECT_EQ(*ParseLogLevel("DEBUG"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("warn"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("error"), LogLevel::kError);
  EXPECT_FALSE(ParseLogLevel("loud").ok());
}

}  // namespace
}  // namespace microcred::host
