// The web pages' handlers (web_routes.h) over a fake WebBackend: no node, no services. Each
// request goes through a real cpp-httplib server on loopback, so routes, headers and cookies are
// what a browser sees. tests/integration/public_web_test.cc runs the same pages on a node.
#include "services/public_web/web_routes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "libs/adapters/memory/memory_state_store.h"
#include "libs/auth/roles.h"
#include "libs/crypto/crypto.h"
#include "libs/domain/testing/sample_catalogue.h"

namespace microcred::web {
namespace {

constexpr int64_t kNowMs = 1767225600000;  // 2026-01-01
constexpr char kInstitution[] = "uclouvain";
constexpr char kSpecId[] = "uclouvain/data-literacy";

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The node as the pages see it: one specification, one provider profile, one learner with one
// credential; every verification answers `report`. Records what the pages asked.
class FakeBackend : public WebBackend {
 public:
  FakeBackend() {
    spec_.set_specification_id(kSpecId);
    spec_.set_version(2);
    spec_.set_owner_institution(kInstitution);
    spec_.set_status(catalogue::v1::SPECIFICATION_STATUS_PUBLISHED);
    *spec_.mutable_content() = catalogue::samples::DataLiteracy(kInstitution);
    spec_.set_ecosystem_id("alliance");
    profile_.set_institution_id(kInstitution);
    profile_.set_legal_name("Université catholique de Louvain");
    profile_.set_ecosystem_id("fwb");
    credential_.set_credential_id("urn:uuid:mine");
    credential_.set_specification_id(kSpecId);
    credential_.set_specification_version(2);
    credential_.set_learner_pseudonym("pseudo-1");
    credential_.set_status(issuance::v1::CREDENTIAL_STATUS_ACTIVE);
    credential_.set_issued_at_ms(kNowMs);
    report_.set_valid(true);
    report_.set_credential_id("urn:uuid:mine");
    report_.set_issuer(kInstitution);
    report_.set_specification_id(kSpecId);
    report_.set_specification_version(2);
    report_.set_status(issuance::v1::CREDENTIAL_STATUS_ACTIVE);
  }

  std::string institution_id() const override { return kInstitution; }
  std::string public_url() const override { return "https://uclouvain.example"; }

  absl::StatusOr<InstitutionFacts> GetInstitution(const std::string& id) const override {
    if (id != kInstitution) return absl::NotFoundError("institution: " + id + " is not known");
    return InstitutionFacts{.institution_id = kInstitution,
                            .legal_name = "Université catholique de Louvain",
                            .country = "BE",
                            .provider_type = common::v1::PROVIDER_TYPE_HIGHER_EDUCATION,
                            .issuer_url = "https://uclouvain.example/institutions/uclouvain",
                            .did = "did:web:uclouvain.example:institutions:uclouvain"};
  }

  absl::StatusOr<catalogue::v1::SearchSpecificationsResponse> SearchSpecifications(
      const catalogue::v1::SearchSpecificationsRequest& request) const override {
    std::lock_guard<std::mutex> lock(mu_);
    searches_.push_back(request);
    catalogue::v1::SearchSpecificationsResponse response;
    *response.add_results() = spec_;
    response.set_total(1);
    auto* facet = response.add_facets();
    facet->set_name("provider");
    auto* count = facet->add_counts();
    count->set_value(kInstitution);
    count->set_count(1);
    return response;
  }
  absl::StatusOr<catalogue::v1::Specification> GetSpecification(
      const catalogue::v1::GetSpecificationRequest& request) const override {
    std::lock_guard<std::mutex> lock(mu_);
    specification_requests_.push_back(request);
    if (request.specification_id() != kSpecId) {
      return absl::NotFoundError("specification_id: no such specification");
    }
    return spec_;
  }
  absl::StatusOr<catalogue::v1::ProviderProfile> GetProviderProfile(
      const catalogue::v1::GetProviderProfileRequest& request) const override {
    std::lock_guard<std::mutex> lock(mu_);
    profile_requests_.push_back(request);
    // One profile, in FWB (the home): none in the alliance.
    if (request.institution_id() != kInstitution ||
        (!request.ecosystem_id().empty() && request.ecosystem_id() != "fwb")) {
      return absl::NotFoundError("institution_id: no profile");
    }
    return profile_;
  }
  issuance::v1::VerificationReport VerifyCredential(
      const issuance::v1::VerifyCredentialRequest& request) const override {
    std::lock_guard<std::mutex> lock(mu_);
    verified_.push_back(request.jws());
    return report_;
  }
  absl::StatusOr<issuance::v1::ListLearnerCredentialsResponse> ListLearnerCredentials(
      const auth::Caller& caller,
      const issuance::v1::ListLearnerCredentialsRequest& request) const override {
    issuance::v1::ListLearnerCredentialsResponse response;
    if (caller.subject == "UC-1" && request.learner_id() == "UC-1") {
      *response.add_credentials() = credential_;
    }
    return response;
  }
  absl::StatusOr<issuance::v1::ExportedCredential> ExportCredential(
      const auth::Caller& caller,
      const issuance::v1::ExportCredentialRequest& request) const override {
    std::lock_guard<std::mutex> lock(mu_);
    exporters_.push_back(caller);
    if (request.credential_id() != credential_.credential_id()) {
      return absl::NotFoundError("credential_id: no such credential");
    }
    if (caller.subject != "UC-1" && !caller.HasRole(auth::roles::kRegistrar)) {
      return absl::PermissionDeniedError("not your credential");
    }
    issuance::v1::ExportedCredential exported;
    exported.set_media_type("application/vc+jwt");
    exported.set_content("header.payload.signature");
    return exported;
  }

