#include "libs/crypto/secret_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "libs/crypto/crypto.h"

namespace microcred::crypto {
namespace {

absl::Status ErrnoError(std::string_view action, const std::string& path) {
  const int error = errno;
  std::string message =
      "secret file " + path + ": " + std::string(action) + ": " + std::strerror(error);
  if (error == ENOENT) return absl::NotFoundError(message);
  if (error == EEXIST) return absl::AlreadyExistsError(message);
  return absl::InternalError(message);
}

// Closes on every path out of a function.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

absl::Status CheckStat(const struct stat& info, const std::string& path, size_t min_bytes,
                       size_t max_bytes) {
  const std::string prefix = "secret file " + path + ": ";
  if (!S_ISREG(info.st_mode)) return absl::FailedPreconditionError(prefix + "not a regular file");
  if ((info.st_mode & (S_IWGRP | S_IXGRP | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%03o", static_cast<unsigned>(info.st_mode & 0777));
    return absl::FailedPreconditionError(prefix + "permissions too open (mode " + mode +
                                         "); run chmod 600 " + path);
  }
  const auto size = static_cast<size_t>(info.st_size);
  if (size < min_bytes || size > max_bytes) {
    return absl::FailedPreconditionError(
        prefix + std::to_string(size) + " bytes, expected " +
        (min_bytes == max_bytes ? std::to_string(min_bytes)
                                : std::to_string(min_bytes) + " to " + std::to_string(max_bytes)));
  }
  return absl::OkStatus();
}

absl::Status ReadAll(int fd, std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t got = ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return ErrnoError("read", path);
    if (got == 0) return absl::FailedPreconditionError("secret file " + path + ": short read");
    done += static_cast<size_t>(got);
  }
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return ErrnoError("write", path);
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

absl::Status WriteNewFile(const std::string& path, std::string_view content) {
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return ErrnoError("create", path);
  if (absl::Status status = WriteAll(fd.get(), content, path); !status.ok()) return status;
  if (::fsync(fd.get()) != 0) return ErrnoError("fsync", path);
  return absl::OkStatus();
}

}  // namespace

void Wipe(std::string& secret) { sodium_memzero(secret.data(), secret.size()); }

absl::StatusOr<std::string> ReadSecretFile(const std::string& path, size_t min_bytes,
                                           size_t max_bytes) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError("open", path);
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) return ErrnoError("stat", path);
  if (absl::Status status = CheckStat(info, path, min_bytes, max_bytes); !status.ok()) {
    return status;
  }
  std::string content(static_cast<size_t>(info.st_size), '\0');
  if (absl::Status status = ReadAll(fd.get(), content, path); !status.ok()) {
    Wipe(content);
    return status;
  }
  return content;
}

absl::Status WriteSecretFile(const std::string& path, std::string_view content) {
  // Write aside, then link into place: link() never replaces an existing file.
  const std::string temp = path + ".tmp." + RandomId();
  absl::Status written = WriteNewFile(temp, content);
  if (!written.ok()) {
    ::unlink(temp.c_str());
    return written;
  }
  int linked = ::link(temp.c_str(), path.c_str());
  int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked == 0) return absl::OkStatus();
  errno = link_errno;
  return ErrnoError("link", path);
}

absl::StatusOr<std::string> ReadOrCreateSecretFile(const std::string& path, size_t min_bytes,
                                                   size_t max_bytes,
                                                   const std::function<std::string()>& generate) {
  absl::StatusOr<std::string> existing = ReadSecretFile(path, min_bytes, max_bytes);
  if (existing.ok() || !absl::IsNotFound(existing.status())) return existing;
  std::string created = generate();
  absl::Status saved = WriteSecretFile(path, created);
  if (saved.ok()) return created;
  Wipe(created);
  // Another process saved its secret first: use that one, as every other racer will.
  if (absl::IsAlreadyExists(saved)) return ReadSecretFile(path, min_bytes, max_bytes);
  return saved;
}

}  // namespace microcred::crypto
