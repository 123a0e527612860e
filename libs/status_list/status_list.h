// StatusList: the entries of a W3C Bitstring Status List v1.0, `status_size` bits each, over a
// StatusBitstring (which holds the bits and their `encodedList` text form).
//
// Entry i is the status_size bits from bit position i * status_size on, read as a number with
// the most significant bit first (the spec's "statusListIndex times the statusSize"; bit 0 is the
// left-most bit of the first byte). With status_size 1 an entry is one bit, as in the platform's
// revocation and suspension lists; with 2 it holds one of four codes, as in its "message" list.
//
// A list has at least kMinEntries entries: the spec's minimumNumberOfEntries, counted in entries,
// not bits (a 2-bit list is at least 262,144 bits, 32 KiB before GZIP). Decode() refuses fewer,
// as the spec's validation algorithm raises STATUS_LIST_LENGTH_ERROR.
//
// A value type; not synchronised: guard a shared instance yourself.
#ifndef MICROCRED_LIBS_STATUS_LIST_STATUS_LIST_H_
#define MICROCRED_LIBS_STATUS_LIST_STATUS_LIST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/status_list/bitstring.h"

namespace microcred::status_list {

class StatusList {
 public:
  static constexpr int64_t kMinEntries = 131'072;
  // An entry's statusMessage lists 2^status_size messages: 256 at most is plenty.
  static constexpr int kMaxStatusSize = 8;

  // `entries` entries of `status_size` bits, all zero. InvalidArgument unless
  // 1 <= status_size <= kMaxStatusSize, entries >= kMinEntries, and entries * status_size is a
  // size StatusBitstring::WithSize takes (a multiple of 8, at most StatusBitstring::kMaxBits).
  static absl::StatusOr<StatusList> Create(int status_size, int64_t entries = kMinEntries);

  // Parses an `encodedList` whose entries are `status_size` bits. InvalidArgument as
  // StatusBitstring::Decode, for a status_size outside [1, kMaxStatusSize], or when the list
  // holds fewer than kMinEntries entries.
  static absl::StatusOr<StatusList> Decode(std::string_view encoded, int status_size);

  int status_size() const { return status_size_; }
  // Whole entries only: bits beyond the last whole entry belong to none.
  int64_t entries() const { return bits_.size() / status_size_; }

  // OutOfRange unless 0 <= index < entries(); InvalidArgument when `value` does not fit in
  // status_size() bits.
  absl::Status Set(int64_t index, uint32_t value);
  absl::StatusOr<uint32_t> Get(int64_t index) const;

  // The spec's `encodedList` (StatusBitstring::Encode): deterministic.
  std::string Encode() const { return bits_.Encode(); }
  const StatusBitstring& bits() const { return bits_; }

  friend bool operator==(const StatusList&, const StatusList&) = default;

 private:
  StatusList(int status_size, StatusBitstring bits)
      : status_size_(status_size), bits_(std::move(bits)) {}

  int status_size_;
  StatusBitstring bits_;
};

}  // namespace microcred::status_list

#endif  // MICROCRED_LIBS_STATUS_LIST_STATUS_LIST_H_
