// FormatVerifier: one verifier per credential format and trust basis, behind one interface, so
// that recognition and stacking accept whatever a learner brings:
//   - the ecosystem's own credentials (credential_verifier.h: registry + log, the strongest
//     basis);
//   - Open Badges 3.0 / VC 2.0 JWTs from any issuer, keys found through kid URLs, did:web,
//     did:key or an embedded jwk, status lists fetched (outside_jwt_verifier.h);
//   - European Digital Credentials sealed with JAdES, the seal's certificate chained to a trust
//     anchor the institution configured (edc_verifier.h).
// PresentedCredentialVerifier (presented_credential.h) asks each in that order and takes the
// first that recognises the presented text.
//
// Every report a FormatVerifier returns names its format and, once the issuer check passed, its
// trust basis (issuance::v1::TrustBasis), and lists its checks with a reason a person can read.
// Implementations are thread-safe.
#ifndef MICROCRED_LIBS_VERIFICATION_FORMAT_VERIFIER_H_
#define MICROCRED_LIBS_VERIFICATION_FORMAT_VERIFIER_H_

#include <string_view>

#include "absl/time/time.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/recognition/v1/recognition.pb.h"

namespace microcred::verification {

// A verified credential: the report, and the facts read from the credential (and, for the
// ecosystem's own, from the catalogue and registry). Facts are read only when the format check
// passed; missing Annex I elements are listed in facts.missing_elements.
struct VerifiedCredential {
  issuance::v1::VerificationReport report;
  recognition::v1::CredentialFacts facts;
};

class FormatVerifier {
 public:
  virtual ~FormatVerifier() = default;
  // Whether `presented` is this verifier's to verify: its format, and (for the ecosystem's
  // verifier) an issuer of the ecosystem. Cheap: no network, no signature check.
  virtual bool Recognises(std::string_view presented) const = 0;
  virtual VerifiedCredential Verify(std::string_view presented, absl::Time now) const = 0;
};

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_FORMAT_VERIFIER_H_
