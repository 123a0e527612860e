#include "libs/credentials/internal/checked_build.h"

#include "libs/credentials/internal/strings.h"
#include "libs/crypto/crypto.h"

namespace microcred::credentials::internal {

absl::StatusOr<nlohmann::json> CheckedBuild(
    const CredentialFacts& facts,
    const std::function<nlohmann::json(const CredentialFacts&)>& build) {
  if (auto status = ValidateCredentialFacts(facts); !status.ok()) return status;
  if (auto status = crypto::InitCrypto(); !status.ok()) return status;
  try {
    nlohmann::json document = build(facts);
    // dump() is where invalid UTF-8 is found; finding it here means callers' dump() never
    // throws.
    (void)document.dump();
    return document;
  } catch (const nlohmann::json::type_error& e) {
    return absl::InvalidArgumentError(
        Cat("credential facts: a text is not valid UTF-8 (", e.what(), ")"));
  } catch (const nlohmann::json::exception& e) {
    return absl::InternalError(Cat("building the credential document: ", e.what()));
  }
}

}  // namespace microcred::credentials::internal
