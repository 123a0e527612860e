// jose_vectors: the C++ half of the jose-interop test; run.sh drives both halves.
//
//   jose_vectors write OUT.json  Signs credentials with libs/jose (EdDSA, RS256, ES256) and writes
//                                them with their public JWKs, next to tampered and forged
//                                tokens that every verifier must refuse.
//   jose_vectors check IN.json   Verifies with libs/jose the tokens that verify.mjs signed with
//                                panva/jose, in the same format.
//
// The format: {"vectors":[{"name","jwk","jws","expect":"valid"|"invalid","payload"?}]}, where
// "payload" (for valid vectors) is the exact payload text a verifier must get back.
// `check` prints one line per vector and exits 1 on any mismatch.
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "libs/crypto/crypto.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/jwk.h"
#include "libs/jose/jws.h"
#include "libs/jose/rsa_key.h"
#include "libs/jose/testing/sample_credential.h"
#include "libs/jose/testing/token_parts.h"
#include "nlohmann/json.hpp"

namespace microcred::jose {
namespace {

using Json = nlohmann::json;

std::string Encode(std::string_view bytes) { return crypto::Base64UrlEncode(bytes); }
std::string Decode(std::string_view text) { return crypto::Base64UrlDecode(text).value_or(""); }

std::string Credential(std::string_view id, size_t evidence_bytes = 0) {
  return jose::testing::SampleCredentialJson(id, evidence_bytes);
}

using jose::testing::JoinToken;
using jose::testing::SplitToken;
using Parts = jose::testing::TokenParts;

// A token whose header is `header` verbatim, signed by `signer` whatever the header claims.
std::string SignWithHeader(const JwsSigner& signer, const Json& header, std::string_view payload) {
  std::string input = Encode(header.dump()) + "." + Encode(payload);
  return input + "." + Encode(signer.Sign(input));
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

Json Vector(std::string name, const JwsSigner& signer, std::string jws, bool valid,
            const std::string& payload = "") {
  Json vector = {{"name", std::move(name)},
                 {"jwk", ToJwk(signer.public_jwk())},
                 {"jws", std::move(jws)},
                 {"expect", valid ? "valid" : "invalid"}};
  if (valid) vector["payload"] = payload;
  return vector;
}

void AddValid(const JwsSigner& signer, const std::string& alg, Json& out) {
  std::string credential = Credential("0b5e7c1e-valid");
  out.push_back(Vector(alg + ": credential, typ vc+jwt, cty vc", signer,
                       SignCompact(signer, VcJwtHeader(), credential), true, credential));
  out.push_back(Vector(alg + ": header with alg and kid only", signer,
                       SignCompact(signer, nullptr, credential), true, credential));
  std::string large = Credential("0b5e7c1e-large", 100 * 1024);
  out.push_back(Vector(alg + ": 100 KiB credential", signer,
                       SignCompact(signer, VcJwtHeader(), large), true, large));
}

void AddTampered(const JwsSigner& signer, const std::string& alg, Json& out) {
  std::string jws = SignCompact(signer, VcJwtHeader(), Credential("0b5e7c1e-tampered"));
  Parts payload = SplitToken(jws);
  payload.payload = Encode(Credential("0b5e7c1e-tampereD"));
  out.push_back(Vector(alg + ": payload changed after signing", signer, JoinToken(payload), false));

  Parts header = SplitToken(jws);
  Json changed = Json::parse(Decode(header.header));
  changed["typ"] = "JWT";
  header.header = Encode(changed.dump());
  out.push_back(Vector(alg + ": header changed after signing", signer, JoinToken(header), false));

  Parts flipped = SplitToken(jws);
  std::string signature = Decode(flipped.signature);
  signature[signature.size() / 2] ^= 0x01;
  flipped.signature = Encode(signature);
  out.push_back(Vector(alg + ": one signature bit flipped", signer, JoinToken(flipped), false));

  Parts truncated = SplitToken(jws);
  truncated.signature = Encode(Decode(truncated.signature).substr(1));
  out.push_back(Vector(alg + ": signature one byte short", signer, JoinToken(truncated), false));
}

// `impostor` has the same algorithm and kid as `signer` but another key.
void AddForged(const JwsSigner& signer, const JwsSigner& impostor, const std::string& alg,
               const std::string& other_alg, Json& out) {
  std::string credential = Credential("0b5e7c1e-forged");
  out.push_back(Vector(alg + ": signed by another key under the same kid", signer,
                       SignCompact(impostor, VcJwtHeader(), credential), false));
  Json header = {{"alg", other_alg}, {"kid", signer.kid()}, {"typ", "vc+jwt"}};
  out.push_back(Vector(alg + ": header claims " + other_alg + ", signed by the " + alg + " key",
                       signer, SignWithHeader(signer, header, credential), false));
  header["alg"] = "none";
  out.push_back(Vector(alg + ": alg none, no signature", signer,
                       Encode(header.dump()) + "." + Encode(credential) + ".", false));
  header["alg"] = "HS256";
  std::string input = Encode(header.dump()) + "." + Encode(credential);
  // The classic confusion: HMAC keyed with the public key, which every verifier holds.
  JwkPublicKey public_key = signer.public_jwk();
  std::string hmac_key =
      public_key.ed25519_public_key + public_key.rsa_spki_der + public_key.ec_spki_der;
  out.push_back(Vector(alg + ": HS256 keyed with the public key", signer,
                       input + "." + Encode(HmacSha256(hmac_key, input)), false));
}

// ES256 signatures in OpenSSL's DER form instead of JOSE's R || S: a verifier that accepted
// them would accept two encodings of one signature.
void AddDerSignature(const JwsSigner& signer, Json& out) {
  std::string jws = SignCompact(signer, VcJwtHeader(), Credential("0b5e7c1e-der"));
  Parts parts = SplitToken(jws);
  std::string rs = Decode(parts.signature);
  ECDSA_SIG* signature = ECDSA_SIG_new();
  const auto* bytes = reinterpret_cast<const unsigned char*>(rs.data());
  ECDSA_SIG_set0(signature, BN_bin2bn(bytes, 32, nullptr), BN_bin2bn(bytes + 32, 32, nullptr));
  unsigned char* der = nullptr;
  int size = i2d_ECDSA_SIG(signature, &der);
  parts.signature = Encode(std::string(reinterpret_cast<const char*>(der), size > 0 ? size : 0));
  OPENSSL_free(der);
  ECDSA_SIG_free(signature);
  out.push_back(Vector("ES256: the same signature DER-encoded", signer, JoinToken(parts), false));
}

int Write(const std::string& path) {
  absl::StatusOr<RsaPrivateKey> rsa = RsaPrivateKey::Generate();
  absl::StatusOr<RsaPrivateKey> other_rsa = RsaPrivateKey::Generate();
  if (!rsa.ok() || !other_rsa.ok()) {
    std::cerr << "jose_vectors: RSA key generation failed\n";
    return 1;
  }
  Ed25519JwsSigner ed(crypto::SigningKey::Generate(), "did:web:node.uni-krakow.example#ed25519");
  Ed25519JwsSigner other_ed(crypto::SigningKey::Generate(), ed.kid());
  RsaJwsSigner rs(*rsa, "did:web:node.uni-krakow.example#rsa");
  RsaJwsSigner other_rs(*other_rsa, rs.kid());
  absl::StatusOr<EcPrivateKey> ec_key = EcPrivateKey::Generate();
  absl::StatusOr<EcPrivateKey> other_ec_key = EcPrivateKey::Generate();
  if (!ec_key.ok() || !other_ec_key.ok()) {
    std::cerr << "jose_vectors: P-256 key generation failed\n";
    return 1;
  }
  EcJwsSigner es(*ec_key, "did:web:node.uni-krakow.example#p256");
  EcJwsSigner other_es(*other_ec_key, es.kid());

  Json vectors = Json::array();
  AddValid(ed, "EdDSA", vectors);
  AddValid(rs, "RS256", vectors);
  AddValid(es, "ES256", vectors);
  AddTampered(ed, "EdDSA", vectors);
  AddTampered(rs, "RS256", vectors);
  AddTampered(es, "ES256", vectors);
  AddDerSignature(es, vectors);
  AddForged(ed, other_ed, "EdDSA", "RS256", vectors);
  AddForged(rs, other_rs, "RS256", "EdDSA", vectors);
  AddForged(es, other_es, "ES256", "RS256", vectors);

  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << Json{{"generator", "microcred libs/jose"}, {"vectors", vectors}}.dump(1) << "\n";
  if (!out.flush()) {
    std::cerr << "jose_vectors: cannot write " << path << "\n";
    return 1;
  }
  std::cout << "jose_vectors: wrote " << vectors.size() << " vectors to " << path << "\n";
  return 0;
}

// What libs/jose made of one vector.
struct Outcome {
  bool as_expected;
  std::string detail;  // why not, or for a refused token, the refusal
};

Outcome Check(const Json& vector) {
  if (!vector.is_object() || !vector.contains("jws") || !vector["jws"].is_string() ||
      !vector.contains("jwk")) {
    return {false, "malformed vector"};
  }
  bool expect_valid = vector.value("expect", "") == "valid";
  absl::StatusOr<JwkPublicKey> key = FromJwk(vector["jwk"]);
  if (!key.ok()) return {false, "jwk not accepted: " + std::string(key.status().message())};
  absl::StatusOr<ParsedJws> jws = VerifyCompact(vector["jws"].get<std::string>(), {*key});
  if (!jws.ok()) return {!expect_valid, "refused: " + std::string(jws.status().message())};
  if (!expect_valid) return {false, "accepted a token that must be refused"};
  if (jws->payload != vector.value("payload", "")) return {false, "payload differs"};
  return {true, ""};
}

int CheckFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  Json file = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!in || !file.is_object() || !file.contains("vectors") || !file["vectors"].is_array() ||
      file["vectors"].empty()) {
    std::cerr << "jose_vectors: " << path << " holds no vectors\n";
    return 1;
  }
  int failures = 0;
  for (const Json& vector : file["vectors"]) {
    std::string name = vector.is_object() ? vector.value("name", "?") : "?";
    std::string expect = vector.is_object() ? vector.value("expect", "?") : "?";
    Outcome outcome = Check(vector);
    std::printf("%-4s %-7s %s%s%s\n", outcome.as_expected ? "ok" : "FAIL", expect.c_str(),
                name.c_str(), outcome.detail.empty() ? "" : ": ", outcome.detail.c_str());
    failures += outcome.as_expected ? 0 : 1;
  }
  std::printf("libs/jose: %zu vectors from %s, %d mismatches\n", file["vectors"].size(),
              file.value("generator", "?").c_str(), failures);
  return failures == 0 ? 0 : 1;
}

int Main(int argc, char** argv) {
  if (!crypto::InitCrypto().ok()) return 1;
  std::string mode = argc == 3 ? argv[1] : "";
  if (mode == "write") return Write(argv[2]);
  if (mode == "check") return CheckFile(argv[2]);
  std::cerr << "usage: jose_vectors write OUT.json | jose_vectors check IN.json\n";
  return 2;
}

}  // namespace
}  // namespace microcred::jose

int main(int argc, char** argv) {
  // nlohmann::json throws on type mismatches (e.g. a non-string "name"); a vector file that
  // provokes one is a failed test, reported as such rather than as a crash.
  try {
    return microcred::jose::Main(argc, argv);
  } catch (const nlohmann::json::exception& e) {
    std::cerr << "jose_vectors: malformed vector file: " << e.what() << "\n";
    return 1;
  }
}
