// The documents a node serves so that a verifier finds an issuer and its keys by following the
// credential alone (did_web.h names the URLs):
//
//   ProfileDocument  at I           the OB 3.0 Profile: @context [VC 2.0, OB 3.0.3, microcred],
//                                   id I, type Profile, name (the registry's legal name), address
//                                   and otherIdentifier as the credentials' issuer, providerType,
//                                   url B, the DID as an otherIdentifier ("ext:did") and the JWK
//                                   Set's URL (`jwks`, the extension context's term)
//   KeyDocument      at I/keys/<k>  one registered key as a JWK, kid = that URL, with
//                                   "keyStatus" ("current" or "retired") and, when the registry
//                                   recorded it, "retiredAt" (RFC 7517 §4: members a verifier
//                                   does not understand are ignored)
//   DidDocument      at I/did.json  the DID document of D: every registered key as a
//                                   JsonWebKey2020 verification method (id D#<key id>, controller
//                                   D, publicKeyJwk, keyStatus and retiredAt as above); the keys
//                                   that are not retired in assertionMethod; alsoKnownAs [I]
//
// The Profile's id is I whatever issuer id the institution chose: any node serves any member's
// documents from the registry, which does not record the choice, and a document's id is the URL
// it is served at. A credential whose issuer is D reaches the same facts through the DID
// document's alsoKnownAs; the Profile names D back.
//
// Retired keys stay in every document (what they signed before their cut stays verifiable);
// they leave assertionMethod only. They are not marked with the Security Vocabulary's `revoked`:
// a verifier that honours it refuses every proof made with the key, including those made before
// the retirement, and a retirement is a rotation, not a compromise.
//
// Keys come first when current (in registration order), so that a verifier that takes the first
// verification method (a token without kid) takes one that signs now. Pure; thread-safe.
#ifndef MICROCRED_LIBS_DISCOVERY_ISSUER_DOCUMENTS_H_
#define MICROCRED_LIBS_DISCOVERY_ISSUER_DOCUMENTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/credentials/credential_facts.h"
#include "libs/jose/jwk.h"
#include "microcred/registry/v1/registry.pb.h"
#include "nlohmann/json.hpp"

namespace microcred::discovery {

inline constexpr std::string_view kDidContext = "https://www.w3.org/ns/did/v1";
// The context of JsonWebKey2020 (and publicKeyJwk): what did:web issuers of the DCC and EBSI
// ecosystems and openbadgeslib's build_did_document write.
inline constexpr std::string_view kJws2020Context = "https://w3id.org/security/suites/jws-2020/v1";
inline constexpr std::string_view kVerificationMethodType = "JsonWebKey2020";

// One registered key and whether it still signs.
struct PublishedKey {
  std::string key_id;      // the registry's key id: "ed25519:<hex>"
  jose::JwkPublicKey jwk;  // its kid is ignored: each document sets its own
  bool retired = false;
  int64_t retired_at_ms = 0;  // 0: not recorded (a re-admission records its cut, not a time)
};

// Whether `key_id` of `member` is retired, and when, from the member's history (KeyRotated,
// Readmitted.retired_key_ids).
struct Retirement {
  bool retired = false;
  int64_t at_ms = 0;
};
Retirement RetirementOf(const registry::v1::Member& member, std::string_view key_id);

// The Profile at I. `issuer.profile_url` must be I; `did` may be empty (B is not https).
absl::StatusOr<nlohmann::json> ProfileDocument(const credentials::IssuerFacts& issuer,
                                               std::string_view base_url, std::string_view did);

// The JWK at `key_url`; null when the key material is malformed (jose::ToJwk).
nlohmann::json KeyDocument(const PublishedKey& key, std::string_view key_url);

// The DID document of `did`, whose profile is `issuer_url`.
nlohmann::json DidDocument(std::string_view did, std::string_view issuer_url,
                           const std::vector<PublishedKey>& keys);

}  // namespace microcred::discovery

#endif  // MICROCRED_LIBS_DISCOVERY_ISSUER_DOCUMENTS_H_
