#include "libs/registry/public_keys.h"

#include "libs/crypto/crypto.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/rsa_key.h"

namespace microcred::registry {

absl::Status CheckPublicKey(const v1::PublicKey& key, const std::string& where) {
  const int kinds = !key.ed25519_public_key().empty() + !key.rsa_public_key_der().empty() +
                    !key.ec_p256_public_key_der().empty();
  if (key.key_id().empty() || kinds != 1) {
    return absl::InvalidArgumentError(
        where +
        ": each key needs a key_id and exactly one of a 32-byte Ed25519 key, an RSA "
        "SubjectPublicKeyInfo or a P-256 SubjectPublicKeyInfo");
  }
  if (!key.ed25519_public_key().empty() &&
      key.ed25519_public_key().size() != crypto::kPublicKeyBytes) {
    return absl::InvalidArgumentError(where + ": key " + key.key_id() +
                                      ": an Ed25519 key is 32 bytes");
  }
  if (!key.ec_p256_public_key_der().empty()) {
    if (auto point = jose::EcPublicPointFromSpki(key.ec_p256_public_key_der()); !point.ok()) {
      return absl::InvalidArgumentError(where + ": key " + key.key_id() +
                                        ": ec_p256_public_key_der is not a P-256 "
                                        "SubjectPublicKeyInfo");
    }
    const std::string fingerprint = jose::EcKeyFingerprint(key.ec_p256_public_key_der());
    if (key.key_id() != fingerprint) {
      return absl::InvalidArgumentError(where + ": key " + key.key_id() +
                                        ": a P-256 key's id is its fingerprint, " + fingerprint);
    }
  }
  return absl::OkStatus();
}

v1::PublicKey RegisteredRsaKey(std::string_view spki_der) {
  v1::PublicKey key;
  key.set_key_id(jose::RsaKeyFingerprint(spki_der));
  key.set_rsa_public_key_der(std::string(spki_der));
  return key;
}

v1::PublicKey RegisteredP256Key(std::string_view spki_der) {
  v1::PublicKey key;
  key.set_key_id(jose::EcKeyFingerprint(spki_der));
  key.set_ec_p256_public_key_der(std::string(spki_der));
  return key;
}

bool SameKeyMaterial(const v1::PublicKey& a, const v1::PublicKey& b) {
  return a.ed25519_public_key() == b.ed25519_public_key() &&
         a.rsa_public_key_der() == b.rsa_public_key_der() &&
         a.ec_p256_public_key_der() == b.ec_p256_public_key_der();
}

std::string_view KeyKindLabel(const v1::PublicKey& key) {
  if (!key.rsa_public_key_der().empty()) return "RSA";
  if (!key.ec_p256_public_key_der().empty()) return "P-256";
  return "Ed25519";
}

jose::JwkPublicKey ToJwkPublicKey(const v1::PublicKey& key, std::string kid) {
  jose::JwkPublicKey jwk;
  jwk.kid = std::move(kid);
  if (!key.rsa_public_key_der().empty()) {
    jwk.alg = jose::JwsAlgorithm::kRS256;
    jwk.rsa_spki_der = key.rsa_public_key_der();
  } else if (!key.ec_p256_public_key_der().empty()) {
    jwk.alg = jose::JwsAlgorithm::kES256;
    jwk.ec_spki_der = key.ec_p256_public_key_der();
  } else {
    jwk.alg = jose::JwsAlgorithm::kEdDSA;
    jwk.ed25519_public_key = key.ed25519_public_key();
  }
  return jwk;
}

}  // namespace microcred::registry
