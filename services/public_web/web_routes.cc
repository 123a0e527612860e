// The public web pages' handlers (web_routes.h): small named helpers for what every page shares
// (its context, security headers, errors, the session cookie, the signed-in learner), then one
// handler per route in the order of the table in the header.
#include "services/public_web/web_routes.h"

#include <httplib.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/auth/roles.h"
#include "services/public_web/assets.h"
#include "services/public_web/catalogue_query.h"
#include "services/public_web/http_status.h"

namespace microcred::web {
namespace {

constexpr char kSessionCookie[] = "mc_learner";
constexpr size_t kMaxCredentialBytes = 64 * 1024;

// Security headers of every page: own assets only, no framing, no referrer to other sites
// (share links are secrets; same-origin keeps the Origin header that SameOrigin checks),
// nothing cached that belongs to a learner.
void SendHtml(httplib::Response& response, int status, std::string html, bool private_page) {
  response.status = status;
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
                      "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "same-origin");
  response.set_header("X-Frame-Options", "DENY");
  if (private_page) {
    response.set_header("Cache-Control", "no-store");
    response.set_header("X-Robots-Tag", "noindex");
  }
  response.set_content(std::move(html), "text/html; charset=utf-8");
}

// The error page of `status`; an internal error shows no detail.
void SendError(httplib::Response& response, const PageContext& ctx, const absl::Status& status,
               bool private_page = false) {
  const int code = HttpStatusOf(status);
  SendHtml(response, code,
           ErrorPage(ctx, code,
                     code == 500 ? std::string("internal error") : std::string(status.message())),
           private_page);
}

absl::Status LearnerPagesDisabled(const PageContext& ctx) {
  return absl::NotFoundError(std::string(Tr(ctx.lang, "learner.unavailable")));
}

// A static asset: its bytes, its media type, how long a browser may keep it.
void SendAsset(httplib::Response& response, std::string_view content, const char* media_type,
               const char* cache_control) {
  response.set_header("Cache-Control", cache_control);
  response.set_content(std::string(content), media_type);
}

// The page's query without `lang`, for the language switch.
QueryParams QueryOf(const httplib::Request& request) {
  QueryParams params;
  for (const auto& [name, value] : request.params) {
    if (name != "lang") params.emplace_back(name, value);
  }
  return params;
}

// A form field, from a multipart or a url-encoded body.
std::string FormValue(const httplib::Request& request, const std::string& name) {
  if (request.is_multipart_form_data()) {
    return request.has_file(name) ? request.get_file_value(name).content : "";
  }
  return request.get_param_value(name);
}

std::string Trimmed(std::string text) {
  absl::string_view view = absl::StripAsciiWhitespace(text);
  return std::string(view);
}

std::string Cookie(const httplib::Request& request, std::string_view name) {
  for (absl::string_view part : absl::StrSplit(request.get_header_value("Cookie"), ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, absl::string_view(name.data(), name.size())) &&
        absl::ConsumePrefix(&part, "=")) {
      return std::string(part);
    }
  }
  return "";
}

// A cross-site form cannot act for a signed-in learner: SameSite=Strict keeps the cookie away,
// and a browser's Origin header, when it sends one, must be this host.
bool SameOrigin(const httplib::Request& request) {
  std::string origin = request.get_header_value("Origin");
  if (origin.empty()) return true;
  absl::string_view rest = origin;
  if (!absl::ConsumePrefix(&rest, "http://") && !absl::ConsumePrefix(&rest, "https://")) {
    return false;
  }
  return rest == request.get_header_value("Host");
}

// Refuses (403) a POST that another site's page sent; true when it did.
bool RefusedCrossSite(const httplib::Request& request, httplib::Response& response,
                      const PageContext& ctx) {
  if (SameOrigin(request)) return false;
  SendError(response, ctx, absl::PermissionDeniedError("Origin: not this site"), true);
  return true;
}

bool Secure(const httplib::Request& request) {
  return request.get_header_value("X-Forwarded-Proto") == "https";
}

// The token is the session: HttpOnly (no script reads it), SameSite=Strict (no other site
// sends it), scoped to /learner, gone when the browser closes; it expires with the token.
void SetSessionCookie(const httplib::Request& request, httplib::Response& response,
                      const std::string& token) {
  response.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + token +
                                        "; Path=/learner; HttpOnly; SameSite=Strict" +
                                        (Secure(request) ? "; Secure" : ""));
}

