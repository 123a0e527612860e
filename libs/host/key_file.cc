#include "libs/host/key_file.h"

#include "libs/crypto/secret_file.h"

namespace microcred::host {

absl::StatusOr<std::string> LoadSecret(const std::string& path) {
  return crypto::ReadSecretFile(path, kSecretBytes, kSecretBytes);
}

absl::StatusOr<std::string> LoadOrCreateSecret(const std::string& path) {
  return crypto::ReadOrCreateSecretFile(path, kSecretBytes, kSecretBytes,
                                        [] { return crypto::RandomBytes(kSecretBytes); });
}

namespace {
absl::StatusOr<crypto::SigningKey> KeyFromSecret(absl::StatusOr<std::string> seed) {
  if (!seed.ok()) return seed.status();
  absl::StatusOr<crypto::SigningKey> key = crypto::SigningKey::FromSeed(*seed);
  crypto::Wipe(*seed);
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
