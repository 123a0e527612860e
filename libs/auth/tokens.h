// Bearer tokens: who a caller is (caller.h), from a JWT an identity provider or the node signed,
// and the role check every service entry point makes. No transport here: libs/host/grpc_auth.h
// reads the token from gRPC metadata, the web pages from a cookie.
//
// A token is a compact JWS (RFC 7515) signed with Ed25519:
//   header  {"alg":"EdDSA","typ":"JWT","kid":"<key id>"}
//   claims  {"iss","sub","aud","iat","exp","inst","roles":[...]} (+ optional "nbf")
// `aud` is the node id (a string, or an array containing it); `inst` is the caller's
// institution id; `roles` holds names from roles.h. Times are NumericDate (seconds since epoch).
//
// Every failure is UNAUTHENTICATED with a precise reason, except a valid token lacking the
// required role, which is PERMISSION_DENIED. Error messages never contain the token.
//
#ifndef MICROCRED_LIBS_AUTH_TOKENS_H_
#define MICROCRED_LIBS_AUTH_TOKENS_H_

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/caller.h"
#include "libs/auth/roles.h"
#include "libs/crypto/crypto.h"

namespace microcred::auth {

// Tolerated clock difference between token issuer and verifier, applied to exp, nbf and iat.
inline constexpr absl::Duration kTokenClockLeeway = absl::Seconds(60);
// Longer tokens are rejected before any parsing.
inline constexpr size_t kMaxTokenBytes = 8192;
// The longest lifetime a token may claim (exp - iat, counted from now when iat is older or
// ahead): a leaked token is then worth a working day at most. A person signs in again each
// day; the node's own internal tokens live minutes (services/mcnode/remote_issuer.h).
inline constexpr absl::Duration kDefaultMaxTokenLifetime = absl::Hours(12);

// Verifies tokens for one audience against a fixed set of trusted keys. Configure it with
// AddTrustedKey before sharing it; after that Verify is safe to call from any thread.
class TokenVerifier {
 public:
  // Tokens that claim a longer lifetime than `max_lifetime` are refused, whatever their exp.
  explicit TokenVerifier(std::string audience,
                         absl::Duration max_lifetime = kDefaultMaxTokenLifetime);

  // Tokens whose header names `kid` must carry iss == `issuer` and verify under `public_key`
  // (32 bytes). InvalidArgument for a malformed key or an already used kid.
  absl::Status AddTrustedKey(std::string kid, std::string issuer, std::string public_key);

  absl::StatusOr<Caller> Verify(std::string_view token, absl::Time now) const;

  const std::string& audience() const { return audience_; }
  absl::Duration max_lifetime() const { return max_lifetime_; }

 private:
  struct TrustedKey {
    std::string issuer;
    std::string public_key;
  };

  std::string audience_;
  absl::Duration max_lifetime_;
  std::map<std::string, TrustedKey, std::less<>> keys_;
};

// Issues tokens that a TokenVerifier trusting (kid(), issuer(), public_key()) accepts. Used by
// the embedded/demo node for local development tokens and by tests. Thread-safe.
class TokenMinter {
 public:
  // The key id is the key's fingerprint (crypto::KeyFingerprint).
  TokenMinter(crypto::SigningKey key, std::string issuer, std::string audience);

  std::string Mint(std::string_view subject, std::string_view institution_id,
                   const std::vector<std::string>& roles, absl::Duration ttl,
                   absl::Time now = absl::Now()) const;

  const std::string& kid() const { return kid_; }
  const std::string& issuer() const { return issuer_; }
  const std::string& audience() const { return audience_; }
  const std::string& public_key() const { return key_.public_key(); }

 private:
  crypto::SigningKey key_;
  std::string issuer_;
  std::string audience_;
  std::string kid_;
};

// Checks the values of a request's `authorization` header (each one the header carried; one is
// expected): a `Bearer <token>` that `verifier` accepts at `now`, for a caller holding at least
// one of `any_of_roles` (an empty list admits any verified caller). Missing, repeated or
// non-Bearer authorization is UNAUTHENTICATED.
absl::StatusOr<Caller> AuthorizeBearer(const std::vector<std::string_view>& authorization,
                                       const TokenVerifier& verifier,
                                       std::initializer_list<std::string_view> any_of_roles,
                                       absl::Time now);

}  // namespace microcred::auth

#endif  // MICROCRED_LIBS_AUTH_TOKENS_H_
