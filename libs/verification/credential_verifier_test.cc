#include "libs/verification/credential_verifier.h"

#include <gtest/gtest.h>

#include "libs/jose/jws.h"

namespace microcred::verification {
namespace {

constexpr char kKid[] = "https://u.example/institutions/u#ed25519:00";

// A JWS whose payload is `payload`, typed as a credential.
std::string Signed(const std::string& payload, const nlohmann::json& header = jose::VcJwtHeader()) {
  static const jose::Ed25519JwsSigner signer(crypto::SigningKey::Generate(), kKid);
  return jose::SignCompact(signer, header, payload);
}

const issuance::v1::VerificationCheck& FormatCheck(const issuance::v1::VerificationReport& r) {
  return r.checks(0);
}

issuance::v1::VerificationReport Verify(const std::string& jws) {
  static const domain::PolicyProfile profile = *domain::PolicyProfile::Named("eu");
  VerificationInputs inputs{
      .find_member = [](const std::string&) { return std::nullopt; },
      .find_credential = [](const std::string&)
          -> absl::StatusOr<std::optional<issuance::v1::KnownCredential>> { return std::nullopt; },
      .profile = profile,
      .now = absl::Now()};
  return VerifyCredential(jws, inputs);
}

constexpr char kValid[] = R"({"@context":["https://www.w3.org/ns/credentials/v2","x"],
  "type":["VerifiableCredential","OpenBadgeCredential"],"id":"urn:uuid:1",
  "issuer":{"id":"https://u.example/institutions/u"},"validFrom":"2026-01-01T00:00:00Z",
  "credentialSubject":{"id":"urn:x"}})";

TEST(CredentialVerifierTest, AWellFormedCredentialPassesTheFormatCheck) {
  auto report = Verify(Signed(kValid));
  ASSERT_EQ(report.checks_size(), 7);
  EXPECT_TRUE(FormatCheck(report).passed()) << FormatCheck(report).detail();
  EXPECT_EQ(report.credential_id(), "urn:uuid:1");
  EXPECT_FALSE(report.checks(1).passed());  // no member in this test's registry
  EXPECT_FALSE(report.valid());
}

TEST(CredentialVerifierTest, EachMissingPartIsNamedByTheFormatCheck) {
  struct Case {
    std::string payload;
    std::string detail;
  };
  const std::vector<Case> cases = {
      {"[1,2]", "not a JSON object"},
      {"{not json", "not a JSON object"},
      {R"({"@context":["https://www.w3.org/2018/credentials/v1"]})", "@context must start"},
      {R"({"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential"})",
       "type must include"},
      {R"({"@context":["https://www.w3.org/ns/credentials/v2"],
           "type":["VerifiableCredential","OpenBadgeCredential"]})",
       "id is missing"},
      {R"({"@context":["https://www.w3.org/ns/credentials/v2"],
           "type":["VerifiableCredential","OpenBadgeCredential"],"id":"urn:uuid:1",
           "issuer":{"name":"no id"}})",
       "issuer.id is missing"},
      {R"({"@context":["https://www.w3.org/ns/credentials/v2"],
           "type":["VerifiableCredential","OpenBadgeCredential"],"id":"urn:uuid:1",
           "issuer":"https://u.example/institutions/u"})",
       "validFrom is missing"},
      {R"({"@context":["https://www.w3.org/ns/credentials/v2"],
           "type":["VerifiableCredential","OpenBadgeCredential"],"id":"urn:uuid:1",
           "issuer":"https://u.example/institutions/u","validFrom":"2026-01-01T00:00:00Z",
           "credentialSubject":"not an object"})",
       "credentialSubject is missing"},
  };
  for (const Case& c : cases) {
    auto report = Verify(Signed(c.payload));
    EXPECT_FALSE(FormatCheck(report).passed()) << c.payload;
    EXPECT_NE(FormatCheck(report).detail().find(c.detail), std::string::npos)
        << c.payload << " -> " << FormatCheck(report).detail();
    EXPECT_EQ(report.checks_size(), 7) << "every check is reported";
  }
}

TEST(CredentialVerifierTest, AJwtThatIsNotTypedAsACredentialIsRefused) {
  auto report = Verify(Signed(kValid, {{"typ", "JWT"}}));
  EXPECT_FALSE(FormatCheck(report).passed());
  EXPECT_NE(FormatCheck(report).detail().find("vc+jwt"), std::string::npos);
}

