#include "libs/jose/jws.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace microcred::jose {

namespace {

using Json = nlohmann::json;

absl::Status Invalid(std::string_view where, std::string_view reason) {
  return absl::InvalidArgumentError(std::string(where) + ": " + std::string(reason));
}

// Invalid UTF-8 in a header string is replaced rather than thrown about: SignCompact cannot
// fail, and such a header value simply matches nothing a verifier looks for.
std::string Serialize(const Json& json) {
  return json.dump(/*indent=*/-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

absl::StatusOr<std::array<std::string_view, 3>> SplitParts(std::string_view jws) {
  if (jws.empty()) return Invalid("jws", "empty");
  if (jws.size() > kMaxCompactJwsBytes) {
    return Invalid("jws", "longer than " + std::to_string(kMaxCompactJwsBytes) + " bytes");
  }
  size_t dots = static_cast<size_t>(std::count(jws.begin(), jws.end(), '.'));
  if (dots != 2) {
    return Invalid("jws", "expected three dot-separated parts, got " + std::to_string(dots + 1));
  }
  size_t first = jws.find('.');
  size_t second = jws.find('.', first + 1);
  return std::array<std::string_view, 3>{
      jws.substr(0, first), jws.substr(first + 1, second - first - 1), jws.substr(second + 1)};
}

absl::StatusOr<Json> DecodeHeader(std::string_view part) {
  absl::StatusOr<std::string> bytes = crypto::Base64UrlDecode(part);
  if (!bytes.ok()) return Invalid("jws.header", "not valid base64url");
  Json header = Json::parse(*bytes, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded()) return Invalid("jws.header", "not valid JSON");
  if (!header.is_object()) return Invalid("jws.header", "not a JSON object");
  return header;
}

// The header member `name` as a string: nullopt when absent, an error when not a string.
absl::StatusOr<std::optional<std::string>> OptionalString(const Json& header,
                                                          std::string_view name) {
  auto it = header.find(name);
  if (it == header.end()) return std::nullopt;
  if (!it->is_string()) return Invalid("jws.header." + std::string(name), "not a string");
  return it->get<std::string>();
}

absl::StatusOr<std::string> RequiredString(const Json& header, std::string_view name) {
  absl::StatusOr<std::optional<std::string>> value = OptionalString(header, name);
  if (!value.ok()) return value.status();
  if (!*value) return Invalid("jws.header." + std::string(name), "missing");
  if ((*value)->empty()) return Invalid("jws.header." + std::string(name), "empty");
  return **std::move(value);
}

absl::StatusOr<JwsAlgorithm> ReadAlgorithm(const Json& header) {
  absl::StatusOr<std::string> name = RequiredString(header, "alg");
  if (!name.ok()) return name.status();
  std::optional<JwsAlgorithm> algorithm = JwsAlgorithmFromName(*name);
  if (!algorithm) return Invalid("jws.header.alg", "unsupported algorithm " + ClipTokenText(*name));
  return *algorithm;
}

// Fills everything ParsedJws takes from the header. RFC 7515 §4.1.11: a recipient must reject
// critical extensions it does not understand, and this one understands none.
absl::Status ReadHeader(Json header, KidRule kid_rule, ParsedJws& jws) {
  absl::StatusOr<JwsAlgorithm> algorithm = ReadAlgorithm(header);
  if (!algorithm.ok()) return algorithm.status();
  absl::StatusOr<std::string> kid = kid_rule == KidRule::kOptional && !header.contains("kid")
                                        ? absl::StatusOr<std::string>(std::string())
                                        : RequiredString(header, "kid");
  if (!kid.ok()) return kid.status();
  absl::StatusOr<std::optional<std::string>> typ = OptionalString(header, "typ");
  if (!typ.ok()) return typ.status();
  absl::StatusOr<std::optional<std::string>> cty = OptionalString(header, "cty");
  if (!cty.ok()) return cty.status();
  if (header.contains("crit")) {
    return Invalid("jws.header.crit", "critical extensions are not supported");
  }
  jws.algorithm = *algorithm;
  jws.kid = *std::move(kid);
  jws.typ = typ->value_or("");
  jws.cty = cty->value_or("");
  jws.header = std::move(header);
  return absl::OkStatus();
}

absl::Status DecodeBody(std::string_view payload, std::string_view signature, ParsedJws& jws) {
  absl::StatusOr<std::string> payload_bytes = crypto::Base64UrlDecode(payload);
  if (!payload_bytes.ok()) return Invalid("jws.payload", "not valid base64url");
  absl::StatusOr<std::string> signature_bytes = crypto::Base64UrlDecode(signature);
  if (!signature_bytes.ok()) return Invalid("jws.signature", "not valid base64url");
  if (signature_bytes->empty()) return Invalid("jws.signature", "empty");
  jws.payload = *std::move(payload_bytes);
  jws.signature = *std::move(signature_bytes);
  return absl::OkStatus();
}

const JwkPublicKey* FindKey(const std::vector<JwkPublicKey>& keys, std::string_view kid) {
  auto it = std::find_if(keys.begin(), keys.end(),
                         [&](const JwkPublicKey& key) { return key.kid == kid; });
  return it == keys.end() ? nullptr : &*it;
}

}  // namespace

Json VcJwtHeader() { return {{"typ", kVcJwtType}, {"cty", kVcContentType}}; }

Json OpenBadgesJwtHeader() { return {{"typ", kJwtType}}; }

Ed25519JwsSigner::Ed25519JwsSigner(crypto::SigningKey key)
    : key_(std::move(key)), kid_(crypto::KeyFingerprint(key_.public_key())) {}

Ed25519JwsSigner::Ed25519JwsSigner(crypto::SigningKey key, std::string kid)
    : key_(std::move(key)), kid_(std::move(kid)) {}

std::string Ed25519JwsSigner::Sign(std::string_view signing_input) const {
  return key_.Sign(signing_input);
}

JwkPublicKey Ed25519JwsSigner::public_jwk() const {
  return {.kid = kid_, .alg = JwsAlgorithm::kEdDSA, .ed25519_public_key = key_.public_key()};
}

RsaJwsSigner::RsaJwsSigner(RsaPrivateKey key)
    : key_(std::move(key)), kid_(RsaKeyFingerprint(key_.PublicKeyDer())) {}

RsaJwsSigner::RsaJwsSigner(RsaPrivateKey key, std::string kid)
    : key_(std::move(key)), kid_(std::move(kid)) {}

std::string RsaJwsSigner::Sign(std::string_view signing_input) const {
  return key_.SignRs256(signing_input);
}

JwkPublicKey RsaJwsSigner::public_jwk() const {
  return {.kid = kid_, .alg = JwsAlgorithm::kRS256, .rsa_spki_der = key_.PublicKeyDer()};
}

EcJwsSigner::EcJwsSigner(EcPrivateKey key)
    : key_(std::move(key)), kid_(EcKeyFingerprint(key_.PublicKeyDer())) {}

EcJwsSigner::EcJwsSigner(EcPrivateKey key, std::string kid)
    : key_(std::move(key)), kid_(std::move(kid)) {}

std::string EcJwsSigner::Sign(std::string_view signing_input) const {
  return key_.SignEs256(signing_input);
}

JwkPublicKey EcJwsSigner::public_jwk() const {
  return {.kid = kid_, .alg = JwsAlgorithm::kES256, .ec_spki_der = key_.PublicKeyDer()};
}

std::string SignCompact(const JwsSigner& signer, const Json& extra_header,
                        std::string_view payload) {
  return CompactSigner(signer, extra_header).Sign(payload);
}

CompactSigner::CompactSigner(const JwsSigner& signer, const Json& extra_header) : signer_(signer) {
  Json header = extra_header.is_object() ? extra_header : Json::object();
  header["alg"] = JwsAlgorithmName(signer.algorithm());
  header["kid"] = signer.kid();
  encoded_header_ = crypto::Base64UrlEncode(Serialize(header));
}

std::string CompactSigner::Sign(std::string_view payload) const {
  // One buffer for the whole token: the signing input, then its signature (RSA-4096 at most).
  constexpr size_t kLongestSignatureChars = 683;
  std::string jws;
  jws.reserve(encoded_header_.size() + 1 + payload.size() * 4 / 3 + 4 + kLongestSignatureChars);
  jws.append(encoded_header_);
  jws.push_back('.');
  crypto::AppendBase64Url(payload, &jws);
  const std::string signature = signer_.Sign(jws);
  jws.push_back('.');
  crypto::AppendBase64Url(signature, &jws);
  return jws;
}

absl::StatusOr<ParsedJws> ParseCompact(std::string_view jws, KidRule kid_rule) {
  absl::StatusOr<std::array<std::string_view, 3>> parts = SplitParts(jws);
  if (!parts.ok()) return parts.status();
  auto [header_part, payload_part, signature_part] = *parts;
  absl::StatusOr<Json> header = DecodeHeader(header_part);
  if (!header.ok()) return header.status();
  ParsedJws parsed;
  if (absl::Status status = ReadHeader(*std::move(header), kid_rule, parsed); !status.ok())
    return status;
  if (absl::Status status = DecodeBody(payload_part, signature_part, parsed); !status.ok()) {
    return status;
  }
  parsed.signing_input = std::string(jws.substr(0, header_part.size() + 1 + payload_part.size()));
  return parsed;
}

bool VerifyJws(const ParsedJws& jws, const JwkPublicKey& key) {
  // The key decides the algorithm. A header naming another one is a forgery attempt or a
  // misconfiguration, and either way no signature check is run.
  if (jws.algorithm != key.alg) return false;
  switch (key.alg) {
    case JwsAlgorithm::kEdDSA:
      return crypto::Verify(key.ed25519_public_key, jws.signing_input, jws.signature);
    case JwsAlgorithm::kRS256:
      return VerifyRs256(key.rsa_spki_der, jws.signing_input, jws.signature);
    case JwsAlgorithm::kES256:
      return VerifyEs256(key.ec_spki_der, jws.signing_input, jws.signature);
  }
  return false;
}

absl::StatusOr<ParsedJws> VerifyCompact(std::string_view jws,
                                        const std::vector<JwkPublicKey>& trusted_keys) {
  absl::StatusOr<ParsedJws> parsed = ParseCompact(jws);
  if (!parsed.ok()) return parsed;
  const JwkPublicKey* key = FindKey(trusted_keys, parsed->kid);
  if (key == nullptr) {
    return absl::NotFoundError("jws.header.kid: no trusted key \"" + ClipTokenText(parsed->kid) +
                               "\"");
  }
  if (key->alg != parsed->algorithm) {
    return Invalid("jws.header.alg", std::string(JwsAlgorithmName(parsed->algorithm)) +
                                         ", but key \"" + ClipTokenText(key->kid) + "\" is for " +
                                         std::string(JwsAlgorithmName(key->alg)));
  }
  if (!VerifyJws(*parsed, *key)) return Invalid("jws.signature", "does not verify");
  return parsed;
}

std::string ClipTokenText(std::string_view text) {
  constexpr size_t kMaxBytes = 64;
  std::string clipped(text.substr(0, kMaxBytes));
  for (char& c : clipped) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return text.size() > kMaxBytes ? clipped + "..." : clipped;
}

}  // namespace microcred::jose
