// recognition_bench: what automatic recognition costs, in two parts.
//
//   1. The pure domain, without I/O: the policy index and the decision it builds, with 10, 100
//      and 1,000 policies of one receiving institution.
//   2. End to end, in process: requests submitted to the RecognitionService of a Node on the
//      in-memory engines (MemoryEventLog, MemoryStateStore: no Kafka or Redis needed), each
//      presenting one credential a second institution's node issued in the same process, each
//      verified, matched, decided, sealed, committed, its RecognitionDecided event appended and
//      applied before the answer. With 10, 100 and 1,000 published policies, the matching one
//      ranked last; next to it, VerifyCredential alone on the same JWS, and the machine's raw
//      Ed25519 verification rate.
//
// In part 1, the policies are a mix an alliance member could publish: a third name issuers, a sixth
// an issuer group, half apply to any issuer but list five specifications each (an equivalence
// table's shape), with EQF, ECTS, DEQAR and age criteria sprinkled over all of them. The last
// one is a catch-all for any higher-education credential, so that a credential no specific
// policy accepts walks the whole any-issuer list before it matches (or, from a private
// provider, matches nothing): the slow path is most of what is measured.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bench/support/bench_util.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/auth/roles.h"
#include "libs/crypto/crypto.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "services/recognition/automatic_decision.h"
#include "services/recognition/decision_rules.h"
#include "services/recognition/policy_matching.h"
#include "services/recognition/request_lifecycle.h"