  std::vector<catalogue::v1::SearchSpecificationsRequest> searches() const {
    std::lock_guard<std::mutex> lock(mu_);
    return searches_;
  }
  std::vector<catalogue::v1::GetSpecificationRequest> specification_requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return specification_requests_;
  }
  std::vector<catalogue::v1::GetProviderProfileRequest> profile_requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return profile_requests_;
  }
  std::vector<std::string> verified() const {
    std::lock_guard<std::mutex> lock(mu_);
    return verified_;
  }
  std::vector<auth::Caller> exporters() const {
    std::lock_guard<std::mutex> lock(mu_);
    return exporters_;
  }

 private:
  catalogue::v1::Specification spec_;
  catalogue::v1::ProviderProfile profile_;
  issuance::v1::IssuedCredential credential_;
  issuance::v1::VerificationReport report_;
  mutable std::mutex mu_;
  mutable std::vector<catalogue::v1::SearchSpecificationsRequest> searches_;
  mutable std::vector<catalogue::v1::GetSpecificationRequest> specification_requests_;
  mutable std::vector<catalogue::v1::GetProviderProfileRequest> profile_requests_;
  mutable std::vector<std::string> verified_;
  mutable std::vector<auth::Caller> exporters_;
};

class WebRoutesTest : public testing::Test {
 protected:
  WebRoutesTest()
      : verifier_("uclouvain-node"),
        minter_(crypto::SigningKey::Generate(), "https://idp.uclouvain.example", "uclouvain-node") {
  }

  void SetUp() override {
    ASSERT_TRUE(
        verifier_.AddTrustedKey(minter_.kid(), minter_.issuer(), minter_.public_key()).ok());
  }

  // Serves the routes on loopback; `tokens` false: no learner pages.
  void Serve(bool tokens = true) {
    routes_.emplace(backend_,
                    WebOptions{.share_store = &shares_,
                               .tokens = tokens ? &verifier_ : nullptr,
                               .institution_name = "UCLouvain"},
                    Clock([] { return kNowMs; }));
    routes_->Install(server_);
    const int port = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port);
    host_ = "127.0.0.1:" + std::to_string(port);
  }

  void TearDown() override {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }

  std::string Token(const std::string& subject, std::vector<std::string> roles,
                    const std::string& institution = kInstitution) {
    return minter_.Mint(subject, institution, roles, absl::Hours(1), absl::FromUnixMillis(kNowMs));
  }

  httplib::Result SignIn(const std::string& token, httplib::Headers headers = {}) {
    httplib::MultipartFormDataItems form = {{"token", token, "", ""}};
    return client_->Post("/learner/session?lang=en", headers, form);
  }

  httplib::Headers Session(const std::string& token) { return {{"Cookie", "mc_learner=" + token}}; }

  size_t StoredWebKeys() {
    auto rows = shares_.ScanPrefix("web/");
    return rows.ok() ? rows->size() : 0;
  }

  FakeBackend backend_;
  MemoryStateStore shares_;
  auth::TokenVerifier verifier_;
  auth::TokenMinter minter_;
  std::optional<WebRoutes> routes_;
  httplib::Server server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  std::string host_;
};

