#include "services/catalogue/catalogue_state.h"

#include <cstdio>

#include "libs/ports/stored_message.h"

namespace microcred::catalogue {
namespace {

std::string LatestKey(const std::string& spec_id) { return kLatestPrefix + spec_id; }

std::string VersionKey(const std::string& spec_id, uint32_t version) {
  char padded[16];
  std::snprintf(padded, sizeof padded, "%010u", version);
  return std::string(kStatePrefix) + "/version/" + spec_id + "/" + padded;
}

std::string ProfileKey(const std::string& institution) {
  return std::string(kStatePrefix) + "/provider/" + institution;
}

std::string RequestKey(const std::string& institution, const std::string& request_id) {
  return std::string(kStatePrefix) + "/request/" + institution + "/" + request_id;
}

}  // namespace

template <typename M>
absl::StatusOr<std::optional<M>> CatalogueState::Read(const std::string& key) const {
  return ReadMessage<M>(store_, key);
}

absl::StatusOr<std::optional<v1::Specification>> CatalogueState::Latest(
    const std::string& spec_id) const {
  return Read<v1::Specification>(LatestKey(spec_id));
}

absl::StatusOr<std::optional<v1::Specification>> CatalogueState::Version(const std::string& spec_id,
                                                                         uint32_t version) const {
  return Read<v1::Specification>(VersionKey(spec_id, version));
}

absl::StatusOr<std::optional<v1::ProviderProfile>> CatalogueState::Profile(
    const std::string& institution) const {
  return Read<v1::ProviderProfile>(ProfileKey(institution));
}

absl::StatusOr<std::optional<RequestRecord>> CatalogueState::Request(
    const std::string& institution, const std::string& request_id) const {
  auto bytes = store_.Get(RequestKey(institution, request_id));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::optional<RequestRecord>();
  // "<kind> <version> <resource id>": the resource id may hold any character but a newline.
  const std::string& text = **bytes;
  size_t first = text.find(' '), second = text.find(' ', first + 1);
  if (first == std::string::npos || second == std::string::npos) {
    return absl::DataLossError("unreadable request record for " + request_id);
  }
  return std::optional<RequestRecord>(RequestRecord{
      .kind = text.substr(0, first),
      .resource_id = text.substr(second + 1),
      .version = static_cast<uint32_t>(std::stoul(text.substr(first + 1, second - first - 1))),
  });
}

void CatalogueState::PutSpecification(const v1::Specification& spec, WriteBatch& writes) {
  std::string bytes = spec.SerializeAsString();
  writes.Put(VersionKey(spec.specification_id(), spec.version()), bytes);
  writes.Put(LatestKey(spec.specification_id()), std::move(bytes));
}

void CatalogueState::PutLatest(const v1::Specification& spec, WriteBatch& writes) {
  writes.Put(LatestKey(spec.specification_id()), spec.SerializeAsString());
}

void CatalogueState::PutProfile(const v1::ProviderProfile& profile, WriteBatch& writes) {
  writes.Put(ProfileKey(profile.institution_id()), profile.SerializeAsString());
}

void CatalogueState::PutRequest(const std::string& institution, const std::string& request_id,
                                const RequestRecord& record, WriteBatch& writes) {
  writes.Put(RequestKey(institution, request_id),
             record.kind + " " + std::to_string(record.version) + " " + record.resource_id);
}

}  // namespace microcred::catalogue
