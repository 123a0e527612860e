#include "services/mcnode/metrics_http.h"

#include <httplib.h>

#include "services/mcnode/http_serving.h"

namespace microcred {

MetricsHttp::MetricsHttp(const metrics::Registry& registry, HttpLimits limits)
    : server_(std::make_unique<BoundedHttpServer>(std::move(limits))) {
  server_->Get("/metrics", [&registry](const httplib::Request&, httplib::Response& response) {
    response.set_content(registry.Render(), kPrometheusTextType);
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
}

MetricsHttp::~MetricsHttp() { Stop(); }

absl::Status MetricsHttp::Start(const std::string& host, int port) {
  auto bound = ServeInBackground(*server_, host, port, thread_, "--metrics");
  if (!bound.ok()) return bound.status();
  port_ = *bound;
  return absl::OkStatus();
}

void MetricsHttp::Stop() { StopServing(*server_, thread_); }

}  // namespace microcred
