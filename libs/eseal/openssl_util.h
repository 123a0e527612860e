// OpenSSL owning pointers and PEM helpers shared by this folder. Internal to libs/eseal.
#ifndef MICROCRED_LIBS_ESEAL_OPENSSL_UTIL_H_
#define MICROCRED_LIBS_ESEAL_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace microcred::eseal::internal {

struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Every certificate of a PEM text, in order; `where` prefixes the errors ("<where>: no PEM
// certificate", "<where>: certificate 2 is not a valid PEM certificate").
absl::StatusOr<std::vector<X509Ptr>> PemCertificates(absl::string_view pem,
                                                     absl::string_view where);
std::string ToPem(const X509& certificate);
// One subject attribute, UTF-8; empty when absent.
std::string SubjectAttribute(const X509& certificate, int nid);
std::string SubjectLine(const X509& certificate);
// DER SubjectPublicKeyInfo of the certificate's key; empty when unreadable.
std::string PublicKeyDer(const X509& certificate);

}  // namespace microcred::eseal::internal

#endif  // MICROCRED_LIBS_ESEAL_OPENSSL_UTIL_H_
