#include "libs/jose/ec_key.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "libs/crypto/crypto.h"
#include "libs/crypto/secret_file.h"
#include "libs/jose/openssl_key.h"

namespace microcred::jose {

namespace {

using openssl::BignumPtr;
using openssl::BioPtr;
using openssl::Bytes;
using openssl::MdCtxPtr;
using openssl::MutableBytes;
using openssl::ParamBuildPtr;
using openssl::ParamsPtr;
using openssl::PkeyCtxPtr;
using openssl::PkeyPtr;
using openssl::SpkiDer;
using openssl::TakeOpenSslError;

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, openssl::Deleter<ECDSA_SIG_free>>;

// A P-256 PEM key file is about 250 bytes; anything much larger is not one.
constexpr size_t kMaxKeyFileBytes = 4 * 1024;

// DER ECDSA-Sig-Value of two 256-bit integers: at most 72 bytes.
constexpr size_t kMaxDerSignatureBytes = 80;

[[noreturn]] void DieOnOpenSslFailure(const char* what) {
  openssl::DieOnOpenSslFailure("ec_key", what);
}

// P-256 under any of its names: OpenSSL reports "prime256v1" (the X9.62 name), but a provider
// may say "P-256" (the NIST name) or "secp256r1" (SEC 2).
bool IsP256Name(const char* name) {
  int nid = OBJ_sn2nid(name);
  if (nid == NID_undef) nid = EC_curve_nist2nid(name);
  return nid == NID_X9_62_prime256v1;
}

absl::Status CheckP256Key(const EVP_PKEY& key) {
  if (!EVP_PKEY_is_a(&key, "EC")) return absl::InvalidArgumentError("not an EC key");
  char name[64] = "";
  size_t length = 0;
  // Explicit curve parameters have no group name and fail here, as they should: a key that
  // spells out P-256's parameters is needlessly unusual, and one with other parameters is not
  // P-256 at all.
  if (EVP_PKEY_get_group_name(&key, name, sizeof(name), &length) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("EC key without a named curve; only P-256 is accepted");
  }
  if (!IsP256Name(name)) {
    return absl::InvalidArgumentError("EC key on curve " + std::string(name) +
                                      "; only P-256 is accepted");
  }
  return absl::OkStatus();
}

absl::StatusOr<PkeyPtr> PublicKeyFromSpki(std::string_view der) {
  const unsigned char* next = Bytes(der);
  PkeyPtr key(d2i_PUBKEY(nullptr, &next, static_cast<long>(der.size())));
  ERR_clear_error();
  if (key == nullptr || next != Bytes(der) + der.size()) {
    return absl::InvalidArgumentError("not a DER SubjectPublicKeyInfo");
  }
  if (absl::Status status = CheckP256Key(*key); !status.ok()) return status;
  return key;
}

// Verification keys parsed from their SPKI, shared. OpenSSL 3.0's d2i_PUBKEY runs its decoder
// framework and costs about twice an ECDSA verification (jose_bench measured 32% of the raw
// verify rate without this), while a verifier checks many tokens against a few issuer keys.
// Bounded: when full it starts over, so a stream of distinct keys costs memory for at most
// kMaxCachedKeys of them. Only keys that passed PublicKeyFromSpki are kept.
class VerificationKeyCache {
 public:
  static constexpr size_t kMaxCachedKeys = 256;

  absl::StatusOr<PkeyPtr> Get(std::string_view spki_der) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = keys_.find(spki_der); it != keys_.end()) return UpRef(it->second.get());
    }
    absl::StatusOr<PkeyPtr> key = PublicKeyFromSpki(spki_der);
    if (!key.ok()) return key;
    std::lock_guard<std::mutex> lock(mutex_);
    if (keys_.size() >= kMaxCachedKeys) keys_.clear();
    keys_.try_emplace(std::string(spki_der), UpRef(key->get()));
    return key;
  }

 private:
  static PkeyPtr UpRef(EVP_PKEY* key) {
    if (EVP_PKEY_up_ref(key) != 1) DieOnOpenSslFailure("EVP_PKEY_up_ref");
    return PkeyPtr(key);
  }

  std::mutex mutex_;
  std::map<std::string, PkeyPtr, std::less<>> keys_;
};

VerificationKeyCache& VerificationKeys() {
  static VerificationKeyCache* const cache = new VerificationKeyCache();  // never destroyed
  return *cache;
}

