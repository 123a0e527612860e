#include "libs/jades/jades.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/crypto/crypto.h"
#include "libs/jades/x509_util.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/rsa_key.h"
#include "nlohmann/json.hpp"

namespace microcred::jades {

namespace {

using Json = nlohmann::json;

constexpr char kSigTFormat[] = "%Y-%m-%dT%H:%M:%SZ";
// A claimed signing time this far ahead of the verifier's clock is still taken as the present.
constexpr absl::Duration kClockSkew = absl::Minutes(5);
// The header names this verifier understands when they are critical (RFC 7515 §4.1.11).
constexpr std::string_view kUnderstoodCritical[] = {"b64", "sigT", "iat", "adoTst"};

std::string FormatSigT(absl::Time time) {
  return absl::FormatTime(kSigTFormat, time, absl::UTCTimeZone());
}

// Standard base64 (RFC 4648 §4, padded), as x5c requires (RFC 7515 §4.1.6).
std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(written));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=') {
      if (i + 2 < text.size()) return std::nullopt;
      ++padding;
    } else if (padding > 0 || kAlphabet.find(text[i]) == std::string_view::npos) {
      return std::nullopt;
    }
  }
  std::string out(3 * (text.size() / 4), '\0');
  int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (written < 0) return std::nullopt;
  out.resize(static_cast<size_t>(written) - padding);
  return out;
}

// The payload as a JSON string, or nullopt when it is not UTF-8 (a JSON string cannot carry it,
// so the signed bytes would not survive the document).
std::optional<std::string> DumpPayloadString(std::string_view payload) {
  try {
    return Json(std::string(payload))
        .dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::strict);
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

absl::StatusOr<std::string> Seal(std::string_view payload, const jose::JwsSigner& signer,
                                 std::string_view certificate_chain_pem, absl::Time signing_time) {
  const jose::JwkPublicKey key = signer.public_jwk();
  std::string signer_spki;
  switch (signer.algorithm()) {
    case jose::JwsAlgorithm::kRS256:
      signer_spki = key.rsa_spki_der;
      break;
    case jose::JwsAlgorithm::kES256:
      signer_spki = key.ec_spki_der;
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("seal.signer: ", std::string(jose::JwsAlgorithmName(signer.algorithm())),
                       " is not a JAdES seal algorithm here (RS256 or ES256)"));
  }
  if (payload.size() > kMaxSealedDocumentBytes / 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("seal.payload: longer than ", kMaxSealedDocumentBytes / 2, " bytes"));
  }
  std::optional<std::string> payload_json = DumpPayloadString(payload);
  if (!payload_json) return absl::InvalidArgumentError("seal.payload: not valid UTF-8");

  absl::StatusOr<std::vector<x509::X509Ptr>> chain =
      x509::ParsePemCertificates(certificate_chain_pem, "seal.certificate_chain");
  if (!chain.ok()) return chain.status();
  if (chain->size() > kMaxChainCertificates) {
    return absl::InvalidArgumentError(
        absl::StrCat("seal.certificate_chain: more than ", kMaxChainCertificates, " certificates"));
  }
  if (x509::PublicKeyDer(*chain->front()) != signer_spki) {
    return absl::InvalidArgumentError(
        "seal.certificate_chain: the first certificate does not certify the signer's key");
  }
  Json x5c = Json::array();
  for (const x509::X509Ptr& certificate : *chain) {
    x5c.push_back(Base64Encode(x509::ToDer(*certificate)));
  }
  const std::string leaf_der = x509::ToDer(*chain->front());
  Json header = {
      {"alg", std::string(jose::JwsAlgorithmName(signer.algorithm()))},
      {"cty", std::string(kJsonLdContentType)},
      {"typ", std::string(kJoseJsonType)},
      {"x5c", std::move(x5c)},
      {"x5t#S256", crypto::Base64UrlEncode(crypto::Sha256(leaf_der))},
      {"iat", absl::ToUnixSeconds(signing_time)},
      {"b64", false},
      {"crit", {"b64"}},
  };
  const std::string encoded_header = crypto::Base64UrlEncode(header.dump());
  std::string signing_input = encoded_header;
  signing_input += '.';
  signing_input += payload;
  const std::string signature = crypto::Base64UrlEncode(signer.Sign(signing_input));

  // Written by hand so that the payload string is the one checked for UTF-8 above.
  return absl::StrCat(R"({"payload":)", *payload_json, R"(,"signatures":[{"protected":")",
                      encoded_header, R"(","signature":")", signature, R"("}]})");
}

bool SealVerification::valid() const {
  return !checks.empty() &&
         std::all_of(checks.begin(), checks.end(), [](const SealCheck& c) { return c.passed; });
}

