#include "libs/domain/institution.h"

namespace microcred::domain {

InstitutionFacts InstitutionFactsFromMember(const registry::v1::Member& member) {
  return InstitutionFacts{.institution_id = member.admitted().institution_id(),
                          .provider_type = member.admitted().provider_type(),
                          .suspended = member.suspended(),
                          .legal_name = member.admitted().legal_name()};
}

}  // namespace microcred::domain
