// StatusIndexAllocator: chooses where in a status list a new credential's status bit lives.
//
// The spec asks issuers to assign indexes at random, so that an index reveals neither when its
// credential was issued nor how many were issued before it. PickFree() draws indexes uniformly
// from the operating system's CSPRNG (libs/crypto) and returns the first one the caller says is
// free.
//
// The allocator holds no state: the caller owns the record of used indexes and answers
// `is_used` from it. A typical caller keeps `statuslist/<list>/used/<index>` and a counter
// `statuslist/<list>/used_count` in its StateStore and writes both in the same WriteBatch as
// the credential that takes the index. The caller's side of the contract:
//   - `is_used` sees every index handed out before, including ones in writes not committed yet
//     (read through the batch being built or a StagedState);
//   - `used_count` is the number of indexes handed out in this list;
//   - allocations in one list are serialised (one writer per list): two callers that both pick
//     before either records its pick can get the same index.
//
// A list stops handing out indexes once kMaxFillPercent of it is used: past that point random
// probing slows down, and the caller should open a new list. With at most 90% used, kMaxProbes
// draws all land on used indexes with probability below 0.9^256 < 2e-12.
//
// Thread-safe (no mutable state).
#ifndef MICROCRED_LIBS_STATUS_LIST_INDEX_ALLOCATOR_H_
#define MICROCRED_LIBS_STATUS_LIST_INDEX_ALLOCATOR_H_

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "libs/status_list/bitstring.h"

namespace microcred::status_list {

class StatusIndexAllocator {
 public:
  static constexpr int kMaxFillPercent = 90;
  static constexpr int kMaxProbes = 256;

  // Whether `index` is already taken; an error aborts the pick and is returned as is.
  using IsUsed = std::function<absl::StatusOr<bool>(int64_t index)>;

  // `list_size`: the number of entries of the list, normally its StatusBitstring::size().
  explicit StatusIndexAllocator(int64_t list_size = StatusBitstring::kMinBits)
      : list_size_(list_size) {}

  int64_t list_size() const { return list_size_; }
  // How many indexes the list hands out in all: kMaxFillPercent of list_size(), rounded down.
  int64_t capacity() const { return list_size_ * kMaxFillPercent / 100; }

  // A uniformly random index in [0, list_size()) for which `is_used` answered false.
  // ResourceExhausted "status list full: open a new list" when used_count >= capacity(), or
  // when kMaxProbes draws all hit used indexes (then used_count was wrong, or astronomically
  // bad luck). InvalidArgument when list_size() <= 0 or used_count < 0.
  absl::StatusOr<int64_t> PickFree(int64_t used_count, const IsUsed& is_used) const;

 private:
  int64_t list_size_;
};

}  // namespace microcred::status_list

#endif  // MICROCRED_LIBS_STATUS_LIST_INDEX_ALLOCATOR_H_
