// The frame both builders run in: validate the facts, start the crypto library, build, and make
// sure the result serialises, with nlohmann::json's exceptions caught here so that none crosses
// the module's API. Internal to libs/credentials.
#ifndef MICROCRED_LIBS_CREDENTIALS_INTERNAL_CHECKED_BUILD_H_
#define MICROCRED_LIBS_CREDENTIALS_INTERNAL_CHECKED_BUILD_H_

#include <functional>

#include "absl/status/statusor.h"
#include "libs/credentials/credential_facts.h"
#include "nlohmann/json.hpp"

namespace microcred::credentials::internal {

absl::StatusOr<nlohmann::json> CheckedBuild(
    const CredentialFacts& facts,
    const std::function<nlohmann::json(const CredentialFacts&)>& build);

}  // namespace microcred::credentials::internal

#endif  // MICROCRED_LIBS_CREDENTIALS_INTERNAL_CHECKED_BUILD_H_
