#include "services/mcnode/node_grpc.h"

#include <utility>

namespace microcred {

host::ServiceHostOptions NodeGrpcOptions(std::string listen_address, metrics::Registry* metrics) {
  return {.listen_address = std::move(listen_address),
          .max_receive_bytes = kMaxRequestBytes,
          .max_send_bytes = kMaxResponseBytes,
          .memory_quota_bytes = size_t{32} << 20,
          .metrics = metrics};
}

host::ServiceHostOptions BulkGrpcOptions(std::string listen_address, metrics::Registry* metrics) {
  // Two cohorts at once (mcctl keeps two batches in flight) fit the quota; few threads, since
  // each parses up to kMaxBulkRequestBytes before the token is read.
  return {.listen_address = std::move(listen_address),
          .max_receive_bytes = kMaxBulkRequestBytes,
          .max_send_bytes = kMaxResponseBytes,
          .memory_quota_bytes = size_t{48} << 20,
          .max_threads = 4,
          .metrics = metrics};
}

}  // namespace microcred
