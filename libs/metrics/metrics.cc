#include "libs/metrics/metrics.h"

#include <cmath>
#include <sstream>

namespace microcred::metrics {
namespace {

std::string Escaped(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Number(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}

}  // namespace

std::string SeriesName(const std::string& name, const Labels& labels) {
  if (labels.empty()) return name;
  std::string out = name + "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ",";
    out += labels[i].first + "=\"" + Escaped(labels[i].second) + "\"";
  }
  return out + "}";
}

void Histogram::Observe(double seconds) {
  size_t bucket = 0;
  while (bucket < kBuckets && seconds > kBounds[bucket]) ++bucket;
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<int64_t>(seconds * 1e6), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot out;
  int64_t running = 0;
  for (size_t i = 0; i <= kBuckets; ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    out.cumulative.push_back(running);
  }
  out.count = running;
  out.sum = static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
  return out;
}

Exposition::Family& Exposition::FamilyOf(const std::string& name, const std::string& help,
                                         const std::string& type) {
  auto [it, added] = families_.try_emplace(name, Family{help, type, {}});
  if (added) order_.push_back(name);
  return it->second;
}

void Exposition::Counter(const std::string& name, const std::string& help, const Labels& labels,
                         double value) {
  FamilyOf(name, help, "counter").samples.push_back(SeriesName(name, labels) + " " + Number(value));
}

void Exposition::Gauge(const std::string& name, const std::string& help, const Labels& labels,
                       double value) {
  FamilyOf(name, help, "gauge").samples.push_back(SeriesName(name, labels) + " " + Number(value));
}

void Exposition::Histogram(const std::string& name, const std::string& help, const Labels& labels,
                           const Histogram::Snapshot& snapshot) {
  Family& family = FamilyOf(name, help, "histogram");
  for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
    Labels with_le = labels;
    with_le.emplace_back(
        "le", i < metrics::Histogram::kBuckets ? Number(metrics::Histogram::kBounds[i]) : "+Inf");
    family.samples.push_back(SeriesName(name + "_bucket", with_le) + " " +
                             std::to_string(snapshot.cumulative[i]));
  }
  family.samples.push_back(SeriesName(name + "_sum", labels) + " " + Number(snapshot.sum));
  family.samples.push_back(SeriesName(name + "_count", labels) + " " +
                           std::to_string(snapshot.count));
}

std::string Exposition::Text() const {
  std::string out;
  for (const std::string& name : order_) {
    const Family& family = families_.at(name);
    out += "# HELP " + name + " " + family.help + "\n# TYPE " + name + " " + family.type + "\n";
    for (const std::string& sample : family.samples) out += sample + "\n";
  }
  return out;
}

Counter& Registry::GetCounter(const std::string& name, const std::string& help,
                              const Labels& labels) {
  std::lock_guard lock(mu_);
  auto [it, added] = counters_.try_emplace(SeriesName(name, labels));
  if (added) it->second = {name, help, labels, std::make_unique<metrics::Counter>()};
  return *it->second.value;
}

Histogram& Registry::GetHistogram(const std::string& name, const std::string& help,
                                  const Labels& labels) {
  std::lock_guard lock(mu_);
  auto [it, added] = histograms_.try_emplace(SeriesName(name, labels));
  if (added) it->second = {name, help, labels, std::make_unique<metrics::Histogram>()};
  return *it->second.value;
}

void Registry::AddCollector(std::function<void(Exposition&)> collector) {
  std::lock_guard lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::Render() const {
  Exposition out;
  std::vector<std::function<void(Exposition&)>> collectors;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, series] : counters_) {
      out.Counter(series.name, series.help, series.labels,
                  static_cast<double>(series.value->value()));
    }
    for (const auto& [key, series] : histograms_) {
      out.Histogram(series.name, series.help, series.labels, series.value->Read());
    }
    collectors = collectors_;
  }
  // Outside the lock: a collector may read other state (a store, the log's end offsets).
  for (const auto& collect : collectors) collect(out);
  return out.Text();
}

}  // namespace microcred::metrics
