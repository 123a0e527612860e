// The facts a receiving institution decides on (recognition::v1::CredentialFacts), read from a
// verified Open Badges 3.0 credential from outside the ecosystem and mapped onto the Annex I
// elements of the Council Recommendation on micro-credentials. Only what the credential states:
// nothing defaulted, nothing taken from the registry; what is missing is listed in
// missing_elements (MissingAnnexIElements), the officer's questions.
//
//   credential_id           id
//   issuer, issuer_name     issuer.id, issuer.name (the name is the issuer's claim)
//   awarding_bodies         issuer.id, and credentialSubject.achievement.creator.id when another
//   title                   achievement.name (else the credential's name)
//   country                 issuer.address.addressCountryCode (else addressCountry)
//   issued_on               credentialSubject.awardedDate (else validFrom), as a date
//   valid_until             validUntil
//   learning_outcomes       achievement.criteria.narrative, and the targetName of each
//                           achievement.alignment that is not an EQF level
//   level (eqf_level)       an alignment whose targetFramework is the EQF ("EQF" or "European
//                           Qualifications Framework") with a level 1-8 in its targetCode
//                           ("6", "EQF6", ".../eqf/6"). fieldOfStudy is a subject, not a level.
//   workload                achievement.microCredential.ectsCredits / workloadHours (the
//                           extension this platform's credentials carry); else
//                           achievement.creditsAvailable as ECTS only when the achievement says
//                           ECTS (a tag "ECTS", or an alignment whose targetFramework names ECTS):
//                           OB 3.0 leaves the unit of creditsAvailable open, and US credit hours
//                           are not ECTS.
//   assessment              microCredential.assessmentDescription / assessmentType; else the
//                           names of achievement.resultDescription (how results are assessed)
//   form_of_participation   microCredential.formOfParticipation
//   quality_assurance       microCredential.qualityAssurance (qaType, qaBody, deqarReference)
//   grade                   credentialSubject.result[0].value, its scheme the first
//                           resultDescription's name
//   learner                 present when credentialSubject has an id or an identifier
// Read with simdjson: a DOM of the whole credential would cost a third of the signature check.
// Pure; thread-safe.
#ifndef MICROCRED_LIBS_VERIFICATION_OUTSIDE_FACTS_H_
#define MICROCRED_LIBS_VERIFICATION_OUTSIDE_FACTS_H_

#include <string_view>

#include "microcred/recognition/v1/recognition.pb.h"

namespace microcred::verification {

// `payload`: the verified credential's JSON (a JWT payload; its registered claims are ignored).
recognition::v1::CredentialFacts OpenBadgeFacts(std::string_view payload);

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_OUTSIDE_FACTS_H_
