// The e-seal trust anchors from the node's flags: mcnode's --trusted-list-file (a PEM bundle or
// an ETSI TS 119 612 trusted list, libs/jades/trust_anchors.h), which the EdcVerifier of
// European Digital Credentials checks seal certificates against. Errors name the flag and are
// found at start-up.
//
// Wiring (the node's composition root): register TrustedListConfigOptions() with the other
// options; at start, TrustedListFromConfig(config), and when it holds anchors, add
//   std::make_unique<verification::EdcVerifier>(*anchors, <status check or nullptr>)
// to the PresentedCredentialVerifier's outside verifiers. Without the flag, an EdcVerifier with
// no anchors still recognises EDCs and reports "certificate: no trust anchors are configured
// (--trusted-list-file)".
#ifndef MICROCRED_SERVICES_MCNODE_TRUSTED_LIST_FLAGS_H_
#define MICROCRED_SERVICES_MCNODE_TRUSTED_LIST_FLAGS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "libs/host/config.h"
#include "libs/jades/trust_anchors.h"

namespace microcred {

// --trusted-list-file.
std::vector<host::ConfigOption> TrustedListConfigOptions();

// The anchors of --trusted-list-file; none (an empty TrustAnchors) when the flag is not set.
// NotFound "--trusted-list-file: trusted list file <path>: cannot be opened", InvalidArgument
// "--trusted-list-file: file <path>: trusted list: ..." for a file that holds no anchor.
absl::StatusOr<jades::TrustAnchors> TrustedListFromConfig(const host::Config& config);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_TRUSTED_LIST_FLAGS_H_
