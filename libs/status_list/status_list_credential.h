// The JSON of W3C Bitstring Status List v1.0 documents: the BitstringStatusListCredential an
// issuer publishes (unsigned here; the node secures it as a JWS like any other credential), and
// the BitstringStatusListEntry each issued credential carries as its `credentialStatus`.
//
// Pure and deterministic: the same arguments give the same JSON, and nlohmann::json orders
// object keys, so dump() gives the same bytes too.
#ifndef MICROCRED_LIBS_STATUS_LIST_STATUS_LIST_CREDENTIAL_H_
#define MICROCRED_LIBS_STATUS_LIST_STATUS_LIST_CREDENTIAL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "libs/status_list/bitstring.h"
#include "nlohmann/json.hpp"

namespace microcred::status_list {

// What a set bit means. One list serves one purpose: an issuer that suspends as well as
// revokes keeps two lists, and each credential carries one entry per list.
enum class StatusPurpose {
  kRevocation,  // final: a revoked credential is never valid again
  kSuspension,  // reversible
};

// "revocation" or "suspension", as the spec spells them.
std::string_view StatusPurposeName(StatusPurpose purpose);
// The inverse; InvalidArgument for any other string (the spec's "refresh" and "message"
// included: the platform does not use them).
absl::StatusOr<StatusPurpose> ParseStatusPurpose(std::string_view name);

// The unsigned BitstringStatusListCredential published at `id` (a URL):
//   {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": id,
//    "type": ["VerifiableCredential", "BitstringStatusListCredential"],
//    "issuer": issuer_profile_url, "validFrom": <RFC 3339 UTC>,
//    "credentialSubject": {"id": id + "#list", "type": "BitstringStatusList",
//                          "statusPurpose": ..., "encodedList": bits.Encode()}}
// `valid_from_ms` is milliseconds since the Unix epoch; validFrom shows fractional seconds
// only when they are not zero ("2024-04-05T14:27:40Z", "2024-04-05T14:27:40.25Z").
nlohmann::json BuildStatusListCredential(const std::string& id,
                                         const std::string& issuer_profile_url,
                                         StatusPurpose purpose, const StatusBitstring& bits,
                                         int64_t valid_from_ms);

// The `credentialStatus` of a credential whose status is bit `index` of the list published at
// `status_list_credential_url`:
//   {"id": url + "#" + index, "type": "BitstringStatusListEntry", "statusPurpose": ...,
//    "statusListIndex": "<index in base 10>", "statusListCredential": url}
nlohmann::json BuildStatusListEntry(const std::string& status_list_credential_url,
                                    StatusPurpose purpose, int64_t index);

}  // namespace microcred::status_list

#endif  // MICROCRED_LIBS_STATUS_LIST_STATUS_LIST_CREDENTIAL_H_
