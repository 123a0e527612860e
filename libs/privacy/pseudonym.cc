#include "libs/privacy/pseudonym.h"

#include <sodium.h>

#include <cstdint>

#include "libs/crypto/crypto.h"

namespace microcred::privacy {
namespace {

constexpr size_t kDigestBytes = 16;
// Each includes its terminating NUL, which ends the domain tag unambiguously.
constexpr char kPseudonymDomain[] = "microcred.learner-pseudonym.v1";
constexpr char kCredentialTagDomain[] = "microcred.credential-tag.v1";

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

// "<prefix>" + base64url(keyed BLAKE2b-128(domain || len || institution || len || id)).
absl::StatusOr<std::string> KeyedName(std::string_view what, std::string_view id_name,
                                      std::string_view prefix, std::string_view domain_with_nul,
                                      std::string_view secret, std::string_view institution_id,
                                      std::string_view id) {
  if (secret.size() != kPseudonymSecretBytes) {
    return absl::InvalidArgumentError(std::string(what) + ": the issuer secret must be 32 bytes");
  }
  if (institution_id.empty() || id.empty()) {
    return absl::InvalidArgumentError(std::string(what) + ": institution and " +
                                      std::string(id_name) + " required");
  }
  if (absl::Status s = crypto::InitCrypto(); !s.ok()) return s;
  crypto_generichash_state state;
  crypto_generichash_init(&state, Bytes(secret), secret.size(), kDigestBytes);
  crypto_generichash_update(&state, Bytes(domain_with_nul), domain_with_nul.size());
  AbsorbField(state, institution_id);
  AbsorbField(state, id);
  unsigned char digest[kDigestBytes];
  crypto_generichash_final(&state, digest, sizeof digest);
  sodium_memzero(&state, sizeof state);  // holds the keyed state
  return std::string(prefix) +
         crypto::Base64UrlEncode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

}  // namespace

absl::StatusOr<std::string> LearnerPseudonym(std::string_view issuer_secret,
                                             std::string_view institution_id,
                                             std::string_view learner_id) {
  return KeyedName("learner pseudonym", "learner id", kPseudonymPrefix,
                   std::string_view(kPseudonymDomain, sizeof kPseudonymDomain), issuer_secret,
                   institution_id, learner_id);
}

absl::StatusOr<std::string> CredentialTag(std::string_view institution_secret,
                                          std::string_view institution_id,
                                          std::string_view credential_id) {
  return KeyedName("credential tag", "credential id", kCredentialTagPrefix,
                   std::string_view(kCredentialTagDomain, sizeof kCredentialTagDomain),
                   institution_secret, institution_id, credential_id);
}

}  // namespace microcred::privacy
