#include "libs/events/sealed_envelopes.h"

#include <gtest/gtest.h>

#include <string>

namespace microcred::events {
namespace {

TEST(SealedEnvelopesTest, KnowsExactlyTheBytesSealedUnderAnEventId) {
  SealedEnvelopes sealed;
  sealed.Remember("e1", "envelope bytes");
  EXPECT_TRUE(sealed.Contains("e1", "envelope bytes"));
  EXPECT_FALSE(sealed.Contains("e1", "envelope bytez"));  // same id, other bytes: a forgery
  EXPECT_FALSE(sealed.Contains("e2", "envelope bytes"));  // same bytes, another id
}

TEST(SealedEnvelopesTest, ForgetsTheOldestBeyondItsCapacity) {
  SealedEnvelopes sealed(/*capacity=*/2);
  sealed.Remember("e1", "one");
  sealed.Remember("e2", "two");
  sealed.Remember("e3", "three");
  EXPECT_FALSE(sealed.Contains("e1", "one"));
  EXPECT_TRUE(sealed.Contains("e2", "two"));
  EXPECT_TRUE(sealed.Contains("e3", "three"));
}

TEST(SealedEnvelopesTest, ResealingAnEventIdKeepsTheLatestBytes) {
  SealedEnvelopes sealed(/*capacity=*/2);
  sealed.Remember("e1", "first");
  sealed.Remember("e1", "second");
  EXPECT_FALSE(sealed.Contains("e1", "first"));
  EXPECT_TRUE(sealed.Contains("e1", "second"));
  sealed.Remember("e2", "two");
  EXPECT_TRUE(sealed.Contains("e1", "second"));  // one entry per id: nothing evicted yet
}

}  // namespace
}  // namespace microcred::events
