// The facts a receiving institution reads from a presented credential: what policies match on
// and what a reviewer compares (v1::CredentialFacts).
//
// Sources, most authoritative first:
//   - the verification report: credential id, issuer, specification id and version;
//   - the registry: the issuer's provider type (an institution cannot make itself an HEI);
//   - the frozen specification version from the catalogue, when this node knows it: every
//     Annex I element (title, awarding bodies, country, learning outcomes, workload, EQF level,
//     quality assurance);
//   - the credential document itself (the report's credential_json, whose signature has been
//     checked): the facts of this award (issued and valid-until dates, grade), and the Annex I
//     elements when the catalogue does not know the specification.
// Pure; thread-safe. Reads what it can: a missing or malformed member leaves its fact unset.
#ifndef MICROCRED_SERVICES_RECOGNITION_PRESENTED_CREDENTIAL_H_
#define MICROCRED_SERVICES_RECOGNITION_PRESENTED_CREDENTIAL_H_

#include <optional>

#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/recognition/v1/recognition.pb.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::recognition {

v1::CredentialFacts ExtractCredentialFacts(
    const issuance::v1::VerificationReport& report,
    const std::optional<catalogue::v1::Specification>& specification,
    const std::optional<registry::v1::Member>& issuer);

// The presented credential as this node records it: authentic when every check passed,
// otherwise not authentic with the first failed check and its reason.
v1::PresentedCredential PresentedFromReport(
    std::string jws, const issuance::v1::VerificationReport& report,
    const std::optional<catalogue::v1::Specification>& specification,
    const std::optional<registry::v1::Member>& issuer);

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_PRESENTED_CREDENTIAL_H_
