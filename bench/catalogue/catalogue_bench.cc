// catalogue_bench: what the catalogue costs on this machine, next to the machine's own limit.
//
//   1. the limit: raw Ed25519 signatures and verifications per second (libsodium);
//   2. the signed envelope: seal and parse+verify per second;
//   3. publish events into Kafka (acks=all, idempotent): batched events/s, single-append latency;
//   4. end-to-end publish through the catalogue service on Kafka + Redis (validated, durable,
//      applied by the node's projection): publishes/s and p50/p99 latency, 8 client threads;
//   5. rebuild: a node with an empty Redis replays the catalogue topic: events/s;
//   6. search over a generated catalogue of 100,000 specifications, loaded as a node loads it
//      (signed events replayed into its read model): p50/p99 per query kind, in process and
//      over gRPC, and the read model's memory.
//
// Needs MC_KAFKA_BOOTSTRAP and MC_REDIS_ADDR (run it with `make bench`).
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <thread>

#include "bench/support/bench_util.h"
#include "libs/adapters/kafka/kafka_event_log.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/adapters/redis/redis_state_store.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/topics.h"
#include "libs/host/service_host.h"
#include "services/catalogue/catalogue_grpc.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/real_services.h"

namespace microcred::bench {
namespace {

using catalogue::v1::SearchSpecificationsRequest;

constexpr int kBatchEvents = 20000;
constexpr int kPublishes = 2000;
constexpr int kClientThreads = 8;
constexpr int kSearchCatalogue = 100000;

void MachineLimit() {
  Section("Machine limit (libsodium Ed25519, one core)");
  crypto::SigningKey key = crypto::SigningKey::Generate();
  const std::string message(300, 'm');
  std::string signature = key.Sign(message);
  Row("raw Ed25519 signatures", RatePerSecond(1.0, [&] { key.Sign(message); }), "/s");
  Row("raw Ed25519 verifications",
      RatePerSecond(1.0, [&] { crypto::Verify(key.public_key(), message, signature); }), "/s");
}

void Envelopes() {
  Section("Signed envelope (one core)");
  events::EnvelopeSigner signer("bench-u", "bench-node", crypto::SigningKey::Generate());
  catalogue::v1::SpecificationPublished event;
  *event.mutable_specification()->mutable_content() = catalogue::samples::Generated("bench-u", 1);
  std::string sealed = signer.Seal(event, {.partition_key = "bench-u/x"});
  Row("envelope size", sealed.size(), "bytes");
  Row("seal (serialise + sign)",
      RatePerSecond(1.0, [&] { signer.Seal(event, {.partition_key = "bench-u/x"}); }), "/s");
  Row("parse + verify",
      RatePerSecond(1.0,
                    [&] {
                      auto env = events::ParseEnvelope(sealed);
                      env->VerifySignature(signer.public_key());
                    }),
      "/s");
}

std::string SealedPublish(const events::EnvelopeSigner& signer, const std::string& institution,
                          int i) {
  catalogue::v1::SpecificationPublished event;
  catalogue::v1::Specification* spec = event.mutable_specification();
  spec->set_specification_id(institution + "/gen-" + std::to_string(i));
  spec->set_version(1);
  spec->set_owner_institution(institution);
  spec->set_status(catalogue::v1::SPECIFICATION_STATUS_PUBLISHED);
  *spec->mutable_content() = catalogue::samples::Generated(institution, i);
  return signer.Seal(event, {.partition_key = spec->specification_id()});
}

void KafkaAppends(EventLog& log, const events::EnvelopeSigner& signer,
                  const std::string& institution) {
  Section("Catalogue events into Kafka (acks=all, idempotent producer)");
  std::vector<AppendRequest> requests;
  for (int i = 0; i < kBatchEvents; ++i) {
    std::string key = institution + "/gen-" + std::to_string(i);
    requests.push_back({topics::kCatalogue, key, SealedPublish(signer, institution, i)});
  }
  auto start = Clock::now();
  for (size_t from = 0; from < requests.size(); from += 1000) {
    std::vector<AppendRequest> batch(requests.begin() + from, requests.begin() + from + 1000);
    Must(log.AppendBatch(batch), "append batch");
  }
  Row("batched appends (1000 per batch, " + std::to_string(kBatchEvents) + " events)",
      kBatchEvents / SecondsSince(start), "events/s");
  std::vector<double> latencies;
  for (int i = 0; i < 500; ++i) {
    auto t = Clock::now();
    Must(log.Append({"mc.bench.latency.v1", "k", requests[i].value}), "append");
    latencies.push_back(SecondsSince(t) * 1e6);
  }
  LatencyRows("single durable append", latencies);
}

void EndToEndPublish(Node& node, const std::string& institution) {
  Section("End-to-end publish: validate, sign, append to Kafka, apply to Redis (" +
          std::to_string(kClientThreads) + " client threads)");
  std::vector<std::vector<double>> latencies(kClientThreads);
  std::atomic<int> next{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kClientThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i; (i = next++) < kPublishes;) {
        catalogue::v1::PublishSpecificationRequest request;
        request.set_request_id("bench-" + std::to_string(i));
        request.set_local_id("e2e-" + std::to_string(i));
        *request.mutable_content() = catalogue::samples::Generated(institution, 1000000 + i);
        auto t0 = Clock::now();
        Must(node.catalogue().Publish(StaffOf(institution), request), "publish");
        latencies[t].push_back(SecondsSince(t0) * 1e6);
      }
    });
  }
  for (auto& th : threads) th.join();
  double elapsed = SecondsSince(start);
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  Row("publishes", kPublishes / elapsed, "/s");
  LatencyRows("publish latency", all);
}

