#include "libs/verification/credential_verifier.h"

#include <gtest/gtest.h>

#include "libs/jose/ec_key.h"
#include "libs/jose/jws.h"
#include "libs/registry/public_keys.h"

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
      .profile_in = [](std::string_view) { return std::optional(profile); },
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

// typ "JWT" is the Open Badges 3.0 profile now; another typ is another kind of token.
TEST(CredentialVerifierTest, AJwtThatIsNotTypedAsACredentialIsRefused) {
  auto report = Verify(Signed(kValid, {{"typ", "at+jwt"}}));
  EXPECT_FALSE(FormatCheck(report).passed());
  EXPECT_EQ(FormatCheck(report).detail().rfind("jws.header.typ: ", 0), 0u)
      << FormatCheck(report).detail();
  EXPECT_EQ(report.securing_profile(), issuance::v1::SECURING_PROFILE_UNSPECIFIED);
}

// An issuer "u" with one registered Ed25519 key, and what it recorded of the credentials it
// signs: enough for a credential to pass every check.
class RegisteredIssuerTest : public ::testing::Test {
 protected:
  RegisteredIssuerTest() : signer_(key_, kKid) {
    member_.mutable_admitted()->set_institution_id("u");
    member_.mutable_admitted()->set_legal_name("U");
    member_.mutable_admitted()->set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
    registry::v1::PublicKey* registered = member_.mutable_admitted()->add_keys();
    registered->set_key_id("ed25519:00");
    registered->set_ed25519_public_key(key_.public_key());
  }

  // Signs `payload` with `header` (by `signer`, the issuer's Ed25519 key when null) and records
  // it as issued.
  std::string Issue(const std::string& payload, const nlohmann::json& header,
                    const jose::JwsSigner* signer = nullptr) {
    std::string jws = jose::SignCompact(signer ? *signer : signer_, header, payload);
    known_.set_credential_id("urn:uuid:1");
    known_.set_issuer("u");
    known_.set_signature_sha256(IssuedSignatureDigest(jws));
    known_.set_status(issuance::v1::CREDENTIAL_STATUS_ACTIVE);
    return jws;
  }

  issuance::v1::VerificationReport Check(const std::string& jws) {
    static const domain::PolicyProfile profile = *domain::PolicyProfile::Named("eu");
    VerificationInputs inputs{.find_member = [&](const std::string&) { return member_; },
                              .find_credential = [&](const std::string&)
                                  -> absl::StatusOr<std::optional<issuance::v1::KnownCredential>> {
                                if (!recorded_) return std::nullopt;
                                return known_;
                              },
                              .profile_in = [](std::string_view) { return std::optional(profile); },
                              .now = absl::Now()};
    return VerifyCredential(jws, inputs);
  }

  // kValid with the Open Badges profile's claims.
  static std::string WithClaims(const std::string& claims) {
    std::string payload = kValid;
    payload.insert(payload.rfind('}'), claims);
    return payload;
  }

  const crypto::SigningKey key_ = crypto::SigningKey::Generate();
  const jose::Ed25519JwsSigner signer_;
  registry::v1::Member member_;
  issuance::v1::KnownCredential known_;
  bool recorded_ = true;  // false: the issuer recorded no credential
};

constexpr char kClaims[] =
    R"(,"iss":"https://u.example/institutions/u","jti":"urn:uuid:1","sub":"urn:x",)"
    R"("nbf":1767225600)";

TEST_F(RegisteredIssuerTest, BothProfilesVerifyAndTheReportNamesThem) {
  auto vc = Check(Issue(kValid, jose::VcJwtHeader()));
  EXPECT_TRUE(vc.valid()) << FormatCheck(vc).detail();
  EXPECT_EQ(vc.securing_profile(), issuance::v1::SECURING_PROFILE_VC_JOSE_COSE);
  EXPECT_EQ(vc.signature_algorithm(), issuance::v1::SIGNATURE_ALGORITHM_EDDSA);
  EXPECT_EQ(FormatCheck(vc).detail(),
            "a compact JWS (vc-jose-cose, EdDSA) carrying an OpenBadgeCredential (VC 2.0)");
  EXPECT_EQ(vc.credential_json(), kValid);

  const std::string payload = WithClaims(kClaims);
  auto ob = Check(Issue(payload, jose::OpenBadgesJwtHeader()));
  EXPECT_TRUE(ob.valid()) << FormatCheck(ob).detail();
  EXPECT_EQ(ob.securing_profile(), issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT);
  EXPECT_EQ(ob.signature_algorithm(), issuance::v1::SIGNATURE_ALGORITHM_EDDSA);
  EXPECT_EQ(ob.credential_json(), payload);  // the payload as signed

  // No typ at all is the Open Badges profile too (OB 3.0: typ MAY be present).
  auto untyped = Check(Issue(payload, nullptr));
  EXPECT_TRUE(untyped.valid()) << FormatCheck(untyped).detail();
  EXPECT_EQ(untyped.securing_profile(), issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT);
}

