#include "libs/verification/multikey.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/crypto/crypto.h"
#include "libs/jose/ec_key.h"

namespace microcred::verification {
namespace {

constexpr std::string_view kBase58Alphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
// No public key needs more: a P-256 Multikey is 48 characters.
constexpr size_t kMaxBase58Chars = 128;
// A did:jwk of an RSA key (8192 bits at most) is under 2 KiB of base64url.
constexpr size_t kMaxDidJwkChars = 4096;

constexpr uint64_t kEd25519PubCodec = 0xed;
constexpr uint64_t kP256PubCodec = 0x1200;

// The DER SubjectPublicKeyInfo header of a P-256 key with a compressed point (RFC 5480): what
// OpenSSL reads, so that it decompresses and checks the point.
constexpr unsigned char kP256CompressedSpkiPrefix[] = {
    0x30, 0x39, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x22, 0x00};

// An unsigned LEB128 varint (the multicodec prefix) at the start of `bytes`, and its length.
std::optional<std::pair<uint64_t, size_t>> ReadVarint(std::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes.size() && i < 9; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) return std::make_pair(value, i + 1);
  }
  return std::nullopt;
}

absl::Status Invalid(std::string_view what, absl::string_view rule) {
  return absl::InvalidArgumentError(std::string(what) + ": " + std::string(rule));
}

}  // namespace

absl::StatusOr<std::string> Base58BtcDecode(std::string_view text) {
  if (text.size() > kMaxBase58Chars) {
    return Invalid("base58btc", "longer than " + std::to_string(kMaxBase58Chars) + " characters");
  }
  std::string bytes;  // big-endian, grown as digits are folded in
  for (char c : text) {
    const size_t digit = kBase58Alphabet.find(c);
    if (digit == std::string_view::npos) return Invalid("base58btc", "not a base58btc character");
    unsigned carry = static_cast<unsigned>(digit);
    for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
      carry += 58u * static_cast<unsigned char>(*it);
      *it = static_cast<char>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.insert(bytes.begin(), static_cast<char>(carry & 0xff));
      carry >>= 8;
    }
  }
  size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') ++zeros;
  return std::string(zeros, '\0') + bytes;
}

absl::StatusOr<jose::JwkPublicKey> PublicKeyFromMultibase(std::string_view multibase,
                                                          std::string kid) {
  if (multibase.empty() || multibase[0] != 'z') {
    return Invalid("publicKeyMultibase", "must be base58btc (start with z)");
  }
  absl::StatusOr<std::string> bytes = Base58BtcDecode(multibase.substr(1));
  if (!bytes.ok()) return Invalid("publicKeyMultibase", bytes.status().message());
  auto codec = ReadVarint(*bytes);
  if (!codec) return Invalid("publicKeyMultibase", "no multicodec prefix");
  const std::string_view key = std::string_view(*bytes).substr(codec->second);
  if (codec->first == kEd25519PubCodec) {
    if (key.size() != 32) return Invalid("publicKeyMultibase", "an Ed25519 key is 32 bytes");
    return jose::JwkPublicKey{.kid = std::move(kid),
                              .alg = jose::JwsAlgorithm::kEdDSA,
                              .ed25519_public_key = std::string(key)};
  }
  if (codec->first == kP256PubCodec) {
    if (key.size() != 33 || (key[0] != 0x02 && key[0] != 0x03)) {
      return Invalid("publicKeyMultibase", "a P-256 key is a 33-byte compressed point");
    }
    const std::string spki(reinterpret_cast<const char*>(kP256CompressedSpkiPrefix),
                           sizeof(kP256CompressedSpkiPrefix));
    absl::StatusOr<jose::EcPublicPoint> point =
        jose::EcPublicPointFromSpki(spki + std::string(key));
    if (!point.ok()) return Invalid("publicKeyMultibase", "not a point on P-256");
    // The uncompressed form, as keys from JWKs are, so that equal keys compare equal.
    absl::StatusOr<std::string> der = jose::EcSpkiFromPoint(point->x, point->y);
    if (!der.ok()) return Invalid("publicKeyMultibase", der.status().message());
    return jose::JwkPublicKey{
        .kid = std::move(kid), .alg = jose::JwsAlgorithm::kES256, .ec_spki_der = *std::move(der)};
  }
  return Invalid("publicKeyMultibase",
                 absl::StrCat("multicodec 0x", absl::Hex(codec->first),
                              " is neither ed25519-pub (0xed) nor p256-pub (0x1200)"));
}

absl::StatusOr<jose::JwkPublicKey> PublicKeyFromDidKey(std::string_view did, std::string kid) {
  constexpr std::string_view kPrefix = "did:key:";
  if (did.substr(0, kPrefix.size()) != kPrefix) return Invalid(did.substr(0, 64), "not a did:key");
  absl::StatusOr<jose::JwkPublicKey> key =
      PublicKeyFromMultibase(did.substr(kPrefix.size()), std::move(kid));
  if (!key.ok()) return Invalid("did:key", key.status().message());
  return key;
}

absl::StatusOr<jose::JwkPublicKey> PublicKeyFromJwk(const nlohmann::json& jwk, std::string kid) {
  if (!jwk.is_object()) return Invalid("jwk", "not a JSON object");
  nlohmann::json copy = jwk;
  if (!copy.contains("kid")) copy["kid"] = std::move(kid);
  return jose::FromJwk(copy);
}

absl::StatusOr<jose::JwkPublicKey> PublicKeyFromDidJwk(std::string_view did, std::string kid) {
  constexpr std::string_view kPrefix = "did:jwk:";
  if (did.substr(0, kPrefix.size()) != kPrefix) return Invalid(did.substr(0, 64), "not a did:jwk");
  const std::string_view encoded = did.substr(kPrefix.size());
  if (encoded.size() > kMaxDidJwkChars) return Invalid("did:jwk", "too long");
  absl::StatusOr<std::string> text = crypto::Base64UrlDecode(encoded);
  if (!text.ok()) return Invalid("did:jwk", "not base64url");
  nlohmann::json jwk = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (jwk.is_discarded()) return Invalid("did:jwk", "not a JSON JWK");
  absl::StatusOr<jose::JwkPublicKey> key = PublicKeyFromJwk(jwk, std::move(kid));
  if (!key.ok()) return Invalid("did:jwk", key.status().message());
  return key;
}

bool SamePublicKey(const jose::JwkPublicKey& a, const jose::JwkPublicKey& b) {
  return a.alg == b.alg && a.ed25519_public_key == b.ed25519_public_key &&
         a.rsa_spki_der == b.rsa_spki_der && a.ec_spki_der == b.ec_spki_der;
}

}  // namespace microcred::verification