TEST_F(WebRoutesTest, CatalogueSearchPassesTheFiltersAndNamesTheProviders) {
  Serve();
  auto page = client_->Get("/catalogue?q=data&eqf=6&lang=en");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_TRUE(Contains(page->get_header_value("Content-Security-Policy"), "default-src 'none'"));
  EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(page->get_header_value("Cache-Control"), "");  // a public page
  const auto searches = backend_.searches();
  ASSERT_EQ(searches.size(), 1u);
  EXPECT_EQ(searches[0].text(), "data");
  ASSERT_EQ(searches[0].eqf_levels_size(), 1);
  EXPECT_EQ(searches[0].eqf_levels(0), 6);
  EXPECT_TRUE(Contains(page->body, "Data literacy for public-sector professionals"));
  // The profile's legal name wins over the configured name, in the header and the results.
  EXPECT_TRUE(Contains(page->body, "Université catholique de Louvain"));
}

TEST_F(WebRoutesTest, BadCatalogueFilterIs400NamingTheParameterWithoutSearching) {
  Serve();
  auto page = client_->Get("/catalogue?eqf=6&country=Belgium");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 400);
  EXPECT_TRUE(Contains(page->body, "country: an ISO 3166-1 country code"));
  EXPECT_TRUE(backend_.searches().empty());
}

TEST_F(WebRoutesTest, UnknownSpecificationIs404InThePageLanguage) {
  Serve();
  auto missing = client_->Get("/catalogue/uclouvain/nothing?lang=en");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_TRUE(Contains(missing->body, "This micro-credential is not in the catalogue."));
  auto manquante = client_->Get("/catalogue/uclouvain/nothing?lang=fr");
  ASSERT_TRUE(manquante);
  EXPECT_EQ(manquante->status, 404);
  EXPECT_TRUE(Contains(manquante->body, "Cette microcertification ne figure pas au catalogue."));

  auto found = client_->Get("/catalogue/uclouvain/data-literacy");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, 200);
  EXPECT_TRUE(Contains(found->body, "Data literacy for public-sector professionals"));
  const auto asked = backend_.specification_requests();
  ASSERT_EQ(asked.size(), 3u);
  EXPECT_EQ(asked[2].specification_id(), kSpecId);
  EXPECT_EQ(asked[2].version(), 0u);  // the latest
}

TEST_F(WebRoutesTest, TheSpecificationPageSaysItsEcosystemAndShowsItsProvidersProfiles) {
  Serve();
  auto page = client_->Get("/catalogue/uclouvain/data-literacy?lang=en");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_TRUE(Contains(page->body, "Published in alliance"));
  // The awarding body's profile of the specification's ecosystem first; it has none there, so
  // its default one is shown.
  bool asked_alliance = false;
  for (const auto& request : backend_.profile_requests()) {
    asked_alliance = asked_alliance || request.ecosystem_id() == "alliance";
  }
  EXPECT_TRUE(asked_alliance);
  EXPECT_TRUE(
      Contains(page->body, "<h3 id=\"provider-uclouvain\">Université catholique de Louvain"));

  auto search = client_->Get("/catalogue?ecosystem=alliance&ecosystem=fwb&lang=en");
  ASSERT_TRUE(search);
  EXPECT_EQ(search->status, 200);
  const auto searches = backend_.searches();
  ASSERT_FALSE(searches.empty());
  ASSERT_EQ(searches.back().ecosystems_size(), 2);
  EXPECT_EQ(searches.back().ecosystems(0), "alliance");
  auto bad = client_->Get("/catalogue?ecosystem=a%20b&lang=en");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(WebRoutesTest, VerificationResultShowsTheReportAndTheSpecificationVersion) {
  Serve();
  httplib::MultipartFormDataItems form = {{"credential", "  header.payload.signature\n", "", ""}};
  auto result = client_->Post("/verify/result?lang=en", form);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(backend_.verified(), std::vector<std::string>{"header.payload.signature"});
  EXPECT_TRUE(Contains(result->body, "VALID: genuine and in force"));
  EXPECT_TRUE(Contains(result->body, "Data literacy for public-sector professionals"));
  EXPECT_EQ(backend_.specification_requests().back().version(), 2u);
  EXPECT_EQ(result->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(result->get_header_value("X-Robots-Tag"), "noindex");

  httplib::MultipartFormDataItems empty = {{"credential", "  ", "", ""}};
  auto refused = client_->Post("/verify/result?lang=en", empty);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_TRUE(Contains(refused->body, "credential: paste a credential"));
  EXPECT_EQ(backend_.verified().size(), 1u);
}

TEST_F(WebRoutesTest, SignInRefusesWhatIsNotALearnersTokenOfThisInstitution) {
  Serve();
  auto staff = SignIn(Token("registrar-1", {auth::roles::kRegistrar}));
  ASSERT_TRUE(staff);
  EXPECT_EQ(staff->status, 400);
  EXPECT_TRUE(Contains(staff->body, "token: not a learner"));
  EXPECT_EQ(staff->get_header_value("Set-Cookie"), "");

  auto elsewhere = SignIn(Token("UC-1", {auth::roles::kLearner}, "henallux"));
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->status, 400);
  EXPECT_TRUE(Contains(elsewhere->body, "token: this node serves the learners of uclouvain only"));

  auto forged = SignIn("eyJhbGciOiJub25lIn0.e30.");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 400);
  EXPECT_TRUE(Contains(forged->body, "token: "));

  auto none = SignIn("  ");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 400);
  EXPECT_TRUE(Contains(none->body, "token: paste your learner access token"));
}

