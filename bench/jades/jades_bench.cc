// jades_bench: what verifying a JAdES-sealed European Digital Credential costs beside the raw
// signature verification it contains, measured in one run on one core.
//
//   raw:          EVP_DigestVerify over the seal's signing input with the seal certificate's
//                 key already loaded (RSA PKCS#1 v1.5 or P-256 ECDSA, SHA-256);
//   VerifySeal:   jades::VerifySeal with the trust anchors loaded once (cached): parse the
//                 document, decode the header, parse x5c, verify the signature, build and check
//                 the chain to an anchor at the signing time;
//   EdcVerifier:  VerifySeal plus the ELM payload parsed again, the report and the Annex I
//                 facts (what recognition runs per presented EDC).
// For the Commission's sample (RS256, a 150 KB payload with inline images, an LTA seal with
// its unsigned properties) and for credential-sized ELM documents sealed here (ES256, RS256;
// x5c of the seal and an issuing CA, anchor the root).
//
// Prints only; never asserts on time. Needs no services.
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/x509.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "bench/support/bench_util.h"
#include "libs/crypto/crypto.h"
#include "libs/jades/jades.h"
#include "libs/jades/testing/test_ca.h"
#include "libs/verification/edc_verifier.h"
#include "nlohmann/json.hpp"

namespace microcred::bench {
namespace {

constexpr double kSeconds = 1.0;
using Json = nlohmann::json;

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(MC_EUROPASS_DIR) + "/" + name, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  if (!in && content.str().empty()) {
    std::fprintf(stderr, "cannot read %s\n", name.c_str());
    std::exit(1);
  }
  return content.str();
}

// What raw verification needs from a sealed document: the signing input, the signature and
// the seal certificate's key, taken apart once.
struct RawParts {
  std::string signing_input;
  std::string signature;
  EVP_PKEY* key = nullptr;  // freed at exit
};

RawParts TakeApart(const std::string& sealed) {
  Json document = Json::parse(sealed);
  const Json& signature = document["signatures"][0];
  RawParts parts;
  parts.signing_input =
      signature["protected"].get<std::string>() + "." + document["payload"].get<std::string>();
  Json header = Json::parse(*crypto::Base64UrlDecode(signature["protected"].get<std::string>()));
  std::string b64 = header["x5c"][0].get<std::string>();
  std::string der(b64.size(), '\0');
  int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                             reinterpret_cast<const unsigned char*>(b64.data()),
                             static_cast<int>(b64.size()));
  const unsigned char* in = reinterpret_cast<const unsigned char*>(der.data());
  X509* certificate = d2i_X509(nullptr, &in, size);
  if (certificate == nullptr) std::exit(1);
  parts.key = X509_get_pubkey(certificate);
  X509_free(certificate);
  std::string raw = *crypto::Base64UrlDecode(signature["signature"].get<std::string>());
  if (header["alg"] == "ES256") {
    // R || S to the DER form OpenSSL verifies.
    ECDSA_SIG* sig = ECDSA_SIG_new();
    ECDSA_SIG_set0(sig, BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr),
                   BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
    unsigned char* out = nullptr;
    int length = i2d_ECDSA_SIG(sig, &out);
    raw.assign(reinterpret_cast<char*>(out), static_cast<size_t>(length));
    OPENSSL_free(out);
    ECDSA_SIG_free(sig);
  }
  parts.signature = raw;
  return parts;
}

bool RawVerify(const RawParts& parts) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  bool ok =
      EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, parts.key) == 1 &&
      EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(parts.signature.data()),
                       parts.signature.size(),
                       reinterpret_cast<const unsigned char*>(parts.signing_input.data()),
                       parts.signing_input.size()) == 1;
  EVP_MD_CTX_free(context);
  return ok;
}

void Measure(const std::string& title, const std::string& sealed,
             const jades::TrustAnchors& anchors, absl::Time now) {
  Section(title);
  const RawParts parts = TakeApart(sealed);
  verification::EdcVerifier verifier(anchors);
  if (!RawVerify(parts) || !jades::VerifySeal(sealed, anchors, now).valid() ||
      !verifier.Verify(sealed, now).report.valid()) {
    std::fprintf(stderr, "%s: does not verify\n", title.c_str());
    std::exit(1);
  }
  Row("sealed document", static_cast<double>(sealed.size()), "bytes");
  Row("signing input", static_cast<double>(parts.signing_input.size()), "bytes");
  const double raw = RatePerSecond(kSeconds, [&] { RawVerify(parts); });
  Row("raw signature verify (EVP_DigestVerify, key loaded)", raw, "/s");
  const double seal = RatePerSecond(kSeconds, [&] {
    if (!jades::VerifySeal(sealed, anchors, now).valid()) std::exit(1);
  });
  Row("jades::VerifySeal (parse, x5c, signature, chain; anchors cached)", seal, "/s");
  Row("  of raw verify", 100 * seal / raw, "%");
  const double edc = RatePerSecond(kSeconds, [&] {
    if (!verifier.Verify(sealed, now).report.valid()) std::exit(1);
  });
  Row("EdcVerifier::Verify (VerifySeal + report + Annex I facts)", edc, "/s");
  Row("  of raw verify", 100 * edc / raw, "%");
}

