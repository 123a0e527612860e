#include "libs/verification/outside_status.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/status_list/status_list.h"
#include "libs/status_list/status_list_credential.h"
#include "libs/verification/securing_profile.h"

namespace microcred::verification {
namespace {

using issuance::v1::CredentialStatus;
using nlohmann::json;

constexpr char kEntryType[] = "BitstringStatusListEntry";
constexpr char kListType[] = "BitstringStatusListCredential";

struct EntryOutcome {
  CredentialStatus status = issuance::v1::CREDENTIAL_STATUS_UNDETERMINED;
  std::string detail;
};

int Severity(CredentialStatus status) {
  switch (status) {
    case issuance::v1::CREDENTIAL_STATUS_REVOKED:
      return 3;
    case issuance::v1::CREDENTIAL_STATUS_SUSPENDED:
      return 2;
    case issuance::v1::CREDENTIAL_STATUS_ACTIVE:
      return 0;
    default:
      return 1;
  }
}

EntryOutcome Undetermined(std::string reason) {
  return {issuance::v1::CREDENTIAL_STATUS_UNDETERMINED,
          "status could not be determined: " + std::move(reason)};
}

std::string StringMember(const json& object, const char* name) {
  if (!object.is_object()) return "";
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool HasType(const json& object, std::string_view type) {
  if (!object.is_object()) return false;
  auto it = object.find("type");
  if (it == object.end()) return false;
  if (it->is_string()) return *it == type;
  if (!it->is_array()) return false;
  return std::any_of(it->begin(), it->end(), [&](const json& t) { return t == type; });
}

std::string IssuerIdOf(const json& credential) {
  auto it = credential.find("issuer");
  if (it == credential.end()) return "";
  return it->is_string() ? it->get<std::string>() : StringMember(*it, "id");
}

// The list credential at `url`: fetched, verified as the issuer's, within its validity. The
// payload, or why not.
absl::StatusOr<json> FetchList(const KeyDiscovery& keys, const std::string& url,
                               const std::string& issuer_id, absl::Time now, absl::Duration skew) {
  const auto fail = [&](const std::string& reason) {
    return absl::FailedPreconditionError(absl::StrCat("the status list ", url, " ", reason));
  };
  absl::StatusOr<FetchedDocument> fetched = keys.fetcher().Get(
      {.url = url, .accept = "application/vc+jwt, application/jwt, application/json;q=0.5"});
  if (!fetched.ok())
    return fail(absl::StrCat("could not be fetched: ", fetched.status().message()));
  if (fetched->body.size() > kMaxStatusListBytes) {
    return fail(absl::StrCat("is larger than ", kMaxStatusListBytes, " bytes"));
  }
  const absl::string_view stripped = absl::StripAsciiWhitespace(fetched->body);
  const std::string_view body(stripped.data(), stripped.size());
  if (!body.empty() && body.front() == '{') {
    return fail("is JSON, not a JWT: this node checks only status lists secured as JWTs");
  }
  absl::StatusOr<jose::ParsedJws> jws = jose::ParseCompact(body, jose::KidRule::kOptional);
  if (!jws.ok()) return fail(absl::StrCat("is not a JWT: ", jws.status().message()));
  if (absl::StatusOr<SecuringProfile> profile = SecuringProfileOf(*jws); !profile.ok()) {
    return fail(absl::StrCat("is not a credential JWT: ", profile.status().message()));
  }
  json list = json::parse(jws->payload, nullptr, /*allow_exceptions=*/false);
  if (list.is_discarded() || !list.is_object()) return fail("carries no JSON object");
  if (!HasType(list, kListType)) return fail(absl::StrCat("is not a ", kListType));
  const std::string list_issuer = IssuerIdOf(list);
  if (list_issuer != issuer_id) {
    return fail(absl::StrCat("is issued by ", jose::ClipTokenText(list_issuer),
                             ", not by the credential's issuer ", jose::ClipTokenText(issuer_id)));
  }
  absl::StatusOr<DiscoveredKey> key = keys.FindIssuerKey(*jws, issuer_id);
  if (!key.ok()) return fail(absl::StrCat("has no key of the issuer: ", key.status().message()));
  if (!jose::VerifyJws(*jws, key->key)) return fail("has a signature that does not verify");
  const std::optional<std::string> from = StringMember(list, "validFrom").empty()
                                              ? std::nullopt
                                              : std::optional(StringMember(list, "validFrom"));
  const std::optional<std::string> until = StringMember(list, "validUntil").empty()
                                               ? std::nullopt
                                               : std::optional(StringMember(list, "validUntil"));
  if (from) {
    std::optional<absl::Time> t = ParseCredentialTime(from);
    if (!t || *t > now + skew) return fail("is not valid yet");
  }
  if (until) {
    std::optional<absl::Time> t = ParseCredentialTime(until);
    if (!t || *t <= now - skew) return fail(absl::StrCat("expired on ", *until));
  }
  return list;
}

// "revoked", "suspended", ... as the entry or the list names `value`; empty when neither does.
std::string MessageOf(const json& entry, const json& subject, uint32_t value) {
  const std::string hex = status_list::StatusHex(value);
  for (const json* holder : {&entry, &subject}) {
    for (const char* name : {"statusMessage", "statusMessages"}) {
      if (!holder->is_object()) continue;
      auto it = holder->find(name);
      if (it == holder->end() || !it->is_array()) continue;
      for (const json& m : *it) {
        if (absl::AsciiStrToLower(StringMember(m, "status")) == hex) {
          return StringMember(m, "message");
        }
      }
    }
  }
  return "";
}

EntryOutcome CheckEntry(const json& entry, const std::string& issuer_id, const KeyDiscovery& keys,
                        absl::Time now, absl::Duration skew) {
  if (!HasType(entry, kEntryType)) {
    return Undetermined(absl::StrCat("credentialStatus type ",
                                     jose::ClipTokenText(StringMember(entry, "type")),
                                     " is not one this node reads (", kEntryType, ")"));
  }
  const std::string url = StringMember(entry, "statusListCredential");
  if (url.empty()) return Undetermined("credentialStatus.statusListCredential is missing");
  absl::StatusOr<status_list::StatusPurpose> purpose =
      status_list::ParseStatusPurpose(StringMember(entry, "statusPurpose"));
  if (!purpose.ok()) {
    return Undetermined(
        absl::StrCat("credentialStatus.statusPurpose: ", purpose.status().message()));
  }
  int64_t index = -1;
  auto index_value = entry.find("statusListIndex");
  if (index_value == entry.end() || !index_value->is_string() ||
      !absl::SimpleAtoi(index_value->get<std::string>(), &index) || index < 0) {
    return Undetermined("credentialStatus.statusListIndex is not a non-negative integer string");
  }
  int size = 1;
  if (auto it = entry.find("statusSize"); it != entry.end()) {
    if (!it->is_number_integer() || *it < 1 || *it > 2) {
      return Undetermined("credentialStatus.statusSize is neither 1 nor 2");
    }
    size = it->get<int>();
  }
  absl::StatusOr<json> list = FetchList(keys, url, issuer_id, now, skew);
  if (!list.ok()) return Undetermined(std::string(list.status().message()));
  auto subject = list->find("credentialSubject");
  if (subject == list->end() || !subject->is_object()) {
    return Undetermined(absl::StrCat("the status list ", url, " has no credentialSubject"));
  }
  const std::string list_purpose = StringMember(*subject, "statusPurpose");
  if (list_purpose != std::string(status_list::StatusPurposeName(*purpose))) {
    return Undetermined(absl::StrCat("the status list ", url, " is for ",
                                     jose::ClipTokenText(list_purpose), ", not for ",
                                     std::string(status_list::StatusPurposeName(*purpose))));
  }
  absl::StatusOr<status_list::StatusList> bits =
      status_list::StatusList::Decode(StringMember(*subject, "encodedList"), size);
  if (!bits.ok()) {
    return Undetermined(absl::StrCat("the status list ", url, ": ", bits.status().message()));
  }
  absl::StatusOr<uint32_t> value = bits->Get(index);
  if (!value.ok()) {
    return Undetermined(absl::StrCat("index ", index, " is outside the status list ", url, " (",
                                     bits->entries(), " entries)"));
  }
  const std::string where = absl::StrCat(" (status list ", url, ", index ", index, ")");
  switch (*purpose) {
    case status_list::StatusPurpose::kRevocation:
      if (*value != 0) return {issuance::v1::CREDENTIAL_STATUS_REVOKED, "revoked" + where};
      return {issuance::v1::CREDENTIAL_STATUS_ACTIVE, "not revoked" + where};
    case status_list::StatusPurpose::kSuspension:
      if (*value != 0) return {issuance::v1::CREDENTIAL_STATUS_SUSPENDED, "suspended" + where};
      return {issuance::v1::CREDENTIAL_STATUS_ACTIVE, "not suspended" + where};
    case status_list::StatusPurpose::kMessage:
      break;
  }
  if (*value == 0) return {issuance::v1::CREDENTIAL_STATUS_ACTIVE, "status 0x0" + where};
  const std::string message = MessageOf(entry, *subject, *value);
  if (message == "revoked") return {issuance::v1::CREDENTIAL_STATUS_REVOKED, "revoked" + where};
  if (message == "suspended") {
    return {issuance::v1::CREDENTIAL_STATUS_SUSPENDED, "suspended" + where};
  }
  return Undetermined(absl::StrCat("status ", status_list::StatusHex(*value), " (\"",
                                   jose::ClipTokenText(message),
                                   "\") is not one this node interprets", where));
}

}  // namespace

OutsideStatus CheckOutsideStatus(const json& credential, const std::string& issuer_id,
                                 const KeyDiscovery& keys, absl::Time now, absl::Duration skew) {
  auto it = credential.find("credentialStatus");
  if (it == credential.end()) {
    return {issuance::v1::CREDENTIAL_STATUS_ACTIVE, true, "the credential names no status list"};
  }
  std::vector<const json*> entries;
  if (it->is_array()) {
    for (const json& e : *it) entries.push_back(&e);
  } else {
    entries.push_back(&*it);
  }
  if (entries.empty()) {
    return {issuance::v1::CREDENTIAL_STATUS_ACTIVE, true, "the credential names no status list"};
  }
  // Few entries are real (revocation and suspension); more is a token built to make the node
  // fetch.
  constexpr size_t kMaxEntries = 4;
  if (entries.size() > kMaxEntries) {
    return {issuance::v1::CREDENTIAL_STATUS_UNDETERMINED, false,
            absl::StrCat("status could not be determined: more than ", kMaxEntries,
                         " credentialStatus entries")};
  }
  EntryOutcome worst{issuance::v1::CREDENTIAL_STATUS_ACTIVE, ""};
  std::vector<std::string> details;
  for (const json* entry : entries) {
    if (!entry->is_object()) {
      EntryOutcome bad = Undetermined("a credentialStatus entry is not an object");
      details.push_back(bad.detail);
      if (Severity(bad.status) > Severity(worst.status)) worst = bad;
      continue;
    }
    EntryOutcome outcome = CheckEntry(*entry, issuer_id, keys, now, skew);
    details.push_back(outcome.detail);
    if (Severity(outcome.status) > Severity(worst.status)) worst = outcome;
  }
  const bool active = worst.status == issuance::v1::CREDENTIAL_STATUS_ACTIVE;
  return {worst.status, active, active ? absl::StrJoin(details, "; ") : worst.detail};
}

}  // namespace microcred::verification
