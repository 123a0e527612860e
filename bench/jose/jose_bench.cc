// jose_bench: what libs/jose's JWS signing and verification cost beside the raw primitive they
// wrap, measured in one run on one core, for ES256 (OpenSSL P-256) and EdDSA (libsodium).
//
//   raw:    the primitive alone over the JWS signing input of a credential-sized token:
//           EVP_DigestSign / EVP_DigestVerify with a P-256 key already loaded (OpenSSL's DER
//           signatures), crypto::SigningKey::Sign / crypto::Verify for Ed25519;
//   ours:   CompactSigner::Sign (encode the payload, sign, R || S, encode the signature) and
//           ParseCompact + VerifyJws (split, decode, parse the header, the key from its SPKI,
//           cached, R || S to DER, verify), each as a percentage of the raw rate.
//
// Prints only; the target (>= 75% of raw) is for reading, not asserting. Needs no
// services.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>

#include <cstdio>
#include <memory>
#include <string>

#include "bench/support/bench_util.h"
#include "libs/crypto/crypto.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/jws.h"
#include "libs/jose/testing/sample_credential.h"

namespace microcred::bench {
namespace {

constexpr double kSeconds = 1.0;

// A credential-sized payload (about 1.4 KiB of JSON), as issuance signs.
std::string CredentialPayload() { return jose::testing::SampleCredentialJson("bench", 700); }

struct MdCtxFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

// One EVP_DigestSign of `message`, as a caller of OpenSSL with a loaded key does it.
std::string RawSign(EVP_PKEY* key, const std::string& message) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> context(EVP_MD_CTX_new());
  unsigned char signature[80];
  size_t size = sizeof(signature);
  if (EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(context.get(), signature, &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    std::fprintf(stderr, "raw P-256 signing failed\n");
    std::exit(1);
  }
  return std::string(reinterpret_cast<const char*>(signature), size);
}

bool RawVerify(EVP_PKEY* key, const std::string& message, const std::string& der) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> context(EVP_MD_CTX_new());
  return EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(der.data()),
                          der.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

// The same key as an EVP_PKEY, through its PEM (the benchmark's own copy, freed at exit).
EVP_PKEY* Load(const jose::EcPrivateKey& key) {
  std::string pem = key.ToPkcs8Pem();
  BIO* in = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  if (pkey == nullptr) std::exit(1);
  return pkey;
}

void Es256(const std::string& payload) {
  Section("ES256 (ECDSA P-256 SHA-256, OpenSSL " + std::string(OPENSSL_VERSION_TEXT) +
          "), one core");
  jose::EcPrivateKey key = Must(jose::EcPrivateKey::Generate(), "P-256 key");
  EVP_PKEY* pkey = Load(key);
  jose::EcJwsSigner signer(key, "did:web:node.example#p256");
  jose::CompactSigner compact(signer, jose::VcJwtHeader());
  const std::string token = compact.Sign(payload);
  const jose::ParsedJws parsed = Must(jose::ParseCompact(token), "parse");
  const jose::JwkPublicKey jwk = signer.public_jwk();
  const std::string& message = parsed.signing_input;
  const std::string der = RawSign(pkey, message);
  if (!RawVerify(pkey, message, der) || !jose::VerifyJws(parsed, jwk)) std::exit(1);
  Row("message signed (the JWS signing input)", static_cast<double>(message.size()), "bytes");

  double raw_sign = RatePerSecond(kSeconds, [&] { RawSign(pkey, message); });
  Row("raw OpenSSL P-256 ECDSA sign (EVP_DigestSign, DER)", raw_sign, "/s");
  double raw_verify = RatePerSecond(kSeconds, [&] { RawVerify(pkey, message, der); });
  Row("raw OpenSSL P-256 ECDSA verify (EVP_DigestVerify, DER)", raw_verify, "/s");

  double sign = RatePerSecond(kSeconds, [&] { compact.Sign(payload); });
  Row("ES256 JWS sign (CompactSigner::Sign)", sign, "/s");
  Row("  of raw sign", 100 * sign / raw_sign, "%");
  double primitive_sign = RatePerSecond(kSeconds, [&] { key.SignEs256(message); });
  Row("  EcPrivateKey::SignEs256 alone (R || S)", primitive_sign, "/s");
  Row("  of raw sign", 100 * primitive_sign / raw_sign, "%");

  double verify = RatePerSecond(kSeconds, [&] {
    absl::StatusOr<jose::ParsedJws> jws = jose::ParseCompact(token);
    if (!jws.ok() || !jose::VerifyJws(*jws, jwk)) std::exit(1);
  });
  Row("ES256 JWS verify (ParseCompact + VerifyJws)", verify, "/s");
  Row("  of raw verify", 100 * verify / raw_verify, "%");
  double primitive_verify = RatePerSecond(
      kSeconds, [&] { jose::VerifyEs256(jwk.ec_spki_der, message, parsed.signature); });
  Row("  VerifyEs256 alone (cached key, R || S to DER, verify)", primitive_verify, "/s");
  Row("  of raw verify", 100 * primitive_verify / raw_verify, "%");
  EVP_PKEY_free(pkey);
}

void EdDsa(const std::string& payload) {
  Section("EdDSA (Ed25519, libsodium), one core, for comparison");
  crypto::SigningKey key = crypto::SigningKey::Generate();
  jose::Ed25519JwsSigner signer(key, "did:web:node.example#ed25519");
  jose::CompactSigner compact(signer, jose::VcJwtHeader());
  const std::string token = compact.Sign(payload);
  const jose::ParsedJws parsed = Must(jose::ParseCompact(token), "parse");
  const jose::JwkPublicKey jwk = signer.public_jwk();
  const std::string& message = parsed.signing_input;

  double raw_sign = RatePerSecond(kSeconds, [&] { key.Sign(message); });
  Row("raw Ed25519 sign", raw_sign, "/s");
  double raw_verify =
      RatePerSecond(kSeconds, [&] { crypto::Verify(key.public_key(), message, parsed.signature); });
  Row("raw Ed25519 verify", raw_verify, "/s");
  double sign = RatePerSecond(kSeconds, [&] { compact.Sign(payload); });
  Row("EdDSA JWS sign (CompactSigner::Sign)", sign, "/s");
  Row("  of raw sign", 100 * sign / raw_sign, "%");
  double verify = RatePerSecond(kSeconds, [&] {
    absl::StatusOr<jose::ParsedJws> jws = jose::ParseCompact(token);
    if (!jws.ok() || !jose::VerifyJws(*jws, jwk)) std::exit(1);
  });
  Row("EdDSA JWS verify (ParseCompact + VerifyJws)", verify, "/s");
  Row("  of raw verify", 100 * verify / raw_verify, "%");
}

}  // namespace
}  // namespace microcred::bench

int main() {
  if (!microcred::crypto::InitCrypto().ok()) return 1;
  const std::string payload = microcred::bench::CredentialPayload();
  microcred::bench::Row("credential payload", static_cast<double>(payload.size()), "bytes");
  microcred::bench::Es256(payload);
  microcred::bench::EdDsa(payload);
  return 0;
}
