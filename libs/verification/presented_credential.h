// A credential a learner presents to this node (for recognition, for stacking): verified against
// what the node knows, and read into the facts a receiving institution decides on (what
// policies match on and what a reviewer compares, recognition::v1::CredentialFacts).
// PresentedCredentialVerifier dispatches each presented text to the FormatVerifier whose format
// it is (format_verifier.h): the ecosystem's own first, then the outside ones.
//
// The facts of an ecosystem credential; sources, most authoritative first:
//   - the verification report: credential id, issuer, specification id and version;
//   - the registry: the issuer's provider type (an institution cannot make itself an HEI), as
//     the registry of the ecosystem the credential was issued in holds it;
//   - the frozen specification version from the catalogue, when this node knows it: every
//     Annex I element (title, awarding bodies, country, learning outcomes, workload, EQF level,
//     quality assurance);
//   - the credential document itself (the report's credential_json, whose signature has been
//     checked): the facts of this award (issued and valid-until dates, grade), and the Annex I
//     elements when the catalogue does not know the specification.
// Reading is pure: a missing or malformed member leaves its fact unset. Thread-safe.
#ifndef MICROCRED_LIBS_VERIFICATION_PRESENTED_CREDENTIAL_H_
#define MICROCRED_LIBS_VERIFICATION_PRESENTED_CREDENTIAL_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/domain/policy_profile.h"
#include "libs/verification/format_verifier.h"
#include "libs/verification/holder_binding.h"
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
  // A member of the first registry (the node's home first) that knows it.
  virtual std::optional<registry::v1::Member> FindMember(
      const std::string& institution_id) const = 0;
  // Its membership in `ecosystem`'s registry (VerificationInputs::find_member_in). Sources of
  // one registry need not override it.
  virtual std::optional<registry::v1::Member> FindMemberIn(
      std::string_view /*ecosystem*/, const std::string& institution_id) const {
    return FindMember(institution_id);
  }
  // The rules `ecosystem`'s registry states now (VerificationInputs::profile_in); nullopt:
  // the verifier's own (sources of one registry need not override it).
  virtual std::optional<domain::PolicyProfile> ProfileIn(std::string_view /*ecosystem*/) const {
    return std::nullopt;
  }
  virtual absl::StatusOr<std::optional<issuance::v1::KnownCredential>> FindCredential(
      const std::string& credential_id) const = 0;
  // std::nullopt when the catalogue does not know the specification (or that version).
  virtual absl::StatusOr<std::optional<catalogue::v1::Specification>> FindSpecification(
      const std::string& specification_id, uint32_t version) const = 0;
};

// The ecosystem's own credentials as a FormatVerifier: credential_verifier.h's seven checks
// against `sources` under the rules of the ecosystem each credential was issued in
// (CredentialSources::ProfileIn; `profile` where the sources state none), the facts read by
// ExtractCredentialFacts.
// It recognises a compact JWS whose kid, or else whose payload's issuer, names a member of the
// registry (its institution id in the URL or did:web form of did_web.h), whatever else the
// token holds: a credential naming a member is verified as the member's or not at all, never
// on a weaker basis. The references must outlive it.
class EcosystemVerifier final : public FormatVerifier {
 public:
  EcosystemVerifier(const CredentialSources& sources, const domain::PolicyProfile& profile)
      : sources_(sources), profile_(profile) {}

  bool Recognises(std::string_view presented) const override;
  VerifiedCredential Verify(std::string_view presented, absl::Time now) const override;

 private:
  const CredentialSources& sources_;
  const domain::PolicyProfile& profile_;
};

// The dispatcher over FormatVerifiers: the presented text goes to the first that recognises
// it, asked in order: the ecosystem's own (EcosystemVerifier), then the outside verifiers
// given at construction (the node's: Open Badges / VC JWTs from any issuer, then JAdES-sealed
// EDCs). When none recognises it, the credential is not authentic with a failed "format"
// check: "credentials from outside the ecosystem are not accepted by this node" when the node
// has no outside verifier, else what the text is not. Thread-safe.
class PresentedCredentialVerifier {
 public:
  // `holder_keys` finds the keys of holder proofs (holder_binding.h); empty: DID proofs fail.
  PresentedCredentialVerifier(const CredentialSources& sources,
                              const domain::PolicyProfile& profile,
                              std::vector<std::unique_ptr<FormatVerifier>> outside = {},
                              HolderKeyResolver holder_keys = {});

  // The presented credential as this node records it (PresentedFromVerified), verified at
  // `now`.
  recognition::v1::PresentedCredential Verify(const std::string& presented, absl::Time now) const;
  // The same, with its holder binding for `holder` (BindHolder over the verified document).
  // A credential whose document could not be read (its format check failed) is not bound,
  // "not checked: the credential could not be read".
  recognition::v1::PresentedCredential Verify(const std::string& presented, absl::Time now,
                                              const HolderContext& holder) const;

  // The verification report alone, as VerifyCredential answers it (the same dispatch).
  issuance::v1::VerificationReport Report(std::string_view presented, absl::Time now) const {
    return VerifyOnce(presented, now).report;
  }

  const CredentialSources& sources() const { return sources_; }
  bool accepts_outside_credentials() const { return !outside_.empty(); }

 private:
  VerifiedCredential VerifyOnce(std::string_view presented, absl::Time now) const;

  const CredentialSources& sources_;
  const EcosystemVerifier ecosystem_;
  const std::vector<std::unique_ptr<FormatVerifier>> outside_;
  const HolderKeyResolver holder_keys_;
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
// otherwise not authentic with the first failed check and its reason; its format and trust
// basis from the report, its facts as verified.
recognition::v1::PresentedCredential PresentedFromVerified(std::string presented,
                                                           const VerifiedCredential& verified);

// PresentedFromVerified with the facts of an ecosystem credential (ExtractCredentialFacts).
recognition::v1::PresentedCredential PresentedFromReport(
    std::string jws, const issuance::v1::VerificationReport& report,
    const std::optional<catalogue::v1::Specification>& specification,
    const std::optional<registry::v1::Member>& issuer);

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_PRESENTED_CREDENTIAL_H_
