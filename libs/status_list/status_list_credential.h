// The JSON of W3C Bitstring Status List v1.0 documents: the BitstringStatusListCredential an
// issuer publishes (unsigned here; the node secures it as a JWS like any other credential), the
// BitstringStatusListEntry a credential carries as its `credentialStatus`, and the platform's
// purposes, list URLs and message codes they are written with.
//
// Pure and deterministic: the same arguments give the same JSON, and nlohmann::json orders
// object keys, so dump() gives the same bytes too.
#ifndef MICROCRED_LIBS_STATUS_LIST_STATUS_LIST_CREDENTIAL_H_
#define MICROCRED_LIBS_STATUS_LIST_STATUS_LIST_CREDENTIAL_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "libs/status_list/status_list.h"
#include "nlohmann/json.hpp"

namespace microcred::status_list {

// What an entry of a list means. One list serves one purpose: the platform keeps three lists of
// an issuer, all at the credential's one index.
enum class StatusPurpose {
  kRevocation,  // 1 bit: final, a revoked credential is never valid again
  kSuspension,  // 1 bit: reversible
  kMessage,     // 2 bits: one of the codes of kMessageStatuses
};

// "revocation", "suspension" or "message", as the spec spells them.
std::string_view StatusPurposeName(StatusPurpose purpose);
// The inverse; InvalidArgument for any other string (the spec's "refresh" included: the platform
// does not use it).
absl::StatusOr<StatusPurpose> ParseStatusPurpose(std::string_view name);
// The bits of one entry: 2 for kMessage, 1 otherwise.
int StatusSizeOf(StatusPurpose purpose);

// Where an issuer publishes the list of `purpose`: `status_base_url` + "/" + its name. The base
// itself (e.g. "https://uclouvain.example/institutions/uclouvain/status") answers
// BuildStatusReference, the `statusReference` of the message entries.
std::string StatusListUrl(std::string_view status_base_url, StatusPurpose purpose);

// The codes of the platform's "message" list (statusSize 2), one per credential.
enum MessageStatus : uint32_t {
  kMessageActive = 0,
  kMessageRevoked = 1,
  kMessageSuspended = 2,
  kMessageUndefined = 3,  // never set: the spec's word for a value that means nothing (yet)
};

struct StatusMessage {
  uint32_t status;
  std::string_view message;      // the spec's `message`: a word for developers
  std::string_view description;  // what the code means, for the statusReference document
};

// Every value of a message entry in order, 0x0 to 0x3: active, revoked, suspended, undefined.
inline constexpr std::array<StatusMessage, 4> kMessageStatuses = {{
    {kMessageActive, "active", "Neither revoked nor suspended: the issuer stands by it."},
    {kMessageRevoked, "revoked", "Withdrawn by the issuer for good: never valid again."},
    {kMessageSuspended, "suspended",
     "Withdrawn by the issuer for the time being: it may be reinstated (back to 0x0) or revoked."},
    {kMessageUndefined, "undefined", "Not used."},
}};

// The spec's `status` of a message: "0x" + lower-case hex, "0x2".
std::string StatusHex(uint32_t status);
// [{"status": "0x0", "message": "active"}, ...]: an entry's `statusMessage` and a message list's
// `statusMessages`, the same four in the same order.
nlohmann::json StatusMessagesJson();

// The unsigned BitstringStatusListCredential published at `id` (a URL):
//   {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": id,
//    "type": ["VerifiableCredential", "BitstringStatusListCredential"],
//    "issuer": issuer_profile_url, "validFrom": <RFC 3339 UTC>,
//    "credentialSubject": {"id": id + "#list", "type": "BitstringStatusList",
//                          "statusPurpose": ..., "encodedList": list.Encode()}}
// For kMessage the subject also has "statusSize": 2 and the messages, under both names the spec
// uses: "statusMessages" (its list section) and "statusMessage" (its entry, and the v2 context's
// term on the list). `valid_from_ms` is milliseconds since the Unix epoch; validFrom shows
// fractional seconds only when they are not zero ("2024-04-05T14:27:40Z",
// "2024-04-05T14:27:40.25Z"). InvalidArgument when list.status_size() is not
// StatusSizeOf(purpose).
absl::StatusOr<nlohmann::json> BuildStatusListCredential(const std::string& id,
                                                         const std::string& issuer_profile_url,
                                                         StatusPurpose purpose,
                                                         const StatusList& list,
                                                         int64_t valid_from_ms);

// The `credentialStatus` of a credential whose status is entry `index` of the list published at
// `status_list_credential_url`:
//   {"id": url + "#" + index, "type": "BitstringStatusListEntry", "statusPurpose": ...,
//    "statusListIndex": "<index in base 10>", "statusListCredential": url}
// For kMessage also "statusSize": 2, "statusMessage": StatusMessagesJson() and, when not empty,
// "statusReference": status_reference_url.
nlohmann::json BuildStatusListEntry(const std::string& status_list_credential_url,
                                    StatusPurpose purpose, int64_t index,
                                    const std::string& status_reference_url = "");

// The document served at `status_base_url` (an entry's statusReference): which lists the issuer
// `issuer_profile_url` publishes there, and what each code of the message list means.
nlohmann::json BuildStatusReference(const std::string& status_base_url,
                                    const std::string& issuer_profile_url);

}  // namespace microcred::status_list

#endif  // MICROCRED_LIBS_STATUS_LIST_STATUS_LIST_CREDENTIAL_H_
