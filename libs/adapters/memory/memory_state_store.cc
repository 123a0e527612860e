#include "libs/adapters/memory/memory_state_store.h"

namespace microcred {

absl::StatusOr<std::optional<std::string>> MemoryStateStore::Get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

absl::Status MemoryStateStore::Commit(const WriteBatch& batch) {
  std::lock_guard lock(mu_);
  for (const WriteBatch::Op& op : batch.ops()) {
    if (op.kind == WriteBatch::Op::Kind::kPut) {
      entries_.insert_or_assign(op.key, op.value);
    } else {
      entries_.erase(op.key);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> MemoryStateStore::ScanPrefix(
    const std::string& prefix) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::lock_guard lock(mu_);
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    rows.emplace_back(it->first, it->second);
  }
  return rows;
}

size_t MemoryStateStore::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::map<std::string, std::string> MemoryStateStore::Snapshot() const {
  std::lock_guard lock(mu_);
  return entries_;
}

}  // namespace microcred
