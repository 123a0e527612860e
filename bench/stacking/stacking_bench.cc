// Stacking benchmark: exact evaluation latency against the number of credentials and
// requirements, and suggestion latency over a generated 100,000-specification catalogue.
// Targets (issue): evaluation p99 <= 1 ms for 200 credentials and 30 requirements on one core;
// suggestions <= 50 ms over 100,000 specifications.
//
// Usage: stacking_bench [runs per figure, default 200]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/support/bench_util.h"
#include "services/stacking/evaluation.h"
#include "services/stacking/suggestions.h"
#include "services/stacking/testing/generators.h"

namespace microcred::stacking {
namespace {

using bench::Clock;
using bench::LatencyRows;
using bench::Percentile;
using bench::Row;
using bench::Section;

const EvaluationContext kContext{.evaluation_date = absl::CivilDay(2025, 6, 1),
                                 .search_budget = 200'000};

struct Figures {
  std::vector<double> micros;
  int satisfied = 0;
  int not_optimal = 0;
};

// Each run draws a new learner (and, every run, a new pathway of the same shape).
Figures EvaluateRuns(int credentials, int requirements, int runs, bool caps) {
  Figures f;
  const testing::Shape shape{.requirements = requirements, .caps = caps};
  for (int run = 0; run < runs; ++run) {
    const v1::Pathway pathway = testing::RealisticPathway(run, shape);
    const auto held = testing::RealisticCredentials(1000 + run, credentials, shape);
    const auto start = Clock::now();
    absl::StatusOr<v1::EvaluationResult> r = Evaluate(pathway, held, kContext);
    f.micros.push_back(bench::SecondsSince(start) * 1e6);
    if (!r.ok()) {
      std::fprintf(stderr, "evaluation failed: %s\n", r.status().ToString().c_str());
      std::exit(1);
    }
    f.satisfied += r->satisfied() ? 1 : 0;
    f.not_optimal += r->optimal() ? 0 : 1;
  }
  return f;
}

void Verdict(const std::string& what, bool met) {
  std::printf("  %-58s %12s\n", what.c_str(), met ? "MET" : "NOT MET");
}

int Main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 200;
  double target_p99 = 0;
  for (bool caps : {false, true}) {
    Section(caps ? "Evaluation latency, root caps (external, per issuer) often binding"
                 : "Evaluation latency, no caps (exact tree DP, else branch and bound; one core)");
    for (int requirements : {5, 30, 100}) {
      for (int credentials : {10, 100, 200, 1000, 10000}) {
        const int n = credentials >= 10000  ? std::max(3, runs / 40)
                      : credentials >= 1000 ? std::max(5, runs / 10)
                                            : runs;
        Figures f = EvaluateRuns(credentials, requirements, n, caps);
        const std::string label =
            std::to_string(credentials) + " credentials, " + std::to_string(requirements) + " req";
        LatencyRows(label, f.micros);
        if (f.not_optimal > 0) Row(label + " runs stopped at budget", f.not_optimal, "runs");
        if (requirements == 30 && credentials == 200) {
          if (!caps) target_p99 = Percentile(f.micros, 99);
          Row(label + " satisfied", 100.0 * f.satisfied / n, "%");
        }
      }
    }
  }

  Section("Suggestions over a generated catalogue");
  const testing::Shape shape{.requirements = 30, .caps = false};
  const auto catalogue = testing::RealisticCatalogue(7, 100'000, shape);
  auto start = Clock::now();
  const CatalogueIndex index(catalogue);
  Row("index 100,000 specifications", bench::SecondsSince(start) * 1e3, "ms");
  std::vector<double> suggest_micros;
  int completes = 0, not_optimal = 0;
  const int suggest_runs = std::max(10, runs / 10);
  for (int run = 0; run < suggest_runs; ++run) {
    const v1::Pathway pathway = testing::RealisticPathway(run, shape);
    const auto held = testing::RealisticCredentials(2000 + run, 50, shape);
    start = Clock::now();
    absl::StatusOr<v1::Suggestion> s = Suggest(pathway, held, index, kContext);
    suggest_micros.push_back(bench::SecondsSince(start) * 1e6);
    if (!s.ok()) return 1;
    completes += s->completes_pathway() ? 1 : 0;
    not_optimal += s->optimal() ? 0 : 1;
  }
  LatencyRows("suggest, 50 held, 30 req, 100,000 specifications", suggest_micros);
  Row("suggestions that complete the pathway", 100.0 * completes / suggest_runs, "%");
  if (not_optimal > 0) Row("suggestions stopped at budget", not_optimal, "runs");

  Section("Targets");
  Verdict("evaluation p99 <= 1 ms (200 credentials, 30 req, no caps)", target_p99 <= 1000);
  Verdict("suggestion p99 <= 50 ms (100,000 specifications)",
          Percentile(suggest_micros, 99) <= 50'000);
  return 0;
}

}  // namespace
}  // namespace microcred::stacking

int main(int argc, char** argv) { return microcred::stacking::Main(argc, argv); }
