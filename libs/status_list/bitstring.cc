#include "libs/status_list/bitstring.h"

#include <zlib.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "libs/crypto/crypto.h"

namespace microcred::status_list {
namespace {

constexpr size_t kMinBytes = StatusBitstring::kMinBits / 8;
constexpr size_t kMaxBytes = StatusBitstring::kMaxBits / 8;
constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, GZIP wrapper (RFC 1952)
constexpr size_t kInflateChunk = 64 * 1024;

Bytef* ZBytes(const char* p) { return reinterpret_cast<Bytef*>(const_cast<char*>(p)); }

// Only fails when memory runs out, which the rest of the process does not survive either.
[[noreturn]] void DieOnZlibError(const char* what, int rc) {
  std::fprintf(stderr, "status_list: zlib %s failed (%d)\n", what, rc);
  std::abort();
}

// zlib's GZIP wrapper writes mtime 0 and no file name unless deflateSetHeader() is called, so
// the output depends only on the input (and the zlib version).
std::string Gzip(std::string_view in) {
  z_stream zs{};
  int rc =
      deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY);
  if (rc != Z_OK) DieOnZlibError("deflateInit2", rc);
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = ZBytes(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = ZBytes(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  rc = deflate(&zs, Z_FINISH);  // one call: deflateBound() leaves room for everything
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) DieOnZlibError("deflate", rc);
  return out;
}

class Inflater {
 public:
  Inflater() { init_rc_ = inflateInit2(&zs_, kGzipWindowBits); }
  ~Inflater() {
    if (init_rc_ == Z_OK) inflateEnd(&zs_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Inflates one whole GZIP member, stopping as soon as the output passes `max_out` bytes.
  absl::StatusOr<std::string> Run(std::string_view in, size_t max_out) {
    if (init_rc_ != Z_OK) return absl::InternalError("status list: zlib inflateInit2 failed");
    zs_.next_in = ZBytes(in.data());
    zs_.avail_in = static_cast<uInt>(in.size());
    std::string out;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      if (out.size() > max_out) return TooLong();
      const size_t have = out.size();
      out.resize(have + kInflateChunk);
      zs_.next_out = ZBytes(out.data() + have);
      zs_.avail_out = static_cast<uInt>(kInflateChunk);
      rc = inflate(&zs_, Z_NO_FLUSH);
      out.resize(have + kInflateChunk - zs_.avail_out);
      if (rc == Z_BUF_ERROR) return absl::InvalidArgumentError("status list: GZIP truncated");
      if (rc != Z_OK && rc != Z_STREAM_END) {
        return absl::InvalidArgumentError(absl::StrCat("status list: bad GZIP (zlib ", rc, ")"));
      }
    }
    if (zs_.avail_in != 0) return absl::InvalidArgumentError("status list: bytes after GZIP");
    if (out.size() > max_out) return TooLong();
    return out;
  }

 private:
  static absl::Status TooLong() {
    return absl::InvalidArgumentError(
        absl::StrCat("status list: inflates to more than ", kMaxBytes, " bytes"));
  }

  z_stream zs_{};
  int init_rc_;
};

absl::Status CheckIndex(int64_t index, int64_t size) {
  if (index >= 0 && index < size) return absl::OkStatus();
  return absl::OutOfRangeError(
      absl::StrCat("status list index ", index, " outside [0, ", size, ")"));
}

unsigned char MaskOf(int64_t index) { return static_cast<unsigned char>(0x80u >> (index % 8)); }

}  // namespace

StatusBitstring::StatusBitstring() : bytes_(kMinBytes, '\0') {}

absl::StatusOr<StatusBitstring> StatusBitstring::WithSize(int64_t size_bits) {
  if (size_bits % 8 != 0 || size_bits < kMinBits || size_bits > kMaxBits) {
    return absl::InvalidArgumentError(absl::StrCat("status list size ", size_bits,
                                                   ": must be a multiple of 8 in [", kMinBits, ", ",
                                                   kMaxBits, "]"));
  }
  return StatusBitstring(std::string(static_cast<size_t>(size_bits / 8), '\0'));
}

absl::Status StatusBitstring::Set(int64_t index, bool value) {
  if (absl::Status s = CheckIndex(index, size()); !s.ok()) return s;
  auto& byte = reinterpret_cast<unsigned char&>(bytes_[static_cast<size_t>(index / 8)]);
  byte = value ? (byte | MaskOf(index)) : (byte & ~MaskOf(index));
  return absl::OkStatus();
}

absl::StatusOr<bool> StatusBitstring::Get(int64_t index) const {
  if (absl::Status s = CheckIndex(index, size()); !s.ok()) return s;
  auto byte = static_cast<unsigned char>(bytes_[static_cast<size_t>(index / 8)]);
  return (byte & MaskOf(index)) != 0;
}

std::string StatusBitstring::Encode() const { return "u" + crypto::Base64UrlEncode(Gzip(bytes_)); }

absl::StatusOr<StatusBitstring> StatusBitstring::Decode(std::string_view encoded) {
  // Even incompressible bits stay well under this once gzipped and base64url-encoded; the bound
  // also keeps every length within zlib's 32-bit counters.
  if (encoded.size() > 2 * kMaxBytes) {
    return absl::InvalidArgumentError("status list: encodedList too long");
  }
  if (encoded.empty() || encoded.front() != 'u') {
    return absl::InvalidArgumentError(
        "status list: encodedList must be multibase base64url (prefix \"u\")");
  }
  absl::StatusOr<std::string> gzip = crypto::Base64UrlDecode(encoded.substr(1));
  if (!gzip.ok()) return absl::InvalidArgumentError("status list: encodedList is not base64url");
  absl::StatusOr<std::string> bytes = Inflater().Run(*gzip, kMaxBytes);
  if (!bytes.ok()) return bytes.status();
  if (bytes->size() < kMinBytes) {
    return absl::InvalidArgumentError(absl::StrCat("status list: ", bytes->size() * 8,
                                                   " entries, fewer than the minimum ", kMinBits));
  }
  return StatusBitstring(*std::move(bytes));
}

}  // namespace microcred::status_list
