// A credential a learner presents to this node (for recognition, for stacking): verified against
// what the node knows, and read into the facts a receiving institution decides on (what
// policies match on and what a reviewer compares, recognition::v1::CredentialFacts).
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
// Reading is pure: a missing or malformed member leaves its fact unset. Thread-safe.
#ifndef MICROCRED_LIBS_VERIFICATION_PRESENTED_CREDENTIAL_H_
#define MICROCRED_LIBS_VERIFICATION_PRESENTED_CREDENTIAL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/domain/policy_profile.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/issuance/v1/issuance_records.pb.h"
#include "microcred/recognition/v1/recognition.pb.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::verification {

// What verifying a presented credential reads of its node: the registry, the issuance events'
// read model (what each issuer recorded and each credential's status) and the catalogue (the
// frozen specification version a credential names). The node implements it over its read
// models. Thread-safe.
class CredentialSources {
 public:
  virtual ~CredentialSources() = default;
  virtual std::optional<registry::v1::Member> FindMember(
      const std::string& institution_id) const = 0;
  virtual absl::StatusOr<std::optional<issuance::v1::KnownCredential>> FindCredential(
      const std::string& credential_id) const = 0;
  // std::nullopt when the catalogue does not know the specification (or that version).
  virtual absl::StatusOr<std::optional<catalogue::v1::Specification>> FindSpecification(
      const std::string& specification_id, uint32_t version) const = 0;
};

// Verifies presented credentials (credential_verifier.h's seven checks) against `sources` under
// the ecosystem's `profile`, and reads their facts. The references must outlive it.
class PresentedCredentialVerifier {
 public:
  PresentedCredentialVerifier(const CredentialSources& sources,
                              const domain::PolicyProfile& profile)
      : sources_(sources), profile_(profile) {}

  // The presented credential as this node records it (PresentedFromReport), verified at `now`.
  recognition::v1::PresentedCredential Verify(const std::string& jws, absl::Time now) const;

  const CredentialSources& sources() const { return sources_; }

 private:
  const CredentialSources& sources_;
  const domain::PolicyProfile& profile_;
};

// The mandatory Annex I elements `facts` does not state, by name and in Annex I order:
// "learner", "title", "country", "awarding_body", "issued_on", "learning_outcomes", "workload",
// "level", "assessment", "form_of_participation", "quality_assurance". Every FormatVerifier
// lists them in facts.missing_elements: they are the reviewer's questions, never defaulted.
// An element is missing when its facts are unset: the workload when neither ECTS nor hours are
// stated, the level when no EQF level is, quality assurance when neither its type, its body nor
// a DEQAR reference is, the awarding body when neither an awarding body nor the issuer's name
// is (a bare DID does not tell a reviewer who awarded it). The facts have no field for the
// learner: `learner_stated` says whether the credential identifies its subject (an id or an
// identifier), which the verifier that read the document knows.
std::vector<std::string> MissingAnnexIElements(const recognition::v1::CredentialFacts& facts,
                                               bool learner_stated = true);

// The facts of a credential of the ecosystem (its format check passed): the Annex I elements
// from `specification` when it is the very version the credential names, else from the
// document; the issuer's provider type and name from `issuer` (the registry) when known;
// facts.missing_elements listed (MissingAnnexIElements).
recognition::v1::CredentialFacts ExtractCredentialFacts(
    const issuance::v1::VerificationReport& report,
    const std::optional<catalogue::v1::Specification>& specification,
    const std::optional<registry::v1::Member>& issuer);

// The presented credential as this node records it: authentic when every check passed,
// otherwise not authentic with the first failed check and its reason.
recognition::v1::PresentedCredential PresentedFromReport(
    std::string jws, const issuance::v1::VerificationReport& report,
    const std::optional<catalogue::v1::Specification>& specification,
    const std::optional<registry::v1::Member>& issuer);

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_PRESENTED_CREDENTIAL_H_