TEST_F(RegisteredIssuerTest, TheReportNamesItsFormatAndTheMembersTrustBasis) {
  member_.set_governing_root("alliance");
  auto report = Check(Issue(kValid, jose::VcJwtHeader()));
  EXPECT_TRUE(report.valid());
  EXPECT_EQ(report.format(), issuance::v1::CREDENTIAL_FORMAT_VC_JWT);
  const issuance::v1::TrustBasis& basis = report.trust_basis();
  EXPECT_EQ(basis.kind(), issuance::v1::TRUST_KIND_ECOSYSTEM_MEMBER);
  EXPECT_TRUE(basis.ecosystem_member());
  EXPECT_EQ(basis.issuer_id(), "u");
  EXPECT_EQ(basis.key_source(), kKid);
  EXPECT_EQ(basis.statement(), "member of the ecosystem alliance, registered key ed25519:00");

  // An issuer that is no member has no basis; text that is no JWS has no format.
  EXPECT_EQ(Verify(Signed(kValid)).format(), issuance::v1::CREDENTIAL_FORMAT_VC_JWT);
  EXPECT_FALSE(Verify(Signed(kValid)).has_trust_basis());
  EXPECT_EQ(Verify("a.b").format(), issuance::v1::CREDENTIAL_FORMAT_UNSPECIFIED);
}

TEST_F(RegisteredIssuerTest, ClaimsThatContradictTheCredentialAreRefusedInEitherProfile) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"(,"iss":"https://other.example/institutions/o")", "jws.payload.iss: "},
      {R"(,"jti":"urn:uuid:2")", "jws.payload.jti: "},
      {R"(,"sub":"urn:y")", "jws.payload.sub: "},
      {R"(,"nbf":1767225601)", "jws.payload.nbf: "},
      {R"(,"exp":1798847999)", "jws.payload.exp: present, but the credential has no validUntil"},
  };
  for (const nlohmann::json& header : {jose::VcJwtHeader(), jose::OpenBadgesJwtHeader()}) {
    for (const auto& [claim, reason] : cases) {
      std::string payload = WithClaims(kClaims);
      if (header == jose::VcJwtHeader()) payload = WithClaims("");
      payload.insert(payload.rfind('}'), claim);  // the last of a repeated name counts
      auto report = Check(Issue(payload, header));
      EXPECT_FALSE(report.valid()) << claim;
      EXPECT_FALSE(FormatCheck(report).passed());
      EXPECT_EQ(FormatCheck(report).detail().rfind(reason, 0), 0u)
          << header << claim << " -> " << FormatCheck(report).detail();
    }
  }
}

TEST_F(RegisteredIssuerTest, TheOpenBadgesProfileRequiresItsClaims) {
  for (const std::string claim : {"iss", "jti", "sub", "nbf"}) {
    nlohmann::json payload = nlohmann::json::parse(WithClaims(kClaims));
    payload.erase(claim);
    auto report = Check(Issue(payload.dump(), jose::OpenBadgesJwtHeader()));
    EXPECT_FALSE(FormatCheck(report).passed()) << claim;
    EXPECT_EQ(FormatCheck(report).detail().rfind("jws.payload." + claim + ": missing", 0), 0u)
        << FormatCheck(report).detail();
  }
  nlohmann::json until = nlohmann::json::parse(WithClaims(kClaims));
  until["validUntil"] = "2099-01-01T23:59:59Z";
  auto report = Check(Issue(until.dump(), jose::OpenBadgesJwtHeader()));
  EXPECT_EQ(FormatCheck(report).detail().rfind("jws.payload.exp: missing", 0), 0u)
      << FormatCheck(report).detail();
  until["exp"] = 4070995199;  // 2099-01-01T23:59:59Z
  EXPECT_TRUE(Check(Issue(until.dump(), jose::OpenBadgesJwtHeader())).valid());

  // The Open Badges header has alg, kid, jwk and typ, nothing else.
  auto with_cty = Check(Issue(WithClaims(kClaims), {{"typ", "JWT"}, {"cty", "vc"}}));
  EXPECT_EQ(FormatCheck(with_cty).detail().rfind("jws.header.cty: not allowed", 0), 0u);
}

// A suspended issuer: what it issued before the suspension (recorded at every node) stays
// valid, with the suspension in the policy check's detail; anything else it signs is refused.
TEST_F(RegisteredIssuerTest, ASuspendedIssuersRecordedCredentialsStayValid) {
  const std::string jws = Issue(kValid, jose::VcJwtHeader());
  member_.set_suspended(true);
  registry::v1::MemberSuspended* suspended = member_.add_history()->mutable_suspended();
  suspended->set_institution_id("u");
  suspended->set_reason("accreditation withdrawn");
  suspended->set_at_ms(1'790'000'000'000);

  auto report = Check(jws);
  const auto& policy = report.checks(3);
  ASSERT_EQ(policy.name(), "policy");
  EXPECT_TRUE(report.valid()) << policy.detail();
  EXPECT_NE(policy.detail().find("u is suspended since 2026-09-21 (accreditation withdrawn)"),
            std::string::npos)
      << policy.detail();
  EXPECT_NE(policy.detail().find("issued before the suspension"), std::string::npos);

  recorded_ = false;
  report = Check(jws);
  EXPECT_FALSE(report.valid());
  EXPECT_FALSE(report.checks(3).passed());
}

