#include "libs/jose/rsa_key.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

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

// A PEM key file is a few KiB even at kMaxRsaBits; anything much larger is not one.
constexpr size_t kMaxKeyFileBytes = 16 * 1024;

[[noreturn]] void DieOnOpenSslFailure(const char* what) {
  openssl::DieOnOpenSslFailure("rsa_key", what);
}

std::string BitsRange() {
  return std::to_string(kMinRsaBits) + " to " + std::to_string(kMaxRsaBits);
}

absl::Status CheckRsaKey(const EVP_PKEY& key) {
  if (!EVP_PKEY_is_a(&key, "RSA")) return absl::InvalidArgumentError("not an RSA key");
  int bits = EVP_PKEY_get_bits(&key);
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return absl::InvalidArgumentError("RSA key of " + std::to_string(bits) +
                                      " bits; accepted are " + BitsRange());
  }
  return absl::OkStatus();
}

// An RSA public key from DER SubjectPublicKeyInfo, with nothing after it.
absl::StatusOr<PkeyPtr> PublicKeyFromSpki(std::string_view der) {
  const unsigned char* next = Bytes(der);
  PkeyPtr key(d2i_PUBKEY(nullptr, &next, static_cast<long>(der.size())));
  ERR_clear_error();
  if (key == nullptr || next != Bytes(der) + der.size()) {
    return absl::InvalidArgumentError("not a DER SubjectPublicKeyInfo");
  }
  if (absl::Status status = CheckRsaKey(*key); !status.ok()) return status;
  return key;
}

// One of the key's big-number parameters (OSSL_PKEY_PARAM_RSA_N, _E), big-endian.
std::string BignumParam(const EVP_PKEY& key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(&key, name, &raw) != 1) DieOnOpenSslFailure(name);
  BignumPtr number(raw);
  std::string bytes(static_cast<size_t>(BN_num_bytes(number.get())), '\0');
  BN_bn2bin(number.get(), MutableBytes(bytes));
  return bytes;
}

absl::Status CheckNumbers(const BIGNUM& modulus, const BIGNUM& exponent) {
  int bits = BN_num_bits(&modulus);
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return absl::InvalidArgumentError("RSA modulus of " + std::to_string(bits) +
                                      " bits; accepted are " + BitsRange());
  }
  // 2^32 bounds e as most implementations do; real keys use 65537.
  if (!BN_is_odd(&exponent) || BN_is_one(&exponent) || BN_num_bits(&exponent) > 32) {
    return absl::InvalidArgumentError("RSA exponent must be odd and between 3 and 2^32");
  }
  return absl::OkStatus();
}

// Configures `context` (from EVP_DigestSignInit/EVP_DigestVerifyInit) for RS256. PKCS#1 v1.5 is
// OpenSSL's default for RSA keys, but a default is not a contract.
bool UsePkcs1Padding(EVP_PKEY_CTX* context) {
  return EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1;
}

// --- Key files -------------------------------------------------------------------------------

}  // namespace

void RsaPrivateKey::FreeKey::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

// A moved-from key has a null key_; copying one copies the null.
RsaPrivateKey::RsaPrivateKey(const RsaPrivateKey& other) : key_(other.key_.get()) {
  if (key_ != nullptr) EVP_PKEY_up_ref(key_.get());
}

RsaPrivateKey& RsaPrivateKey::operator=(const RsaPrivateKey& other) {
  if (this != &other) *this = RsaPrivateKey(other);
  return *this;
}

RsaPrivateKey::~RsaPrivateKey() = default;

absl::StatusOr<RsaPrivateKey> RsaPrivateKey::Generate(int bits) {
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return absl::InvalidArgumentError("rsa key: " + std::to_string(bits) +
                                      " bits requested; accepted are " + BitsRange());
  }
  EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned>(bits));
  if (key == nullptr) return absl::InternalError("rsa key: generation: " + TakeOpenSslError());
  return RsaPrivateKey(key);
}

absl::StatusOr<RsaPrivateKey> RsaPrivateKey::FromPkcs8Pem(std::string_view pem) {
  auto key = openssl::ReadPemPrivateKey(pem, kMaxKeyFileBytes, "rsa", "RSA");
  if (!key.ok()) return key.status();
  if (absl::Status status = CheckRsaKey(**key); !status.ok()) {
    return absl::InvalidArgumentError("rsa key: " + std::string(status.message()));
  }
  return RsaPrivateKey(key->release());
}

absl::StatusOr<RsaPrivateKey> RsaPrivateKey::LoadFromFile(const std::string& path) {
  return FromFileContent(path, crypto::ReadSecretFile(path, 1, kMaxKeyFileBytes));
}

