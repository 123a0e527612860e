// RSA keys for RS256 (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3), on OpenSSL 3.
//
// A node keeps one RSA private key, as an unencrypted PKCS#8 PEM file readable by its owner
// only, for institutions that opt into RS256; Ed25519 remains the default. Public keys travel
// as DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) or as their modulus and exponent (for JWKs).
//
// Keys are between kMinRsaBits and kMaxRsaBits: RFC 7518 §3.3 requires at least 2048, and the
// upper bound keeps a hostile JWK from making every verification arbitrarily slow.
//
// Every function is thread-safe; one RsaPrivateKey may sign from many threads at once.
#ifndef MICROCRED_LIBS_JOSE_RSA_KEY_H_
#define MICROCRED_LIBS_JOSE_RSA_KEY_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

typedef struct evp_pkey_st EVP_PKEY;  // OpenSSL's, as <openssl/types.h> declares it

namespace microcred::jose {

inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;

class RsaPrivateKey {
 public:
  // A fresh key with public exponent 65537. InvalidArgument unless kMinRsaBits <= bits <=
  // kMaxRsaBits. Takes tens to hundreds of milliseconds at 2048 bits.
  static absl::StatusOr<RsaPrivateKey> Generate(int bits = kMinRsaBits);

  // From an unencrypted PEM private key: "BEGIN PRIVATE KEY" (PKCS#8), as ToPkcs8Pem writes,
  // or the older "BEGIN RSA PRIVATE KEY" (PKCS#1). InvalidArgument for anything else,
  // including encrypted PEM, non-RSA keys, and sizes outside the bounds above.
  static absl::StatusOr<RsaPrivateKey> FromPkcs8Pem(std::string_view pem);

  // Reads a key file written by SaveToFile. NotFound when `path` does not exist;
  // FailedPrecondition when it is not a regular file, is accessible to others, is writable by
  // its group, or is larger than any RSA key file; InvalidArgument when it holds no valid key.
  // (Group read is tolerated, as for the Ed25519 key files: Kubernetes adds it to secrets
  // mounted in a pod with fsGroup.)
  static absl::StatusOr<RsaPrivateKey> LoadFromFile(const std::string& path);

  // LoadFromFile, or when `path` does not exist, Generate(bits) and SaveToFile. Safe when
  // several processes race on the same path: exactly one key is written and every caller
  // returns it.
  static absl::StatusOr<RsaPrivateKey> LoadOrCreateFile(const std::string& path,
                                                        int bits = kMinRsaBits);

  // Copies share the one immutable OpenSSL key (reference-counted), as cheap as a pointer.
  RsaPrivateKey(const RsaPrivateKey& other);
  RsaPrivateKey& operator=(const RsaPrivateKey& other);
  RsaPrivateKey(RsaPrivateKey&&) noexcept = default;
  RsaPrivateKey& operator=(RsaPrivateKey&&) noexcept = default;
  ~RsaPrivateKey();

  // Writes ToPkcs8Pem() to a new file at `path` with mode 0600, fsynced. AlreadyExists if
  // `path` exists: a key file is never silently replaced.
  absl::Status SaveToFile(const std::string& path) const;

  // Unencrypted PKCS#8 PEM. The result is the secret key: wipe it (OPENSSL_cleanse) after use.
  std::string ToPkcs8Pem() const;

  std::string PublicKeyDer() const;    // DER SubjectPublicKeyInfo
  std::string Modulus() const;         // n, unsigned big-endian, no leading zero bytes
  std::string PublicExponent() const;  // e, likewise
  int bits() const;

  // The 256-byte (for 2048 bits) RSASSA-PKCS1-v1_5 SHA-256 signature of `message`. OpenSSL
  // cannot fail here short of memory exhaustion; if it does, the process aborts rather than
  // hand out a token that can never verify.
  std::string SignRs256(std::string_view message) const;

 private:
  // The key in a file's content, with errors naming the file.
  static absl::StatusOr<RsaPrivateKey> FromFileContent(const std::string& path,
                                                       absl::StatusOr<std::string> pem);
  struct FreeKey {
    void operator()(EVP_PKEY* key) const;
  };
  explicit RsaPrivateKey(EVP_PKEY* key) : key_(key) {}

  std::unique_ptr<EVP_PKEY, FreeKey> key_;
};

// True when `signature` is a valid RS256 signature of `message` under the RSA public key in
// `spki_der` (DER SubjectPublicKeyInfo). False for malformed or out-of-bounds keys too.
bool VerifyRs256(std::string_view spki_der, std::string_view message, std::string_view signature);

// The modulus and public exponent of an RSA public key, unsigned big-endian bytes.
struct RsaPublicNumbers {
  std::string modulus;
  std::string exponent;
};

// InvalidArgument unless `spki_der` is an RSA SubjectPublicKeyInfo within the size bounds.
absl::StatusOr<RsaPublicNumbers> RsaPublicNumbersFromSpki(std::string_view spki_der);

// The DER SubjectPublicKeyInfo for (modulus, exponent). Leading zero bytes are tolerated.
// InvalidArgument when the modulus is outside the size bounds or the exponent is not an odd
// number greater than 1.
absl::StatusOr<std::string> RsaSpkiFromNumbers(std::string_view modulus, std::string_view exponent);

// A short, stable identifier for an RSA public key, in the style of crypto::KeyFingerprint:
// "rsa:" + the first 16 hex digits of SHA-256 over the DER SubjectPublicKeyInfo.
std::string RsaKeyFingerprint(std::string_view spki_der);

}  // namespace microcred::jose

#endif  // MICROCRED_LIBS_JOSE_RSA_KEY_H_
