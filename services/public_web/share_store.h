// ShareStore: the share links learners make for their credentials, kept in the node's
// StateStore (the issuance process's store: a link names a credential this node issued).
//
//   web/share/<share id>                 ShareRecord
//   web/owner/<pseudonym>/<share id>     "" : the learner's links, for listing
//
// A share id is 20 random bytes (160 bits) from the OS's CSPRNG, base64url: the link is the
// only secret, so it must not be guessable. Withdrawing a link deletes both its records (no
// tombstone is needed: an id is never made twice), and erasing a learner deletes all of theirs
// (EraseOwner, which the node's erasure runs). Records with withdrawn_at_ms set were kept by
// earlier releases: they show nothing and go when withdrawn again or at erasure. Like the
// issuing node's sealed records, links are not on any shared topic, so they are not rebuilt
// from the log: the store is their system of record.
//
// Thread-safe (the StateStore is).
#ifndef MICROCRED_SERVICES_PUBLIC_WEB_SHARE_STORE_H_
#define MICROCRED_SERVICES_PUBLIC_WEB_SHARE_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/ports/state_store.h"
#include "microcred/web/v1/web_records.pb.h"

namespace microcred::web {

inline constexpr size_t kShareIdBytes = 20;
// A learner keeps at most this many working links; withdrawing one frees a place.
inline constexpr size_t kMaxSharesPerLearner = 100;

class ShareStore {
 public:
  explicit ShareStore(StateStore& store) : store_(store) {}

  // A new link for `credential_id`, owned by `owner_pseudonym`. RESOURCE_EXHAUSTED when the
  // learner already has kMaxSharesPerLearner working links.
  absl::StatusOr<v1::ShareRecord> Create(const std::string& credential_id,
                                         const std::string& owner_pseudonym, int64_t now_ms);
  // The record of `share_id` (withdrawn or not); std::nullopt when there is none or the id
  // is not one this store could have made.
  absl::StatusOr<std::optional<v1::ShareRecord>> Find(const std::string& share_id) const;
  // The learner's links, oldest first (working ones, and any an earlier release kept withdrawn).
  absl::StatusOr<std::vector<v1::ShareRecord>> OfOwner(const std::string& owner_pseudonym) const;
  // Withdraws a link of `owner_pseudonym`, deleting its records; the record as it was, with
  // withdrawn_at_ms set. NOT_FOUND when it is not theirs or does not exist (any more).
  absl::StatusOr<v1::ShareRecord> Withdraw(const std::string& share_id,
                                           const std::string& owner_pseudonym, int64_t now_ms);

  // Adds to `writes` the deletion of every link of `owner_pseudonym` (the learner's erasure).
  absl::Status EraseOwner(const std::string& owner_pseudonym, WriteBatch& writes) const;

  // True for text shaped like a share id (27 base64url characters).
  static bool IsShareId(std::string_view text);

 private:
  StateStore& store_;
};

}  // namespace microcred::web

#endif  // MICROCRED_SERVICES_PUBLIC_WEB_SHARE_STORE_H_
