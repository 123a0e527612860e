// kafka_append_bench: appends/s of KafkaEventLog on the broker at MC_KAFKA_BOOTSTRAP, for
//   - single Append calls from 1 thread (each waits for its own acknowledgement),
//   - single Append calls from 8 threads (their records share the producer's batches),
//   - AppendBatch of 1000 records.
// Records are 200 bytes, keyed over 100 keys, on a fresh 3-partition topic per scenario.
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

}  // namespace
}  // namespace microcred

int main() {
  const char* bootstrap = std::getenv("MC_KAFKA_BOOTSTRAP");
  if (bootstrap == nullptr) {
    std::fprintf(stderr,
                 "MC_KAFKA_BOOTSTRAP is not set: run through tests/infra/with-services.sh\n");
    return 2;
  }
  microcred::KafkaConfig config;
  config.bootstrap_servers = bootstrap;
  config.client_id = "kafka-append-bench";
  auto log = microcred::KafkaEventLog::Open(config);
  microcred::Check(log.status());
  microcred::SingleAppends(**log, 1, 2000);
  microcred::SingleAppends(**log, 8, 1000);
  microcred::Batches(**log, 50, 1000);
  return 0;
}
