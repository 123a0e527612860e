// Loopback clients for the tests of a node's HTTP edges (issue 12): a TCP connection from a
// chosen 127/8 address, and slow-header clients (slowloris) that keep a request's headers
// coming a byte at a time, so a test can show the node keeps answering and closes them.
#ifndef MICROCRED_TESTS_SUPPORT_SLOW_CLIENTS_H_
#define MICROCRED_TESTS_SUPPORT_SLOW_CLIENTS_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace microcred::testing_support {

// A TCP connection from `source` to `host`:`port` (IPv4 addresses); -1 when it cannot connect.
int ConnectFrom(const std::string& source, const std::string& host, int port);

// `count` connections from `source` that each send `request_start` (a request line and the
// start of a header), then one more byte every 200 ms until the server closes the connection.
// The destructor stops them and closes every socket.
class SlowClients {
 public:
  static absl::StatusOr<std::unique_ptr<SlowClients>> Open(const std::string& source,
                                                           const std::string& host, int port,
                                                           int count,
                                                           const std::string& request_start);
  ~SlowClients();
  SlowClients(const SlowClients&) = delete;
  SlowClients& operator=(const SlowClients&) = delete;

  // How many the server has not closed yet.
  int open_count() const;
  // Waits until the server closed them all or `max` passed; true when it closed them all.
  bool WaitAllClosed(absl::Duration max) const;

 private:
  explicit SlowClients(std::vector<int> sockets);
  void Trickle();

  const std::vector<int> sockets_;
  std::vector<std::atomic<bool>> closed_;
  std::atomic<bool> stop_ = false;
  std::thread trickle_;
};

}  // namespace microcred::testing_support

#endif  // MICROCRED_TESTS_SUPPORT_SLOW_CLIENTS_H_
