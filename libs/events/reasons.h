// Why a consumer refuses an event. Each refusal is an absl::Status whose message starts with a
// reason code and a colon ("NOT_OWNER: ..."); the code goes to the dead-letter record and to the
// per-reason counters.
#ifndef MICROCRED_LIBS_EVENTS_REASONS_H_
#define MICROCRED_LIBS_EVENTS_REASONS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace microcred::events {

namespace reason {
inline constexpr char kMalformed[] = "MALFORMED";
inline constexpr char kOversized[] = "OVERSIZED";
inline constexpr char kBadSignature[] = "BAD_SIGNATURE";
inline constexpr char kUntrustedRoot[] = "UNTRUSTED_ROOT";
inline constexpr char kUnknownInstitution[] = "UNKNOWN_INSTITUTION";
inline constexpr char kSuspendedInstitution[] = "SUSPENDED_INSTITUTION";
inline constexpr char kUnknownKey[] = "UNKNOWN_KEY";
inline constexpr char kRetiredKey[] = "RETIRED_KEY";
inline constexpr char kUnsupportedSchema[] = "UNSUPPORTED_SCHEMA";
inline constexpr char kUnknownEventType[] = "UNKNOWN_EVENT_TYPE";
inline constexpr char kInvalidPayload[] = "INVALID_PAYLOAD";
inline constexpr char kNotOwner[] = "NOT_OWNER";
inline constexpr char kConflict[] = "CONFLICT";
inline constexpr char kDuplicateEvent[] = "DUPLICATE_EVENT";
inline constexpr char kPolicyViolation[] = "POLICY_VIOLATION";
// The event states another ecosystem than the one whose log it was read from.
inline constexpr char kWrongEcosystem[] = "WRONG_ECOSYSTEM";
}  // namespace reason

// A refusal: FAILED_PRECONDITION with "CODE: detail".
inline absl::Status Reject(std::string_view code, std::string_view detail) {
  return absl::FailedPreconditionError(std::string(code) + ": " + std::string(detail));
}
inline absl::Status Reject(std::string_view code, const absl::Status& cause) {
  return Reject(code, std::string(cause.message()));
}

// The reason code of a refusal made by Reject ("INVALID_PAYLOAD" when there is none).
inline std::string ReasonCode(const absl::Status& refusal) {
  const std::string message(refusal.message());
  std::string_view m = message;
  size_t colon = m.find(':');
  if (colon == std::string_view::npos || colon == 0) return reason::kInvalidPayload;
  for (char c : m.substr(0, colon)) {
    if (!(c == '_' || (c >= 'A' && c <= 'Z'))) return reason::kInvalidPayload;
  }
  return std::string(m.substr(0, colon));
}

// The reason code for a domain rule's refusal, by its status code: PERMISSION_DENIED is
// NOT_OWNER; NOT_FOUND, ALREADY_EXISTS and ABORTED are CONFLICT; FAILED_PRECONDITION is
// POLICY_VIOLATION; anything else is INVALID_PAYLOAD.
inline std::string ReasonForDecision(const absl::Status& refusal) {
  switch (refusal.code()) {
    case absl::StatusCode::kPermissionDenied:
      return reason::kNotOwner;
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return reason::kConflict;
    case absl::StatusCode::kFailedPrecondition:
      return reason::kPolicyViolation;
    default:
      return reason::kInvalidPayload;
  }
}

// A domain rule's refusal as a consumer refusal (see Reject).
inline absl::Status RejectDecision(const absl::Status& refusal) {
  return Reject(ReasonForDecision(refusal), refusal);
}

}  // namespace microcred::events

#endif  // MICROCRED_LIBS_EVENTS_REASONS_H_
