#include "libs/metrics/grpc_metrics.h"

#include <chrono>

#include "absl/status/status.h"

namespace microcred::metrics {
namespace {

using grpc::experimental::InterceptionHookPoints;

class CallMetrics : public grpc::experimental::Interceptor {
 public:
  CallMetrics(Registry& registry, std::string method)
      : registry_(registry), method_(std::move(method)), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const std::string code =
          absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()));
      registry_
          .GetCounter("mc_grpc_requests_total", "gRPC calls answered, by final status code",
                      {{"method", method_}, {"code", code}})
          .Increment();
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      registry_
          .GetHistogram("mc_grpc_request_duration_seconds",
                        "gRPC call latency, from its start to its status", {{"method", method_}})
          .Observe(elapsed.count());
    }
    methods->Proceed();
  }

 private:
  Registry& registry_;
  std::string method_;
  std::chrono::steady_clock::time_point start_;
};

class CallMetricsFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallMetricsFactory(Registry& registry) : registry_(registry) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallMetrics(registry_, info->method());
  }

 private:
  Registry& registry_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> GrpcMetricsInterceptors(
    Registry& registry) {
  return std::make_unique<CallMetricsFactory>(registry);
}

}  // namespace microcred::metrics
