// Credentials from outside the ecosystem, from mcnode's flags: the verifiers the node's
// dispatcher asks after the ecosystem's own (libs/verification/presented_credential.h), and
// how holder proofs' keys are found.
//
//   --accept-outside-credentials  (default true) Open Badges 3.0 / VC 2.0 JWTs from any issuer
//                                 (OutsideJwtVerifier, keys and status lists fetched through
//                                 the node's HTTP client) and JAdES-sealed European Digital
//                                 Credentials (EdcVerifier); false: refused, "credentials from
//                                 outside the ecosystem are not accepted by this node".
//   --trusted-list-file           the e-seal trust anchors (trusted_list_flags.h: a PEM bundle
//                                 or an ETSI TS 119 612 list); unset: no seal is trusted,
//                                 every EDC fails its certificate check, said so.
// Default on because the HTTP client is safe by default (https only, TLS verified, private
// addresses refused, bounded, cached) and an outside credential is never recognised on its
// own: only a policy naming its issuer decides it, otherwise an officer reviews it with its
// basis stated. Errors name the flag, found at start-up.
#ifndef MICROCRED_SERVICES_MCNODE_OUTSIDE_FLAGS_H_
#define MICROCRED_SERVICES_MCNODE_OUTSIDE_FLAGS_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/host/config.h"
#include "libs/ports/http_fetcher.h"
#include "libs/verification/edc_verifier.h"
#include "libs/verification/format_verifier.h"
#include "libs/verification/holder_binding.h"

namespace microcred {

std::vector<host::ConfigOption> OutsideCredentialConfigOptions();

// What NodeOptions takes (outside_verifiers, holder_keys).
struct OutsideCredentialSetup {
  bool accepted = false;
  size_t trust_anchors = 0;  // from --trusted-list-file
  std::function<std::vector<std::unique_ptr<verification::FormatVerifier>>()> verifiers;
  verification::HolderKeyResolver holder_keys;
};

// The status check the node's EdcVerifier runs (edc_verifier.h): a BitstringStatusListEntry, or
// ELM's URI form as our export writes it (OutsideStatusChecker::CheckStatusUri), read through
// `fetcher`, which must outlive it; any other form "not checked".
verification::EdcStatusCheck EdcStatusCheckOver(HttpFetcher& fetcher);

// From the flags; `fetcher` (the node's) must outlive what it returns.
absl::StatusOr<OutsideCredentialSetup> OutsideCredentialsFromConfig(const host::Config& config,
                                                                    HttpFetcher& fetcher);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_OUTSIDE_FLAGS_H_
