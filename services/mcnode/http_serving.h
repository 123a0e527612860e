// Serving a cpp-httplib server on a thread of its own, for the node's HTTP listeners
// (public_http.h, metrics_http.h), with bounds on what a client can make the node hold:
//
//   - a connection costs no thread until its request has arrived: a waiting room (one epoll
//     thread) reads every connection's request line, headers and, when its Content-Length is
//     within its route's limit, its body; only a complete request goes to a worker thread. So
//     slow clients (slowloris) hold a buffer and a socket, never a thread;
//   - a request must arrive within `request_deadline` from the moment the connection waits for
//     it (in total, not per read: cpp-httplib's own timeout is per read), and its headers within
//     `max_header_bytes`; a connection that misses either is closed;
//   - a body larger than its route's limit is refused 413 from its Content-Length, before it is
//     read (and a chunked one as it passes the largest limit);
//   - at most `max_waiting` connections wait at once; further ones are closed at once.
//
// Behind the ingress every request comes from its address, so nothing here is per address:
// the ingress buffers whole requests (deploy/k8s/base/ingress.yaml), and its connections are
// fast.
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
  // For a request to arrive whole (line, headers and a Content-Length body), from the moment
  // its connection waits for it.
  absl::Duration request_deadline = absl::Seconds(10);
  // Each write of an answer.
  absl::Duration write_timeout = absl::Seconds(5);
  // Requests on one connection.
  size_t max_requests_per_connection = 100;
  // Worker threads (complete requests), and connections waiting for their request.
  int threads = 16;
  int max_waiting = 512;
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
  ~BoundedHttpServer() override;

  const HttpLimits& limits() const { return limits_; }

  // After binding: a backlog of SOMAXCONN instead of cpp-httplib's 5, so that a burst of
  // connections waits in the kernel rather than in SYN retries.
  void WidenBacklog();
  // Closes every waiting connection and waits for the requests in progress; after stop().
  void StopWaitingRoom();

 private:
  struct Waiting {
    int sock = -1;
    std::string bytes;  // what arrived so far
    absl::Time deadline;
    size_t served = 0;  // requests answered on this connection
  };

  // cpp-httplib's accept loop hands each new connection here: into the waiting room.
  bool process_and_close_socket(socket_t sock) override;
  void Admit(Waiting waiting);
  void WaitingRoomLoop();
  // Reads what `waiting` has to give; true when its request is complete (or must be answered
  // now: a refused body, a chunked one); false to wait on. Sets `drop` when it must be closed.
  bool ReadMore(Waiting& waiting, bool& drop) const;
  // On a worker thread: answers the request, then gives the connection back to the room.
  void Serve(Waiting waiting);

  const HttpLimits limits_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::mutex mu_;
  std::map<int, Waiting> waiting_;  // by socket
  bool stopping_ = false;
  std::unique_ptr<httplib::ThreadPool> workers_;
  std::thread room_;
};

// Binds `server` to `host`:`port` (0 = a free port) and serves it on `thread`; returns the
// bound port. Unavailable, naming `flag`, when the address cannot be bound.
absl::StatusOr<int> ServeInBackground(BoundedHttpServer& server, const std::string& host, int port,
                                      std::thread& thread, std::string_view flag);

// Stops `server` and joins `thread`; nothing when it was never started.
void StopServing(BoundedHttpServer& server, std::thread& thread);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_HTTP_SERVING_H_
