#include "libs/eseal/openssl_util.h"

#include <openssl/pem.h>

#include "absl/strings/str_cat.h"

namespace microcred::eseal::internal {

absl::StatusOr<std::vector<X509Ptr>> PemCertificates(absl::string_view pem,
                                                     absl::string_view where) {
  std::vector<X509Ptr> out;
  constexpr absl::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  size_t at = pem.find(kBegin);
  while (at != absl::string_view::npos) {
    const size_t next = pem.find(kBegin, at + kBegin.size());
    const absl::string_view block =
        pem.substr(at, next == absl::string_view::npos ? pem.npos : next - at);
    BioPtr bio(BIO_new_mem_buf(block.data(), static_cast<int>(block.size())));
    X509Ptr certificate(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (certificate == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": certificate ", out.size() + 1, " is not a valid PEM certificate"));
    }
    out.push_back(std::move(certificate));
    at = next;
  }
  if (out.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": no PEM certificate"));
  return out;
}

std::string ToPem(const X509& certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), const_cast<X509*>(&certificate)) != 1) return "";
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string SubjectAttribute(const X509& certificate, int nid) {
  const X509_NAME* name = X509_get_subject_name(&certificate);
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return "";
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, value);
  if (size < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

std::string SubjectLine(const X509& certificate) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(&certificate), 0,
                                 XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return "";
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string PublicKeyDer(const X509& certificate) {
  EVP_PKEY* key = X509_get0_pubkey(&certificate);
  if (key == nullptr) return "";
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key, &der);
  if (size <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  return out;
}

}  // namespace microcred::eseal::internal
