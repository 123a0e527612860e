#include "libs/events/envelope.h"

#include <gtest/gtest.h>

#include "microcred/registry/v1/registry.pb.h"

namespace microcred::events {
namespace {

using registry::v1::MemberAdmitted;

class EnvelopeTest : public testing::Test {
 protected:
  EnvelopeTest() : signer_("uclouvain", "node-1", crypto::SigningKey::Generate()) {
    payload_.set_institution_id("uclouvain");
    payload_.set_legal_name("Université catholique de Louvain");
  }
  std::string Seal() { return signer_.Seal(payload_, {.partition_key = "uclouvain"}); }

  EnvelopeSigner signer_;
  MemberAdmitted payload_;
};

TEST_F(EnvelopeTest, SealedEnvelopeParsesVerifiesAndUnpacks) {
  auto parsed = ParseEnvelope(Seal());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->VerifySignature(signer_.public_key()));
  EXPECT_EQ(parsed->body.source_institution(), "uclouvain");
  EXPECT_EQ(parsed->body.source_node(), "node-1");
  EXPECT_EQ(parsed->body.key_id(), signer_.key_id());
  EXPECT_EQ(parsed->body.schema_version(), kSchemaVersion);
  EXPECT_GT(parsed->body.occurred_at_ms(), 0);
  auto unpacked = UnpackPayload<MemberAdmitted>(parsed->body);
  ASSERT_TRUE(unpacked.ok());
  EXPECT_EQ(unpacked->legal_name(), payload_.legal_name());
}

TEST_F(EnvelopeTest, AnyFlippedBitInTheBodyBreaksTheSignature) {
  std::string sealed = Seal();
  auto original = ParseEnvelope(sealed);
  ASSERT_TRUE(original.ok());
  for (size_t i = 0; i < original->body_bytes.size(); i += 7) {
    UnverifiedEnvelope tampered = *original;
    tampered.body_bytes[i] ^= 0x01;
    EXPECT_FALSE(tampered.VerifySignature(signer_.public_key())) << "byte " << i;
  }
}

TEST_F(EnvelopeTest, AnotherKeyDoesNotVerify) {
  auto parsed = ParseEnvelope(Seal());
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->VerifySignature(crypto::SigningKey::Generate().public_key()));
}

TEST_F(EnvelopeTest, SignatureIsDomainSeparated) {
  // A signature over the bare body bytes (as another protocol might produce) must not verify.
  auto parsed = ParseEnvelope(Seal());
  ASSERT_TRUE(parsed.ok());
  crypto::SigningKey key = crypto::SigningKey::Generate();
  UnverifiedEnvelope forged = *parsed;
  forged.signature = key.Sign(forged.body_bytes);
  EXPECT_FALSE(forged.VerifySignature(key.public_key()));
}

TEST_F(EnvelopeTest, MalformedBytesAreRefusedWithAReason) {
  EXPECT_FALSE(ParseEnvelope("not a protobuf \xff\xff").ok());
  std::string sealed = Seal();
  EXPECT_FALSE(ParseEnvelope(sealed.substr(0, sealed.size() / 2)).ok());
  auto oversized = ParseEnvelope(std::string(kMaxEnvelopeBytes + 1, 'x'));
  EXPECT_EQ(oversized.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(oversized.status().message().find("larger than"), std::string::npos);
}

TEST_F(EnvelopeTest, MissingRequiredFieldsAreRefused) {
  v1::SignedEnvelope envelope;
  v1::EnvelopeBody body;
  body.set_event_id("e");
  body.set_event_type("t");  // no source_institution, key_id, partition_key
  body.SerializeToString(envelope.mutable_body());
  envelope.set_signature(std::string(64, 's'));
  auto parsed = ParseEnvelope(envelope.SerializeAsString());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EnvelopeTest, UnpackRefusesAnotherType) {
  auto parsed = ParseEnvelope(Seal());
  ASSERT_TRUE(parsed.ok());
  auto wrong = UnpackPayload<registry::v1::Member>(parsed->body);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EnvelopeTest, RequestIdAndEventIdAreCarried) {
  std::string sealed =
      signer_.Seal(payload_, {.partition_key = "k", .request_id = "req-1", .event_id = "fixed-id"});
  auto parsed = ParseEnvelope(sealed);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->body.request_id(), "req-1");
  EXPECT_EQ(parsed->body.event_id(), "fixed-id");
}

TEST_F(EnvelopeTest, AnEventIdWithASlashOrOutsideTheAlphabetIsMalformed) {
  for (const std::string& id : std::vector<std::string>{"inst/x", "a b", std::string(129, 'a')}) {
    auto parsed = ParseEnvelope(signer_.Seal(payload_, {.partition_key = "k", .event_id = id}));
    ASSERT_FALSE(parsed.ok()) << id;
    EXPECT_EQ(parsed.status().message(),
              "envelope.body.event_id: 1 to 128 characters from [A-Za-z0-9._:-]");
  }
}

TEST_F(EnvelopeTest, TheDigestNamesTheBody) {
  const std::string sealed = signer_.Seal(payload_, {.partition_key = "k", .event_id = "x"});
  const std::string rewrapped = sealed + std::string("\x1a\x01z", 3);  // an unknown field 3
  const std::string other = signer_.Seal(payload_, {.partition_key = "j", .event_id = "x"});
  const std::string digest = ParseEnvelope(sealed)->Digest();
  EXPECT_EQ(digest.size(), 32u);
  EXPECT_EQ(ParseEnvelope(rewrapped)->Digest(), digest);
  EXPECT_NE(ParseEnvelope(other)->Digest(), digest);
}

}  // namespace
}  // namespace microcred::events
