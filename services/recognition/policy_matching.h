// Policies for automatic recognition: validating one, and matching presented credentials
// against an institution's policies quickly.
//
// Order rule: FIRST MATCH WINS, in the order the institution gives (`rank`, 1 first; ties are
// refused when the index is built). The institution reads its list top to bottom and knows which
// policy will decide, as with a firewall's rules; "most specific wins" would need an order
// between incomparable criteria (is an issuer more specific than an EQF range?) that nobody
// could predict.
//
// A policy matches one presented credential when the credential is authentic and every criterion
// the policy sets holds, checked in this order (the first that fails is reported):
//   purpose          the request's purpose is one of the policy's
//   issuer           the credential's issuer is listed, or belongs to a listed issuer group
//   provider type    the issuer's provider type is listed
//   quality          the credential's QA type is listed; with require_deqar_reference, it
//                    carries a DEQAR reference
//   EQF level        within [min_eqf_level, max_eqf_level] (a credential without a level fails
//                    any bound)
//   minimum ECTS     ects >= min_ects (a credential in hours fails any bound)
//   specification    its specification id is listed, or an equivalence entry applies: the entry
//                    names its specification, names the target component when the target is a
//                    component, and credits at least the ECTS presented (automatic recognition
//                    never recognises less than presented: a partial recognition needs a person
//                    to justify a substantial difference)
//   age              issued at most max_age_months before the request was submitted (the
//                    learner does not lose by the time the institution takes)
//
// Credentials from outside the ecosystem (IsOutsideCredential: a trust basis that is no
// membership) match only a policy that names their issuer, on the basis their key was found:
//   outside_issuer_dids     the issuer id, when its key is the DID's own (DID_WEB, DID_KEY) or
//                           one the institution pinned (PINNED_KEY)
//   outside_issuer_domains  the host (with or without its port) of the issuer's did:web or of
//                           its key URL (DID_WEB, KEY_URL, PINNED_KEY); exact, no subdomains
//   trust_anchors           the trust anchor its e-seal chains to (TRUSTED_LIST_SEAL)
// A key embedded in the token (EMBEDDED_JWK) proves nothing of who signed: such a credential
// matches no policy. An outside credential that does not state every mandatory Annex I element
// (facts.missing_elements) matches no policy either: the officer asks for them. A policy that
// names outside issuers but no issuer or issuer group applies to those outside issuers only,
// not to every member. These are checked as "issuer" and "Annex I elements", before the rest.
//
// Speed: policies are compiled (bit masks, hash sets) and indexed by purpose, then by their most
// selective key: each issuer they name, else each specification they list (ids or equivalence
// entries), else "any". A lookup walks three lists merged in rank order (the credential's
// issuer's, its specification's, and the any list) and stops at the first match, so a policy
// that could never match the credential is never looked at. Policies naming outside issuers
// are also listed apart, the only list an outside credential walks.
#ifndef MICROCRED_SERVICES_RECOGNITION_POLICY_MATCHING_H_
#define MICROCRED_SERVICES_RECOGNITION_POLICY_MATCHING_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/recognition/v1/recognition.pb.h"

namespace microcred::recognition {

// Alliances: group id -> member institution ids.
using IssuerGroups = std::map<std::string, std::vector<std::string>, std::less<>>;

// Checks one policy as `receiving_institution` publishes it. INVALID_ARGUMENT naming the field
// ("policy.min_eqf_level: ..."); PERMISSION_DENIED when the policy is another institution's.
absl::Status ValidatePolicy(const v1::RecognitionPolicy& policy,
                            std::string_view receiving_institution);

// Whether a credential comes from outside the ecosystem: its trust basis is no membership.
bool IsOutsideCredential(const v1::PresentedCredential& credential);
// The host an outside credential's key was found on ("x.example", "x.example:8443"): its
// did:web's, or its key URL's; empty for any other basis.
std::string OutsideIssuerHost(const issuance::v1::TrustBasis& basis);

enum class Criterion {
  kActive,  // the policy is not retired
  kAuthentic,
  kPurpose,
  kIssuer,
  kAnnexIElements,  // an outside credential states every mandatory element
  kProviderType,
  kQualityAssurance,
  kEqfLevel,
  kMinimumEcts,
  kSpecification,
  kAge,
};
std::string_view CriterionName(Criterion criterion);

// What the matcher looks at for one presented credential of a request.
struct MatchInput {
  const v1::PresentedCredential& credential;
  v1::RecognitionPurpose purpose;
  const v1::RecognitionTarget& target;
  absl::CivilDay submitted_on;
};

// A policy compiled for matching. Cheap to test against many credentials.
class CompiledPolicy {
 public:
  CompiledPolicy(v1::RecognitionPolicy policy, const IssuerGroups& groups);

