// Verifying credentials from outside the ecosystem (OutsideJwtVerifier), keys already fetched:
// the fetcher answers from memory, as the node's cache does for an issuer seen within its
// max-age. Each figure beside the raw signature verification of the same algorithm, measured in
// the same run on the same signing input. Prints; asserts nothing about time.
#include <cstdio>
#include <functional>
#include <string>

#include "bench/support/bench_util.h"
#include "libs/crypto/crypto.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/jws.h"
#include "libs/ports/testing/fake_http_fetcher.h"
#include "libs/status_list/status_list.h"
#include "libs/status_list/status_list_credential.h"
#include "libs/verification/outside_jwt_verifier.h"
#include "libs/verification/securing_profile.h"
#include "nlohmann/json.hpp"

namespace microcred {
namespace {

using bench::Must;
using bench::RatePerSecond;
using bench::Row;
using bench::Section;
using nlohmann::json;

constexpr char kDid[] = "did:web:outside.example";
constexpr char kStatusUrl[] = "https://outside.example/status/revocation";

json Credential(const std::string& issuer) {
  return {{"@context",
           {"https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}},
          {"id", "urn:uuid:6a1f0c6e-8d7e-4a3b-9d1c-2b5e7f9a0c11"},
          {"type", {"VerifiableCredential", "OpenBadgeCredential"}},
          {"name", "Sustainable Supply Chains"},
          {"issuer",
           {{"id", issuer},
            {"type", {"Profile"}},
            {"name", "Outside Institute of Technology"},
            {"address", {{"type", {"Address"}}, {"addressCountryCode", "NL"}}}}},
          {"validFrom", "2026-03-01T00:00:00Z"},
          {"credentialSubject",
           {{"id", "did:example:learner-7"},
            {"type", {"AchievementSubject"}},
            {"result", {{{"type", {"Result"}}, {"value", "8/10"}}}},
            {"achievement",
             {{"id", "https://outside.example/achievements/ssc"},
              {"type", {"Achievement"}},
              {"name", "Sustainable Supply Chains (micro-credential)"},
              {"description", std::string(600, 'd')},
              {"criteria", {{"narrative", std::string(400, 'c')}}},
              {"creditsAvailable", 4},
              {"tag", {"ECTS"}},
              {"resultDescription",
               {{{"id", "urn:uuid:r"}, {"type", {"ResultDescription"}}, {"name", "Exam, 1-10"}}}},
              {"alignment",
               {{{"type", {"Alignment"}},
                 {"targetName", "EQF level 6"},
                 {"targetFramework", "EQF"},
                 {"targetCode", "6"}}}}}}}}};
}

json PublicJwk(const jose::JwsSigner& signer) {
  json jwk = jose::ToJwk(signer.public_jwk());
  jwk.erase("kid");
  return jwk;
}

std::string Sign(const jose::JwsSigner& signer, const json& credential) {
  return jose::SignCompact(
      signer, jose::OpenBadgesJwtHeader(),
      Must(verification::CredentialPayload(issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT,
                                           credential.dump()),
           "payload"));
}

// The verifier's rate beside `raw`'s, raw measured just before and just after (this machine's
// speed drifts within a run).
void Compare(const verification::OutsideJwtVerifier& verifier, const std::string& what,
             const std::string& jws, const std::function<void()>& raw_op) {
  const verification::VerifiedCredential v = verifier.Verify(jws, absl::Now());
  if (!v.report.valid()) {
    for (const auto& c : v.report.checks()) {
      std::fprintf(stderr, "%s: %s\n", c.name().c_str(), c.detail().c_str());
    }
    std::exit(1);
  }
  const double raw_before = RatePerSecond(1.0, raw_op);
  const double rate = RatePerSecond(1.0, [&] { verifier.Verify(jws, absl::Now()); });
  const double raw = (raw_before + RatePerSecond(1.0, raw_op)) / 2;
  Row("  raw verification, same input, around it", raw, "/s");
  Row(what, rate, "/s");
  Row("  of raw verification", 100 * rate / raw, "%");
}

void Run() {
  testing_ports::FakeHttpFetcher fetcher;
  const verification::OutsideJwtVerifier verifier(fetcher);

  // ES256, did:web.
  const jose::EcPrivateKey ec_key = Must(jose::EcPrivateKey::Generate(), "P-256 key");
  const jose::EcJwsSigner ec(ec_key, std::string(kDid) + "#key-1");
  const json document = {{"id", kDid},
                         {"verificationMethod",
                          {{{"id", std::string(kDid) + "#key-1"},
                            {"type", "JsonWebKey2020"},
                            {"controller", kDid},
                            {"publicKeyJwk", PublicJwk(ec)}}}},
                         {"assertionMethod", {std::string(kDid) + "#key-1"}}};
  fetcher.Serve("https://outside.example/.well-known/did.json", document.dump());
  const std::string ec_jws = Sign(ec, Credential(kDid));
  const jose::ParsedJws ec_parsed = Must(jose::ParseCompact(ec_jws), "parse");
  const std::string ec_spki = ec_key.PublicKeyDer();

  Section("Outside credentials (OutsideJwtVerifier), keys cached; one core");
  std::printf("  signing input: %zu bytes\n", ec_parsed.signing_input.size());
  const auto raw_es256 = [&] {
    jose::VerifyEs256(ec_spki, ec_parsed.signing_input, ec_parsed.signature);
  };
  std::printf("  raw: OpenSSL P-256 verify (VerifyEs256) of the credential's signing input\n");
  Compare(verifier, "ES256, did:web (five checks, no status list)", ec_jws, raw_es256);

  // The same with a revocation list (a second ES256 verification and a GZIP inflation).
  auto list = Must(status_list::StatusList::Create(1), "list");
  const json list_credential = Must(status_list::BuildStatusListCredential(
                                        kStatusUrl, kDid, status_list::StatusPurpose::kRevocation,
                                        list, absl::ToUnixMillis(absl::Now()) - 3'600'000),
                                    "list credential");
  fetcher.Serve(kStatusUrl, jose::SignCompact(ec, jose::VcJwtHeader(), list_credential.dump()));
  json with_status = Credential(kDid);
  with_status["credentialStatus"] =
      status_list::BuildStatusListEntry(kStatusUrl, status_list::StatusPurpose::kRevocation, 4242);
  Compare(verifier, "ES256, did:web, with its revocation list", Sign(ec, with_status), raw_es256);

  // EdDSA, did:key (nothing fetched).
  const crypto::SigningKey ed_key = crypto::SigningKey::Generate();
  const std::string multikey = [&] {
    // did:key: "z" + base58btc(0xed 0x01 || key).
    static constexpr char kAlphabet[] =
        "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const std::string bytes = std::string("\xed\x01", 2) + ed_key.public_key();
    std::string digits;
    for (unsigned char byte : bytes) {
      unsigned carry = byte;
      for (char& d : digits) {
        carry += static_cast<unsigned>(static_cast<unsigned char>(d)) << 8;
        d = static_cast<char>(carry % 58);
        carry /= 58;
      }
      for (; carry > 0; carry /= 58) digits.push_back(static_cast<char>(carry % 58));
    }
    std::string out = "z";
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kAlphabet[int(*it)]);
    return out;
  }();
  const std::string did_key = "did:key:" + multikey;
  const jose::Ed25519JwsSigner ed(ed_key, did_key + "#" + multikey);
  const std::string ed_jws = Sign(ed, Credential(did_key));
  const jose::ParsedJws ed_parsed = Must(jose::ParseCompact(ed_jws), "parse");
  const auto raw_ed = [&] {
    crypto::Verify(ed_key.public_key(), ed_parsed.signing_input, ed_parsed.signature);
  };
  std::printf("  raw: libsodium Ed25519 verify of the credential's signing input\n");
  Compare(verifier, "EdDSA, did:key (five checks)", ed_jws, raw_ed);
}

}  // namespace
}  // namespace microcred

int main() {
  if (!microcred::crypto::InitCrypto().ok()) return 1;
  microcred::Run();
  return 0;
}
