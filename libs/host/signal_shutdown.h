// Turns SIGINT and SIGTERM into an orderly stop for a process's main().
//
// The signal handler only writes the signal number to a pipe (about all a handler may safely
// do); a watcher thread reads it and runs the callback in ordinary thread context. After the
// first signal the previous handlers are restored, so a second Ctrl-C behaves as it did before
// (normally: the process ends at once) when a graceful stop hangs.
#ifndef MICROCRED_LIBS_HOST_SIGNAL_SHUTDOWN_H_
#define MICROCRED_LIBS_HOST_SIGNAL_SHUTDOWN_H_

#include <signal.h>

#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/status/statusor.h"
#include "libs/host/service_host.h"

namespace microcred::host {

class SignalShutdown {
 public:
  // Installs the handlers; `on_signal` runs at most once, on the watcher thread. At most one
  // SignalShutdown may exist at a time (FailedPrecondition otherwise).
  static absl::StatusOr<std::unique_ptr<SignalShutdown>> Install(
      std::function<void(int signal)> on_signal);

  SignalShutdown(const SignalShutdown&) = delete;
  SignalShutdown& operator=(const SignalShutdown&) = delete;
  // Restores the previous handlers and stops the watcher (waiting for a running callback).
  ~SignalShutdown();

 private:
  SignalShutdown(int read_fd, int write_fd) : read_fd_(read_fd), write_fd_(write_fd) {}
  void Watch(std::function<void(int)> on_signal);
  void RestoreHandlers();

  int read_fd_;
  int write_fd_;
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
  std::once_flag restore_once_;
  std::thread watcher_;
};

// SignalShutdown::Install([&host](int) { host.Shutdown(); }). Keep the result alive while
// host.Wait() runs, and destroy it before the host.
absl::StatusOr<std::unique_ptr<SignalShutdown>> ShutdownOnSignals(ServiceHost& host);

}  // namespace microcred::host

#endif  // MICROCRED_LIBS_HOST_SIGNAL_SHUTDOWN_H_
