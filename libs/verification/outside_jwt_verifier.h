// OutsideJwtVerifier: Open Badges 3.0 / VC 2.0 credentials secured as a compact JWS (either
// profile, securing_profile.h) by an issuer outside the ecosystem (docs/CREDENTIALS.md,
// "Credentials from outside the ecosystem"). The dispatcher (presented_credential.h) asks the
// ecosystem's verifier first, so a credential naming a member never reaches this one.
//
// Checks, each with a reason a person can read, in order (a check after a failed one is "not
// checked", except that status and validity both run once the signature verified):
//   format     a compact JWS of at most options.max_token_bytes, typ JWT / none (Open Badges
//              3.0) or vc+jwt (VC-JOSE-COSE), carrying a VC 2.0 credential of type
//              OpenBadgeCredential (or AchievementCredential) with id, issuer.id, validFrom and
//              a credentialSubject; registered claims the copies of their members
//   issuer     the key found and shown to be the issuer's (key_discovery.h); the report's
//              trust_basis says on what ("issuer key from did:web:x.example, not an ecosystem
//              member")
//   signature  the signature verifies with that key under its algorithm (a token whose alg is
//              not the key's fails, naming both)
//   status     outside_status.h: active, or revoked / suspended / undetermined
//   validity   validFrom is past and validUntil, if any, is not, each within options.clock_skew
// report.issuer is the credential's issuer id; report.issuer_name stays empty (no registry
// names an outside issuer) and the credential's own issuer.name goes to credential_issuer_name,
// a claim. The facts (outside_facts.h) are read from the payload once the format check passed.
//
// Never throws; thread-safe when the fetcher is.
#ifndef MICROCRED_LIBS_VERIFICATION_OUTSIDE_JWT_VERIFIER_H_
#define MICROCRED_LIBS_VERIFICATION_OUTSIDE_JWT_VERIFIER_H_

#include <cstddef>
#include <string_view>

#include "absl/time/time.h"
#include "libs/jose/jws.h"
#include "libs/ports/http_fetcher.h"
#include "libs/verification/format_verifier.h"
#include "libs/verification/key_discovery.h"
#include "libs/verification/outside_status.h"

namespace microcred::verification {

struct OutsideJwtOptions {
  // A key embedded in the token (jwk header) from an issuer that is not its did:jwk: integrity
  // only. Off: such tokens fail the issuer check.
  bool allow_embedded_jwk = false;
  // How far another issuer's clock may be from ours, for validFrom / validUntil (and the
  // status list's).
  absl::Duration clock_skew = absl::Minutes(5);
  // Longer tokens fail the format check before any decoding (at most jose's own limit).
  size_t max_token_bytes = jose::kMaxCompactJwsBytes;
};

class OutsideJwtVerifier final : public FormatVerifier {
 public:
  // `fetcher` must outlive this.
  explicit OutsideJwtVerifier(HttpFetcher& fetcher, OutsideJwtOptions options = {});

  // Any compact JWS: three dot-separated base64url parts, the first non-empty.
  bool Recognises(std::string_view presented) const override;
  VerifiedCredential Verify(std::string_view presented, absl::Time now) const override;

 private:
  OutsideJwtOptions options_;
  KeyDiscovery keys_;
  OutsideStatusChecker status_;
};

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_OUTSIDE_JWT_VERIFIER_H_
