#include "libs/crypto/crypto.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>

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

// Table-driven: what goes through base64url here is public (JWS parts, public keys, ids), so
// libsodium's constant-time codec, several times slower on credential-sized input, buys nothing.
namespace {
constexpr char kBase64UrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<int8_t, 256> Base64UrlValues() {
  std::array<int8_t, 256> values{};
  for (int8_t& v : values) v = -1;
  for (int i = 0; i < 64; ++i) values[static_cast<unsigned char>(kBase64UrlAlphabet[i])] = i;
  return values;
}
constexpr std::array<int8_t, 256> kBase64UrlValues = Base64UrlValues();
}  // namespace

void AppendBase64Url(std::string_view bytes, std::string* out) {
  const size_t start = out->size();
  out->resize(start + (bytes.size() * 4 + 2) / 3);
  // Through raw pointers: writes into a std::string's chars would alias the input and the
  // table, and keep the compiler from holding them in registers.
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
  char* dst = out->data() + start;
  const char* alphabet = kBase64UrlAlphabet;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3, dst += 4) {
    const uint32_t n = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
    dst[0] = alphabet[(n >> 18) & 63];
    dst[1] = alphabet[(n >> 12) & 63];
    dst[2] = alphabet[(n >> 6) & 63];
    dst[3] = alphabet[n & 63];
  }
  if (const size_t rest = bytes.size() - i; rest > 0) {
    const uint32_t n = (in[i] << 16) | (rest == 2 ? in[i + 1] << 8 : 0);
    *dst++ = alphabet[(n >> 18) & 63];
    *dst++ = alphabet[(n >> 12) & 63];
    if (rest == 2) *dst++ = alphabet[(n >> 6) & 63];
  }
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  AppendBase64Url(bytes, &out);
  return out;
}

absl::StatusOr<std::string> Base64UrlDecode(std::string_view text) {
  const auto invalid = [] { return absl::InvalidArgumentError("not valid unpadded base64url"); };
  const size_t tail = text.size() % 4;
  if (tail == 1) return invalid();
  std::string out(text.size() / 4 * 3 + (tail == 0 ? 0 : tail - 1), '\0');
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  auto value = [](unsigned char c) { return static_cast<int32_t>(kBase64UrlValues[c]); };
  size_t i = 0;
  char* dst = out.data();
  // Four characters make three bytes; any invalid character makes the OR negative.
  for (; i + 4 <= text.size(); i += 4, dst += 3) {
    const int32_t a = value(in[i]), b = value(in[i + 1]), c = value(in[i + 2]),
                  d = value(in[i + 3]);
    if ((a | b | c | d) < 0) return invalid();
    const uint32_t n = (a << 18) | (b << 12) | (c << 6) | d;
    dst[0] = static_cast<char>(n >> 16);
    dst[1] = static_cast<char>((n >> 8) & 0xff);
    dst[2] = static_cast<char>(n & 0xff);
  }
  if (tail == 0) return out;
  const int32_t a = value(in[i]), b = value(in[i + 1]), c = tail == 3 ? value(in[i + 2]) : 0;
  if ((a | b | c) < 0) return invalid();
  const uint32_t n = (a << 18) | (b << 12) | (c << 6);
  // The unused low bits of the last character must be zero (canonical encoding).
  if ((tail == 2 && (n & 0xffff) != 0) || (tail == 3 && (n & 0xff) != 0)) return invalid();
  dst[0] = static_cast<char>(n >> 16);
  if (tail == 3) dst[1] = static_cast<char>((n >> 8) & 0xff);
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

// OpenSSL's SHA-256 uses the processor's SHA extensions; libsodium's is portable C, about four
// times slower on a credential.
std::string Sha256(std::string_view bytes) {
  // OpenSSL 3's one-shot SHA256() looks the algorithm up under a lock and allocates a context
  // on every call, which costs more than hashing a short input: the algorithm is fetched once
  // and each thread keeps its context.
  static const EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct ContextDeleter {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  thread_local const std::unique_ptr<EVP_MD_CTX, ContextDeleter> context(EVP_MD_CTX_new());
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  unsigned int size = 0;
  if (kSha256 == nullptr || context == nullptr ||
      EVP_DigestInit_ex2(context.get(), kSha256, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), reinterpret_cast<unsigned char*>(out.data()), &size) != 1) {
    // Only when OpenSSL cannot run at all; the one-shot function reports nothing either.
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
           reinterpret_cast<unsigned char*>(out.data()));
  }
  return out;
}

std::string KeyFingerprint(std::string_view public_key) {
  return "ed25519:" + HexEncode(Sha256(public_key)).substr(0, 16);
}

}  // namespace microcred::crypto
