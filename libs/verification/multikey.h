// Public keys written as text by the DID methods outside issuers use, decoded locally:
//
//   Multikey  "z" + base58btc(multicodec varint || key): 0xed (ed25519-pub) then 32 bytes, or
//             0x1200 (p256-pub) then a 33-byte compressed point. A verification method's
//             publicKeyMultibase (types Multikey, Ed25519VerificationKey2020), and the
//             method-specific id of did:key ("did:key:z6Mk...", "did:key:zDn...").
//   did:jwk   "did:jwk:" + base64url(the JWK's JSON).
//
// Errors are InvalidArgument naming what was read and the rule. Inputs are bounded before
// decoding (base58 costs quadratic time in its length). Pure; thread-safe.
#ifndef MICROCRED_LIBS_VERIFICATION_MULTIKEY_H_
#define MICROCRED_LIBS_VERIFICATION_MULTIKEY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "libs/jose/jwk.h"

namespace microcred::verification {

// base58btc (the Bitcoin alphabet) to bytes; InvalidArgument for another character or input
// longer than 128 characters.
absl::StatusOr<std::string> Base58BtcDecode(std::string_view text);

// The key of a Multikey publicKeyMultibase; the result's kid is `kid`.
absl::StatusOr<jose::JwkPublicKey> PublicKeyFromMultibase(std::string_view multibase,
                                                          std::string kid);

// The key a did:key DID is (without fragment); the result's kid is `kid`.
absl::StatusOr<jose::JwkPublicKey> PublicKeyFromDidKey(std::string_view did, std::string kid);

// The key a did:jwk DID is (without fragment); the result's kid is `kid`.
absl::StatusOr<jose::JwkPublicKey> PublicKeyFromDidJwk(std::string_view did, std::string kid);

// A public JWK from outside, read as jose::FromJwk reads it, with `kid` when the JWK has none
// (a DID document's publicKeyJwk and a token's jwk header usually have none).
absl::StatusOr<jose::JwkPublicKey> PublicKeyFromJwk(const nlohmann::json& jwk, std::string kid);

// Whether two keys are the same key for the same algorithm (kids aside).
bool SamePublicKey(const jose::JwkPublicKey& a, const jose::JwkPublicKey& b);

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_MULTIKEY_H_
