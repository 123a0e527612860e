// The institution's e-seal: the private key and the X.509 certificate chain that seal its
// European Digital Credentials (the ELM export) with JAdES (libs/jades/jades.h), as
// `mcnode --seal-key-file` and `--seal-certificate-file` configure them.
//
// For production the certificate is a qualified certificate for electronic seals issued by a
// qualified trust service provider (eIDAS art. 38; docs/OPERATIONS.md); development nodes and
// the demo make their own (self_signed.h).
//
// What is checked when the credentials are loaded, each refusal naming the flag and the rule:
//   - the key is an unencrypted PEM private key, P-256 (ES256 seals) or RSA of at least 2048
//     bits (RS256 seals);
//   - the chain holds 1 to 10 PEM certificates, the seal's own first, then each issuer of the
//     one before it (the self-signed root may be left out);
//   - the first certificate certifies the key;
//   - its subject names the legal person as EDC needs it: organizationIdentifier (2.5.4.97,
//     e.g. "VATBE-0123456789") and countryName;
//   - it is valid at `now` (a seal made with an expired certificate is worthless), and its key
//     usage, when stated, allows digitalSignature or nonRepudiation (contentCommitment).
// Immutable once loaded; thread-safe.
#ifndef MICROCRED_LIBS_ESEAL_SEAL_CREDENTIALS_H_
#define MICROCRED_LIBS_ESEAL_SEAL_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/jose/jws.h"

namespace microcred::eseal {

// The flags named in error messages.
inline constexpr char kKeyFlag[] = "--seal-key-file";
inline constexpr char kCertificateFlag[] = "--seal-certificate-file";

struct SealCredentials {
  std::shared_ptr<const jose::JwsSigner> signer;  // RS256 or ES256
  std::string certificate_chain_pem;              // the seal's certificate first, as given
  // The seal certificate's subject: the legal person the seal stands for.
  std::string organization_identifier;  // organizationIdentifier, "NTRBE-0123456789"
  std::string country;                  // countryName, ISO 3166-1 alpha-2
  std::string subject;                  // the whole subject on one line (RFC 2253), for logs
  absl::Time not_after;                 // the seal certificate's end of validity
};

// From PEM texts (the key is not kept in text form).
absl::StatusOr<SealCredentials> SealCredentialsFromPem(absl::string_view key_pem,
                                                       absl::string_view chain_pem, absl::Time now);

// From the files: the key file must be readable by its owner only (as every key file of the
// node, jose::EcPrivateKey::LoadFromFile), the chain at most 1 MiB. NotFound / FailedPrecondition
// / InvalidArgument, each message starting with the flag.
absl::StatusOr<SealCredentials> LoadSealCredentials(const std::string& key_file,
                                                    const std::string& certificate_file,
                                                    absl::Time now);

}  // namespace microcred::eseal

#endif  // MICROCRED_LIBS_ESEAL_SEAL_CREDENTIALS_H_
