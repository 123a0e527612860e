#include "services/mcnode/http_serving.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace microcred {
namespace {

// Set by the pre-routing handler of the worker thread's current request: its body was refused
// unread, so the connection ends after the answer.
thread_local bool refused_body = false;

int PollMillis(absl::Duration d) {
  return static_cast<int>(std::clamp<int64_t>(absl::ToInt64Milliseconds(d), 0, 60'000));
}

// Waits until `sock` is readable (or writable), or closed or failed, which the next read or
// write then reports; false on timeout.
bool WaitFor(int sock, short events, absl::Duration timeout) {
  pollfd fd{.fd = sock, .events = events, .revents = 0};
  int n;
  do {
    n = ::poll(&fd, 1, PollMillis(timeout));
  } while (n < 0 && errno == EINTR);
  return n > 0 && (fd.revents & POLLNVAL) == 0;
}

std::string PeerAddress(int sock, int* port) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  *port = 0;
  if (::getpeername(sock, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "";
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    *port = ntohs(in->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* in = reinterpret_cast<const sockaddr_in6*>(&address);
    ::inet_ntop(AF_INET6, &in->sin6_addr, text, sizeof text);
    *port = ntohs(in->sin6_port);
  }
  return text;
}

// One request's view of the connection: every read must come before the request's deadline
// and within its byte budget; a read past either fails, and cpp-httplib then drops the request
// and the connection.
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(int sock, absl::Time deadline, size_t budget, absl::Duration write_timeout)
      : sock_(sock), deadline_(deadline), budget_(budget), write_timeout_(write_timeout) {}

  bool is_readable() const override {
    return begin_ < end_ || WaitFor(sock_, POLLIN, deadline_ - absl::Now());
  }
  bool is_writable() const override { return WaitFor(sock_, POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (begin_ == end_) {
      if (budget_ == 0 || absl::Now() >= deadline_ || !is_readable()) {
        exhausted_ = true;
        return -1;
      }
      ssize_t n;
      do {
        n = ::recv(sock_, buffer_, std::min(sizeof buffer_, budget_), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      budget_ -= static_cast<size_t>(n);
      begin_ = 0;
      end_ = static_cast<size_t>(n);
    }
    const size_t n = std::min(size, end_ - begin_);
    std::copy_n(buffer_ + begin_, n, ptr);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = PeerAddress(sock_, &port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    char text[INET6_ADDRSTRLEN] = {};
    port = 0;
    if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
        address.ss_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
      ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
      port = ntohs(in->sin_port);
    }
    ip = text;
  }
  socket_t socket() const override { return sock_; }

  // Whether a read failed for the deadline or the budget: cpp-httplib may still have answered
  // (400), but the connection must end.
  bool exhausted() const { return exhausted_; }

 private:
  const int sock_;
  const absl::Time deadline_;
  size_t budget_;
  const absl::Duration write_timeout_;
  char buffer_[4096];
  size_t begin_ = 0;
  size_t end_ = 0;
  bool exhausted_ = false;
};

// After an answer to a body refused unread, the client may still be sending it: closing with
// unread bytes would reset the connection before it reads the answer, so the node stops
// writing and discards what arrives, for a moment and a bounded amount.
void Linger(int sock) {
  ::shutdown(sock, SHUT_WR);
  const absl::Time until = absl::Now() + absl::Seconds(1);
  char discard[4096];
  for (size_t total = 0; total < (size_t{1} << 20) && WaitFor(sock, POLLIN, until - absl::Now());) {
    const ssize_t n = ::recv(sock, discard, sizeof discard, 0);
    if (n <= 0) break;
    total += static_cast<size_t>(n);
  }
}

}  // namespace

size_t HttpLimits::BodyLimit(std::string_view path) const {
  for (const auto& [route, limit] : body_limits) {
    if (route == path) return limit;
  }
  return max_body_bytes;
}

size_t HttpLimits::LargestBodyLimit() const {
  size_t largest = max_body_bytes;
  for (const auto& [route, limit] : body_limits) largest = std::max(largest, limit);
  return largest;
}

bool BoundedHttpServer::NextRequest(int sock) const {
  // In slices, so that a stopping server does not wait out an idle connection.
  const absl::Time until = absl::Now() + limits_.idle_timeout;
  while (svr_sock_ != INVALID_SOCKET) {
    const absl::Duration left = until - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    if (WaitFor(sock, POLLIN, std::min(left, absl::Milliseconds(100)))) return true;
  }
  return false;
}

BoundedHttpServer::BoundedHttpServer(HttpLimits limits) : limits_(std::move(limits)) {
  const size_t threads = static_cast<size_t>(std::max(1, limits_.threads));
  new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // A chunked body has no Content-Length: cpp-httplib stops it past the largest limit (413).
  set_payload_max_length(limits_.LargestBodyLimit());
  // What the Keep-Alive header of each answer announces.
  set_keep_alive_max_count(limits_.max_requests_per_connection);
  set_keep_alive_timeout(
      std::max<time_t>(1, static_cast<time_t>(absl::ToInt64Seconds(limits_.idle_timeout))));
  set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
    refused_body = false;
    const size_t limit = limits_.BodyLimit(request.path);
    if (!request.has_header("Content-Length") ||
        request.get_header_value<uint64_t>("Content-Length") <= limit) {
      return HandlerResponse::Unhandled;
    }
    refused_body = true;
    response.status = 413;
    response.set_header("Connection", "close");
    response.set_content(
        "request body: at most " + std::to_string(limit) + " bytes on " + request.path + "\n",
        "text/plain");
    return HandlerResponse::Handled;
  });
}

bool BoundedHttpServer::AdmitPeer(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mu_);
  int& held = connections_by_peer_[peer];
  if (held >= limits_.max_connections_per_peer) return false;
  ++held;
  return true;
}

void BoundedHttpServer::ReleasePeer(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = connections_by_peer_.find(peer);
  if (it != connections_by_peer_.end() && --it->second <= 0) connections_by_peer_.erase(it);
}

// cpp-httplib's own loop over a connection, with a DeadlineStream for each request.
bool BoundedHttpServer::process_and_close_socket(socket_t sock) {
  int port = 0;
  const std::string peer = PeerAddress(sock, &port);
  bool ok = false;
  if (AdmitPeer(peer)) {
    for (size_t left = limits_.max_requests_per_connection; left > 0 && NextRequest(sock); --left) {
      DeadlineStream stream(sock, absl::Now() + limits_.request_deadline,
                            limits_.max_header_bytes + limits_.LargestBodyLimit(),
                            limits_.write_timeout);
      bool connection_closed = false;
      refused_body = false;
      ok = process_request(stream, left == 1, connection_closed, nullptr);
      if (refused_body) Linger(sock);
      if (!ok || connection_closed || refused_body || stream.exhausted()) break;
    }
    ReleasePeer(peer);
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

void BoundedHttpServer::WidenBacklog() {
  // listen() again on a listening socket only changes its backlog.
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);
}

absl::StatusOr<int> ServeInBackground(BoundedHttpServer& server, const std::string& host, int port,
                                      std::thread& thread, std::string_view flag) {
  const int bound =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return absl::UnavailableError(std::string(flag) + ": cannot bind " + host + ":" +
                                  std::to_string(port));
  }
  server.WidenBacklog();
  thread = std::thread([&server] { server.listen_after_bind(); });
  return bound;
}

void StopServing(httplib::Server& server, std::thread& thread) {
  if (!thread.joinable()) return;
  server.stop();
  thread.join();
}

}  // namespace microcred
