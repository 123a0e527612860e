// The Council Recommendation's rules alone (the built-in "eu" policy profile), parsed once: what
// applies before an ecosystem's registry states its own, and wherever no ecosystem's rules can be
// told. Thread-safe.
#ifndef MICROCRED_LIBS_DOMAIN_RECOMMENDATION_PROFILE_H_
#define MICROCRED_LIBS_DOMAIN_RECOMMENDATION_PROFILE_H_

#include "libs/domain/policy_profile.h"

namespace microcred::domain {

const PolicyProfile& RecommendationProfile();

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_RECOMMENDATION_PROFILE_H_
