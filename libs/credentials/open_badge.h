// An issued micro-credential as a W3C Verifiable Credential (Data Model 2.0) that is also an
// Open Badges 3.0 OpenBadgeCredential (achievementType "MicroCredential"). The document is
// unsigned: issuance secures it as a compact JWS in one of the two securing profiles
// (libs/verification/securing_profile.h), so that any standard library can verify it offline.
//
// Every Annex I element is in it. Where Open Badges has no property, the platform's extension
// context (kMicrocredContext, context/microcred-v1.jsonld) does: "microCredential" on the
// achievement (awarding bodies, workload with its unit, QF-EHEA cycle, assessment, form of
// participation, quality assurance, optional elements, specification id and version) and
// "microCredentialAward" on the subject (mode of acquisition, supervision applied, place of
// issuing). docs/CREDENTIALS.md maps each element to its JSON path.
//
// The learner is named in plain text; the e-mail address and learner id are present only as
// salted SHA-256 hashes (IdentityObject, hashed: true), and the date of birth not at all.
//
// WriteOpenBadgeCredential gives the document's bytes, the payload that issuance signs: written
// in one pass (libs/base/json_writer.h), members in a fixed reading order, arrays in the facts'
// order, so that equal facts give equal bytes. BuildOpenBadgeCredential gives the same document
// as a tree, for callers that read or reshape it.
//
// Errors: INVALID_ARGUMENT when ValidateCredentialFacts refuses the facts, or when a text is
// not valid UTF-8 (naming the member); INTERNAL when the crypto library cannot start. Pure;
// thread-safe.
#ifndef MICROCRED_LIBS_CREDENTIALS_OPEN_BADGE_H_
#define MICROCRED_LIBS_CREDENTIALS_OPEN_BADGE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/credentials/credential_facts.h"
#include "nlohmann/json.hpp"

namespace microcred::credentials {

absl::StatusOr<std::string> WriteOpenBadgeCredential(const CredentialFacts& facts);
absl::StatusOr<nlohmann::json> BuildOpenBadgeCredential(const CredentialFacts& facts);

// The members the registered JWT claims of the Open Badges securing profile copy
// (libs/verification/securing_profile.h), as WriteOpenBadgeCredential writes them for `facts`:
// issuance adds the claims without reading the document back. For facts that
// ValidateCredentialFacts accepts.
struct ClaimedMembers {
  std::string issuer_id;                   // issuer.id
  std::string id;                          // id
  std::optional<std::string> subject_id;   // credentialSubject.id
  std::string valid_from;                  // validFrom
  std::optional<std::string> valid_until;  // validUntil, when the credential has one
};
ClaimedMembers ClaimedMembersOf(const CredentialFacts& facts);

// The OB 3.0 Profile of one awarding body, as a credential's issuer and awardingBodies carry it
// (id = issuer.profile_url, name, address, otherIdentifier, providerType), with the country and
// region the registry holds. What the issuer's own Profile document (libs/discovery) starts
// from. INVALID_ARGUMENT when a text is not valid UTF-8.
absl::StatusOr<nlohmann::json> BuildProfile(const IssuerFacts& issuer);

}  // namespace microcred::credentials

#endif  // MICROCRED_LIBS_CREDENTIALS_OPEN_BADGE_H_
