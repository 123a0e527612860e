#include "services/mcnode/http_serving.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

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

void Close(int sock) {
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
}

std::string AddressOf(const sockaddr_storage& address, int* port) {
  char text[INET6_ADDRSTRLEN] = {};
  *port = 0;
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

// Whether `bytes`, the start of a connection's next request, is whole enough for a worker: its
// line and headers, and its body when the Content-Length is within the route's limit. A body
// over the limit is refused unread (413); a chunked or expected one is read by the worker,
// under the deadline and the largest limit. Sets `drop` when the headers exceed their limit.
bool RequestArrived(const std::string& bytes, const HttpLimits& limits, bool& drop) {
  const size_t end = bytes.find("\r\n\r\n");
  if (end == std::string::npos || end + 4 > limits.max_header_bytes) {
    drop = bytes.size() > limits.max_header_bytes;
    return false;
  }
  const std::string head = absl::AsciiStrToLower(absl::string_view(bytes).substr(0, end + 2));
  // A chunked body, and one the client sends only once told to continue (Expect:
  // 100-continue), are read by the worker.
  if (head.find("\ntransfer-encoding:") != std::string::npos ||
      head.find("\nexpect:") != std::string::npos) {
    return true;
  }
  const size_t at = head.find("\ncontent-length:");
  if (at == std::string::npos) return true;
  const size_t value = at + 16, line_end = head.find("\r\n", value);
  uint64_t length = 0;
  if (!absl::SimpleAtoi(absl::string_view(head).substr(value, line_end - value), &length) ||
      length == 0) {
    return true;  // cpp-httplib answers a bad length
  }
  const size_t path_start = head.find(' ');
  const size_t path_end = head.find_first_of(" ?", path_start + 1);
  const std::string path =
      path_start == std::string::npos
          ? ""
          : bytes.substr(path_start + 1,
                         path_end == std::string::npos ? 0 : path_end - path_start - 1);
  if (length > limits.BodyLimit(path)) return true;
  return bytes.size() >= end + 4 + length;
}

// One request's view of its connection: first the bytes the waiting room read, then reads that
// must come before the request's deadline and within its byte budget; a read past either fails,
// and cpp-httplib then drops the request.
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(int sock, std::string arrived, absl::Time deadline, size_t budget,
                 absl::Duration write_timeout)
      : sock_(sock),
        buffer_(std::move(arrived)),
        deadline_(deadline),
        budget_(budget),
        write_timeout_(write_timeout) {}

  bool is_readable() const override {
    return begin_ < buffer_.size() || WaitFor(sock_, POLLIN, deadline_ - absl::Now());
  }
  bool is_writable() const override { return WaitFor(sock_, POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (begin_ == buffer_.size()) {
      if (budget_ == 0 || absl::Now() >= deadline_ || !is_readable()) {
        exhausted_ = true;
        return -1;
      }
      char chunk[4096];
      ssize_t n;
      do {
        n = ::recv(sock_, chunk, std::min(sizeof chunk, budget_), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      budget_ -= static_cast<size_t>(n);
      buffer_.assign(chunk, static_cast<size_t>(n));
      begin_ = 0;
    }
    const size_t n = std::min(size, buffer_.size() - begin_);
    std::copy_n(buffer_.data() + begin_, n, ptr);
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
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    ip = ::getpeername(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0
             ? AddressOf(address, &port)
             : "";
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    ip = ::getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0
             ? AddressOf(address, &port)
             : "";
  }
  socket_t socket() const override { return sock_; }

  // Whether a read failed for the deadline or the budget: cpp-httplib may still have answered
  // (400), but the connection must end.
  bool exhausted() const { return exhausted_; }
  // What arrived beyond this request: the start of the next one (pipelining).
  std::string Leftover() const { return buffer_.substr(begin_); }

 private:
  const int sock_;
  std::string buffer_;
  size_t begin_ = 0;
  const absl::Time deadline_;
  size_t budget_;
  const absl::Duration write_timeout_;
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

BoundedHttpServer::BoundedHttpServer(HttpLimits limits)
    : limits_(std::move(limits)),
      epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)),
      wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      workers_(std::make_unique<httplib::ThreadPool>(
          static_cast<size_t>(std::max(1, limits_.threads)))) {
  epoll_event wake{.events = EPOLLIN, .data = {.fd = wake_fd_}};
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
  room_ = std::thread([this] { WaitingRoomLoop(); });
  // cpp-httplib's accept loop only hands connections to the waiting room: two threads do.
  new_task_queue = [] { return new httplib::ThreadPool(2); };
  // cpp-httplib listens with SO_REUSEPORT by default, which would let another server of the
  // same user bind this port too and take some of its connections: SO_REUSEADDR only.
  set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // A chunked body has no Content-Length: cpp-httplib stops it past the largest limit (413).
  set_payload_max_length(limits_.LargestBodyLimit());
  set_keep_alive_max_count(limits_.max_requests_per_connection);
  set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
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

BoundedHttpServer::~BoundedHttpServer() {
  StopWaitingRoom();
  ::close(epoll_fd_);
  ::close(wake_fd_);
}

void BoundedHttpServer::StopWaitingRoom() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  const uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
  room_.join();
  workers_->shutdown();  // the requests in progress finish; they give nothing back
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [sock, waiting] : waiting_) Close(sock);
  waiting_.clear();
}

void BoundedHttpServer::WidenBacklog() {
  // listen() again on a listening socket only changes its backlog.
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);
}

bool BoundedHttpServer::process_and_close_socket(socket_t sock) {
  Admit({.sock = sock, .bytes = "", .deadline = absl::Now() + limits_.request_deadline});
  return true;
}

void BoundedHttpServer::Admit(Waiting waiting) {
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_ || waiting_.size() >= static_cast<size_t>(limits_.max_waiting)) {
    lock.unlock();
    Close(waiting.sock);
    return;
  }
  epoll_event event{.events = EPOLLIN | EPOLLRDHUP, .data = {.fd = waiting.sock}};
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, waiting.sock, &event) != 0) {
    lock.unlock();
    Close(waiting.sock);
    return;
  }
  const int sock = waiting.sock;
  waiting_.emplace(sock, std::move(waiting));
}

