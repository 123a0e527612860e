// Ed25519 keys, signatures, and the encodings the platform uses around them (libsodium).
//
// Every function here is thread-safe. InitCrypto() must have succeeded before any other call;
// it is idempotent and cheap after the first call.
#ifndef MICROCRED_LIBS_CRYPTO_CRYPTO_H_
#define MICROCRED_LIBS_CRYPTO_CRYPTO_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace microcred::crypto {

absl::Status InitCrypto();

inline constexpr size_t kPublicKeyBytes = 32;
inline constexpr size_t kSignatureBytes = 64;

// An Ed25519 signing key. The secret never leaves this object except through ToSeed(), for
// writing to a protected key file.
class SigningKey {
 public:
  static SigningKey Generate();
  // From the 32-byte seed written by ToSeed().
  static absl::StatusOr<SigningKey> FromSeed(std::string_view seed);

  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;
  ~SigningKey();

  std::string Sign(std::string_view message) const;              // 64 bytes, detached
  const std::string& public_key() const { return public_key_; }  // 32 bytes
  std::string ToSeed() const;

 private:
  SigningKey() = default;
  std::string secret_key_;  // 64 bytes: seed || public key
  std::string public_key_;
};

// True when `signature` is a valid Ed25519 signature of `message` by `public_key`.
bool Verify(std::string_view public_key, std::string_view message, std::string_view signature);

// base64url without padding (RFC 4648 §5), as JOSE uses.
std::string Base64UrlEncode(std::string_view bytes);
// Base64UrlEncode(bytes) appended to *out.
void AppendBase64Url(std::string_view bytes, std::string* out);
absl::StatusOr<std::string> Base64UrlDecode(std::string_view text);

std::string HexEncode(std::string_view bytes);

// `n` bytes from the operating system's CSPRNG.
std::string RandomBytes(size_t n);
// 128 random bits as 32 hex characters: event ids, request ids.
std::string RandomId();

std::string Sha256(std::string_view bytes);  // 32 bytes

// A short, stable identifier for a public key: "ed25519:" + first 16 hex of SHA-256.
std::string KeyFingerprint(std::string_view public_key);

}  // namespace microcred::crypto

#endif  // MICROCRED_LIBS_CRYPTO_CRYPTO_H_