void ClearSessionCookie(const httplib::Request& request, httplib::Response& response) {
  response.set_header("Set-Cookie", std::string(kSessionCookie) +
                                        "=; Path=/learner; Max-Age=0; HttpOnly; SameSite=Strict" +
                                        (Secure(request) ? "; Secure" : ""));
}

}  // namespace

WebRoutes::WebRoutes(const WebBackend& backend, WebOptions options, Clock clock)
    : backend_(backend), options_(std::move(options)), clock_(std::move(clock)) {}

void WebRoutes::Install(httplib::Server& server) const {
  using Handler = void (WebRoutes::*)(const Request&, Response&) const;
  auto route = [this](Handler handler) {
    return [this, handler](const Request& request, Response& response) {
      (this->*handler)(request, response);
    };
  };
  server.Get("/", route(&WebRoutes::RootRedirect));
  server.Get("/assets/site.css", route(&WebRoutes::SiteCss));
  server.Get("/assets/icon.svg", route(&WebRoutes::SiteIcon));
  server.Get("/favicon.ico", route(&WebRoutes::FaviconRedirect));
  server.Get("/assets/site.js", route(&WebRoutes::SiteJs));
  server.Get("/catalogue", route(&WebRoutes::CatalogueSearch));
  server.Get(R"(/catalogue/([a-z0-9.-]+)/([a-z0-9-]+))", route(&WebRoutes::SpecificationDetails));
  server.Get("/verify", route(&WebRoutes::VerifyForm));
  server.Post("/verify/result", route(&WebRoutes::VerifyResult));
  server.Get(R"(/s/([A-Za-z0-9_-]{1,64}))", route(&WebRoutes::SharedCredential));
  server.Get("/learner", route(&WebRoutes::LearnerHome));
  server.Post("/learner/session", route(&WebRoutes::SignIn));
  server.Post("/learner/signout", route(&WebRoutes::SignOut));
  server.Post("/learner/export", route(&WebRoutes::ExportCredential));
  server.Post("/learner/shares", route(&WebRoutes::CreateShare));
  server.Post("/learner/shares/withdraw", route(&WebRoutes::WithdrawShare));
}

std::vector<std::pair<std::string, size_t>> WebRoutes::BodyLimits() {
  // A form field's encoding at most doubles a credential; a token is at most 8 KiB.
  constexpr size_t kSmallForm = 4 * 1024;
  return {{"/verify/result", 2 * kMaxCredentialBytes},
          {"/learner/session", 2 * auth::kMaxTokenBytes},
          {"/learner/signout", kSmallForm},
          {"/learner/export", kSmallForm},
          {"/learner/shares", kSmallForm},
          {"/learner/shares/withdraw", kSmallForm}};
}

// ---- What the handlers share ----

PageContext WebRoutes::Context(const Request& request, std::string path, std::string section,
                               bool keep_query) const {
  PageContext ctx;
  ctx.lang =
      ChooseLang(request.get_param_value("lang"), request.get_header_value("Accept-Language"));
  ctx.path = std::move(path);
  if (keep_query) ctx.query = QueryOf(request);
  ctx.section = std::move(section);
  const std::string institution = backend_.institution_id();
  ctx.institution_name =
      options_.institution_name.empty() ? institution : options_.institution_name;
  if (auto profile = ProfileOf(institution); profile && !profile->legal_name().empty()) {
    ctx.institution_name = profile->legal_name();
  }
  return ctx;
}

PageContext WebRoutes::LearnerContext(const Request& request) const {
  return Context(request, "/learner", "learner", false);
}

