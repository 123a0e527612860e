#include "libs/privacy/learner_vault.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "libs/crypto/crypto.h"

namespace microcred::privacy {
namespace {

constexpr char kVersion = 0x01;
constexpr size_t kKeyIdBytes = 16;
constexpr size_t kOwnerTagBytes = 16;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kAeadTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kLearnerKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr size_t kSealedHeaderBytes = 1 + kKeyIdBytes + kOwnerTagBytes;
constexpr size_t kWrappedHeaderBytes = 1 + kKeyIdBytes;
constexpr size_t kWrappedBytes =
    kWrappedHeaderBytes + kNonceBytes + kLearnerKeyBytes + kAeadTagBytes;

// Domain tags end with their NUL, so no tag is a prefix of what follows another.
template <size_t N>
constexpr std::string_view WithNul(const char (&text)[N]) {
  return std::string_view(text, N);
}
constexpr std::string_view kDataDomain = WithNul("microcred.vault.data.v1");
constexpr std::string_view kWrapDomain = WithNul("microcred.vault.wrapped-key.v1");
constexpr std::string_view kOwnerDomain = WithNul("microcred.vault.owner.v1");
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "mcvault1";
constexpr uint64_t kWrappingSubkeyId = 1;
constexpr uint64_t kOwnerTagSubkeyId = 2;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* MutableBytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

void EnsureSodium() {
  static const bool ok = crypto::InitCrypto().ok();
  if (!ok) {
    std::fputs("privacy: libsodium failed to initialise\n", stderr);
    std::abort();
  }
}

std::string AssociatedData(std::string_view domain, std::string_view header,
                           std::string_view learner_ref) {
  std::string ad(domain);
  ad.append(header).append(learner_ref);
  return ad;
}

// nonce | ciphertext | tag, with a fresh random nonce (XChaCha's 192 bits make reuse
// negligible).
std::string AeadSeal(const unsigned char* key, std::string_view plaintext, std::string_view ad) {
  std::string out(kNonceBytes + plaintext.size() + kAeadTagBytes, '\0');
  randombytes_buf(out.data(), kNonceBytes);
  crypto_aead_xchacha20poly1305_ietf_encrypt(MutableBytes(out) + kNonceBytes, nullptr,
                                             Bytes(plaintext), plaintext.size(), Bytes(ad),
                                             ad.size(), nullptr, MutableBytes(out), key);
  return out;
}

// Writes the plaintext of `sealed` (what AeadSeal returned) to `out`, which has room for
// sealed.size() - kNonceBytes - kAeadTagBytes bytes. False when it does not authenticate.
bool AeadOpen(const unsigned char* key, std::string_view sealed, std::string_view ad,
              unsigned char* out) {
  if (sealed.size() < kNonceBytes + kAeadTagBytes) return false;
  return crypto_aead_xchacha20poly1305_ietf_decrypt(
             out, nullptr, nullptr, Bytes(sealed) + kNonceBytes, sealed.size() - kNonceBytes,
             Bytes(ad), ad.size(), Bytes(sealed), key) == 0;
}

// Whether `writes` has an op on `key`; if so, `value` becomes what its last op leaves there.
bool LatestInBatch(const WriteBatch* writes, const std::string& key,
                   std::optional<std::string>& value) {
  if (writes == nullptr) return false;
  for (auto op = writes->ops().rbegin(); op != writes->ops().rend(); ++op) {
    if (op->key != key) continue;
    value = op->kind == WriteBatch::Op::Kind::kPut ? std::optional(op->value) : std::nullopt;
    return true;
  }
  return false;
}

absl::Status EmptyLearnerRef() {
  return absl::InvalidArgumentError("learner vault: learner_ref must not be empty");
}
absl::Status LearnerErased() {
  return absl::FailedPreconditionError(
      "learner erased: the key this data was sealed with has been deleted");
}
absl::Status BadWrappedKey() {
  return absl::DataLossError(
      "learner vault: stored learner key does not unwrap (wrong master key or damaged store)");
}

}  // namespace

// ---- VaultMasterKey ----

VaultMasterKey::VaultMasterKey(const Key& master) : master_(master) {
  EnsureSodium();
  crypto_kdf_derive_from_key(wrapping_key_.data(), wrapping_key_.size(), kWrappingSubkeyId,
                             kKdfContext, master_.data());
  crypto_kdf_derive_from_key(owner_tag_key_.data(), owner_tag_key_.size(), kOwnerTagSubkeyId,
                             kKdfContext, master_.data());
}

absl::StatusOr<VaultMasterKey> VaultMasterKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kVaultMasterKeyBytes) {
    return absl::InvalidArgumentError("vault master key: must be 32 bytes");
  }
  Key master;
  std::memcpy(master.data(), bytes.data(), master.size());
  VaultMasterKey key(master);
  sodium_memzero(master.data(), master.size());
  return key;
}

