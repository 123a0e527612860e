#include "services/catalogue/catalogue_state.h"

#include "libs/ports/stored_message.h"

namespace microcred::catalogue {
namespace {

std::string LatestKey(const std::string& spec_id) { return kLatestPrefix + spec_id; }

std::string VersionKey(const std::string& spec_id, uint32_t version) {
  return RecordKey(kStatePrefix, "version", spec_id + "/" + SortableVersion(version));
}

std::string ProfileKey(const std::string& institution) {
  return RecordKey(kStatePrefix, "provider", institution);
}

std::string RequestKey(const std::string& institution, const std::string& request_id) {
  return RecordKey(kStatePrefix, "request", institution + "/" + request_id);
}

}  // namespace

absl::StatusOr<std::optional<v1::Specification>> CatalogueState::Latest(
    const std::string& spec_id) const {
  return ReadMessage<v1::Specification>(store_, LatestKey(spec_id));
}

absl::StatusOr<std::optional<v1::Specification>> CatalogueState::Version(const std::string& spec_id,
                                                                         uint32_t version) const {
  return ReadMessage<v1::Specification>(store_, VersionKey(spec_id, version));
}

absl::StatusOr<std::optional<v1::ProviderProfile>> CatalogueState::Profile(
    const std::string& institution) const {
  return ReadMessage<v1::ProviderProfile>(store_, ProfileKey(institution));
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
