// Secret files: keys and secrets kept on disk, readable by their owner only.
//
// A secret file is a regular file of mode 0600 (group read is tolerated: Kubernetes adds it to
// secrets mounted in a pod that sets fsGroup; anything more would let other accounts read or
// replace the key). Files are created aside and linked into place, so a reader never sees a
// half-written file, an existing file is never replaced, and when several processes race to
// create one, exactly one content wins and every caller gets it.
//
// Errors name the file: NotFound when it does not exist; FailedPrecondition when it is not a
// regular file, its permissions are too open ("run chmod 600 <path>") or its size is outside
// the expected range; AlreadyExists when a new file's path is taken; Internal for other I/O.
#ifndef MICROCRED_LIBS_CRYPTO_SECRET_FILE_H_
#define MICROCRED_LIBS_CRYPTO_SECRET_FILE_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace microcred::crypto {

// The content of the secret file at `path`, whose size must be in [min_bytes, max_bytes].
absl::StatusOr<std::string> ReadSecretFile(const std::string& path, size_t min_bytes,
                                           size_t max_bytes);

// Writes `content` to a new secret file at `path` (mode 0600, fsynced).
absl::Status WriteSecretFile(const std::string& path, std::string_view content);

// The secret file at `path`, created with `generate()` when it does not exist yet.
absl::StatusOr<std::string> ReadOrCreateSecretFile(const std::string& path, size_t min_bytes,
                                                   size_t max_bytes,
                                                   const std::function<std::string()>& generate);

// Overwrites `secret` in memory with zeros.
void Wipe(std::string& secret);

}  // namespace microcred::crypto

#endif  // MICROCRED_LIBS_CRYPTO_SECRET_FILE_H_
