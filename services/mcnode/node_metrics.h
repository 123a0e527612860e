// What a node process reports at /metrics, beside its gRPC calls (libs/metrics/grpc_metrics.h):
//   mc_events_produced_total{topic}                  records this process appended
//   mc_events_consumed_total{projection,outcome}     applied, duplicate, refused
//   mc_dead_letters_total{projection,reason}         refusals, by reason code
//   mc_consumer_lag{projection,ecosystem,topic}      records in the ecosystem's log not applied
//                                                    yet
#ifndef MICROCRED_SERVICES_MCNODE_NODE_METRICS_H_
#define MICROCRED_SERVICES_MCNODE_NODE_METRICS_H_

#include <memory>

#include "libs/metrics/metrics.h"
#include "libs/ports/event_log.h"
#include "services/mcnode/node.h"

namespace microcred {

// An EventLog that counts the records appended through it, per topic, and passes everything
// on to `log` (which must outlive it).
class MeteredEventLog : public EventLog {
 public:
  MeteredEventLog(EventLog& log, metrics::Registry& registry) : log_(log), registry_(registry) {}

  absl::StatusOr<AppendResult> Append(const AppendRequest& request) override;
  absl::StatusOr<std::vector<AppendResult>> AppendBatch(
      const std::vector<AppendRequest>& requests) override;
  absl::StatusOr<std::unique_ptr<LogReader>> OpenReader(const std::vector<std::string>& topics,
                                                        const LogPositions& from) override {
    return log_.OpenReader(topics, from);
  }
  absl::StatusOr<LogPositions> EndPositions(const std::string& topic) override {
    return log_.EndPositions(topic);
  }

 private:
  void Count(const std::string& topic, int64_t records);

  EventLog& log_;
  metrics::Registry& registry_;
};

// Reports the consumers of every service `node` runs, read at each scrape; their lag in each
// ecosystem the node joined against that ecosystem's log's end offsets, read once per topic and
// log per scrape. `node` and its logs must outlive `registry`'s last Render.
void AddConsumerMetrics(Node& node, metrics::Registry& registry);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_NODE_METRICS_H_
