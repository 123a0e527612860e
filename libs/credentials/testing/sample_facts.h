// Complete, valid CredentialFacts built on the sample catalogue, for tests: this folder's and
// those of services that issue credentials. Every field is fixed, so documents built from them
// are the same on every run.
#ifndef MICROCRED_LIBS_CREDENTIALS_TESTING_SAMPLE_FACTS_H_
#define MICROCRED_LIBS_CREDENTIALS_TESTING_SAMPLE_FACTS_H_

#include <string_view>

#include "libs/credentials/credential_facts.h"

namespace microcred::credentials::testing {

inline constexpr std::string_view kSampleEmail = "Ana.Andromeda@Student.UCLouvain.example";
inline constexpr std::string_view kSampleLearnerId = "UCL-2025-00042";
inline constexpr std::string_view kSampleSalt = "9b1de2c4f0a87365e4d2c1b0a9f8e7d6";

// A joint award: "Data literacy for public-sector professionals" (version 2; 3 ECTS,
// credit-bearing; EQF 6, first cycle; project; blended; external QA by AEQES; stackable),
// awarded by UCLouvain (the issuer, BE-WAL) and ULB (BE-BRU) to Ana Andromeda on 2025-06-30 in
// Louvain-la-Neuve, graded 16/20, after a completed course, supervised onsite with identity
// verification. Revocation and suspension entries share index 4217. No valid_until. The texts
// are in English (text_language "en"); the languages of instruction are French and English.
CredentialFacts SampleFacts();

// A single award in hours: "Python programming basics" (60 hours, not credit-bearing, EQF 4,
// no QF-EHEA cycle, internal QA) by Le Forem, a public employment service, after validation of
// prior learning; no grade, no supervision applied, valid until 2028-06-30, revocation entry
// only.
CredentialFacts SampleFactsInHours();

}  // namespace microcred::credentials::testing

#endif  // MICROCRED_LIBS_CREDENTIALS_TESTING_SAMPLE_FACTS_H_
