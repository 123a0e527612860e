#include "libs/metrics/grpc_metrics.h"

#include <google/protobuf/descriptor.h>

#include <array>
#include <chrono>
#include <mutex>

#include "absl/container/node_hash_map.h"
#include "absl/status/status.h"

namespace microcred::metrics {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr char kCallsName[] = "mc_grpc_requests_total";
constexpr char kCallsHelp[] = "gRPC calls answered, by final status code";
constexpr int kStatusCodes = 17;  // OK to UNAUTHENTICATED
constexpr char kUnknownMethod[] = "unknown";

// Whether `method` ("/package.Service/Method") is one a server can have registered. A call
// reaches an interceptor with a unary or one-sided streaming type only through a registered
// method; every path no service registers arrives as a bidirectional stream (gRPC's unknown-
// method handler), so for those the path must name a bidirectional method this program was
// built with (reflection's). What a caller chooses can then never add a series.
bool IsRegisteredMethod(const grpc::experimental::ServerRpcInfo& info) {
  using Type = grpc::experimental::ServerRpcInfo::Type;
  if (info.type() != Type::BIDI_STREAMING) return true;
  std::string_view path = info.method();
  if (path.size() < 4 || path.front() != '/') return false;
  path.remove_prefix(1);
  const size_t slash = path.find('/');
  if (slash == std::string_view::npos) return false;
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(path.substr(0, slash)));
  if (service == nullptr) return false;
  const google::protobuf::MethodDescriptor* method =
      service->FindMethodByName(std::string(path.substr(slash + 1)));
  return method != nullptr && method->client_streaming() && method->server_streaming();
}

// One method's series, found once per call: the latency histogram, and the call counter of each
// status code, registered when that code is first answered. After that a call takes no lock.
class MethodMetrics {
 public:
  MethodMetrics(Registry& registry, std::string method)
      : registry_(registry),
        method_(std::move(method)),
        latency_(registry.GetHistogram("mc_grpc_request_duration_seconds",
                                       "gRPC call latency, from its start to its status",
                                       {{"method", method_}})) {}

  void Answered(grpc::StatusCode code, double seconds) {
    const int index = code >= 0 && code < kStatusCodes ? code : static_cast<int>(grpc::UNKNOWN);
    Counter* calls = calls_[index].load(std::memory_order_acquire);
    if (calls == nullptr) {
      // The registry hands out one counter per series: racing threads get the same one.
      calls = &registry_.GetCounter(
          kCallsName, kCallsHelp,
          {{"method", method_},
           {"code", absl::StatusCodeToString(static_cast<absl::StatusCode>(index))}});
      calls_[index].store(calls, std::memory_order_release);
    }
    calls->Increment();
    latency_.Observe(seconds);
  }

 private:
  Registry& registry_;
  const std::string method_;
  Histogram& latency_;
  std::array<std::atomic<Counter*>, kStatusCodes> calls_{};
};

class CallMetrics : public grpc::experimental::Interceptor {
 public:
  explicit CallMetrics(MethodMetrics& method)
      : method_(method), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      method_.Answered(methods->GetSendStatus().error_code(), elapsed.count());
    }
    methods->Proceed();
  }

 private:
  MethodMetrics& method_;
  std::chrono::steady_clock::time_point start_;
};

class CallMetricsFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CallMetricsFactory(Registry& registry) : registry_(registry) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new CallMetrics(ForMethod(IsRegisteredMethod(*info) ? info->method() : kUnknownMethod));
  }

 private:
  MethodMetrics& ForMethod(const char* method) {
    std::lock_guard lock(mu_);
    auto it = methods_.find(method);
    if (it == methods_.end()) it = methods_.try_emplace(method, registry_, method).first;
    return it->second;
  }

  Registry& registry_;
  std::mutex mu_;
  // Node-based: the interceptors of calls in flight hold references into it.
  absl::node_hash_map<std::string, MethodMetrics> methods_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> GrpcMetricsInterceptors(
    Registry& registry) {
  return std::make_unique<CallMetricsFactory>(registry);
}

}  // namespace microcred::metrics
