// A compact JWS cut into its three base64url parts and put back together, for the programs
// that forge copies of real tokens (tests/jose-interop, tests/conformance): a changed payload
// under the genuine signature, a genuine header over another signature.
#ifndef MICROCRED_LIBS_JOSE_TESTING_TOKEN_PARTS_H_
#define MICROCRED_LIBS_JOSE_TESTING_TOKEN_PARTS_H_

#include <string>

namespace microcred::jose::testing {

struct TokenParts {
  std::string header, payload, signature;  // base64url, as in the token
};

// The parts of `jws`, which must hold two dots (the programs cut only tokens they were given).
inline TokenParts SplitToken(const std::string& jws) {
  const size_t first = jws.find('.'), second = jws.rfind('.');
  return {jws.substr(0, first), jws.substr(first + 1, second - first - 1), jws.substr(second + 1)};
}

inline std::string JoinToken(const TokenParts& parts) {
  return parts.header + "." + parts.payload + "." + parts.signature;
}

}  // namespace microcred::jose::testing

#endif  // MICROCRED_LIBS_JOSE_TESTING_TOKEN_PARTS_H_