const SealCheck* SealVerification::first_failure() const {
  for (const SealCheck& check : checks) {
    if (!check.passed) return &check;
  }
  return nullptr;
}

namespace {

constexpr std::string_view kCheckNames[] = {"format", "seal", "signature", "certificate"};

// The parts of the one signature, decoded, as the later checks need them.
struct ParsedSeal {
  std::string encoded_header;
  std::string signature;
  Json header;
  std::vector<std::string> unprotected;  // the unprotected header's member names
  std::vector<x509::X509Ptr> chain;
  std::string chain_key;  // SHA-256 of each certificate's DER, in order
  std::string algorithm;
};

absl::Status Fail(std::string_view reason) {
  return absl::InvalidArgumentError(std::string(reason));
}

using Element = simdjson::dom::element;

absl::Status ParseFormat(std::string_view text, SealVerification& result, ParsedSeal& seal) {
  if (text.size() > kMaxSealedDocumentBytes) {
    return Fail(absl::StrCat("longer than ", kMaxSealedDocumentBytes, " bytes"));
  }
  // simdjson: the document is mostly its payload, one long string, which it reads at memory
  // speed where a tree parser spends more time than the signature check.
  thread_local simdjson::dom::parser parser;
  Element document;
  if (parser.parse(simdjson::padded_string(text)).get(document)) return Fail("not valid JSON");
  simdjson::dom::object object;
  if (document.get_object().get(object)) return Fail("not a JSON object");
  Element payload;
  if (object["payload"].get(payload)) {
    return Fail(object["protected"].error() == simdjson::SUCCESS
                    ? "payload: missing (a detached or flattened JWS is not an EDC seal)"
                    : "payload: missing");
  }
  std::string_view payload_text;
  if (payload.get_string().get(payload_text)) {
    return Fail("payload: not a string (the unencoded payload of a JAdES seal is JSON text)");
  }
  Element signatures_element;
  if (object["signatures"].get(signatures_element)) {
    return Fail("signatures: missing (the flattened JWS JSON serialisation is not read)");
  }
  simdjson::dom::array signatures;
  if (signatures_element.get_array().get(signatures)) return Fail("signatures: not an array");
  if (signatures.size() != 1) {
    return Fail(absl::StrCat("signatures: ", signatures.size(),
                             " signatures; this verifier checks documents with exactly one"));
  }
  simdjson::dom::object signature;
  if (signatures.at(0).get_object().get(signature)) {
    return Fail("signatures[0]: not an object");
  }
  std::string_view encoded_header, encoded_signature;
  if (signature["protected"].get_string().get(encoded_header)) {
    return Fail("signatures[0].protected: missing or not a string");
  }
  if (signature["signature"].get_string().get(encoded_signature)) {
    return Fail("signatures[0].signature: missing or not a string");
  }
  absl::StatusOr<std::string> header_bytes = crypto::Base64UrlDecode(encoded_header);
  if (!header_bytes.ok()) return Fail("signatures[0].protected: not valid base64url");
  seal.header = Json::parse(*header_bytes, nullptr, /*allow_exceptions=*/false);
  if (!seal.header.is_object()) return Fail("signatures[0].protected: not a JSON object");
  absl::StatusOr<std::string> signature_bytes = crypto::Base64UrlDecode(encoded_signature);
  if (!signature_bytes.ok() || signature_bytes->empty()) {
    return Fail("signatures[0].signature: empty or not valid base64url");
  }
  if (Element unprotected; !signature["header"].get(unprotected)) {
    simdjson::dom::object members;
    if (unprotected.get_object().get(members)) {
      return Fail("signatures[0].header: not a JSON object");
    }
    for (simdjson::dom::key_value_pair member : members) {
      seal.unprotected.emplace_back(member.key);
    }
  }
  seal.encoded_header = std::string(encoded_header);
  seal.signature = *std::move(signature_bytes);
  result.payload = std::string(payload_text);
  return absl::OkStatus();
}

absl::Status CheckCritical(const Json& header) {
  auto crit = header.find("crit");
  if (crit == header.end()) return Fail("crit: missing (b64 must be critical)");
  if (!crit->is_array() || crit->empty()) return Fail("crit: not a non-empty array");
  bool b64 = false, sig_t = false;
  for (const Json& name : *crit) {
    if (!name.is_string()) return Fail("crit: a member is not a string");
    const std::string& text = name.get_ref<const std::string&>();
    if (std::find(std::begin(kUnderstoodCritical), std::end(kUnderstoodCritical), text) ==
        std::end(kUnderstoodCritical)) {
      return Fail("crit: names " + jose::ClipTokenText(text) +
                  ", which this verifier does not understand (b64, sigT, iat, adoTst)");
    }
    if (!header.contains(text)) {
      return Fail("crit: names " + text + ", which the protected header does not carry");
    }
    b64 = b64 || text == "b64";
    sig_t = sig_t || text == "sigT";
  }
  if (!b64) return Fail("crit: does not list b64");
  if (!sig_t && header.contains("sigT")) return Fail("crit: does not list sigT");
  return absl::OkStatus();
}

// The claimed signing time: sigT (TS 119 182-1 v1.1.1, a critical UTC time string) or iat
// (v1.2.1, which replaces sigT for signatures made from 2025-05-15: a NumericDate), exactly one.
absl::StatusOr<absl::Time> ReadSigningTime(const Json& header, absl::Time now) {
  auto sig_t = header.find("sigT");
  auto iat = header.find("iat");
  if (sig_t != header.end() && iat != header.end()) {
    return Fail("sigT and iat: both given; the claimed signing time is one of them");
  }
  absl::Time time;
  std::string text;
  if (sig_t != header.end()) {
    if (!sig_t->is_string()) return Fail("sigT: not a string");
    const std::string value = sig_t->get<std::string>();
    text = "sigT " + value;
    std::string error;
    // Strict: the very format ETSI TS 119 182-1 §5.2.1 gives, UTC, no fraction.
    if (value.size() != 20 ||
        !absl::ParseTime(kSigTFormat, value, absl::UTCTimeZone(), &time, &error)) {
      return Fail("sigT: not a UTC time YYYY-MM-DDThh:mm:ssZ");
    }
  } else if (iat != header.end()) {
    if (!iat->is_number_integer() || iat->get<int64_t>() < 0) {
      return Fail("iat: not a NumericDate (whole seconds since 1970)");
    }
    time = absl::FromUnixSeconds(iat->get<int64_t>());
    text = "iat " + FormatSigT(time);
  } else {
    return Fail("sigT or iat: missing (the claimed signing time)");
  }
  if (time > now + kClockSkew) return Fail(text + ": in the future");
  return time;
}

absl::Status ReadChain(const Json& header, ParsedSeal& seal) {
  auto x5c = header.find("x5c");
  if (x5c == header.end()) return Fail("x5c: missing (the seal's certificate chain)");
  if (!x5c->is_array() || x5c->empty()) return Fail("x5c: not a non-empty array");
  if (x5c->size() > kMaxChainCertificates) {
    return Fail(absl::StrCat("x5c: more than ", kMaxChainCertificates, " certificates"));
  }
  for (size_t i = 0; i < x5c->size(); ++i) {
    const Json& entry = (*x5c)[i];
    std::optional<std::string> der;
    if (entry.is_string() &&
        entry.get_ref<const std::string&>().size() <= 2 * kMaxCertificateBytes) {
      der = Base64Decode(entry.get_ref<const std::string&>());
    }
    x509::X509Ptr certificate;
    if (der && der->size() <= kMaxCertificateBytes) certificate = x509::ParseDerCached(*der);
    if (certificate == nullptr) {
      return Fail(absl::StrCat("x5c[", i, "]: not a base64 DER certificate"));
    }
    seal.chain.push_back(std::move(certificate));
    seal.chain_key += crypto::Sha256(*der);
  }
  return absl::OkStatus();
}

absl::Status CheckThumbprint(const Json& header, const X509& leaf, SealVerification& result) {
  auto thumbprint = header.find("x5t#S256");
  if (thumbprint == header.end()) {
    result.not_checked.push_back("x5t#S256: absent; x5c[0] is taken as the seal's certificate");
    return absl::OkStatus();
  }
  if (!thumbprint->is_string()) return Fail("x5t#S256: not a string");
  if (thumbprint->get_ref<const std::string&>() !=
      crypto::Base64UrlEncode(crypto::Sha256(x509::ToDer(leaf)))) {
    return Fail("x5t#S256: is not the SHA-256 of x5c[0]");
  }
  return absl::OkStatus();
}

// The seal check: the JAdES structure of the protected (and unprotected) header.
absl::Status CheckSeal(ParsedSeal& seal, absl::Time now, SealVerification& result) {
  const Json& header = seal.header;
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) return Fail("alg: missing or not a string");
  const std::string& name = alg->get_ref<const std::string&>();
  if (name != "RS256" && name != "ES256" && name != "PS256") {
    return Fail("alg: " + jose::ClipTokenText(name) + " is not RS256, ES256 or PS256");
  }
  if (absl::Status crit = CheckCritical(header); !crit.ok()) return crit;
  auto b64 = header.find("b64");
  if (b64 == header.end() || !b64->is_boolean() || b64->get<bool>()) {
    return Fail("b64: must be false (the payload is unencoded)");
  }
  absl::StatusOr<absl::Time> sig_t = ReadSigningTime(header, now);
  if (!sig_t.ok()) return sig_t.status();
  if (absl::Status chain = ReadChain(header, seal); !chain.ok()) return chain;
  if (absl::Status x5t = CheckThumbprint(header, *seal.chain.front(), result); !x5t.ok()) {
    return x5t;
  }
  for (const std::string& member : seal.unprotected) {
    if (header.contains(member)) {
      return Fail("header." + jose::ClipTokenText(member) +
                  ": also in the protected header (RFC 7515 §7.2.1)");
    }
    if (member == "etsiU") {
      result.not_checked.push_back(
          "etsiU: the unsigned properties (signature and archive timestamps, validation data) "
          "are not checked");
    }
  }
  if (header.contains("adoTst")) {
    result.not_checked.push_back("adoTst: the content timestamp is not checked");
  }
  if (header.contains("kid")) {
    result.not_checked.push_back("kid: not compared; x5c[0] identifies the seal's certificate");
  }
  seal.algorithm = name;
  result.algorithm = name;
  result.signing_time = *sig_t;
  result.seal_subject = x509::SubjectLabel(*seal.chain.front());
  result.seal_organization_identifier =
      x509::SubjectAttribute(*seal.chain.front(), NID_organizationIdentifier);
  return absl::OkStatus();
}

