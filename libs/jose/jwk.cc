#include "libs/jose/jwk.h"

#include <array>
#include <set>
#include <string_view>

#include "libs/crypto/crypto.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/rsa_key.h"

namespace microcred::jose {

namespace {

using Json = nlohmann::json;

absl::Status Invalid(std::string_view member, std::string_view reason) {
  return absl::InvalidArgumentError("jwk." + std::string(member) + ": " + std::string(reason));
}

// RFC 7518 §6.3.2 and §6.4: members that only a private or symmetric key has.
constexpr std::array<std::string_view, 8> kPrivateMembers = {"d",  "p",  "q",   "dp",
                                                             "dq", "qi", "oth", "k"};

absl::StatusOr<std::string> RequiredString(const Json& jwk, std::string_view member) {
  auto it = jwk.find(member);
  if (it == jwk.end()) return Invalid(member, "missing");
  if (!it->is_string()) return Invalid(member, "not a string");
  return it->get<std::string>();
}

absl::StatusOr<std::string> RequiredBase64Url(const Json& jwk, std::string_view member) {
  absl::StatusOr<std::string> text = RequiredString(jwk, member);
  if (!text.ok()) return text.status();
  absl::StatusOr<std::string> bytes = crypto::Base64UrlDecode(*text);
  if (!bytes.ok()) return Invalid(member, "not valid base64url");
  return bytes;
}

// kid, use, and the absence of private members: what every JWK here must satisfy.
absl::StatusOr<std::string> CheckCommonMembers(const Json& jwk) {
  for (std::string_view member : kPrivateMembers) {
    if (jwk.contains(member)) {
      return Invalid(member, "a private key member; publish public keys only");
    }
  }
  if (auto use = jwk.find("use"); use != jwk.end() && *use != "sig") {
    return Invalid("use", "not \"sig\"");
  }
  absl::StatusOr<std::string> kid = RequiredString(jwk, "kid");
  if (kid.ok() && kid->empty()) return Invalid("kid", "empty");
  return kid;
}

// An absent alg is implied by the key type; a present one must be it.
absl::Status CheckAlg(const Json& jwk, std::string_view kty, JwsAlgorithm implied) {
  auto alg = jwk.find("alg");
  if (alg == jwk.end()) return absl::OkStatus();
  if (!alg->is_string()) return Invalid("alg", "not a string");
  if (alg->get<std::string>() != JwsAlgorithmName(implied)) {
    return Invalid("alg", alg->get<std::string>() + " is not " +
                              std::string(JwsAlgorithmName(implied)) + ", the algorithm of a " +
                              std::string(kty) + " key here");
  }
  return absl::OkStatus();
}

absl::Status ReadOkpKey(const Json& jwk, JwkPublicKey& key) {
  absl::StatusOr<std::string> crv = RequiredString(jwk, "crv");
  if (!crv.ok()) return crv.status();
  if (*crv != "Ed25519") return Invalid("crv", "unsupported curve " + *crv);
  absl::StatusOr<std::string> x = RequiredBase64Url(jwk, "x");
  if (!x.ok()) return x.status();
  if (x->size() != crypto::kPublicKeyBytes) return Invalid("x", "not 32 bytes");
  key.alg = JwsAlgorithm::kEdDSA;
  key.ed25519_public_key = *std::move(x);
  return CheckAlg(jwk, "OKP", key.alg);
}

absl::Status ReadRsaKey(const Json& jwk, JwkPublicKey& key) {
  absl::StatusOr<std::string> n = RequiredBase64Url(jwk, "n");
  if (!n.ok()) return n.status();
  absl::StatusOr<std::string> e = RequiredBase64Url(jwk, "e");
  if (!e.ok()) return e.status();
  absl::StatusOr<std::string> spki = RsaSpkiFromNumbers(*n, *e);
  // The message names the modulus or the exponent.
  if (!spki.ok()) return absl::InvalidArgumentError("jwk: " + std::string(spki.status().message()));
  key.alg = JwsAlgorithm::kRS256;
  key.rsa_spki_der = *std::move(spki);
  return CheckAlg(jwk, "RSA", key.alg);
}

// RFC 7518 §6.2.1: x and y are full-length (32 bytes for P-256), so a short one is refused
// rather than padded.
absl::Status ReadEcKey(const Json& jwk, JwkPublicKey& key) {
  absl::StatusOr<std::string> crv = RequiredString(jwk, "crv");
  if (!crv.ok()) return crv.status();
  if (*crv != "P-256") return Invalid("crv", "unsupported curve " + *crv);
  absl::StatusOr<std::string> x = RequiredBase64Url(jwk, "x");
  if (!x.ok()) return x.status();
  if (x->size() != kP256CoordinateBytes) return Invalid("x", "not 32 bytes");
  absl::StatusOr<std::string> y = RequiredBase64Url(jwk, "y");
  if (!y.ok()) return y.status();
  if (y->size() != kP256CoordinateBytes) return Invalid("y", "not 32 bytes");
  absl::StatusOr<std::string> spki = EcSpkiFromPoint(*x, *y);
  if (!spki.ok()) return Invalid("x", std::string(spki.status().message()));
  key.alg = JwsAlgorithm::kES256;
  key.ec_spki_der = *std::move(spki);
  return CheckAlg(jwk, "EC", key.alg);
}

Json Base(const JwkPublicKey& key) {
  return {{"kid", key.kid}, {"alg", JwsAlgorithmName(key.alg)}, {"use", "sig"}};
}

}  // namespace

Json ToJwk(const JwkPublicKey& key) {
  Json jwk = Base(key);
  switch (key.alg) {
    case JwsAlgorithm::kEdDSA:
      if (key.ed25519_public_key.size() != crypto::kPublicKeyBytes) return nullptr;
      jwk["kty"] = "OKP";
      jwk["crv"] = "Ed25519";
      jwk["x"] = crypto::Base64UrlEncode(key.ed25519_public_key);
      return jwk;
    case JwsAlgorithm::kRS256: {
      absl::StatusOr<RsaPublicNumbers> numbers = RsaPublicNumbersFromSpki(key.rsa_spki_der);
      if (!numbers.ok()) return nullptr;
      jwk["kty"] = "RSA";
      jwk["n"] = crypto::Base64UrlEncode(numbers->modulus);
      jwk["e"] = crypto::Base64UrlEncode(numbers->exponent);
      return jwk;
    }
    case JwsAlgorithm::kES256: {
      absl::StatusOr<EcPublicPoint> point = EcPublicPointFromSpki(key.ec_spki_der);
      if (!point.ok()) return nullptr;
      jwk["kty"] = "EC";
      jwk["crv"] = "P-256";
      jwk["x"] = crypto::Base64UrlEncode(point->x);
      jwk["y"] = crypto::Base64UrlEncode(point->y);
      return jwk;
    }
  }
  return nullptr;
}

absl::StatusOr<JwkPublicKey> FromJwk(const Json& jwk) {
  if (!jwk.is_object()) return absl::InvalidArgumentError("jwk: not a JSON object");
  absl::StatusOr<std::string> kid = CheckCommonMembers(jwk);
  if (!kid.ok()) return kid.status();
  absl::StatusOr<std::string> kty = RequiredString(jwk, "kty");
  if (!kty.ok()) return kty.status();
  JwkPublicKey key{.kid = *std::move(kid)};
  absl::Status read;
  if (*kty == "OKP") {
    read = ReadOkpKey(jwk, key);
  } else if (*kty == "RSA") {
    read = ReadRsaKey(jwk, key);
  } else if (*kty == "EC") {
    read = ReadEcKey(jwk, key);
  } else {
    read = Invalid("kty", "unsupported key type " + *kty);
  }
  if (!read.ok()) return read;
  return key;
}

Json ToJwks(const std::vector<JwkPublicKey>& keys) {
  Json array = Json::array();
  for (const JwkPublicKey& key : keys) {
    if (Json jwk = ToJwk(key); !jwk.is_null()) array.push_back(std::move(jwk));
  }
  return {{"keys", std::move(array)}};
}

absl::StatusOr<std::vector<JwkPublicKey>> FromJwks(const Json& jwks) {
  if (!jwks.is_object() || !jwks.contains("keys") || !jwks.at("keys").is_array()) {
    return absl::InvalidArgumentError("jwks: not a JSON object with a \"keys\" array");
  }
  const Json& keys = jwks.at("keys");
  std::vector<JwkPublicKey> result;
  std::set<std::string, std::less<>> kids;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string where = "jwks.keys[" + std::to_string(i) + "]: ";
    absl::StatusOr<JwkPublicKey> key = FromJwk(keys[i]);
    if (!key.ok()) return absl::InvalidArgumentError(where + std::string(key.status().message()));
    // A repeated kid would make the key a token is checked against depend on set order.
    if (!kids.insert(key->kid).second) {
      return absl::InvalidArgumentError(where + "kid \"" + key->kid + "\" repeated");
    }
    result.push_back(*std::move(key));
  }
  return result;
}

}  // namespace microcred::jose
