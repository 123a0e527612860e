// An issued micro-credential in the European Learning Model v3 shape (a European Digital
// Credential as JSON-LD): what the learner exports to Europass and other EDC wallets. It carries
// the same facts as the Open Badges document (open_badge.h):
//
//   issuer (Organisation, with the e-seal's eIDAS identifier: CredentialFacts::seal)
//   displayParameter (one page: an SVG of the credential's own facts, elm_display.h)
//   credentialSubject (Person)
//     hasClaim (LearningAchievement)
//       awardedBy (AwardingProcess: awarding bodies, awarding date)
//       provenBy (LearningAssessment: grade, identity verification applied; only when graded)
//       specifiedBy (Qualification: title, learning outcomes with ESCO skills, credit points
//                    or volume of learning, EQF level, mode, languages, ISCED-F, entry
//                    requirement, assessment specification, and the extension object)
//   credentialStatus (one xsd:anyURI: the credential's entry in the issuer's message list)
//
// The document is valid against the EDC application profile's SHACL shapes, edc-generic-full,
// with zero violations (tests/europass checks every variant the node exports). The
// specification is typed Qualification, the subclass of LearningAchievementSpecification that
// ELM gives the EQF level (as the Commission's own Annex I sample does). Annex I elements ELM
// has no property for sit in the "microCredential" / "microCredentialAward" objects of the
// platform's extension context. docs/CREDENTIALS.md maps every element and names the
// vocabulary URIs used. Issuance seals the document with JAdES before it leaves the node.
//
// Texts are tagged with the specification's first language. The learner's e-mail address and
// learner id appear only as salted SHA-256 hashes; the date of birth does not appear.
//
// Deterministic, with the same errors as BuildOpenBadgeCredential, and INVALID_ARGUMENT
// "seal.organization_identifier: ..." / "seal.country: ..." when the seal facts are missing.
// Pure; thread-safe.
#ifndef MICROCRED_LIBS_CREDENTIALS_ELM_H_
#define MICROCRED_LIBS_CREDENTIALS_ELM_H_

#include "absl/status/statusor.h"
#include "libs/credentials/credential_facts.h"
#include "nlohmann/json.hpp"

namespace microcred::credentials {

absl::StatusOr<nlohmann::json> BuildElmCredential(const CredentialFacts& facts);

}  // namespace microcred::credentials

#endif  // MICROCRED_LIBS_CREDENTIALS_ELM_H_