// RS256 or PS256 with the certificate's own (already decoded) RSA key: parsing the key again
// from its DER would cost more than the verification.
bool VerifyRsa(const X509& leaf, bool pss, std::string_view message, std::string_view signature) {
  EVP_PKEY* key = X509_get0_pubkey(&leaf);
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA ||
      EVP_PKEY_get_bits(key) < jose::kMinRsaBits || EVP_PKEY_get_bits(key) > jose::kMaxRsaBits) {
    ERR_clear_error();
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, x509::Deleter<EVP_MD_CTX_free>> context(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_context = nullptr;  // owned by `context`
  bool ok = context != nullptr &&
            EVP_DigestVerifyInit(context.get(), &key_context, EVP_sha256(), nullptr, key) == 1;
  if (ok && pss) {
    ok = EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(key_context, EVP_sha256()) == 1;
  }
  ok = ok &&
       EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                        signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                        message.size()) == 1;
  ERR_clear_error();
  return ok;
}

absl::Status CheckSignature(const ParsedSeal& seal, const SealVerification& result) {
  std::string signing_input = seal.encoded_header;
  signing_input += '.';
  signing_input += result.payload;
  const X509& leaf = *seal.chain.front();
  const bool verified =
      seal.algorithm == "ES256"
          ? jose::VerifyEs256(x509::PublicKeyDer(leaf), signing_input, seal.signature)
          : VerifyRsa(leaf, /*pss=*/seal.algorithm == "PS256", signing_input, seal.signature);
  if (!verified) {
    return Fail("does not verify under the key of x5c[0] (" + x509::SubjectLine(leaf) + ") with " +
                seal.algorithm);
  }
  return absl::OkStatus();
}

