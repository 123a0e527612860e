#include "libs/eseal/seal_credentials.h"

#include <openssl/x509v3.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/jades/x509_util.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/rsa_key.h"

namespace microcred::eseal {
namespace {

using jades::x509::X509Ptr;

constexpr size_t kMaxChainCertificates = 10;
constexpr size_t kMaxChainFileBytes = 1 << 20;

absl::Status Invalid(absl::string_view flag, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(flag, ": ", message));
}

// The key and its public half, whichever of the two kinds it is.
struct Key {
  std::shared_ptr<const jose::JwsSigner> signer;
  std::string public_key_der;
};

Key FromEc(jose::EcPrivateKey key) {
  std::string der = key.PublicKeyDer();
  return {std::make_shared<jose::EcJwsSigner>(std::move(key)), std::move(der)};
}

Key FromRsa(jose::RsaPrivateKey key) {
  std::string der = key.PublicKeyDer();
  return {std::make_shared<jose::RsaJwsSigner>(std::move(key)), std::move(der)};
}

absl::StatusOr<Key> KeyFromPem(absl::string_view pem) {
  if (auto ec = jose::EcPrivateKey::FromPkcs8Pem(std::string_view(pem.data(), pem.size())); ec.ok())
    return FromEc(*std::move(ec));
  if (auto rsa = jose::RsaPrivateKey::FromPkcs8Pem(std::string_view(pem.data(), pem.size()));
      rsa.ok())
    return FromRsa(*std::move(rsa));
  return Invalid(kKeyFlag,
                 "not an unencrypted PEM private key for a seal: P-256 (ES256) or RSA of at "
                 "least 2048 bits (RS256)");
}

absl::StatusOr<Key> KeyFromFile(const std::string& path) {
  auto ec = jose::EcPrivateKey::LoadFromFile(path);
  if (ec.ok()) return FromEc(*std::move(ec));
  if (ec.status().code() != absl::StatusCode::kInvalidArgument) {
    return absl::Status(ec.status().code(), absl::StrCat(kKeyFlag, ": ", ec.status().message()));
  }
  auto rsa = jose::RsaPrivateKey::LoadFromFile(path);
  if (rsa.ok()) return FromRsa(*std::move(rsa));
  return Invalid(kKeyFlag, absl::StrCat(path,
                                        ": not an unencrypted PEM private key for a seal: P-256 "
                                        "(ES256) or RSA of at least 2048 bits (RS256)"));
}

std::string Rfc3339(const ASN1_TIME* time) {
  struct tm tm = {};
  if (ASN1_TIME_to_tm(time, &tm) != 1) return "?";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

absl::Time ToTime(const ASN1_TIME* time) {
  struct tm tm = {};
  if (ASN1_TIME_to_tm(time, &tm) != 1) return absl::InfinitePast();
  return absl::FromTM(tm, absl::UTCTimeZone());
}

absl::Status CheckChainOrder(const std::vector<X509Ptr>& chain) {
  for (size_t i = 1; i < chain.size(); ++i) {
    if (X509_check_issued(chain[i].get(), chain[i - 1].get()) != X509_V_OK) {
      return Invalid(kCertificateFlag,
                     absl::StrCat("certificate ", i + 1, " did not issue certificate ", i,
                                  " (the seal's certificate first, then each issuer)"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckValidity(const X509& leaf, absl::Time now) {
  if (ToTime(X509_get0_notBefore(&leaf)) > now) {
    return Invalid(kCertificateFlag, absl::StrCat("the seal certificate is not valid before ",
                                                  Rfc3339(X509_get0_notBefore(&leaf))));
  }
  if (ToTime(X509_get0_notAfter(&leaf)) < now) {
    return Invalid(kCertificateFlag, absl::StrCat("the seal certificate expired at ",
                                                  Rfc3339(X509_get0_notAfter(&leaf))));
  }
  return absl::OkStatus();
}

absl::Status CheckKeyUsage(X509& leaf) {
  const uint32_t usage = X509_get_key_usage(&leaf);  // all bits when the extension is absent
  if ((usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0) {
    return Invalid(kCertificateFlag,
                   "the seal certificate's key usage allows neither digitalSignature nor "
                   "nonRepudiation");
  }
  return absl::OkStatus();
}

absl::StatusOr<SealCredentials> WithChain(Key key, absl::string_view chain_pem, absl::Time now) {
  auto chain = jades::x509::ParsePemCertificates(
      std::string_view(chain_pem.data(), chain_pem.size()), kCertificateFlag);
  if (!chain.ok()) return chain.status();
  if (chain->size() > kMaxChainCertificates) {
    return Invalid(kCertificateFlag,
                   absl::StrCat("more than ", kMaxChainCertificates, " certificates"));
  }
  X509& leaf = *chain->front();
  if (jades::x509::PublicKeyDer(leaf) != key.public_key_der) {
    return Invalid(kCertificateFlag,
                   absl::StrCat("the first certificate does not certify the ", kKeyFlag,
                                " key (the chain starts with the seal's own certificate)"));
  }
  if (auto s = CheckChainOrder(*chain); !s.ok()) return s;
  if (auto s = CheckValidity(leaf, now); !s.ok()) return s;
  if (auto s = CheckKeyUsage(leaf); !s.ok()) return s;
  SealCredentials out;
  out.organization_identifier = jades::x509::SubjectAttribute(leaf, NID_organizationIdentifier);
  out.country = absl::AsciiStrToUpper(jades::x509::SubjectAttribute(leaf, NID_countryName));
  if (out.organization_identifier.empty()) {
    return Invalid(kCertificateFlag,
                   "the seal certificate's subject has no organizationIdentifier (2.5.4.97), "
                   "which a European Digital Credential states as its issuer's eIDAS identifier");
  }
  if (out.country.size() != 2 || !absl::ascii_isalpha(out.country[0]) ||
      !absl::ascii_isalpha(out.country[1])) {
    return Invalid(kCertificateFlag,
                   "the seal certificate's subject has no two-letter countryName");
  }
  out.signer = std::move(key.signer);
  out.certificate_chain_pem = std::string(chain_pem);
  out.subject = jades::x509::SubjectLine(leaf);
  out.not_after = ToTime(X509_get0_notAfter(&leaf));
  return out;
}

}  // namespace

absl::StatusOr<SealCredentials> SealCredentialsFromPem(absl::string_view key_pem,
                                                       absl::string_view chain_pem,
                                                       absl::Time now) {
  auto key = KeyFromPem(key_pem);
  if (!key.ok()) return key.status();
  return WithChain(*std::move(key), chain_pem, now);
}

absl::StatusOr<SealCredentials> LoadSealCredentials(const std::string& key_file,
                                                    const std::string& certificate_file,
                                                    absl::Time now) {
  auto key = KeyFromFile(key_file);
  if (!key.ok()) return key.status();
  std::ifstream in(certificate_file, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(kCertificateFlag, ": cannot read ", certificate_file));
  }
  std::string chain(kMaxChainFileBytes + 1, '\0');
  in.read(chain.data(), static_cast<std::streamsize>(chain.size()));
  chain.resize(static_cast<size_t>(in.gcount()));
  if (chain.size() > kMaxChainFileBytes) {
    return absl::FailedPreconditionError(
        absl::StrCat(kCertificateFlag, ": ", certificate_file, " is larger than 1 MiB"));
  }
  return WithChain(*std::move(key), chain, now);
}

}  // namespace microcred::eseal
