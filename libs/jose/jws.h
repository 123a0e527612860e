// Compact JWS (RFC 7515 §7.1) for verifiable credentials, in the two securing profiles:
// Open Badges 3.0's "JSON Web Token Proof Format" (typ "JWT", OpenBadgesJwtHeader()) and the
// W3C "Securing Verifiable Credentials using JOSE and COSE" recommendation (typ "vc+jwt",
// cty "vc", VcJwtHeader()). What each puts in the payload is libs/verification's
// (securing_profile.h); this file only signs and parses.
//
// Signing:
//   Ed25519JwsSigner signer(node_key);               // kid: crypto::KeyFingerprint
//   std::string jws = SignCompact(signer, VcJwtHeader(), credential.dump());
//
// Verifying, when the trusted keys are known (e.g. from the issuing node's JWKS):
//   absl::StatusOr<ParsedJws> jws = VerifyCompact(token, trusted_keys);
//   if (!jws.ok()) ...;
//   // jws->typ tells the profile; jws->payload is the JSON it carries, authenticated
//
// The algorithm is always the key's, never the token's: a header naming another algorithm
// than the key was published for fails, whatever the signature says (algorithm confusion).
// Only EdDSA, RS256 and ES256 exist here; "none" and HMAC are refused while parsing.
//
// Every function is thread-safe, and so is every JwsSigner in this file.
#ifndef MICROCRED_LIBS_JOSE_JWS_H_
#define MICROCRED_LIBS_JOSE_JWS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/crypto/crypto.h"
#include "libs/jose/algorithm.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/jwk.h"
#include "libs/jose/rsa_key.h"
#include "nlohmann/json.hpp"

namespace microcred::jose {

// Longer tokens are refused before any decoding. A credential is a few KiB; this leaves room
// for large evidence sections without letting one request allocate without bound.
inline constexpr size_t kMaxCompactJwsBytes = 256 * 1024;

// VC-JOSE-COSE §3.1.1 header values for a JWS-secured verifiable credential.
inline constexpr std::string_view kVcJwtType = "vc+jwt";  // "typ"
inline constexpr std::string_view kVcContentType = "vc";  // "cty"

// Open Badges 3.0 §8.2.4 header value ("typ", when present, MUST be "JWT").
inline constexpr std::string_view kJwtType = "JWT";

// {"typ":"vc+jwt","cty":"vc"}: the extra header for SignCompact when securing a credential
// with VC-JOSE-COSE.
nlohmann::json VcJwtHeader();
// {"typ":"JWT"}: the extra header for SignCompact when securing a credential with Open Badges
// 3.0's JWT proof format. With the "alg" and "kid" SignCompact adds, the whole header: OB 3.0
// allows only alg, kid, jwk and typ.
nlohmann::json OpenBadgesJwtHeader();

// Something that signs JWS signing inputs with one key under one algorithm. Implementations
// must be thread-safe.
class JwsSigner {
 public:
  virtual ~JwsSigner() = default;

  virtual JwsAlgorithm algorithm() const = 0;
  // The "kid" written into every header; verifiers find the key by it.
  virtual const std::string& kid() const = 0;
  // The raw signature (not base64url) of `signing_input` under algorithm().
  virtual std::string Sign(std::string_view signing_input) const = 0;
  // The public key verifiers need, with kid() and algorithm(), for publishing in a JWKS.
  virtual JwkPublicKey public_jwk() const = 0;
};

// EdDSA with an Ed25519 key (RFC 8037).
class Ed25519JwsSigner final : public JwsSigner {
 public:
  // kid = crypto::KeyFingerprint(key.public_key()), as the bearer-token minter uses.
  explicit Ed25519JwsSigner(crypto::SigningKey key);
  Ed25519JwsSigner(crypto::SigningKey key, std::string kid);

  JwsAlgorithm algorithm() const override { return JwsAlgorithm::kEdDSA; }
  const std::string& kid() const override { return kid_; }
  std::string Sign(std::string_view signing_input) const override;
  JwkPublicKey public_jwk() const override;

 private:
  crypto::SigningKey key_;
  std::string kid_;
};

// RS256 with an RSA key (RFC 7518 §3.3).
class RsaJwsSigner final : public JwsSigner {
 public:
  // kid = RsaKeyFingerprint(key.PublicKeyDer()).
  explicit RsaJwsSigner(RsaPrivateKey key);
  RsaJwsSigner(RsaPrivateKey key, std::string kid);

  JwsAlgorithm algorithm() const override { return JwsAlgorithm::kRS256; }
  const std::string& kid() const override { return kid_; }
  std::string Sign(std::string_view signing_input) const override;
  JwkPublicKey public_jwk() const override;