std::optional<absl::Time> TimeOf(const ASN1_TIME* time) {
  struct tm parts = {};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) return std::nullopt;
  return absl::FromTM(parts, absl::UTCTimeZone());
}

// The period in which every certificate of `chain` is valid: the latest notBefore to the
// earliest notAfter.
std::optional<std::pair<absl::Time, absl::Time>> CommonValidity(STACK_OF(X509) * chain) {
  absl::Time from = absl::InfinitePast(), until = absl::InfiniteFuture();
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    const X509* certificate = sk_X509_value(chain, i);
    std::optional<absl::Time> not_before = TimeOf(X509_get0_notBefore(certificate));
    std::optional<absl::Time> not_after = TimeOf(X509_get0_notAfter(certificate));
    if (!not_before || !not_after) return std::nullopt;
    from = std::max(from, *not_before);
    until = std::min(until, *not_after);
  }
  return std::make_pair(from, until);
}

absl::Status CheckCertificate(const ParsedSeal& seal, const TrustAnchors& anchors,
                              SealVerification& result) {
  if (anchors.empty()) return Fail("no trust anchors are configured (--trusted-list-file)");
  if (std::optional<TrustAnchors::VerifiedChain> known = anchors.FindVerifiedChain(seal.chain_key);
      known && known->valid_from <= result.signing_time &&
      result.signing_time <= known->valid_until) {
    result.trust_anchor = known->anchor_name;
    return absl::OkStatus();
  }
  const X509& leaf = *seal.chain.front();
  x509::CertificateStackPtr untrusted(sk_X509_new_null());
  for (size_t i = 1; i < seal.chain.size(); ++i) {
    X509_up_ref(seal.chain[i].get());
    sk_X509_push(untrusted.get(), seal.chain[i].get());
  }
  x509::StoreCtxPtr context(X509_STORE_CTX_new());
  if (context == nullptr || X509_STORE_CTX_init(context.get(), anchors.store(),
                                                const_cast<X509*>(&leaf), untrusted.get()) != 1) {
    ERR_clear_error();
    return absl::InternalError("could not set up certificate verification");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context.get());
  X509_VERIFY_PARAM_set_time(param, absl::ToTimeT(result.signing_time));
  // Trusted lists name issuing CAs, not roots: a chain that reaches any anchor is complete.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  const int verified = X509_verify_cert(context.get());
  ERR_clear_error();
  if (verified != 1) {
    const int error = X509_STORE_CTX_get_error(context.get());
    const int depth = X509_STORE_CTX_get_error_depth(context.get());
    X509* at = X509_STORE_CTX_get_current_cert(context.get());
    std::string subject = at == nullptr ? "" : " (" + x509::SubjectLine(*at) + ")";
    if (error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
        error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
        error == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
        error == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) {
      return Fail("the chain of " + x509::SubjectLine(leaf) +
                  " does not reach a configured trust anchor (" +
                  X509_verify_cert_error_string(error) + ")");
    }
    return Fail(absl::StrCat("certificate at depth ", depth, subject, ": ",
                             X509_verify_cert_error_string(error), ", at the signing time ",
                             FormatSigT(result.signing_time)));
  }
  const uint32_t usage = X509_get_key_usage(const_cast<X509*>(&leaf));
  if ((X509_get_extension_flags(const_cast<X509*>(&leaf)) & EXFLAG_KUSAGE) == 0) {
    return Fail(
        "x5c[0] states no key usage (a seal certificate must allow digitalSignature "
        "or nonRepudiation)");
  }
  if ((usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0) {
    return Fail("x5c[0]'s key usage allows neither digitalSignature nor nonRepudiation");
  }
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(context.get());
  X509* top = sk_X509_value(chain, sk_X509_num(chain) - 1);
  result.trust_anchor = top == nullptr ? "" : anchors.NameOf(*top);
  if (std::optional<std::pair<absl::Time, absl::Time>> period = CommonValidity(chain)) {
    anchors.RememberVerifiedChain(seal.chain_key,
                                  {result.trust_anchor, period->first, period->second});
  }
  return absl::OkStatus();
}

}  // namespace

