// What the Open Badges and the ELM documents share: dates, identifiers, the learner's hashed
// identifiers, and the extension objects. Internal to libs/credentials.
//
// Every function here expects facts that ValidateCredentialFacts accepted.
#ifndef MICROCRED_LIBS_CREDENTIALS_INTERNAL_DOCUMENT_PARTS_H_
#define MICROCRED_LIBS_CREDENTIALS_INTERNAL_DOCUMENT_PARTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libs/base/json_writer.h"
#include "libs/credentials/credential_facts.h"
#include "nlohmann/json.hpp"

namespace microcred::credentials::internal {

using Json = nlohmann::json;

// The language of the specification's texts: text_language, or the first language.
std::string_view TextLanguage(const CredentialFacts& facts);

// RFC 3339 instants in UTC. A calendar date starts at 00:00:00Z; valid_until ends at 23:59:59Z
// of its day, so that the day itself is included.
std::string StartOfDayUtc(const common::v1::Date& date);
std::string EndOfDayUtc(const common::v1::Date& date);
std::string InstantUtc(int64_t unix_ms);
bool IsSet(const common::v1::Date& date);

// The frozen specification version as a URI: "urn:microcred:specification:<id>/v<version>".
std::string SpecificationUri(const catalogue::v1::Specification& spec);

// "Given Family", or whichever of the two is present.
std::string LearnerFullName(const issuance::v1::LearnerIdentity& learner);

// An identifier as Open Badges hashes it: "sha256$" + hex(SHA-256(value + salt)).
std::string SaltedIdentityHash(std::string_view value, std::string_view salt);
// E-mail addresses are hashed trimmed and in lower case, so that the learner's "Ana@Uni.BE"
// and a verifier's "ana@uni.be" match.
std::string NormalizedEmail(std::string_view email);

// One hashed identifier of the learner.
struct HashedIdentifier {
  std::string kind;  // "emailAddress" or "learnerId"
  std::string hash;  // SaltedIdentityHash
};
// The learner's e-mail and learner id, hashed with the facts' salt; absent ones are skipped.
std::vector<HashedIdentifier> HashedLearnerIdentifiers(const CredentialFacts& facts);

// The issuer first, then the other awarding bodies in the specification's order.
std::vector<const IssuerFacts*> AwardingBodiesInOrder(const CredentialFacts& facts);

// "3", "2.5", "7.25": the shortest decimal form of an ECTS or hours amount.
std::string DecimalString(double value);
// An amount of hours as an xsd:duration, whose hours must be whole: 7.5 -> "PT7H30M".
std::string HoursAsDuration(double hours);

// True when the learner earns the specification's ECTS credits: a credit-bearing
// specification whose workload is stated in ECTS.
bool AwardsEcts(const catalogue::v1::SpecificationContent& content);

// The members of the "microCredential" extension object with the Annex I elements that neither
// target model can hold: specification id and version, credit-bearing, QF-EHEA cycle, quality
// assurance, supervision specified, stackability. Written into an object the caller opened, so
// that each document adds what its own model lacks.
void WriteSpecificationExtensionMembers(const catalogue::v1::Specification& spec, JsonWriter& w);

// The members of the "microCredentialAward" extension object: the mode of acquisition.
void WriteAwardExtensionMembers(const issuance::v1::IssueCredentialRequest& issuance,
                                JsonWriter& w);

// The same parts as trees, for the ELM document. The OB 3.0 document is written with the writer
// (it is on the issuing hot path); the ELM export is built as a tree.
Json SpecificationExtension(const catalogue::v1::Specification& spec);
Json AwardExtension(const issuance::v1::IssueCredentialRequest& issuance);

}  // namespace microcred::credentials::internal

#endif  // MICROCRED_LIBS_CREDENTIALS_INTERNAL_DOCUMENT_PARTS_H_
