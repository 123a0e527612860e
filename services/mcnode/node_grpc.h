// The options of a node's gRPC servers: how much an anonymous caller can make a node hold.
//
// Every service's methods are served under NodeGrpcOptions: requests up to kMaxRequestBytes,
// refused RESOURCE_EXHAUSTED by the transport before they are parsed or their token read. Bulk
// issuance (IssuanceService/IssueCredentials: a cohort) is also served alone, under
// BulkGrpcOptions, on a port of its own (--bulk-listen): gRPC has one message limit per server.
// On both, a memory quota bounds what all calls hold together, since the transport buffers a
// message whole before its size is refused. docs/DESIGN.md "Limits at the edges" says why.
#ifndef MICROCRED_SERVICES_MCNODE_NODE_GRPC_H_
#define MICROCRED_SERVICES_MCNODE_NODE_GRPC_H_

#include <string>

#include "libs/host/service_host.h"
#include "libs/metrics/metrics.h"

namespace microcred {

// Any request but a cohort's. The largest legitimate ones are recognition files and stacking
// evaluations with their presented credentials (at most 20, each a compact JWS of a few KiB;
// the services refuse one past 256 KiB): 2 MiB holds 20 of 100 KiB.
inline constexpr int kMaxRequestBytes = 2 << 20;
// A cohort of issuance::IssueCommands::kMaxRows rows, at up to 1.6 KiB a row.
inline constexpr int kMaxBulkRequestBytes = 16 << 20;
// Answers: a cohort's carries every credential (1,000 rows are about 6.5 MiB).
inline constexpr int kMaxResponseBytes = 64 << 20;

// `metrics` may be nullptr; it must outlive the host.
host::ServiceHostOptions NodeGrpcOptions(std::string listen_address, metrics::Registry* metrics);
host::ServiceHostOptions BulkGrpcOptions(std::string listen_address, metrics::Registry* metrics);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_NODE_GRPC_H_
