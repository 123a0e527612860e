// For tests of what a store leaves on disk (erasure, issue 12): which files under a directory
// hold some bytes, read as raw bytes.
#ifndef MICROCRED_LIBS_PORTS_TESTING_FILES_HOLDING_H_
#define MICROCRED_LIBS_PORTS_TESTING_FILES_HOLDING_H_

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace microcred {

// The paths of the regular files under `dir` (recursively) whose content holds `bytes`.
inline std::vector<std::string> FilesHolding(const std::string& dir, const std::string& bytes) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)), {});
    if (content.find(bytes) != std::string::npos) found.push_back(entry.path().string());
  }
  return found;
}

}  // namespace microcred

#endif  // MICROCRED_LIBS_PORTS_TESTING_FILES_HOLDING_H_
