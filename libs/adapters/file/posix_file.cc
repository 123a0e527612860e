#include "libs/adapters/file/posix_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace microcred::file_log {
namespace {

absl::Status ErrnoStatus(int error, const char* what, const std::string& path) {
  return absl::ErrnoToStatus(error, absl::StrCat(what, " ", path));
}

absl::Status ErrorCodeStatus(const std::error_code& ec, const char* what, const std::string& path) {
  return ErrnoStatus(ec.value(), what, path);
}

}  // namespace

ScopedFd& ScopedFd::operator=(ScopedFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

ScopedFd::~ScopedFd() {
  if (fd_ >= 0) ::close(fd_);
}

int ScopedFd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

absl::StatusOr<ScopedFd> OpenFile(const std::string& path, int flags) {
  ScopedFd fd(::open(path.c_str(), flags | O_CLOEXEC, kFileMode));
  if (fd.get() < 0) return ErrnoStatus(errno, "open", path);
  // Also tightens a file an earlier release created readable by others.
  if ((flags & O_CREAT) != 0 && ::fchmod(fd.get(), kFileMode) != 0) {
    return ErrnoStatus(errno, "chmod", path);
  }
  return fd;
}

absl::Status LockExclusive(int fd, const std::string& path) {
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return absl::OkStatus();
  if (errno == EWOULDBLOCK) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is locked: another FileEventLog has this directory open"));
  }
  return ErrnoStatus(errno, "flock", path);
}

absl::StatusOr<int64_t> FileSize(int fd, const std::string& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoStatus(errno, "fstat", path);
  return static_cast<int64_t>(st.st_size);
}

absl::Status WriteAt(int fd, std::string_view bytes, int64_t position, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), position);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, "pwrite", path);
    bytes.remove_prefix(n);
    position += n;
  }
  return absl::OkStatus();
}

absl::Status ReadAt(int fd, int64_t position, size_t n, std::string& out, const std::string& path) {
  out.resize(n);
  for (size_t done = 0; done < n;) {
    ssize_t got = ::pread(fd, out.data() + done, n - done, position + done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return ErrnoStatus(errno, "pread", path);
    if (got == 0) {
      return absl::DataLossError(absl::StrCat(path, ": ends before byte ", position + n));
    }
    done += got;
  }
  return absl::OkStatus();
}

absl::Status SyncData(int fd, const std::string& path) {
  if (::fdatasync(fd) != 0) return ErrnoStatus(errno, "fdatasync", path);
  return absl::OkStatus();
}

absl::Status Truncate(int fd, int64_t size, const std::string& path) {
  if (::ftruncate(fd, size) != 0) return ErrnoStatus(errno, "ftruncate", path);
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& dir) {
  absl::StatusOr<ScopedFd> fd = OpenFile(dir, O_RDONLY | O_DIRECTORY);
  if (!fd.ok()) return fd.status();
  if (::fsync(fd->get()) != 0) return ErrnoStatus(errno, "fsync", dir);
  return absl::OkStatus();
}

absl::StatusOr<MappedFile> MappedFile::Map(int fd, int64_t size, const std::string& path) {
  if (size == 0) return MappedFile(nullptr, 0);  // mmap refuses empty mappings
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED) return ErrnoStatus(errno, "mmap", path);
  return MappedFile(static_cast<const char*>(data), static_cast<size_t>(size));
}

MappedFile::MappedFile(MappedFile&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

absl::StatusOr<std::vector<std::string>> ListFiles(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file()) names.push_back(it->path().filename().string());
  }
  if (ec) return ErrorCodeStatus(ec, "list", dir);
  return names;
}

absl::Status CreateDirectories(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path path = std::filesystem::absolute(dir, ec).lexically_normal();
  if (ec) return ErrorCodeStatus(ec, "resolve", dir);
  if (!path.has_filename()) path = path.parent_path();  // "a/b/" names "a/b"
  if (std::filesystem::is_directory(path, ec)) return absl::OkStatus();
  if (absl::Status s = CreateDirectories(path.parent_path().string()); !s.ok()) return s;
  if (::mkdir(path.c_str(), kDirectoryMode) != 0 && errno != EEXIST) {
    return ErrnoStatus(errno, "mkdir", path.string());
  }
  return SyncDirectory(path.parent_path().string());
}

void LogWarning(std::string_view message) {
  std::fprintf(stderr, "[file_event_log] WARNING: %.*s\n", static_cast<int>(message.size()),
               message.data());
}

}  // namespace microcred::file_log