// One coordinate of the public point (OSSL_PKEY_PARAM_EC_PUB_X, _Y), left-padded to 32 bytes
// as JWKs and JOSE signatures need it.
std::string Coordinate(const EVP_PKEY& key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(&key, name, &raw) != 1) DieOnOpenSslFailure(name);
  BignumPtr number(raw);
  std::string bytes(kP256CoordinateBytes, '\0');
  if (BN_bn2binpad(number.get(), MutableBytes(bytes), static_cast<int>(bytes.size())) < 0) {
    DieOnOpenSslFailure("BN_bn2binpad");
  }
  return bytes;
}

// OpenSSL's DER ECDSA-Sig-Value to JOSE's R || S.
std::string DerToJose(std::string_view der) {
  const unsigned char* next = Bytes(der);
  EcdsaSigPtr signature(d2i_ECDSA_SIG(nullptr, &next, static_cast<long>(der.size())));
  if (signature == nullptr) DieOnOpenSslFailure("d2i_ECDSA_SIG");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(signature.get(), &r, &s);
  std::string jose(kEs256SignatureBytes, '\0');
  unsigned char* out = MutableBytes(jose);
  if (BN_bn2binpad(r, out, kP256CoordinateBytes) < 0 ||
      BN_bn2binpad(s, out + kP256CoordinateBytes, kP256CoordinateBytes) < 0) {
    DieOnOpenSslFailure("BN_bn2binpad");
  }
  return jose;
}

// JOSE's R || S (already checked to be 64 bytes) to the DER that EVP_DigestVerify takes.
// Empty only if OpenSSL runs out of memory. Zero or too-large R and S are encoded as they are
// and left to the verification to refuse.
std::string JoseToDer(std::string_view jose) {
  EcdsaSigPtr signature(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(Bytes(jose), kP256CoordinateBytes, nullptr);
  BIGNUM* s = BN_bin2bn(Bytes(jose) + kP256CoordinateBytes, kP256CoordinateBytes, nullptr);
  if (signature == nullptr || r == nullptr || s == nullptr ||
      ECDSA_SIG_set0(signature.get(), r, s) != 1) {  // takes r and s on success only
    BN_free(r);
    BN_free(s);
    return "";
  }
  unsigned char buffer[kMaxDerSignatureBytes];
  unsigned char* out = buffer;
  int size = i2d_ECDSA_SIG(signature.get(), nullptr);
  if (size <= 0 || static_cast<size_t>(size) > sizeof(buffer) ||
      i2d_ECDSA_SIG(signature.get(), &out) != size) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(buffer), static_cast<size_t>(size));
}

}  // namespace

void EcPrivateKey::FreeKey::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

// A moved-from key has a null key_; copying one copies the null.
EcPrivateKey::EcPrivateKey(const EcPrivateKey& other) : key_(other.key_.get()) {
  if (key_ != nullptr) EVP_PKEY_up_ref(key_.get());
}

EcPrivateKey& EcPrivateKey::operator=(const EcPrivateKey& other) {
  if (this != &other) *this = EcPrivateKey(other);
  return *this;
}

EcPrivateKey::~EcPrivateKey() = default;

absl::StatusOr<EcPrivateKey> EcPrivateKey::Generate() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) return absl::InternalError("ec key: generation: " + TakeOpenSslError());
  return EcPrivateKey(key);
}

absl::StatusOr<EcPrivateKey> EcPrivateKey::FromPkcs8Pem(std::string_view pem) {
  auto key = openssl::ReadPemPrivateKey(pem, kMaxKeyFileBytes, "ec", "P-256");
  if (!key.ok()) return key.status();
  if (absl::Status status = CheckP256Key(**key); !status.ok()) {
    return absl::InvalidArgumentError("ec key: " + std::string(status.message()));
  }
  return EcPrivateKey(key->release());
}

absl::StatusOr<EcPrivateKey> EcPrivateKey::LoadFromFile(const std::string& path) {
  return FromFileContent(path, crypto::ReadSecretFile(path, 1, kMaxKeyFileBytes));
}

absl::StatusOr<EcPrivateKey> EcPrivateKey::FromFileContent(const std::string& path,
                                                           absl::StatusOr<std::string> pem) {
  if (!pem.ok()) return pem.status();
  absl::StatusOr<EcPrivateKey> key = FromPkcs8Pem(*pem);
  crypto::Wipe(*pem);
  if (!key.ok()) return openssl::NameKeyFile(path, "ec", key.status());
  return key;
}