namespace microcred::recognition {
namespace {

using bench::Clock;
using bench::Must;

constexpr int kInstitutions = 200;
constexpr int kRequests = 4096;

std::string Institution(int i) { return "inst-" + std::to_string(i); }

v1::RecognitionPolicy RandomPolicy(int i, int count, std::mt19937& random) {
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  v1::RecognitionPolicy p;
  p.set_policy_id("ulb/policy-" + std::to_string(i));
  p.set_version(1);
  p.set_receiving_institution("ulb");
  p.set_title("Policy " + std::to_string(i));
  p.set_rationale("Comparable by construction.");
  p.set_rank(i + 1);
  p.set_status(v1::POLICY_STATUS_ACTIVE);
  if (i == count - 1) {  // the catch-all
    for (int purpose = 1; purpose <= 5; ++purpose) {
      p.add_purposes(static_cast<v1::RecognitionPurpose>(purpose));
    }
    p.add_provider_types(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
    return p;
  }
  p.add_purposes(static_cast<v1::RecognitionPurpose>(1 + pick(5)));
  // A second purpose, distinct from the first.
  if (pick(2) == 0) p.add_purposes(static_cast<v1::RecognitionPurpose>(1 + p.purposes(0) % 5));
  const int kind = pick(6);
  if (kind < 2) {
    for (int k = 0; k < 1 + pick(3); ++k) {
      const std::string issuer = Institution(pick(kInstitutions));
      if (std::find(p.issuers().begin(), p.issuers().end(), issuer) == p.issuers().end()) {
        p.add_issuers(issuer);
      }
    }
  } else if (kind == 2) {
    p.add_issuer_groups("alliance-" + std::to_string(pick(10)));
  } else {
    // Any issuer, but only listed specifications: most credentials walk past these.
    while (p.specification_ids_size() < 5) {
      const std::string id = Institution(pick(kInstitutions)) + "/spec-" + std::to_string(pick(50));
      const auto& ids = p.specification_ids();
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) p.add_specification_ids(id);
    }
  }
  if (pick(2) == 0) p.set_min_eqf_level(5 + pick(3));
  if (pick(3) == 0) p.set_min_ects(1 + pick(10));
  if (pick(4) == 0) p.set_require_deqar_reference(true);
  if (pick(4) == 0) p.set_max_age_months(12 * (1 + pick(5)));
  return p;
}

v1::RecognitionRequest RandomRequest(int i, std::mt19937& random) {
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  v1::RecognitionRequest r;
  r.set_request_id("ulb/req-" + std::to_string(i));
  r.set_receiving_institution("ulb");
  r.set_learner_pseudonym("pseudo-" + std::to_string(i));
  r.set_type(v1::REQUEST_TYPE_CREDENTIALS);
  r.set_purpose(static_cast<v1::RecognitionPurpose>(1 + pick(5)));
  r.mutable_target()->mutable_component()->set_component_id("COMP-" + std::to_string(pick(40)));
  r.mutable_target()->mutable_component()->set_ects(5);
  *r.mutable_deadlines() = DefaultDeadlineSettings();
  r.set_received_at_ms(
      absl::ToUnixMillis(absl::FromCivil(absl::CivilDay(2025, 6, 1), absl::UTCTimeZone())));
  r.set_state(v1::REQUEST_STATE_RECEIVED);
  v1::PresentedCredential& c = *r.add_credentials();
  c.set_authenticity(v1::AUTHENTICITY_AUTHENTIC);
  v1::CredentialFacts& f = *c.mutable_facts();
  const std::string issuer = Institution(pick(kInstitutions));
  f.set_credential_id("urn:uuid:" + std::to_string(i));
  f.set_issuer(issuer);
  f.set_issuer_provider_type(pick(10) == 0 ? common::v1::PROVIDER_TYPE_PRIVATE_PROVIDER
                                           : common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  f.set_quality_assurance_type(common::v1::QUALITY_ASSURANCE_TYPE_EXTERNAL);
  if (pick(2) == 0) f.set_deqar_reference("DEQARINST0107");
  f.set_eqf_level(4 + pick(5));
  f.set_ects(0.5 * (1 + pick(20)));
  f.set_specification_id(issuer + "/spec-" + std::to_string(pick(50)));
  *f.mutable_issued_on() =
      domain::ToDate(absl::CivilDay(2020 + pick(5), 1 + pick(12), 1 + pick(28)));
  return r;
}

IssuerGroups Alliances(std::mt19937& random) {
  IssuerGroups groups;
  for (int g = 0; g < 10; ++g) {
    std::vector<std::string>& members = groups["alliance-" + std::to_string(g)];
    for (int k = 0; k < 9; ++k) members.push_back(Institution(random() % kInstitutions));
  }
  return groups;
}

void Run(int policy_count) {
  std::mt19937 random(20250601 + policy_count);
  const IssuerGroups groups = Alliances(random);
  std::vector<v1::RecognitionPolicy> policies;
  for (int i = 0; i < policy_count; ++i) policies.push_back(RandomPolicy(i, policy_count, random));
  for (const auto& p : policies) {
    if (absl::Status s = ValidatePolicy(p, "ulb"); !s.ok()) {
      std::fprintf(stderr, "invalid generated policy: %s\n", std::string(s.message()).c_str());
      std::exit(1);
    }
  }
  const Clock::time_point build_start = Clock::now();
  absl::StatusOr<PolicyIndex> index = PolicyIndex::Build(policies, groups);
  const double build_ms = bench::SecondsSince(build_start) * 1e3;
  if (!index.ok()) std::exit(1);

  std::vector<v1::RecognitionRequest> requests;
  for (int i = 0; i < kRequests; ++i) requests.push_back(RandomRequest(i, random));
  const AutomaticDecisionContext ctx{.decision_reference = "ULB-AUTO-1",
                                     .today = absl::CivilDay(2025, 6, 1),
                                     .appeal_route = "Appeal board, recours@ulb.example"};

  int automatic = 0;
  int catch_all = 0;
  std::vector<double> micros;
  micros.reserve(kRequests * 4);
  for (int round = 0; round < 4; ++round) {
    for (const v1::RecognitionRequest& r : requests) {
      const Clock::time_point start = Clock::now();
      const AutomaticOutcome outcome = DecideAutomatically(r, *index, ctx);
      micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      if (round == 0 && outcome.decision.has_value()) {
        ++automatic;
        if (outcome.decision->decided_by_policy() == policies.back().policy_id()) ++catch_all;
      }
    }
  }
  size_t next = 0;
  const double rate = bench::RatePerSecond(1.0, [&] {
    const AutomaticOutcome outcome = DecideAutomatically(requests[next], *index, ctx);
    next = (next + 1) % requests.size();
    if (!outcome.decision.has_value() && outcome.manual_review_reason.empty()) std::abort();
  });
  // The matcher alone, without building the decision.
  const absl::CivilDay submitted_on(2025, 6, 1);
  next = 0;
  const double match_rate = bench::RatePerSecond(1.0, [&] {
    const v1::RecognitionRequest& r = requests[next];
    next = (next + 1) % requests.size();
    auto match = index->FirstMatch({r.credentials(0), r.purpose(), r.target(), submitted_on});
    if (match.has_value() && match->policy == nullptr) std::abort();
  });

  // For comparison: trying every policy in rank order, without the index.
  next = 0;
  const double scan_rate = bench::RatePerSecond(1.0, [&] {
    const v1::RecognitionRequest& r = requests[next];
    next = (next + 1) % requests.size();
    const MatchInput input{r.credentials(0), r.purpose(), r.target(), submitted_on};
    for (size_t i = 0; i < index->size(); ++i) {
      if (!index->at(i).FirstUnmetCriterion(input).has_value()) break;
    }
  });

  const std::string n = std::to_string(policy_count) + " policies";
  bench::Section(n);
  bench::Row("index build", build_ms, "ms");
  bench::Row("requests decided automatically", 100.0 * automatic / kRequests, "%");
  bench::Row("  of which by the last (catch-all) policy", 100.0 * catch_all / kRequests, "%");
  bench::Row("automatic decisions (match + decision built)", rate, "/s");
  bench::LatencyRows("automatic decision latency", micros);
  bench::Row("matches alone (index)", match_rate, "/s");
  bench::Row("matches alone (linear scan in rank order, no index)", scan_rate, "/s");
}

// ---- 2. End to end, through the RecognitionService of a node ----

constexpr int kPool = 2000;        // credentials issued, each presented once per receiving node
constexpr int kClientThreads = 4;  // for the concurrent run

double RawEd25519Verifications(size_t message_bytes) {
  bench::Section("Machine limit (libsodium Ed25519, one core)");
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  const std::string message(message_bytes, 'm');
  const std::string signature = key.Sign(message);
  bench::Row("message verified (a credential's JWS signing input)",
             static_cast<double>(message_bytes), "bytes");
  const double rate =
      bench::RatePerSecond(1.0, [&] { crypto::Verify(key.public_key(), message, signature); });
  bench::Row("raw Ed25519 verifications", rate, "/s");
  return rate;
}

// The receiving institution's policies: `count` of them, the one that matches the presented
// credentials ranked last. Of the others, a third name other issuers and a third list other
// institutions' specifications (the index never looks at them for this credential); the last
// third apply to any issuer and purpose CREDIT_TRANSFER but fail on one criterion each (EQF,
// ECTS, provider type, DEQAR reference), so every request walks about count/3 policies before
// the matching one.
std::vector<v1::RecognitionPolicy> ReceiverPolicies(const std::string& receiver, int count,
                                                    const std::string& issuer,
                                                    const std::string& specification_id) {
  std::vector<v1::RecognitionPolicy> policies;
  for (int i = 0; i < count; ++i) {
    v1::RecognitionPolicy p;
    p.set_policy_id(receiver + "/policy-" + std::to_string(i));
    p.set_title("Policy " + std::to_string(i));
    p.set_rationale("Comparable by construction.");
    p.set_rank(i + 1);
    p.add_purposes(v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
    if (i == count - 1) {  // the matching one
      p.add_issuers(issuer);
      p.add_specification_ids(specification_id);
    } else if (i % 3 == 0) {
      p.add_issuers("other-" + std::to_string(i % 50));
    } else if (i % 3 == 1) {
      p.add_specification_ids("other-" + std::to_string(i % 50) + "/spec-" + std::to_string(i));
    } else {
      switch (i / 3 % 4) {
        case 0:
          p.set_min_eqf_level(8);
          break;
        case 1:
          p.set_min_ects(30);
          break;
        case 2:
          p.add_provider_types(common::v1::PROVIDER_TYPE_VET);
          break;
        default:
          p.set_require_deqar_reference(true);
          p.add_quality_assurance_types(common::v1::QUALITY_ASSURANCE_TYPE_INTERNAL);
          break;
      }
    }
    policies.push_back(std::move(p));
  }
  return policies;
}

class EndToEnd {
 public:
  explicit EndToEnd(const domain::PolicyProfile& eu) : ecosystem_("bench-recognition", eu) {}

  // The issuing institution publishes a specification and issues the pool of credentials.
  void Issue() {
    issuer_ = Join(kIssuer);
    catalogue::v1::PublishSpecificationRequest publish;
    publish.set_request_id("bench-spec");
    publish.set_local_id("data-literacy");
    *publish.mutable_content() = catalogue::samples::DataLiteracy(kIssuer.id);
    specification_id_ =
        Must(issuer_->catalogue().Publish(StaffOf(kIssuer.id), publish), "publish specification")
            .specification_id();
    const absl::CivilDay yesterday = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 1;
    for (int batch = 0; batch < kPool / 1000; ++batch) {
      issuance::v1::IssueCredentialsRequest request;
      for (int i = batch * 1000; i < (batch + 1) * 1000; ++i) {
        issuance::v1::IssueCredentialRequest& r = *request.add_rows();
        r.set_request_id("bench-award-" + std::to_string(i));
        r.set_specification_id(specification_id_);
        r.mutable_learner()->set_learner_id(Learner(i));
        r.mutable_learner()->set_given_name("Ana");
        r.mutable_learner()->set_family_name("Andromeda");
        *r.mutable_issued_on() = domain::ToDate(yesterday);
        r.set_place_of_issuing("Louvain-la-Neuve");
        r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
        r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
      }
      auto issued = Must(issuer_->issuance().IssueMany(StaffOf(kIssuer.id), request), "issue");
      if (issued.issued() != 1000) {
        std::fprintf(stderr, "issue: %d rows refused: %s\n", issued.refused(),
                     issued.results(0).message().c_str());
        std::exit(1);
      }
      for (const auto& row : issued.results()) pool_.push_back(row.credential().jws());
    }
    // Only the receiving node runs while it is measured: the issuer's events are in the log.
    issuer_.reset();
  }

  size_t signing_input_bytes() const { return pool_.front().rfind('.'); }

  // A new receiving institution with `count` policies; every request presents one credential
  // of the pool and must be decided at once, by the last policy.
  void Run(int count) {
    const ::microcred::Institution receiver{"ulb-" + std::to_string(count),
                                            "Université libre de Bruxelles"};
    std::unique_ptr<Node> node = Join(receiver);
    const auth::Caller officer{.subject = "officer-anne",
                               .institution_id = receiver.id,
                               .roles = {auth::roles::kRecognitionOfficer}};
    const auto policies = ReceiverPolicies(receiver.id, count, kIssuer.id, specification_id_);
    const Clock::time_point publish_start = Clock::now();
    for (const v1::RecognitionPolicy& p : policies) {
      v1::PublishPolicyRequest publish;
      publish.set_client_request_id("publish-" + p.policy_id().substr(receiver.id.size() + 1));
      *publish.mutable_policy() = p;
      Must(node->recognition().PublishPolicy(officer, publish), "publish policy");
    }
    const double publish_seconds = bench::SecondsSince(publish_start);
    if (!node->issuance().projector().Sync(absl::Seconds(60)).ok()) std::exit(1);
    const std::string matching = policies.back().policy_id();

    // One client: the latency of a decision; the first request also builds the policy index.
    std::vector<double> micros;
    micros.reserve(kPool / 2);
    const Clock::time_point start = Clock::now();
    for (int i = 0; i < kPool / 2; ++i) {
      const Clock::time_point t0 = Clock::now();
      Submit(*node, receiver.id, i, matching);
      micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    const double one_client = (kPool / 2) / bench::SecondsSince(start);

    // Several clients, the other half of the pool.
    std::atomic<int> next{kPool / 2};
    const Clock::time_point concurrent_start = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kClientThreads; ++t) {
      threads.emplace_back([&] {
        for (int i; (i = next++) < kPool;) Submit(*node, receiver.id, i, matching);
      });
    }
    for (std::thread& thread : threads) thread.join();
    const double concurrent = (kPool / 2) / bench::SecondsSince(concurrent_start);

    // VerifyCredential alone, on the same JWS, over the same node's read models.
    size_t next_jws = 0;
    const double verify_rate = bench::RatePerSecond(1.0, [&] {
      issuance::v1::VerifyCredentialRequest request;
      request.set_jws(pool_[next_jws]);
      next_jws = (next_jws + 1) % pool_.size();
      if (!node->issuance().Verify(request).valid()) std::abort();
    });
    double mean = 0;
    for (double m : micros) mean += m;
    mean /= static_cast<double>(micros.size());
    const double p50 = bench::Percentile(micros, 50);

    bench::Section(std::to_string(count) + " policies, the matching one ranked last (" +
                   std::to_string(count) + ")");
    bench::Row("policies published (one PublishPolicy call each)", count / publish_seconds, "/s");
    bench::Row("automatic decisions, one client", one_client, "/s");
    bench::LatencyRows("SubmitRequest latency (decided automatically)", micros);
    bench::Row("  mean", mean, "us");
    bench::Row("automatic decisions, " + std::to_string(kClientThreads) + " clients", concurrent,
               "/s");
    bench::Row("VerifyCredential alone, same JWS, this node's read models", verify_rate, "/s");
    bench::Row("  per call", 1e6 / verify_rate, "us");
    bench::Row("  share of a decision's p50 latency", 100 * (1e6 / verify_rate) / p50, "%");
    node.reset();
  }

 private:
  static inline const ::microcred::Institution kIssuer{"uclouvain",
                                                       "Université catholique de Louvain"};

  static std::string Learner(int i) { return "L-" + std::to_string(i); }

  std::unique_ptr<Node> Join(const ::microcred::Institution& institution) {
    logs_.push_back(log_.Share());
    stores_.push_back(std::make_unique<MemoryStateStore>());
    return Must(ecosystem_.Join(*logs_.back(), *stores_.back(), institution),
                "join " + institution.id);
  }

  // The learner who holds credential `i` asks the receiving node to recognise it.
  void Submit(Node& node, const std::string& receiver, int i, const std::string& matching) {
    const auth::Caller learner{
        .subject = Learner(i), .institution_id = receiver, .roles = {auth::roles::kLearner}};
    v1::SubmitRequestRequest r;
    r.set_client_request_id("bench-" + std::to_string(i));
    r.set_purpose(v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
    r.mutable_target()->mutable_component()->set_programme_id(receiver + "/master-data");
    r.mutable_target()->mutable_component()->set_component_id("STAT0001");
    r.add_credential_jws(pool_[static_cast<size_t>(i)]);
    const v1::RecognitionRequest request = Must(node.recognition().Submit(learner, r), "submit");
    if (request.state() != v1::REQUEST_STATE_DECIDED ||
        request.decision().decided_by_policy() != matching) {
      std::fprintf(stderr, "request %d not decided by %s: %s / %s\n", i, matching.c_str(),
                   request.credentials(0).failed_detail().c_str(),
                   request.DebugString().substr(0, 2000).c_str());
      std::exit(1);
    }
  }

  MemoryEventLog log_;
  std::vector<std::unique_ptr<MemoryEventLog>> logs_;
  std::vector<std::unique_ptr<MemoryStateStore>> stores_;
  LocalEcosystem ecosystem_;
  std::unique_ptr<Node> issuer_;
  std::string specification_id_;
  std::vector<std::string> pool_;
};

}  // namespace
}  // namespace microcred::recognition

int main() {
  if (!microcred::crypto::InitCrypto().ok()) return 1;
  std::printf("# recognition: automatic decisions, pure domain (one core)\n");
  for (int count : {10, 100, 1000}) microcred::recognition::Run(count);

  std::printf(
      "\n# recognition: automatic decisions end to end, through the RecognitionService of a node "
      "on the in-memory engines (%u hardware threads)\n",
      std::thread::hardware_concurrency());
  const auto eu = microcred::bench::Must(microcred::domain::PolicyProfile::Named("eu"), "eu");
  microcred::recognition::EndToEnd end_to_end(eu);
  end_to_end.Issue();
  std::printf("%d credentials issued by uclouvain's node; one request per credential\n",
              microcred::recognition::kPool);
  microcred::recognition::RawEd25519Verifications(end_to_end.signing_input_bytes());
  for (int count : {10, 100, 1000}) end_to_end.Run(count);
  return 0;
}
