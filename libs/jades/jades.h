// JAdES seals (ETSI TS 119 182-1): a JSON document sealed with the institution's e-seal key and
// its X.509 certificate chain, as European Digital Credentials are (Europass, ELM v3).
//
// The form written and read is the JWS JSON serialisation (RFC 7515 §7.2.1) with an unencoded
// payload (RFC 7797, "b64": false): the document stays readable JSON text, and the signing input
// is ASCII(BASE64URL(protected header)) || "." || the payload's bytes.
//
// Sealing (JAdES baseline B, no timestamp):
//   jose::RsaJwsSigner signer(seal_key);   // or jose::EcJwsSigner: RS256 or ES256
//   absl::StatusOr<std::string> sealed = Seal(document, signer, chain_pem, absl::Now());
//
// Verifying, against the trust anchors the institution configured (trust_anchors.h):
//   SealVerification result = VerifySeal(text, anchors, absl::Now());
//   if (result.valid()) ... result.payload is the sealed document, result.seal_subject ...
//
// The claimed signing time: ETSI TS 119 182-1 v1.1.1 gave it as "sigT" (a critical UTC time
// string; the Commission's sample and Europass seals before 2025 carry it); v1.2.1 replaces sigT
// with "iat" (a NumericDate) for signatures made from 2025-05-15 on, and forbids both at once.
// Seal writes iat: DSS (tests/jades-interop) classes a seal made today with sigT as not ETSI
// ("JSON-NOT-ETSI") instead of JAdES-BASELINE-B. VerifySeal reads either.
//
// What VerifySeal does not check, and says so in SealVerification::not_checked: revocation of
// the certificates (no CRL or OCSP is fetched), timestamps (adoTst, and etsiU's sigTst, arcTst:
// an archival JAdES such as the Commission's sample carries them; they are neither required nor
// validated, the certificates are checked at the claimed signing time), and the trusted list's
// own signature (the operator verifies the list they install).
//
// Every function is thread-safe.
#ifndef MICROCRED_LIBS_JADES_JADES_H_
#define MICROCRED_LIBS_JADES_JADES_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/jades/trust_anchors.h"
#include "libs/jose/jws.h"

namespace microcred::jades {

// A sealed document longer than this is refused before parsing. An EDC carries its display
// images inline (the Commission's sample is 150 KB); this leaves room for several.
inline constexpr size_t kMaxSealedDocumentBytes = 4 * 1024 * 1024;
// At most this many certificates in x5c, each at most kMaxCertificateBytes of DER.
inline constexpr size_t kMaxChainCertificates = 10;
inline constexpr size_t kMaxCertificateBytes = 16 * 1024;

// The protected header's "cty". ETSI TS 119 182-1 §5.1.3 takes cty from RFC 7515 §4.1.10, which
// recommends the media type without its "application/" prefix: an EDC is JSON-LD,
// application/ld+json. (Europass' own samples say "octet-stream", DSS' default for a document
// of unknown type; neither DSS nor Europass requires a particular value.)
inline constexpr std::string_view kJsonLdContentType = "ld+json";
// The protected header's "typ" for the JWS JSON serialisation (RFC 7515 §9.1.1, ETSI TS 119
// 182-1 §5.1.4).
inline constexpr std::string_view kJoseJsonType = "jose+json";

// Seals `payload` (UTF-8 text: a JSON document) with `signer` (RS256 or ES256), whose public
// key must be the one certified by the first certificate of `certificate_chain_pem` (PEM
// certificates, the seal's certificate first, then its issuers; the root may be left out).
// `signing_time` becomes "iat", to the second. Returns
//   {"payload":"<payload>","signatures":[{"protected":"<b64url header>","signature":"..."}]}
// where the header is {"alg","cty":"ld+json","typ":"jose+json","x5c":[DER base64, leaf
// first],"x5t#S256":b64url(SHA-256(leaf DER)),"iat":<seconds since 1970>,"b64":false,
// "crit":["b64"]}.
// InvalidArgument naming the input: "seal.signer: EdDSA is not a JAdES seal algorithm here
// (RS256 or ES256)", "seal.certificate_chain: no PEM certificate", "seal.certificate_chain:
// certificate 2 is not a valid PEM certificate", "seal.certificate_chain: more than 10
// certificates", "seal.certificate_chain: the first certificate does not certify the signer's
// key", "seal.payload: not valid UTF-8", "seal.payload: longer than ...".
absl::StatusOr<std::string> Seal(std::string_view payload, const jose::JwsSigner& signer,
                                 std::string_view certificate_chain_pem, absl::Time signing_time);

// One check of a seal, with a reason a person can read.
struct SealCheck {
  std::string name;  // "format", "seal", "signature", "certificate"
  bool passed = false;
  std::string detail;
};

// What VerifySeal checked and found. The checks come in the order above; after a failed
// check the later ones are listed as failed with "not checked: <name> failed", so every result
// names all four.
struct SealVerification {
  std::vector<SealCheck> checks;
  // What was deliberately not verified, one sentence each (revocation; timestamps and other
  // unsigned properties when present; the kid).
  std::vector<std::string> not_checked;

  // Set once the format check passed: the sealed payload's bytes (the document).
  std::string payload;
  // Set once the seal check passed.
  std::string algorithm;     // "RS256", "ES256" or "PS256"
  absl::Time signing_time;   // sigT or iat
  std::string seal_subject;  // the seal certificate's subject: "CN (O)", or CN, or O
  // Its subject's organizationIdentifier (ETSI EN 319 412-1, e.g. "VATES-A00000000"): what
  // an EDC's issuer.eIDASIdentifier states. Empty when the certificate has none.
  std::string seal_organization_identifier;
  // Set once the certificate check passed: the name of the anchor the chain ends at.
  std::string trust_anchor;

  bool valid() const;
  // The first failed check, or nullptr when valid().
  const SealCheck* first_failure() const;
};

// Verifies `text` (a sealed document as Seal writes it, or any JAdES in the JWS JSON
// serialisation with one signature and an unencoded payload) against `anchors` at `now`:
//   format:      a JSON object of at most kMaxSealedDocumentBytes with a string "payload" and
//                "signatures", an array of exactly one object with "protected" and "signature"
//                (the flattened serialisation and several signatures are refused);
//   seal:        the protected header's alg (RS256, ES256 or PS256), b64 false, crit listing
//                b64 (and sigT when given) and nothing this verifier does not understand (b64,
//                sigT, iat, adoTst), the claimed signing time (sigT, a UTC time string, or
//                iat, a NumericDate; one of them) not after `now` (plus five minutes of skew),
//                x5c of base64 DER certificates, x5t#S256 (when present) the SHA-256 of x5c[0],
//                no unprotected member repeating a protected one;
//   signature:   the signature over ASCII(protected) "." payload under x5c[0]'s key;
//   certificate: x5c[0] chained, through x5c[1..] and the anchors' certificates, to one of
//                `anchors`, every certificate valid at the signing time, x5c[0]'s key usage
//                including digitalSignature or nonRepudiation.
SealVerification VerifySeal(std::string_view text, const TrustAnchors& anchors, absl::Time now);

}  // namespace microcred::jades

#endif  // MICROCRED_LIBS_JADES_JADES_H_
