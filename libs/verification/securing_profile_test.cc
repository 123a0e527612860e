#include "libs/verification/securing_profile.h"

#include <gtest/gtest.h>

#include "libs/credentials/open_badge.h"
#include "libs/credentials/testing/sample_facts.h"

namespace microcred::verification {
namespace {

using issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT;
using issuance::v1::SECURING_PROFILE_VC_JOSE_COSE;
using Json = nlohmann::json;

constexpr char kCredential[] =
    R"({"id":"urn:uuid:1","issuer":{"id":"https://u.example/institutions/u","name":"U"},)"
    R"("validFrom":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T23:59:59Z",)"
    R"("credentialSubject":{"id":"urn:x"}})";

jose::ParsedJws WithHeader(const Json& header) {
  jose::ParsedJws jws;
  jws.header = header;
  if (header.contains("typ")) jws.typ = header["typ"].get<std::string>();
  return jws;
}

TEST(SecuringProfileTest, NamesAreTheFlagsValues) {
  EXPECT_EQ(SecuringProfileName(SECURING_PROFILE_OPEN_BADGES_JWT), "open-badges-jwt");
  EXPECT_EQ(SecuringProfileName(SECURING_PROFILE_VC_JOSE_COSE), "vc-jose-cose");
  EXPECT_EQ(SecuringProfileFromName("open-badges-jwt"), SECURING_PROFILE_OPEN_BADGES_JWT);
  EXPECT_EQ(SecuringProfileFromName("vc-jose-cose"), SECURING_PROFILE_VC_JOSE_COSE);
  EXPECT_EQ(SecuringProfileFromName("jwt"), std::nullopt);
  EXPECT_EQ(CredentialHeader(SECURING_PROFILE_OPEN_BADGES_JWT), jose::OpenBadgesJwtHeader());
  EXPECT_EQ(CredentialHeader(SECURING_PROFILE_VC_JOSE_COSE), jose::VcJwtHeader());
}

TEST(SecuringProfileTest, TheHeaderNamesTheProfile) {
  EXPECT_EQ(*SecuringProfileOf(WithHeader({{"alg", "EdDSA"}, {"kid", "k"}, {"typ", "JWT"}})),
            SECURING_PROFILE_OPEN_BADGES_JWT);
  EXPECT_EQ(*SecuringProfileOf(WithHeader({{"alg", "EdDSA"}, {"kid", "k"}})),
            SECURING_PROFILE_OPEN_BADGES_JWT);
  EXPECT_EQ(*SecuringProfileOf(WithHeader(
                {{"alg", "EdDSA"}, {"kid", "k"}, {"jwk", Json::object()}, {"typ", "JWT"}})),
            SECURING_PROFILE_OPEN_BADGES_JWT);
  EXPECT_EQ(*SecuringProfileOf(
                WithHeader({{"alg", "EdDSA"}, {"kid", "k"}, {"typ", "vc+jwt"}, {"cty", "vc"}})),
            SECURING_PROFILE_VC_JOSE_COSE);

  absl::StatusOr<SecuringProfile> other =
      SecuringProfileOf(WithHeader({{"alg", "EdDSA"}, {"kid", "k"}, {"typ", "at+jwt"}}));
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(other.status().message().rfind("jws.header.typ: ", 0), 0u) << other.status();

  absl::StatusOr<SecuringProfile> extra = SecuringProfileOf(
      WithHeader({{"alg", "EdDSA"}, {"kid", "k"}, {"typ", "JWT"}, {"cty", "vc"}}));
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.status().message(),
            "jws.header.cty: not allowed in the Open Badges 3.0 profile (only alg, kid, jwk, typ)");
}

TEST(SecuringProfileTest, VcJoseCosePayloadIsTheCredential) {
  EXPECT_EQ(*CredentialPayload(SECURING_PROFILE_VC_JOSE_COSE, kCredential), kCredential);
}

TEST(SecuringProfileTest, OpenBadgesPayloadAddsTheClaimsAfterTheMembers) {
  absl::StatusOr<std::string> payload =
      CredentialPayload(SECURING_PROFILE_OPEN_BADGES_JWT, kCredential);
  ASSERT_TRUE(payload.ok()) << payload.status();
  const std::string credential(kCredential);
  EXPECT_EQ(payload->substr(0, credential.size() - 1), credential.substr(0, credential.size() - 1));
  const Json claims = Json::parse(*payload);
  EXPECT_EQ(claims["iss"], "https://u.example/institutions/u");
  EXPECT_EQ(claims["jti"], "urn:uuid:1");
  EXPECT_EQ(claims["sub"], "urn:x");
  EXPECT_EQ(claims["nbf"], 1767225600);  // 2026-01-01T00:00:00Z
  EXPECT_EQ(claims["exp"], 1798847999);  // 2027-01-01T23:59:59Z
  EXPECT_FALSE(claims.contains("iat"));
  EXPECT_EQ(*CredentialOfPayload(*payload), credential);
}

