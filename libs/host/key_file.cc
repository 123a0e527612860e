#include "libs/host/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "libs/host/strings_internal.h"

namespace microcred::host {

using internal::Cat;

namespace {

absl::Status ErrnoError(std::string_view action, const std::string& path) {
  std::string message = Cat("key file ", path, ": ", action, ": ", std::strerror(errno));
  return errno == ENOENT ? absl::NotFoundError(message) : absl::InternalError(message);
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

// Group read is tolerated because Kubernetes adds it to mounted secrets when a pod sets
// fsGroup; anything more would let other accounts read or replace the key.
absl::Status CheckKeyFileStat(const struct stat& info, const std::string& path) {
  if (!S_ISREG(info.st_mode)) {
    return absl::FailedPreconditionError(Cat("key file ", path, ": not a regular file"));
  }
  if ((info.st_mode & (S_IWGRP | S_IXGRP | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%03o", static_cast<unsigned>(info.st_mode & 0777));
    return absl::FailedPreconditionError(
        Cat("key file ", path, ": permissions too open (mode ", mode, "); run chmod 600 ", path));
  }
  if (info.st_size != kSecretBytes) {
    return absl::FailedPreconditionError(
        Cat("key file ", path, ": expected ", kSecretBytes, " bytes, found ", info.st_size));
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

// Writes `seed` to a new file at `path` with mode 0600, fsynced.
absl::Status WriteNewFile(const std::string& path, std::string_view seed) {
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return ErrnoError("create", path);
  if (absl::Status status = WriteAll(fd.get(), seed, path); !status.ok()) return status;
  if (::fsync(fd.get()) != 0) return ErrnoError("fsync", path);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> LoadSecret(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoError("open", path);
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) return ErrnoError("stat", path);
  if (absl::Status status = CheckKeyFileStat(info, path); !status.ok()) return status;
  std::string secret(kSecretBytes, '\0');
  ssize_t got = ::pread(fd.get(), secret.data(), secret.size(), 0);
  if (got != static_cast<ssize_t>(secret.size())) {
    sodium_memzero(secret.data(), secret.size());
    return absl::FailedPreconditionError(Cat("key file ", path, ": short read"));
  }
  return secret;
}

absl::StatusOr<std::string> LoadOrCreateSecret(const std::string& path) {
  absl::StatusOr<std::string> existing = LoadSecret(path);
  if (existing.ok() || !absl::IsNotFound(existing.status())) return existing;

  std::string secret = crypto::RandomBytes(kSecretBytes);
  // Write aside, then link into place: link() never replaces an existing file, so when two
  // processes race exactly one secret wins, and no reader ever sees a half-written file.
  std::string temp = Cat(path, ".tmp.", crypto::RandomId());
  absl::Status written = WriteNewFile(temp, secret);
  if (!written.ok()) {
    sodium_memzero(secret.data(), secret.size());
    ::unlink(temp.c_str());
    return written;
  }
  int linked = ::link(temp.c_str(), path.c_str());
  int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked == 0) return secret;
  sodium_memzero(secret.data(), secret.size());
  if (link_errno == EEXIST) return LoadSecret(path);
  errno = link_errno;
  return ErrnoError("link", path);
}

namespace {
absl::StatusOr<crypto::SigningKey> KeyFromSecret(absl::StatusOr<std::string> seed) {
  if (!seed.ok()) return seed.status();
  absl::StatusOr<crypto::SigningKey> key = crypto::SigningKey::FromSeed(*seed);
  sodium_memzero(seed->data(), seed->size());
  return key;
}
}  // namespace

absl::StatusOr<crypto::SigningKey> LoadSigningKey(const std::string& path) {
  return KeyFromSecret(LoadSecret(path));
}

absl::StatusOr<crypto::SigningKey> LoadOrCreateSigningKey(const std::string& path) {
  return KeyFromSecret(LoadOrCreateSecret(path));
}

}  // namespace microcred::host
