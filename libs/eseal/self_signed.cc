#include "libs/eseal/self_signed.h"

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/jades/x509_util.h"
#include "libs/jose/ec_key.h"

namespace microcred::eseal {
namespace {

using jades::x509::BioPtr;
using jades::x509::PkeyPtr;
using jades::x509::X509Ptr;

absl::Status OpenSslError(absl::string_view what) {
  return absl::InternalError(absl::StrCat("self-signed seal: OpenSSL failed to ", what));
}

PkeyPtr NewP256Key() { return PkeyPtr(EVP_EC_gen("P-256")); }

PkeyPtr KeyFromPem(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return PkeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

std::string PrivateKeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return "";
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  std::string out(data, static_cast<size_t>(size));
  OPENSSL_cleanse(data, static_cast<size_t>(size));
  return out;
}

bool AddName(X509_NAME* name, int nid, const std::string& value) {
  return value.empty() ||
         X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), -1, 0) == 1;
}

bool AddExtension(X509* certificate, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr) return false;
  const bool added = X509_add_ext(certificate, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

// X.520 bounds commonName and organizationName to 64 characters: a long legal name is cut,
// at a character boundary, to leave room for `suffix`.
std::string Fit(const std::string& text, const std::string& suffix) {
  constexpr size_t kMaxCharacters = 64;
  const size_t room = kMaxCharacters - suffix.size();
  size_t characters = 0, end = 0;
  while (end < text.size()) {
    size_t next = end + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    if (++characters > room) break;
    end = next;
  }
  return text.substr(0, end) + suffix;
}

struct Subject {
  std::string common_name;
  std::string organization;
  std::string organization_identifier;
  std::string country;
};

// A certificate for `key`'s public half with `subject`, signed by `issuer_key` (and named
// after `issuer`, or self-issued when null).
absl::StatusOr<X509Ptr> MakeCertificate(const Subject& subject, EVP_PKEY* key, X509* issuer,
                                        EVP_PKEY* issuer_key, bool ca, absl::Time not_before,
                                        absl::Time not_after) {
  X509Ptr certificate(X509_new());
  if (!certificate) return OpenSslError("allocate a certificate");
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return OpenSslError("draw a serial number");
  serial[0] &= 0x7f;  // positive
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  const bool serial_set =
      number != nullptr && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate.get()));
  BN_free(number);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  if (!serial_set || X509_set_version(certificate.get(), 2) != 1 ||
      !ASN1_TIME_set(X509_getm_notBefore(certificate.get()), absl::ToTimeT(not_before)) ||
      !ASN1_TIME_set(X509_getm_notAfter(certificate.get()), absl::ToTimeT(not_after)) ||
      !AddName(name, NID_countryName, subject.country) ||
      !AddName(name, NID_organizationName, subject.organization) ||
      !AddName(name, NID_organizationIdentifier, subject.organization_identifier) ||
      !AddName(name, NID_commonName, subject.common_name) ||
      X509_set_issuer_name(certificate.get(), issuer ? X509_get_subject_name(issuer) : name) != 1 ||
      X509_set_pubkey(certificate.get(), key) != 1) {
    return OpenSslError("fill in a certificate");
  }
  X509* authority = issuer ? issuer : certificate.get();
  const bool extensions =
      ca ? AddExtension(certificate.get(), authority, NID_basic_constraints, "critical,CA:TRUE") &&
               AddExtension(certificate.get(), authority, NID_key_usage,
                            "critical,keyCertSign,cRLSign")
         : AddExtension(certificate.get(), authority, NID_basic_constraints, "critical,CA:FALSE") &&
               AddExtension(certificate.get(), authority, NID_key_usage,
                            "critical,digitalSignature,nonRepudiation");
  if (!extensions ||
      !AddExtension(certificate.get(), authority, NID_subject_key_identifier, "hash") ||
      (issuer != nullptr &&
       !AddExtension(certificate.get(), authority, NID_authority_key_identifier, "keyid"))) {
    return OpenSslError("add the certificate extensions");
  }
  if (X509_sign(certificate.get(), issuer_key, EVP_sha256()) <= 0) {
    return OpenSslError("sign a certificate");
  }
  return certificate;
}

