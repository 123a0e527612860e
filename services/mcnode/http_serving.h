// Serving a cpp-httplib server on a thread of its own, for the node's HTTP listeners
// (public_http.h, metrics_http.h), with bounds on what a client can make the node hold:
//
//   - a request's headers and body must arrive within `request_deadline` (in total, not per
//     read), and its bytes within a budget: a slow or endless client loses its connection
//     instead of holding a thread (cpp-httplib's own read timeout is per read);
//   - a body larger than its route's limit is refused 413 from its Content-Length, before it is
//     read (and a chunked one as it passes the largest limit);
//   - one peer address holds at most `max_connections_per_peer` connections at once, of a pool
//     of `threads`, so a few slow peers cannot take every thread.
//
// Behind the ingress every request comes from its address: the ingress buffers whole requests
// (deploy/k8s/base/ingress.yaml), so its connections are fast, and the per-peer cap is sized for
// it.
#ifndef MICROCRED_SERVICES_MCNODE_HTTP_SERVING_H_
#define MICROCRED_SERVICES_MCNODE_HTTP_SERVING_H_

#include <httplib.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace microcred {

struct HttpLimits {
  // To read a request's line, headers and body, from its first byte.
  absl::Duration request_deadline = absl::Seconds(10);
  // How long a kept-alive connection may wait for its next request; and each write.
  absl::Duration idle_timeout = absl::Seconds(5);
  absl::Duration write_timeout = absl::Seconds(5);
  // Requests on one connection.
  size_t max_requests_per_connection = 100;
  // Worker threads, and connections one peer address may hold at once.
  int threads = 64;
  int max_connections_per_peer = 32;
  // The request line and headers together.
  size_t max_header_bytes = 32 * 1024;
  // A body on a route not in `body_limits`.
  size_t max_body_bytes = 0;
  // The largest body of each route, by exact path.
  std::vector<std::pair<std::string, size_t>> body_limits;

  size_t BodyLimit(std::string_view path) const;
  size_t LargestBodyLimit() const;
};

// A cpp-httplib server that reads requests under `limits`.
class BoundedHttpServer : public httplib::Server {
 public:
  explicit BoundedHttpServer(HttpLimits limits);

  const HttpLimits& limits() const { return limits_; }

  // After binding: a backlog of SOMAXCONN instead of cpp-httplib's 5, so that a burst of
  // connections waits in the kernel rather than in SYN retries.
  void WidenBacklog();

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Whether a request starts on `sock` within the idle timeout, while the server runs.
  bool NextRequest(int sock) const;
  // Counts `peer`'s connection in; false when it already holds its maximum.
  bool AdmitPeer(const std::string& peer);
  void ReleasePeer(const std::string& peer);

  const HttpLimits limits_;
  std::mutex mu_;
  std::map<std::string, int> connections_by_peer_;
};

// Binds `server` to `host`:`port` (0 = a free port) and serves it on `thread`; returns the
// bound port. Unavailable, naming `flag`, when the address cannot be bound.
absl::StatusOr<int> ServeInBackground(BoundedHttpServer& server, const std::string& host, int port,
                                      std::thread& thread, std::string_view flag);

// Stops `server` and joins `thread`; nothing when it was never started.
void StopServing(httplib::Server& server, std::thread& thread);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_HTTP_SERVING_H_
