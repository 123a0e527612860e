// An ecosystem policy profile: the rules an ecosystem adds on top of the Recommendation's
// Annex I, as data. Two are built in:
//  - "eu": the Council Recommendation 2022/C 243/02 alone: every provider type of §5b may issue
//    micro-credentials and state their workload in ECTS, no title is protected, and no minimum
//    applies to a continuing-education certificate;
//  - "fwb": the Fédération Wallonie-Bruxelles as the ARES opinion reads it: only higher-education
//    institutions may issue and only they may award ECTS recognised by the FWB; micro-credential
//    titles must differ from the degree titles HEIs award (bachelier, master, docteur, agrégé,
//    ...); a continuing-education certificate, the usual stacking target, carries at least 10
//    ECTS (art. 74 of the "Paysage" decree).
// The built-in profiles are the JSON files libs/domain/profiles/<name>.json, embedded at build
// time and parsed by FromJson, like an operator's own profile file. An ecosystem states its
// profile in its registry as a PolicyRules message (proto/microcred/common/v1/policy_rules.proto:
// the same fields), read by FromRules; FromJson reads the JSON into a PolicyRules and validates
// it the same way, so a rule is checked in one place.
//
// JSON shape (every key but "description" is required; unknown keys are refused so that a
// misspelt key cannot silently weaken a policy):
//   {
//     "name": "fwb",                                  // [a-z0-9-]{1,32}
//     "description": "...",                           // free text, optional
//     "issuer_provider_types": ["PROVIDER_TYPE_HIGHER_EDUCATION"],  // at least one
//     "ects_provider_types": ["PROVIDER_TYPE_HIGHER_EDUCATION"],    // may be empty
//     "protected_titles": ["bachelier", "master de spécialisation", ...],
//     "min_certificate_ects": 10                      // finite, >= 0
//   }
// Provider types are the enum value names of microcred.common.v1.ProviderType.
//
// Protected-title matching. A title contains a protected title when, after both are folded by
// FoldToWords (text.h: case-insensitive, accents and ligatures removed, punctuation and white
// space separating words), the protected title's words appear in the title as consecutive
// whole words. So, under fwb:
//   refused: "Master en data", "MASTER of Data", "Agrégé", "AGREGE", "Master’s in data",
//            "Bachelier-passerelle", "Introduction (docteur)";
//   allowed: "Masterclass in data", "Mastering Python", "Agrégation de données" (fwb protects
//            "agrégation de l'enseignement secondaire ...", not the common noun), "Docteurs
//            sans frontières" (no stemming: only the forms listed in the profile match).
// Whole-word matching is the choice because substring matching would refuse ordinary words
// that merely contain a title ("Masterclass", "remastered"); the cost is that a compound
// containing the word on its own is refused too ("Scrum Master", "Master-class"). An ecosystem
// that wants those allowed supplies its own profile.
//
// Thread-safe (immutable after construction); cheap to copy.
#ifndef MICROCRED_LIBS_DOMAIN_POLICY_PROFILE_H_
#define MICROCRED_LIBS_DOMAIN_POLICY_PROFILE_H_

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "microcred/common/v1/common.pb.h"
#include "microcred/common/v1/policy_rules.pb.h"

namespace microcred::domain {

class PolicyProfile {
 public:
  // A built-in profile ("eu" or "fwb"). NOT_FOUND for any other name.
  static absl::StatusOr<PolicyProfile> Named(std::string_view name);
  // The names Named() accepts, sorted.
  static std::vector<std::string> BuiltinNames();

  // Parses an operator-supplied profile. INVALID_ARGUMENT naming the JSON key at fault, e.g.
  // `policy profile: protected_titles[2]: must not be empty`.
  static absl::StatusOr<PolicyProfile> FromJson(std::string_view json);

  // Validates rules stated as data (an ecosystem's definition). INVALID_ARGUMENT naming the
  // field at fault, e.g. `rules.protected_titles[2]: is required`.
  static absl::StatusOr<PolicyProfile> FromRules(const common::v1::PolicyRules& rules);

  // The profile as data: FromRules(ToRules()) is this profile. Provider types come in enum
  // order, protected titles as written, in the profile's order.
  common::v1::PolicyRules ToRules() const;

  PolicyProfile(const PolicyProfile&) = default;
  PolicyProfile& operator=(const PolicyProfile&) = default;
  PolicyProfile(PolicyProfile&&) = default;
  PolicyProfile& operator=(PolicyProfile&&) = default;

  const std::string& name() const { return name_; }
  const std::string& description() const { return description_; }

  // Whether an institution of this provider type may issue (be an awarding body of) a
  // micro-credential.
  bool MayIssue(common::v1::ProviderType type) const;
  // Whether an institution of this provider type may state a workload in ECTS credits.
  bool MayAwardEcts(common::v1::ProviderType type) const;

  // The smallest total ECTS a continuing-education certificate may carry: the floor for a
  // stacking pathway whose target is such a certificate. 0 = no floor.
  double min_certificate_ects() const { return min_certificate_ects_; }

  // The protected titles as written in the profile.
  std::vector<std::string> protected_titles() const;

  // The protected title that `title` contains (see the matching rules above), as written in
  // the profile, or std::nullopt. When several match, the one that starts first in `title`
  // wins, and among those the longest ("Master de spécialisation en droit" yields "master de
  // spécialisation" when the profile lists both it and "master").
  std::optional<std::string> FindProtectedTitle(std::string_view title) const;

 private:
  struct ProtectedTitle {
    std::string as_written;
    std::vector<std::string> folded_words;
  };

  PolicyProfile() = default;

  // The one validation behind FromJson and FromRules; errors are `<prefix><field>: <rule>`.
  static absl::StatusOr<PolicyProfile> Validate(const common::v1::PolicyRules& rules,
                                                std::string_view prefix);

  std::string name_;
  std::string description_;
  std::set<common::v1::ProviderType> issuer_types_;
  std::set<common::v1::ProviderType> ects_types_;
  std::vector<ProtectedTitle> protected_titles_;
  double min_certificate_ects_ = 0;
};

// The provider type as errors and logs show it: the enum value name without its
// "PROVIDER_TYPE_" prefix ("HIGHER_EDUCATION"), or the number for a value this build does not
// know.
std::string ProviderTypeLabel(common::v1::ProviderType type);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_POLICY_PROFILE_H_
