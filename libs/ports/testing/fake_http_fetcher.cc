#include "libs/ports/testing/fake_http_fetcher.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace microcred::testing_ports {

void FakeHttpFetcher::Serve(const std::string& url, std::string body, std::string content_type) {
  absl::MutexLock lock(&mu_);
  answers_[url] = Answer{absl::OkStatus(), std::move(content_type), std::move(body)};
}

void FakeHttpFetcher::Fail(const std::string& url, absl::Status status) {
  absl::MutexLock lock(&mu_);
  answers_[url] = Answer{std::move(status), "", ""};
}

void FakeHttpFetcher::Remove(const std::string& url) {
  absl::MutexLock lock(&mu_);
  answers_.erase(url);
}

absl::StatusOr<FetchedDocument> FakeHttpFetcher::Get(const FetchRequest& request) {
  absl::MutexLock lock(&mu_);
  requests_.push_back(request);
  auto it = answers_.find(request.url);
  if (it == answers_.end()) {
    return absl::UnavailableError(absl::StrCat("GET ", request.url, ": HTTP 404"));
  }
  if (!it->second.status.ok()) return it->second.status;
  return FetchedDocument{.url = request.url,
                         .content_type = it->second.content_type,
                         .body = it->second.body,
                         .from_cache = false};
}

int FakeHttpFetcher::calls(const std::string& url) const {
  absl::MutexLock lock(&mu_);
  int n = 0;
  for (const FetchRequest& r : requests_) n += r.url == url;
  return n;
}

int FakeHttpFetcher::total_calls() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(requests_.size());
}

std::vector<FetchRequest> FakeHttpFetcher::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

}  // namespace microcred::testing_ports