absl::StatusOr<EcPrivateKey> EcPrivateKey::LoadOrCreateFile(const std::string& path) {
  return FromFileContent(path, crypto::ReadOrCreateSecretFile(path, 1, kMaxKeyFileBytes, [] {
                           return Generate()->ToPkcs8Pem();
                         }));
}

absl::Status EcPrivateKey::SaveToFile(const std::string& path) const {
  return openssl::SavePkcs8File(path, *key_);
}

std::string EcPrivateKey::ToPkcs8Pem() const { return openssl::Pkcs8Pem(*key_); }

std::string EcPrivateKey::PublicKeyDer() const { return SpkiDer(*key_); }

std::string EcPrivateKey::X() const { return Coordinate(*key_, OSSL_PKEY_PARAM_EC_PUB_X); }

std::string EcPrivateKey::Y() const { return Coordinate(*key_, OSSL_PKEY_PARAM_EC_PUB_Y); }

std::string EcPrivateKey::SignEs256(std::string_view message) const {
  MdCtxPtr context(EVP_MD_CTX_new());
  unsigned char der[kMaxDerSignatureBytes];
  size_t size = sizeof(der);
  if (context == nullptr ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(context.get(), der, &size, Bytes(message), message.size()) != 1) {
    DieOnOpenSslFailure("ES256 signing");
  }
  return DerToJose(std::string_view(reinterpret_cast<const char*>(der), size));
}

bool VerifyEs256(std::string_view spki_der, std::string_view message, std::string_view signature) {
  // The fixed width is the whole defence against DER (70 to 72 bytes) and any other encoding:
  // RFC 7518 §3.4 admits exactly R || S.
  if (signature.size() != kEs256SignatureBytes) return false;
  absl::StatusOr<PkeyPtr> key = VerificationKeys().Get(spki_der);
  if (!key.ok()) return false;
  std::string der = JoseToDer(signature);
  if (der.empty()) return false;
  MdCtxPtr context(EVP_MD_CTX_new());
  bool valid =
      context != nullptr &&
      EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key->get()) == 1 &&
      EVP_DigestVerify(context.get(), Bytes(der), der.size(), Bytes(message), message.size()) == 1;
  ERR_clear_error();  // a bad signature leaves errors queued; they are not news to anyone
  return valid;
}

absl::StatusOr<EcPublicPoint> EcPublicPointFromSpki(std::string_view spki_der) {
  absl::StatusOr<PkeyPtr> key = PublicKeyFromSpki(spki_der);
  if (!key.ok()) return key.status();
  return EcPublicPoint{.x = Coordinate(**key, OSSL_PKEY_PARAM_EC_PUB_X),
                       .y = Coordinate(**key, OSSL_PKEY_PARAM_EC_PUB_Y)};
}

absl::StatusOr<std::string> EcSpkiFromPoint(std::string_view x, std::string_view y) {
  if (x.size() != kP256CoordinateBytes || y.size() != kP256CoordinateBytes) {
    return absl::InvalidArgumentError("P-256 coordinates must be 32 bytes each");
  }
  // The uncompressed SEC 1 encoding, 0x04 || x || y, which OpenSSL checks is on the curve.
  std::string point = "\x04" + std::string(x) + std::string(y);
  ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (build == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    DieOnOpenSslFailure("OSSL_PARAM_BLD_push");
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (params == nullptr || context == nullptr || EVP_PKEY_fromdata_init(context.get()) != 1) {
    DieOnOpenSslFailure("EVP_PKEY_fromdata_init");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("(x, y) is not a point on P-256");
  }
  PkeyPtr key(raw);
  // fromdata decodes the point onto the curve; the full public check also rules out the
  // identity and points outside the prime-order group, whatever a provider's decoder does.
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (check == nullptr) DieOnOpenSslFailure("EVP_PKEY_CTX_new_from_pkey");
  if (EVP_PKEY_public_check(check.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("(x, y) is not a valid P-256 public key");
  }
  return SpkiDer(*key);
}

std::string EcKeyFingerprint(std::string_view spki_der) {
  return "ec:" + crypto::HexEncode(crypto::Sha256(spki_der)).substr(0, 16);
}

}  // namespace microcred::jose
