// StatusBitstring: the bits of a W3C Bitstring Status List v1.0 (one bit per credential; a set
// bit means "revoked" or "suspended", depending on the list's purpose) and its `encodedList`
// text form.
//
// Bit order is the spec's: index 0 is the left-most (most significant) bit of the first byte.
// The size is a whole number of bytes, at least kMinBits (the spec's 131,072 entries = 16 KiB,
// which gives every credential a large group to hide in) and at most kMaxBits.
//
// Encode() is deterministic: the same bits always give the same text (GZIP with a zero mtime),
// so a status list credential only changes when a status does.
//
// A value type; not synchronised: guard a shared instance yourself.
#ifndef MICROCRED_LIBS_STATUS_LIST_BITSTRING_H_
#define MICROCRED_LIBS_STATUS_LIST_BITSTRING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace microcred::status_list {

class StatusBitstring {
 public:
  static constexpr int64_t kMinBits = 131'072;
  // 16 MiB of bits. Decode() refuses anything that inflates to more: a few kilobytes of GZIP
  // can expand to gigabytes (a "zip bomb"), and status lists come from other nodes.
  static constexpr int64_t kMaxBits = int64_t{16} * 1024 * 1024 * 8;

  // kMinBits bits, all zero.
  StatusBitstring();
  // `size_bits` bits, all zero. InvalidArgument unless it is a multiple of 8 within
  // [kMinBits, kMaxBits].
  static absl::StatusOr<StatusBitstring> WithSize(int64_t size_bits);

  int64_t size() const { return static_cast<int64_t>(bytes_.size()) * 8; }

  // OutOfRange unless 0 <= index < size().
  absl::Status Set(int64_t index, bool value);
  absl::StatusOr<bool> Get(int64_t index) const;

  // The spec's `encodedList`: "u" (multibase base64url) + unpadded base64url of the GZIP of
  // the bytes.
  std::string Encode() const;

  // Parses an `encodedList`. InvalidArgument when the multibase prefix is not "u", the
  // base64url or the GZIP stream is malformed (trailing bytes included), or the inflated list
  // is shorter than kMinBits or longer than kMaxBits (inflation stops at the cap).
  static absl::StatusOr<StatusBitstring> Decode(std::string_view encoded);

  // The raw bytes, index 0 in the top bit of bytes()[0].
  const std::string& bytes() const { return bytes_; }

  friend bool operator==(const StatusBitstring&, const StatusBitstring&) = default;

 private:
  explicit StatusBitstring(std::string bytes) : bytes_(std::move(bytes)) {}

  std::string bytes_;
};

}  // namespace microcred::status_list

#endif  // MICROCRED_LIBS_STATUS_LIST_BITSTRING_H_
