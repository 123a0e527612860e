#include "libs/verification/outside_status.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/discovery/did_web.h"
#include "libs/status_list/status_list.h"
#include "libs/status_list/status_list_credential.h"
#include "libs/verification/securing_profile.h"

namespace microcred::verification {
namespace {

using issuance::v1::CredentialStatus;
using nlohmann::json;

constexpr char kEntryType[] = "BitstringStatusListEntry";
constexpr char kListType[] = "BitstringStatusListCredential";
constexpr size_t kMaxKeptStatusListBytes = 1024 * 1024;

OutsideStatus Outcome(CredentialStatus status, std::string detail) {
  return {status, status == issuance::v1::CREDENTIAL_STATUS_ACTIVE, std::move(detail)};
}

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

OutsideStatus Undetermined(std::string reason) {
  return Outcome(issuance::v1::CREDENTIAL_STATUS_UNDETERMINED,
                 "status could not be determined: " + std::move(reason));
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

absl::Status ListFailure(const std::string& url, const std::string& reason) {
  return absl::FailedPreconditionError(absl::StrCat("the status list ", url, " ", reason));
}

// The list credential in `body` (a compact JWS), checked as `issuer_id`'s: parsed, of the right
// type and issuer, its signature verified with the issuer's key. The payload, or why not.
absl::StatusOr<json> VerifyListCredential(const KeyDiscovery& keys, const std::string& url,
                                          std::string_view body, const std::string& issuer_id) {
  if (!body.empty() && body.front() == '{') {
    return ListFailure(url,
                       "is JSON, not a JWT: this node checks only status lists secured as JWTs");
  }
  absl::StatusOr<jose::ParsedJws> jws = jose::ParseCompact(body, jose::KidRule::kOptional);
  if (!jws.ok()) return ListFailure(url, absl::StrCat("is not a JWT: ", jws.status().message()));
  if (absl::StatusOr<SecuringProfile> profile = SecuringProfileOf(*jws); !profile.ok()) {
    return ListFailure(url, absl::StrCat("is not a credential JWT: ", profile.status().message()));
  }
  json list = json::parse(jws->payload, nullptr, /*allow_exceptions=*/false);
  if (list.is_discarded() || !list.is_object()) return ListFailure(url, "carries no JSON object");
  if (!HasType(list, kListType)) return ListFailure(url, absl::StrCat("is not a ", kListType));
  const std::string list_issuer = IssuerIdOf(list);
  if (list_issuer != issuer_id) {
    return ListFailure(
        url, absl::StrCat("is issued by ", jose::ClipTokenText(list_issuer),
                          ", not by the credential's issuer ", jose::ClipTokenText(issuer_id)));
  }
  absl::StatusOr<DiscoveredKey> key = keys.FindIssuerKey(*jws, issuer_id);
  if (!key.ok()) {
    return ListFailure(url, absl::StrCat("has no key of the issuer: ", key.status().message()));
  }
  if (!jose::VerifyJws(*jws, key->key))
    return ListFailure(url, "has a signature that does not verify");
  return list;
}

// Why the list credential is not valid at `now`, or OK.
absl::Status ListValidity(const json& list, const std::string& url, absl::Time now,
                          absl::Duration skew) {
  if (const std::string from = StringMember(list, "validFrom"); !from.empty()) {
    std::optional<absl::Time> t = ParseCredentialTime(from);
    if (!t || *t > now + skew) return ListFailure(url, "is not valid yet");
  }
  if (const std::string until = StringMember(list, "validUntil"); !until.empty()) {
    std::optional<absl::Time> t = ParseCredentialTime(until);
    if (!t || *t <= now - skew) return ListFailure(url, absl::StrCat("expired on ", until));
  }
  return absl::OkStatus();
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

}  // namespace

struct OutsideStatusChecker::List {
  std::string body;  // the JWT as the fetcher answered it
  std::string issuer_id;
  json credential;  // its payload, verified
  // The encodedList decoded, by the statusSize entries read it with (one, in practice).
  mutable absl::Mutex mu;
  mutable std::unordered_map<int, std::shared_ptr<const status_list::StatusList>> decoded
      ABSL_GUARDED_BY(mu);
};

namespace {

// The list's bits read as entries of `size` bits, decoded once per list and size. Lists above
// 1 MiB of bits are decoded each time rather than kept.
absl::StatusOr<std::shared_ptr<const status_list::StatusList>> Decoded(
    const OutsideStatusChecker::List& list, const std::string& encoded, int size) {
  {
    absl::MutexLock lock(&list.mu);
    if (auto it = list.decoded.find(size); it != list.decoded.end()) return it->second;
  }
  absl::StatusOr<status_list::StatusList> bits = status_list::StatusList::Decode(encoded, size);
  if (!bits.ok()) return bits.status();
  auto shared = std::make_shared<const status_list::StatusList>(*std::move(bits));
  if (shared->bits().bytes().size() <= kMaxKeptStatusListBytes) {
    absl::MutexLock lock(&list.mu);
    list.decoded[size] = shared;
  }
  return shared;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const OutsideStatusChecker::List>>
OutsideStatusChecker::VerifiedList(const std::string& url, const std::string& issuer_id) const {
  absl::StatusOr<FetchedDocument> fetched = keys_.fetcher().Get(
      {.url = url, .accept = "application/vc+jwt, application/jwt, application/json;q=0.5"});
  if (!fetched.ok()) {
    return ListFailure(url, absl::StrCat("could not be fetched: ", fetched.status().message()));
  }
  if (fetched->body.size() > kMaxStatusListBytes) {
    return ListFailure(url, absl::StrCat("is larger than ", kMaxStatusListBytes, " bytes"));
  }
  {
    absl::MutexLock lock(&mu_);
    auto it = lists_.find(url);
    if (it != lists_.end() && it->second->body == fetched->body &&
        it->second->issuer_id == issuer_id) {
      return it->second;
    }
  }
  const absl::string_view stripped = absl::StripAsciiWhitespace(fetched->body);
  absl::StatusOr<json> credential = VerifyListCredential(
      keys_, url, std::string_view(stripped.data(), stripped.size()), issuer_id);
  if (!credential.ok()) return credential.status();
  auto list = std::make_shared<List>();
  list->body = std::move(fetched->body);
  list->issuer_id = issuer_id;
  list->credential = *std::move(credential);
  absl::MutexLock lock(&mu_);
  if (lists_.size() >= kMaxCachedStatusLists) lists_.clear();
  lists_[url] = list;
  return list;
}

OutsideStatus OutsideStatusChecker::CheckEntry(const json& entry, const std::string& issuer_id,
                                               absl::Time now, absl::Duration skew) const {
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
  absl::StatusOr<std::shared_ptr<const List>> list = VerifiedList(url, issuer_id);
  if (!list.ok()) return Undetermined(std::string(list.status().message()));
  const json& credential = (*list)->credential;
  if (absl::Status valid = ListValidity(credential, url, now, skew); !valid.ok()) {
    return Undetermined(std::string(valid.message()));
  }
  auto subject = credential.find("credentialSubject");
  if (subject == credential.end() || !subject->is_object()) {
    return Undetermined(absl::StrCat("the status list ", url, " has no credentialSubject"));
  }
  const std::string list_purpose = StringMember(*subject, "statusPurpose");
  if (list_purpose != std::string(status_list::StatusPurposeName(*purpose))) {
    return Undetermined(absl::StrCat("the status list ", url, " is for ",
                                     jose::ClipTokenText(list_purpose), ", not for ",
                                     std::string(status_list::StatusPurposeName(*purpose))));
  }
  absl::StatusOr<std::shared_ptr<const status_list::StatusList>> bits =
      Decoded(**list, StringMember(*subject, "encodedList"), size);
  if (!bits.ok()) {
    return Undetermined(absl::StrCat("the status list ", url, ": ", bits.status().message()));
  }
  absl::StatusOr<uint32_t> value = (*bits)->Get(index);
  if (!value.ok()) {
    return Undetermined(absl::StrCat("index ", index, " is outside the status list ", url, " (",
                                     (*bits)->entries(), " entries)"));
  }
  const std::string where = absl::StrCat(" (status list ", url, ", index ", index, ")");
  switch (*purpose) {
    case status_list::StatusPurpose::kRevocation:
      if (*value != 0) return Outcome(issuance::v1::CREDENTIAL_STATUS_REVOKED, "revoked" + where);
      return Outcome(issuance::v1::CREDENTIAL_STATUS_ACTIVE, "not revoked" + where);
    case status_list::StatusPurpose::kSuspension:
      if (*value != 0)
        return Outcome(issuance::v1::CREDENTIAL_STATUS_SUSPENDED, "suspended" + where);
      return Outcome(issuance::v1::CREDENTIAL_STATUS_ACTIVE, "not suspended" + where);
    case status_list::StatusPurpose::kMessage:
      break;
  }
  if (*value == 0) return Outcome(issuance::v1::CREDENTIAL_STATUS_ACTIVE, "status 0x0" + where);
  const std::string message = MessageOf(entry, *subject, *value);
  if (message == "revoked")
    return Outcome(issuance::v1::CREDENTIAL_STATUS_REVOKED, "revoked" + where);
  if (message == "suspended") {
    return Outcome(issuance::v1::CREDENTIAL_STATUS_SUSPENDED, "suspended" + where);
  }
  return Undetermined(absl::StrCat("status ", status_list::StatusHex(*value), " (\"",
                                   jose::ClipTokenText(message),
                                   "\") is not one this node interprets", where));
}

OutsideStatus OutsideStatusChecker::Check(std::string_view credential_status,
                                          const std::string& issuer_id, absl::Time now,
                                          absl::Duration skew) const {
  if (credential_status.empty()) {
    return {issuance::v1::CREDENTIAL_STATUS_ACTIVE, true, "the credential names no status list"};
  }
  const json status = json::parse(credential_status, nullptr, /*allow_exceptions=*/false);
  if (status.is_discarded()) {
    return {issuance::v1::CREDENTIAL_STATUS_UNDETERMINED, false,
            "status could not be determined: credentialStatus is not JSON"};
  }
  std::vector<const json*> entries;
  if (status.is_array()) {
    for (const json& e : status) entries.push_back(&e);
  } else {
    entries.push_back(&status);
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
  OutsideStatus worst = Outcome(issuance::v1::CREDENTIAL_STATUS_ACTIVE, "");
  std::vector<std::string> details;
  for (const json* entry : entries) {
    if (!entry->is_object()) {
      OutsideStatus bad = Undetermined("a credentialStatus entry is not an object");
      details.push_back(bad.detail);
      if (Severity(bad.status) > Severity(worst.status)) worst = bad;
      continue;
    }
    OutsideStatus outcome = CheckEntry(*entry, issuer_id, now, skew);
    details.push_back(outcome.detail);
    if (Severity(outcome.status) > Severity(worst.status)) worst = outcome;
  }
  const bool active = worst.status == issuance::v1::CREDENTIAL_STATUS_ACTIVE;
  return {worst.status, active, active ? absl::StrJoin(details, "; ") : worst.detail};
}

std::optional<OutsideStatus> OutsideStatusChecker::CheckStatusUri(
    const nlohmann::json& credential_status, const std::string& issuer_id, absl::Time now,
    absl::Duration skew) const {
  const std::optional<nlohmann::json> entry = MessageEntryOfStatusUri(credential_status);
  if (!entry) return std::nullopt;
  const std::string text = entry->dump();
  OutsideStatus status = Check(text, issuer_id, now, skew);
  if (status.status != issuance::v1::CREDENTIAL_STATUS_UNDETERMINED) return status;
  auto did = discovery::InstitutionDidOfIssuerUrl(issuer_id);
  if (!did.ok()) return status;
  OutsideStatus by_did = Check(text, *did, now, skew);
  return by_did.status == issuance::v1::CREDENTIAL_STATUS_UNDETERMINED ? status : by_did;
}

std::optional<nlohmann::json> MessageEntryOfStatusUri(const nlohmann::json& credential_status) {
  const nlohmann::json* value = &credential_status;
  if (value->is_object()) {
    auto it = value->find("@value");
    if (it == value->end()) return std::nullopt;
    value = &*it;
  }
  if (!value->is_string()) return std::nullopt;
  const std::string& uri = value->get_ref<const std::string&>();
  const size_t hash = uri.rfind('#');
  if (hash == std::string::npos) return std::nullopt;
  const std::string list = uri.substr(0, hash);
  const std::string index_text = uri.substr(hash + 1);
  int64_t index = 0;
  if (!absl::StartsWith(list, "https://") && !absl::StartsWith(list, "http://")) {
    return std::nullopt;
  }
  if (index_text.empty() || index_text.size() > 18 ||
      !std::all_of(index_text.begin(), index_text.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(index_text, &index)) {
    return std::nullopt;
  }
  return status_list::BuildStatusListEntry(list, status_list::StatusPurpose::kMessage, index);
}

}  // namespace microcred::verification