std::optional<catalogue::v1::ProviderProfile> WebRoutes::ProfileOf(
    const std::string& institution, const std::string& ecosystem) const {
  catalogue::v1::GetProviderProfileRequest get;
  get.set_institution_id(institution);
  get.set_ecosystem_id(ecosystem);
  auto profile = backend_.GetProviderProfile(get);
  if (!profile.ok() && !ecosystem.empty()) return ProfileOf(institution);
  if (!profile.ok()) return std::nullopt;
  return *std::move(profile);
}

std::optional<catalogue::v1::Specification> WebRoutes::SpecificationOf(const std::string& id,
                                                                       uint32_t version) const {
  catalogue::v1::GetSpecificationRequest get;
  get.set_specification_id(id);
  get.set_version(version);
  auto spec = backend_.GetSpecification(get);
  if (!spec.ok()) return std::nullopt;
  return *std::move(spec);
}

void WebRoutes::SendVerification(Response& response, const PageContext& ctx, const std::string& jws,
                                 bool shared) const {
  issuance::v1::VerifyCredentialRequest verify;
  verify.set_jws(jws);
  const issuance::v1::VerificationReport report = backend_.VerifyCredential(verify);
  std::optional<catalogue::v1::Specification> spec;
  if (!report.specification_id().empty()) {
    spec = SpecificationOf(report.specification_id(), report.specification_version());
  }
  SendHtml(response, 200, VerificationPage(ctx, report, spec, shared), true);
}

absl::Status WebRoutes::CheckLearner(const auth::Caller& caller) const {
  if (!caller.HasRole(auth::roles::kLearner)) {
    return absl::PermissionDeniedError("token: not a learner's token (role learner)");
  }
  if (const std::string institution = backend_.institution_id();
      caller.institution_id != institution) {
    return absl::PermissionDeniedError("token: this node serves the learners of " + institution +
                                       " only");
  }
  return absl::OkStatus();
}

absl::StatusOr<auth::Caller> WebRoutes::SignedInLearner(const Request& request) const {
  if (options_.tokens == nullptr) return absl::UnavailableError("learner pages are not enabled");
  const std::string token = Cookie(request, kSessionCookie);
  if (token.empty()) return absl::UnauthenticatedError("");
  auto caller = options_.tokens->Verify(token, clock_.Now());
  if (!caller.ok()) return caller.status();
  if (absl::Status s = CheckLearner(*caller); !s.ok()) return s;
  return caller;
}

std::optional<auth::Caller> WebRoutes::LearnerOfPost(const Request& request, Response& response,
                                                     const PageContext& ctx) const {
  if (RefusedCrossSite(request, response, ctx)) return std::nullopt;
  auto caller = SignedInLearner(request);
  if (caller.ok()) return *std::move(caller);
  if (caller.status().code() == absl::StatusCode::kUnavailable) {
    SendError(response, ctx, LearnerPagesDisabled(ctx), true);
    return std::nullopt;
  }
  ClearSessionCookie(request, response);
  SendHtml(response, 401, LearnerSignInPage(ctx, std::string(caller.status().message())), true);
  return std::nullopt;
}

absl::StatusOr<WebRoutes::LearnerCredentials> WebRoutes::CredentialsOf(
    const auth::Caller& learner) const {
  issuance::v1::ListLearnerCredentialsRequest list;
  list.set_learner_id(learner.subject);
  auto listed = backend_.ListLearnerCredentials(learner, list);
  if (!listed.ok()) return listed.status();
  LearnerCredentials out;
  for (const auto& credential : listed->credentials()) {
    auto spec = SpecificationOf(credential.specification_id(), credential.specification_version());
    out.credentials.push_back(
        {credential, spec ? spec->content().title() : credential.specification_id()});
    out.pseudonym = credential.learner_pseudonym();
  }
  return out;
}

