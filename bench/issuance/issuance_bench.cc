// issuance_bench: what issuing and verifying credentials costs on this machine, next to the
// machine's own limit.
//
//   1. the limit: raw Ed25519 signatures and verifications per second (libsodium, one core),
//      over a message the size of a credential's JWS signing input;
//   2. the library: credentials built (OB 3.0 document) and signed (compact JWS, EdDSA), signed
//      alone, verified by the full verifier, and JWS signatures verified alone, per second, each
//      as a share of the raw rate;
//   3. durable issuance end to end, through gRPC, by a node on Kafka + Redis: single
//      IssueCredential calls from 8 client threads, and IssueCredentials in batches of 1,000
//      rows: credentials/s, p50/p99 latency, and the process's memory;
//   4. where the time of a bulk batch goes: the issuance service's prepare step (and its Redis
//      reads), its store write, the Kafka append, the projector applying the events into Redis,
//      measured at the ports (timed_ports.h).
//
// Needs MC_KAFKA_BOOTSTRAP and MC_REDIS_ADDR (run it with `make bench`).
#include <grpcpp/grpcpp.h>
#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "absl/time/civil_time.h"
#include "bench/issuance/timed_ports.h"
#include "bench/support/bench_util.h"
#include "libs/auth/roles.h"
#include "libs/credentials/open_badge.h"
#include "libs/credentials/testing/sample_facts.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/host/service_host.h"
#include "libs/jose/jws.h"
#include "libs/registry/secretariat.h"
#include "libs/verification/credential_verifier.h"
#include "libs/verification/securing_profile.h"
#include "microcred/catalogue/v1/catalogue.grpc.pb.h"
#include "microcred/issuance/v1/issuance.grpc.pb.h"
#include "services/catalogue/catalogue_grpc.h"
#include "services/issuance/issuance_grpc.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/real_services.h"

namespace microcred::bench {
namespace {

constexpr int kSingleIssues = 2000;
constexpr int kClientThreads = 8;
constexpr int kBulkRows = 1000;
constexpr int kBulkTotal = 20000;
constexpr double kBulkTarget = 5000;   // credentials/s
constexpr double kLibraryTarget = 75;  // % of the raw rate

void MustOk(const grpc::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %d %s\n", what, static_cast<int>(status.error_code()),
                 status.error_message().c_str());
    std::exit(1);
  }
}

void Verdict(const std::string& what, bool met) {
  std::printf("  %-58s %12s\n", what.c_str(), met ? "met" : "not met");
  std::fflush(stdout);
}

double Seconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// Peak resident set size of this process, in MiB.
double PeakRssMiB() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

// ---- 1 and 2: the machine and the library ----

// How the bench's credentials are secured: the node's default.
constexpr issuance::v1::SecuringProfile kProfile = issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT;

// The sample credential (a joint award, every Annex I element) signed by UCLouvain in the
// default securing profile (Open Badges 3.0 VC-JWT: the credential plus the registered claims),
// and what a verifier looks up about it: the issuer's registry entry and its record of it.
struct SampleCredential {
  crypto::SigningKey key = crypto::SigningKey::Generate();
  credentials::CredentialFacts facts = credentials::testing::SampleFacts();
  std::unique_ptr<jose::Ed25519JwsSigner> signer;
  std::string document;  // the credential
  std::string payload;   // what is signed: the document and the registered claims
  std::string jws;
  size_t signing_input_bytes = 0;
  registry::v1::Member member;
  issuance::v1::KnownCredential known;

  SampleCredential() {
    const std::string key_id = crypto::KeyFingerprint(key.public_key());
    signer =
        std::make_unique<jose::Ed25519JwsSigner>(key, facts.issuers[0].profile_url + "#" + key_id);
    document = Must(credentials::WriteOpenBadgeCredential(facts), "write credential");
    payload = Must(
        verification::CredentialPayload(kProfile, document, credentials::ClaimedMembersOf(facts)),
        "claims");
    jws = jose::CompactSigner(*signer, verification::CredentialHeader(kProfile)).Sign(payload);
    signing_input_bytes = jws.rfind('.');
    registry::v1::MemberAdmitted* admitted = member.mutable_admitted();
    admitted->set_institution_id(facts.issuers[0].institution_id);
    admitted->set_legal_name(facts.issuers[0].legal_name);
    admitted->set_country(facts.issuers[0].country);
    admitted->set_provider_type(facts.issuers[0].provider_type);
    *admitted->add_keys() = registry::RegisteredKey(key.public_key());
    known.set_credential_id(facts.credential_id);
    known.set_issuer(facts.issuers[0].institution_id);
    known.set_specification_id(facts.specification.specification_id());
    known.set_specification_version(facts.specification.version());
    known.set_signature_sha256(verification::IssuedSignatureDigest(jws));
    known.set_key_id(key_id);
    known.set_status(issuance::v1::CREDENTIAL_STATUS_ACTIVE);
  }
};

