#include "tests/support/slow_clients.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "absl/status/status.h"
#include "absl/time/clock.h"

namespace microcred::testing_support {

int ConnectFrom(const std::string& source, const std::string& host, int port) {
  sockaddr_in from{}, to{};
  from.sin_family = to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
      ::inet_pton(AF_INET, host.c_str(), &to.sin_addr) != 1) {
    return -1;
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  return fd;
}

absl::StatusOr<std::unique_ptr<SlowClients>> SlowClients::Open(const std::string& source,
                                                               const std::string& host, int port,
                                                               int count,
                                                               const std::string& request_start) {
  std::vector<int> sockets;
  for (int i = 0; i < count; ++i) {
    const int fd = ConnectFrom(source, host, port);
    if (fd < 0) {
      for (int open : sockets) ::close(open);
      return absl::UnavailableError("cannot connect from " + source + " to " + host + ":" +
                                    std::to_string(port));
    }
    ::send(fd, request_start.data(), request_start.size(), MSG_NOSIGNAL);
    sockets.push_back(fd);
  }
  return std::unique_ptr<SlowClients>(new SlowClients(std::move(sockets)));
}

SlowClients::SlowClients(std::vector<int> sockets)
    : sockets_(std::move(sockets)), closed_(sockets_.size()) {
  trickle_ = std::thread([this] { Trickle(); });
}

SlowClients::~SlowClients() {
  stop_ = true;
  trickle_.join();
  for (int fd : sockets_) ::close(fd);
}

// A connection counts as closed once the server ends it (a read of 0) or a send fails.
void SlowClients::Trickle() {
  while (!stop_) {
    for (size_t i = 0; i < sockets_.size(); ++i) {
      if (closed_[i]) continue;
      char byte;
      if (::recv(sockets_[i], &byte, 1, MSG_DONTWAIT) == 0 ||
          ::send(sockets_[i], "a", 1, MSG_NOSIGNAL) < 0) {
        closed_[i] = true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

int SlowClients::open_count() const {
  return static_cast<int>(
      std::count_if(closed_.begin(), closed_.end(), [](const auto& c) { return !c.load(); }));
}

bool SlowClients::WaitAllClosed(absl::Duration max) const {
  const absl::Time until = absl::Now() + max;
  while (open_count() > 0 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(100));
  return open_count() == 0;
}

}  // namespace microcred::testing_support
