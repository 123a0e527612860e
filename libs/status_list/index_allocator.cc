#include "libs/status_list/index_allocator.h"

#include <cstring>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/crypto/crypto.h"

namespace microcred::status_list {
namespace {

uint64_t RandomUint64() {
  const std::string bytes = crypto::RandomBytes(sizeof(uint64_t));
  uint64_t value;
  std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

// Uniform in [0, bound): draws at or above the largest multiple of `bound` are redrawn, so no
// index is favoured by the modulo.
int64_t UniformBelow(int64_t bound) {
  const auto n = static_cast<uint64_t>(bound);
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  const uint64_t limit = max - max % n;
  for (;;) {
    const uint64_t draw = RandomUint64();
    if (draw < limit) return static_cast<int64_t>(draw % n);
  }
}

absl::Status ListFull(int64_t used_count, int64_t capacity) {
  return absl::ResourceExhaustedError(absl::StrCat("status list full: open a new list (",
                                                   used_count, " of ", capacity, " indexes used)"));
}

}  // namespace

absl::StatusOr<int64_t> StatusIndexAllocator::PickFree(int64_t used_count,
                                                       const IsUsed& is_used) const {
  if (list_size_ <= 0 || used_count < 0) {
    return absl::InvalidArgumentError(absl::StrCat("status index allocator: list size ", list_size_,
                                                   ", used count ", used_count));
  }
  if (used_count >= capacity()) return ListFull(used_count, capacity());
  for (int probe = 0; probe < kMaxProbes; ++probe) {
    const int64_t index = UniformBelow(list_size_);
    absl::StatusOr<bool> used = is_used(index);
    if (!used.ok()) return used.status();
    if (!*used) return index;
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      "status list full: open a new list (", kMaxProbes, " random indexes all used, although ",
      used_count, " of ", list_size_, " were said to be)"));
}

}  // namespace microcred::status_list
