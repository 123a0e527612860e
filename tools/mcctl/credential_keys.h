// The credential keys an operator registers with `mcctl registry admit` and `rotate-key`
// (--credential-key), typed by the algorithm they sign with:
//   es256:<base64url DER SubjectPublicKeyInfo of a P-256 key>
//   rs256:<base64url DER SubjectPublicKeyInfo of an RSA key>
// as `mcctl key create --algorithm=es256|rs256` prints them. Several are comma-separated.
#ifndef MICROCRED_TOOLS_MCCTL_CREDENTIAL_KEYS_H_
#define MICROCRED_TOOLS_MCCTL_CREDENTIAL_KEYS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::mcctl {

// The registry entries of `text` (empty: none), each under its fingerprint. InvalidArgument
// naming `flag` and the entry: an unknown prefix, text that is not base64url, a key that is not
// of its prefix's kind, or the same key twice.
absl::StatusOr<std::vector<registry::v1::PublicKey>> ParseCredentialKeys(std::string_view text,
                                                                         std::string_view flag);

// "es256:<base64url>" or "rs256:<base64url>" for a registered P-256 or RSA key.
std::string CredentialKeyText(const registry::v1::PublicKey& key);

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_CREDENTIAL_KEYS_H_
