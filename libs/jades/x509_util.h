// What libs/jades shares about X.509 on OpenSSL 3: owning pointers, PEM and DER certificates,
// subject names. Internal to libs/jades, its testing library and libs/eseal (the
// institution's seal, which Seal uses).
#ifndef MICROCRED_LIBS_JADES_X509_UTIL_H_
#define MICROCRED_LIBS_JADES_X509_UTIL_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/jose/openssl_key.h"

namespace microcred::jades::x509 {

// libs/jose's owning pointers, and more of the same kind for X.509.
using jose::openssl::BioPtr;
using jose::openssl::Deleter;
using jose::openssl::PkeyPtr;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;

struct CertificateStackFree {
  void operator()(STACK_OF(X509) * stack) const;
};
using CertificateStackPtr = std::unique_ptr<STACK_OF(X509), CertificateStackFree>;

// The certificates of a PEM text, in order. InvalidArgument "<where>: no PEM certificate",
// "<where>: certificate 2 is not a valid PEM certificate". Text outside the PEM blocks is
// ignored, as openssl's own tools do.
absl::StatusOr<std::vector<X509Ptr>> ParsePemCertificates(std::string_view pem,
                                                          std::string_view where);

// The certificate encoded by exactly `der` (no trailing bytes), or nullptr.
X509Ptr ParseDer(std::string_view der);
// ParseDer through a process-wide cache of parsed certificates (at most 1,024, emptied when
// full): OpenSSL 3.0 spends more on decoding a certificate and its key than on verifying a
// signature, and a verifier sees the same seal and CA certificates again and again. The
// returned certificate is shared (reference-counted) and must not be modified. Thread-safe.
X509Ptr ParseDerCached(std::string_view der);
std::string ToDer(const X509& certificate);
std::string ToPem(const X509& certificate);

// The DER SubjectPublicKeyInfo of the certificate's key; empty when it has none OpenSSL reads.
std::string PublicKeyDer(const X509& certificate);

// One attribute (NID_commonName, NID_organizationName) of the subject, UTF-8; empty if absent.
std::string SubjectAttribute(const X509& certificate, int nid);
// "CN (O)", "CN", "O", or the one-line subject when it names neither.
std::string SubjectLabel(const X509& certificate);
// The subject as one line (RFC 2253), for messages.
std::string SubjectLine(const X509& certificate);

}  // namespace microcred::jades::x509

#endif  // MICROCRED_LIBS_JADES_X509_UTIL_H_
