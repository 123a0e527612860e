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

}  // namespace microcred::catalogue