TEST(SecuringProfileTest, NoExpWithoutValidUntilNoSubWithoutSubjectId) {
  const std::string credential =
      R"({"id":"urn:uuid:1","issuer":"https://u.example/institutions/u",)"
      R"("validFrom":"2026-01-01T00:00:00.900Z","credentialSubject":{"name":"x"}})";
  const Json payload =
      Json::parse(*CredentialPayload(SECURING_PROFILE_OPEN_BADGES_JWT, credential));
  EXPECT_EQ(payload["iss"], "https://u.example/institutions/u");
  EXPECT_EQ(payload["nbf"], 1767225600);  // whole seconds
  EXPECT_FALSE(payload.contains("exp"));
  EXPECT_FALSE(payload.contains("sub"));
}

TEST(SecuringProfileTest, AnIssuedCredentialGetsItsClaims) {
  credentials::CredentialFacts facts = credentials::testing::SampleFacts();
  const std::string document = *credentials::WriteOpenBadgeCredential(facts);
  const Json credential = Json::parse(document);
  const Json payload = Json::parse(*CredentialPayload(SECURING_PROFILE_OPEN_BADGES_JWT, document));
  EXPECT_EQ(payload["iss"], credential["issuer"]["id"]);
  EXPECT_EQ(payload["jti"], credential["id"]);
  EXPECT_EQ(payload["sub"], credential["credentialSubject"]["id"]);
  EXPECT_TRUE(payload["nbf"].is_number_integer());
  Json without = payload;
  for (const char* claim : {"iss", "jti", "sub", "nbf", "exp"}) without.erase(claim);
  EXPECT_EQ(without, credential);
}

// Issuance adds the claims from the facts it wrote the document from, without reading it back:
// the same bytes as reading the members from the document.
TEST(SecuringProfileTest, ClaimsFromTheFactsAreTheClaimsOfTheDocument) {
  credentials::CredentialFacts until = credentials::testing::SampleFacts();
  until.issuance.mutable_valid_until()->set_year(2031);
  until.issuance.mutable_valid_until()->set_month(2);
  until.issuance.mutable_valid_until()->set_day(28);
  for (const credentials::CredentialFacts& facts :
       {credentials::testing::SampleFacts(), credentials::testing::SampleFactsInHours(), until}) {
    const std::string document = *credentials::WriteOpenBadgeCredential(facts);
    absl::StatusOr<std::string> from_facts = CredentialPayload(
        SECURING_PROFILE_OPEN_BADGES_JWT, document, credentials::ClaimedMembersOf(facts));
    ASSERT_TRUE(from_facts.ok()) << from_facts.status();
    EXPECT_EQ(*from_facts, *CredentialPayload(SECURING_PROFILE_OPEN_BADGES_JWT, document));
    EXPECT_EQ(*CredentialPayload(SECURING_PROFILE_VC_JOSE_COSE, document,
                                 credentials::ClaimedMembersOf(facts)),
              document);
  }
  EXPECT_TRUE(Json::parse(*CredentialPayload(SECURING_PROFILE_OPEN_BADGES_JWT,
                                             *credentials::WriteOpenBadgeCredential(until)))
                  .contains("exp"));
}

