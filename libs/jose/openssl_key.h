// What the OpenSSL key types of libs/jose (rsa_key.h, ec_key.h) share: owning pointers for
// OpenSSL objects, its error queue, and private keys to and from unencrypted PKCS#8 PEM and
// key files. Internal to libs/jose: the public API speaks bytes and absl::Status, not OpenSSL.
#ifndef MICROCRED_LIBS_JOSE_OPENSSL_KEY_H_
#define MICROCRED_LIBS_JOSE_OPENSSL_KEY_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace microcred::jose::openssl {

template <auto kFree>
struct Deleter {
  template <typename T>
  void operator()(T* pointer) const {
    kFree(pointer);
  }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;

inline const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
inline unsigned char* MutableBytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

// The most recent OpenSSL error of this thread. Clears the thread's queue, so that a later,
// unrelated failure is not reported with a stale reason.
std::string TakeOpenSslError();

// For calls that fail only when memory runs out: a process that cannot sign or encode a key
// stops, rather than hand out something that never verifies. `module` names the caller.
[[noreturn]] void DieOnOpenSslFailure(const char* module, const char* what);

// The DER SubjectPublicKeyInfo of `key`.
std::string SpkiDer(const EVP_PKEY& key);

// `key` as unencrypted PKCS#8 PEM. The result is the secret key: wipe it after use.
std::string Pkcs8Pem(const EVP_PKEY& key);

// An unencrypted PEM private key of any type (PKCS#8, or a type's traditional form); the
// caller checks its type. InvalidArgument "<label> key: ..." when `pem` is longer than
// `max_bytes` (any `kind` key's is shorter), encrypted or not a private key.
absl::StatusOr<PkeyPtr> ReadPemPrivateKey(std::string_view pem, size_t max_bytes,
                                          std::string_view label, std::string_view kind);

// Writes Pkcs8Pem(key) to a new file at `path` (0600, fsynced); AlreadyExists if it exists.
absl::Status SavePkcs8File(const std::string& path, const EVP_PKEY& key);

// What reading the key file at `path` gave, with an InvalidArgument naming the file:
// "<label> key file <path>: ...".
absl::Status NameKeyFile(const std::string& path, std::string_view label, absl::Status status);

}  // namespace microcred::jose::openssl

#endif  // MICROCRED_LIBS_JOSE_OPENSSL_KEY_H_
