// EdcVerifier: European Digital Credentials (ELM v3 JSON-LD, as Europass issues them) sealed
// with JAdES (libs/jades/jades.h), trusted through the certificate chain of their e-seal up to a
// trust anchor the institution configured (`mcnode --trusted-list-file`, jades::TrustAnchors).
//
// It recognises JSON with "payload" and "signatures" (the JWS JSON serialisation) and reports:
//   format       one JAdES signature over an unencoded payload that is an ELM credential (a
//                JSON object typed VerifiableCredential or EuropeanDigitalCredential);
//   seal         the JAdES structure: alg, b64 false, sigT critical, x5c, x5t#S256 (jades.h);
//   certificate  the seal's certificate chained to a trust anchor, every certificate valid at
//                sigT, a signing key usage; revocation not checked (said in the detail);
//   issuer       the trust basis: "e-seal of <subject> under trust anchor <name>"; the
//                credential names an issuer id, and its issuer.eIDASIdentifier, when stated,
//                is the seal certificate's organizationIdentifier;
//   signature    the seal verifies under the seal certificate's key;
//   status       the credential's credentialStatus, through the EdcStatusCheck the node gives;
//                without one it is not fetched, and the check passes saying so ("not checked:
//                ..."), the report's status left unspecified; no credentialStatus: passes,
//                ACTIVE, "the credential names no status list";
//   validity     validFrom is past and expirationDate (or validUntil), if any, is not.
// report.format is EDC_JADES, report.issuer the credential's issuer id, credential_json the
// sealed payload, report.issuer_name empty (the credential's own issuer name, a claim, goes to
// credential_issuer_name).
//
// Thread-safe.
#ifndef MICROCRED_LIBS_VERIFICATION_EDC_VERIFIER_H_
#define MICROCRED_LIBS_VERIFICATION_EDC_VERIFIER_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "libs/jades/trust_anchors.h"
#include "libs/verification/format_verifier.h"
#include "microcred/recognition/v1/recognition.pb.h"
#include "nlohmann/json.hpp"

namespace microcred::verification {

// The status of a verified EDC (`credential`, the sealed payload; `issuer_id`, its issuer), as
// the node can establish it (e.g. outside_status.h over the node's HttpFetcher). Thread-safe.
struct EdcStatus {
  issuance::v1::CredentialStatus status = issuance::v1::CREDENTIAL_STATUS_UNSPECIFIED;
  bool passed = false;
  std::string detail;
};
using EdcStatusCheck = std::function<EdcStatus(const nlohmann::json& credential,
                                               const std::string& issuer_id, absl::Time now)>;

class EdcVerifier final : public FormatVerifier {
 public:
  // `status_check` may be empty: credentialStatus is then reported as not checked.
  explicit EdcVerifier(jades::TrustAnchors anchors, EdcStatusCheck status_check = nullptr)
      : anchors_(std::move(anchors)), status_check_(std::move(status_check)) {}

  // A JSON object (by its first characters) naming "payload" and "signatures"; no parsing.
  bool Recognises(std::string_view presented) const override;
  VerifiedCredential Verify(std::string_view presented, absl::Time now) const override;

 private:
  jades::TrustAnchors anchors_;
  EdcStatusCheck status_check_;
};

// The Annex I facts an ELM v3 credential states (the LearningAchievement it claims, its
// Qualification / LearningAchievementSpecification, the awarding process and assessment), and
// facts.missing_elements for what it does not state. Never defaulted; pure.
//   title               the achievement's title, else its specification's
//   issuer, issuer_name the credential's issuer id and legalName
//   awarding_bodies     the awarding bodies' legal names (their ids when unnamed)
//   country             the first awarding body's address country (EU country authority URI,
//                       alpha-3) as ISO 3166-1 alpha-2
//   issued_on           awardedBy.awardingDate, else issuanceDate; valid_until expirationDate
//   learning_outcomes   the specification's learningOutcome titles
//   ects / hours        creditPoint under the ECTS framework, else volumeOfLearning (ISO 8601
//                       duration in hours, minutes)
//   eqf_level           the eqfLevel concept's last digit (http://data.europa.eu/snb/eqf/6)
//   assessment          the LearningAssessment's title, else the assessment specification's
//                       type and description; grade its grade
//   form_of_participation  the specification's mode
//   quality_assurance   the specification's accreditation (accrediting agent or title), else
//                       the platform extension's qualityAssurance body and DEQAR reference
//   learner             stated when credentialSubject has an id or identifiers
recognition::v1::CredentialFacts ReadElmFacts(const nlohmann::json& credential);

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_EDC_VERIFIER_H_
