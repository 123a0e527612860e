// The learner's identifiers as our credentials carry them: salted SHA-256 hashes, so that a
// credential does not disclose its holder's e-mail address or student number, yet whoever is
// told one can confirm it (Open Badges 3.0 IdentityObject: identityHash "sha256$<hex>" with its
// salt; the ELM document's Identifier: notation with identitySalt). Issuance writes them
// (internal::HashedLearnerIdentifiers); holder binding at recognition recomputes them
// (libs/verification/holder_binding.h). Pure; thread-safe.
#ifndef MICROCRED_LIBS_CREDENTIALS_IDENTITY_HASH_H_
#define MICROCRED_LIBS_CREDENTIALS_IDENTITY_HASH_H_

#include <string_view>

namespace microcred::credentials {

// Whether `hash` is the salted hash of `identifier` as issuance computes it: "sha256$" + hex of
// SHA-256(identifier + salt), the identifier trimmed, an e-mail address also in lower case
// (issuance hashes e-mail addresses so). The hex digits compare in either case.
bool IdentityHashMatches(std::string_view hash, std::string_view salt, std::string_view identifier);

}  // namespace microcred::credentials

#endif  // MICROCRED_LIBS_CREDENTIALS_IDENTITY_HASH_H_
