#include "libs/consumer/staged_state.h"

namespace microcred {

absl::StatusOr<std::optional<std::string>> StagedState::Get(const std::string& key) {
  if (auto it = staged_.find(key); it != staged_.end()) return it->second;
  if (auto it = read_.find(key); it != read_.end()) return it->second;
  auto value = base_.Get(key);
  if (value.ok()) read_[key] = *value;
  return value;
}

absl::StatusOr<std::vector<std::optional<std::string>>> StagedState::GetMany(
    const std::vector<std::string>& keys) {
  if (absl::Status s = Prefetch(keys); !s.ok()) return s;
  std::vector<std::optional<std::string>> values;
  values.reserve(keys.size());
  for (const std::string& key : keys) values.push_back(*Get(key));
  return values;
}

absl::Status StagedState::Prefetch(const std::vector<std::string>& keys) {
  std::vector<std::string> missing;
  for (const std::string& key : keys) {
    if (!staged_.contains(key) && !read_.contains(key)) missing.push_back(key);
  }
  if (missing.empty()) return absl::OkStatus();
  auto values = base_.GetMany(missing);
  if (!values.ok()) return values.status();
  for (size_t i = 0; i < missing.size(); ++i) read_[missing[i]] = std::move((*values)[i]);
  return absl::OkStatus();
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
  read_.clear();
  return absl::OkStatus();
}

}  // namespace microcred
