// Metrics: what a process counts and times, in the Prometheus text exposition format (0.0.4),
// for its /metrics endpoint.
//
//   Counter& calls = registry.GetCounter("mc_grpc_requests_total", "gRPC calls answered",
//                                        {{"method", "/x.y/Z"}, {"code", "OK"}});
//   calls.Increment();
//   registry.AddCollector([&](Exposition& out) {        // values read at scrape time
//     out.Gauge("mc_consumer_lag", "records not yet applied", {{"projection", "catalogue"}}, 3);
//   });
//   std::string text = registry.Render();
//
// Counters and histograms are created once per (name, labels) and live as long as the
// registry; Increment and Observe are lock-free. Collectors run, in the order added, on every
// Render. Names follow Prometheus' rules ([a-zA-Z_:][a-zA-Z0-9_:]*); label values are escaped.
// Thread-safe.
#ifndef MICROCRED_LIBS_METRICS_METRICS_H_
#define MICROCRED_LIBS_METRICS_METRICS_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace microcred::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Increment(int64_t by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Durations in seconds, in fixed buckets from 0.5 ms to 10 s.
class Histogram {
 public:
  static constexpr double kBounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                       0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  static constexpr size_t kBuckets = std::size(kBounds);

  void Observe(double seconds);

  struct Snapshot {
    std::vector<int64_t> cumulative;  // per bound, then +Inf
    double sum = 0;
    int64_t count = 0;
  };
  Snapshot Read() const;

 private:
  std::atomic<int64_t> counts_[kBuckets + 1] = {};
  std::atomic<int64_t> sum_micros_{0};
};

// What Render writes: families in the order first written, each with its HELP and TYPE once.
class Exposition {
 public:
  void Counter(const std::string& name, const std::string& help, const Labels& labels,
               double value);
  void Gauge(const std::string& name, const std::string& help, const Labels& labels, double value);
  void Histogram(const std::string& name, const std::string& help, const Labels& labels,
                 const Histogram::Snapshot& snapshot);

  std::string Text() const;

 private:
  struct Family {
    std::string help;
    std::string type;
    std::vector<std::string> samples;
  };
  Family& FamilyOf(const std::string& name, const std::string& help, const std::string& type);

  std::vector<std::string> order_;
  std::map<std::string, Family> families_;
};

class Registry {
 public:
  Counter& GetCounter(const std::string& name, const std::string& help, const Labels& labels);
  Histogram& GetHistogram(const std::string& name, const std::string& help, const Labels& labels);
  void AddCollector(std::function<void(Exposition&)> collector);

  std::string Render() const;

 private:
  template <typename T>
  struct Series {
    std::string name;
    std::string help;
    Labels labels;
    std::unique_ptr<T> value;
  };

  mutable std::mutex mu_;
  std::map<std::string, Series<metrics::Counter>> counters_;  // by name + labels
  std::map<std::string, Series<metrics::Histogram>> histograms_;
  std::vector<std::function<void(Exposition&)>> collectors_;
};

// "name{a=\"x\",b=\"y\"}": the sample's series, with label values escaped.
std::string SeriesName(const std::string& name, const Labels& labels);

}  // namespace microcred::metrics

#endif  // MICROCRED_LIBS_METRICS_METRICS_H_