  const v1::RecognitionPolicy& policy() const { return policy_; }
  // Issuers it accepts (issuer groups expanded); empty: any.
  const absl::flat_hash_set<std::string>& issuers() const { return issuers_; }
  // Specifications it accepts (ids and equivalence entries); empty: any.
  std::vector<std::string> SpecificationKeys() const;
  bool HasPurpose(v1::RecognitionPurpose purpose) const;
  // Whether it names outside issuers (by DID, domain or trust anchor).
  bool NamesOutsideIssuers() const;
  // Whether member credentials may match: it names members, or no outside issuer.
  bool AppliesToMembers() const { return !issuers_.empty() || !NamesOutsideIssuers(); }

  // The first criterion `input` fails, or nullopt when the policy matches.
  std::optional<Criterion> FirstUnmetCriterion(const MatchInput& input) const;
  // The ECTS the policy credits for a matching credential: an equivalence entry's, else the
  // credential's own.
  double CreditedEcts(const MatchInput& input) const;

 private:
  // The equivalence entry that applies to `input`, if any.
  const v1::EquivalenceEntry* ApplicableEquivalence(const MatchInput& input) const;
  bool SpecificationMatches(const MatchInput& input) const;
  bool NamesOutsideIssuer(const v1::PresentedCredential& credential) const;

  v1::RecognitionPolicy policy_;
  uint32_t purpose_mask_ = 0;
  uint32_t provider_type_mask_ = 0;           // 0: any
  uint32_t qa_type_mask_ = 0;                 // 0: any
  absl::flat_hash_set<std::string> issuers_;  // groups expanded; empty: any
  absl::flat_hash_set<std::string> specification_ids_;
  absl::flat_hash_map<std::string, std::vector<v1::EquivalenceEntry>> equivalences_;
  absl::flat_hash_set<std::string> outside_dids_, outside_domains_, trust_anchors_;
};

// The first policy of one institution's list that a credential matches.
struct PolicyMatchResult {
  const v1::RecognitionPolicy* policy;
  double credited_ects;
};

class PolicyIndex {
 public:
  // `policies` are one receiving institution's, each already valid (ValidatePolicy); retired
  // ones are kept out. FAILED_PRECONDITION when two active policies share a rank.
  static absl::StatusOr<PolicyIndex> Build(std::vector<v1::RecognitionPolicy> policies,
                                           const IssuerGroups& groups);

  std::optional<PolicyMatchResult> FirstMatch(const MatchInput& input) const;

  // The active policies, in rank order.
  size_t size() const { return compiled_.size(); }
  const CompiledPolicy& at(size_t i) const { return *compiled_[i]; }

 private:
  static constexpr size_t kPurposeCount = 6;  // RecognitionPurpose values, UNSPECIFIED included
  // Positions into compiled_, each list in rank order.
  struct PurposeIndex {
    absl::flat_hash_map<std::string, std::vector<uint32_t>> by_issuer;
    absl::flat_hash_map<std::string, std::vector<uint32_t>> by_specification;
    std::vector<uint32_t> any;
    std::vector<uint32_t> outside;  // the policies naming outside issuers
  };

  PolicyIndex() = default;

  std::vector<std::unique_ptr<CompiledPolicy>> compiled_;  // rank order
  std::array<PurposeIndex, kPurposeCount> by_purpose_;
};

}  // namespace microcred::recognition

#endif  // MICROCRED_SERVICES_RECOGNITION_POLICY_MATCHING_H_
