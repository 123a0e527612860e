#include "services/mcnode/metrics_http.h"

#include <httplib.h>

namespace microcred {

MetricsHttp::MetricsHttp(const metrics::Registry& registry)
    : server_(std::make_unique<httplib::Server>()) {
  server_->Get("/metrics", [&registry](const httplib::Request&, httplib::Response& response) {
    response.set_content(registry.Render(), kPrometheusTextType);
  });
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
}

MetricsHttp::~MetricsHttp() { Stop(); }

absl::Status MetricsHttp::Start(const std::string& host, int port) {
  port_ =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) {
    return absl::UnavailableError("metrics: cannot bind " + host + ":" + std::to_string(port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return absl::OkStatus();
}

void MetricsHttp::Stop() {
  if (!thread_.joinable()) return;
  server_->stop();
  thread_.join();
}

}  // namespace microcred