VaultMasterKey VaultMasterKey::Generate() {
  EnsureSodium();
  Key master;
  randombytes_buf(master.data(), master.size());
  VaultMasterKey key(master);
  sodium_memzero(master.data(), master.size());
  return key;
}

VaultMasterKey::VaultMasterKey(VaultMasterKey&& other) noexcept
    : master_(other.master_),
      wrapping_key_(other.wrapping_key_),
      owner_tag_key_(other.owner_tag_key_) {
  other.Wipe();
}

VaultMasterKey& VaultMasterKey::operator=(VaultMasterKey&& other) noexcept {
  if (this != &other) {
    master_ = other.master_;
    wrapping_key_ = other.wrapping_key_;
    owner_tag_key_ = other.owner_tag_key_;
    other.Wipe();
  }
  return *this;
}

VaultMasterKey::~VaultMasterKey() { Wipe(); }

void VaultMasterKey::Wipe() {
  sodium_memzero(master_.data(), master_.size());
  sodium_memzero(wrapping_key_.data(), wrapping_key_.size());
  sodium_memzero(owner_tag_key_.data(), owner_tag_key_.size());
}

std::string VaultMasterKey::ToBytes() const { return std::string(master_.begin(), master_.end()); }

// ---- LearnerVault ----

struct LearnerVault::LearnerKey {
  std::string id;  // kKeyIdBytes; not secret
  std::array<unsigned char, kLearnerKeyBytes> key{};

  LearnerKey() = default;
  LearnerKey(LearnerKey&&) = default;  // copies the array; the source wipes its own
  LearnerKey(const LearnerKey&) = delete;
  ~LearnerKey() { sodium_memzero(key.data(), key.size()); }

  std::string_view secret() const {
    return std::string_view(reinterpret_cast<const char*>(key.data()), key.size());
  }
};

std::string LearnerVault::LearnerKeyStoreKey(std::string_view learner_ref) {
  return std::string("privacy/key/").append(learner_ref);
}

absl::StatusOr<std::string> LearnerVault::Seal(const std::string& learner_ref,
                                               std::string_view plaintext,
                                               WriteBatch& writes) const {
  if (learner_ref.empty()) return EmptyLearnerRef();
  absl::StatusOr<std::optional<LearnerKey>> found = FindKey(learner_ref, &writes);
  if (!found.ok()) return found.status();
  const LearnerKey key = found->has_value() ? std::move(**found) : CreateKey(learner_ref, writes);
  std::string header(1, kVersion);
  header.append(key.id).append(OwnerTag(key.id, learner_ref));
  return header +
         AeadSeal(key.key.data(), plaintext, AssociatedData(kDataDomain, header, learner_ref));
}