// A suspended issuer: what it issued before the suspension (recorded at every node) stays
// valid, with the suspension in the policy check's detail; anything else it signs is refused.
TEST(CredentialVerifierTest, ASuspendedIssuersRecordedCredentialsStayValid) {
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  const jose::Ed25519JwsSigner signer(key, kKid);
  const std::string jws = jose::SignCompact(signer, jose::VcJwtHeader(), kValid);
  registry::v1::Member member;
  member.mutable_admitted()->set_institution_id("u");
  member.mutable_admitted()->set_legal_name("U");
  member.mutable_admitted()->set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  registry::v1::PublicKey* registered = member.mutable_admitted()->add_keys();
  registered->set_key_id("ed25519:00");
  registered->set_ed25519_public_key(key.public_key());
  member.set_suspended(true);
  registry::v1::MemberSuspended* suspended = member.add_history()->mutable_suspended();
  suspended->set_institution_id("u");
  suspended->set_reason("accreditation withdrawn");
  suspended->set_at_ms(1'790'000'000'000);
  issuance::v1::KnownCredential known;
  known.set_credential_id("urn:uuid:1");
  known.set_issuer("u");
  known.set_signature_sha256(IssuedSignatureDigest(jws));
  known.set_status(issuance::v1::CREDENTIAL_STATUS_ACTIVE);
  static const domain::PolicyProfile profile = *domain::PolicyProfile::Named("eu");
  bool recorded = true;
  VerificationInputs inputs{
      .find_member = [&](const std::string&) { return member; },
      .find_credential =
          [&](const std::string&) -> absl::StatusOr<std::optional<issuance::v1::KnownCredential>> {
        if (!recorded) return std::nullopt;
        return known;
      },
      .profile = profile,
      .now = absl::Now()};

  auto report = VerifyCredential(jws, inputs);
  const auto& policy = report.checks(3);
  ASSERT_EQ(policy.name(), "policy");
  EXPECT_TRUE(report.valid()) << policy.detail();
  EXPECT_NE(policy.detail().find("u is suspended since 2026-09-21 (accreditation withdrawn)"),
            std::string::npos)
      << policy.detail();
  EXPECT_NE(policy.detail().find("issued before the suspension"), std::string::npos);

  recorded = false;
  report = VerifyCredential(jws, inputs);
  EXPECT_FALSE(report.valid());
  EXPECT_FALSE(report.checks(3).passed());
}

// The name a verifier reads for the issuer is the registry's: a member that writes another
// institution's name into its credential gets that name reported as a claim, not as the issuer.
TEST(CredentialVerifierTest, TheIssuersNameIsTheRegistrysNotTheCredentials) {
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  const jose::Ed25519JwsSigner signer(key, kKid);
  registry::v1::Member member;
  member.mutable_admitted()->set_institution_id("u");
  member.mutable_admitted()->set_legal_name("Rogue Academy");
  member.mutable_admitted()->set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  registry::v1::PublicKey* registered = member.mutable_admitted()->add_keys();
  registered->set_key_id("ed25519:00");
  registered->set_ed25519_public_key(key.public_key());
  static const domain::PolicyProfile profile = *domain::PolicyProfile::Named("eu");
  auto verify = [&](const std::string& issuer_name) {
    std::string payload = kValid;
    payload.replace(payload.find(R"("issuer":{)") + 10, 0, R"("name":")" + issuer_name + R"(",)");
    const std::string jws = jose::SignCompact(signer, jose::VcJwtHeader(), payload);
    issuance::v1::KnownCredential known;
    known.set_credential_id("urn:uuid:1");
    known.set_issuer("u");
    known.set_signature_sha256(IssuedSignatureDigest(jws));
    known.set_status(issuance::v1::CREDENTIAL_STATUS_ACTIVE);
    VerificationInputs inputs{
        .find_member = [&](const std::string&) { return member; },
        .find_credential = [&](const std::string&)
            -> absl::StatusOr<std::optional<issuance::v1::KnownCredential>> { return known; },
        .profile = profile,
        .now = absl::Now()};
    return VerifyCredential(jws, inputs);
  };

  auto report = verify("Université catholique de Louvain");
  EXPECT_TRUE(report.valid());
  EXPECT_EQ(report.issuer(), "u");
  EXPECT_EQ(report.issuer_name(), "Rogue Academy");
  EXPECT_EQ(report.credential_issuer_name(), "Université catholique de Louvain");
  const auto& issuer = report.checks(1);
  ASSERT_EQ(issuer.name(), "issuer");
  EXPECT_EQ(issuer.detail().rfind("Rogue Academy (u), key ed25519:00", 0), 0u) << issuer.detail();
  EXPECT_NE(issuer.detail().find("the credential names its issuer \"Université catholique de "
                                 "Louvain\", which is not the registered name"),
            std::string::npos)
      << issuer.detail();

  report = verify("Rogue Academy");
  EXPECT_EQ(report.issuer_name(), "Rogue Academy");
  EXPECT_EQ(report.credential_issuer_name(), "");
  EXPECT_EQ(report.checks(1).detail(), "Rogue Academy (u), key ed25519:00");
}

