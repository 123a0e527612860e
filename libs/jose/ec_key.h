// P-256 keys for ES256 (ECDSA on P-256 with SHA-256, RFC 7518 §3.4), on OpenSSL 3.
//
// A node keeps one P-256 private key, as an unencrypted PKCS#8 PEM file readable by its owner
// only, exactly as it keeps its RSA key (rsa_key.h), for institutions that opt into ES256.
// Public keys travel as DER SubjectPublicKeyInfo (RFC 5480) or as the point's affine
// coordinates x and y (for JWKs, RFC 7518 §6.2.1).
//
// Signatures are in the JOSE form, R || S, each a 32-byte unsigned big-endian integer (RFC 7518
// §3.4), never the DER ECDSA-Sig-Value that OpenSSL produces and consumes: SignEs256 converts,
// and VerifyEs256 refuses anything but 64 bytes, a DER signature included.
//
// Only P-256 exists here: a key on any other curve (P-384, secp256k1, explicit parameters) is
// refused wherever a key enters, so that "ES256" always means the one curve RFC 7518 names.
//
// Every function is thread-safe; one EcPrivateKey may sign from many threads at once.
#ifndef MICROCRED_LIBS_JOSE_EC_KEY_H_
#define MICROCRED_LIBS_JOSE_EC_KEY_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

typedef struct evp_pkey_st EVP_PKEY;  // OpenSSL's, as <openssl/types.h> declares it

namespace microcred::jose {

// The size of a P-256 field element, of each of x, y, R and S.
inline constexpr size_t kP256CoordinateBytes = 32;
// An ES256 signature: R || S.
inline constexpr size_t kEs256SignatureBytes = 2 * kP256CoordinateBytes;

class EcPrivateKey {
 public:
  // A fresh P-256 key. Internal only if OpenSSL fails (no entropy).
  static absl::StatusOr<EcPrivateKey> Generate();

  // From an unencrypted PEM private key: "BEGIN PRIVATE KEY" (PKCS#8), as ToPkcs8Pem writes,
  // or the older "BEGIN EC PRIVATE KEY" (SEC 1). InvalidArgument for anything else, including
  // encrypted PEM, non-EC keys and EC keys on another curve than P-256.
  static absl::StatusOr<EcPrivateKey> FromPkcs8Pem(std::string_view pem);

  // Reads a key file written by SaveToFile. NotFound when `path` does not exist;
  // FailedPrecondition when it is not a regular file, is accessible to others, is writable by
  // its group, or is larger than any key file; InvalidArgument when it holds no valid key.
  // (Group read is tolerated, as for the other key files: Kubernetes adds it to secrets
  // mounted in a pod with fsGroup.)
  static absl::StatusOr<EcPrivateKey> LoadFromFile(const std::string& path);

  // LoadFromFile, or when `path` does not exist, Generate and SaveToFile. Safe when several
  // processes race on the same path: exactly one key is written and every caller returns it.
  static absl::StatusOr<EcPrivateKey> LoadOrCreateFile(const std::string& path);

  // Copies share the one immutable OpenSSL key (reference-counted), as cheap as a pointer.
  EcPrivateKey(const EcPrivateKey& other);
  EcPrivateKey& operator=(const EcPrivateKey& other);
  EcPrivateKey(EcPrivateKey&&) noexcept = default;
  EcPrivateKey& operator=(EcPrivateKey&&) noexcept = default;
  ~EcPrivateKey();

  // Writes ToPkcs8Pem() to a new file at `path` with mode 0600, fsynced. AlreadyExists if
  // `path` exists: a key file is never silently replaced.
  absl::Status SaveToFile(const std::string& path) const;

  // Unencrypted PKCS#8 PEM. The result is the secret key: wipe it (OPENSSL_cleanse) after use.
  std::string ToPkcs8Pem() const;

  std::string PublicKeyDer() const;  // DER SubjectPublicKeyInfo, uncompressed point
  std::string X() const;             // the public point's x, 32 bytes big-endian
  std::string Y() const;             // and its y

  // The 64-byte ES256 signature (R || S) of `message`. ECDSA is randomized: two signatures of
  // one message differ. OpenSSL cannot fail here short of memory exhaustion; if it does, the
  // process aborts rather than hand out a token that can never verify.
  std::string SignEs256(std::string_view message) const;

 private:
  static absl::StatusOr<EcPrivateKey> FromFileContent(const std::string& path,
                                                      absl::StatusOr<std::string> pem);
  struct FreeKey {
    void operator()(EVP_PKEY* key) const;
  };
  explicit EcPrivateKey(EVP_PKEY* key) : key_(key) {}

  std::unique_ptr<EVP_PKEY, FreeKey> key_;
};

// True when `signature` is a valid ES256 signature (exactly 64 bytes, R || S, 0 < R, S < n) of
// `message` under the P-256 public key in `spki_der`. False for a DER-encoded or otherwise
// mis-sized signature, and for malformed keys or keys on another curve.
bool VerifyEs256(std::string_view spki_der, std::string_view message, std::string_view signature);

// The affine coordinates of a P-256 public key, each 32 bytes big-endian (left-padded).
struct EcPublicPoint {
  std::string x;
  std::string y;
};

// InvalidArgument unless `spki_der` is a P-256 SubjectPublicKeyInfo.
absl::StatusOr<EcPublicPoint> EcPublicPointFromSpki(std::string_view spki_der);

// The DER SubjectPublicKeyInfo for the point (x, y). InvalidArgument unless x and y are each
// exactly 32 bytes (RFC 7518 §6.2.1.2 and .3 require the full length) and the point is on
// P-256 and not the identity.
absl::StatusOr<std::string> EcSpkiFromPoint(std::string_view x, std::string_view y);

// A short, stable identifier for a P-256 public key, in the style of RsaKeyFingerprint:
// "ec:" + the first 16 hex digits of SHA-256 over the DER SubjectPublicKeyInfo.
std::string EcKeyFingerprint(std::string_view spki_der);

}  // namespace microcred::jose

#endif  // MICROCRED_LIBS_JOSE_EC_KEY_H_
