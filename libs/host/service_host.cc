#include "libs/host/service_host.h"

#include <grpc/grpc.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>
#include <grpcpp/impl/server_initializer.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <utility>

#include "absl/strings/str_join.h"
#include "grpc/health/v1/health.pb.h"
#include "libs/host/log.h"
#include "libs/metrics/grpc_metrics.h"

namespace microcred::host {
namespace {

// grpc::Service does not expose its name, but the server knows every registered service by
// name once built; this plugin copies that list out at the end of BuildAndStart().
class ServiceListPlugin : public grpc::ServerBuilderPlugin {
 public:
  explicit ServiceListPlugin(std::vector<std::string>* names) : names_(names) {}
  std::string name() override { return "microcred_service_list"; }
  void InitServer(grpc::ServerInitializer* /*si*/) override {}
  void Finish(grpc::ServerInitializer* si) override { *names_ = *si->GetServiceList(); }
  void ChangeArguments(const std::string& /*name*/, void* /*value*/) override {}
  // The server polls completion queues of its own only when something has synchronous methods,
  // and fails to build without them. Reflection used to be that on every host; a host without
  // it and without services of its own (health only) still serves.
  bool has_sync_methods() const override { return true; }

 private:
  std::vector<std::string>* names_;
};

// Plugins reach a single builder only through a builder option. Loading libgrpc++_reflection
// adds its plugin to every builder of the process (a static initialiser), so the option takes
// that one out and adds reflection back only to a host that asks for it.
class ServiceListOption : public grpc::ServerBuilderOption {
 public:
  ServiceListOption(std::vector<std::string>* names, bool reflection)
      : names_(names), reflection_(reflection) {}
  void UpdateArguments(grpc::ChannelArguments* /*args*/) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    auto reflection = std::make_unique<grpc::reflection::ProtoServerReflectionPlugin>();
    std::erase_if(*plugins,
                  [&reflection](const auto& p) { return p->name() == reflection->name(); });
    if (reflection_) plugins->push_back(std::move(reflection));
    plugins->push_back(std::make_unique<ServiceListPlugin>(names_));
  }

 private:
  std::vector<std::string>* names_;
  const bool reflection_;
};

}  // namespace

ServiceHost::ServiceHost(ServiceHostOptions options) : options_(std::move(options)) {}

ServiceHost::~ServiceHost() {
  Shutdown();
  Wait();
}

void ServiceHost::AddService(grpc::Service* service) { services_.push_back(service); }

absl::Status ServiceHost::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (server_ != nullptr || shut_down_) {
    return absl::FailedPreconditionError("service host: already started or shut down");
  }
  // A process-wide switch read when a builder builds; setting it again is harmless.
  grpc::EnableDefaultHealthCheckService(true);
  // The built-in health service carries no descriptor; touching the generated one links it in,
  // so that reflection can describe grpc.health.v1.Health to clients such as grpcurl.
  grpc::health::v1::HealthCheckRequest::descriptor();

  grpc::ServerBuilder builder;
  std::shared_ptr<grpc::ServerCredentials> credentials =
      options_.credentials ? options_.credentials : grpc::InsecureServerCredentials();
  builder.AddListeningPort(options_.listen_address, credentials, &port_);
  builder.SetMaxReceiveMessageSize(options_.max_receive_bytes);
  builder.SetMaxSendMessageSize(options_.max_send_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options_.max_concurrent_streams);
  // gRPC listens with SO_REUSEPORT by default: a second server of the same user (another node,
  // a restarted one, an HTTP listener) could then bind the same port and take half of its
  // connections. A port is served by one server or by none.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  if (options_.memory_quota_bytes > 0 || options_.max_threads > 0) {
    grpc::ResourceQuota quota("microcred-" + options_.listen_address);
    if (options_.memory_quota_bytes > 0) quota.Resize(options_.memory_quota_bytes);
    if (options_.max_threads > 0) quota.SetMaxThreads(options_.max_threads);
    builder.SetResourceQuota(quota);
  }
  builder.SetOption(std::make_unique<ServiceListOption>(&service_names_, options_.reflection));
  for (grpc::Service* service : services_) builder.RegisterService(service);
  if (options_.metrics != nullptr) {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
    factories.push_back(metrics::GrpcMetricsInterceptors(*options_.metrics));
    builder.experimental().SetInterceptorCreators(std::move(factories));
  }

  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    port_ = 0;
    return absl::UnavailableError("service host: cannot serve on " + options_.listen_address);
  }
  // gRPC creates no default health service on a server whose services are all async.
  if (grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService()) {
    health->SetServingStatus("", true);
    for (const std::string& name : service_names_) health->SetServingStatus(name, true);
  }
  Logger::Info("grpc_server_started", {{"address", options_.listen_address},
                                       {"port", port_},
                                       {"reflection", options_.reflection},
                                       {"services", absl::StrJoin(service_names_, ",")}});
  return absl::OkStatus();
}

int ServiceHost::port() const {
  std::lock_guard<std::mutex> lock(mu_);
  return port_;
}

std::vector<std::string> ServiceHost::service_names() const {
  std::lock_guard<std::mutex> lock(mu_);
  return service_names_;
}

void ServiceHost::Shutdown() {
  grpc::Server* server = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shut_down_ = true;
    server = server_.get();
  }
  if (server == nullptr) return;
  // call_once also makes concurrent callers wait until the server has stopped.
  std::call_once(shutdown_once_, [this, server] {
    Logger::Info("grpc_server_stopping", {{"grace", options_.shutdown_grace}});
    // Health first, so that probes and load balancers stop routing here before calls fail.
    if (grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService()) {
      health->Shutdown();
    }
    server->Shutdown(absl::ToChronoTime(absl::Now() + options_.shutdown_grace));
  });
}

void ServiceHost::Wait() {
  grpc::Server* server = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    server = server_.get();
  }
  if (server != nullptr) server->Wait();
}

}  // namespace microcred::host