void WebRoutes::SendLearnerPage(Response& response, const PageContext& ctx,
                                const auth::Caller& learner, std::string new_share_id,
                                std::string notice, int status) const {
  auto credentials = CredentialsOf(learner);
  if (!credentials.ok()) return SendError(response, ctx, credentials.status(), true);
  LearnerView view;
  view.credentials = std::move(credentials->credentials);
  view.public_url = backend_.public_url();
  view.new_share_id = std::move(new_share_id);
  view.notice = std::move(notice);
  if (options_.share_store != nullptr && !credentials->pseudonym.empty()) {
    auto shares = ShareStore(*options_.share_store).OfOwner(credentials->pseudonym);
    if (!shares.ok()) return SendError(response, ctx, shares.status(), true);
    view.shares = *std::move(shares);
  }
  SendHtml(response, status, LearnerPage(ctx, view), true);
}

// ---- Assets and redirects ----

void WebRoutes::RootRedirect(const Request& request, Response& response) const {
  response.set_redirect(
      "/catalogue" + QueryString(QueryParams{{"lang", request.get_param_value("lang")}}), 302);
}

void WebRoutes::SiteCss(const Request&, Response& response) const {
  SendAsset(response, StyleSheet(), "text/css; charset=utf-8", "public, max-age=3600");
}

void WebRoutes::SiteJs(const Request&, Response& response) const {
  SendAsset(response, Script(), "text/javascript; charset=utf-8", "public, max-age=3600");
}

void WebRoutes::SiteIcon(const Request&, Response& response) const {
  SendAsset(response, Icon(), "image/svg+xml", "public, max-age=86400");
}

void WebRoutes::FaviconRedirect(const Request&, Response& response) const {
  response.set_redirect("/assets/icon.svg", 301);
}

// ---- Catalogue ----

void WebRoutes::CatalogueSearch(const Request& request, Response& response) const {
  const PageContext ctx = Context(request, "/catalogue", "catalogue", true);
  const QueryParams params = QueryOf(request);
  auto search = ParseCatalogueQuery(params);
  if (!search.ok()) return SendError(response, ctx, search.status());
  auto results = backend_.SearchSpecifications(*search);
  if (!results.ok()) return SendError(response, ctx, results.status());
  // The display names of the awarding bodies and of the provider facet's values.
  ProviderNames names;
  auto name = [&](const std::string& id) {
    if (names.count(id)) return;
    auto profile = ProfileOf(id);
    names[id] = profile && !profile->legal_name().empty() ? profile->legal_name() : id;
  };
  for (const auto& spec : results->results()) {
    for (const std::string& body : spec.content().awarding_bodies()) name(body);
  }
  for (const auto& facet : results->facets()) {
    if (facet.name() != "provider") continue;
    for (const auto& count : facet.counts()) name(count.value());
  }
  SendHtml(response, 200, CataloguePage(ctx, params, *results, names), false);
}

void WebRoutes::InstitutionPage(const Request& request, Response& response) const {
  const PageContext ctx = Context(request, request.path, "", false);
  auto facts = backend_.GetInstitution(request.matches[1]);
  if (!facts.ok()) return SendError(response, ctx, facts.status());
  SendHtml(response, 200, web::InstitutionPage(ctx, *facts, ProfileOf(facts->institution_id)),
           false);
}

void WebRoutes::SpecificationDetails(const Request& request, Response& response) const {
  const PageContext ctx = Context(request, request.path, "catalogue", false);
  catalogue::v1::GetSpecificationRequest get;
  get.set_specification_id(std::string(request.matches[1]) + "/" + std::string(request.matches[2]));
  auto spec = backend_.GetSpecification(get);
  if (!spec.ok()) {
    return SendError(response, ctx,
                     spec.status().code() == absl::StatusCode::kNotFound
                         ? absl::NotFoundError(std::string(Tr(ctx.lang, "spec.not_found")))
                         : spec.status());
  }
  std::vector<ProviderInfo> providers;
  for (const std::string& body : spec->content().awarding_bodies()) {
    providers.push_back({body, ProfileOf(body, spec->ecosystem_id())});
  }
  SendHtml(response, 200, SpecificationPage(ctx, *spec, providers), false);
}

// ---- Verification ----

void WebRoutes::VerifyForm(const Request& request, Response& response) const {
  SendHtml(response, 200, VerifyFormPage(Context(request, "/verify", "verify", false), ""), false);
}