TEST_F(WebRoutesTest, SignInSetsTheSessionCookieForALearner) {
  Serve();
  const std::string token = Token("UC-1", {auth::roles::kLearner});
  auto learner = SignIn("Bearer " + token);
  ASSERT_TRUE(learner);
  EXPECT_EQ(learner->status, 303);
  EXPECT_EQ(learner->get_header_value("Location"), "/learner?lang=en");
  EXPECT_EQ(learner->get_header_value("Set-Cookie"),
            "mc_learner=" + token + "; Path=/learner; HttpOnly; SameSite=Strict");

  // Behind a TLS ingress the cookie is Secure too.
  auto secure = SignIn(token, {{"X-Forwarded-Proto", "https"}});
  ASSERT_TRUE(secure);
  EXPECT_EQ(secure->status, 303);
  EXPECT_EQ(secure->get_header_value("Set-Cookie"),
            "mc_learner=" + token + "; Path=/learner; HttpOnly; SameSite=Strict; Secure");

  auto page = client_->Get("/learner?lang=en", Session(token));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-store");
  EXPECT_TRUE(Contains(page->body, "urn:uuid:mine"));
}

TEST_F(WebRoutesTest, CrossOriginPostsAreRefused) {
  Serve();
  const std::string token = Token("UC-1", {auth::roles::kLearner});
  auto cross_site = SignIn(token, {{"Origin", "https://elsewhere.example"}});
  ASSERT_TRUE(cross_site);
  EXPECT_EQ(cross_site->status, 403);
  EXPECT_TRUE(Contains(cross_site->body, "Origin: not this site"));
  EXPECT_EQ(cross_site->get_header_value("Set-Cookie"), "");

  httplib::Headers headers = Session(token);
  headers.emplace("Origin", "https://elsewhere.example");
  auto share = client_->Post("/learner/shares", headers, "credential_id=urn:uuid:mine",
                             "application/x-www-form-urlencoded");
  ASSERT_TRUE(share);
  EXPECT_EQ(share->status, 403);
  EXPECT_EQ(StoredWebKeys(), 0u);

  // The same site's own form is accepted.
  auto same_site = SignIn(token, {{"Origin", "http://" + host_}});
  ASSERT_TRUE(same_site);
  EXPECT_EQ(same_site->status, 303);
}

TEST_F(WebRoutesTest, CrossOriginSignOutIsRefused) {
  Serve();
  httplib::Headers headers = Session(Token("UC-1", {auth::roles::kLearner}));
  headers.emplace("Origin", "https://elsewhere.example");
  auto cross_site = client_->Post("/learner/signout?lang=en", headers, "", "text/plain");
  ASSERT_TRUE(cross_site);
  EXPECT_EQ(cross_site->status, 403);
  EXPECT_TRUE(Contains(cross_site->body, "Origin: not this site"));
  EXPECT_EQ(cross_site->get_header_value("Set-Cookie"), "");

  // The site's own sign-out button still signs out.
  httplib::Headers own = Session(Token("UC-1", {auth::roles::kLearner}));
  own.emplace("Origin", "http://" + host_);
  auto same_site = client_->Post("/learner/signout?lang=en", own, "", "text/plain");
  ASSERT_TRUE(same_site);
  EXPECT_EQ(same_site->status, 303);
  EXPECT_EQ(same_site->get_header_value("Set-Cookie"),
            "mc_learner=; Path=/learner; Max-Age=0; HttpOnly; SameSite=Strict");
}

