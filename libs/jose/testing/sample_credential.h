// A micro-credential's JSON as an issuing node secures it, for tests and benchmarks of the JOSE
// layer (tests/jose-interop, bench/jose). Its text is not ASCII on purpose: both sides of an
// interoperability check must agree on UTF-8 bytes, not on characters.
#ifndef MICROCRED_LIBS_JOSE_TESTING_SAMPLE_CREDENTIAL_H_
#define MICROCRED_LIBS_JOSE_TESTING_SAMPLE_CREDENTIAL_H_

#include <string>
#include <string_view>

#include "nlohmann/json.hpp"

namespace microcred::jose::testing {

// The credential `urn:uuid:<id>`, with an evidence narrative of `evidence_bytes` bytes when
// that is not 0 (to make it larger).
inline std::string SampleCredentialJson(std::string_view id, size_t evidence_bytes = 0) {
  nlohmann::json credential = {
      {"@context",
       {"https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}},
      {"id", "urn:uuid:" + std::string(id)},
      {"type", {"VerifiableCredential", "OpenBadgeCredential"}},
      {"issuer", {{"id", "https://node.uni-krakow.example"}, {"name", "Uniwersytet Jagielloński"}}},
      {"validFrom", "2025-03-01T00:00:00Z"},
      {"credentialSubject",
       {{"id", "did:example:learner-7"},
        {"type", {"AchievementSubject"}},
        {"achievement",
         {{"id", "https://node.uni-krakow.example/achievements/stat-101"},
          {"type", {"Achievement"}},
          {"name", "Statistik für Sozialwissenschaften — Grundlagen"},
          {"criteria", {{"narrative", "Prüfung bestanden; 3 ECTS"}}}}}}}};
  if (evidence_bytes > 0) {
    credential["evidence"] = {
        {{"type", {"Evidence"}}, {"narrative", std::string(evidence_bytes, 'e')}}};
  }
  return credential.dump();
}

}  // namespace microcred::jose::testing

#endif  // MICROCRED_LIBS_JOSE_TESTING_SAMPLE_CREDENTIAL_H_