void WebRoutes::VerifyResult(const Request& request, Response& response) const {
  const PageContext ctx = Context(request, "/verify", "verify", false);
  const std::string jws = Trimmed(FormValue(request, "credential"));
  if (jws.empty() || jws.size() > kMaxCredentialBytes) {
    return SendHtml(response, 400,
                    VerifyFormPage(ctx, jws.empty() ? Tr(ctx.lang, "verify.empty")
                                                    : "credential: longer than 64 KiB"),
                    true);
  }
  SendVerification(response, ctx, jws, false);
}

// ---- Share links ----

void WebRoutes::SharedCredential(const Request& request, Response& response) const {
  const PageContext ctx = Context(request, request.path, "verify", false);
  if (options_.share_store == nullptr) return SendHtml(response, 404, ShareGonePage(ctx), true);
  auto share = ShareStore(*options_.share_store).Find(request.matches[1]);
  if (!share.ok()) return SendError(response, ctx, share.status(), true);
  if (!share->has_value() || (*share)->withdrawn_at_ms() != 0) {
    return SendHtml(response, 404, ShareGonePage(ctx), true);
  }
  // The learner made the link: the node reads the credential on their behalf, as its registrar
  // would (the sealed JWS opens only at this node).
  const auth::Caller node_itself{.subject = "public-web",
                                 .institution_id = backend_.institution_id(),
                                 .roles = {auth::roles::kRegistrar}};
  issuance::v1::ExportCredentialRequest get;
  get.set_credential_id((*share)->credential_id());
  get.set_format(issuance::v1::EXPORT_FORMAT_JWS);
  auto exported = backend_.ExportCredential(node_itself, get);
  if (!exported.ok()) {
    // Erased learner, or a credential this node no longer holds: the link shows nothing.
    return SendHtml(response, 404, ShareGonePage(ctx), true);
  }
  SendVerification(response, ctx, exported->content(), true);
}

// ---- Learner ----

void WebRoutes::LearnerHome(const Request& request, Response& response) const {
  const PageContext ctx = LearnerContext(request);
  auto learner = SignedInLearner(request);
  if (learner.ok()) return SendLearnerPage(response, ctx, *learner, "", "", 200);
  if (learner.status().code() == absl::StatusCode::kUnavailable) {
    return SendError(response, ctx, LearnerPagesDisabled(ctx), true);
  }
  // No session, or one that ended (expired token): the sign-in form.
  if (!Cookie(request, kSessionCookie).empty()) ClearSessionCookie(request, response);
  SendHtml(response, 200, LearnerSignInPage(ctx, std::string(learner.status().message())), true);
}

void WebRoutes::SignIn(const Request& request, Response& response) const {
  const PageContext ctx = LearnerContext(request);
  if (options_.tokens == nullptr) return SendError(response, ctx, LearnerPagesDisabled(ctx), true);
  if (RefusedCrossSite(request, response, ctx)) return;
  const std::string pasted = Trimmed(FormValue(request, "token"));
  absl::string_view bare = pasted;
  absl::ConsumePrefix(&bare, "Bearer ");
  const std::string token(bare);
  auto refuse = [&](std::string_view why) {
    SendHtml(response, 400, LearnerSignInPage(ctx, why), true);
  };
  if (token.empty()) return refuse("token: paste your learner access token");
  if (token.size() > auth::kMaxTokenBytes) return refuse("token: too long to be an access token");
  auto caller = options_.tokens->Verify(token, clock_.Now());
  if (!caller.ok()) return refuse("token: " + std::string(caller.status().message()));
  if (absl::Status s = CheckLearner(*caller); !s.ok()) return refuse(std::string(s.message()));
  SetSessionCookie(request, response, token);
  response.set_redirect(LangUrl(ctx, "/learner"), 303);
}

void WebRoutes::SignOut(const Request& request, Response& response) const {
  const PageContext ctx = LearnerContext(request);
  // Another site must not end a learner's session either (login/logout CSRF).
  if (RefusedCrossSite(request, response, ctx)) return;
  ClearSessionCookie(request, response);
  response.set_redirect(LangUrl(ctx, "/learner"), 303);
}

