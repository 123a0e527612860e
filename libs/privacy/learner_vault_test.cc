#include "libs/privacy/learner_vault.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "libs/adapters/memory/memory_state_store.h"

namespace microcred::privacy {
namespace {

using ::absl::StatusCode;

class LearnerVaultTest : public ::testing::Test {
 protected:
  // Seals in a batch of its own and commits it.
  std::string SealCommitted(const std::string& learner_ref, std::string_view plaintext) {
    WriteBatch writes;
    absl::StatusOr<std::string> sealed = vault_.Seal(learner_ref, plaintext, writes);
    EXPECT_TRUE(sealed.ok()) << sealed.status();
    EXPECT_TRUE(store_.Commit(writes).ok());
    return sealed.value_or("");
  }
  void EraseCommitted(const std::string& learner_ref) {
    WriteBatch writes;
    vault_.Erase(learner_ref, writes);
    ASSERT_TRUE(store_.Commit(writes).ok());
  }
  std::string OpenOk(const std::string& learner_ref, std::string_view ciphertext) {
    absl::StatusOr<std::string> plaintext = vault_.Open(learner_ref, ciphertext);
    EXPECT_TRUE(plaintext.ok()) << plaintext.status();
    return plaintext.value_or("<failed>");
  }

  MemoryStateStore store_;
  VaultMasterKey master_ = VaultMasterKey::Generate();
  LearnerVault vault_{store_, master_};
};

TEST_F(LearnerVaultTest, SealOpenRoundTrip) {
  const std::string binary("name\0Ana\xff\x01", 10);
  const std::string sealed = SealCommitted("lp1_ana", binary);
  EXPECT_EQ(OpenOk("lp1_ana", sealed), binary);
  EXPECT_EQ(OpenOk("lp1_ana", SealCommitted("lp1_ana", "")), "");
  const std::string big(100'000, 'x');
  EXPECT_EQ(OpenOk("lp1_ana", SealCommitted("lp1_ana", big)), big);
}

TEST_F(LearnerVaultTest, CiphertextsAreRandomizedAndHidePlaintext) {
  const std::string a = SealCommitted("lp1_ana", "ana.lopez@example.org");
  const std::string b = SealCommitted("lp1_ana", "ana.lopez@example.org");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find("ana.lopez"), std::string::npos);
}

TEST_F(LearnerVaultTest, OneKeyPerLearnerAcrossBatches) {
  const std::string first = SealCommitted("lp1_ana", "one");
  WriteBatch writes;
  absl::StatusOr<std::string> second = vault_.Seal("lp1_ana", "two", writes);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(writes.empty());  // the stored key was reused, nothing new to write
  EXPECT_EQ(OpenOk("lp1_ana", first), "one");
  EXPECT_EQ(OpenOk("lp1_ana", *second), "two");
}

TEST_F(LearnerVaultTest, SealsInOneUncommittedBatchShareTheNewKey) {
  WriteBatch writes;
  absl::StatusOr<std::string> first = vault_.Seal("lp1_new", "given name", writes);
  absl::StatusOr<std::string> second = vault_.Seal("lp1_new", "family name", writes);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(writes.ops().size(), 1u);
  ASSERT_TRUE(store_.Commit(writes).ok());
  EXPECT_EQ(OpenOk("lp1_new", *first), "given name");
  EXPECT_EQ(OpenOk("lp1_new", *second), "family name");
}

TEST_F(LearnerVaultTest, AnotherLearnerCannotOpen) {
  const std::string sealed = SealCommitted("lp1_ana", "ana's data");
  EXPECT_EQ(vault_.Open("lp1_bob", sealed).status().code(), StatusCode::kDataLoss);
  SealCommitted("lp1_bob", "bob has a key too");
  EXPECT_EQ(vault_.Open("lp1_bob", sealed).status().code(), StatusCode::kDataLoss);
}

TEST_F(LearnerVaultTest, EveryAlteredByteIsDataLoss) {
  const std::string sealed = SealCommitted("lp1_ana", "grade: 18/20");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string altered = sealed;
    altered[i] ^= 0x20;
    EXPECT_EQ(vault_.Open("lp1_ana", altered).status().code(), StatusCode::kDataLoss) << i;
  }
  EXPECT_EQ(vault_.Open("lp1_ana", sealed.substr(0, sealed.size() - 1)).status().code(),
            StatusCode::kDataLoss);
  EXPECT_EQ(vault_.Open("lp1_ana", sealed + "x").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(vault_.Open("lp1_ana", "").status().code(), StatusCode::kDataLoss);
}

TEST_F(LearnerVaultTest, EraseMakesTheLearnersDataUnreadableAndOnlyTheirs) {
  const std::string ana = SealCommitted("lp1_ana", "ana");
  const std::string bob = SealCommitted("lp1_bob", "bob");
  EraseCommitted("lp1_ana");
  EXPECT_FALSE(store_.Get(LearnerVault::LearnerKeyStoreKey("lp1_ana"))->has_value());
  absl::StatusOr<std::string> opened = vault_.Open("lp1_ana", ana);
  EXPECT_EQ(opened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(opened.status().message().rfind("learner erased", 0), 0u) << opened.status();
  EXPECT_EQ(OpenOk("lp1_bob", bob), "bob");
}

TEST_F(LearnerVaultTest, ALearnerSealedAgainAfterErasureGetsANewKey) {
  const std::string before = SealCommitted("lp1_ana", "before");
  EraseCommitted("lp1_ana");
  const std::string after = SealCommitted("lp1_ana", "after");
  EXPECT_EQ(OpenOk("lp1_ana", after), "after");
  EXPECT_EQ(vault_.Open("lp1_ana", before).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(LearnerVaultTest, SealAfterEraseInTheSameBatchUsesAFreshKey) {
  const std::string before = SealCommitted("lp1_ana", "before");
  WriteBatch writes;
  vault_.Erase("lp1_ana", writes);
  absl::StatusOr<std::string> after = vault_.Seal("lp1_ana", "after", writes);
  ASSERT_TRUE(after.ok());
  ASSERT_TRUE(store_.Commit(writes).ok());
  EXPECT_EQ(OpenOk("lp1_ana", *after), "after");
  EXPECT_EQ(vault_.Open("lp1_ana", before).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(LearnerVaultTest, UncommittedKeyIsNotVisibleToOpen) {
  WriteBatch writes;
  absl::StatusOr<std::string> sealed = vault_.Seal("lp1_new", "x", writes);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(vault_.Open("lp1_new", *sealed).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(LearnerVaultTest, TheStoreAloneDoesNotRevealTheKey) {
  const std::string sealed = SealCommitted("lp1_ana", "secret grade");
  absl::StatusOr<std::optional<std::string>> wrapped =
      store_.Get(LearnerVault::LearnerKeyStoreKey("lp1_ana"));
  ASSERT_TRUE(wrapped.ok() && wrapped->has_value());
  // No 32-byte window of the stored value is the key that sealed the data (the documented
  // format: 33-byte header, 24-byte nonce, then the AEAD output).
  const std::string header = sealed.substr(0, 33);
  std::string ad("microcred.vault.data.v1", 24);
  ad += header + "lp1_ana";
  const std::string nonce = sealed.substr(33, 24);
  const std::string body = sealed.substr(57);
  std::string plain(body.size(), '\0');
  for (size_t at = 0; at + 32 <= (*wrapped)->size(); ++at) {
    const auto* key = reinterpret_cast<const unsigned char*>((*wrapped)->data() + at);
    EXPECT_NE(crypto_aead_xchacha20poly1305_ietf_decrypt(
                  reinterpret_cast<unsigned char*>(plain.data()), nullptr, nullptr,
                  reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                  reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
                  reinterpret_cast<const unsigned char*>(nonce.data()), key),
              0)
        << at;
  }
  // Another master key over the same store cannot unwrap it; the right one, from its bytes,
  // can.
  const VaultMasterKey other = VaultMasterKey::Generate();
  EXPECT_EQ(LearnerVault(store_, other).Open("lp1_ana", sealed).status().code(),
            StatusCode::kDataLoss);
  absl::StatusOr<VaultMasterKey> reloaded = VaultMasterKey::FromBytes(master_.ToBytes());
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(*LearnerVault(store_, *reloaded).Open("lp1_ana", sealed), "secret grade");
}

TEST_F(LearnerVaultTest, AWrappedKeyMovedToAnotherLearnerDoesNotUnwrap) {
  SealCommitted("lp1_ana", "ana");
  const std::string sealed_bob = SealCommitted("lp1_bob", "bob");
  WriteBatch swap;
  swap.Put(LearnerVault::LearnerKeyStoreKey("lp1_bob"),
           **store_.Get(LearnerVault::LearnerKeyStoreKey("lp1_ana")));
  ASSERT_TRUE(store_.Commit(swap).ok());
  EXPECT_EQ(vault_.Open("lp1_bob", sealed_bob).status().code(), StatusCode::kDataLoss);
  WriteBatch writes;
  EXPECT_EQ(vault_.Seal("lp1_bob", "more", writes).status().code(), StatusCode::kDataLoss);
}

TEST_F(LearnerVaultTest, RefusesAnEmptyLearnerRef) {
  WriteBatch writes;
  EXPECT_EQ(vault_.Seal("", "x", writes).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(vault_.Open("", "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(writes.empty());
}

class UnavailableStore final : public StateStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(const std::string&) override {
    return absl::UnavailableError("store down");
  }
  absl::Status Commit(const WriteBatch&) override { return absl::UnavailableError("store down"); }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string&) override {
    return absl::UnavailableError("store down");
  }
};

TEST(LearnerVaultStoreTest, StoreErrorsPassThrough) {
  UnavailableStore store;
  const VaultMasterKey master = VaultMasterKey::Generate();
  MemoryStateStore healthy;
  WriteBatch writes;
  const std::string sealed = *LearnerVault(healthy, master).Seal("lp1_ana", "x", writes);
  const LearnerVault vault(store, master);
  WriteBatch fresh;
  EXPECT_EQ(vault.Seal("lp1_ana", "x", fresh).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(vault.Open("lp1_ana", sealed).status().code(), StatusCode::kUnavailable);
}

TEST(VaultMasterKeyTest, BytesRoundTripAndSizeIsChecked) {
  const VaultMasterKey key = VaultMasterKey::Generate();
  EXPECT_EQ(key.ToBytes().size(), kVaultMasterKeyBytes);
  EXPECT_NE(key.ToBytes(), VaultMasterKey::Generate().ToBytes());
  absl::StatusOr<VaultMasterKey> again = VaultMasterKey::FromBytes(key.ToBytes());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ToBytes(), key.ToBytes());
  EXPECT_EQ(VaultMasterKey::FromBytes("short").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(VaultMasterKey::FromBytes(std::string(33, 'k')).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(VaultMasterKeyTest, MovedFromKeyIsWiped) {
  VaultMasterKey key = VaultMasterKey::Generate();
  const std::string bytes = key.ToBytes();
  VaultMasterKey moved = std::move(key);
  EXPECT_EQ(moved.ToBytes(), bytes);
  EXPECT_EQ(key.ToBytes(),
            std::string(kVaultMasterKeyBytes, '\0'));  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace microcred::privacy
