// propagation_bench: how fast what one node writes reaches another, and how fast a node that
// lost its Redis rebuilds its read models from the log.
//
//   1. light load: node A issues one credential at a time; from A's answer to the moment node
//      B's read model holds it (B's issuance projector has applied the event), p50/p99;
//   2. heavy load: A issues 2,500 credentials/s in cohorts of 250 every 100 ms; from each
//      cohort's answer at A to B having applied all of it, p50/p99; then saturation: cohorts
//      of 1,000, two in flight, as fast as A can (B's lag is then the queue in front of it);
//   3. recovery: a third node C starts on an empty Redis and replays the log (registry,
//      catalogue, issuance): events per second.
// Each node has its own Kafka client and its own Redis server (A on the first, B and C on the
// second). Needs MC_KAFKA_BOOTSTRAP, MC_REDIS_ADDR and MC_REDIS_ADDR_B (run it with `make bench`).
#include <atomic>
#include <cstdio>
#include <thread>

#include "absl/time/civil_time.h"
#include "bench/support/bench_util.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/real_services.h"
#include "tests/support/running_node.h"

namespace microcred::bench {
namespace {

constexpr int kLightIssues = 300;
constexpr int kHeavyBatches = 20;
constexpr int kBatchRows = 1000;
constexpr double kTargetP99Ms = 100;

const Institution kIssuer{"uclouvain", "Université catholique de Louvain"};
const Institution kReader{"he-vinci", "Haute École Léonard de Vinci"};
const Institution kNewcomer{"ulb", "Université libre de Bruxelles"};

using testing_support::RunningNode;

RunningNode Open(const std::string& name, int redis_index, const std::string& run) {
  RunningNode n;
  if (absl::Status s = n.Open("bench-" + name, redis_index, "bench-" + run + "-" + name + ":");
      !s.ok()) {
    std::fprintf(stderr, "node %s: %s\n", name.c_str(), std::string(s.message()).c_str());
    std::exit(1);
  }
  return n;
}

issuance::v1::IssueCredentialRequest Request(const std::string& specification_id,
                                             const std::string& request_id) {
  issuance::v1::IssueCredentialRequest r;
  r.set_request_id(request_id);
  r.set_specification_id(specification_id);
  r.mutable_learner()->set_learner_id("L-" + request_id);
  r.mutable_learner()->set_given_name("Ana");
  r.mutable_learner()->set_family_name("Lopes");
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  *r.mutable_issued_on() = domain::ToDate(today);
  r.set_place_of_issuing("Louvain-la-Neuve");
  r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
  r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  return r;
}

// Spins until `node`'s issuance projection has applied `count` events; returns when it did.
Clock::time_point WaitApplied(Node& node, int64_t count) {
  while (node.issuance().projector().counters().applied < count) {
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return Clock::now();
}

double Ms(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

void LightLoad(Node& a, Node& b, const std::string& spec, const std::string& run) {
  Section("Light load: one credential at a time, issued at A, applied at B (" +
          std::to_string(kLightIssues) + " credentials)");
  std::vector<double> from_answer, from_call;
  const int64_t base = b.issuance().projector().counters().applied;
  for (int i = 0; i < kLightIssues; ++i) {
    const auto call = Clock::now();
    Must(
        a.issuance().Issue(StaffOf(kIssuer.id), Request(spec, run + "-light-" + std::to_string(i))),
        "issue");
    const auto answered = Clock::now();
    const auto seen = WaitApplied(b, base + i + 1);
    from_answer.push_back(Ms(answered, seen) * 1e3);
    from_call.push_back(Ms(call, seen) * 1e3);
  }
  LatencyRows("from A's answer to B's read model", from_answer);
  LatencyRows("from A's call to B's read model", from_call);
  std::printf("  %-58s %12s\n", "target: p99 <= 100 ms (from A's answer)",
              Percentile(from_answer, 99) <= kTargetP99Ms * 1e3 ? "met" : "not met");
}

// Heavy but sustainable: cohorts of 250 every 100 ms (2,500 credentials/s, about half of what
// A can issue on this machine while B, the broker and both Redis servers share its 2 cores).
// Latency at saturation grows with the queue by definition; this is the load a node should be
// sized for.
void PacedHeavyLoad(Node& a, Node& b, const std::string& spec, const std::string& run) {
  constexpr int kBatches = 40, kRows = 250;
  const auto period = std::chrono::milliseconds(100);
  Section(
      "Heavy load: 2,500 credentials/s (cohorts of 250 every 100 ms), issued at A, applied "
      "at B (" +
      std::to_string(kBatches * kRows) + " credentials)");
  std::vector<double> lag;
  auto next = Clock::now();
  for (int batch = 0; batch < kBatches; ++batch) {
    std::this_thread::sleep_until(next);
    next += period;
    issuance::v1::IssueCredentialsRequest request;
    for (int row = 0; row < kRows; ++row) {
      *request.add_rows() =
          Request(spec, run + "-paced-" + std::to_string(batch) + "-" + std::to_string(row));
    }
    const int64_t before = b.issuance().projector().counters().applied;
    Must(a.issuance().IssueMany(StaffOf(kIssuer.id), request), "issue many");
    const auto answered = Clock::now();
    lag.push_back(Ms(answered, WaitApplied(b, before + kRows)) * 1e3);
  }
  LatencyRows("from a cohort's answer at A to B holding it all", lag);
  std::printf("  %-58s %12s\n", "target: p99 <= 100 ms",
              Percentile(lag, 99) <= kTargetP99Ms * 1e3 ? "met" : "not met");
}

void HeavyLoad(Node& a, Node& b, const std::string& spec, const std::string& run) {
  Section("Saturation: cohorts of 1,000, two in flight, issued at A, applied at B (" +
          std::to_string(kHeavyBatches * kBatchRows) + " credentials)");
  const int64_t base = b.issuance().projector().counters().applied;
  std::vector<Clock::time_point> answered(kHeavyBatches);
  std::atomic<int> next{0};
  auto worker = [&] {
    for (int batch; (batch = next++) < kHeavyBatches;) {
      issuance::v1::IssueCredentialsRequest request;
      for (int row = 0; row < kBatchRows; ++row) {
        *request.add_rows() =
            Request(spec, run + "-heavy-" + std::to_string(batch) + "-" + std::to_string(row));
      }
      Must(a.issuance().IssueMany(StaffOf(kIssuer.id), request), "issue many");
      answered[static_cast<size_t>(batch)] = Clock::now();
    }
  };
  const auto start = Clock::now();
  std::thread first(worker), second(worker);
  // B's progress, sampled: when did it hold each multiple of 1,000 events?
  std::vector<Clock::time_point> applied_at(kHeavyBatches);
  for (int k = 1; k <= kHeavyBatches; ++k) {
    applied_at[static_cast<size_t>(k - 1)] = WaitApplied(b, base + int64_t{k} * kBatchRows);
  }
  first.join();
  second.join();
  std::vector<Clock::time_point> sorted = answered;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> lag;
  for (int k = 0; k < kHeavyBatches; ++k) {
    // The k-th batch to be answered at A is covered once B holds (k+1) * 1,000 events.
    lag.push_back(
        std::max(0.0, Ms(sorted[static_cast<size_t>(k)], applied_at[static_cast<size_t>(k)])) *
        1e3);
  }
  Row("credentials issued at A", kHeavyBatches * kBatchRows / SecondsSince(start), "/s");
  LatencyRows("from a batch's answer at A to B holding it all", lag);
  std::printf("  (at saturation B's lag is the queue in front of it: reported, not a target)\n");
}

void Recovery(const LocalEcosystem& ecosystem, const std::string& run) {
  Section("Recovery: a node on an empty Redis replays the log");
  RunningNode c = Open("c", 1, run);
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  if (!ecosystem.Admit(*c.log, kNewcomer, key).ok()) std::exit(1);
  const auto start = Clock::now();
  c.node = Must(ecosystem.StartNode(*c.log, *c.store, kNewcomer, key), "start node C");
  const double seconds = SecondsSince(start);
  const auto catalogue = c.node->catalogue().projector().counters();
  const auto issuance = c.node->issuance().projector().counters();
  const double events = static_cast<double>(catalogue.applied + issuance.applied);
  Row("events replayed (catalogue and issuance, every issuer's)", events, "events");
  Row("time to start, caught up with the log", seconds, "s");
  Row("replay rate, both services together", events / seconds, "events/s");
}

void Run() {
  std::printf("propagation_bench on %u hardware threads\n", std::thread::hardware_concurrency());
  const std::string run = crypto::RandomId().substr(0, 8);
  LocalEcosystem ecosystem("bench-" + run, *domain::PolicyProfile::Named("eu"));
  RunningNode a = Open("a", 0, run), b = Open("b", 1, run);
  const crypto::SigningKey key_a = crypto::SigningKey::Generate();
  const crypto::SigningKey key_b = crypto::SigningKey::Generate();
  if (!ecosystem.Admit(*a.log, kIssuer, key_a).ok() ||
      !ecosystem.Admit(*a.log, kReader, key_b).ok()) {
    std::exit(1);
  }
  a.node = Must(ecosystem.StartNode(*a.log, *a.store, kIssuer, key_a), "start node A");
  b.node = Must(ecosystem.StartNode(*b.log, *b.store, kReader, key_b), "start node B");
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id(run + "-publish");
  publish.set_local_id("data-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy(kIssuer.id);
  const auto spec =
      Must(a.node->catalogue().Publish(StaffOf(kIssuer.id), publish), "publish").specification_id();
  LightLoad(*a.node, *b.node, spec, run);
  PacedHeavyLoad(*a.node, *b.node, spec, run);
  HeavyLoad(*a.node, *b.node, spec, run);
  Recovery(ecosystem, run);
}

}  // namespace
}  // namespace microcred::bench

int main() {
  microcred::bench::Run();
  return 0;
}
