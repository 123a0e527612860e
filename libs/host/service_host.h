// A gRPC server with what every service process needs: the standard health service
// (grpc.health.v1.Health), bounds on what callers make it hold (message sizes, a memory quota,
// streams and threads), a graceful stop, and, when asked for, server reflection (grpcurl
// without the proto files).
//
//   ServiceHost host({.listen_address = "0.0.0.0:7443"});
//   host.AddService(&catalogue_service);
//   if (absl::Status s = host.Start(); !s.ok()) { ... }
//   auto signals = ShutdownOnSignals(host);  // signal_shutdown.h
//   host.Wait();
//
// Once started, the health status of every registered service, and the overall status "", is
// SERVING; Shutdown() turns them all NOT_SERVING, then stops accepting calls and gives calls
// in flight `shutdown_grace` to finish before cancelling them.
//
// AddService and Start are for the thread that sets the host up; Shutdown, Wait and the
// accessors may be called from any thread, including concurrently.
#ifndef MICROCRED_LIBS_HOST_SERVICE_HOST_H_
#define MICROCRED_LIBS_HOST_SERVICE_HOST_H_

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/support/config.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace grpc {
class Service;
}  // namespace grpc

namespace microcred::metrics {
class Registry;
}  // namespace microcred::metrics

namespace microcred::host {

struct ServiceHostOptions {
  // "host:port"; port 0 binds a free port, which port() then reports.
  std::string listen_address = "127.0.0.1:0";
  // Largest request accepted, in bytes: a larger one is refused RESOURCE_EXHAUSTED by the
  // transport, before any handler parses it or checks its token. gRPC has one such limit per
  // server; a method that needs a larger one gets a host of its own.
  int max_receive_bytes = 1 << 20;
  // Largest response sent, in bytes.
  int max_send_bytes = 4 << 20;
  // What all calls together may hold in the transport (a grpc::ResourceQuota); 0 = no quota.
  // This, not max_receive_bytes, bounds memory: the transport buffers a message whole before
  // the size limit refuses it, so without a quota N oversized calls hold N messages. Near the
  // quota gRPC shrinks flow-control windows and cancels the streams holding the most.
  size_t memory_quota_bytes = size_t{64} << 20;
  // Calls handled at once (threads of the synchronous server); 0 = gRPC's default (no bound).
  // Each call parses its request in its thread, before authorisation.
  int max_threads = 0;
  // Concurrent calls on one connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS).
  int max_concurrent_streams = 100;
  // How long calls in flight may run on after Shutdown() before they are cancelled.
  absl::Duration shutdown_grace = absl::Seconds(5);
  // nullptr means plaintext (grpc::InsecureServerCredentials()); bearer tokens then travel in
  // the clear, so production deployments should terminate TLS here or in front of the node.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // When set, every call is counted and timed into it (libs/metrics/grpc_metrics.h). Must
  // outlive the host.
  metrics::Registry* metrics = nullptr;
  // Serve grpc.reflection.v1alpha.ServerReflection. Off by default: it describes every method
  // and message to anyone who can connect, before any token is checked.
  bool reflection = false;
};

class ServiceHost {
 public:
  explicit ServiceHost(ServiceHostOptions options = {});
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;
  // Shuts down (if still running) and waits for the server to stop.
  ~ServiceHost();

  // Registers a service to serve once started. Not owned: it must outlive this host. Only
  // before Start().
  void AddService(grpc::Service* service);

  // Binds and starts serving. FailedPrecondition if already started or shut down; Unavailable
  // if the address cannot be bound.
  absl::Status Start();

  // The bound port; 0 before Start().
  int port() const;
  // Full names of every service the server registered (yours, health, and reflection if on).
  std::vector<std::string> service_names() const;

  // Idempotent; every caller returns once the server has stopped. Before Start() it only
  // prevents a later Start().
  void Shutdown();
  // Blocks until the server has shut down; returns at once if it never started.
  void Wait();

 private:
  const ServiceHostOptions options_;
  std::vector<grpc::Service*> services_;

  mutable std::mutex mu_;
  std::unique_ptr<grpc::Server> server_;  // set once, by Start()
  int port_ = 0;
  std::vector<std::string> service_names_;
  bool shut_down_ = false;
  std::once_flag shutdown_once_;
};

}  // namespace microcred::host

#endif  // MICROCRED_LIBS_HOST_SERVICE_HOST_H_
