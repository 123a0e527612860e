#include "libs/auth/tokens.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/base/strings.h"
#include "nlohmann/json.hpp"

namespace microcred::auth {
namespace {

using Json = nlohmann::json;

constexpr char kNode[] = "node-uni-a";
constexpr char kIssuer[] = "https://idp.uni-a.example";
const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

class AuthTest : public ::testing::Test {
 protected:
  AuthTest() : key_(crypto::SigningKey::Generate()), verifier_(kNode) {
    EXPECT_TRUE(verifier_.AddTrustedKey("k1", kIssuer, key_.public_key()).ok());
  }

  static Json Header() { return {{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", "k1"}}; }
  static Json Claims() {
    return {{"iss", kIssuer},
            {"sub", "alice"},
            {"aud", kNode},
            {"iat", absl::ToUnixSeconds(kNow)},
            {"exp", absl::ToUnixSeconds(kNow + absl::Hours(1))},
            {"inst", "uni-a"},
            {"roles", {"registrar", "learner"}}};
  }
  // Signs whatever header and claims a test wants, valid or not.
  std::string Sign(const Json& header, const Json& claims) const {
    std::string input = absl::StrCat(crypto::Base64UrlEncode(header.dump()), ".",
                                     crypto::Base64UrlEncode(claims.dump()));
    return absl::StrCat(input, ".", crypto::Base64UrlEncode(key_.Sign(input)));
  }
  absl::Status VerifyError(std::string_view token, absl::Time now = kNow) const {
    absl::StatusOr<Caller> caller = verifier_.Verify(token, now);
    EXPECT_FALSE(caller.ok()) << "accepted: " << token;
    if (caller.ok()) return absl::OkStatus();
    EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated) << caller.status();
    EXPECT_TRUE(token.empty() ||
                !absl::StrContains(caller.status().message(), strings::ToAbsl(token)))
        << "token leaked";
    return caller.status();
  }
  void ExpectRejected(std::string_view token, std::string_view reason, absl::Time now = kNow) {
    absl::Status status = VerifyError(token, now);
    EXPECT_TRUE(absl::StrContains(status.message(), strings::ToAbsl(reason)))
        << status << " lacks " << reason;
  }
  Json ClaimsWith(std::string_view name, Json value) const {
    Json claims = Claims();
    claims[std::string(name)] = std::move(value);
    return claims;
  }
  Json ClaimsWithout(std::string_view name) const {
    Json claims = Claims();
    claims.erase(std::string(name));
    return claims;
  }

  crypto::SigningKey key_;
  TokenVerifier verifier_;
};

TEST_F(AuthTest, ValidTokenGivesTheCaller) {
  absl::StatusOr<Caller> caller = verifier_.Verify(Sign(Header(), Claims()), kNow);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "alice");
  EXPECT_EQ(caller->institution_id, "uni-a");
  EXPECT_EQ(caller->roles, (std::vector<std::string>{"registrar", "learner"}));
  EXPECT_TRUE(caller->HasRole(roles::kRegistrar));
  EXPECT_FALSE(caller->HasRole(roles::kOperator));
}

TEST_F(AuthTest, ExpiryHonoursTheLeeway) {
  std::string token = Sign(Header(), Claims());
  absl::Time exp = kNow + absl::Hours(1);
  EXPECT_TRUE(verifier_.Verify(token, exp + absl::Seconds(59)).ok());
  ExpectRejected(token, "expired", exp + absl::Seconds(61));
}

TEST_F(AuthTest, NotYetValidIsRejected) {
  Json claims = ClaimsWith("nbf", absl::ToUnixSeconds(kNow + absl::Minutes(5)));
  ExpectRejected(Sign(Header(), claims), "not valid before");
  EXPECT_TRUE(verifier_.Verify(Sign(Header(), claims), kNow + absl::Minutes(4.5)).ok());
}

TEST_F(AuthTest, IssuedInTheFutureIsRejected) {
  Json claims = ClaimsWith("iat", absl::ToUnixSeconds(kNow + absl::Minutes(5)));
  ExpectRejected(Sign(Header(), claims), "issued in the future");
}

TEST_F(AuthTest, WrongAudienceIsRejected) {
  ExpectRejected(Sign(Header(), ClaimsWith("aud", "node-uni-b")), "audience");
  ExpectRejected(Sign(Header(), ClaimsWithout("aud")), "missing aud");
}

TEST_F(AuthTest, AudienceArrayContainingThisNodeIsAccepted) {
  Json claims = ClaimsWith("aud", {"node-uni-b", kNode});
  EXPECT_TRUE(verifier_.Verify(Sign(Header(), claims), kNow).ok());
}

TEST_F(AuthTest, UnknownKidIsRejected) {
  Json header = Header();
  header["kid"] = "k2";
  ExpectRejected(Sign(header, Claims()), "unknown kid");
  header.erase("kid");
  ExpectRejected(Sign(header, Claims()), "no kid");
}

TEST_F(AuthTest, IssuerMustMatchTheKey) {
  ExpectRejected(Sign(Header(), ClaimsWith("iss", "https://evil.example")), "iss");
}

TEST_F(AuthTest, TamperedPayloadIsRejected) {
  std::string token = Sign(Header(), Claims());
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  parts[1] = crypto::Base64UrlEncode(ClaimsWith("roles", {"operator"}).dump());
  ExpectRejected(absl::StrJoin(parts, "."), "signature does not verify");
}

TEST_F(AuthTest, TamperedSignatureIsRejected) {
  std::string token = Sign(Header(), Claims());
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  std::string signature = *crypto::Base64UrlDecode(parts[2]);
  signature[10] ^= 0x01;
  parts[2] = crypto::Base64UrlEncode(signature);
  ExpectRejected(absl::StrJoin(parts, "."), "signature does not verify");
}

TEST_F(AuthTest, SignatureByAnotherKeyIsRejected) {
  crypto::SigningKey other = crypto::SigningKey::Generate();
  std::string input = absl::StrCat(crypto::Base64UrlEncode(Header().dump()), ".",
                                   crypto::Base64UrlEncode(Claims().dump()));
  ExpectRejected(absl::StrCat(input, ".", crypto::Base64UrlEncode(other.Sign(input))),
                 "signature does not verify");
}

TEST_F(AuthTest, AlgNoneIsRejected) {
  Json header = {{"alg", "none"}, {"typ", "JWT"}, {"kid", "k1"}};
  std::string unsigned_token = absl::StrCat(crypto::Base64UrlEncode(header.dump()), ".",
                                            crypto::Base64UrlEncode(Claims().dump()), ".");
  ExpectRejected(unsigned_token, "alg \"none\" is not accepted");
}

TEST_F(AuthTest, AlgHs256IsRejected) {
  Json header = {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "k1"}};
  ExpectRejected(Sign(header, Claims()), "alg \"HS256\" is not accepted");
  header.erase("alg");
  ExpectRejected(Sign(header, Claims()), "no alg");
}

TEST_F(AuthTest, MalformedTokensAreRejected) {
  std::string token = Sign(Header(), Claims());
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ExpectRejected(absl::StrCat(parts[0], ".", parts[1]), "expected 3 dot-separated parts, got 2");
  ExpectRejected(absl::StrCat(token, ".x"), "got 4");
  ExpectRejected("", "empty");
  ExpectRejected(absl::StrCat("!!!.", parts[1], ".", parts[2]), "header is not base64url");
  ExpectRejected(absl::StrCat(crypto::Base64UrlEncode("not json"), ".", parts[1], ".", parts[2]),
                 "header is not a JSON object");
  ExpectRejected(absl::StrCat(parts[0], ".", parts[1], ".***"), "signature is not base64url");
  ExpectRejected(std::string(kMaxTokenBytes + 1, 'a'), "longer");
}

TEST_F(AuthTest, PayloadThatIsNotJsonIsRejectedAfterTheSignature) {
  std::string input =
      absl::StrCat(crypto::Base64UrlEncode(Header().dump()), ".", crypto::Base64UrlEncode("[1,2"));
  ExpectRejected(absl::StrCat(input, ".", crypto::Base64UrlEncode(key_.Sign(input))),
                 "payload is not a JSON object");
}

TEST_F(AuthTest, RequiredClaimsAreRequired) {
  ExpectRejected(Sign(Header(), ClaimsWithout("inst")), "missing inst");
  ExpectRejected(Sign(Header(), ClaimsWithout("roles")), "missing roles");
  ExpectRejected(Sign(Header(), ClaimsWith("roles", "registrar")), "missing roles");
  ExpectRejected(Sign(Header(), ClaimsWith("roles", {"registrar", 7})), "non-string");
  ExpectRejected(Sign(Header(), ClaimsWithout("sub")), "missing sub");
  ExpectRejected(Sign(Header(), ClaimsWith("sub", "")), "missing sub");
  ExpectRejected(Sign(Header(), ClaimsWithout("exp")), "missing exp");
  ExpectRejected(Sign(Header(), ClaimsWith("exp", "tomorrow")), "exp is not a number");
  ExpectRejected(Sign(Header(), ClaimsWithout("iat")), "missing iat");
  ExpectRejected(Sign(Header(), ClaimsWithout("iss")), "iss");
}

TEST_F(AuthTest, AbsurdTimesDoNotOverflow) {
  ExpectRejected(Sign(Header(), ClaimsWith("exp", -1e300)), "expired");
  // Far in the future is no longer "valid forever": it outlives the maximum lifetime.
  ExpectRejected(Sign(Header(), ClaimsWith("exp", 1e300)), "lifetime");
  ExpectRejected(Sign(Header(), ClaimsWith("iat", -1e300)), "lifetime");
}

TEST_F(AuthTest, LifetimeLongerThanTheMaximumIsRejected) {
  const int64_t iat = absl::ToUnixSeconds(kNow);
  const Json year = ClaimsWith("exp", iat + 365 * 24 * 3600);
  ExpectRejected(Sign(Header(), year), "lifetime of 8760h exceeds the maximum of 12h");
  // Exactly the default maximum is accepted.
  EXPECT_TRUE(verifier_.Verify(Sign(Header(), ClaimsWith("exp", iat + 12 * 3600)), kNow).ok());
  // A stale iat does not hide a long exp: the lifetime counts from now when iat is older.
  Json old_iat = ClaimsWith("exp", iat + 13 * 3600);
  old_iat["iat"] = iat - 3600;
  ExpectRejected(Sign(Header(), old_iat), "exceeds the maximum of 12h");
  // An iat a few seconds ahead (within the leeway) does not shorten the lifetime from now.
  Json early = ClaimsWith("iat", iat + 30);
  early["exp"] = iat + 30 + 12 * 3600;
  ExpectRejected(Sign(Header(), early), "exceeds the maximum of 12h");
}

TEST(TokenVerifierTest, MaximumLifetimeIsConfigurable) {
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  TokenMinter minter(key, "svc", kNode);
  TokenVerifier verifier(kNode, absl::Hours(72));
  EXPECT_EQ(verifier.max_lifetime(), absl::Hours(72));
  ASSERT_TRUE(verifier.AddTrustedKey(minter.kid(), minter.issuer(), minter.public_key()).ok());
  EXPECT_TRUE(verifier.Verify(minter.Mint("s", "uni-a", {}, absl::Hours(72), kNow), kNow).ok());
  EXPECT_FALSE(verifier.Verify(minter.Mint("s", "uni-a", {}, absl::Hours(73), kNow), kNow).ok());
  EXPECT_EQ(TokenVerifier(kNode).max_lifetime(), kDefaultMaxTokenLifetime);
  EXPECT_EQ(kDefaultMaxTokenLifetime, absl::Hours(12));
}

TEST(TokenVerifierTest, AddTrustedKeyValidates) {
  TokenVerifier verifier(kNode);
  EXPECT_FALSE(verifier.AddTrustedKey("k", kIssuer, "short").ok());
  EXPECT_FALSE(verifier.AddTrustedKey("", kIssuer, std::string(32, 'k')).ok());
  EXPECT_TRUE(verifier.AddTrustedKey("k", kIssuer, std::string(32, 'k')).ok());
  EXPECT_FALSE(verifier.AddTrustedKey("k", kIssuer, std::string(32, 'k')).ok());
}

TEST(TokenMinterTest, MintedTokensVerify) {
  TokenMinter minter(crypto::SigningKey::Generate(), "mcnode-dev", kNode);
  TokenVerifier verifier(kNode);
  ASSERT_TRUE(verifier.AddTrustedKey(minter.kid(), minter.issuer(), minter.public_key()).ok());
  std::string token =
      minter.Mint("bob", "uni-b", {roles::kCatalogueEditor}, absl::Minutes(10), kNow);
  absl::StatusOr<Caller> caller = verifier.Verify(token, kNow);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "bob");
  EXPECT_EQ(caller->institution_id, "uni-b");
  EXPECT_TRUE(caller->HasRole(roles::kCatalogueEditor));
  EXPECT_FALSE(verifier.Verify(token, kNow + absl::Minutes(12)).ok());
  // The header is exactly the agreed one.
  Json header = Json::parse(*crypto::Base64UrlDecode(token.substr(0, token.find('.'))));
  EXPECT_EQ(header, (Json{{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", minter.kid()}}));
}

class AuthorizeTest : public AuthTest {
 protected:
  absl::StatusOr<Caller> AuthorizeWith(std::vector<std::string> values,
                                       std::initializer_list<std::string_view> any_of) {
    values_ = std::move(values);
    std::vector<std::string_view> authorization(values_.begin(), values_.end());
    return AuthorizeBearer(authorization, verifier_, any_of, kNow);
  }
  std::string Bearer() const { return "Bearer " + Sign(Header(), Claims()); }

  std::vector<std::string> values_;  // the header values point here
};

TEST_F(AuthorizeTest, CallerWithOneOfTheRolesIsAdmitted) {
  auto caller = AuthorizeWith({Bearer()}, {roles::kOperator, roles::kRegistrar});
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->subject, "alice");
}

TEST_F(AuthorizeTest, EmptyRoleListAdmitsAnyVerifiedCaller) {
  EXPECT_TRUE(AuthorizeWith({Bearer()}, {}).ok());
}

TEST_F(AuthorizeTest, SchemeIsCaseInsensitive) {
  EXPECT_TRUE(AuthorizeWith({"bearer " + Sign(Header(), Claims())}, {}).ok());
}

TEST_F(AuthorizeTest, MissingRoleIsPermissionDeniedNamingTheRoles) {
  auto caller = AuthorizeWith({Bearer()}, {roles::kOperator, roles::kSecretariat});
  ASSERT_FALSE(caller.ok());
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(caller.status().message(), "operator, secretariat"))
      << caller.status();
}

TEST_F(AuthorizeTest, MissingOrBadHeaderIsUnauthenticated) {
  for (const auto& values : std::vector<std::vector<std::string>>{
           {}, {"Basic YWxpY2U6cHc="}, {"Bearer "}, {"Bearer garbage"}, {Bearer(), Bearer()}}) {
    auto caller = AuthorizeWith(values, {roles::kRegistrar});
    EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated)
        << (values.empty() ? "(none)" : values[0]);
  }
}

TEST_F(AuthorizeTest, InvalidTokenIsUnauthenticatedEvenWithoutRoleCheck) {
  auto caller = AuthorizeWith({"Bearer " + Sign(Header(), ClaimsWith("aud", "x"))}, {});
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace microcred::auth
