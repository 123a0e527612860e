// Public signing keys as JSON Web Keys (RFC 7517), as a node publishes them in its JWKS and as
// verifiers of its credentials import them.
//
//   Ed25519: {"kty":"OKP","crv":"Ed25519","x":..., "kid":..., "alg":"EdDSA","use":"sig"}
//            (RFC 8037 §2)
//   RSA:     {"kty":"RSA","n":...,"e":..., "kid":..., "alg":"RS256","use":"sig"}
//            (RFC 7518 §6.3.1)
//   P-256:   {"kty":"EC","crv":"P-256","x":...,"y":..., "kid":..., "alg":"ES256","use":"sig"}
//            (RFC 7518 §6.2.1)
//
// Only public keys: FromJwk refuses a JWK carrying private members, so a private key pasted
// into a key set by mistake is caught instead of published.
#ifndef MICROCRED_LIBS_JOSE_JWK_H_
#define MICROCRED_LIBS_JOSE_JWK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/jose/algorithm.h"
#include "nlohmann/json.hpp"

namespace microcred::jose {

// A public key bound to one algorithm. Exactly one of the key fields is set, by `alg`.
struct JwkPublicKey {
  std::string kid;
  JwsAlgorithm alg = JwsAlgorithm::kEdDSA;
  std::string ed25519_public_key;  // kEdDSA: the 32 raw bytes
  std::string rsa_spki_der;        // kRS256: DER SubjectPublicKeyInfo
  std::string ec_spki_der;         // kES256: DER SubjectPublicKeyInfo, a P-256 key
};

// The JWK of `key`, with "kid", "alg" and "use":"sig". A null JSON value when `key` is
// malformed (wrong Ed25519 length, unparsable SPKI), which keys from FromJwk or a JwsSigner
// never are.
nlohmann::json ToJwk(const JwkPublicKey& key);

// Reads one public JWK. InvalidArgument, naming the member ("jwk.kty: ...", "jwk.x: ...") when:
// it is not an object; kty is not "OKP", "RSA" or "EC"; crv is not "Ed25519" (OKP) or "P-256"
// (EC); x, y, n or e is missing or not base64url; x is not 32 bytes; an EC y is not 32 bytes or
// (x, y) is not a P-256 point; the RSA key is outside [kMinRsaBits, kMaxRsaBits];
// kid is missing or empty; alg is present and not the key type's algorithm (EdDSA for OKP,
// RS256 for RSA, ES256 for EC); use is present and not "sig"; or a private member (d, p, q, dp, dq,
// qi, oth, k) is present. An absent alg is implied by the key type.
absl::StatusOr<JwkPublicKey> FromJwk(const nlohmann::json& jwk);

// {"keys":[...]} (RFC 7517 §5), skipping malformed keys as ToJwk would render them null.
nlohmann::json ToJwks(const std::vector<JwkPublicKey>& keys);

// Reads a JWK Set. InvalidArgument if it is not an object with a "keys" array, if any key
// fails FromJwk ("jwks.keys[2]: jwk.crv: ..."), or if two keys share a kid.
absl::StatusOr<std::vector<JwkPublicKey>> FromJwks(const nlohmann::json& jwks);

}  // namespace microcred::jose

#endif  // MICROCRED_LIBS_JOSE_JWK_H_
