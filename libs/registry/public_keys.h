// The keys a member registers (registry.proto PublicKey), of three kinds, exactly one per key:
//   Ed25519  signs the member's events, and credentials with EdDSA
//   RSA      signs credentials with RS256 only
//   P-256    signs credentials with ES256 only
// and the one conversion of a registered key into the JWK its credentials are verified with
// (the node's JWKS, the verifier). Pure.
#ifndef MICROCRED_LIBS_REGISTRY_PUBLIC_KEYS_H_
#define MICROCRED_LIBS_REGISTRY_PUBLIC_KEYS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "libs/jose/jwk.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::registry {

// InvalidArgument, the message starting with `where`, unless `key` has a key_id and exactly one
// of: a 32-byte Ed25519 key, an RSA SubjectPublicKeyInfo, or a P-256 SubjectPublicKeyInfo that
// parses as one (jose/ec_key.h) under the key id jose::EcKeyFingerprint gives it.
absl::Status CheckPublicKey(const v1::PublicKey& key, const std::string& where);

// The registry entries for credential keys, each under its fingerprint (jose::RsaKeyFingerprint,
// jose::EcKeyFingerprint), as a node names them in its credentials' kid.
v1::PublicKey RegisteredRsaKey(std::string_view spki_der);
v1::PublicKey RegisteredP256Key(std::string_view spki_der);

// True when `a` and `b` hold the same key material (whatever their key ids).
bool SameKeyMaterial(const v1::PublicKey& a, const v1::PublicKey& b);

// "Ed25519", "RSA" or "P-256".
std::string_view KeyKindLabel(const v1::PublicKey& key);

// The JWK of a registered key under `kid`, bound to its key's one algorithm (EdDSA, RS256 or
// ES256), so that a token naming another algorithm does not verify with it.
jose::JwkPublicKey ToJwkPublicKey(const v1::PublicKey& key, std::string kid);

}  // namespace microcred::registry

#endif  // MICROCRED_LIBS_REGISTRY_PUBLIC_KEYS_H_