TEST(CredentialVerifierTest, KeyIdsNameTheInstitutionAndTheKey) {
  for (const char* kid : {"https://n.example/institutions/uclouvain/keys/ed25519:ab12",
                          "did:web:n.example%3A8443:institutions:uclouvain#ed25519:ab12",
                          "https://n.example/institutions/uclouvain#ed25519:ab12"}) {
    auto parts = ParseCredentialKeyId(kid);
    ASSERT_TRUE(parts.ok()) << kid << ": " << parts.status();
    EXPECT_EQ(parts->first, "uclouvain") << kid;
    EXPECT_EQ(parts->second, "ed25519:ab12") << kid;
  }
  for (const char* kid :
       {"https://n.example/keys#1", "https://n.example/institutions/u", "https://n.example/keys/k",
        "https://n.example/institutions/#k", "https://n.example/institutions/u/keys/",
        "https://n.example/institutions/u/x/keys/k", "did:web:n.example:institutions:u",
        "did:web:n.example:institutions:u#", "did:web:n.example:people:u#k", "did:key:z6Mk#k"}) {
    EXPECT_FALSE(ParseCredentialKeyId(kid).ok()) << kid;
  }
}

// The credential's issuer is the member's profile URL or did:web DID, built from its registered
// public_url, and the kid's issuer part is that id: a DID on a host the member does not have is
// refused, though the signature is the member's.
TEST(CredentialVerifierTest, TheIssuerIdIsTheMembersUrlOrDidOnItsRegisteredHost) {
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  registry::v1::Member member;
  member.mutable_admitted()->set_institution_id("u");
  member.mutable_admitted()->set_legal_name("U");
  member.mutable_admitted()->set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  member.mutable_admitted()->set_public_url("https://u.example:8443");
  registry::v1::PublicKey* registered = member.mutable_admitted()->add_keys();
  registered->set_key_id("ed25519:00");
  registered->set_ed25519_public_key(key.public_key());
  static const domain::PolicyProfile profile = *domain::PolicyProfile::Named("eu");
  const VerificationInputs inputs{
      .find_member = [&](const std::string&) { return member; },
      .find_credential = [](const std::string&)
          -> absl::StatusOr<std::optional<issuance::v1::KnownCredential>> { return std::nullopt; },
      .profile = profile,
      .now = absl::Now()};
  // The issuer check of a credential whose issuer id is `issuer`, signed under `kid`.
  auto issuer_check = [&](const std::string& issuer, const std::string& kid) {
    std::string payload = kValid;
    const std::string old_issuer = "https://u.example/institutions/u";
    payload.replace(payload.find(old_issuer), old_issuer.size(), issuer);
    const jose::Ed25519JwsSigner signer(key, kid);
    auto report = VerifyCredential(jose::SignCompact(signer, jose::VcJwtHeader(), payload), inputs);
    EXPECT_EQ(report.checks(1).name(), "issuer");
    return report.checks(1);
  };
  const std::string url = "https://u.example:8443/institutions/u";
  const std::string did = "did:web:u.example%3A8443:institutions:u";
  EXPECT_TRUE(issuer_check(url, url + "/keys/ed25519:00").passed());
  EXPECT_TRUE(issuer_check(url, url + "#ed25519:00").passed());  // issued before the URL form
  EXPECT_TRUE(issuer_check(did, did + "#ed25519:00").passed());

  auto forged = issuer_check("did:web:evil.example:institutions:u",
                             "did:web:evil.example:institutions:u#ed25519:00");
  EXPECT_FALSE(forged.passed());
  EXPECT_NE(forged.detail().find("is not on the host of u's registered public URL "
                                 "(https://u.example:8443)"),
            std::string::npos)
      << forged.detail();
  auto no_port = issuer_check("did:web:u.example:institutions:u",
                              "did:web:u.example:institutions:u#ed25519:00");
  EXPECT_FALSE(no_port.passed()) << no_port.detail();
  auto other_url = issuer_check("https://evil.example/institutions/u",
                                "https://evil.example/institutions/u/keys/ed25519:00");
  EXPECT_FALSE(other_url.passed());
  EXPECT_NE(other_url.detail().find("is not u's profile URL " + url), std::string::npos)
      << other_url.detail();
  // The kid's issuer part is not the credential's issuer.
  auto mixed = issuer_check(did, url + "/keys/ed25519:00");
  EXPECT_FALSE(mixed.passed());
  EXPECT_NE(mixed.detail().find("did not sign it"), std::string::npos) << mixed.detail();
}

}  // namespace
}  // namespace microcred::verification
