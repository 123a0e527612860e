// The few POSIX file operations the file event log needs, returning absl::Status with the path
// and the errno text in the message.
#ifndef MICROCRED_LIBS_ADAPTERS_FILE_POSIX_FILE_H_
#define MICROCRED_LIBS_ADAPTERS_FILE_POSIX_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace microcred::file_log {

// Owns a file descriptor and closes it when destroyed.
class ScopedFd {
 public:
  ScopedFd() = default;
  explicit ScopedFd(int fd) : fd_(fd) {}
  ScopedFd(ScopedFd&& other) noexcept : fd_(other.release()) {}
  ScopedFd& operator=(ScopedFd&& other) noexcept;
  ~ScopedFd();

  int get() const { return fd_; }
  int release();

 private:
  int fd_ = -1;
};

// The modes of what the file adapters create: the owner's only, whatever the umask, as the
// files hold sealed personal records, learner keys and the events.
inline constexpr int kFileMode = 0600;
inline constexpr int kDirectoryMode = 0700;

// open(2) with O_CLOEXEC added. With O_CREAT the file gets kFileMode, also when it existed.
absl::StatusOr<ScopedFd> OpenFile(const std::string& path, int flags);

// An exclusive flock(2), not waiting: FailedPrecondition when another open file description
// holds it (another process, or another FileEventLog in this one).
absl::Status LockExclusive(int fd, const std::string& path);

absl::StatusOr<int64_t> FileSize(int fd, const std::string& path);
absl::Status WriteAt(int fd, std::string_view bytes, int64_t position, const std::string& path);
// Reads exactly `n` bytes at `position` into `out`; DataLoss if the file ends before that.
absl::Status ReadAt(int fd, int64_t position, size_t n, std::string& out, const std::string& path);
absl::Status SyncData(int fd, const std::string& path);
absl::Status Truncate(int fd, int64_t size, const std::string& path);
// fsync of a directory, which makes the names created in it durable.
absl::Status SyncDirectory(const std::string& dir);

// A whole file mapped read-only, for the recovery scan.
class MappedFile {
 public:
  static absl::StatusOr<MappedFile> Map(int fd, int64_t size, const std::string& path);
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {data_, size_}; }

 private:
  MappedFile(const char* data, size_t size) : data_(data), size_(size) {}
  const char* data_;
  size_t size_;
};

// The names (not paths) of the regular files in `dir`.
absl::StatusOr<std::vector<std::string>> ListFiles(const std::string& dir);

// Creates `dir` and its missing parents (kDirectoryMode), making each name it creates durable.
absl::Status CreateDirectories(const std::string& dir);

// One line on stderr. The log reports recoveries there: they must be seen but are not errors.
void LogWarning(std::string_view message);

}  // namespace microcred::file_log

#endif  // MICROCRED_LIBS_ADAPTERS_FILE_POSIX_FILE_H_
