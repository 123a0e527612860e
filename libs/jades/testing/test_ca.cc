#include "libs/jades/testing/test_ca.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <vector>

#include "libs/jades/x509_util.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/rsa_key.h"

namespace microcred::jades {

namespace {

absl::Status OpenSslError(const char* what) {
  unsigned long code = ERR_peek_last_error();
  char reason[256] = "unknown OpenSSL error";
  if (code != 0) ERR_error_string_n(code, reason, sizeof(reason));
  ERR_clear_error();
  return absl::InternalError(std::string("test CA: ") + what + ": " + reason);
}

absl::StatusOr<x509::PkeyPtr> ReadKey(const std::string& pem) {
  x509::BioPtr source(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  x509::PkeyPtr key(source == nullptr
                        ? nullptr
                        : PEM_read_bio_PrivateKey(source.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) return OpenSslError("reading a key");
  return key;
}

absl::StatusOr<x509::X509Ptr> ReadCertificate(const std::string& pem) {
  absl::StatusOr<std::vector<x509::X509Ptr>> certificates =
      x509::ParsePemCertificates(pem, "test CA");
  if (!certificates.ok()) return certificates.status();
  return std::move(certificates->front());
}

bool AddName(X509_NAME* name, const char* field, const std::string& value) {
  return value.empty() ||
         X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                    0) == 1;
}

bool AddExtension(X509* certificate, X509V3_CTX* context, int nid, const std::string& value) {
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, context, nid, value.c_str());
  if (extension == nullptr) return false;
  bool added = X509_add_ext(certificate, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

struct Subject {
  std::string common_name, organization, country, organization_identifier;
};

// A certificate for `subject_key`, signed by `issuer_key` under `issuer` (nullptr: self-signed).
absl::StatusOr<std::string> MakeCertificate(const Subject& subject, EVP_PKEY* subject_key,
                                            X509* issuer, EVP_PKEY* issuer_key,
                                            absl::Time not_before, absl::Time not_after,
                                            const std::string& basic_constraints,
                                            const std::string& key_usage) {
  x509::X509Ptr certificate(X509_new());
  if (certificate == nullptr) return OpenSslError("X509_new");
  X509* cert = certificate.get();
  std::unique_ptr<BIGNUM, x509::Deleter<BN_free>> serial(BN_new());
  X509_NAME* name = X509_get_subject_name(cert);
  bool ok =
      X509_set_version(cert, X509_VERSION_3) == 1 && serial != nullptr &&
      BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) != nullptr &&
      ASN1_TIME_set(X509_getm_notBefore(cert), absl::ToTimeT(not_before)) != nullptr &&
      ASN1_TIME_set(X509_getm_notAfter(cert), absl::ToTimeT(not_after)) != nullptr &&
      AddName(name, "C", subject.country) && AddName(name, "O", subject.organization) &&
      AddName(name, "CN", subject.common_name) &&
      AddName(name, "organizationIdentifier", subject.organization_identifier) &&
      X509_set_issuer_name(cert, issuer == nullptr ? name : X509_get_subject_name(issuer)) == 1 &&
      X509_set_pubkey(cert, subject_key) == 1;
  if (!ok) return OpenSslError("building a certificate");
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer == nullptr ? cert : issuer, cert, nullptr, nullptr, 0);
  ok = AddExtension(cert, &context, NID_basic_constraints, basic_constraints) &&
       (key_usage.empty() || AddExtension(cert, &context, NID_key_usage, key_usage)) &&
       AddExtension(cert, &context, NID_subject_key_identifier, "hash") &&
       (issuer == nullptr ||
        AddExtension(cert, &context, NID_authority_key_identifier, "keyid:always"));
  if (!ok) return OpenSslError("adding extensions");
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) return OpenSslError("X509_sign");
  return x509::ToPem(*cert);
}

}  // namespace

