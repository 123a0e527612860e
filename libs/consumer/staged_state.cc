#include "libs/consumer/staged_state.h"

namespace microcred {

absl::StatusOr<std::optional<std::string>> StagedState::Get(const std::string& key) {
  auto it = staged_.find(key);
  if (it != staged_.end()) return it->second;
  return base_.Get(key);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> StagedState::ScanPrefix(
    const std::string& prefix) {
  auto base = base_.ScanPrefix(prefix);
  if (!base.ok()) return base.status();
  std::map<std::string, std::string> merged(base->begin(), base->end());
  for (auto it = staged_.lower_bound(prefix);
       it != staged_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (it->second.has_value()) {
      merged[it->first] = *it->second;
    } else {
      merged.erase(it->first);
    }
  }
  return std::vector<std::pair<std::string, std::string>>(merged.begin(), merged.end());
}

absl::Status StagedState::Commit(const WriteBatch& batch) {
  for (const WriteBatch::Op& op : batch.ops()) {
    if (op.kind == WriteBatch::Op::Kind::kPut) {
      staged_[op.key] = op.value;
    } else {
      staged_[op.key] = std::nullopt;
    }
  }
  return absl::OkStatus();
}

absl::Status StagedState::Flush() {
  WriteBatch batch;
  for (const auto& [key, value] : staged_) {
    if (value.has_value()) {
      batch.Put(key, *value);
    } else {
      batch.Delete(key);
    }
  }
  if (absl::Status s = base_.Commit(batch); !s.ok()) return s;
  staged_.clear();
  return absl::OkStatus();
}

}  // namespace microcred
