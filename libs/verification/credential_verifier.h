// Verifying a presented credential: what an employer, a receiving institution or any node
// does with the compact JWS a learner shares. The same function serves the issuance service's
// VerifyCredential RPC and every service that accepts credentials (recognition, stacking).
//
// Checks, each reported with its result and a reason a person can read:
//   format     a compact JWS whose payload is a W3C VC 2.0 / Open Badges 3.0 credential,
//              secured in one of the two profiles (securing_profile.h: typ "JWT" or none is
//              Open Badges 3.0, "vc+jwt" is VC-JOSE-COSE, any other typ is refused), its
//              registered JWT claims the copies of its members. The report names the profile
//              and the algorithm (securing_profile, signature_algorithm); credential_json is
//              the payload as signed (in the Open Badges profile, with the registered claims)
//   issuer     the kid names a member of a trusted ecosystem and one of its registered keys
//              (current or earlier: a key rotation does not invalidate what it signed), and the
//              credential's issuer is that member (its id, a profile URL or did:web DID,
//              names the member; the base URL may be an earlier one). The report names it by
//              the registry's legal name (issuer_name); a different issuer.name in the
//              credential is reported apart (credential_issuer_name) and said in the detail
//   signature  the signature verifies with that key (EdDSA, RS256 or ES256, as the key is)
//   policy     the issuer's provider type may issue under the ecosystem's policy profile
//   issued     the issuer recorded issuing exactly this credential (CredentialIssued event with
//              the same id and SHA-256): a signed document that was never issued fails
//   status     not revoked, not suspended (with the issuer's reason)
//   validity   validFrom is past and validUntil, if any, is not
// The report names the format (VC_JWT) once the format check passed, and the trust basis
// (ECOSYSTEM_MEMBER: "member of the ecosystem <governing root>, registered key <key id>") once
// the issuer check passed.
// A check that cannot run because an earlier one failed is reported as not passed, "not
// checked". `valid` is true only when every check passed.
// The issuer and policy checks read the issuer's membership in the ecosystem its issuer recorded
// the credential in (the report's ecosystem_id, set when the issued check passed); for a
// credential no issuer recorded, in the first registry that knows the kid's institution.
#ifndef MICROCRED_LIBS_VERIFICATION_CREDENTIAL_VERIFIER_H_
#define MICROCRED_LIBS_VERIFICATION_CREDENTIAL_VERIFIER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/domain/policy_profile.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/issuance/v1/issuance_records.pb.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::verification {

struct VerificationInputs {
  // A member of the first registry (the node's home first) that knows it.
  std::function<std::optional<registry::v1::Member>(const std::string& institution_id)> find_member;
  // Its membership in `ecosystem`'s registry. The issuer and policy checks of a credential its
  // issuer recorded use the issuer's membership in the ecosystem it was recorded in
  // (KnownCredential.ecosystem_id): a member suspended in one ecosystem keeps its credentials of
  // another valid. Unset (a verifier of one registry): find_member.
  std::function<std::optional<registry::v1::Member>(std::string_view ecosystem,
                                                    const std::string& institution_id)>
      find_member_in;
  std::function<absl::StatusOr<std::optional<issuance::v1::KnownCredential>>(
      const std::string& credential_id)>
      find_credential;
  // The rules `ecosystem`'s registry states now; nullopt for one the verifier does not read.
  // The policy check of a recorded credential reads its ecosystem's rules; of any other, or
  // when unset, the Recommendation's (the rules before any ecosystem states its own).
  std::function<std::optional<domain::PolicyProfile>(std::string_view ecosystem)> profile_in;
  absl::Time now;
};

issuance::v1::VerificationReport VerifyCredential(std::string_view jws,
                                                  const VerificationInputs& inputs);

// A credential's key id (libs/discovery/did_web.h), in one of three forms: "<I>/keys/<key id>"
// (the URL form, which dereferences to the JWK), "<D>#<key id>" (D the institution's did:web
// DID), or "<I>#<key id>" (credentials issued before the URL form), where I is
// "<base URL>/institutions/<institution id>". Returns {institution id, key id}. The issuer
// check then requires the kid's issuer part to be the credential's issuer id, and that id to
// name the member whose registered key signed.
absl::StatusOr<std::pair<std::string, std::string>> ParseCredentialKeyId(std::string_view kid);

// What the issuer records of a credential it issued, so that a presented copy can be matched:
// the SHA-256 of the compact JWS's signature part (its base64url text, which the decoder
// accepts only in canonical form). Enough, because the signature binds the header and the
// payload: a copy with any other byte fails the signature check or carries another signature.
// Hashing 86 characters instead of the whole 8 KB token keeps verification near the raw rate.
std::string IssuedSignatureDigest(std::string_view jws);

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_CREDENTIAL_VERIFIER_H_
