// A self-made seal: a certification authority of its own and an e-seal certificate it issues,
// for development nodes (`mcnode --dev`) and the demo, which have no qualified certificate. A
// production library on purpose (mcnode and mcdemo link no testing library); the certificates
// say what they are ("development seal", "not qualified") in their names.
//
// The seal certificate has what a seal certificate needs here (seal_credentials.h): a fresh
// P-256 key (ES256 seals), the subject's organizationIdentifier and countryName, key usage
// digitalSignature and nonRepudiation (critical), and the CA as its issuer (basicConstraints
// CA:TRUE, keyCertSign). Nothing is written to disk here; see WriteDevelopmentSeal.
#ifndef MICROCRED_LIBS_ESEAL_SELF_SIGNED_H_
#define MICROCRED_LIBS_ESEAL_SELF_SIGNED_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace microcred::eseal {

struct SelfSignedSealSpec {
  std::string organization;             // the subject's O, and the names' stem
  std::string organization_identifier;  // "NTRBE-..."; see DevelopmentOrganizationIdentifier
  std::string country;                  // ISO 3166-1 alpha-2
  absl::Time not_before;
  absl::Time not_after;
};

struct SelfSignedSeal {
  std::string private_key_pem;     // the seal's key, unencrypted PKCS#8: wipe after use
  std::string chain_pem;           // the seal's certificate, then the CA's
  std::string ca_certificate_pem;  // the CA alone: what a verifying node trusts
};

// InvalidArgument for an empty organization or identifier, a country that is not two letters,
// or not_after not after not_before; Internal when OpenSSL fails.
absl::StatusOr<SelfSignedSeal> CreateSelfSignedSeal(const SelfSignedSealSpec& spec);

// The organizationIdentifier a development seal gives an institution that has no registered
// one: "NTR<country>-dev-<institution id>" (ETSI EN 319 412-1's form; "dev" says it is none).
std::string DevelopmentOrganizationIdentifier(absl::string_view country,
                                              absl::string_view institution_id);

// For `mcnode --dev`: the seal files in `dir`, made when missing and kept across restarts:
// seal-p256.key (0600), seal-chain.pem and seal-ca.pem (the CA a peer node may trust:
// --trusted-list-file). Returns the paths of the key and the chain. A chain made for another
// key (the key file replaced) is made again.
struct DevelopmentSealFiles {
  std::string key_file;
  std::string certificate_file;
  std::string ca_file;
};
absl::StatusOr<DevelopmentSealFiles> WriteDevelopmentSeal(const std::string& dir,
                                                          const SelfSignedSealSpec& spec);

}  // namespace microcred::eseal

#endif  // MICROCRED_LIBS_ESEAL_SELF_SIGNED_H_
