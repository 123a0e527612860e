// kafka_append_bench: appends/s of KafkaEventLog on the broker at MC_KAFKA_BOOTSTRAP, for
//   - single Append calls from 1 thread (each waits for its own acknowledgement),
//   - single Append calls from 8 threads (their records share the producer's batches),
//   - AppendBatch of 1000 records.
// and the latency from Append to a reader (already open) returning the record.
// Records are 200 bytes, keyed over 100 keys, on a fresh 3-partition topic per scenario.
// Usage: kafka_append_bench [linger_ms]   (default: KafkaConfig's)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/adapters/kafka/kafka_event_log.h"

namespace microcred {
namespace {

using Clock = std::chrono::steady_clock;

const std::string kValue(200, 'x');

std::string FreshTopic(const std::string& scenario) {
  return absl::StrCat("bench.", scenario, ".", Clock::now().time_since_epoch().count());
}

void Check(const absl::Status& status) {
  if (status.ok()) return;
  std::fprintf(stderr, "kafka_append_bench: %s\n", status.ToString().c_str());
  std::exit(1);
}

// Creates the topic and warms the connections so that the timing covers appends only.
void Prepare(EventLog& log, const std::string& topic) {
  Check(log.Append({topic, "warm-up", kValue}).status());
}

void Report(const char* scenario, size_t records, Clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::printf("%-28s %8zu records in %6.2f s = %9.0f appends/s\n", scenario, records, seconds,
              records / seconds);
}

// A broker that has just started is slower for a few seconds (JIT, page cache); untimed.
void WarmUp(EventLog& log) {
  const std::string topic = FreshTopic("warm-up");
  std::vector<AppendRequest> batch(1000, AppendRequest{topic, "key", kValue});
  for (int i = 0; i < 20; ++i) Check(log.AppendBatch(batch).status());
  for (int i = 0; i < 1000; ++i) Check(log.Append({topic, "key", kValue}).status());
}

void SingleAppends(EventLog& log, int threads, int per_thread) {
  const std::string topic = FreshTopic(absl::StrCat("single", threads));
  Prepare(log, topic);
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        Check(
            log.Append({topic, absl::StrCat("key-", (t * per_thread + i) % 100), kValue}).status());
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  Report(absl::StrCat("Append, ", threads, " thread(s)").c_str(),
         static_cast<size_t>(threads) * per_thread, Clock::now() - start);
}

void Batches(EventLog& log, int batches, int batch_size) {
  const std::string topic = FreshTopic("batch");
  Prepare(log, topic);
  std::vector<AppendRequest> batch;
  for (int i = 0; i < batch_size; ++i)
    batch.push_back({topic, absl::StrCat("key-", i % 100), kValue});
  const auto start = Clock::now();
  for (int b = 0; b < batches; ++b) Check(log.AppendBatch(batch).status());
  Report(absl::StrCat("AppendBatch of ", batch_size).c_str(),
         static_cast<size_t>(batches) * batch_size, Clock::now() - start);
}

// Append then Poll until the record comes back: what a service waiting for its own projection
// sees.
void AppendToReadLatency(EventLog& log, int rounds) {
  const std::string topic = FreshTopic("latency");
  Prepare(log, topic);
  auto reader = log.OpenReader({topic}, {});
  Check(reader.status());
  for (int seen = 0; seen < 1;) seen += (*reader)->Poll(std::chrono::seconds(5)).value().size();
  std::vector<double> millis;
  for (int i = 0; i < rounds; ++i) {
    const auto start = Clock::now();
    Check(log.Append({topic, "key", kValue}).status());
    for (size_t seen = 0; seen < 1;) {
      auto batch = (*reader)->Poll(std::chrono::seconds(5));
      Check(batch.status());
      seen += batch->size();
    }
    millis.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(millis.begin(), millis.end());
  std::printf("%-28s median %.1f ms, p90 %.1f ms, max %.1f ms\n", "Append -> reader sees it",
              millis[millis.size() / 2], millis[millis.size() * 9 / 10], millis.back());
}

}  // namespace
}  // namespace microcred

int main(int argc, char** argv) {
  const char* bootstrap = std::getenv("MC_KAFKA_BOOTSTRAP");
  if (bootstrap == nullptr) {
    std::fprintf(stderr,
                 "MC_KAFKA_BOOTSTRAP is not set: run through tests/infra/with-services.sh\n");
    return 2;
  }
  microcred::KafkaConfig config;
  config.bootstrap_servers = bootstrap;
  config.client_id = "kafka-append-bench";
  if (argc > 1) config.linger = std::chrono::milliseconds(std::atoi(argv[1]));
  std::printf("linger.ms=%lld\n", static_cast<long long>(config.linger.count()));
  auto log = microcred::KafkaEventLog::Open(config);
  microcred::Check(log.status());
  microcred::WarmUp(**log);
  microcred::SingleAppends(**log, 1, 2000);
  microcred::SingleAppends(**log, 8, 1000);
  microcred::Batches(**log, 50, 1000);
  microcred::AppendToReadLatency(**log, 200);
  return 0;
}
