// Client request ids: every command carries one, so that a retried command is answered with the
// first result and never writes a second event.
#ifndef MICROCRED_LIBS_EVENTS_REQUEST_IDS_H_
#define MICROCRED_LIBS_EVENTS_REQUEST_IDS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "libs/crypto/crypto.h"

namespace microcred::events {

// 1 to 128 characters from [A-Za-z0-9._:-] (a UUID, a ULID, "cohort-2026/row-17" is refused).
inline absl::Status ValidateRequestId(std::string_view request_id) {
  bool ok = !request_id.empty() && request_id.size() <= 128;
  for (char c : request_id) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == ':' || c == '-');
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        "request_id: required, 1 to 128 characters from [A-Za-z0-9._:-]");
  }
  return absl::OkStatus();
}

// The event id of the event a command with this request id writes: the same for every retry,
// so consumers apply it once even if a crash made the client retry after the append.
inline std::string EventIdForRequest(std::string_view institution_id, std::string_view request_id) {
  std::string material(institution_id);
  material.push_back('\0');
  material.append(request_id);
  return crypto::HexEncode(crypto::Sha256(material)).substr(0, 32);
}

}  // namespace microcred::events

#endif  // MICROCRED_LIBS_EVENTS_REQUEST_IDS_H_