struct RawLimit {
  double sign = 0;
  double verify = 0;
};

RawLimit MachineLimit(size_t message_bytes) {
  Section("Machine limit (libsodium Ed25519, one core)");
  crypto::SigningKey key = crypto::SigningKey::Generate();
  const std::string message(message_bytes, 'm');
  const std::string signature = key.Sign(message);
  RawLimit raw;
  Row("message signed (the size of a credential's JWS signing input)",
      static_cast<double>(message_bytes), "bytes");
  raw.sign = RatePerSecond(1.0, [&] { key.Sign(message); });
  Row("raw Ed25519 signatures", raw.sign, "/s");
  raw.verify = RatePerSecond(1.0, [&] { crypto::Verify(key.public_key(), message, signature); });
  Row("raw Ed25519 verifications", raw.verify, "/s");
  return raw;
}

void Library(const SampleCredential& c, const RawLimit& raw, const domain::PolicyProfile& eu) {
  Section("Credentials through the library (one core)");
  Row("credential payload (OB 3.0 / VC 2.0 JSON)", static_cast<double>(c.payload.size()), "bytes");
  Row("compact JWS", static_cast<double>(c.jws.size()), "bytes");

  const double build =
      RatePerSecond(1.0, [&] { Must(credentials::WriteOpenBadgeCredential(c.facts), "write"); });
  Row("write the OB 3.0 document (WriteOpenBadgeCredential)", build, "/s");
  // As the issuance service signs: one CompactSigner (the header encoded once) per key and
  // profile.
  const jose::CompactSigner credential_signer(*c.signer, verification::CredentialHeader(kProfile));
  const double build_sign = RatePerSecond(1.0, [&] {
    credential_signer.Sign(
        Must(verification::CredentialPayload(
                 kProfile, Must(credentials::WriteOpenBadgeCredential(c.facts), "write"),
                 credentials::ClaimedMembersOf(c.facts)),
             "claims"));
  });
  Row("write + claims + sign (WriteOpenBadgeCredential, CredentialPayload, CompactSigner::Sign, "
      "EdDSA, OB 3.0 profile)",
      build_sign, "/s");
  Row("  of raw signing", 100 * build_sign / raw.sign, "%");
  const double sign = RatePerSecond(1.0, [&] { credential_signer.Sign(c.payload); });
  Row("CompactSigner::Sign alone, prebuilt payload", sign, "/s");
  Row("  of raw signing", 100 * sign / raw.sign, "%");

  const verification::VerificationInputs inputs{
      .find_member = [&](const std::string& id) -> std::optional<registry::v1::Member> {
        if (id != c.member.admitted().institution_id()) return std::nullopt;
        return c.member;
      },
      .find_credential = [&](const std::string& id)
          -> absl::StatusOr<std::optional<issuance::v1::KnownCredential>> {
        if (id != c.known.credential_id()) return std::nullopt;
        return c.known;
      },
      .profile_in = [&](std::string_view) { return std::optional(eu); },
      .now = absl::Now()};
  issuance::v1::VerificationReport report = verification::VerifyCredential(c.jws, inputs);
  if (!report.valid()) {
    for (const auto& check : report.checks()) {
      std::fprintf(stderr, "%s: %s\n", check.name().c_str(), check.detail().c_str());
    }
    std::exit(1);
  }
  const double verify_full =
      RatePerSecond(1.0, [&] { verification::VerifyCredential(c.jws, inputs); });
  Row("VerifyCredential (all 7 checks, in-memory lookups)", verify_full, "/s");
  Row("  of raw verification", 100 * verify_full / raw.verify, "%");
  const jose::ParsedJws parsed = Must(jose::ParseCompact(c.jws), "parse");
  const jose::JwkPublicKey jwk{.kid = c.signer->kid(), .ed25519_public_key = c.key.public_key()};
  if (!jose::VerifyJws(parsed, jwk)) std::exit(1);
  const double verify_jws = RatePerSecond(1.0, [&] { jose::VerifyJws(parsed, jwk); });
  Row("jose::VerifyJws alone (parsed JWS)", verify_jws, "/s");
  Row("  of raw verification", 100 * verify_jws / raw.verify, "%");
  const double parse_verify =
      RatePerSecond(1.0, [&] { jose::VerifyJws(Must(jose::ParseCompact(c.jws), "parse"), jwk); });
  Row("ParseCompact + VerifyJws", parse_verify, "/s");
  Row("  of raw verification", 100 * parse_verify / raw.verify, "%");

  // What the library adds to the raw operations, one step at a time.
  const std::string encoded = crypto::Base64UrlEncode(c.payload);
  Row("  step: ParseCompact (split, decode header and payload, copy the signing input)",
      1e6 / RatePerSecond(0.5, [&] { Must(jose::ParseCompact(c.jws), "parse"); }), "us");
  Row("  step: CredentialPayload with ClaimedMembersOf (the OB 3.0 claims, as issuance adds them)",
      1e6 / RatePerSecond(0.5,
                          [&] {
                            Must(verification::CredentialPayload(
                                     kProfile, c.document, credentials::ClaimedMembersOf(c.facts)),
                                 "claims");
                          }),
      "us");
  Row("  for comparison: CredentialPayload reading the members from the document",
      1e6 / RatePerSecond(
                0.5, [&] { Must(verification::CredentialPayload(kProfile, c.document), "c"); }),
      "us");
  Row("  step: ValidateCredentialFacts (inside the document writer)",
      1e6 / RatePerSecond(0.5, [&] { (void)credentials::ValidateCredentialFacts(c.facts); }), "us");
  Row("  step: Base64UrlEncode of the payload",
      1e6 / RatePerSecond(0.5, [&] { crypto::Base64UrlEncode(c.payload); }), "us");
  Row("  step: Base64UrlDecode of the encoded payload",
      1e6 / RatePerSecond(0.5, [&] { Must(crypto::Base64UrlDecode(encoded), "decode"); }), "us");
  Row("  step: JSON parse of the payload",
      1e6 / RatePerSecond(0.5,
                          [&] {
                            nlohmann::json document = nlohmann::json::parse(c.payload);
                            (void)document;
                          }),
      "us");
  Row("  step: IssuedSignatureDigest (the verifier's issued check)",
      1e6 / RatePerSecond(0.5, [&] { verification::IssuedSignatureDigest(c.jws); }), "us");
  Row("  for scale: one raw signature", 1e6 / raw.sign, "us");
  Row("  for scale: one raw verification", 1e6 / raw.verify, "us");

  Verdict("target: write + sign >= 75% of raw signing",
          100 * build_sign / raw.sign >= kLibraryTarget);
  Verdict("target: VerifyCredential >= 75% of raw verification",
          100 * verify_full / raw.verify >= kLibraryTarget);
}

