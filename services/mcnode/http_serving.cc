#include "services/mcnode/http_serving.h"

#include <httplib.h>

namespace microcred {

absl::StatusOr<int> ServeInBackground(httplib::Server& server, const std::string& host, int port,
                                      std::thread& thread, std::string_view flag) {
  const int bound =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    return absl::UnavailableError(std::string(flag) + ": cannot bind " + host + ":" +
                                  std::to_string(port));
  }
  thread = std::thread([&server] { server.listen_after_bind(); });
  return bound;
}

void StopServing(httplib::Server& server, std::thread& thread) {
  if (!thread.joinable()) return;
  server.stop();
  thread.join();
}

}  // namespace microcred
