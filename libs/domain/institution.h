// What the domain needs to know about an institution of the ecosystem, as the trust registry
// records it. Validators receive these facts (or a lookup returning them) instead of reading
// the registry, so that they stay pure.
#ifndef MICROCRED_LIBS_DOMAIN_INSTITUTION_H_
#define MICROCRED_LIBS_DOMAIN_INSTITUTION_H_

#include <functional>
#include <optional>
#include <string>

#include "microcred/common/v1/common.pb.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::domain {

struct InstitutionFacts {
  std::string institution_id;
  common::v1::ProviderType provider_type = common::v1::PROVIDER_TYPE_UNSPECIFIED;
  bool suspended = false;
  std::string legal_name;  // as its root admitted it: the only name it goes by
};

// Returns the registered facts of an institution, or std::nullopt when the registry does not
// know it. Called synchronously during validation; must not block for long.
using InstitutionLookup =
    std::function<std::optional<InstitutionFacts>(const std::string& institution_id)>;

// The facts of a registry member.
InstitutionFacts InstitutionFactsFromMember(const registry::v1::Member& member);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_INSTITUTION_H_
