// The catalogue's rules, as pure decisions over (event, current state).
//
// One set of functions guards both sides: the command handlers call them before anything is
// written (so a refused command changes nothing), and every node's projection calls them again
// on each event it consumes (so an event forged for another institution, or stale, is refused
// everywhere and goes to the dead-letter topic).
//
// Errors name the field and the rule: PERMISSION_DENIED (not the owner), NOT_FOUND,
// ALREADY_EXISTS, ABORTED (the version moved on), FAILED_PRECONDITION (withdrawn, policy,
// registry), INVALID_ARGUMENT (malformed content).
//
// A specification lives in the ecosystem it was published in (Author::ecosystem_id, recorded as
// Specification.ecosystem_id): its id is one name across every ecosystem, so a publication,
// revision or withdrawal of an id recorded in another ecosystem is ALREADY_EXISTS (a consumer's
// CONFLICT), naming both ecosystems. A provider profile is the author's in its ecosystem.
#ifndef MICROCRED_SERVICES_CATALOGUE_CATALOGUE_RULES_H_
#define MICROCRED_SERVICES_CATALOGUE_CATALOGUE_RULES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/domain/institution.h"
#include "libs/domain/policy_profile.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::catalogue {

struct RuleContext {
  domain::PolicyProfile profile;  // the rules of the act's ecosystem (its registry's)
  domain::InstitutionLookup lookup;
};

// Who wrote the event, when (the event's own occurred-at, so a replay decides the same way) and
// where: the ecosystem whose log the event is in (for a command, the one it writes to).
struct Author {
  std::string institution_id;
  int64_t at_ms = 0;
  std::string ecosystem_id;
};

absl::StatusOr<v1::Specification> DecidePublish(const v1::Specification& proposed,
                                                const Author& author,
                                                const std::optional<v1::Specification>& current,
                                                const RuleContext& ctx);

absl::StatusOr<v1::Specification> DecideRevise(const v1::Specification& proposed,
                                               const Author& author,
                                               const std::optional<v1::Specification>& current,
                                               const RuleContext& ctx);

absl::StatusOr<v1::Specification> DecideWithdraw(const v1::SpecificationWithdrawn& withdrawal,
                                                 const Author& author,
                                                 const std::optional<v1::Specification>& current);

absl::StatusOr<v1::ProviderProfile> DecideProfile(const v1::ProviderProfile& proposed,
                                                  const Author& author,
                                                  const registry::v1::Member* registered);

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_RULES_H_