SealVerification VerifySeal(std::string_view text, const TrustAnchors& anchors, absl::Time now) {
  SealVerification result;
  ParsedSeal seal;
  absl::Status status = ParseFormat(text, result, seal);
  size_t step = 0;
  auto record = [&](const absl::Status& outcome, std::string passed_detail) {
    result.checks.push_back(
        {std::string(kCheckNames[step++]), outcome.ok(),
         outcome.ok() ? std::move(passed_detail) : std::string(outcome.message())});
    return outcome.ok();
  };
  bool ok = record(status, "JWS JSON serialisation, one signature, unencoded payload");
  if (ok) {
    status = CheckSeal(seal, now, result);
    ok = record(status, "JAdES: " + (seal.algorithm.empty() ? "" : seal.algorithm) +
                            ", b64 false, signed at " + FormatSigT(result.signing_time) + " (" +
                            (seal.header.contains("sigT") ? "sigT" : "iat") + "), x5c[0] " +
                            result.seal_subject);
  }
  if (ok) {
    status = CheckSignature(seal, result);
    ok = record(status, "the seal verifies under x5c[0]'s key");
  }
  if (ok) {
    status = CheckCertificate(seal, anchors, result);
    ok = record(status, "chain to trust anchor " + result.trust_anchor + ", valid at " +
                            FormatSigT(result.signing_time) + "; revocation not checked");
  }
  const std::string failed = ok ? "" : result.first_failure()->name;
  while (step < std::size(kCheckNames)) {
    result.checks.push_back(
        {std::string(kCheckNames[step++]), false, "not checked: " + failed + " failed"});
  }
  result.not_checked.push_back(
      "revocation: no CRL or OCSP response is consulted; the certificates are checked at the "
      "claimed signing time "
      "only");
  return result;
}

}  // namespace microcred::jades
