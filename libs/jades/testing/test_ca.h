// Self-made certificate authorities and e-seal certificates, for tests and for development
// nodes (`mcnode --dev`, mcdemo): what a JAdES seal (libs/jades/jades.h) needs, made with
// OpenSSL's APIs in memory, never from files or the network.
//
//   absl::StatusOr<TestCa> ca = TestCa::Create("Test Seal CA", start, end);
//   absl::StatusOr<TestSeal> seal = ca->IssueSeal({.common_name = "Seal of Test University", ...});
//   Seal(document, *seal->signer, seal->chain_pem, now);
//   TrustAnchors::FromPem(ca->certificate_pem());   // what the verifying node trusts
//
// Not for production seals: the keys are generated here and the certificates carry no
// policy, revocation information or qualified statements. Thread-safe (immutable values).
#ifndef MICROCRED_LIBS_JADES_TESTING_TEST_CA_H_
#define MICROCRED_LIBS_JADES_TESTING_TEST_CA_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/jose/jws.h"

namespace microcred::jades {

enum class TestKeyType {
  kP256,  // ES256 seals
  kRsa,   // RS256 seals, 2048 bits
};

struct TestSealSpec {
  std::string common_name = "Test Seal";
  std::string organization = "Test University";
  std::string country = "EU";
  // The subject's organizationIdentifier (ETSI EN 319 412-1, "VAT" + country + "-" + number),
  // which an EDC's issuer.eIDASIdentifier repeats; none when empty.
  std::string organization_identifier;
  absl::Time not_before = absl::UnixEpoch();
  absl::Time not_after = absl::UnixEpoch();
  TestKeyType key_type = TestKeyType::kP256;
  // The keyUsage extension (critical). Without it the certificate states no key usage.
  bool key_usage_extension = true;
  bool digital_signature = true;
  bool non_repudiation = true;
};

// An e-seal's key and certificate.
struct TestSeal {
  std::string private_key_pem;  // unencrypted PKCS#8: what --seal-key-file holds
  std::string certificate_pem;  // the seal's certificate alone
  // The seal's certificate, then its issuing CAs up to (not including) the self-signed root:
  // what Seal and --seal-certificate-file take.
  std::string chain_pem;
  std::shared_ptr<const jose::JwsSigner> signer;  // RS256 or ES256 with the key
};

class TestCa {
 public:
  // A self-signed root CA with a fresh P-256 key, valid from `not_before` to `not_after`.
  static absl::StatusOr<TestCa> Create(const std::string& common_name, absl::Time not_before,
                                       absl::Time not_after);

  // A CA certified by this one (an issuing CA below a root, as trusted lists name them).
  absl::StatusOr<TestCa> IssueIntermediate(const std::string& common_name, absl::Time not_before,
                                           absl::Time not_after) const;

  // A seal certificate (not a CA) with a fresh key, certified by this CA.
  absl::StatusOr<TestSeal> IssueSeal(const TestSealSpec& spec) const;

  const std::string& certificate_pem() const { return certificate_pem_; }
  const std::string& private_key_pem() const { return private_key_pem_; }
  // This CA's certificate and its issuers', this one first, the self-signed root left out.
  const std::string& chain_pem() const { return chain_pem_; }

 private:
  TestCa(std::string private_key_pem, std::string certificate_pem, std::string chain_pem)
      : private_key_pem_(std::move(private_key_pem)),
        certificate_pem_(std::move(certificate_pem)),
        chain_pem_(std::move(chain_pem)) {}

  std::string private_key_pem_;
  std::string certificate_pem_;
  std::string chain_pem_;
};

}  // namespace microcred::jades

#endif  // MICROCRED_LIBS_JADES_TESTING_TEST_CA_H_
