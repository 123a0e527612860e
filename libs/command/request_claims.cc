#include "libs/command/request_claims.h"

#include <functional>
#include <utility>

#include "libs/base/strings.h"

namespace microcred::command {

RequestClaims::Claim::Claim(RequestClaims* owner, std::string request_id)
    : owner_(owner), request_id_(std::move(request_id)) {}

RequestClaims::Claim::Claim(Claim&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), request_id_(std::move(other.request_id_)) {}

RequestClaims::Claim::~Claim() {
  if (owner_ != nullptr) owner_->Release(request_id_);
}

absl::StatusOr<RequestClaims::Claim> RequestClaims::TryClaim(std::string request_id,
                                                             std::string_view field) {
  absl::MutexLock lock(&mu_);
  if (!in_flight_.insert(request_id).second) {
    return absl::AbortedError(
        strings::Cat(field, ": the same request is already being processed; retry"));
  }
  return Claim(this, std::move(request_id));
}

void RequestClaims::Release(const std::string& request_id) {
  absl::MutexLock lock(&mu_);
  in_flight_.erase(request_id);
}

ResourceLocks::Held ResourceLocks::Lock(std::string_view resource_id) {
  return Held(stripes_[std::hash<std::string_view>{}(resource_id) % kStripes]);
}

}  // namespace microcred::command
