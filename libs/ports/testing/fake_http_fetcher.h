// FakeHttpFetcher: for unit tests of what reads the network (key discovery, status lists), an
// HttpFetcher answering from a map filled by the test, with no network at all.
//
//   Serve(url, body[, content_type])  Get(url) answers body (content_type "application/json"
//                                     unless given), from_cache false
//   Fail(url, status)                 Get(url) answers status (e.g. UNAVAILABLE for a server
//                                     down, PERMISSION_DENIED for a refused address)
//   a URL neither served nor failed   UNAVAILABLE "GET <url>: HTTP 404", as a server would
//   calls(url), total_calls()         how many Get calls asked for url / for anything, served
//                                     or not, so that a test can see what a cache saved
//   requests()                        every request received, in order (to check Accept)
// Thread-safe, like the port.
#ifndef MICROCRED_LIBS_PORTS_TESTING_FAKE_HTTP_FETCHER_H_
#define MICROCRED_LIBS_PORTS_TESTING_FAKE_HTTP_FETCHER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/ports/http_fetcher.h"

namespace microcred::testing_ports {

class FakeHttpFetcher : public HttpFetcher {
 public:
  // Replaces whatever url answered before.
  void Serve(const std::string& url, std::string body,
             std::string content_type = "application/json");
  void Fail(const std::string& url, absl::Status status);
  // Forgets what url answers (it answers 404 again).
  void Remove(const std::string& url);

  absl::StatusOr<FetchedDocument> Get(const FetchRequest& request) override;

  int calls(const std::string& url) const;
  int total_calls() const;
  std::vector<FetchRequest> requests() const;

 private:
  struct Answer {
    absl::Status status;  // OK: the document below
    std::string content_type;
    std::string body;
  };
  mutable absl::Mutex mu_;
  std::map<std::string, Answer> answers_ ABSL_GUARDED_BY(mu_);
  std::vector<FetchRequest> requests_ ABSL_GUARDED_BY(mu_);
};

}  // namespace microcred::testing_ports

#endif  // MICROCRED_LIBS_PORTS_TESTING_FAKE_HTTP_FETCHER_H_
