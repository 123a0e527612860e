#include "libs/status_list/status_list_credential.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace microcred::status_list {
namespace {

constexpr char kCredentialsV2Context[] = "https://www.w3.org/ns/credentials/v2";
constexpr char kSpecificationUrl[] = "https://www.w3.org/TR/vc-bitstring-status-list/";
constexpr StatusPurpose kPurposes[] = {StatusPurpose::kRevocation, StatusPurpose::kSuspension,
                                       StatusPurpose::kMessage};

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
    case StatusPurpose::kMessage:
      return "message";
  }
  return "revocation";  // unreachable: every enumerator is handled above
}

absl::StatusOr<StatusPurpose> ParseStatusPurpose(std::string_view name) {
  for (StatusPurpose purpose : kPurposes) {
    if (name == StatusPurposeName(purpose)) return purpose;
  }
  return absl::InvalidArgumentError(
      "statusPurpose: must be \"revocation\", \"suspension\" or \"message\"");
}

int StatusSizeOf(StatusPurpose purpose) { return purpose == StatusPurpose::kMessage ? 2 : 1; }

std::string StatusListUrl(std::string_view status_base_url, StatusPurpose purpose) {
  std::string url(status_base_url);
  url += '/';
  url += StatusPurposeName(purpose);
  return url;
}

std::string StatusHex(uint32_t status) { return absl::StrFormat("0x%x", status); }

nlohmann::json StatusMessagesJson() {
  nlohmann::json messages = nlohmann::json::array();
  for (const StatusMessage& m : kMessageStatuses) {
    messages.push_back({{"status", StatusHex(m.status)}, {"message", std::string(m.message)}});
  }
  return messages;
}

absl::StatusOr<nlohmann::json> BuildStatusListCredential(const std::string& id,
                                                         const std::string& issuer_profile_url,
                                                         StatusPurpose purpose,
                                                         const StatusList& list,
                                                         int64_t valid_from_ms) {
  if (list.status_size() != StatusSizeOf(purpose)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "status list: purpose \"", std::string(StatusPurposeName(purpose)), "\" takes ",
        StatusSizeOf(purpose), " bits per entry; the list has ", list.status_size()));
  }
  nlohmann::json subject = {
      {"id", id + "#list"},
      {"type", "BitstringStatusList"},
      {"statusPurpose", std::string(StatusPurposeName(purpose))},
      {"encodedList", list.Encode()},
  };
  if (purpose == StatusPurpose::kMessage) {
    subject["statusSize"] = list.status_size();
    subject["statusMessages"] = StatusMessagesJson();
    subject["statusMessage"] = StatusMessagesJson();
  }
  return nlohmann::json{
      {"@context", nlohmann::json::array({kCredentialsV2Context})},
      {"id", id},
      {"type", nlohmann::json::array({"VerifiableCredential", "BitstringStatusListCredential"})},
      {"issuer", issuer_profile_url},
      {"validFrom", Rfc3339Utc(valid_from_ms)},
      {"credentialSubject", std::move(subject)},
  };
}

nlohmann::json BuildStatusListEntry(const std::string& status_list_credential_url,
                                    StatusPurpose purpose, int64_t index,
                                    const std::string& status_reference_url) {
  const std::string index_text = std::to_string(index);
  nlohmann::json entry = {
      {"id", status_list_credential_url + "#" + index_text},
      {"type", "BitstringStatusListEntry"},
      {"statusPurpose", std::string(StatusPurposeName(purpose))},
      {"statusListIndex", index_text},
      {"statusListCredential", status_list_credential_url},
  };
  if (purpose == StatusPurpose::kMessage) {
    entry["statusSize"] = StatusSizeOf(purpose);
    entry["statusMessage"] = StatusMessagesJson();
    if (!status_reference_url.empty()) entry["statusReference"] = status_reference_url;
  }
  return entry;
}

nlohmann::json BuildStatusReference(const std::string& status_base_url,
                                    const std::string& issuer_profile_url) {
  nlohmann::json lists = nlohmann::json::array();
  for (StatusPurpose purpose :
       {StatusPurpose::kMessage, StatusPurpose::kRevocation, StatusPurpose::kSuspension}) {
    lists.push_back({{"statusPurpose", std::string(StatusPurposeName(purpose))},
                     {"statusSize", StatusSizeOf(purpose)},
                     {"statusListCredential", StatusListUrl(status_base_url, purpose)}});
  }
  nlohmann::json messages = nlohmann::json::array();
  for (const StatusMessage& m : kMessageStatuses) {
    messages.push_back({{"status", StatusHex(m.status)},
                        {"message", std::string(m.message)},
                        {"description", std::string(m.description)}});
  }
  return {
      {"id", status_base_url},
      {"issuer", issuer_profile_url},
      {"specification", kSpecificationUrl},
      {"description",
       "The status of a credential of this issuer is entry statusListIndex of each list below, "
       "the same index in all three. In the message list an entry is 2 bits at bit position "
       "2 * statusListIndex (bit 0 is the most significant bit of the first byte), read as a "
       "number, most significant bit first; its codes are statusMessage. In the revocation and "
       "suspension lists an entry is 1 bit, set when the credential is revoked (suspended)."},
      {"statusLists", std::move(lists)},
      {"statusMessage", std::move(messages)},
  };
}

}  // namespace microcred::status_list
