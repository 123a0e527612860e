// Holder binding: a credential is the learner's by its subject id, a hashed identifier
// recomputed from one of the learner's ids, or a proof signed with the subject DID's key; the
// binding says how, or why not.
#include "libs/verification/holder_binding.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "libs/credentials/elm.h"
#include "libs/credentials/open_badge.h"
#include "libs/credentials/testing/sample_facts.h"
#include "libs/crypto/crypto.h"

namespace microcred::verification {
namespace {

using credentials::testing::kSampleEmail;
using credentials::testing::kSampleLearnerId;
using nlohmann::json;
using recognition::v1::HolderBinding;

const absl::Time kNow = absl::FromUnixSeconds(1796000000);
constexpr char kDid[] = "did:key:z6MkTestHolder";

HolderContext Learner(std::string learner_id, std::vector<std::string> identifiers = {}) {
  return {.learner_id = std::move(learner_id),
          .learner_identifiers = std::move(identifiers),
          .audience = "uclouvain",
          .nonce = "submit-1"};
}

HolderBinding Bind(const std::string& document, const HolderContext& holder,
                   const HolderKeyResolver& keys = {}) {
  return BindHolder(document, holder, keys, kNow);
}

std::string OurOpenBadge() {
  return *credentials::WriteOpenBadgeCredential(credentials::testing::SampleFacts());
}

TEST(HolderBindingTest, OurCredentialsAreBoundByTheirHashedIdentifiers) {
  const HolderBinding by_email = Bind(OurOpenBadge(), Learner(std::string(kSampleEmail)));
  EXPECT_TRUE(by_email.bound()) << by_email.detail();
  EXPECT_EQ(by_email.method(), recognition::v1::HOLDER_BINDING_METHOD_HASHED_IDENTIFIER);
  EXPECT_EQ(by_email.detail(),
            "the subject's salted SHA-256 identifier (emailAddress) is the hash of the "
            "learner_id");
  EXPECT_EQ(by_email.checked_at_ms(), absl::ToUnixMillis(kNow));

  const HolderBinding by_number =
      Bind(OurOpenBadge(),
           Learner("learner-ana", {"ana@elsewhere.example", std::string(kSampleLearnerId)}));
  EXPECT_TRUE(by_number.bound()) << by_number.detail();
  EXPECT_NE(by_number.detail().find("learner_identifiers[1]"), std::string::npos);
}

TEST(HolderBindingTest, SomeoneElsesCredentialIsNotBoundAndSaysWhy) {
  const HolderBinding other = Bind(OurOpenBadge(), Learner("bob@example.org", {"BOB-1"}));
  EXPECT_FALSE(other.bound());
  EXPECT_EQ(other.method(), recognition::v1::HOLDER_BINDING_METHOD_UNSPECIFIED);
  EXPECT_EQ(other.detail(),
            "the credential is not the learner's: the subject id is none of the learner's ids, "
            "none of its 3 identifiers (2 hashed) is one of theirs, and it is not a DID the "
            "learner could prove control of");
  // The learner's own ids are never quoted.
  EXPECT_EQ(other.detail().find("bob"), std::string::npos);
}

TEST(HolderBindingTest, OurElmDocumentIsBoundByItsHashedIdentifiers) {
  const json elm = *credentials::BuildElmCredential(credentials::testing::SampleFacts());
  const HolderBinding binding = Bind(elm.dump(), Learner(std::string(kSampleLearnerId)));
  EXPECT_TRUE(binding.bound()) << binding.detail();
  EXPECT_EQ(binding.method(), recognition::v1::HOLDER_BINDING_METHOD_HASHED_IDENTIFIER);
  EXPECT_FALSE(Bind(elm.dump(), Learner("someone")).bound());
}

TEST(HolderBindingTest, ASubjectIdOrAnIdentifierInClearThatIsTheLearners) {
  const json by_id = {{"credentialSubject", {{"id", "urn:student:AB12"}}}};
  EXPECT_FALSE(Bind(by_id.dump(), Learner("urn:student:ab12")).bound())
      << "not an e-mail address: compared exactly";
  EXPECT_TRUE(Bind(by_id.dump(), Learner(" urn:student:AB12")).bound());
  const json by_mail = {{"credentialSubject", {{"id", "mailto:Ana@Example.org"}}}};
  EXPECT_TRUE(Bind(by_mail.dump(), Learner("x", {"mailto:ana@example.org"})).bound());
  const HolderBinding did =
      Bind(json({{"credentialSubject", {{"id", kDid}}}}).dump(), Learner("x", {kDid}));
  EXPECT_TRUE(did.bound());
  EXPECT_EQ(did.method(), recognition::v1::HOLDER_BINDING_METHOD_SUBJECT_ID);
  EXPECT_EQ(did.detail(), "the credential's subject id is the learner_identifiers[0]");

  // An Open Badges 3.0 JWT in the VC 1.1 shape, an IdentityObject in clear.
  const json vc11 = {{"vc",
                      {{"credentialSubject",
                        {{"identifier", json::array({{{"type", "IdentityObject"},
                                                      {"identityType", "emailAddress"},
                                                      {"hashed", false},
                                                      {"identityHash", "Ana@Example.org"}}})}}}}}};
  const HolderBinding clear = Bind(vc11.dump(), Learner(" ana@example.org"));
  EXPECT_TRUE(clear.bound()) << clear.detail();
  EXPECT_EQ(clear.method(), recognition::v1::HOLDER_BINDING_METHOD_SUBJECT_ID);
  EXPECT_EQ(clear.detail(), "the subject's identifier (emailAddress) is the learner_id");
}

TEST(HolderBindingTest, NoSubjectOrNoDocument) {
  EXPECT_EQ(Bind(R"({"name":"x"})", Learner("a")).detail(),
            "the credential names no subject (credentialSubject)");
  EXPECT_FALSE(Bind("not json", Learner("a")).bound());
}

// ---- DID proofs ----

class DidProofTest : public ::testing::Test {
 protected:
  std::string Proof(json payload, const crypto::SigningKey* key = nullptr,
                    const std::string& kid = std::string(kDid) + "#key-1") {
    const jose::Ed25519JwsSigner signer(key ? *key : key_, kid);
    return jose::SignCompact(signer, nullptr, payload.dump());
  }
  json Payload() const {
    return {{"iss", kDid},
            {"aud", "uclouvain"},
            {"nonce", "submit-1"},
            {"iat", absl::ToUnixSeconds(kNow) - 60}};
  }
  HolderBinding BindWith(std::vector<std::string> proofs) {
    HolderContext holder = Learner("learner-ana");
    holder.holder_proofs = std::move(proofs);
    return Bind(document_, holder, resolver_);
  }