absl::StatusOr<RsaPrivateKey> RsaPrivateKey::FromFileContent(const std::string& path,
                                                             absl::StatusOr<std::string> pem) {
  if (!pem.ok()) return pem.status();
  absl::StatusOr<RsaPrivateKey> key = FromPkcs8Pem(*pem);
  crypto::Wipe(*pem);
  if (!key.ok()) return openssl::NameKeyFile(path, "rsa", key.status());
  return key;
}

absl::StatusOr<RsaPrivateKey> RsaPrivateKey::LoadOrCreateFile(const std::string& path, int bits) {
  if (bits < kMinRsaBits || bits > kMaxRsaBits) return Generate(bits).status();
  return FromFileContent(path, crypto::ReadOrCreateSecretFile(path, 1, kMaxKeyFileBytes, [bits] {
                           return Generate(bits)->ToPkcs8Pem();
                         }));
}

absl::Status RsaPrivateKey::SaveToFile(const std::string& path) const {
  return openssl::SavePkcs8File(path, *key_);
}

std::string RsaPrivateKey::ToPkcs8Pem() const { return openssl::Pkcs8Pem(*key_); }

std::string RsaPrivateKey::PublicKeyDer() const { return SpkiDer(*key_); }

std::string RsaPrivateKey::Modulus() const { return BignumParam(*key_, OSSL_PKEY_PARAM_RSA_N); }

std::string RsaPrivateKey::PublicExponent() const {
  return BignumParam(*key_, OSSL_PKEY_PARAM_RSA_E);
}

int RsaPrivateKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

std::string RsaPrivateKey::SignRs256(std::string_view message) const {
  MdCtxPtr context(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_context = nullptr;  // owned by `context`
  size_t size = 0;
  if (context == nullptr ||
      EVP_DigestSignInit(context.get(), &key_context, EVP_sha256(), nullptr, key_.get()) != 1 ||
      !UsePkcs1Padding(key_context) ||
      EVP_DigestSign(context.get(), nullptr, &size, Bytes(message), message.size()) != 1) {
    DieOnOpenSslFailure("RS256 signing setup");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), MutableBytes(signature), &size, Bytes(message),
                     message.size()) != 1) {
    DieOnOpenSslFailure("RS256 signing");
  }
  signature.resize(size);
  return signature;
}

bool VerifyRs256(std::string_view spki_der, std::string_view message, std::string_view signature) {
  absl::StatusOr<PkeyPtr> key = PublicKeyFromSpki(spki_der);
  if (!key.ok()) return false;
  MdCtxPtr context(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_context = nullptr;  // owned by `context`
  bool valid =
      context != nullptr &&
      EVP_DigestVerifyInit(context.get(), &key_context, EVP_sha256(), nullptr, key->get()) == 1 &&
      UsePkcs1Padding(key_context) &&
      EVP_DigestVerify(context.get(), Bytes(signature), signature.size(), Bytes(message),
                       message.size()) == 1;
  ERR_clear_error();  // a bad signature leaves errors queued; they are not news to anyone
  return valid;
}

absl::StatusOr<RsaPublicNumbers> RsaPublicNumbersFromSpki(std::string_view spki_der) {
  absl::StatusOr<PkeyPtr> key = PublicKeyFromSpki(spki_der);
  if (!key.ok()) return key.status();
  return RsaPublicNumbers{.modulus = BignumParam(**key, OSSL_PKEY_PARAM_RSA_N),
                          .exponent = BignumParam(**key, OSSL_PKEY_PARAM_RSA_E)};
}

absl::StatusOr<std::string> RsaSpkiFromNumbers(std::string_view modulus,
                                               std::string_view exponent) {
  BignumPtr n(BN_bin2bn(Bytes(modulus), static_cast<int>(modulus.size()), nullptr));
  BignumPtr e(BN_bin2bn(Bytes(exponent), static_cast<int>(exponent.size()), nullptr));
  if (n == nullptr || e == nullptr) DieOnOpenSslFailure("BN_bin2bn");
  if (absl::Status status = CheckNumbers(*n, *e); !status.ok()) return status;

  ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (build == nullptr ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    DieOnOpenSslFailure("OSSL_PARAM_BLD_push_BN");
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (params == nullptr || context == nullptr || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    DieOnOpenSslFailure("EVP_PKEY_fromdata");
  }
  PkeyPtr key(raw);
  return SpkiDer(*key);
}

std::string RsaKeyFingerprint(std::string_view spki_der) {
  return "rsa:" + crypto::HexEncode(crypto::Sha256(spki_der)).substr(0, 16);
}

}  // namespace microcred::jose
