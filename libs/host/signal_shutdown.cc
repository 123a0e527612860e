#include "libs/host/signal_shutdown.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <utility>

#include "libs/host/log.h"

namespace microcred::host {
namespace {

// The only state the handler touches; lock-free so that it is async-signal-safe.
std::atomic<int> g_signal_pipe{-1};
static_assert(std::atomic<int>::is_always_lock_free);

// Byte written by the destructor to stop the watcher; real signal numbers are never 0.
constexpr unsigned char kStopWatching = 0;

extern "C" void HandleTerminationSignal(int signal) {
  int saved_errno = errno;
  int fd = g_signal_pipe.load();
  if (fd >= 0) {
    unsigned char byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] ssize_t ignored = ::write(fd, &byte, 1);
  }
  errno = saved_errno;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SignalShutdown>> SignalShutdown::Install(
    std::function<void(int signal)> on_signal) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError("signal shutdown: pipe failed");
  int expected = -1;
  if (!g_signal_pipe.compare_exchange_strong(expected, fds[1])) {
    ::close(fds[0]);
    ::close(fds[1]);
    return absl::FailedPreconditionError("signal shutdown: already installed in this process");
  }
  std::unique_ptr<SignalShutdown> installed(new SignalShutdown(fds[0], fds[1]));
  struct sigaction action {};
  action.sa_handler = &HandleTerminationSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, &installed->previous_int_);
  ::sigaction(SIGTERM, &action, &installed->previous_term_);
  installed->watcher_ = std::thread(&SignalShutdown::Watch, installed.get(), std::move(on_signal));
  return installed;
}

void SignalShutdown::Watch(std::function<void(int)> on_signal) {
  unsigned char byte = kStopWatching;
  ssize_t got;
  do {
    got = ::read(read_fd_, &byte, 1);
  } while (got < 0 && errno == EINTR);
  if (got != 1 || byte == kStopWatching) return;
  RestoreHandlers();
  Logger::Info("termination_signal", {{"signal", static_cast<int>(byte)}});
  on_signal(byte);
}

void SignalShutdown::RestoreHandlers() {
  std::call_once(restore_once_, [this] {
    ::sigaction(SIGINT, &previous_int_, nullptr);
    ::sigaction(SIGTERM, &previous_term_, nullptr);
  });
}

SignalShutdown::~SignalShutdown() {
  RestoreHandlers();
  // The watcher may already have returned after a signal; the byte then just sits in the pipe.
  unsigned char stop = kStopWatching;
  [[maybe_unused]] ssize_t ignored = ::write(write_fd_, &stop, 1);
  watcher_.join();
  g_signal_pipe.store(-1);
  ::close(read_fd_);
  ::close(write_fd_);
}

absl::StatusOr<std::unique_ptr<SignalShutdown>> ShutdownOnSignals(ServiceHost& host) {
  return SignalShutdown::Install([&host](int /*signal*/) { host.Shutdown(); });
}

}  // namespace microcred::host