// A credential-sized ELM document (about 2 KB): one achievement, its qualification, outcomes.
std::string SmallElm() {
  Json outcomes = Json::array();
  for (int i = 1; i <= 6; ++i) {
    outcomes.push_back({{"id", "urn:outcome:" + std::to_string(i)},
                        {"type", "LearningOutcome"},
                        {"title",
                         {{"en", "Learning outcome number " + std::to_string(i) +
                                     ": apply the method to a real data set"}}}});
  }
  Json credential = {
      {"@context",
       {"https://www.w3.org/2018/credentials/v1",
        "http://data.europa.eu/snb/model/context/edc-ap"}},
      {"id", "urn:credential:bench-1"},
      {"type", {"VerifiableCredential", "EuropeanDigitalCredential"}},
      {"issuer",
       {{"id", "https://uni.example/institution"},
        {"type", "Organisation"},
        {"legalName", {{"en", "Test University"}}}}},
      {"validFrom", "2026-01-01T00:00:00Z"},
      {"issuanceDate", "2026-01-01T00:00:00Z"},
      {"credentialSubject",
       {{"id", "did:key:z6MkBench"},
        {"type", "Person"},
        {"hasClaim",
         {{"id", "urn:achievement:1"},
          {"type", "LearningAchievement"},
          {"title", {{"en", "Data analysis with open tools"}}},
          {"awardedBy",
           {{"type", "AwardingProcess"},
            {"awardingDate", "2025-12-20T00:00:00Z"},
            {"awardingBody",
             {{{"id", "urn:org:1"},
               {"type", "Organisation"},
               {"legalName", {{"en", "Test University"}}},
               {"location",
                {{"address",
                  {{"countryCode",
                    {{"id",
                      "http://publications.europa.eu/resource/authority/country/BEL"}}}}}}}}}}}},
          {"specifiedBy",
           {{"type", "Qualification"},
            {"title", {{"en", "Data analysis with open tools"}}},
            {"learningOutcome", outcomes},
            {"creditPoint",
             {{{"framework", {{"id", "http://data.europa.eu/snb/education-credit/6fcec5c5af"}}},
               {"point", "5"}}}},
            {"eqfLevel", {{"id", "http://data.europa.eu/snb/eqf/6"}}},
            {"mode", {{"prefLabel", {{"en", "Online"}}}}}}}}}}}};
  return credential.dump();
}

}  // namespace
}  // namespace microcred::bench

int main() {
  using namespace microcred;
  using namespace microcred::bench;
  if (!crypto::InitCrypto().ok()) return 1;
  std::printf("OpenSSL %s, one core\n", OPENSSL_VERSION_TEXT);

  const jades::TrustAnchors anf =
      Must(jades::TrustAnchors::FromText(ReadData("trust/anf-eseal-ca.pem")), "anchors");
  Measure("The Commission's sample (RS256, 2048-bit RSA, LTA seal)",
          ReadData("samples/Sample-MC-Annex1-signed.jsonld"), anf, absl::Now());

  const absl::Time now = absl::Now();
  const absl::Time start = now - absl::Hours(24), end = now + absl::Hours(24 * 365);
  jades::TestCa root = Must(jades::TestCa::Create("Bench Root CA", start, end), "root CA");
  jades::TestCa issuing = Must(root.IssueIntermediate("Bench Seal CA", start, end), "issuing CA");
  const jades::TrustAnchors anchors =
      Must(jades::TrustAnchors::FromPem(root.certificate_pem()), "anchors");
  const std::string document = SmallElm();
  for (jades::TestKeyType type : {jades::TestKeyType::kP256, jades::TestKeyType::kRsa}) {
    jades::TestSealSpec spec;
    spec.not_before = start;
    spec.not_after = end;
    spec.key_type = type;
    jades::TestSeal seal = Must(issuing.IssueSeal(spec), "seal");
    const std::string sealed =
        Must(jades::Seal(document, *seal.signer, seal.chain_pem, now), "Seal");
    Measure(std::string("A credential-sized ELM document sealed here (") +
                (type == jades::TestKeyType::kP256 ? "ES256, P-256" : "RS256, 2048-bit RSA") +
                ", chain of 3)",
            sealed, anchors, now);
  }
  return 0;
}