absl::Status CheckSpec(const SelfSignedSealSpec& spec) {
  if (spec.organization.empty()) return absl::InvalidArgumentError("organization: is required");
  if (spec.organization_identifier.empty()) {
    return absl::InvalidArgumentError("organization_identifier: is required");
  }
  if (spec.country.size() != 2 || !absl::ascii_isalpha(spec.country[0]) ||
      !absl::ascii_isalpha(spec.country[1])) {
    return absl::InvalidArgumentError("country: a two-letter ISO 3166-1 code is required");
  }
  if (spec.not_after <= spec.not_before) {
    return absl::InvalidArgumentError("not_after: must be after not_before");
  }
  return absl::OkStatus();
}

// The CA and the seal certificate for `seal_key`.
absl::StatusOr<SelfSignedSeal> MakeSeal(const SelfSignedSealSpec& spec, EVP_PKEY* seal_key) {
  if (auto s = CheckSpec(spec); !s.ok()) return s;
  PkeyPtr ca_key = NewP256Key();
  if (!ca_key) return OpenSslError("generate a P-256 key");
  const std::string country = absl::AsciiStrToUpper(spec.country);
  auto ca =
      MakeCertificate({.common_name = Fit(spec.organization, " dev seal CA (not qualified)"),
                       .organization = Fit(spec.organization, ""),
                       .country = country},
                      ca_key.get(), nullptr, ca_key.get(), true, spec.not_before, spec.not_after);
  if (!ca.ok()) return ca.status();
  auto leaf =
      MakeCertificate({.common_name = Fit(spec.organization, " development seal"),
                       .organization = Fit(spec.organization, ""),
                       .organization_identifier = spec.organization_identifier,
                       .country = country},
                      seal_key, ca->get(), ca_key.get(), false, spec.not_before, spec.not_after);
  if (!leaf.ok()) return leaf.status();
  SelfSignedSeal out;
  out.ca_certificate_pem = jades::x509::ToPem(**ca);
  out.chain_pem = jades::x509::ToPem(**leaf) + out.ca_certificate_pem;
  return out;
}

absl::Status WriteNewFile(const std::string& path, const std::string& content) {
  const std::string temp = path + ".partial";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return absl::InternalError(absl::StrCat("cannot write ", temp));
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename ", temp, " to ", path));
  }
  return absl::OkStatus();
}

bool Exists(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0;
}

}  // namespace

absl::StatusOr<SelfSignedSeal> CreateSelfSignedSeal(const SelfSignedSealSpec& spec) {
  if (auto s = CheckSpec(spec); !s.ok()) return s;
  PkeyPtr key = NewP256Key();
  if (!key) return OpenSslError("generate a P-256 key");
  auto seal = MakeSeal(spec, key.get());
  if (!seal.ok()) return seal.status();
  seal->private_key_pem = PrivateKeyPem(key.get());
  if (seal->private_key_pem.empty()) return OpenSslError("write the seal key");
  return seal;
}

std::string DevelopmentOrganizationIdentifier(absl::string_view country,
                                              absl::string_view institution_id) {
  return absl::StrCat("NTR", absl::AsciiStrToUpper(std::string(country)), "-dev-",
                      std::string(institution_id));
}

absl::StatusOr<DevelopmentSealFiles> WriteDevelopmentSeal(const std::string& dir,
                                                          const SelfSignedSealSpec& spec) {
  DevelopmentSealFiles files{.key_file = dir + "/seal-p256.key",
                             .certificate_file = dir + "/seal-chain.pem",
                             .ca_file = dir + "/seal-ca.pem"};
  const bool had_key = Exists(files.key_file);
  auto key = jose::EcPrivateKey::LoadOrCreateFile(files.key_file);
  if (!key.ok()) return key.status();
  if (had_key && Exists(files.certificate_file)) return files;
  std::string pem = key->ToPkcs8Pem();
  PkeyPtr seal_key = KeyFromPem(pem);
  OPENSSL_cleanse(pem.data(), pem.size());
  if (!seal_key) return OpenSslError("read the seal key");
  auto seal = MakeSeal(spec, seal_key.get());
  if (!seal.ok()) return seal.status();
  if (auto s = WriteNewFile(files.ca_file, seal->ca_certificate_pem); !s.ok()) return s;
  if (auto s = WriteNewFile(files.certificate_file, seal->chain_pem); !s.ok()) return s;
  return files;
}

}  // namespace microcred::eseal
