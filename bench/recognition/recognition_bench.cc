// Automatic recognition without I/O: the policy index and the decision it builds, with 10, 100
// and 1,000 policies of one receiving institution. The end-to-end figure (verification, store,
// event) comes with the service.
//
// The policies are a mix an alliance member could publish: a third name issuers, a sixth an
// issuer group, half apply to any issuer but list five specifications each (an equivalence
// table's shape), with EQF, ECTS, DEQAR and age criteria sprinkled over all of them. The last
// one is a catch-all for any higher-education credential, so that a credential no specific
// policy accepts walks the whole any-issuer list before it matches (or, from a private
// provider, matches nothing): the slow path is most of what is measured.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bench/support/bench_util.h"
#include "services/recognition/automatic_decision.h"
#include "services/recognition/decision_rules.h"
#include "services/recognition/policy_matching.h"
#include "services/recognition/request_lifecycle.h"

namespace microcred::recognition {
namespace {

using bench::Clock;

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
  *f.mutable_issued_on() = ToDate(absl::CivilDay(2020 + pick(5), 1 + pick(12), 1 + pick(28)));
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

}  // namespace
}  // namespace microcred::recognition

int main() {
  std::printf("# recognition: automatic decisions, pure domain (one core)\n");
  for (int count : {10, 100, 1000}) microcred::recognition::Run(count);
  return 0;
}
