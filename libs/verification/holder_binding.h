// Holder binding: whether a presented credential is the learner's who presents it, checked at
// recognition for every credential, ours or from outside (docs/DESIGN.md, "Recognition").
// Bound when, for a subject of the credential (credentialSubject; under "vc" for a VC 1.1
// JWT payload):
//   SUBJECT_ID         its id, or an identifier it states in clear (an Open Badges
//                      IdentityObject with hashed false, an ELM Identifier without salt), is
//                      one of the learner's ids (the identifier trimmed; e-mail addresses in any
//                      case). Our own credentials' subject id ("urn:microcred:learner:<the
//                      issuer's pseudonym>") is never one: pseudonyms differ between
//                      institutions;
//   HASHED_IDENTIFIER  a salted hash it states (IdentityObject hashed true, "sha256$<hex>" with
//                      its salt; an ELM Identifier whose notation is such a hash with its
//                      identitySalt) is the hash of one of the learner's ids, recomputed as
//                      issuance computes it (libs/credentials/identity_hash.h);
//   DID_PROOF          its id is a DID and one of the holder proofs is a compact JWS signed by
//                      a key of that DID (the header's kid a DID URL of it, the key found by
//                      the node's resolver: did:key decoded locally, did:web through key
//                      discovery), with the payload {"iss": <the DID>, "aud": <the receiving
//                      institution id> (or an array holding it), "nonce": <the submission's
//                      client_request_id>, "iat": <seconds, at most a day old and not ahead of
//                      the clock by more than five minutes>}.
// The binding's detail says how, naming the learner's ids by their field ("learner_id",
// "learner_identifiers[1]"), never by value; when not bound, why. Pure but for the resolver;
// thread-safe when the resolver is.
#ifndef MICROCRED_LIBS_VERIFICATION_HOLDER_BINDING_H_
#define MICROCRED_LIBS_VERIFICATION_HOLDER_BINDING_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/jose/jwk.h"
#include "libs/jose/jws.h"
#include "microcred/recognition/v1/recognition.pb.h"

namespace microcred::verification {

// Who presents the credentials, and what they present with them.
struct HolderContext {
  std::string learner_id;                        // as the receiving node knows the learner
  std::vector<std::string> learner_identifiers;  // further ids an officer recorded
  std::vector<std::string> holder_proofs;        // compact JWS, as the submission names them
  std::string audience;                          // the receiving institution id
  std::string nonce;                             // the submission's client_request_id
};

// The key that signed a holder proof, which must be a key of `did`; an error saying why not.
using HolderKeyResolver = std::function<absl::StatusOr<jose::JwkPublicKey>(
    const jose::ParsedJws& proof, const std::string& did)>;

// The binding of the credential whose verified document is `credential_json`, checked at `now`.
// `resolve_key` may be empty: DID proofs then fail, said so.
recognition::v1::HolderBinding BindHolder(std::string_view credential_json,
                                          const HolderContext& holder,
                                          const HolderKeyResolver& resolve_key, absl::Time now);

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_HOLDER_BINDING_H_
