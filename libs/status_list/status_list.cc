#include "libs/status_list/status_list.h"

#include "absl/strings/str_cat.h"

namespace microcred::status_list {
namespace {

absl::Status CheckStatusSize(int status_size) {
  if (status_size >= 1 && status_size <= StatusList::kMaxStatusSize) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("statusSize ", status_size, ": must be in [1, ",
                                                 StatusList::kMaxStatusSize, "]"));
}

absl::Status TooFewEntries(int64_t entries) {
  return absl::InvalidArgumentError(absl::StrCat(
      "status list: ", entries, " entries, fewer than the minimum ", StatusList::kMinEntries));
}

absl::Status CheckIndex(int64_t index, int64_t entries) {
  if (index >= 0 && index < entries) return absl::OkStatus();
  return absl::OutOfRangeError(
      absl::StrCat("status list index ", index, " outside [0, ", entries, ")"));
}

}  // namespace

absl::StatusOr<StatusList> StatusList::Create(int status_size, int64_t entries) {
  if (absl::Status s = CheckStatusSize(status_size); !s.ok()) return s;
  if (entries < kMinEntries) return TooFewEntries(entries);
  if (entries > StatusBitstring::kMaxBits / status_size) {
    return absl::InvalidArgumentError(absl::StrCat("status list: ", entries, " entries of ",
                                                   status_size, " bits exceed ",
                                                   StatusBitstring::kMaxBits, " bits"));
  }
  absl::StatusOr<StatusBitstring> bits = StatusBitstring::WithSize(entries * status_size);
  if (!bits.ok()) return bits.status();
  return StatusList(status_size, *std::move(bits));
}

absl::StatusOr<StatusList> StatusList::Decode(std::string_view encoded, int status_size) {
  if (absl::Status s = CheckStatusSize(status_size); !s.ok()) return s;
  absl::StatusOr<StatusBitstring> bits = StatusBitstring::Decode(encoded);
  if (!bits.ok()) return bits.status();
  StatusList list(status_size, *std::move(bits));
  if (list.entries() < kMinEntries) return TooFewEntries(list.entries());
  return list;
}

absl::Status StatusList::Set(int64_t index, uint32_t value) {
  if (absl::Status s = CheckIndex(index, entries()); !s.ok()) return s;
  if (value >> status_size_ != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("status value ", value, " does not fit in ", status_size_, " bits"));
  }
  const int64_t first = index * status_size_;
  for (int bit = 0; bit < status_size_; ++bit) {
    const bool set = ((value >> (status_size_ - 1 - bit)) & 1u) != 0;
    if (absl::Status s = bits_.Set(first + bit, set); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> StatusList::Get(int64_t index) const {
  if (absl::Status s = CheckIndex(index, entries()); !s.ok()) return s;
  const int64_t first = index * status_size_;
  uint32_t value = 0;
  for (int bit = 0; bit < status_size_; ++bit) {
    absl::StatusOr<bool> set = bits_.Get(first + bit);
    if (!set.ok()) return set.status();
    value = (value << 1) | (*set ? 1u : 0u);
  }
  return value;
}

}  // namespace microcred::status_list
