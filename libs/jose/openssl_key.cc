#include "libs/jose/openssl_key.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>

#include "libs/crypto/crypto.h"
#include "libs/crypto/secret_file.h"

namespace microcred::jose::openssl {

std::string TakeOpenSslError() {
  unsigned long code = ERR_peek_last_error();
  char reason[256] = "unknown OpenSSL error";
  if (code != 0) ERR_error_string_n(code, reason, sizeof(reason));
  ERR_clear_error();
  return reason;
}

void DieOnOpenSslFailure(const char* module, const char* what) {
  std::fprintf(stderr, "FATAL %s: %s failed: %s\n", module, what, TakeOpenSslError().c_str());
  std::abort();
}

std::string SpkiDer(const EVP_PKEY& key) {
  int size = i2d_PUBKEY(&key, nullptr);
  if (size <= 0) DieOnOpenSslFailure("jose", "i2d_PUBKEY");
  std::string der(static_cast<size_t>(size), '\0');
  unsigned char* out = MutableBytes(der);
  if (i2d_PUBKEY(&key, &out) != size) DieOnOpenSslFailure("jose", "i2d_PUBKEY");
  return der;
}

std::string Pkcs8Pem(const EVP_PKEY& key) {
  // Secure-heap memory is wiped when freed, so the BIO leaves no copy of the key behind.
  BioPtr sink(BIO_new(BIO_s_secmem()));
  if (sink == nullptr ||
      PEM_write_bio_PKCS8PrivateKey(sink.get(), &key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    DieOnOpenSslFailure("jose", "PEM_write_bio_PKCS8PrivateKey");
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(sink.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

absl::StatusOr<PkeyPtr> ReadPemPrivateKey(std::string_view pem, size_t max_bytes,
                                          std::string_view label, std::string_view kind) {
  if (pem.size() > max_bytes) {
    return absl::InvalidArgumentError(std::string(label) + " key: PEM longer than any " +
                                      std::string(kind) + " key's");
  }
  BioPtr source(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (source == nullptr) DieOnOpenSslFailure("jose", "BIO_new_mem_buf");
  // A passphrase callback that declines: without one, OpenSSL would prompt on the terminal
  // for an encrypted key.
  auto no_passphrase = [](char*, int, int, void*) { return -1; };
  PkeyPtr key(PEM_read_bio_PrivateKey(source.get(), nullptr, no_passphrase, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    return absl::InvalidArgumentError(std::string(label) +
                                      " key: not an unencrypted PEM private key");
  }
  return key;
}

absl::Status SavePkcs8File(const std::string& path, const EVP_PKEY& key) {
  std::string pem = Pkcs8Pem(key);
  absl::Status saved = crypto::WriteSecretFile(path, pem);
  crypto::Wipe(pem);
  return saved;
}

absl::Status NameKeyFile(const std::string& path, std::string_view label, absl::Status status) {
  if (!absl::IsInvalidArgument(status)) return status;
  return absl::InvalidArgumentError(std::string(label) + " key file " + path + ": " +
                                    std::string(status.message()));
}

}  // namespace microcred::jose::openssl
