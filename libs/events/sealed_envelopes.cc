#include "libs/events/sealed_envelopes.h"

#include "libs/base/strings.h"
#include "libs/crypto/crypto.h"

namespace microcred::events {

void SealedEnvelopes::Remember(std::string_view event_id, std::string_view envelope_bytes) {
  std::string digest = crypto::Sha256(envelope_bytes);
  std::lock_guard lock(mu_);
  auto [it, inserted] =
      digest_by_event_id_.insert_or_assign(std::string(event_id), std::move(digest));
  if (!inserted) return;
  oldest_first_.push_back(it->first);
  if (oldest_first_.size() > capacity_) {
    digest_by_event_id_.erase(oldest_first_.front());
    oldest_first_.pop_front();
  }
}

bool SealedEnvelopes::Contains(std::string_view event_id, std::string_view envelope_bytes) const {
  std::string digest;
  {
    std::lock_guard lock(mu_);
    auto it = digest_by_event_id_.find(strings::ToAbsl(event_id));
    if (it == digest_by_event_id_.end()) return false;
    digest = it->second;
  }
  return crypto::Sha256(envelope_bytes) == digest;
}

}  // namespace microcred::events
