#include "services/mcnode/outside_flags.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "libs/jades/trust_anchors.h"
#include "libs/verification/edc_verifier.h"
#include "libs/verification/key_discovery.h"
#include "libs/verification/outside_jwt_verifier.h"
#include "libs/verification/outside_status.h"
#include "services/mcnode/trusted_list_flags.h"

namespace microcred {
namespace {

using nlohmann::json;

// The status lists of EDCs, read as an Open Badge's are (outside_status.h), shared by the
// verifiers of the node's processes.
struct EdcStatusLists {
  explicit EdcStatusLists(HttpFetcher& fetcher) : keys(fetcher, {}), checker(keys) {}
  verification::KeyDiscovery keys;
  verification::OutsideStatusChecker checker;
};

// An EDC's credentialStatus is checked when it is a BitstringStatusListEntry (or a list of
// them), or ELM's own form, a URI literal, when it names an entry of a list as our export
// writes it ("<list URL>#<index>": the issuer's message list, which must then be the
// credential issuer's, signed by its key). Any other form is not checked, and said so (as
// EdcVerifier without a status check).
verification::EdcStatusCheck StatusCheck(std::shared_ptr<EdcStatusLists> lists) {
  return [lists = std::move(lists)](const json& credential, const std::string& issuer_id,
                                    absl::Time now) {
    auto it = credential.find("credentialStatus");
    if (it == credential.end()) {
      return verification::EdcStatus{issuance::v1::CREDENTIAL_STATUS_ACTIVE, true,
                                     "the credential names no status list"};
    }
    if (auto status = lists->checker.CheckStatusUri(*it, issuer_id, now, absl::Minutes(5))) {
      return verification::EdcStatus{status->status, status->passed, status->detail};
    }
    const json entries = it->is_array() ? *it : json::array({*it});
    for (const json& entry : entries) {
      if (!entry.is_object() || entry.value("type", json()) != "BitstringStatusListEntry") {
        return verification::EdcStatus{
            issuance::v1::CREDENTIAL_STATUS_UNSPECIFIED, true,
            "not checked: the credential's status is not a BitstringStatusListEntry"};
      }
    }
    const verification::OutsideStatus status =
        lists->checker.Check(it->dump(), issuer_id, now, absl::Minutes(5));
    return verification::EdcStatus{status.status, status.passed, status.detail};
  };
}

}  // namespace

verification::EdcStatusCheck EdcStatusCheckOver(HttpFetcher& fetcher) {
  return StatusCheck(std::make_shared<EdcStatusLists>(fetcher));
}

std::vector<host::ConfigOption> OutsideCredentialConfigOptions() {
  std::vector<host::ConfigOption> options = {
      {"accept-outside-credentials",
       "verify credentials from outside the ecosystem (Open Badges / VC JWTs of any issuer, "
       "sealed European Digital Credentials) for recognition and stacking (default true)"}};
  for (host::ConfigOption& option : TrustedListConfigOptions()) options.push_back(option);
  return options;
}

absl::StatusOr<OutsideCredentialSetup> OutsideCredentialsFromConfig(const host::Config& config,
                                                                    HttpFetcher& fetcher) {
  OutsideCredentialSetup setup;
  auto accept = config.GetBool("accept-outside-credentials", true);
  if (!accept.ok()) return accept.status();
  auto loaded = TrustedListFromConfig(config);
  if (!loaded.ok()) return loaded.status();
  const jades::TrustAnchors anchors = *std::move(loaded);
  setup.accepted = *accept;
  setup.trust_anchors = anchors.anchors().size();
  // Holder proofs name a learner's DID: did:key decoded here, did:web fetched as an issuer's.
  auto holder_keys =
      std::make_shared<verification::KeyDiscovery>(fetcher, verification::KeyDiscoveryOptions{});
  setup.holder_keys = [holder_keys](const jose::ParsedJws& proof,
                                    const std::string& did) -> absl::StatusOr<jose::JwkPublicKey> {
    auto found = holder_keys->FindIssuerKey(proof, did);
    if (!found.ok()) return found.status();
    return found->key;
  };
  if (!setup.accepted) return setup;
  const verification::EdcStatusCheck status_check = EdcStatusCheckOver(fetcher);
  setup.verifiers = [&fetcher, anchors, status_check] {
    std::vector<std::unique_ptr<verification::FormatVerifier>> verifiers;
    verifiers.push_back(std::make_unique<verification::OutsideJwtVerifier>(fetcher));
    verifiers.push_back(std::make_unique<verification::EdcVerifier>(anchors, status_check));
    return verifiers;
  };
  return setup;
}

}  // namespace microcred