absl::StatusOr<std::string> LearnerVault::Open(const std::string& learner_ref,
                                               std::string_view ciphertext) const {
  if (learner_ref.empty()) return EmptyLearnerRef();
  if (ciphertext.size() < kSealedHeaderBytes + kNonceBytes + kAeadTagBytes ||
      ciphertext[0] != kVersion) {
    return absl::DataLossError("learner vault: ciphertext truncated or of an unknown version");
  }
  const std::string_view header = ciphertext.substr(0, kSealedHeaderBytes);
  const std::string_view key_id = header.substr(1, kKeyIdBytes);
  const std::string expected_tag = OwnerTag(key_id, learner_ref);
  if (sodium_memcmp(Bytes(header.substr(1 + kKeyIdBytes)), Bytes(expected_tag), kOwnerTagBytes) !=
      0) {
    return absl::DataLossError("learner vault: ciphertext damaged or not this learner's");
  }
  absl::StatusOr<std::optional<LearnerKey>> found = FindKey(learner_ref, nullptr);
  if (!found.ok()) return found.status();
  if (!found->has_value() || (*found)->id != key_id) return LearnerErased();
  std::string plaintext(ciphertext.size() - kSealedHeaderBytes - kNonceBytes - kAeadTagBytes, '\0');
  if (!AeadOpen((*found)->key.data(), ciphertext.substr(kSealedHeaderBytes),
                AssociatedData(kDataDomain, header, learner_ref), MutableBytes(plaintext))) {
    return absl::DataLossError("learner vault: ciphertext fails authentication");
  }
  return plaintext;
}

void LearnerVault::Erase(const std::string& learner_ref, WriteBatch& writes) {
  writes.Delete(LearnerKeyStoreKey(learner_ref));
}

absl::StatusOr<std::optional<LearnerVault::LearnerKey>> LearnerVault::FindKey(
    const std::string& learner_ref, const WriteBatch* writes) const {
  const std::string store_key = LearnerKeyStoreKey(learner_ref);
  std::optional<std::string> wrapped;
  if (!LatestInBatch(writes, store_key, wrapped)) {
    absl::StatusOr<std::optional<std::string>> stored = store_.Get(store_key);
    if (!stored.ok()) return stored.status();
    wrapped = *std::move(stored);
  }
  if (!wrapped.has_value()) return std::optional<LearnerKey>();
  absl::StatusOr<LearnerKey> key = Unwrap(learner_ref, *wrapped);
  if (!key.ok()) return key.status();
  return std::optional<LearnerKey>(*std::move(key));
}

LearnerVault::LearnerKey LearnerVault::CreateKey(const std::string& learner_ref,
                                                 WriteBatch& writes) const {
  LearnerKey key;
  key.id = crypto::RandomBytes(kKeyIdBytes);
  randombytes_buf(key.key.data(), key.key.size());
  std::string wrapped(1, kVersion);
  wrapped.append(key.id);
  wrapped += AeadSeal(master_key_.wrapping_key_.data(), key.secret(),
                      AssociatedData(kWrapDomain, wrapped, learner_ref));
  writes.Put(LearnerKeyStoreKey(learner_ref), std::move(wrapped));
  return key;
}

absl::StatusOr<LearnerVault::LearnerKey> LearnerVault::Unwrap(const std::string& learner_ref,
                                                              std::string_view wrapped) const {
  if (wrapped.size() != kWrappedBytes || wrapped[0] != kVersion) return BadWrappedKey();
  LearnerKey key;
  key.id = std::string(wrapped.substr(1, kKeyIdBytes));
  const std::string ad =
      AssociatedData(kWrapDomain, wrapped.substr(0, kWrappedHeaderBytes), learner_ref);
  if (!AeadOpen(master_key_.wrapping_key_.data(), wrapped.substr(kWrappedHeaderBytes), ad,
                key.key.data())) {
    return BadWrappedKey();
  }
  return key;
}

std::string LearnerVault::OwnerTag(std::string_view key_id, std::string_view learner_ref) const {
  crypto_generichash_state state;
  crypto_generichash_init(&state, master_key_.owner_tag_key_.data(),
                          master_key_.owner_tag_key_.size(), kOwnerTagBytes);
  crypto_generichash_update(&state, Bytes(kOwnerDomain), kOwnerDomain.size());
  crypto_generichash_update(&state, Bytes(key_id), key_id.size());
  crypto_generichash_update(&state, Bytes(learner_ref), learner_ref.size());
  std::string tag(kOwnerTagBytes, '\0');
  crypto_generichash_final(&state, MutableBytes(tag), tag.size());
  sodium_memzero(&state, sizeof state);
  return tag;
}

}  // namespace microcred::privacy