TEST_F(WebRoutesTest, ActionsWithoutASessionAre401AndClearTheCookie) {
  Serve();
  auto anonymous = client_->Post("/learner/export", "credential_id=urn:uuid:mine&format=jws",
                                 "application/x-www-form-urlencoded");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("Set-Cookie"),
            "mc_learner=; Path=/learner; Max-Age=0; HttpOnly; SameSite=Strict");
  EXPECT_TRUE(backend_.exporters().empty());
}

TEST_F(WebRoutesTest, ExportNamesTheFormatAndDownloads) {
  Serve();
  const httplib::Headers session = Session(Token("UC-1", {auth::roles::kLearner}));
  const std::string form = "application/x-www-form-urlencoded";
  auto bad =
      client_->Post("/learner/export", session, "credential_id=urn:uuid:mine&format=pdf", form);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(Contains(bad->body, "format: jws, ob or elm"));

  auto jws =
      client_->Post("/learner/export", session, "credential_id=urn:uuid:mine&format=jws", form);
  ASSERT_TRUE(jws);
  EXPECT_EQ(jws->status, 200);
  EXPECT_EQ(jws->body, "header.payload.signature");
  EXPECT_EQ(jws->get_header_value("Content-Type"), "application/vc+jwt");
  EXPECT_EQ(jws->get_header_value("Content-Disposition"),
            "attachment; filename=\"micro-credential.jws\"");
  ASSERT_EQ(backend_.exporters().size(), 1u);
  EXPECT_EQ(backend_.exporters()[0].subject, "UC-1");
}

TEST_F(WebRoutesTest, ShareLinksAreMadeAtTheClocksTimeAndOpenAsTheNodeItself) {
  Serve();
  const httplib::Headers session = Session(Token("UC-1", {auth::roles::kLearner}));
  const std::string form = "application/x-www-form-urlencoded";
  auto made = client_->Post("/learner/shares", session, "credential_id=urn:uuid:mine", form);
  ASSERT_TRUE(made);
  EXPECT_EQ(made->status, 201);
  const size_t at = made->body.find("https://uclouvain.example/s/");
  ASSERT_NE(at, std::string::npos);
  const std::string share_id = made->body.substr(at + 28, 27);
  auto record = ShareStore(shares_).Find(share_id);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->created_at_ms(), kNowMs);
  EXPECT_EQ((*record)->owner_pseudonym(), "pseudo-1");

  auto shared = client_->Get(("/s/" + share_id).c_str());
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->status, 200);
  EXPECT_TRUE(Contains(shared->body, "VALID: genuine and in force"));
  const auth::Caller node_itself = backend_.exporters().back();
  EXPECT_EQ(node_itself.subject, "public-web");
  EXPECT_EQ(node_itself.institution_id, kInstitution);
  EXPECT_TRUE(node_itself.HasRole(auth::roles::kRegistrar));

  auto withdrawn = client_->Post("/learner/shares/withdraw", session, "share_id=" + share_id, form);
  ASSERT_TRUE(withdrawn);
  EXPECT_EQ(withdrawn->status, 303);
  EXPECT_EQ(*ShareStore(shares_).Find(share_id), std::nullopt);  // its records are deleted
  auto gone = client_->Get(("/s/" + share_id).c_str());
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404);
}

TEST_F(WebRoutesTest, WithoutATokenVerifierThereAreNoLearnerPages) {
  Serve(/*tokens=*/false);
  auto page = client_->Get("/learner?lang=en");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 404);
  EXPECT_TRUE(Contains(page->body, "Learner pages are not enabled on this node."));
  auto sign_in = SignIn("anything");
  ASSERT_TRUE(sign_in);
  EXPECT_EQ(sign_in->status, 404);
}

TEST_F(WebRoutesTest, AssetsAndRedirects) {
  Serve();
  auto css = client_->Get("/assets/site.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(css->get_header_value("Cache-Control"), "public, max-age=3600");
  auto home = client_->Get("/?lang=fr");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 302);
  EXPECT_EQ(home->get_header_value("Location"), "/catalogue?lang=fr");
  auto favicon = client_->Get("/favicon.ico");
  ASSERT_TRUE(favicon);
  EXPECT_EQ(favicon->status, 301);
  EXPECT_EQ(favicon->get_header_value("Location"), "/assets/icon.svg");
}

}  // namespace
}  // namespace microcred::web
