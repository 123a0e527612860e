// The status of a credential from outside the ecosystem, from the status list its issuer
// publishes (W3C Bitstring Status List v1.0; docs/CREDENTIALS.md, "Credentials from outside the
// ecosystem").
//
// For each credentialStatus entry of type BitstringStatusListEntry (statusPurpose revocation,
// suspension or message; statusSize 1 or 2; statusListIndex a base-10 string), the list
// credential at statusListCredential is fetched through the HttpFetcher and must be:
//   - a compact JWS (either securing profile). A list served as JSON with an embedded proof
//     (Data Integrity) is not checked: this node verifies JOSE only;
//   - a BitstringStatusListCredential whose issuer is the credential's issuer, signed by a key
//     of that issuer found as the credential's was (key_discovery.h): a list signed by another
//     issuer says nothing about this credential;
//   - within its validity period, its statusPurpose the entry's;
//   - an encodedList libs/status_list decodes, with the index inside it.
// Then: revocation bit set -> REVOKED; suspension bit set -> SUSPENDED; message list -> the
// value's statusMessage ("revoked" / "suspended" map to those; 0x0 is active; any other value
// is UNDETERMINED, said with its message). Any failure above: UNDETERMINED, "status could not
// be determined: <reason>". No credentialStatus: ACTIVE, "the credential names no status
// list". Entries of other types are UNDETERMINED (a status the node cannot read is not a
// clean bill). Several entries: the worst wins (revoked, suspended, undetermined, active).
//
// Thread-safe when the fetcher is.
#ifndef MICROCRED_LIBS_VERIFICATION_OUTSIDE_STATUS_H_
#define MICROCRED_LIBS_VERIFICATION_OUTSIDE_STATUS_H_

#include <string>

#include "absl/time/time.h"
#include "libs/verification/key_discovery.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "nlohmann/json.hpp"

namespace microcred::verification {

// A status list credential larger than this is refused (the fetcher's own limit may be lower).
inline constexpr size_t kMaxStatusListBytes = 1024 * 1024;

struct OutsideStatus {
  issuance::v1::CredentialStatus status = issuance::v1::CREDENTIAL_STATUS_UNDETERMINED;
  bool passed = false;  // the report's "status" check: only ACTIVE passes
  std::string detail;
};

// The status of `credential` (the verified payload) issued by `issuer_id`, at `now`, lists'
// validity read with `skew`.
OutsideStatus CheckOutsideStatus(const nlohmann::json& credential, const std::string& issuer_id,
                                 const KeyDiscovery& keys, absl::Time now, absl::Duration skew);

}  // namespace microcred::verification

#endif  // MICROCRED_LIBS_VERIFICATION_OUTSIDE_STATUS_H_