  crypto::SigningKey key_ = crypto::SigningKey::Generate();
  const std::string document_ = json({{"credentialSubject", {{"id", kDid}}}}).dump();
  // did:key's key is the DID itself; here the test's key stands for it.
  HolderKeyResolver resolver_ = [this](
                                    const jose::ParsedJws& proof,
                                    const std::string& did) -> absl::StatusOr<jose::JwkPublicKey> {
    if (did != kDid) return absl::NotFoundError("unknown DID");
    return jose::JwkPublicKey{.kid = proof.kid, .ed25519_public_key = key_.public_key()};
  };
};

TEST_F(DidProofTest, AProofSignedByTheSubjectsDidBindsIt) {
  const HolderBinding binding = BindWith({Proof(Payload())});
  EXPECT_TRUE(binding.bound()) << binding.detail();
  EXPECT_EQ(binding.method(), recognition::v1::HOLDER_BINDING_METHOD_DID_PROOF);
  EXPECT_EQ(binding.detail(), "holder_proofs[0] is signed by a key of the subject's DID (did:key)");

  json audiences = Payload();
  audiences["aud"] = json::array({"other", "uclouvain"});
  EXPECT_TRUE(BindWith({Proof(audiences)}).bound());
}

TEST_F(DidProofTest, EachWrongPartIsSaid) {
  const crypto::SigningKey other_key = crypto::SigningKey::Generate();
  struct Case {
    std::string proof;
    std::string reason;
  };
  auto with = [&](const char* member, json value) {
    json p = Payload();
    p[member] = std::move(value);
    return Proof(p);
  };
  const std::vector<Case> cases = {
      {with("aud", "another-institution"), "holder_proofs[0]: aud is not uclouvain"},
      {with("nonce", "submit-0"), "holder_proofs[0]: nonce is not this submission's"},
      {with("iat", absl::ToUnixSeconds(kNow) - 2 * 86400), "holder_proofs[0]: iat is more than"},
      {with("iat", absl::ToUnixSeconds(kNow) + 3600), "holder_proofs[0]: iat is in the future"},
      {with("iat", "yesterday"), "holder_proofs[0]: iat: a number"},
      {Proof(Payload(), &other_key), "holder_proofs[0]: the signature does not verify"},
      {Proof(Payload(), nullptr, "did:key:z6MkOther#k"),
       "holder_proofs[0]: its kid is not a key of the subject's DID"},
      {with("iss", "did:key:z6MkOther"), "no holder proof has the subject's DID as its iss"},
  };
  for (const Case& c : cases) {
    const HolderBinding binding = BindWith({c.proof});
    EXPECT_FALSE(binding.bound()) << c.reason;
    EXPECT_NE(binding.detail().find(c.reason), std::string::npos)
        << c.reason << " -> " << binding.detail();
  }
  // Several proofs: the good one binds whatever the others say.
  EXPECT_TRUE(BindWith({cases[0].proof, "not a jws", Proof(Payload())}).bound());
}

TEST_F(DidProofTest, WithoutAResolverProofsFailSaidSo) {
  HolderContext holder = Learner("learner-ana");
  holder.holder_proofs = {Proof(Payload())};
  const HolderBinding binding = Bind(document_, holder);
  EXPECT_FALSE(binding.bound());
  EXPECT_NE(binding.detail().find("this node resolves no DID keys"), std::string::npos);
}

}  // namespace
}  // namespace microcred::verification
