#include "libs/status_list/status_list_credential.h"

#include "absl/time/time.h"

namespace microcred::status_list {
namespace {

constexpr char kCredentialsV2Context[] = "https://www.w3.org/ns/credentials/v2";

std::string Rfc3339Utc(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", absl::FromUnixMillis(unix_ms),
                          absl::UTCTimeZone());
}

}  // namespace

std::string_view StatusPurposeName(StatusPurpose purpose) {
  switch (purpose) {
    case StatusPurpose::kRevocation:
      return "revocation";
    case StatusPurpose::kSuspension:
      return "suspension";
  }
  return "revocation";  // unreachable: every enumerator is handled above
}

absl::StatusOr<StatusPurpose> ParseStatusPurpose(std::string_view name) {
  for (StatusPurpose purpose : {StatusPurpose::kRevocation, StatusPurpose::kSuspension}) {
    if (name == StatusPurposeName(purpose)) return purpose;
  }
  return absl::InvalidArgumentError("statusPurpose: must be \"revocation\" or \"suspension\"");
}

nlohmann::json BuildStatusListCredential(const std::string& id,
                                         const std::string& issuer_profile_url,
                                         StatusPurpose purpose, const StatusBitstring& bits,
                                         int64_t valid_from_ms) {
  return {
      {"@context", nlohmann::json::array({kCredentialsV2Context})},
      {"id", id},
      {"type", nlohmann::json::array({"VerifiableCredential", "BitstringStatusListCredential"})},
      {"issuer", issuer_profile_url},
      {"validFrom", Rfc3339Utc(valid_from_ms)},
      {"credentialSubject",
       {
           {"id", id + "#list"},
           {"type", "BitstringStatusList"},
           {"statusPurpose", std::string(StatusPurposeName(purpose))},
           {"encodedList", bits.Encode()},
       }},
  };
}

nlohmann::json BuildStatusListEntry(const std::string& status_list_credential_url,
                                    StatusPurpose purpose, int64_t index) {
  const std::string index_text = std::to_string(index);
  return {
      {"id", status_list_credential_url + "#" + index_text},
      {"type", "BitstringStatusListEntry"},
      {"statusPurpose", std::string(StatusPurposeName(purpose))},
      {"statusListIndex", index_text},
      {"statusListCredential", status_list_credential_url},
  };
}

}  // namespace microcred::status_list
