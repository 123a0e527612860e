// Counts and times every gRPC call a server answers, into a metrics::Registry:
//   mc_grpc_requests_total{method,code}          calls answered, by final status code
//   mc_grpc_request_duration_seconds{method}     from the call's start to its status
// `method` is the path of a method the server registered; calls to any other path (which gRPC
// answers UNIMPLEMENTED) share the one label "unknown", so callers cannot add series.
// Install with ServiceHostOptions::metrics (libs/host/service_host.h).
#ifndef MICROCRED_LIBS_METRICS_GRPC_METRICS_H_
#define MICROCRED_LIBS_METRICS_GRPC_METRICS_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "libs/metrics/metrics.h"

namespace microcred::metrics {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> GrpcMetricsInterceptors(
    Registry& registry);

}  // namespace microcred::metrics

#endif  // MICROCRED_LIBS_METRICS_GRPC_METRICS_H_
