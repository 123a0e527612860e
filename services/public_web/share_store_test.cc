#include "services/public_web/share_store.h"

#include <gtest/gtest.h>

#include <set>

#include "libs/adapters/memory/memory_state_store.h"
#include "libs/crypto/crypto.h"

namespace microcred::web {
namespace {

class ShareStoreTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }
  MemoryStateStore memory_;
  ShareStore shares_{memory_};
};

TEST_F(ShareStoreTest, CreatesUnguessableIdsAndFindsThem) {
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    auto share = shares_.Create("urn:uuid:1", "pseudo-a", 1000 + i);
    ASSERT_TRUE(share.ok()) << share.status();
    EXPECT_TRUE(ShareStore::IsShareId(share->share_id())) << share->share_id();
    EXPECT_EQ(share->share_id().size(), 27u);  // 160 bits
    ids.insert(share->share_id());
  }
  EXPECT_EQ(ids.size(), 20u);
  auto found = shares_.Find(*ids.begin());
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->credential_id(), "urn:uuid:1");
  EXPECT_EQ((*found)->owner_pseudonym(), "pseudo-a");
}

TEST_F(ShareStoreTest, UnknownOrMalformedIdsFindNothing) {
  for (const std::string& id :
       std::vector<std::string>{"", "short", "../web/share/x", std::string(27, 'A')}) {
    auto found = shares_.Find(id);
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(found->has_value()) << id;
  }
}

TEST_F(ShareStoreTest, ListsAnOwnersLinksOnly) {
  ASSERT_TRUE(shares_.Create("urn:uuid:1", "pseudo-a", 1).ok());
  ASSERT_TRUE(shares_.Create("urn:uuid:2", "pseudo-a", 2).ok());
  ASSERT_TRUE(shares_.Create("urn:uuid:3", "pseudo-b", 3).ok());
  auto mine = shares_.OfOwner("pseudo-a");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].credential_id(), "urn:uuid:1");
  EXPECT_EQ((*mine)[1].credential_id(), "urn:uuid:2");
}

TEST_F(ShareStoreTest, OnlyTheOwnerWithdrawsAndWithdrawingDeletesTheLinksRecords) {
  auto share = shares_.Create("urn:uuid:1", "pseudo-a", 1);
  ASSERT_TRUE(share.ok());
  auto other = shares_.Withdraw(share->share_id(), "pseudo-b", 5);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kNotFound);
  auto found = shares_.Find(share->share_id());
  EXPECT_EQ((*found)->withdrawn_at_ms(), 0);  // unchanged

  auto withdrawn = shares_.Withdraw(share->share_id(), "pseudo-a", 5);
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->withdrawn_at_ms(), 5);
  // Nothing of the link is kept: the share and the owner's index entry are gone.
  EXPECT_EQ(*shares_.Find(share->share_id()), std::nullopt);
  EXPECT_TRUE(shares_.OfOwner("pseudo-a")->empty());
  EXPECT_EQ(memory_.size(), 0u);
  // So a second withdrawal finds nothing to withdraw.
  auto again = shares_.Withdraw(share->share_id(), "pseudo-a", 9);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ShareStoreTest, ALinkWithdrawnByAnEarlierReleaseIsDeletedWhenWithdrawnAgain) {
  auto share = shares_.Create("urn:uuid:1", "pseudo-a", 1);
  ASSERT_TRUE(share.ok());
  v1::ShareRecord tombstone = *share;  // as earlier releases kept a withdrawn link
  tombstone.set_withdrawn_at_ms(2);
  WriteBatch old;
  old.Put("web/share/" + share->share_id(), tombstone.SerializeAsString());
  ASSERT_TRUE(memory_.Commit(old).ok());
  auto withdrawn = shares_.Withdraw(share->share_id(), "pseudo-a", 5);
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->withdrawn_at_ms(), 2);
  EXPECT_EQ(memory_.size(), 0u);
}

TEST_F(ShareStoreTest, ErasingAnOwnerDeletesAllTheirLinksAndNoOneElses) {
  auto a1 = shares_.Create("urn:uuid:1", "pseudo-a", 1);
  auto a2 = shares_.Create("urn:uuid:2", "pseudo-a", 2);
  auto b = shares_.Create("urn:uuid:3", "pseudo-b", 3);
  auto ab = shares_.Create("urn:uuid:4", "pseudo-ab", 4);  // "pseudo-a" is a prefix of it
  ASSERT_TRUE(a1.ok() && a2.ok() && b.ok() && ab.ok());
  WriteBatch writes;
  ASSERT_TRUE(shares_.EraseOwner("pseudo-a", writes).ok());
  ASSERT_TRUE(memory_.Commit(writes).ok());
  EXPECT_EQ(*shares_.Find(a1->share_id()), std::nullopt);
  EXPECT_EQ(*shares_.Find(a2->share_id()), std::nullopt);
  EXPECT_TRUE(shares_.OfOwner("pseudo-a")->empty());
  EXPECT_EQ(shares_.OfOwner("pseudo-b")->size(), 1u);
  EXPECT_EQ(shares_.OfOwner("pseudo-ab")->size(), 1u);
  EXPECT_EQ(memory_.size(), 4u);  // b's and ab's two records each
}

TEST_F(ShareStoreTest, RefusesBadInputAndTooManyLinks) {
  EXPECT_EQ(shares_.Create("", "p", 1).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(shares_.Create("urn:uuid:1", "", 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  for (size_t i = 0; i < kMaxSharesPerLearner; ++i) {
    ASSERT_TRUE(shares_.Create("urn:uuid:1", "p", 1).ok());
  }
  EXPECT_EQ(shares_.Create("urn:uuid:1", "p", 1).status().code(),
            absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace microcred::web
