// The JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1) this platform signs and verifies with.
//
// The set is closed on purpose: "none" and the HMAC algorithms are not representable, so no
// code path can be talked into them by a token header.
#ifndef MICROCRED_LIBS_JOSE_ALGORITHM_H_
#define MICROCRED_LIBS_JOSE_ALGORITHM_H_

#include <optional>
#include <string_view>

namespace microcred::jose {

enum class JwsAlgorithm {
  kEdDSA,  // Ed25519 (RFC 8037); the default for institution nodes
  kRS256,  // RSASSA-PKCS1-v1_5 with SHA-256, for institutions whose verifiers need RSA
  kES256,  // ECDSA on P-256 with SHA-256 (RFC 7518 §3.4), R || S signatures
};

// The registered "alg" name: "EdDSA", "RS256" or "ES256".
std::string_view JwsAlgorithmName(JwsAlgorithm algorithm);

// The algorithm registered under `name` (case-sensitive, as RFC 7515 §4.1.1 requires), or
// nullopt for anything else, "none" and "HS256" included.
std::optional<JwsAlgorithm> JwsAlgorithmFromName(std::string_view name);

}  // namespace microcred::jose

#endif  // MICROCRED_LIBS_JOSE_ALGORITHM_H_