// ---- 3 and 4: durable issuance through gRPC ----

struct Endpoint {
  std::shared_ptr<grpc::Channel> channel;
  std::string bearer;  // "Bearer <token>"

  void Authorize(grpc::ClientContext& context) const {
    context.AddMetadata("authorization", bearer);
  }
};

issuance::v1::IssueCredentialRequest IssueRequest(const std::string& specification_id,
                                                  const std::string& request_id) {
  issuance::v1::IssueCredentialRequest r;
  r.set_request_id(request_id);
  r.set_specification_id(specification_id);
  issuance::v1::LearnerIdentity* learner = r.mutable_learner();
  learner->set_learner_id("L-" + request_id);
  learner->set_given_name("Ana");
  learner->set_family_name("Andromeda");
  learner->set_email("ana." + request_id + "@student.example");
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  *r.mutable_issued_on() = domain::ToDate(today);
  r.set_place_of_issuing("Louvain-la-Neuve");
  r.mutable_grade()->set_value("16/20");
  r.mutable_grade()->set_grading_scheme("Belgian 0-20 scale");
  r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
  r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  return r;
}

void SingleIssues(const Endpoint& endpoint, const std::string& specification_id,
                  const std::string& run, PortClock& clock, std::vector<std::string>& issued) {
  Section("End-to-end IssueCredential through gRPC on Kafka + Redis (" +
          std::to_string(kClientThreads) + " client threads, " + std::to_string(kSingleIssues) +
          " calls)");
  std::vector<std::vector<double>> latencies(kClientThreads);
  std::vector<std::string> jws(kSingleIssues);
  std::atomic<int> next{0};
  clock.Take();
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kClientThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = issuance::v1::IssuanceService::NewStub(endpoint.channel);
      for (int i; (i = next++) < kSingleIssues;) {
        auto request = IssueRequest(specification_id, run + "-single-" + std::to_string(i));
        grpc::ClientContext context;
        endpoint.Authorize(context);
        issuance::v1::IssuedCredential response;
        auto t0 = Clock::now();
        MustOk(stub->IssueCredential(&context, request, &response), "IssueCredential");
        latencies[t].push_back(SecondsSince(t0) * 1e6);
        jws[i] = response.jws();
      }
    });
  }
  for (auto& th : threads) th.join();
  const double elapsed = SecondsSince(start);
  const PortTimes ports = clock.Take();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  Row("credentials issued", kSingleIssues / elapsed, "/s");
  LatencyRows("IssueCredential latency", all);
  const double n = kSingleIssues;
  Row("  per call: Redis read round trips by the service", ports.service.get.calls / n, "trips");
  Row("  per call: keys read", static_cast<double>(ports.service.get.items) / n, "keys");
  Row("  per call: time in those reads", ports.service.get.seconds / n * 1e6, "us");
  Row("  per call: store write of the sealed records", ports.service.commit.seconds / n * 1e6,
      "us");
  Row("  per call: Kafka append (acks=all)", ports.service.append.seconds / n * 1e6, "us");
  Row("  per event: projector busy (verify, Redis reads, apply)",
      ports.projector.busy_seconds / n * 1e6, "us");
  issued.insert(issued.end(), jws.begin(), jws.end());
}

