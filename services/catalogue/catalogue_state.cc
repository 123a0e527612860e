#include "services/catalogue/catalogue_state.h"

#include <algorithm>

#include "libs/ports/stored_message.h"

namespace microcred::catalogue {
namespace {

std::string LatestKey(const std::string& spec_id) { return kLatestPrefix + spec_id; }

std::string VersionKey(const std::string& spec_id, uint32_t version) {
  return RecordKey(kStatePrefix, "version", spec_id + "/" + SortableVersion(version));
}

// Before ecosystems were recorded.
std::string LegacyProfileKey(const std::string& institution) {
  return RecordKey(kStatePrefix, "provider", institution);
}

std::string ProfilesPrefix(const std::string& institution) {
  return LegacyProfileKey(institution) + "/";
}

std::string ProfileKey(const std::string& institution, const std::string& ecosystem) {
  return ProfilesPrefix(institution) + ecosystem;
}

}  // namespace

void CatalogueState::Complete(v1::Specification& spec) const {
  if (spec.ecosystem_id().empty()) spec.set_ecosystem_id(home_ecosystem_);
}

absl::StatusOr<std::optional<v1::Specification>> CatalogueState::Latest(
    const std::string& spec_id) const {
  auto spec = ReadMessage<v1::Specification>(store_, LatestKey(spec_id));
  if (spec.ok() && spec->has_value()) Complete(**spec);
  return spec;
}

absl::StatusOr<std::optional<v1::Specification>> CatalogueState::Version(const std::string& spec_id,
                                                                         uint32_t version) const {
  auto spec = ReadMessage<v1::Specification>(store_, VersionKey(spec_id, version));
  if (spec.ok() && spec->has_value()) Complete(**spec);
  return spec;
}

absl::StatusOr<std::optional<v1::ProviderProfile>> CatalogueState::Profile(
    const std::string& institution, const std::string& ecosystem) const {
  auto profile = ReadMessage<v1::ProviderProfile>(store_, ProfileKey(institution, ecosystem));
  if (!profile.ok() || profile->has_value() || ecosystem != home_ecosystem_) return profile;
  profile = ReadMessage<v1::ProviderProfile>(store_, LegacyProfileKey(institution));
  if (profile.ok() && profile->has_value()) (*profile)->set_ecosystem_id(home_ecosystem_);
  return profile;
}

absl::StatusOr<std::vector<v1::ProviderProfile>> CatalogueState::Profiles(
    const std::string& institution) const {
  auto rows = store_.ScanPrefix(ProfilesPrefix(institution));
  if (!rows.ok()) return rows.status();
  std::vector<v1::ProviderProfile> profiles;
  for (const auto& [key, bytes] : *rows) {
    if (!profiles.emplace_back().ParseFromString(bytes)) {
      return absl::DataLossError("unreadable record " + key);
    }
  }
  const bool home_listed = std::any_of(profiles.begin(), profiles.end(), [&](const auto& p) {
    return p.ecosystem_id() == home_ecosystem_;
  });
  if (!home_listed) {
    auto legacy = ReadMessage<v1::ProviderProfile>(store_, LegacyProfileKey(institution));
    if (!legacy.ok()) return legacy.status();
    if (legacy->has_value()) {
      (*legacy)->set_ecosystem_id(home_ecosystem_);
      profiles.push_back(**legacy);
      std::sort(profiles.begin(), profiles.end(),
                [](const auto& a, const auto& b) { return a.ecosystem_id() < b.ecosystem_id(); });
    }
  }
  return profiles;
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
  writes.Put(ProfileKey(profile.institution_id(), profile.ecosystem_id()),
             profile.SerializeAsString());
}

}  // namespace microcred::catalogue
