// LearnerPseudonym: the only name a learner goes by outside their issuing node (events,
// status lists, shared topics). Personal data never leaves the node; this id does.
//
// A keyed BLAKE2b hash of (institution id, learner id) under a secret the issuer never shares:
//   - stable: the same inputs always give the same pseudonym, so events about one learner can
//     be related by those who legitimately hold them;
//   - unlinkable across issuers: without the secret nobody can compute or invert it, and two
//     issuers (different secrets) give the same learner unrelated pseudonyms;
//   - domain-separated and length-prefixed, so ("ab", "c") and ("a", "bc") differ and the
//     secret's use here cannot be confused with any other.
// Format: "lp1_" + unpadded base64url of 16 bytes (26 characters). The "1" versions the
// derivation: changing it would give every learner a new pseudonym.
//
// Pure; thread-safe.
#ifndef MICROCRED_LIBS_PRIVACY_PSEUDONYM_H_
#define MICROCRED_LIBS_PRIVACY_PSEUDONYM_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace microcred::privacy {

inline constexpr size_t kPseudonymSecretBytes = 32;
inline constexpr std::string_view kPseudonymPrefix = "lp1_";
inline constexpr size_t kPseudonymLength = 26;

// InvalidArgument when `issuer_secret` is not kPseudonymSecretBytes bytes, or either id is
// empty.
absl::StatusOr<std::string> LearnerPseudonym(std::string_view issuer_secret,
                                             std::string_view institution_id,
                                             std::string_view learner_id);

// CredentialTag: how an institution names, on a shared topic, a credential that a learner
// presented to it (possibly another issuer's). The same keyed hash under the same secret, in a
// domain of its own: the institution finds its own events about a credential again from the
// credential id (also in a store rebuilt from the log), while nobody without its secret can
// tell which credential a tag names, so a tag joins nothing to the issuer's events about that
// credential, and two institutions' tags of one credential are unrelated.
// Format: "ct1_" + unpadded base64url of 16 bytes (26 characters).
inline constexpr std::string_view kCredentialTagPrefix = "ct1_";

// InvalidArgument as LearnerPseudonym.
absl::StatusOr<std::string> CredentialTag(std::string_view institution_secret,
                                          std::string_view institution_id,
                                          std::string_view credential_id);

}  // namespace microcred::privacy

#endif  // MICROCRED_LIBS_PRIVACY_PSEUDONYM_H_
