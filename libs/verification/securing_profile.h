// The two ways a credential is secured as a compact JWS (docs/CREDENTIALS.md, "Securing
// profiles"), header and payload of each: what issuance signs, what verification accepts.
//
//   OPEN_BADGES_JWT  Open Badges 3.0, "JSON Web Token Proof Format". Header exactly
//                    {"alg","kid","typ":"JWT"} (OB 3.0 allows alg, kid, jwk, typ). Payload: the
//                    credential's members and, beside them, the registered JWT claims (RFC 7519
//                    §4.1), each a copy of one member:
//                      iss = issuer.id (issuer, when it is a string)
//                      jti = id
//                      sub = credentialSubject.id (only when the subject has an id)
//                      nbf = validFrom, as a NumericDate (whole seconds since the epoch)
//                      exp = validUntil, likewise, only when there is a validUntil
//                    No iat: OB 3.0 maps no member to it.
//   VC_JOSE_COSE     W3C "Securing Verifiable Credentials using JOSE and COSE". Header
//                    {"alg","kid","typ":"vc+jwt","cty":"vc"}; payload: the credential, unchanged.
//
// A verifier tells them apart by typ: "JWT", or none, is Open Badges; "vc+jwt" is VC-JOSE-COSE;
// any other typ is another kind of token (a bearer token, say) and no credential. In either
// profile a registered claim that is present must be its member's copy; in the Open Badges
// profile iss, jti and nbf are required, sub when the subject has an id and exp when there is a
// validUntil.
//
// Pure; thread-safe.
#ifndef MICROCRED_LIBS_VERIFICATION_SECURING_PROFILE_H_
#define MICROCRED_LIBS_VERIFICATION_SECURING_PROFILE_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/credentials/open_badge.h"
#include "libs/jose/jws.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "nlohmann/json.hpp"

namespace microcred::verification {

using issuance::v1::SecuringProfile;

// "open-badges-jwt" / "vc-jose-cose" (the node flag's values and what reports print), and back.
std::string_view SecuringProfileName(SecuringProfile profile);
std::optional<SecuringProfile> SecuringProfileFromName(std::string_view name);

// The extra header SignCompact takes for `profile` (jose::OpenBadgesJwtHeader() or
// jose::VcJwtHeader()). `profile` is OPEN_BADGES_JWT or VC_JOSE_COSE.
nlohmann::json CredentialHeader(SecuringProfile profile);

// The profile a credential's header names. InvalidArgument naming the member:
//   "jws.header.typ: ... is neither JWT (Open Badges 3.0) nor vc+jwt (VC-JOSE-COSE)",
//   "jws.header.<member>: not allowed in the Open Badges 3.0 profile (only alg, kid, jwk, typ)".
// A jwk member is allowed and ignored: keys come from the registry, never from the token.
absl::StatusOr<SecuringProfile> SecuringProfileOf(const jose::ParsedJws& jws);

// The payload `profile` signs for the credential `credential_json` (a JSON object as
// credentials::WriteOpenBadgeCredential writes it): the same bytes for VC_JOSE_COSE; for
// OPEN_BADGES_JWT, the same bytes with the registered claims appended as the object's last
// members. InvalidArgument naming the member when the credential lacks id, issuer.id or a
// validFrom that is an RFC 3339 date-time (or has an unreadable validUntil), or already has a
// member named like a registered claim.
absl::StatusOr<std::string> CredentialPayload(SecuringProfile profile,
                                              std::string_view credential_json);
// The same payload, for a caller that knows the members the claims copy (issuance:
// credentials::ClaimedMembersOf the facts it wrote the document from), without reading the
// document again: a splice, a few hundred nanoseconds where reading costs a sixth of a
// signature. `members` must be the document's own; a document written by
// credentials::WriteOpenBadgeCredential has no member named like a claim. InvalidArgument when
// validFrom or validUntil is not an RFC 3339 date-time.
absl::StatusOr<std::string> CredentialPayload(SecuringProfile profile,
                                              std::string_view credential_json,
                                              const credentials::ClaimedMembers& members);

// The credential a payload carries: the payload without the registered claims (iss, jti, sub,
// nbf, exp), other members in their order. What an export of the credential as JSON gives.
// InvalidArgument when the payload is not a JSON object.
absl::StatusOr<std::string> CredentialOfPayload(std::string_view payload);

// One registered claim as found in a payload.
struct ClaimValue {
  enum class Kind { kAbsent, kString, kNumber, kOther };
  Kind kind = Kind::kAbsent;
  std::string text;   // kString
  double number = 0;  // kNumber
};

// What CheckRegisteredClaims compares, as a verifier reads it from one payload: the members the
// claims copy, and the claims.
struct PayloadClaims {
  std::optional<std::string> issuer_id;   // issuer.id, or issuer when a string
  std::optional<std::string> id;          // id
  std::optional<std::string> subject_id;  // credentialSubject.id
  std::optional<std::string> valid_from;
  bool has_valid_until = false;
  std::optional<std::string> valid_until;  // when a string
  ClaimValue iss, jti, sub, nbf, exp;
};

// OkStatus when the claims agree with the credential under `profile` (file comment); else
// InvalidArgument naming the claim, e.g. "jws.payload.iss: not the credential's issuer.id",
// "jws.payload.exp: present, but the credential has no validUntil",
// "jws.payload.nbf: missing; the Open Badges 3.0 profile requires it (validFrom)".
absl::Status CheckRegisteredClaims(const PayloadClaims& payload, SecuringProfile profile);

// A credential's validFrom or validUntil (RFC 3339) as an instant; nullopt when absent or not
// RFC 3339.
std::optional<absl::Time> ParseCredentialTime(const std::optional<std::string>& value);

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_SECURING_PROFILE_H_
