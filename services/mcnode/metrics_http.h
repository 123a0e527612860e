// MetricsHttp: a process's own small HTTP listener for Prometheus and probes (--metrics):
//   GET /metrics   the registry, in the Prometheus text format
//   GET /healthz   "ok" while the process serves
// Every node process can have one, whatever it serves. It is a listener of its own because the
// public HTTP faces the Internet and metrics are for the operators' Prometheus only.
#ifndef MICROCRED_SERVICES_MCNODE_METRICS_HTTP_H_
#define MICROCRED_SERVICES_MCNODE_METRICS_HTTP_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "libs/metrics/metrics.h"
#include "services/mcnode/http_serving.h"

namespace microcred {

// The media type of the Prometheus text exposition format.
inline constexpr char kPrometheusTextType[] = "text/plain; version=0.0.4; charset=utf-8";

class MetricsHttp {
 public:
  // Bodies are refused (its routes are GETs); requests have the public HTTP's deadlines.
  explicit MetricsHttp(const metrics::Registry& registry,
                       HttpLimits limits = {.threads = 2, .max_waiting = 64});
  ~MetricsHttp();

  // Binds `host`:`port` (0 = a free port) and serves in a background thread.
  absl::Status Start(const std::string& host, int port);
  int port() const { return port_; }
  void Stop();

 private:
  std::unique_ptr<BoundedHttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_METRICS_HTTP_H_