// One bulk call, as the ports saw it.
struct BatchTimes {
  double total = 0;          // the call, at the client
  double prepare = 0;        // call start -> the service's first store write
  double store_write = 0;    // the service's store commits (sealed records)
  double append = 0;         // the service's Kafka appends
  double apply_wait = 0;     // last append done -> answer at the client
  double service_get = 0;    // the service's Redis reads
  int64_t service_gets = 0;  // round trips (Get or GetMany)
  int64_t service_get_keys = 0;
  double projector_busy = 0;
  double projector_get = 0;
  int64_t projector_gets = 0;
  int64_t projector_get_keys = 0;
  double projector_commit = 0;
  int64_t projector_commits = 0;
  size_t response_bytes = 0;
};

// The same volume with two batches in flight, as a client that sends the next batch while the
// node applies the previous one: preparing one batch overlaps the other's projection.
void PipelinedBulkIssues(const Endpoint& endpoint, const std::string& specification_id,
                         const std::string& run) {
  Section("End-to-end IssueCredentials, two batches of " + std::to_string(kBulkRows) +
          " in flight (" + std::to_string(kBulkTotal) + " credentials)");
  std::vector<issuance::v1::IssueCredentialsRequest> batches(kBulkTotal / kBulkRows);
  for (int i = 0; i < kBulkTotal; ++i) {
    *batches[i / kBulkRows].add_rows() =
        IssueRequest(specification_id, run + "-pipelined-" + std::to_string(i));
  }
  std::atomic<size_t> next{0};
  std::vector<double> batch_ms[2];
  auto start = Clock::now();
  auto client = [&](int c) {
    auto stub = issuance::v1::IssuanceService::NewStub(endpoint.channel);
    for (size_t b; (b = next++) < batches.size();) {
      grpc::ClientContext context;
      endpoint.Authorize(context);
      issuance::v1::IssueCredentialsResponse response;
      auto t0 = Clock::now();
      MustOk(stub->IssueCredentials(&context, batches[b], &response), "IssueCredentials");
      batch_ms[c].push_back(SecondsSince(t0) * 1e3);
      if (response.issued() != kBulkRows) std::exit(1);
    }
  };
  std::thread second(client, 1);
  client(0);
  second.join();
  const double rate = kBulkTotal / SecondsSince(start);
  std::vector<double> all(batch_ms[0]);
  all.insert(all.end(), batch_ms[1].begin(), batch_ms[1].end());
  Row("credentials issued", rate, "/s");
  Row("one batch of 1,000, p50", Percentile(all, 50), "ms");
  Row("one batch of 1,000, p99", Percentile(all, 99), "ms");
  Verdict("target 5,000 credentials/s", rate >= kBulkTarget);
}