 private:
  RsaPrivateKey key_;
  std::string kid_;
};

// ES256 with a P-256 key (RFC 7518 §3.4). Sign returns the 64-byte R || S form.
class EcJwsSigner final : public JwsSigner {
 public:
  // kid = EcKeyFingerprint(key.PublicKeyDer()).
  explicit EcJwsSigner(EcPrivateKey key);
  EcJwsSigner(EcPrivateKey key, std::string kid);

  JwsAlgorithm algorithm() const override { return JwsAlgorithm::kES256; }
  const std::string& kid() const override { return kid_; }
  std::string Sign(std::string_view signing_input) const override;
  JwkPublicKey public_jwk() const override;

 private:
  EcPrivateKey key_;
  std::string kid_;
};

// BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature), where header is
// `extra_header` (a JSON object such as VcJwtHeader(), or null for none) with "alg" and "kid"
// set from `signer`, overriding any there. Do not put "crit" in it: ParseCompact refuses
// critical extensions. Header strings that are not UTF-8 are written with U+FFFD in place.
std::string SignCompact(const JwsSigner& signer, const nlohmann::json& extra_header,
                        std::string_view payload);

// SignCompact for many payloads with one signer and one header, which it encodes once: what a
// service signing a cohort's credentials uses. Sign(p) gives the same token as
// SignCompact(signer, extra_header, p). Keeps a reference to `signer`; thread-safe when the
// signer is.
class CompactSigner {
 public:
  CompactSigner(const JwsSigner& signer, const nlohmann::json& extra_header);

  std::string Sign(std::string_view payload) const;
  const JwsSigner& signer() const { return signer_; }

 private:
  const JwsSigner& signer_;
  std::string encoded_header_;
};

// A compact JWS, decoded but not yet verified.
struct ParsedJws {
  nlohmann::json header;                          // the protected header, a JSON object
  JwsAlgorithm algorithm = JwsAlgorithm::kEdDSA;  // header "alg"
  std::string kid;                                // header "kid"; empty only under kOptional
  std::string typ;                                // header "typ", empty when absent
  std::string cty;                                // header "cty", empty when absent
  std::string payload;                            // decoded payload bytes
  std::string signing_input;                      // header "." payload, as received
  std::string signature;                          // decoded signature bytes
};

// Whether a token must name its key. The platform's own tokens always carry a kid; a token
// from outside may not (Open Badges 3.0 allows "jwk" instead, and a did:key or did:web issuer
// may leave the key to its DID).
enum class KidRule { kRequired, kOptional };

// Splits and decodes `jws`. InvalidArgument with a reason naming the part when:
//   "jws: empty", "jws: longer than 262144 bytes",
//   "jws: expected three dot-separated parts, got 2",
//   "jws.header: not valid base64url", "jws.header: not valid JSON",
//   "jws.header: not a JSON object",
//   "jws.header.alg: missing", "jws.header.alg: not a string", "jws.header.alg: empty",
//   "jws.header.alg: unsupported algorithm none" (and HS256, ES384, ...),
//   "jws.header.kid: missing", "jws.header.kid: not a string", "jws.header.kid: empty",
//   "jws.header.typ: not a string", "jws.header.cty: not a string",
//   "jws.header.crit: critical extensions are not supported",
//   "jws.payload: not valid base64url",
//   "jws.signature: not valid base64url", "jws.signature: empty".
// A header with a repeated member name counts as its last occurrence (RFC 7515 §5.2 allows
// this or rejection). No message contains the token; an alg or kid quoted from it is cut to
// 64 bytes of printable ASCII. Under KidRule::kOptional an absent kid is no error (a present
// one must still be a non-empty string).
absl::StatusOr<ParsedJws> ParseCompact(std::string_view jws, KidRule kid = KidRule::kRequired);

// A token's own text (an alg, a kid, a header member's name) as error messages quote it: at
// most 64 bytes, printable ASCII, so that a hostile token can neither flood the logs nor forge
// lines in them.
std::string ClipTokenText(std::string_view text);

// True when `jws` is signed by `key`. False, without any cryptography, when the key's
// algorithm is not the header's. Does not compare kids: choose the key by jws.kid, or use
// VerifyCompact, which does.
bool VerifyJws(const ParsedJws& jws, const JwkPublicKey& key);

// ParseCompact, then the key among `trusted_keys` whose kid is the header's, then VerifyJws.
// ParseCompact's errors, or:
//   NotFound "jws.header.kid: no trusted key ..." (refreshing the issuer's JWKS may help),
//   InvalidArgument "jws.header.alg: RS256, but key ... is for EdDSA",
//   InvalidArgument "jws.signature: does not verify".
absl::StatusOr<ParsedJws> VerifyCompact(std::string_view jws,
                                        const std::vector<JwkPublicKey>& trusted_keys);

}  // namespace microcred::jose

#endif  // MICROCRED_LIBS_JOSE_JWS_H_
