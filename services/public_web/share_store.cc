#include "services/public_web/share_store.h"

#include <algorithm>

#include "libs/crypto/crypto.h"
#include "libs/ports/stored_message.h"

namespace microcred::web {
namespace {

constexpr char kSharePrefix[] = "web/share/";
constexpr char kOwnerPrefix[] = "web/owner/";
// base64url of kShareIdBytes bytes, without padding.
constexpr size_t kShareIdChars = (kShareIdBytes * 8 + 5) / 6;

std::string ShareKey(const std::string& id) { return kSharePrefix + id; }
std::string OwnerKey(const std::string& pseudonym, const std::string& id) {
  return kOwnerPrefix + pseudonym + "/" + id;
}

}  // namespace

bool ShareStore::IsShareId(std::string_view text) {
  return text.size() == kShareIdChars && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
         });
}

absl::StatusOr<v1::ShareRecord> ShareStore::Create(const std::string& credential_id,
                                                   const std::string& owner_pseudonym,
                                                   int64_t now_ms) {
  if (credential_id.empty()) return absl::InvalidArgumentError("credential_id: is required");
  if (owner_pseudonym.empty() || owner_pseudonym.find('/') != std::string::npos) {
    return absl::InvalidArgumentError("owner_pseudonym: is required, without '/'");
  }
  auto existing = OfOwner(owner_pseudonym);
  if (!existing.ok()) return existing.status();
  const auto working =
      std::count_if(existing->begin(), existing->end(),
                    [](const v1::ShareRecord& r) { return r.withdrawn_at_ms() == 0; });
  if (static_cast<size_t>(working) >= kMaxSharesPerLearner) {
    return absl::ResourceExhaustedError("share: at most " + std::to_string(kMaxSharesPerLearner) +
                                        " working links; withdraw one first");
  }
  v1::ShareRecord record;
  record.set_share_id(crypto::Base64UrlEncode(crypto::RandomBytes(kShareIdBytes)));
  record.set_credential_id(credential_id);
  record.set_owner_pseudonym(owner_pseudonym);
  record.set_created_at_ms(now_ms);
  WriteBatch writes;
  writes.Put(ShareKey(record.share_id()), record.SerializeAsString());
  writes.Put(OwnerKey(owner_pseudonym, record.share_id()), "");
  if (absl::Status s = store_.Commit(writes); !s.ok()) return s;
  return record;
}

absl::StatusOr<std::optional<v1::ShareRecord>> ShareStore::Find(const std::string& share_id) const {
  if (!IsShareId(share_id)) return std::optional<v1::ShareRecord>();
  return ReadMessage<v1::ShareRecord>(store_, ShareKey(share_id));
}

absl::StatusOr<std::vector<v1::ShareRecord>> ShareStore::OfOwner(
    const std::string& owner_pseudonym) const {
  const std::string prefix = kOwnerPrefix + owner_pseudonym + "/";
  auto rows = store_.ScanPrefix(prefix);
  if (!rows.ok()) return rows.status();
  std::vector<v1::ShareRecord> records;
  for (const auto& [key, unused] : *rows) {
    auto record = Find(key.substr(prefix.size()));
    if (!record.ok()) return record.status();
    if (record->has_value()) records.push_back(**record);
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const v1::ShareRecord& a, const v1::ShareRecord& b) {
                     return a.created_at_ms() < b.created_at_ms();
                   });
  return records;
}

absl::StatusOr<v1::ShareRecord> ShareStore::Withdraw(const std::string& share_id,
                                                     const std::string& owner_pseudonym,
                                                     int64_t now_ms) {
  auto record = Find(share_id);
  if (!record.ok()) return record.status();
  if (!record->has_value() || (*record)->owner_pseudonym() != owner_pseudonym) {
    return absl::NotFoundError("share_id: no link of yours has this id");
  }
  // Nothing stays: an id is 160 random bits, never made again, so an unknown id and a
  // withdrawn one may look the same. A record an earlier release kept as withdrawn goes too.
  v1::ShareRecord withdrawn = **record;
  if (withdrawn.withdrawn_at_ms() == 0) withdrawn.set_withdrawn_at_ms(now_ms);
  WriteBatch writes;
  writes.Delete(ShareKey(share_id));
  writes.Delete(OwnerKey(owner_pseudonym, share_id));
  if (absl::Status s = store_.Commit(writes); !s.ok()) return s;
  return withdrawn;
}

absl::Status ShareStore::EraseOwner(const std::string& owner_pseudonym, WriteBatch& writes) const {
  const std::string prefix = kOwnerPrefix + owner_pseudonym + "/";
  auto rows = store_.ScanPrefix(prefix);
  if (!rows.ok()) return rows.status();
  for (const auto& [key, unused] : *rows) {
    writes.Delete(ShareKey(key.substr(prefix.size())));
    writes.Delete(key);
  }
  return absl::OkStatus();
}

}  // namespace microcred::web
