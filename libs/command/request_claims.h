// RequestClaims and ResourceLocks: what keeps two concurrent commands from deciding on stale
// state.
//
// A client request id is claimed for the duration of one command: a second call with the same
// id while the first runs is refused with ABORTED ("retry"), so two concurrent retries can never
// both pass the check for an earlier answer. Commands on one resource (a specification, a
// recognition request, a pathway) run one at a time under that resource's lock: a command reads
// the resource, decides, and commits before the next one reads it.
//
// Thread-safe. A Claim, and a ResourceLocks::Held, release on destruction and may be moved.
#ifndef MICROCRED_LIBS_COMMAND_REQUEST_CLAIMS_H_
#define MICROCRED_LIBS_COMMAND_REQUEST_CLAIMS_H_

#include <array>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace microcred::command {

class RequestClaims {
 public:
  class Claim {
   public:
    Claim(Claim&& other) noexcept;
    Claim& operator=(Claim&&) = delete;
    ~Claim();

   private:
    friend class RequestClaims;
    Claim(RequestClaims* owner, std::string request_id);

    RequestClaims* owner_;  // null once moved from
    std::string request_id_;
  };

  // Claims `request_id`; ABORTED, naming `field`, while another command holds it.
  absl::StatusOr<Claim> TryClaim(std::string request_id, std::string_view field);

 private:
  void Release(const std::string& request_id);

  absl::Mutex mu_;
  absl::flat_hash_set<std::string> in_flight_ ABSL_GUARDED_BY(mu_);
};

// A fixed set of mutexes, one chosen per resource id: resources that share a stripe wait for
// each other, which is rare and harmless.
class ResourceLocks {
 public:
  using Held = std::unique_lock<std::mutex>;

  Held Lock(std::string_view resource_id);

 private:
  static constexpr size_t kStripes = 64;
  std::array<std::mutex, kStripes> stripes_;
};

}  // namespace microcred::command

#endif  // MICROCRED_LIBS_COMMAND_REQUEST_CLAIMS_H_
