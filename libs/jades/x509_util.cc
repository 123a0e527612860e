#include "libs/jades/x509_util.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <unordered_map>

#include "absl/synchronization/mutex.h"

namespace microcred::jades::x509 {

void CertificateStackFree::operator()(STACK_OF(X509) * stack) const {
  sk_X509_pop_free(stack, X509_free);
}

absl::StatusOr<std::vector<X509Ptr>> ParsePemCertificates(std::string_view pem,
                                                          std::string_view where) {
  static constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  std::vector<X509Ptr> certificates;
  for (size_t at = pem.find(kBegin); at != std::string_view::npos; at = pem.find(kBegin, at + 1)) {
    std::string_view block = pem.substr(at);
    BioPtr source(BIO_new_mem_buf(block.data(), static_cast<int>(block.size())));
    X509Ptr certificate(
        source == nullptr ? nullptr : PEM_read_bio_X509(source.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (certificate == nullptr) {
      return absl::InvalidArgumentError(std::string(where) + ": certificate " +
                                        std::to_string(certificates.size() + 1) +
                                        " is not a valid PEM certificate");
    }
    certificates.push_back(std::move(certificate));
  }
  if (certificates.empty()) {
    return absl::InvalidArgumentError(std::string(where) + ": no PEM certificate");
  }
  return certificates;
}

X509Ptr ParseDer(std::string_view der) {
  const unsigned char* in = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* start = in;
  X509Ptr certificate(d2i_X509(nullptr, &in, static_cast<long>(der.size())));
  ERR_clear_error();
  if (certificate == nullptr || static_cast<size_t>(in - start) != der.size()) return nullptr;
  return certificate;
}

X509Ptr ParseDerCached(std::string_view der) {
  static constexpr size_t kMaxCached = 1024;
  static absl::Mutex* const mutex = new absl::Mutex();
  static auto* const cache = new std::unordered_map<std::string, X509Ptr>();  // never destroyed
  {
    absl::MutexLock lock(mutex);
    auto it = cache->find(std::string(der));
    if (it != cache->end()) {
      X509_up_ref(it->second.get());
      return X509Ptr(it->second.get());
    }
  }
  X509Ptr certificate = ParseDer(der);
  if (certificate == nullptr) return nullptr;
  // Decoded now, outside the lock, so that every holder shares the decoded key and extensions.
  X509_get0_pubkey(certificate.get());
  X509_check_purpose(certificate.get(), -1, 0);
  ERR_clear_error();
  absl::MutexLock lock(mutex);
  if (cache->size() >= kMaxCached) cache->clear();
  X509_up_ref(certificate.get());
  cache->emplace(std::string(der), X509Ptr(certificate.get()));
  return certificate;
}

std::string ToDer(const X509& certificate) {
  int size = i2d_X509(&certificate, nullptr);
  if (size <= 0) return "";
  std::string der(static_cast<size_t>(size), '\0');
  unsigned char* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_X509(&certificate, &out) != size) return "";
  return der;
}

std::string ToPem(const X509& certificate) {
  BioPtr sink(BIO_new(BIO_s_mem()));
  if (sink == nullptr || PEM_write_bio_X509(sink.get(), &certificate) != 1) return "";
  char* data = nullptr;
  long size = BIO_get_mem_data(sink.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string PublicKeyDer(const X509& certificate) {
  // The certificate's own SubjectPublicKeyInfo, re-encoded from its ASN.1: i2d_PUBKEY on the
  // decoded key would run OpenSSL 3.0's encoder framework, dearer than a verification.
  const X509_PUBKEY* spki = X509_get_X509_PUBKEY(&certificate);
  int size = spki == nullptr ? 0 : i2d_X509_PUBKEY(spki, nullptr);
  if (size <= 0) return "";
  std::string der(static_cast<size_t>(size), '\0');
  unsigned char* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_X509_PUBKEY(spki, &out) != size) return "";
  return der;
}

std::string SubjectAttribute(const X509& certificate, int nid) {
  const X509_NAME* name = X509_get_subject_name(&certificate);
  int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return "";
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  int length = ASN1_STRING_to_UTF8(&utf8, value);
  if (length < 0) {
    ERR_clear_error();
    return "";
  }
  std::string text(reinterpret_cast<char*>(utf8), static_cast<size_t>(length));
  OPENSSL_free(utf8);
  return text;
}

std::string SubjectLabel(const X509& certificate) {
  std::string common_name = SubjectAttribute(certificate, NID_commonName);
  std::string organization = SubjectAttribute(certificate, NID_organizationName);
  if (!common_name.empty() && !organization.empty() && common_name != organization) {
    return common_name + " (" + organization + ")";
  }
  if (!common_name.empty()) return common_name;
  if (!organization.empty()) return organization;
  return SubjectLine(certificate);
}

std::string SubjectLine(const X509& certificate) {
  BioPtr sink(BIO_new(BIO_s_mem()));
  if (sink == nullptr || X509_NAME_print_ex(sink.get(), X509_get_subject_name(&certificate), 0,
                                            XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return "";
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(sink.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace microcred::jades::x509
