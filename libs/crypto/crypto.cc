#include "libs/crypto/crypto.h"

#include <sodium.h>

#include <cstdlib>

namespace microcred::crypto {

absl::Status InitCrypto() {
  if (sodium_init() < 0) return absl::InternalError("libsodium failed to initialise");
  return absl::OkStatus();
}

namespace {
const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* MutableBytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// Callers have already called InitCrypto(); this keeps the library safe if they forgot.
void EnsureInit() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) std::abort();
}
}  // namespace

SigningKey SigningKey::Generate() {
  EnsureInit();
  std::string seed(crypto_sign_SEEDBYTES, '\0');
  randombytes_buf(seed.data(), seed.size());
  auto key = FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return *key;
}

absl::StatusOr<SigningKey> SigningKey::FromSeed(std::string_view seed) {
  EnsureInit();
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return absl::InvalidArgumentError("signing key seed: must be 32 bytes");
  }
  SigningKey key;
  key.secret_key_.assign(crypto_sign_SECRETKEYBYTES, '\0');
  key.public_key_.assign(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_seed_keypair(MutableBytes(key.public_key_), MutableBytes(key.secret_key_),
                           Bytes(seed));
  return key;
}

SigningKey::~SigningKey() {
  if (!secret_key_.empty()) sodium_memzero(secret_key_.data(), secret_key_.size());
}

std::string SigningKey::Sign(std::string_view message) const {
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(MutableBytes(signature), nullptr, Bytes(message), message.size(),
                       Bytes(secret_key_));
  return signature;
}

std::string SigningKey::ToSeed() const { return secret_key_.substr(0, crypto_sign_SEEDBYTES); }

bool Verify(std::string_view public_key, std::string_view message, std::string_view signature) {
  EnsureInit();
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                     Bytes(public_key)) == 0;
}

std::string Base64UrlEncode(std::string_view bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

absl::StatusOr<std::string> Base64UrlDecode(std::string_view text) {
  std::string out(text.size() * 3 / 4 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(MutableBytes(out), out.size(), text.data(), text.size(), nullptr, &len,
                        &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return absl::InvalidArgumentError("not valid unpadded base64url");
  }
  out.resize(len);
  return out;
}

std::string HexEncode(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), Bytes(bytes), bytes.size());
  out.resize(bytes.size() * 2);
  return out;
}

std::string RandomBytes(size_t n) {
  EnsureInit();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string RandomId() { return HexEncode(RandomBytes(16)); }

std::string Sha256(std::string_view bytes) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(MutableBytes(out), Bytes(bytes), bytes.size());
  return out;
}

std::string KeyFingerprint(std::string_view public_key) {
  return "ed25519:" + HexEncode(Sha256(public_key)).substr(0, 16);
}

}  // namespace microcred::crypto
