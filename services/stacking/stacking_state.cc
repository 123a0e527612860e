#include "services/stacking/stacking_state.h"

#include "libs/ports/stored_message.h"

namespace microcred::stacking {
namespace {

std::string Key(std::string_view kind, std::string_view rest) {
  return RecordKey(kStatePrefix, kind, rest);
}

std::string VersionKey(const std::string& pathway_id, uint32_t version) {
  return Key("pathway", pathway_id + "/" + SortableVersion(version));
}

}  // namespace

std::string StackingState::LatestKey(const std::string& pathway_id) {
  return Key("latest", pathway_id);
}

absl::StatusOr<std::optional<v1::Pathway>> StackingState::Pathway(const std::string& pathway_id,
                                                                  uint32_t version) const {
  if (version == 0) return ReadMessage<v1::Pathway>(store_, LatestKey(pathway_id));
  return ReadMessage<v1::Pathway>(store_, VersionKey(pathway_id, version));
}

absl::StatusOr<std::vector<v1::Pathway>> StackingState::LatestPathways(
    const std::string& owner) const {
  return ReadAllMessages<v1::Pathway>(store_, Key("latest", owner.empty() ? "" : owner + "/"));
}

absl::StatusOr<std::vector<v1::StackConferred>> StackingState::Conferrals(
    const std::string& pathway_id) const {
  return ReadAllMessages<v1::StackConferred>(store_, Key("conferred", pathway_id + "/"));
}

void StackingState::PutPathway(const v1::Pathway& pathway, WriteBatch& writes) {
  const std::string bytes = pathway.SerializeAsString();
  writes.Put(VersionKey(pathway.pathway_id(), pathway.version()), bytes);
  writes.Put(LatestKey(pathway.pathway_id()), bytes);
}

void StackingState::PutConferred(const v1::StackConferred& conferred, WriteBatch& writes) {
  writes.Put(Key("conferred", conferred.pathway_id() + "/" + conferred.conferred_credential_id()),
             conferred.SerializeAsString());
}

}  // namespace microcred::stacking