void Rebuild(LocalEcosystem& ecosystem, const Institution& inst, const crypto::SigningKey& key) {
  Section("Rebuild: an empty Redis replays the catalogue topic from Kafka");
  auto log = Must(testing_support::OpenKafka("bench-rebuild"), "kafka");
  auto store =
      Must(testing_support::OpenRedis(0, "bench-rebuild-" + crypto::RandomId() + ":"), "redis");
  auto start = Clock::now();
  auto node = Must(ecosystem.StartNode(*log, *store, inst, key), "rebuild");
  double elapsed = SecondsSince(start);
  auto counters = node->catalogue().projector().counters();
  Row("events replayed into the read model", counters.applied, "events");
  Row("replay rate (Kafka -> verify -> Redis MULTI/EXEC)", counters.applied / elapsed, "events/s");
}

std::vector<std::pair<std::string, SearchSpecificationsRequest>> SearchKinds() {
  static const char* const kWords[] = {"data",     "cloud", "ethics", "nursing",   "energy",
                                       "robotics", "law",   "design", "logistics", "physics"};
  std::vector<std::pair<std::string, SearchSpecificationsRequest>> kinds;
  for (int i = 0; i < 10; ++i) {
    SearchSpecificationsRequest one;
    one.set_text(kWords[i]);
    kinds.push_back({"one word", one});
    SearchSpecificationsRequest two;
    two.set_text(std::string("applied ") + kWords[i]);
    two.add_eqf_levels(6);
    kinds.push_back({"two words + EQF filter", two});
    SearchSpecificationsRequest prefix;
    prefix.set_text(std::string(kWords[i]).substr(0, 3));
    kinds.push_back({"prefix of a word", prefix});
  }
  SearchSpecificationsRequest filters;
  filters.mutable_ects()->set_min(3);
  filters.mutable_ects()->set_max(6);
  filters.add_languages("fr");
  filters.add_provider_types(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  kinds.push_back({"filters only (ECTS range, language, provider type)", filters});
  SearchSpecificationsRequest everything;
  everything.set_page_token("o40");
  kinds.push_back({"no text, page 3 (every spec matches, all facets)", everything});
  return kinds;
}

template <typename SearchFn>
void MeasureSearches(const std::string& where, SearchFn search) {
  std::map<std::string, std::vector<double>> micros;
  std::map<std::string, int64_t> matches;
  auto kinds = SearchKinds();
  for (int round = 0; round < 30; ++round) {
    for (const auto& [name, request] : kinds) {
      auto t = Clock::now();
      int64_t total = search(request);
      micros[name].push_back(SecondsSince(t) * 1e6);
      matches[name] = total;
    }
  }
  for (const auto& [name, samples] : micros) {
    LatencyRows(where + ", " + name + " (" + std::to_string(matches[name]) + " matches)", samples);
  }
}

void Search() {
  Section("Search over a generated catalogue of " + std::to_string(kSearchCatalogue) +
          " specifications from 50 institutions");
  // The catalogue arrives as it does at a real node: signed events from many institutions,
  // replayed into the node's read model and index.
  MemoryEventLog log;
  LocalEcosystem ecosystem("bench-search", Must(domain::PolicyProfile::Named("eu"), "policy"));
  std::vector<crypto::SigningKey> keys;
  for (int i = 0; i < 50; ++i) {
    keys.push_back(crypto::SigningKey::Generate());
    Institution inst{"inst-" + std::to_string(i), "Institution " + std::to_string(i)};
    if (i % 5 == 0) inst.type = common::v1::PROVIDER_TYPE_VET;
    if (!ecosystem.Admit(log, inst, keys.back()).ok()) std::exit(1);
  }
  std::vector<AppendRequest> events;
  for (int i = 0; i < kSearchCatalogue; ++i) {
    const std::string institution = "inst-" + std::to_string(i % 50);
    events::EnvelopeSigner signer(institution, institution + "-node", keys[i % 50]);
    events.push_back({topics::kCatalogue, institution + "/gen-" + std::to_string(i),
                      SealedPublish(signer, institution, i)});
  }
  Must(log.AppendBatch(events), "append");
  events.clear();
  const double rss_before = RssMiB();
  MemoryStateStore store;
  auto start = Clock::now();
  auto node = Must(ecosystem.StartNode(log, store, {"reader", "Reader"}, keys[1]), "node");
  const double replay_seconds = SecondsSince(start);
  Row("replay into an in-memory store and index", kSearchCatalogue / replay_seconds, "events/s");
  Row("read model + index memory (RSS growth)", RssMiB() - rss_before, "MiB");

  catalogue::CatalogueService& catalogue = node->catalogue();
  MeasureSearches("in process", [&](const SearchSpecificationsRequest& r) {
    return Must(catalogue.Search(r), "search").total();
  });

  auth::TokenVerifier verifier("bench");
  catalogue::CatalogueGrpc handlers(catalogue, verifier);
  host::ServiceHost server({.listen_address = "127.0.0.1:0"});
  server.AddService(&handlers);
  if (!server.Start().ok()) std::exit(1);
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server.port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = catalogue::v1::CatalogueService::NewStub(channel);
  MeasureSearches("over gRPC", [&](const SearchSpecificationsRequest& r) {
    grpc::ClientContext context;
    catalogue::v1::SearchSpecificationsResponse response;
    if (!stub->SearchSpecifications(&context, r, &response).ok()) std::exit(1);
    return response.total();
  });
  server.Shutdown();
}

int Run() {
  if (!crypto::InitCrypto().ok()) return 1;
  std::printf("catalogue_bench on %u hardware threads\n", std::thread::hardware_concurrency());
  MachineLimit();
  Envelopes();

  LocalEcosystem ecosystem("bench-" + crypto::RandomId().substr(0, 8),
                           Must(domain::PolicyProfile::Named("eu"), "policy"));
  const Institution inst{"bench-u", "Benchmark University"};
  crypto::SigningKey key = crypto::SigningKey::Generate();
  auto log = Must(testing_support::OpenKafka("bench"), "kafka");
  auto store = Must(testing_support::OpenRedis(0, "bench-" + crypto::RandomId() + ":"), "redis");
  if (absl::Status s = ecosystem.Admit(*log, inst, key); !s.ok()) return 1;
  events::EnvelopeSigner signer(inst.id, "bench-node", key);
  KafkaAppends(*log, signer, inst.id);
  {
    auto node = Must(ecosystem.StartNode(*log, *store, inst, key), "start node");
    EndToEndPublish(*node, inst.id);
  }
  Rebuild(ecosystem, inst, key);
  Search();
  return 0;
}

}  // namespace
}  // namespace microcred::bench

int main() { return microcred::bench::Run(); }
