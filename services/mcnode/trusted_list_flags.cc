#include "services/mcnode/trusted_list_flags.h"

#include <string>

namespace microcred {

std::vector<host::ConfigOption> TrustedListConfigOptions() {
  return {
      {"trusted-list-file",
       "the CAs trusted to certify e-seals of European Digital Credentials: a PEM bundle or an "
       "ETSI TS 119 612 trusted list (XML); default none: no seal is trusted"},
  };
}

absl::StatusOr<jades::TrustAnchors> TrustedListFromConfig(const host::Config& config) {
  absl::StatusOr<std::string> path = config.GetString("trusted-list-file", "");
  if (!path.ok()) return path.status();
  if (path->empty()) return jades::TrustAnchors();
  absl::StatusOr<jades::TrustAnchors> anchors = jades::TrustAnchors::LoadFile(*path);
  if (!anchors.ok()) {
    return absl::Status(anchors.status().code(),
                        "--trusted-list-file: " + std::string(anchors.status().message()));
  }
  return anchors;
}

}  // namespace microcred
