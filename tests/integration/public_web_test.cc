// The public web pages at their HTTP edge (services/public_web/web_routes.h), on a node through
// services/mcnode/public_http.h: what the browser tests cannot see well. Learners sign in with
// their access token only, the session cookie's flags, cross-site forms, share links that only
// the owner can make and withdraw, and bad input answered with 400 naming the field while
// nothing is written. On the in-memory engines; the HTTP is real (loopback).
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>

#include "absl/time/civil_time.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "services/mcnode/public_http.h"
#include "services/mcnode/testing/local_ecosystem.h"

namespace microcred {
namespace {

const Institution kUniversity{"unamur", "Université de Namur",
                              common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-WNA"};

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class PublicWebTest : public testing::Test {
 protected:
  PublicWebTest()
      : ecosystem_("web-test", *domain::PolicyProfile::Named("eu")),
        verifier_("unamur-node"),
        minter_(crypto::SigningKey::Generate(), "https://idp.unamur.example", "unamur-node") {}

  void SetUp() override {
    ASSERT_TRUE(
        verifier_.AddTrustedKey(minter_.kid(), minter_.issuer(), minter_.public_key()).ok());
    auto node = ecosystem_.Join(*node_log_, store_, kUniversity);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    ASSERT_TRUE(node_->issuance().projector().Sync(absl::Seconds(5)).ok());
    catalogue::v1::PublishSpecificationRequest publish;
    publish.set_request_id("publish-data");
    publish.set_local_id("data-literacy");
    *publish.mutable_content() = catalogue::samples::DataLiteracy(kUniversity.id);
    ASSERT_TRUE(node_->catalogue().Publish(StaffOf(kUniversity.id), publish).ok());
    mine_ = Issue("UN-1", "mine");
    theirs_ = Issue("UN-2", "theirs");

    http_ = std::make_unique<PublicHttp>(
        *node_, PublicWebOptions{.share_store = &shares_,
                                 .tokens = &verifier_,
                                 .institution_name = kUniversity.legal_name});
    ASSERT_TRUE(http_->Start("127.0.0.1", 0).ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", http_->port());
  }

  void TearDown() override {
    if (http_) http_->Stop();
  }

  std::string Issue(const std::string& learner_id, const std::string& request_id) {
    issuance::v1::IssueCredentialRequest r;
    r.set_request_id(request_id);
    r.set_specification_id(kUniversity.id + "/data-literacy");
    r.mutable_learner()->set_learner_id(learner_id);
    r.mutable_learner()->set_given_name("Jonas");
    r.mutable_learner()->set_family_name("Peeters");
    absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 1;
    *r.mutable_issued_on() = domain::ToDate(day);
    r.set_place_of_issuing("Namur");
    r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    auto issued = node_->issuance().Issue(StaffOf(kUniversity.id), r);
    EXPECT_TRUE(issued.ok()) << issued.status();
    if (!issued.ok()) return "";
    jws_[issued->credential_id()] = issued->jws();
    return issued->credential_id();
  }

  std::string Token(const std::string& subject, std::vector<std::string> roles,
                    const std::string& institution = kUniversity.id) {
    return minter_.Mint(subject, institution, roles, absl::Hours(1));
  }

  httplib::Result SignIn(const std::string& token, httplib::Headers headers = {}) {
    httplib::MultipartFormDataItems form = {{"token", token, "", ""}};
    return client_->Post("/learner/session?lang=en", headers, form);
  }

  // The session cookie a sign-in sets, as a Cookie header.
  httplib::Headers Session(const std::string& token) {
    auto response = SignIn(token);
    EXPECT_TRUE(response);
    if (!response) return {};
    EXPECT_EQ(response->status, 303) << response->body;
    std::string cookie = response->get_header_value("Set-Cookie");
    return {{"Cookie", cookie.substr(0, cookie.find(';'))}};
  }

  size_t StoredWebKeys() {
    auto rows = shares_.ScanPrefix("web/");
    return rows.ok() ? rows->size() : 0;
  }

  LocalEcosystem ecosystem_;
  auth::TokenVerifier verifier_;
  auth::TokenMinter minter_;
  MemoryEventLog log_;
  std::unique_ptr<MemoryEventLog> node_log_ = log_.Share();
  MemoryStateStore store_, shares_;
  std::unique_ptr<Node> node_;
  std::string mine_, theirs_;
  std::map<std::string, std::string> jws_;  // by credential id
  std::unique_ptr<PublicHttp> http_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(PublicWebTest, PagesAreServedWithTheirSecurityHeaders) {
  for (const char* path :
       {"/catalogue", "/catalogue/unamur/data-literacy", "/verify", "/learner"}) {
    auto response = client_->Get(path);
    ASSERT_TRUE(response) << path;
    EXPECT_EQ(response->status, 200) << path;
    EXPECT_EQ(response->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_TRUE(
        Contains(response->get_header_value("Content-Security-Policy"), "default-src 'none'"));
    EXPECT_TRUE(Contains(response->body, "Université de Namur")) << path;
  }
  auto css = client_->Get("/assets/site.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_TRUE(Contains(css->get_header_value("Content-Type"), "text/css"));
}

TEST_F(PublicWebTest, BadCatalogueFiltersAre400NamingTheParameter) {
  auto response = client_->Get("/catalogue?eqf=6&country=Belgium");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(Contains(response->body, "country: an ISO 3166-1 country code"));
  auto missing = client_->Get("/catalogue/unamur/nothing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(PublicWebTest, VerificationFormRefusesAnEmptyCredential) {
  httplib::MultipartFormDataItems form = {{"credential", "  ", "", ""}};
  auto response = client_->Post("/verify/result?lang=en", form);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(Contains(response->body, "credential: paste a credential"));
}

// The issuer a verifier reads is the registry's member, by the name its root admitted it with,
// whatever name the credential itself carries. Here the credential was issued while the member
// was registered under another university's name, which the root has since corrected.
TEST_F(PublicWebTest, VerificationShowsTheRegistrysNameForTheIssuer) {
  auto registered = node_->issuance().projector().FindMember(kUniversity.id);
  ASSERT_TRUE(registered.has_value());
  registry::v1::MemberAdmitted admission = registered->admitted();
  admission.clear_cut();
  admission.set_legal_name("Université catholique de Louvain");
  ASSERT_TRUE(ecosystem_.secretariat().Admit(log_, admission).ok());
  ASSERT_TRUE(node_->issuance().projector().Sync(absl::Seconds(5)).ok());
  const std::string credential = Issue("UN-3", "under-another-name");
  admission.set_legal_name(kUniversity.legal_name);
  ASSERT_TRUE(ecosystem_.secretariat().Admit(log_, admission).ok());
  ASSERT_TRUE(node_->issuance().projector().Sync(absl::Seconds(5)).ok());

  httplib::MultipartFormDataItems form = {{"credential", jws_[credential], "", ""}};
  auto response = client_->Post("/verify/result?lang=en", form);
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200);
  EXPECT_TRUE(Contains(response->body, "VALID: genuine and in force")) << response->body;
  EXPECT_TRUE(Contains(response->body, "<dt>Issuer</dt><dd>Université de Namur")) << response->body;
  EXPECT_FALSE(Contains(response->body, "<dd>Université catholique de Louvain")) << response->body;
  EXPECT_TRUE(Contains(response->body,
                       "The credential names its issuer “Université catholique de Louvain”"))
      << response->body;

  auto api = client_->Post("/verify", jws_[credential], "application/vc+jwt");
  ASSERT_TRUE(api);
  EXPECT_TRUE(Contains(api->body, R"("issuer_name":"Université de Namur")")) << api->body;
  EXPECT_TRUE(Contains(api->body, R"("credential_issuer_name":"Université catholique de Louvain")"))
      << api->body;
}

TEST_F(PublicWebTest, OnlyALearnersTokenOfThisInstitutionSignsIn) {
  auto staff = SignIn(Token("registrar-1", {auth::roles::kRegistrar}));
  ASSERT_TRUE(staff);
  EXPECT_EQ(staff->status, 400);
  EXPECT_TRUE(Contains(staff->body, "token: not a learner"));
  EXPECT_EQ(staff->get_header_value("Set-Cookie"), "");

  auto elsewhere = SignIn(Token("UN-1", {auth::roles::kLearner}, "henallux"));
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->status, 400);

  auto forged = SignIn("eyJhbGciOiJub25lIn0.e30.");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 400);
  EXPECT_TRUE(Contains(forged->body, "token: "));

  auto cross_site =
      SignIn(Token("UN-1", {auth::roles::kLearner}), {{"Origin", "https://elsewhere.example"}});
  ASSERT_TRUE(cross_site);
  EXPECT_EQ(cross_site->status, 403);

  auto learner = SignIn(Token("UN-1", {auth::roles::kLearner}));
  ASSERT_TRUE(learner);
  EXPECT_EQ(learner->status, 303);
  const std::string cookie = learner->get_header_value("Set-Cookie");
  EXPECT_TRUE(Contains(cookie, "mc_learner="));
  EXPECT_TRUE(Contains(cookie, "HttpOnly"));
  EXPECT_TRUE(Contains(cookie, "SameSite=Strict"));
  EXPECT_TRUE(Contains(cookie, "Path=/learner"));
}

TEST_F(PublicWebTest, TheLearnerSeesOnlyTheirCredentials) {
  auto page = client_->Get("/learner?lang=en", Session(Token("UN-1", {auth::roles::kLearner})));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-store");
  EXPECT_TRUE(Contains(page->body, mine_));
  EXPECT_FALSE(Contains(page->body, theirs_));
}

TEST_F(PublicWebTest, ExportsNeedASessionAndAKnownFormat) {
  auto anonymous = client_->Post("/learner/export", "credential_id=" + mine_ + "&format=jws",
                                 "application/x-www-form-urlencoded");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);

  const httplib::Headers session = Session(Token("UN-1", {auth::roles::kLearner}));
  auto bad = client_->Post("/learner/export", session, "credential_id=" + mine_ + "&format=pdf",
                           "application/x-www-form-urlencoded");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(Contains(bad->body, "format: jws, ob or elm"));

  auto theirs =
      client_->Post("/learner/export", session, "credential_id=" + theirs_ + "&format=jws",
                    "application/x-www-form-urlencoded");
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->status, 403);

  auto jws = client_->Post("/learner/export", session, "credential_id=" + mine_ + "&format=jws",
                           "application/x-www-form-urlencoded");
  ASSERT_TRUE(jws);
  EXPECT_EQ(jws->status, 200);
  EXPECT_EQ(jws->get_header_value("Content-Type"), "application/jwt");  // the OB 3.0 profile
  EXPECT_TRUE(Contains(jws->get_header_value("Content-Disposition"), "attachment"));
}

TEST_F(PublicWebTest, ShareLinksAreMadeAndWithdrawnByTheirOwnerOnly) {
  const httplib::Headers session = Session(Token("UN-1", {auth::roles::kLearner}));
  const std::string form = "application/x-www-form-urlencoded";

  // Someone else's credential, or none: 4xx naming the field, nothing written.
  auto theirs = client_->Post("/learner/shares", session, "credential_id=" + theirs_, form);
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->status, 404);
  EXPECT_TRUE(Contains(theirs->body, "credential_id: not one of your credentials"));
  auto empty = client_->Post("/learner/shares", session, "credential_id=", form);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
  EXPECT_EQ(StoredWebKeys(), 0u);

  auto made = client_->Post("/learner/shares", session, "credential_id=" + mine_, form);
  ASSERT_TRUE(made);
  EXPECT_EQ(made->status, 201);
  EXPECT_EQ(StoredWebKeys(), 2u);  // the record and the owner's index
  const size_t at = made->body.find("/s/");
  ASSERT_NE(at, std::string::npos);
  const std::string share_id = made->body.substr(at + 3, 27);

  auto shared = client_->Get(("/s/" + share_id).c_str());
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->status, 200);
  EXPECT_TRUE(Contains(shared->body, "VALID: genuine and in force"));
  EXPECT_EQ(shared->get_header_value("Referrer-Policy"), "same-origin");

  // Another learner cannot withdraw it.
  const httplib::Headers other = Session(Token("UN-2", {auth::roles::kLearner}));
  auto stolen = client_->Post("/learner/shares/withdraw", other, "share_id=" + share_id, form);
  ASSERT_TRUE(stolen);
  EXPECT_EQ(stolen->status, 404);
  auto malformed = client_->Post("/learner/shares/withdraw", session, "share_id=../x", form);
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 400);
  EXPECT_TRUE(Contains(malformed->body, "share_id:"));
  ASSERT_EQ(client_->Get(("/s/" + share_id).c_str())->status, 200);

  auto withdrawn = client_->Post("/learner/shares/withdraw", session, "share_id=" + share_id, form);
  ASSERT_TRUE(withdrawn);
  EXPECT_EQ(withdrawn->status, 303);
  auto gone = client_->Get(("/s/" + share_id).c_str());
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
  auto unknown = client_->Get("/s/AAAAAAAAAAAAAAAAAAAAAAAAAAA");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

}  // namespace
}  // namespace microcred
