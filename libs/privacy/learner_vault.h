// LearnerVault: personal data at rest, encrypted with a key of its learner's own, so that
// erasing a learner (GDPR art. 17) is deleting one key: every copy of their data, in stores,
// backups and logs, becomes unreadable without rewriting any of it.
//
// Keys:
//   - the node's VaultMasterKey (a node secret file) only wraps learner keys;
//   - each learner key is random, created on the learner's first Seal, and kept in the
//     StateStore wrapped under the master key at LearnerKeyStoreKey(learner_ref)
//     ("privacy/key/<learner_ref>"). The store alone never reveals it.
// Data: XChaCha20-Poly1305 (IETF) under the learner key, random nonce, the learner_ref bound as
// associated data. The caller stores the ciphertext wherever it likes.
//
// Ciphertext format (version 1; persisted, so never changed in place):
//   0x01 | key id (16) | owner tag (16) | nonce (24) | AEAD ciphertext and tag
// with associated data "microcred.vault.data.v1\0" | the first 33 bytes | learner_ref. The key
// id names the learner key that sealed it; the owner tag (keyed by the master key) binds it to
// learner_ref, which lets Open() tell "not this learner's data" (DataLoss) from "this learner
// was erased" (FailedPrecondition).
//
// The wrapped key at LearnerKeyStoreKey(learner_ref) (version 1):
//   0x01 | key id (16) | nonce (24) | AEAD ciphertext of the learner key and tag
// under a key derived from the master key, with associated data
// "microcred.vault.wrapped-key.v1\0" | the first 17 bytes | learner_ref, so a wrapped key moved
// to another learner's entry does not unwrap.
//
// Batches: Seal() and Erase() only add to the caller's WriteBatch; nothing is visible until the
// caller commits it. Seal() looks for the learner's key in `writes` before the store, so any
// number of seals for a new learner in one batch share one key, and a seal after an erase in
// the same batch gets a fresh key. The caller must commit the batch holding a new key no later
// than it stores the ciphertexts sealed with it, and must not build two batches for the same
// new learner at once (one writer per learner; the StateStore has no compare-and-set): the
// later commit would replace the key of the earlier. Open() reads the store only.
//
// Construction is cheap (it keeps references), so a projector can make one per Apply() over its
// StagedState. Thread-safe as far as the StateStore is; a WriteBatch belongs to one thread.
// Key material is wiped (sodium_memzero) once used.
#ifndef MICROCRED_LIBS_PRIVACY_LEARNER_VAULT_H_
#define MICROCRED_LIBS_PRIVACY_LEARNER_VAULT_H_

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "libs/ports/state_store.h"

namespace microcred::privacy {

inline constexpr size_t kVaultMasterKeyBytes = 32;

// The node secret that wraps learner keys. Move-only; wiped on destruction.
class VaultMasterKey {
 public:
  // InvalidArgument unless `bytes` is kVaultMasterKeyBytes long.
  static absl::StatusOr<VaultMasterKey> FromBytes(std::string_view bytes);
  static VaultMasterKey Generate();

  VaultMasterKey(VaultMasterKey&& other) noexcept;
  VaultMasterKey& operator=(VaultMasterKey&& other) noexcept;
  VaultMasterKey(const VaultMasterKey&) = delete;
  VaultMasterKey& operator=(const VaultMasterKey&) = delete;
  ~VaultMasterKey();

  // For writing the node's secret file (mode 0600).
  std::string ToBytes() const;

 private:
  friend class LearnerVault;
  using Key = std::array<unsigned char, kVaultMasterKeyBytes>;

  explicit VaultMasterKey(const Key& master);
  void Wipe();

  Key master_{};
  // Derived from the master key, one per use, so that no key serves two primitives.
  Key wrapping_key_{};   // AEAD key for learner keys
  Key owner_tag_key_{};  // BLAKE2b key for owner tags
};

class LearnerVault {
 public:
  // `store` and `master_key` must outlive the vault.
  LearnerVault(StateStore& store, const VaultMasterKey& master_key)
      : store_(store), master_key_(master_key) {}

  // Encrypts `plaintext` for `learner_ref` and returns the ciphertext. Uses the learner's key
  // from `writes` or the store; when there is none, creates one and adds its wrapped form to
  // `writes`. InvalidArgument for an empty learner_ref; DataLoss when the stored key does not
  // unwrap (wrong master key or damaged store); store errors as they come.
  absl::StatusOr<std::string> Seal(const std::string& learner_ref, std::string_view plaintext,
                                   WriteBatch& writes) const;

  // The plaintext of a ciphertext Seal() returned for `learner_ref`.
  //   FailedPrecondition "learner erased: ..." when the key that sealed it has been erased;
  //   DataLoss when the ciphertext was altered, truncated, or sealed for another learner, or
  //     when the stored key does not unwrap;
  //   InvalidArgument for an empty learner_ref; store errors as they come.
  absl::StatusOr<std::string> Open(const std::string& learner_ref,
                                   std::string_view ciphertext) const;

  // Adds the deletion of the learner's key to `writes`. Once committed, everything sealed for
  // the learner so far is unreadable for good; a later Seal() starts a new key. Needs no master
  // key: a process that only erases (a node's other processes) calls it without a vault.
  static void Erase(const std::string& learner_ref, WriteBatch& writes);

  // "privacy/key/<learner_ref>": where the wrapped learner key lives.
  static std::string LearnerKeyStoreKey(std::string_view learner_ref);

 private:
  struct LearnerKey;

  absl::StatusOr<std::optional<LearnerKey>> FindKey(const std::string& learner_ref,
                                                    const WriteBatch* writes) const;
  LearnerKey CreateKey(const std::string& learner_ref, WriteBatch& writes) const;
  absl::StatusOr<LearnerKey> Unwrap(const std::string& learner_ref, std::string_view wrapped) const;
  std::string OwnerTag(std::string_view key_id, std::string_view learner_ref) const;

  StateStore& store_;
  const VaultMasterKey& master_key_;
};

}  // namespace microcred::privacy

#endif  // MICROCRED_LIBS_PRIVACY_LEARNER_VAULT_H_
