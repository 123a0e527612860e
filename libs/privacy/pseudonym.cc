#include "libs/privacy/pseudonym.h"

#include <sodium.h>

#include <cstdint>

#include "libs/crypto/crypto.h"

namespace microcred::privacy {
namespace {

constexpr size_t kDigestBytes = 16;
// Includes its terminating NUL, which ends the domain tag unambiguously.
constexpr char kDomain[] = "microcred.learner-pseudonym.v1";

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The field's length as 8 bytes big-endian, then the field.
void AbsorbField(crypto_generichash_state& state, std::string_view field) {
  unsigned char length[8];
  for (int i = 0; i < 8; ++i) {
    length[i] = static_cast<unsigned char>(static_cast<uint64_t>(field.size()) >> (56 - 8 * i));
  }
  crypto_generichash_update(&state, length, sizeof length);
  crypto_generichash_update(&state, Bytes(field), field.size());
}

}  // namespace

absl::StatusOr<std::string> LearnerPseudonym(std::string_view issuer_secret,
                                             std::string_view institution_id,
                                             std::string_view learner_id) {
  if (issuer_secret.size() != kPseudonymSecretBytes) {
    return absl::InvalidArgumentError("learner pseudonym: the issuer secret must be 32 bytes");
  }
  if (institution_id.empty() || learner_id.empty()) {
    return absl::InvalidArgumentError("learner pseudonym: institution and learner id required");
  }
  if (absl::Status s = crypto::InitCrypto(); !s.ok()) return s;
  crypto_generichash_state state;
  crypto_generichash_init(&state, Bytes(issuer_secret), issuer_secret.size(), kDigestBytes);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kDomain),
                            sizeof kDomain);
  AbsorbField(state, institution_id);
  AbsorbField(state, learner_id);
  unsigned char digest[kDigestBytes];
  crypto_generichash_final(&state, digest, sizeof digest);
  sodium_memzero(&state, sizeof state);  // holds the keyed state
  return std::string(kPseudonymPrefix) +
         crypto::Base64UrlEncode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

}  // namespace microcred::privacy