void BulkIssues(const Endpoint& endpoint, const std::string& specification_id,
                const std::string& run, PortClock& clock, std::vector<std::string>& issued) {
  Section("End-to-end IssueCredentials through gRPC on Kafka + Redis (batches of " +
          std::to_string(kBulkRows) + " rows, " + std::to_string(kBulkTotal) + " credentials)");
  std::vector<issuance::v1::IssueCredentialsRequest> batches(kBulkTotal / kBulkRows);
  for (int i = 0; i < kBulkTotal; ++i) {
    *batches[i / kBulkRows].add_rows() =
        IssueRequest(specification_id, run + "-bulk-" + std::to_string(i));
  }
  auto stub = issuance::v1::IssuanceService::NewStub(endpoint.channel);
  std::vector<BatchTimes> times;
  clock.Take();
  auto start = Clock::now();
  for (const auto& batch : batches) {
    grpc::ClientContext context;
    endpoint.Authorize(context);
    issuance::v1::IssueCredentialsResponse response;
    auto t0 = Clock::now();
    MustOk(stub->IssueCredentials(&context, batch, &response), "IssueCredentials");
    auto t1 = Clock::now();
    const PortTimes ports = clock.Take();
    if (response.issued() != kBulkRows) {
      for (const auto& row : response.results()) {
        if (row.code() != 0) std::fprintf(stderr, "row %d: %s\n", row.row(), row.message().c_str());
      }
      std::exit(1);
    }
    BatchTimes b;
    b.total = Seconds(t0, t1);
    b.prepare = ports.service.first_commit ? Seconds(t0, *ports.service.first_commit) : 0;
    b.store_write = ports.service.commit.seconds;
    b.append = ports.service.append.seconds;
    b.apply_wait = ports.service.last_append_end ? Seconds(*ports.service.last_append_end, t1) : 0;
    b.service_get = ports.service.get.seconds;
    b.service_gets = ports.service.get.calls;
    b.service_get_keys = ports.service.get.items;
    b.projector_busy = ports.projector.busy_seconds;
    b.projector_get = ports.projector.get.seconds;
    b.projector_gets = ports.projector.get.calls;
    b.projector_get_keys = ports.projector.get.items;
    b.projector_commit = ports.projector.commit.seconds;
    b.projector_commits = ports.projector.commit.calls;
    b.response_bytes = response.ByteSizeLong();
    times.push_back(b);
    issued.push_back(response.results(0).credential().jws());
  }
  const double elapsed = SecondsSince(start);
  const double rate = kBulkTotal / elapsed;

  auto ms = [&](double BatchTimes::*field) {
    std::vector<double> v;
    for (const BatchTimes& b : times) v.push_back(b.*field * 1e3);
    return v;
  };
  auto mean = [&](auto field) {
    double sum = 0;
    for (const BatchTimes& b : times) sum += static_cast<double>(b.*field);
    return sum / static_cast<double>(times.size());
  };
  Row("credentials issued", rate, "/s");
  Row("one batch of 1,000, p50", Percentile(ms(&BatchTimes::total), 50), "ms");
  Row("one batch of 1,000, p99", Percentile(ms(&BatchTimes::total), 99), "ms");
  Row("  of which after the Kafka append, until all applied (p50)",
      Percentile(ms(&BatchTimes::apply_wait), 50), "ms");
  Row("  of which after the Kafka append, until all applied (p99)",
      Percentile(ms(&BatchTimes::apply_wait), 99), "ms");
  Row("response size of one batch", mean(&BatchTimes::response_bytes) / (1024.0 * 1024.0), "MiB");
  Verdict("target 5,000 credentials/s", rate >= kBulkTarget);

  Section("Where a bulk batch of 1,000 goes (mean per batch, measured at the ports)");
  const double total = mean(&BatchTimes::total) * 1e3;
  const double prepare = mean(&BatchTimes::prepare) * 1e3;
  const double store_write = mean(&BatchTimes::store_write) * 1e3;
  const double append = mean(&BatchTimes::append) * 1e3;
  const double apply_wait = mean(&BatchTimes::apply_wait) * 1e3;
  Row("the call, at the client", total, "ms");
  Row("service: prepare + seal every row (until its first store write)", prepare, "ms");
  Row("  per row", prepare / kBulkRows * 1e3, "us");
  Row("  Redis read round trips per batch", mean(&BatchTimes::service_gets), "trips");
  Row("  keys read per row", mean(&BatchTimes::service_get_keys) / kBulkRows, "keys");
  Row("  time in Redis reads per row", mean(&BatchTimes::service_get) / kBulkRows * 1e6, "us");
  Row("service: store write of the sealed records (MULTI/EXEC)", store_write, "ms");
  Row("service: Kafka append of 1,000 events (acks=all)", append, "ms");
  Row("service: waiting for its projection, after the append", apply_wait, "ms");
  Row("other (gRPC transfer, sealing events, answers)",
      total - prepare - store_write - append - apply_wait, "ms");
  const double busy = mean(&BatchTimes::projector_busy) * 1e3;
  Row("projector: busy applying the batch's events", busy, "ms");
  Row("  per event", busy / kBulkRows * 1e3, "us");
  Row("  Redis read round trips per batch", mean(&BatchTimes::projector_gets), "trips");
  Row("  keys read per event", mean(&BatchTimes::projector_get_keys) / kBulkRows, "keys");
  Row("  time in Redis reads per event", mean(&BatchTimes::projector_get) / kBulkRows * 1e6, "us");
  Row("  Redis commits per batch (MULTI/EXEC)", mean(&BatchTimes::projector_commits), "commits");
  Row("  time in Redis commits", mean(&BatchTimes::projector_commit) * 1e3, "ms");
}

