// Secrets kept in files: 32 raw bytes, readable by the owner only (0600). A node keeps its
// Ed25519 signing keys (the seed), its development token key, its learner-pseudonym secret and
// its vault master key this way.
#ifndef MICROCRED_LIBS_HOST_KEY_FILE_H_
#define MICROCRED_LIBS_HOST_KEY_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/crypto/crypto.h"

namespace microcred::host {

inline constexpr size_t kSecretBytes = 32;

// Reads the secret at `path`. NotFound when the file does not exist; FailedPrecondition when it
// is not a regular file, is accessible to others or writable by its group, or is not 32 bytes.
absl::StatusOr<std::string> LoadSecret(const std::string& path);

// Reads the secret at `path`, or generates one and writes it there with mode 0600. The
// directory must exist. Safe when several processes race on the same path: exactly one secret
// is written and every caller returns it.
absl::StatusOr<std::string> LoadOrCreateSecret(const std::string& path);

// The same for an Ed25519 signing key whose seed is the secret.
// Reads the key at `path`. NotFound when the file does not exist; FailedPrecondition when it
// is not a regular file, is accessible to others or writable by its group, or is not 32 bytes.
// (Group read is tolerated: Kubernetes adds it to secrets mounted in a pod with fsGroup.)
absl::StatusOr<crypto::SigningKey> LoadSigningKey(const std::string& path);

// Reads the key at `path`, or generates one and writes it there with mode 0600. The directory
// must exist. Safe when several processes race on the same path: exactly one key is written
// and every caller returns it.
absl::StatusOr<crypto::SigningKey> LoadOrCreateSigningKey(const std::string& path);

}  // namespace microcred::host

#endif  // MICROCRED_LIBS_HOST_KEY_FILE_H_
