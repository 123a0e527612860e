// Serving a cpp-httplib server on a thread of its own, for the node's HTTP listeners
// (public_http.h, metrics_http.h).
#ifndef MICROCRED_SERVICES_MCNODE_HTTP_SERVING_H_
#define MICROCRED_SERVICES_MCNODE_HTTP_SERVING_H_

#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace microcred {

// Binds `server` to `host`:`port` (0 = a free port) and serves it on `thread`; returns the
// bound port. Unavailable, naming `flag`, when the address cannot be bound.
absl::StatusOr<int> ServeInBackground(httplib::Server& server, const std::string& host, int port,
                                      std::thread& thread, std::string_view flag);

// Stops `server` and joins `thread`; nothing when it was never started.
void StopServing(httplib::Server& server, std::thread& thread);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_HTTP_SERVING_H_