void VerifyThroughNode(const Endpoint& endpoint, const std::vector<std::string>& issued) {
  Section("VerifyCredential through gRPC (the node's Redis holds the issuer's record)");
  auto stub = issuance::v1::IssuanceService::NewStub(endpoint.channel);
  std::vector<double> latencies;
  auto start = Clock::now();
  const int calls = 1000;
  for (int i = 0; i < calls; ++i) {
    issuance::v1::VerifyCredentialRequest request;
    request.set_jws(issued[static_cast<size_t>(i) % issued.size()]);
    grpc::ClientContext context;
    issuance::v1::VerificationReport report;
    auto t0 = Clock::now();
    MustOk(stub->VerifyCredential(&context, request, &report), "VerifyCredential");
    latencies.push_back(SecondsSince(t0) * 1e6);
    if (!report.valid()) {
      for (const auto& check : report.checks()) {
        std::fprintf(stderr, "%s: %s\n", check.name().c_str(), check.detail().c_str());
      }
      std::exit(1);
    }
  }
  Row("verifications, one client", calls / SecondsSince(start), "/s");
  LatencyRows("VerifyCredential latency", latencies);
}

void EndToEnd(const domain::PolicyProfile& eu) {
  const std::string run = crypto::RandomId().substr(0, 8);
  LocalEcosystem ecosystem("bench-" + run, eu);
  const Institution inst{"bench-issuer", "Benchmark Issuing University"};
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  auto kafka = Must(testing_support::OpenKafka("bench-issuance"), "kafka");
  auto redis =
      Must(testing_support::OpenRedis(0, "bench-issuance-" + crypto::RandomId() + ":"), "redis");
  if (absl::Status s = ecosystem.Admit(*kafka, inst, key); !s.ok()) std::exit(1);
  PortClock clock;
  TimedEventLog log(*kafka, clock);
  TimedStateStore store(*redis, clock);
  const double rss_before = RssMiB();
  auto start = Clock::now();
  auto node = Must(ecosystem.StartNode(log, store, inst, key), "start node");
  const double start_seconds = SecondsSince(start);

  auth::TokenMinter minter(crypto::SigningKey::Generate(), "bench-idp", node->options().node_id);
  auth::TokenVerifier verifier(node->options().node_id);
  if (!verifier.AddTrustedKey(minter.kid(), minter.issuer(), minter.public_key()).ok()) {
    std::exit(1);
  }
  catalogue::CatalogueGrpc catalogue_handlers(node->catalogue(), verifier);
  issuance::IssuanceGrpc issuance_handlers(node->issuance(), verifier);
  // A batch's answer carries 1,000 credentials of ~7 KiB each: more than the host's default
  // limit (4 MiB), so the limit is raised here, and the response size is printed below.
  host::ServiceHost server({.listen_address = "127.0.0.1:0",
                            .max_receive_bytes = 64 << 20,
                            .max_send_bytes = 64 << 20,
                            .memory_quota_bytes = 0});
  server.AddService(&catalogue_handlers);
  server.AddService(&issuance_handlers);
  if (!server.Start().ok()) std::exit(1);
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(-1);
  const Endpoint endpoint{
      grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(server.port()),
                                grpc::InsecureChannelCredentials(), arguments),
      "Bearer " + minter.Mint("registrar@" + inst.id, inst.id,
                              {auth::roles::kRegistrar, auth::roles::kCatalogueEditor},
                              absl::Hours(2))};

  // The specification the credentials are issued against, published through the catalogue.
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id(run + "-publish");
  publish.set_local_id("data-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy(inst.id);
  catalogue::v1::Specification spec;
  {
    grpc::ClientContext context;
    endpoint.Authorize(context);
    auto stub = catalogue::v1::CatalogueService::NewStub(endpoint.channel);
    MustOk(stub->PublishSpecification(&context, publish, &spec), "PublishSpecification");
  }
  std::printf("\nNode %s on Kafka + Redis started in %.1f s; issuing against %s v%u\n",
              node->options().node_id.c_str(), start_seconds, spec.specification_id().c_str(),
              spec.version());
  const double rss_started = RssMiB();

  std::vector<std::string> issued;
  SingleIssues(endpoint, spec.specification_id(), run, clock, issued);
  const double rss_single = RssMiB();
  BulkIssues(endpoint, spec.specification_id(), run, clock, issued);
  PipelinedBulkIssues(endpoint, spec.specification_id(), run);
  const double rss_bulk = RssMiB();
  start = Clock::now();
  if (absl::Status s = node->issuance().projector().Sync(absl::Seconds(60)); !s.ok()) std::exit(1);
  Row("projection caught up with the log after the last batch", SecondsSince(start) * 1e3, "ms");
  Row("issuance events applied by the node's projection",
      static_cast<double>(node->issuance().projector().counters().applied), "events");
  VerifyThroughNode(endpoint, issued);

  Section("Memory");
  Row("RSS of the process (node, gRPC server and clients)", RssMiB(), "MiB");
  Row("  the node's start (catching up with the log)", rss_started - rss_before, "MiB");
  Row("  the 2,000 single calls", rss_single - rss_started, "MiB");
  Row("  the 20 bulk calls (6.5 MiB answers)", rss_bulk - rss_single, "MiB");
  Row("peak RSS (VmHWM)", PeakRssMiB(), "MiB");
  // What the allocator keeps of freed memory (per-thread arenas) is not the node's.
  malloc_trim(0);
  Row("RSS after malloc_trim(0)", RssMiB(), "MiB");
  server.Shutdown();
}

int Run() {
  if (!crypto::InitCrypto().ok()) return 1;
  std::printf("issuance_bench on %u hardware threads\n", std::thread::hardware_concurrency());
  const domain::PolicyProfile eu = Must(domain::PolicyProfile::Named("eu"), "policy");
  const SampleCredential sample;
  const RawLimit raw = MachineLimit(sample.signing_input_bytes);
  Library(sample, raw, eu);
  EndToEnd(eu);
  return 0;
}

}  // namespace
}  // namespace microcred::bench

int main() { return microcred::bench::Run(); }
