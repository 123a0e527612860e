// What every verifier of a compact JWS credential shares, whoever issued it: the members its
// checks read from the payload (one simdjson pass), the registered claims beside them, the
// report's algorithm enum, the "validity" check, and the report builder that lists checks in
// order. credential_verifier.cc (the ecosystem's own) and outside_jwt_verifier.cc (any other
// issuer) read and report a credential alike through these.
//
// Pure; thread-safe.
#ifndef MICROCRED_LIBS_VERIFICATION_CREDENTIAL_FIELDS_H_
#define MICROCRED_LIBS_VERIFICATION_CREDENTIAL_FIELDS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "libs/jose/algorithm.h"
#include "libs/verification/securing_profile.h"
#include "microcred/issuance/v1/issuance.pb.h"

namespace microcred::verification {

inline constexpr std::string_view kVcContext = "https://www.w3.org/ns/credentials/v2";

// What the checks read of the credential's JSON.
struct CredentialFields {
  std::string first_context;
  bool verifiable_credential = false;
  bool open_badge_credential = false;
  bool achievement_credential = false;  // OB 3.0's other name for an OpenBadgeCredential
  std::optional<std::string> id;
  std::optional<std::string> issuer_id;
  std::string issuer_name;  // issuer.name, when the issuer is an object with a string name
  std::optional<std::string> valid_from;
  bool has_valid_until = false;
  std::optional<std::string> valid_until;
  bool subject_is_object = false;
  std::optional<std::string> subject_id;
  ClaimValue iss, jti, sub, nbf, exp;  // the registered JWT claims beside the members
  std::string credential_status;       // credentialStatus as minified JSON; empty when absent
};

// std::nullopt when the payload is not a JSON object.
std::optional<CredentialFields> ReadCredentialFields(std::string_view payload);

// The members CheckRegisteredClaims compares.
PayloadClaims ClaimsOf(const CredentialFields& fields);

// Why a payload is not a VC 2.0 credential of type `credential_type`, or nullopt: a JSON object,
// @context starting with the VC 2.0 context, type naming VerifiableCredential and the type
// (OpenBadgeCredential; for `also_achievement_credential`, AchievementCredential too), an id, an
// issuer id, a validFrom and a credentialSubject object.
std::optional<std::string> CredentialShapeProblem(const std::optional<CredentialFields>& fields,
                                                  bool also_achievement_credential);

issuance::v1::SignatureAlgorithm SignatureAlgorithmOf(jose::JwsAlgorithm algorithm);

// The "validity" check: validFrom is past and validUntil, if any, is not, each within `skew` of
// `now` (another issuer's clock is not ours). Returns whether it passed, and why.
struct CheckResult {
  bool passed = false;
  std::string detail;
};
CheckResult ValidityCheck(const CredentialFields& fields, absl::Time now,
                          absl::Duration skew = absl::ZeroDuration());

// Builds a VerificationReport one check at a time; `valid` is whether every check passed.
class ReportBuilder {
 public:
  void Add(const std::string& name, bool passed, const std::string& detail);
  // Adds every remaining check as not run, because `failed` did not pass.
  issuance::v1::VerificationReport Stop(const std::vector<std::string>& remaining,
                                        const std::string& failed);
  issuance::v1::VerificationReport Finish();
  issuance::v1::VerificationReport& report() { return report_; }

 private:
  issuance::v1::VerificationReport report_;
  bool all_passed_ = true;
};

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_CREDENTIAL_FIELDS_H_