bool BoundedHttpServer::ReadMore(Waiting& waiting, bool& drop) const {
  const size_t most = limits_.max_header_bytes + limits_.LargestBodyLimit();
  char chunk[8192];
  while (waiting.bytes.size() <= most) {
    const ssize_t n = ::recv(waiting.sock, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n > 0) {
      waiting.bytes.append(chunk, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    drop = true;  // closed by the client, or failed
    return false;
  }
  if (RequestArrived(waiting.bytes, limits_, drop)) return true;
  drop = drop || waiting.bytes.size() > most;
  return false;
}

void BoundedHttpServer::WaitingRoomLoop() {
  epoll_event events[64];
  while (true) {
    const int n = ::epoll_wait(epoll_fd_, events, 64, 100);
    std::vector<Waiting> arrived;
    std::vector<int> ended;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      for (int i = 0; i < n; ++i) {
        auto it = waiting_.find(events[i].data.fd);
        if (it == waiting_.end()) continue;  // the wake-up, or already gone
        bool drop = false;
        const bool whole = ReadMore(it->second, drop);
        if (!whole && !drop) continue;
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->first, nullptr);
        if (whole) {
          arrived.push_back(std::move(it->second));
        } else {
          ended.push_back(it->first);
        }
        waiting_.erase(it);
      }
      const absl::Time now = absl::Now();
      for (auto it = waiting_.begin(); it != waiting_.end();) {
        if (now < it->second.deadline) {
          ++it;
          continue;
        }
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, it->first, nullptr);
        ended.push_back(it->first);
        it = waiting_.erase(it);
      }
    }
    for (int sock : ended) Close(sock);
    for (Waiting& waiting : arrived) {
      workers_->enqueue(
          [this, waiting = std::move(waiting)]() mutable { Serve(std::move(waiting)); });
    }
  }
}

void BoundedHttpServer::Serve(Waiting waiting) {
  const size_t budget = limits_.max_header_bytes + limits_.LargestBodyLimit();
  while (true) {
    DeadlineStream stream(waiting.sock, std::move(waiting.bytes), waiting.deadline, budget,
                          limits_.write_timeout);
    bool connection_closed = false;
    refused_body = false;
    ++waiting.served;
    const bool last = waiting.served >= limits_.max_requests_per_connection;
    const bool ok = process_request(stream, last, connection_closed, nullptr);
    if (refused_body) Linger(waiting.sock);
    if (!ok || connection_closed || refused_body || stream.exhausted() || last ||
        svr_sock_ == INVALID_SOCKET) {
      Close(waiting.sock);
      return;
    }
    // Kept alive: the next request has the same time to arrive, in the waiting room unless
    // it is already here.
    waiting.bytes = stream.Leftover();
    waiting.deadline = absl::Now() + limits_.request_deadline;
    bool drop = false;
    if (waiting.bytes.empty() || !RequestArrived(waiting.bytes, limits_, drop)) break;
  }
  Admit(std::move(waiting));
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
  // httplib's stop() does nothing until the listening loop has begun: a StopServing right
  // after this would otherwise leave the thread listening and the join waiting forever.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!server.is_running() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
  if (!server.is_running()) {
    return absl::UnavailableError(std::string(flag) + ": the server on " + host + ":" +
                                  std::to_string(bound) + " did not start listening");
  }
  return bound;
}

void StopServing(BoundedHttpServer& server, std::thread& thread) {
  if (!thread.joinable()) return;
  server.stop();
  thread.join();
  server.StopWaitingRoom();
}

}  // namespace microcred