absl::StatusOr<TestCa> TestCa::Create(const std::string& common_name, absl::Time not_before,
                                      absl::Time not_after) {
  absl::StatusOr<jose::EcPrivateKey> key = jose::EcPrivateKey::Generate();
  if (!key.ok()) return key.status();
  std::string key_pem = key->ToPkcs8Pem();
  absl::StatusOr<x509::PkeyPtr> pkey = ReadKey(key_pem);
  if (!pkey.ok()) return pkey.status();
  absl::StatusOr<std::string> certificate =
      MakeCertificate({common_name, "Test Trust Service", "EU"}, pkey->get(), nullptr, pkey->get(),
                      not_before, not_after, "critical,CA:TRUE", "critical,keyCertSign,cRLSign");
  if (!certificate.ok()) return certificate.status();
  return TestCa(std::move(key_pem), *certificate, "");
}

absl::StatusOr<TestCa> TestCa::IssueIntermediate(const std::string& common_name,
                                                 absl::Time not_before,
                                                 absl::Time not_after) const {
  absl::StatusOr<jose::EcPrivateKey> key = jose::EcPrivateKey::Generate();
  if (!key.ok()) return key.status();
  std::string key_pem = key->ToPkcs8Pem();
  absl::StatusOr<x509::PkeyPtr> pkey = ReadKey(key_pem);
  absl::StatusOr<x509::PkeyPtr> issuer_key = ReadKey(private_key_pem_);
  absl::StatusOr<x509::X509Ptr> issuer = ReadCertificate(certificate_pem_);
  if (!pkey.ok()) return pkey.status();
  if (!issuer_key.ok()) return issuer_key.status();
  if (!issuer.ok()) return issuer.status();
  absl::StatusOr<std::string> certificate = MakeCertificate(
      {common_name, "Test Trust Service", "EU"}, pkey->get(), issuer->get(), issuer_key->get(),
      not_before, not_after, "critical,CA:TRUE,pathlen:0", "critical,keyCertSign,cRLSign");
  if (!certificate.ok()) return certificate.status();
  return TestCa(std::move(key_pem), *certificate, *certificate + chain_pem_);
}

absl::StatusOr<TestSeal> TestCa::IssueSeal(const TestSealSpec& spec) const {
  TestSeal seal;
  if (spec.key_type == TestKeyType::kRsa) {
    absl::StatusOr<jose::RsaPrivateKey> key = jose::RsaPrivateKey::Generate();
    if (!key.ok()) return key.status();
    seal.private_key_pem = key->ToPkcs8Pem();
    seal.signer = std::make_shared<jose::RsaJwsSigner>(*key);
  } else {
    absl::StatusOr<jose::EcPrivateKey> key = jose::EcPrivateKey::Generate();
    if (!key.ok()) return key.status();
    seal.private_key_pem = key->ToPkcs8Pem();
    seal.signer = std::make_shared<jose::EcJwsSigner>(*key);
  }
  absl::StatusOr<x509::PkeyPtr> pkey = ReadKey(seal.private_key_pem);
  absl::StatusOr<x509::PkeyPtr> issuer_key = ReadKey(private_key_pem_);
  absl::StatusOr<x509::X509Ptr> issuer = ReadCertificate(certificate_pem_);
  if (!pkey.ok()) return pkey.status();
  if (!issuer_key.ok()) return issuer_key.status();
  if (!issuer.ok()) return issuer.status();
  std::string key_usage;
  if (spec.key_usage_extension) {
    key_usage = "critical";
    if (spec.digital_signature) key_usage += ",digitalSignature";
    if (spec.non_repudiation) key_usage += ",nonRepudiation";
    if (!spec.digital_signature && !spec.non_repudiation) key_usage += ",keyEncipherment";
  }
  absl::StatusOr<std::string> certificate = MakeCertificate(
      {spec.common_name, spec.organization, spec.country, spec.organization_identifier},
      pkey->get(), issuer->get(), issuer_key->get(), spec.not_before, spec.not_after,
      "critical,CA:FALSE", key_usage);
  if (!certificate.ok()) return certificate.status();
  seal.certificate_pem = *certificate;
  seal.chain_pem = *certificate + chain_pem_;
  return seal;
}

}  // namespace microcred::jades