// The name a verifier reads for the issuer is the registry's: a member that writes another
// institution's name into its credential gets that name reported as a claim, not as the issuer.
TEST_F(RegisteredIssuerTest, TheIssuersNameIsTheRegistrysNotTheCredentials) {
  member_.mutable_admitted()->set_legal_name("Rogue Academy");
  auto verify = [&](const std::string& issuer_name) {
    std::string payload = kValid;
    payload.replace(payload.find(R"("issuer":{)") + 10, 0, R"("name":")" + issuer_name + R"(",)");
    return Check(Issue(payload, jose::VcJwtHeader()));
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

// An issuer with a P-256 key beside its Ed25519 key: its ES256 credentials verify with the P-256
// key; a token whose alg is not its key's kind is refused, whichever key its kid names.
TEST_F(RegisteredIssuerTest, Es256CredentialsVerifyWithTheRegisteredP256KeyOnly) {
  auto ec = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(ec.ok());
  const registry::v1::PublicKey p256 = registry::RegisteredP256Key(ec->PublicKeyDer());
  *member_.mutable_admitted()->add_keys() = p256;
  const std::string ec_kid = "https://u.example/institutions/u#" + p256.key_id();
  auto verify = [&](const jose::JwsSigner& signer) {
    return Check(Issue(kValid, jose::VcJwtHeader(), &signer));
  };

  const jose::EcJwsSigner es256(*ec, ec_kid);
  auto report = verify(es256);
  EXPECT_TRUE(report.valid()) << report.DebugString();
  ASSERT_EQ(report.checks(2).name(), "signature");
  EXPECT_NE(report.checks(2).detail().find("ES256"), std::string::npos);

  // EdDSA under the P-256 key's kid, ES256 under the Ed25519 key's kid, and ES256 by another
  // P-256 key under the registered one's kid: none verifies.
  const jose::Ed25519JwsSigner eddsa_as_ec(key_, ec_kid);
  const jose::EcJwsSigner es256_as_ed(*ec, kKid);
  auto other = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  const jose::EcJwsSigner forger(*other, ec_kid);
  for (const jose::JwsSigner* signer :
       std::vector<const jose::JwsSigner*>{&eddsa_as_ec, &es256_as_ed, &forger}) {
    report = verify(*signer);
    EXPECT_FALSE(report.valid()) << signer->kid();
    EXPECT_FALSE(report.checks(2).passed()) << report.checks(2).detail();
  }
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

// The credential's issuer id (a profile URL or did:web DID, under any base URL or host) names
// the member whose registered key signed, and the kid's issuer part is that id.
TEST_F(RegisteredIssuerTest, TheIssuerIdNamesTheMemberWhoseKeySigned) {
  member_.mutable_admitted()->set_public_url("https://u.example:8443");
  // The issuer check of a credential whose issuer id is `issuer`, signed under `kid`.
  auto issuer_check = [&](const std::string& issuer, const std::string& kid) {
    std::string payload = kValid;
    const std::string old_issuer = "https://u.example/institutions/u";
    payload.replace(payload.find(old_issuer), old_issuer.size(), issuer);
    const jose::Ed25519JwsSigner signer(key_, kid);
    auto report = Check(Issue(payload, jose::VcJwtHeader(), &signer));
    EXPECT_EQ(report.checks(1).name(), "issuer");
    return report.checks(1);
  };
  const std::string url = "https://u.example:8443/institutions/u";
  const std::string did = "did:web:u.example%3A8443:institutions:u";
  EXPECT_TRUE(issuer_check(url, url + "/keys/ed25519:00").passed());
  EXPECT_TRUE(issuer_check(url, url + "#ed25519:00").passed());  // issued before the URL form
  EXPECT_TRUE(issuer_check(did, did + "#ed25519:00").passed());

  // Named under an earlier public URL (the node moved): the registered key that signed is what
  // authenticates, so what the institution issued before stays verifiable.
  EXPECT_TRUE(issuer_check("https://old.example/institutions/u",
                           "https://old.example/institutions/u/keys/ed25519:00")
                  .passed());
  EXPECT_TRUE(issuer_check("did:web:u.example:institutions:u",
                           "did:web:u.example:institutions:u#ed25519:00")
                  .passed());
  // An issuer id that names another institution, under this member's key.
  auto other = issuer_check("https://u.example:8443/institutions/v",
                            "https://u.example:8443/institutions/v/keys/ed25519:00");
  EXPECT_FALSE(other.passed());
  auto other_did = issuer_check("did:web:u.example%3A8443:institutions:v",
                                "did:web:u.example%3A8443:institutions:v#ed25519:00");
  EXPECT_FALSE(other_did.passed());
  // The kid's issuer part is not the credential's issuer.
  auto mixed = issuer_check(did, url + "/keys/ed25519:00");
  EXPECT_FALSE(mixed.passed());
  EXPECT_NE(mixed.detail().find("did not sign it"), std::string::npos) << mixed.detail();
}

}  // namespace
}  // namespace microcred::verification
