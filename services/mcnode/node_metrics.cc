#include "services/mcnode/node_metrics.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace microcred {

absl::StatusOr<AppendResult> MeteredEventLog::Append(const AppendRequest& request) {
  auto appended = log_.Append(request);
  if (appended.ok()) Count(request.topic, 1);
  return appended;
}

absl::StatusOr<std::vector<AppendResult>> MeteredEventLog::AppendBatch(
    const std::vector<AppendRequest>& requests) {
  auto appended = log_.AppendBatch(requests);
  if (!appended.ok()) return appended;
  std::map<std::string, int64_t> per_topic;
  for (const AppendRequest& request : requests) ++per_topic[request.topic];
  for (const auto& [topic, records] : per_topic) Count(topic, records);
  return appended;
}

void MeteredEventLog::Count(const std::string& topic, int64_t records) {
  registry_
      .GetCounter("mc_events_produced_total", "records this process appended to the log",
                  {{"topic", topic}})
      .Increment(records);
}

namespace {

// An ecosystem's log's end offsets (nullopt when it cannot be reached).
struct EcosystemEnds {
  std::string ecosystem;
  std::optional<LogPositions> ends;
};

void Report(Projector& projector, const std::vector<EcosystemEnds>& ends,
            metrics::Exposition& out) {
  const std::string name = projector.name();
  const Projector::Counters counters = projector.counters();
  int64_t refused = 0;
  for (const auto& [reason, count] : counters.refused_by_reason) {
    out.Counter("mc_dead_letters_total", "events refused to the dead-letter topic, by reason",
                {{"projection", name}, {"reason", reason}}, static_cast<double>(count));
    refused += count;
  }
  const char* help = "events this process's consumers took from the log, by outcome";
  out.Counter("mc_events_consumed_total", help, {{"projection", name}, {"outcome", "applied"}},
              static_cast<double>(counters.applied));
  out.Counter("mc_events_consumed_total", help, {{"projection", name}, {"outcome", "duplicate"}},
              static_cast<double>(counters.duplicates_skipped));
  out.Counter("mc_events_consumed_total", help, {{"projection", name}, {"outcome", "refused"}},
              static_cast<double>(refused));
  for (const EcosystemEnds& log : ends) {
    if (!log.ends) continue;
    for (const auto& [topic, records] : projector.Lag(log.ecosystem, *log.ends)) {
      out.Gauge("mc_consumer_lag", "records in the log this consumer has not applied yet",
                {{"projection", name}, {"ecosystem", log.ecosystem}, {"topic", topic}},
                static_cast<double>(records));
    }
  }
}

// `log`'s end offsets of every topic the projectors consume, each topic read once; nullopt
// when the log cannot be reached (then no lag is reported for it rather than a wrong one).
std::optional<LogPositions> EndsOf(const std::vector<Projector*>& projectors, EventLog& log) {
  std::set<std::string> topics;
  for (Projector* projector : projectors) {
    for (std::string& topic : projector->ConsumedTopics()) topics.insert(std::move(topic));
  }
  LogPositions ends;
  for (const std::string& topic : topics) {
    auto end = log.EndPositions(topic);
    if (!end.ok()) return std::nullopt;
    ends.insert(end->begin(), end->end());
  }
  return ends;
}

}  // namespace

void AddConsumerMetrics(Node& node, metrics::Registry& registry) {
  registry.AddCollector([&node](metrics::Exposition& out) {
    const std::vector<Projector*> projectors = node.projectors();
    std::vector<EcosystemEnds> ends;
    for (const JoinedEcosystem& ecosystem : node.ecosystems()) {
      ends.push_back({ecosystem.id, EndsOf(projectors, *ecosystem.log)});
    }
    for (Projector* projector : projectors) Report(*projector, ends, out);
  });
}

}  // namespace microcred