TEST(SecuringProfileTest, ACredentialTheClaimsCannotBeMadeOfIsRefused) {
  for (const auto& [credential, reason] : std::vector<std::pair<std::string, std::string>>{
           {"[1]", "credential: not a JSON object"},
           {R"({"issuer":"i","validFrom":"2026-01-01T00:00:00Z"})", "credential.id: missing"},
           {R"({"id":"x","validFrom":"2026-01-01T00:00:00Z"})", "credential.issuer.id: missing"},
           {R"({"id":"x","issuer":"i","validFrom":"1 Jan 2026"})", "credential.validFrom: not"},
           {R"({"id":"x","issuer":"i","validFrom":"2026-01-01T00:00:00Z","validUntil":3})",
            "credential.validUntil: not"},
           {R"({"id":"x","issuer":"i","validFrom":"2026-01-01T00:00:00Z","iss":"i"})",
            "credential.iss: "},
       }) {
    absl::StatusOr<std::string> payload =
        CredentialPayload(SECURING_PROFILE_OPEN_BADGES_JWT, credential);
    ASSERT_FALSE(payload.ok()) << credential;
    EXPECT_EQ(payload.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(payload.status().message().rfind(reason, 0), 0u) << payload.status();
  }
}

ClaimValue Text(std::string text) {
  return {.kind = ClaimValue::Kind::kString, .text = std::move(text)};
}
ClaimValue Number(double number) { return {.kind = ClaimValue::Kind::kNumber, .number = number}; }

PayloadClaims Agreeing() {
  return {.issuer_id = "https://u.example/institutions/u",
          .id = "urn:uuid:1",
          .subject_id = "urn:x",
          .valid_from = "2026-01-01T00:00:00Z",
          .has_valid_until = true,
          .valid_until = "2027-01-01T23:59:59Z",
          .iss = Text("https://u.example/institutions/u"),
          .jti = Text("urn:uuid:1"),
          .sub = Text("urn:x"),
          .nbf = Number(1767225600),
          .exp = Number(1798847999)};
}

TEST(SecuringProfileTest, ClaimsThatCopyTheirMembersPassInBothProfiles) {
  EXPECT_TRUE(CheckRegisteredClaims(Agreeing(), SECURING_PROFILE_OPEN_BADGES_JWT).ok());
  EXPECT_TRUE(CheckRegisteredClaims(Agreeing(), SECURING_PROFILE_VC_JOSE_COSE).ok());
}

TEST(SecuringProfileTest, EachContradictionIsRefusedInEitherProfile) {
  struct Case {
    std::function<void(PayloadClaims&)> change;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {[](PayloadClaims& p) { p.iss = Text("https://other.example/institutions/o"); },
       "jws.payload.iss: not the credential's issuer.id"},
      {[](PayloadClaims& p) { p.iss = Number(1); }, "jws.payload.iss: not the credential's"},
      {[](PayloadClaims& p) { p.jti = Text("urn:uuid:2"); },
       "jws.payload.jti: not the credential's id"},
      {[](PayloadClaims& p) { p.sub = Text("urn:y"); },
       "jws.payload.sub: not the credential's credentialSubject.id"},
      {[](PayloadClaims& p) { p.subject_id.reset(); },
       "jws.payload.sub: present, but the credential has no credentialSubject.id"},
      {[](PayloadClaims& p) { p.nbf = Number(1767225601); },
       "jws.payload.nbf: not the credential's validFrom (1767225600 as a NumericDate)"},
      {[](PayloadClaims& p) { p.nbf = Text("2026-01-01T00:00:00Z"); },
       "jws.payload.nbf: not a NumericDate"},
      {[](PayloadClaims& p) { p.exp = Number(1798848000); },
       "jws.payload.exp: not the credential's validUntil (1798847999 as a NumericDate)"},
      {[](PayloadClaims& p) {
         p.has_valid_until = false;
         p.valid_until.reset();
       },
       "jws.payload.exp: present, but the credential has no validUntil"},
      {[](PayloadClaims& p) { p.valid_until = std::nullopt; },
       "jws.payload.exp: the credential's validUntil is not an RFC 3339 date-time"},
  };
  for (SecuringProfile profile :
       {SECURING_PROFILE_OPEN_BADGES_JWT, SECURING_PROFILE_VC_JOSE_COSE}) {
    for (const Case& c : cases) {
      PayloadClaims claims = Agreeing();
      c.change(claims);
      absl::Status status = CheckRegisteredClaims(claims, profile);
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.reason;
      EXPECT_EQ(status.message().rfind(c.reason, 0), 0u) << status << " / " << c.reason;
    }
  }
}

TEST(SecuringProfileTest, MissingClaimsAreRefusedOnlyInTheOpenBadgesProfile) {
  struct Case {
    std::function<void(PayloadClaims&)> remove;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {[](PayloadClaims& p) { p.iss = {}; },
       "jws.payload.iss: missing; the Open Badges 3.0 profile requires it (issuer.id)"},
      {[](PayloadClaims& p) { p.jti = {}; }, "jws.payload.jti: missing"},
      {[](PayloadClaims& p) { p.sub = {}; }, "jws.payload.sub: missing"},
      {[](PayloadClaims& p) { p.nbf = {}; }, "jws.payload.nbf: missing"},
      {[](PayloadClaims& p) { p.exp = {}; }, "jws.payload.exp: missing"},
  };
  for (const Case& c : cases) {
    PayloadClaims claims = Agreeing();
    c.remove(claims);
    absl::Status status = CheckRegisteredClaims(claims, SECURING_PROFILE_OPEN_BADGES_JWT);
    EXPECT_EQ(status.message().rfind(c.reason, 0), 0u) << status << " / " << c.reason;
    EXPECT_TRUE(CheckRegisteredClaims(claims, SECURING_PROFILE_VC_JOSE_COSE).ok()) << c.reason;
  }
  // Without a subject id there is no sub to require; without a validUntil, no exp.
  PayloadClaims bare = Agreeing();
  bare.subject_id.reset();
  bare.sub = {};
  bare.has_valid_until = false;
  bare.valid_until.reset();
  bare.exp = {};
  EXPECT_TRUE(CheckRegisteredClaims(bare, SECURING_PROFILE_OPEN_BADGES_JWT).ok());
}

}  // namespace
}  // namespace microcred::verification
