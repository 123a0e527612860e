#include "libs/metrics/metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace microcred::metrics {
namespace {

bool Has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(MetricsTest, CountersRenderWithHelpTypeAndLabels) {
  Registry registry;
  registry.GetCounter("mc_events_total", "events", {{"topic", "a"}}).Increment(2);
  registry.GetCounter("mc_events_total", "events", {{"topic", "a"}}).Increment();
  registry.GetCounter("mc_events_total", "events", {{"topic", "b"}});
  const std::string text = registry.Render();
  EXPECT_TRUE(Has(text, "# HELP mc_events_total events")) << text;
  EXPECT_TRUE(Has(text, "# TYPE mc_events_total counter")) << text;
  EXPECT_TRUE(Has(text, "mc_events_total{topic=\"a\"} 3")) << text;
  EXPECT_TRUE(Has(text, "mc_events_total{topic=\"b\"} 0")) << text;
  EXPECT_EQ(text.find("# TYPE mc_events_total"), text.rfind("# TYPE mc_events_total"));
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Registry registry;
  Histogram& latency = registry.GetHistogram("mc_latency_seconds", "latency", {{"m", "x"}});
  latency.Observe(0.0002);  // first bucket
  latency.Observe(0.003);   // le=0.005
  latency.Observe(42);      // only +Inf
  const std::string text = registry.Render();
  EXPECT_TRUE(Has(text, "# TYPE mc_latency_seconds histogram")) << text;
  EXPECT_TRUE(Has(text, "mc_latency_seconds_bucket{m=\"x\",le=\"0.0005\"} 1")) << text;
  EXPECT_TRUE(Has(text, "mc_latency_seconds_bucket{m=\"x\",le=\"0.0025\"} 1")) << text;
  EXPECT_TRUE(Has(text, "mc_latency_seconds_bucket{m=\"x\",le=\"0.005\"} 2")) << text;
  EXPECT_TRUE(Has(text, "mc_latency_seconds_bucket{m=\"x\",le=\"10\"} 2")) << text;
  EXPECT_TRUE(Has(text, "mc_latency_seconds_bucket{m=\"x\",le=\"+Inf\"} 3")) << text;
  EXPECT_TRUE(Has(text, "mc_latency_seconds_count{m=\"x\"} 3")) << text;
  EXPECT_TRUE(Has(text, "mc_latency_seconds_sum{m=\"x\"} 42.0032")) << text;
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  EXPECT_EQ(SeriesName("m", {{"path", "a\"b\\c\nd"}}), "m{path=\"a\\\"b\\\\c\\nd\"}");
  EXPECT_EQ(SeriesName("m", {}), "m");
}

TEST(MetricsTest, CollectorsRunAtEveryRenderAndGroupTheirFamilies) {
  Registry registry;
  int lag = 5;
  registry.AddCollector([&](Exposition& out) {
    out.Gauge("mc_consumer_lag", "lag", {{"projection", "catalogue"}}, lag);
    out.Counter("mc_dead_letters_total", "refused", {{"reason", "BAD_SIGNATURE"}}, 1);
    out.Gauge("mc_consumer_lag", "lag", {{"projection", "issuance"}}, 0);
  });
  std::string text = registry.Render();
  EXPECT_TRUE(Has(text, "mc_consumer_lag{projection=\"catalogue\"} 5")) << text;
  // Both lag samples sit together, under one HELP and TYPE.
  const size_t catalogue = text.find("mc_consumer_lag{projection=\"catalogue\"}");
  const size_t issuance = text.find("mc_consumer_lag{projection=\"issuance\"}");
  const size_t dead = text.find("# HELP mc_dead_letters_total");
  EXPECT_LT(catalogue, issuance);
  EXPECT_LT(issuance, dead) << text;
  lag = 0;
  text = registry.Render();
  EXPECT_TRUE(Has(text, "mc_consumer_lag{projection=\"catalogue\"} 0")) << text;
}

TEST(MetricsTest, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  Counter& counter = registry.GetCounter("mc_calls_total", "calls", {});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) counter.Increment();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.value(), 40000);
  EXPECT_TRUE(Has(registry.Render(), "mc_calls_total 40000"));
}

}  // namespace
}  // namespace microcred::metrics