void WebRoutes::ExportCredential(const Request& request, Response& response) const {
  const PageContext ctx = LearnerContext(request);
  const std::optional<auth::Caller> learner = LearnerOfPost(request, response, ctx);
  if (!learner) return;
  const std::string format = request.get_param_value("format");
  issuance::v1::ExportCredentialRequest get;
  get.set_credential_id(request.get_param_value("credential_id"));
  std::string extension;
  if (format == "jws") {
    get.set_format(issuance::v1::EXPORT_FORMAT_JWS), extension = "jws";
  } else if (format == "ob") {
    get.set_format(issuance::v1::EXPORT_FORMAT_OPEN_BADGE_JSON), extension = "ob.json";
  } else if (format == "elm") {
    get.set_format(issuance::v1::EXPORT_FORMAT_ELM_JSONLD), extension = "elm.jsonld";
  } else {
    return SendError(response, ctx, absl::InvalidArgumentError("format: jws, ob or elm"), true);
  }
  if (get.credential_id().empty()) {
    return SendError(response, ctx, absl::InvalidArgumentError("credential_id: is required"), true);
  }
  auto exported = backend_.ExportCredential(*learner, get);
  if (!exported.ok()) return SendError(response, ctx, exported.status(), true);
  response.set_header("Cache-Control", "no-store");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Content-Disposition",
                      "attachment; filename=\"micro-credential." + extension + "\"");
  response.set_content(exported->content(), exported->media_type());
}

void WebRoutes::CreateShare(const Request& request, Response& response) const {
  const PageContext ctx = LearnerContext(request);
  const std::optional<auth::Caller> learner = LearnerOfPost(request, response, ctx);
  if (!learner) return;
  if (options_.share_store == nullptr) {
    return SendError(response, ctx, absl::NotFoundError("share links are not enabled"), true);
  }
  const std::string credential_id = request.get_param_value("credential_id");
  if (credential_id.empty()) {
    return SendError(response, ctx, absl::InvalidArgumentError("credential_id: is required"), true);
  }
  auto credentials = CredentialsOf(*learner);
  if (!credentials.ok()) return SendError(response, ctx, credentials.status(), true);
  const auto& list = credentials->credentials;
  auto it = std::find_if(list.begin(), list.end(), [&](const LearnerCredential& c) {
    return c.credential.credential_id() == credential_id;
  });
  if (it == list.end()) {
    return SendError(response, ctx,
                     absl::NotFoundError("credential_id: not one of your credentials"), true);
  }
  auto share = ShareStore(*options_.share_store)
                   .Create(credential_id, it->credential.learner_pseudonym(), clock_.NowMs());
  if (share.ok()) return SendLearnerPage(response, ctx, *learner, share->share_id(), "", 201);
  if (share.status().code() == absl::StatusCode::kResourceExhausted) {
    // Too many working links: the page says so, and which ones to withdraw.
    return SendLearnerPage(response, ctx, *learner, "", std::string(share.status().message()), 429);
  }
  SendError(response, ctx, share.status(), true);
}

void WebRoutes::WithdrawShare(const Request& request, Response& response) const {
  const PageContext ctx = LearnerContext(request);
  const std::optional<auth::Caller> learner = LearnerOfPost(request, response, ctx);
  if (!learner) return;
  if (options_.share_store == nullptr) {
    return SendError(response, ctx, absl::NotFoundError("share links are not enabled"), true);
  }
  const std::string share_id = request.get_param_value("share_id");
  if (!ShareStore::IsShareId(share_id)) {
    return SendError(response, ctx, absl::InvalidArgumentError("share_id: not a share link id"),
                     true);
  }
  auto credentials = CredentialsOf(*learner);
  if (!credentials.ok()) return SendError(response, ctx, credentials.status(), true);
  auto withdrawn =
      ShareStore(*options_.share_store).Withdraw(share_id, credentials->pseudonym, clock_.NowMs());
  if (!withdrawn.ok()) return SendError(response, ctx, withdrawn.status(), true);
  response.set_redirect(LangUrl(ctx, "/learner"), 303);
}

}  // namespace microcred::web
