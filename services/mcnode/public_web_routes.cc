// The public web pages' routes (PublicHttp::WebRoutes): read the request, call the services,
// hand the results to services/public_web/pages.h, write the response. Nothing is rendered
// here, and no personal data goes into a URL or a log line.
#include <httplib.h>

#include <chrono>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/auth/roles.h"
#include "services/mcnode/public_http.h"
#include "services/public_web/assets.h"
#include "services/public_web/catalogue_query.h"
#include "services/public_web/pages.h"
#include "services/public_web/share_store.h"

namespace microcred {
namespace {

using web::Lang;
using web::PageContext;
using web::QueryParams;

constexpr char kSessionCookie[] = "mc_learner";
constexpr size_t kMaxCredentialBytes = 64 * 1024;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int HttpStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    default:
      return 500;
  }
}

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

bool Secure(const httplib::Request& request) {
  return request.get_header_value("X-Forwarded-Proto") == "https";
}

}  // namespace

void PublicHttp::WebRoutes() {
  // Context of a page; `path` is what the language switch reloads (a GET page).
  auto context = [this](const httplib::Request& request, std::string path, std::string section,
                        bool keep_query) {
    PageContext ctx;
    ctx.lang = web::ChooseLang(request.get_param_value("lang"),
                               request.get_header_value("Accept-Language"));
    ctx.path = std::move(path);
    if (keep_query) ctx.query = QueryOf(request);
    ctx.section = std::move(section);
    ctx.institution_name =
        web_.institution_name.empty() ? node_.institution_id() : web_.institution_name;
    catalogue::v1::GetProviderProfileRequest get;
    get.set_institution_id(node_.institution_id());
    if (auto profile = node_.catalogue().GetProviderProfile(get);
        profile.ok() && !profile->legal_name().empty()) {
      ctx.institution_name = profile->legal_name();
    }
    return ctx;
  };
  auto fail = [](httplib::Response& response, const PageContext& ctx, const absl::Status& status,
                 bool private_page = false) {
    const int code = HttpStatus(status);
    SendHtml(
        response, code,
        web::ErrorPage(ctx, code,
                       code == 500 ? std::string("internal error") : std::string(status.message())),
        private_page);
  };
  auto profile_of =
      [this](const std::string& institution) -> std::optional<catalogue::v1::ProviderProfile> {
    catalogue::v1::GetProviderProfileRequest get;
    get.set_institution_id(institution);
    auto profile = node_.catalogue().GetProviderProfile(get);
    if (!profile.ok()) return std::nullopt;
    return *profile;
  };
  auto spec_of = [this](const std::string& id,
                        uint32_t version) -> std::optional<catalogue::v1::Specification> {
    catalogue::v1::GetSpecificationRequest get;
    get.set_specification_id(id);
    get.set_version(version);
    auto spec = node_.catalogue().Get(get);
    if (!spec.ok()) return std::nullopt;
    return *spec;
  };

  server_->Get("/", [](const httplib::Request& request, httplib::Response& response) {
    response.set_redirect(
        "/catalogue" + web::QueryString(QueryParams{{"lang", request.get_param_value("lang")}}),
        302);
  });
  server_->Get("/assets/site.css", [](const httplib::Request&, httplib::Response& response) {
    response.set_header("Cache-Control", "public, max-age=3600");
    response.set_content(std::string(web::StyleSheet()), "text/css; charset=utf-8");
  });
  server_->Get("/assets/icon.svg", [](const httplib::Request&, httplib::Response& response) {
    response.set_header("Cache-Control", "public, max-age=86400");
    response.set_content(std::string(web::Icon()), "image/svg+xml");
  });
  server_->Get("/favicon.ico", [](const httplib::Request&, httplib::Response& response) {
    response.set_redirect("/assets/icon.svg", 301);
  });
  server_->Get("/assets/site.js", [](const httplib::Request&, httplib::Response& response) {
    response.set_header("Cache-Control", "public, max-age=3600");
    response.set_content(std::string(web::Script()), "text/javascript; charset=utf-8");
  });

  // ---- Catalogue ----
  server_->Get(
      "/catalogue", [=, this](const httplib::Request& request, httplib::Response& response) {
        const PageContext ctx = context(request, "/catalogue", "catalogue", true);
        const QueryParams params = QueryOf(request);
        auto search = web::ParseCatalogueQuery(params);
        if (!search.ok()) return fail(response, ctx, search.status());
        auto results = node_.catalogue().Search(*search);
        if (!results.ok()) return fail(response, ctx, results.status());
        web::ProviderNames names;
        auto name = [&](const std::string& id) {
          if (names.count(id)) return;
          auto profile = profile_of(id);
          names[id] = profile && !profile->legal_name().empty() ? profile->legal_name() : id;
        };
        for (const auto& spec : results->results()) {
          for (const std::string& body : spec.content().awarding_bodies()) name(body);
        }
        for (const auto& facet : results->facets()) {
          if (facet.name() != "provider") continue;
          for (const auto& count : facet.counts()) name(count.value());
        }
        SendHtml(response, 200, web::CataloguePage(ctx, params, *results, names), false);
      });
  server_->Get(R"(/catalogue/([a-z0-9.-]+)/([a-z0-9-]+))",
               [=, this](const httplib::Request& request, httplib::Response& response) {
                 const std::string id =
                     std::string(request.matches[1]) + "/" + std::string(request.matches[2]);
                 const PageContext ctx = context(request, request.path, "catalogue", false);
                 catalogue::v1::GetSpecificationRequest get;
                 get.set_specification_id(id);
                 auto spec = node_.catalogue().Get(get);
                 if (!spec.ok()) {
                   return fail(
                       response, ctx,
                       spec.status().code() == absl::StatusCode::kNotFound
                           ? absl::NotFoundError(std::string(web::Tr(ctx.lang, "spec.not_found")))
                           : spec.status());
                 }
                 std::vector<web::ProviderInfo> providers;
                 for (const std::string& body : spec->content().awarding_bodies()) {
                   providers.push_back({body, profile_of(body)});
                 }
                 SendHtml(response, 200, web::SpecificationPage(ctx, *spec, providers), false);
               });

  // ---- Verification ----
  auto verify = [=, this](const std::string& jws) {
    issuance::v1::VerifyCredentialRequest request;
    request.set_jws(jws);
    issuance::v1::VerificationReport report = node_.issuance().Verify(request);
    std::optional<catalogue::v1::Specification> spec;
    if (!report.specification_id().empty()) {
      spec = spec_of(report.specification_id(), report.specification_version());
    }
    return std::make_pair(report, spec);
  };
  server_->Get("/verify", [=](const httplib::Request& request, httplib::Response& response) {
    SendHtml(response, 200, web::VerifyFormPage(context(request, "/verify", "verify", false), ""),
             false);
  });
  server_->Post(
      "/verify/result", [=](const httplib::Request& request, httplib::Response& response) {
        const PageContext ctx = context(request, "/verify", "verify", false);
        const std::string jws = Trimmed(FormValue(request, "credential"));
        if (jws.empty() || jws.size() > kMaxCredentialBytes) {
          return SendHtml(response, 400,
                          web::VerifyFormPage(ctx, jws.empty() ? web::Tr(ctx.lang, "verify.empty")
                                                               : "credential: longer than 64 KiB"),
                          true);
        }
        auto [report, spec] = verify(jws);
        SendHtml(response, 200, web::VerificationPage(ctx, report, spec, false), true);
      });

  // ---- Share links ----
  server_->Get(R"(/s/([A-Za-z0-9_-]{1,64}))",
               [=, this](const httplib::Request& request, httplib::Response& response) {
                 const PageContext ctx = context(request, request.path, "verify", false);
                 if (web_.share_store == nullptr) {
                   return SendHtml(response, 404, web::ShareGonePage(ctx), true);
                 }
                 web::ShareStore shares(*web_.share_store);
                 auto share = shares.Find(request.matches[1]);
                 if (!share.ok()) return fail(response, ctx, share.status(), true);
                 if (!share->has_value() || (*share)->withdrawn_at_ms() != 0) {
                   return SendHtml(response, 404, web::ShareGonePage(ctx), true);
                 }
                 // The learner made the link: the node reads the credential on their behalf, as its
                 // registrar would (the sealed JWS opens only at this node).
                 const auth::Caller node_itself{.subject = "public-web",
                                                .institution_id = node_.institution_id(),
                                                .roles = {auth::roles::kRegistrar}};
                 issuance::v1::ExportCredentialRequest get;
                 get.set_credential_id((*share)->credential_id());
                 get.set_format(issuance::v1::EXPORT_FORMAT_JWS);
                 auto exported = node_.issuance().Export(node_itself, get);
                 if (!exported.ok()) {
                   // Erased learner, or a credential this node no longer holds: the link shows
                   // nothing.
                   return SendHtml(response, 404, web::ShareGonePage(ctx), true);
                 }
                 auto [report, spec] = verify(exported->content());
                 SendHtml(response, 200, web::VerificationPage(ctx, report, spec, true), true);
               });

  // ---- Learner ----
  // The signed-in learner, from the session cookie.
  auto learner = [this](const httplib::Request& request) -> absl::StatusOr<auth::Caller> {
    if (web_.tokens == nullptr) return absl::UnavailableError("learner pages are not enabled");
    const std::string token = Cookie(request, kSessionCookie);
    if (token.empty()) return absl::UnauthenticatedError("");
    auto caller = web_.tokens->Verify(token, absl::Now());
    if (!caller.ok()) return caller.status();
    if (!caller->HasRole(auth::roles::kLearner)) {
      return absl::PermissionDeniedError("token: not a learner's token (role learner)");
    }
    if (caller->institution_id != node_.institution_id()) {
      return absl::PermissionDeniedError("token: this node serves the learners of " +
                                         node_.institution_id() + " only");
    }
    return caller;
  };
  auto clear_cookie = [](const httplib::Request& request, httplib::Response& response) {
    response.set_header("Set-Cookie", std::string(kSessionCookie) +
                                          "=; Path=/learner; Max-Age=0; HttpOnly; SameSite=Strict" +
                                          (Secure(request) ? "; Secure" : ""));
  };
  // The learner's credentials with their titles, and their pseudonym (empty: none issued).
  auto credentials_of = [=, this](const auth::Caller& caller)
      -> absl::StatusOr<std::pair<std::vector<web::LearnerCredential>, std::string>> {
    issuance::v1::ListLearnerCredentialsRequest list;
    list.set_learner_id(caller.subject);
    auto listed = node_.issuance().ListLearnerCredentials(caller, list);
    if (!listed.ok()) return listed.status();
    std::vector<web::LearnerCredential> out;
    std::string pseudonym;
    for (const auto& credential : listed->credentials()) {
      auto spec = spec_of(credential.specification_id(), credential.specification_version());
      out.push_back({credential, spec ? spec->content().title() : credential.specification_id()});
      pseudonym = credential.learner_pseudonym();
    }
    return std::make_pair(std::move(out), pseudonym);
  };
  // The learner's page, with a link just made or a notice.
  auto learner_page = [=, this](const httplib::Request& request, httplib::Response& response,
                                const auth::Caller& caller, std::string new_share_id,
                                std::string notice, int status) {
    const PageContext ctx = context(request, "/learner", "learner", false);
    auto credentials = credentials_of(caller);
    if (!credentials.ok()) return fail(response, ctx, credentials.status(), true);
    web::LearnerView view;
    view.credentials = std::move(credentials->first);
    view.public_url = node_.options().public_url;
    view.new_share_id = std::move(new_share_id);
    view.notice = std::move(notice);
    if (web_.share_store != nullptr && !credentials->second.empty()) {
      auto shares = web::ShareStore(*web_.share_store).OfOwner(credentials->second);
      if (!shares.ok()) return fail(response, ctx, shares.status(), true);
      view.shares = *std::move(shares);
    }
    SendHtml(response, status, web::LearnerPage(ctx, view), true);
  };
  // Runs `action` for the signed-in learner of a POST; otherwise answers with the reason.
  auto as_learner = [=](const httplib::Request& request, httplib::Response& response,
                        const std::function<void(const auth::Caller&)>& action) {
    const PageContext ctx = context(request, "/learner", "learner", false);
    if (!SameOrigin(request)) {
      return fail(response, ctx, absl::PermissionDeniedError("Origin: not this site"), true);
    }
    auto caller = learner(request);
    if (!caller.ok()) {
      if (caller.status().code() == absl::StatusCode::kUnavailable) {
        return fail(response, ctx,
                    absl::NotFoundError(std::string(web::Tr(ctx.lang, "learner.unavailable"))),
                    true);
      }
      clear_cookie(request, response);
      return SendHtml(response, 401,
                      web::LearnerSignInPage(ctx, std::string(caller.status().message())), true);
    }
    action(*caller);
  };

  server_->Get("/learner", [=](const httplib::Request& request, httplib::Response& response) {
    const PageContext ctx = context(request, "/learner", "learner", false);
    auto caller = learner(request);
    if (!caller.ok()) {
      if (caller.status().code() == absl::StatusCode::kUnavailable) {
        return fail(response, ctx,
                    absl::NotFoundError(std::string(web::Tr(ctx.lang, "learner.unavailable"))),
                    true);
      }
      // No session, or one that ended (expired token): the sign-in form.
      if (!Cookie(request, kSessionCookie).empty()) clear_cookie(request, response);
      return SendHtml(response, 200,
                      web::LearnerSignInPage(ctx, std::string(caller.status().message())), true);
    }
    learner_page(request, response, *caller, "", "", 200);
  });
  server_->Post("/learner/session", [=, this](const httplib::Request& request,
                                              httplib::Response& response) {
    const PageContext ctx = context(request, "/learner", "learner", false);
    if (web_.tokens == nullptr) {
      return fail(response, ctx,
                  absl::NotFoundError(std::string(web::Tr(ctx.lang, "learner.unavailable"))), true);
    }
    if (!SameOrigin(request)) {
      return fail(response, ctx, absl::PermissionDeniedError("Origin: not this site"), true);
    }
    std::string token = Trimmed(FormValue(request, "token"));
    absl::string_view bare = token;
    absl::ConsumePrefix(&bare, "Bearer ");
    token = std::string(bare);
    auto refuse = [&](const std::string& why) {
      SendHtml(response, 400, web::LearnerSignInPage(ctx, why), true);
    };
    if (token.empty()) return refuse("token: paste your learner access token");
    if (token.size() > auth::kMaxTokenBytes) return refuse("token: too long to be an access token");
    auto caller = web_.tokens->Verify(token, absl::Now());
    if (!caller.ok()) return refuse("token: " + std::string(caller.status().message()));
    if (!caller->HasRole(auth::roles::kLearner)) {
      return refuse("token: not a learner's token (role learner)");
    }
    if (caller->institution_id != node_.institution_id()) {
      return refuse("token: this node serves the learners of " + node_.institution_id() + " only");
    }
    // The token is the session: HttpOnly (no script reads it), SameSite=Strict (no other site
    // sends it), scoped to /learner, gone when the browser closes; it expires with the token.
    response.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + token +
                                          "; Path=/learner; HttpOnly; SameSite=Strict" +
                                          (Secure(request) ? "; Secure" : ""));
    response.set_redirect(web::LangUrl(ctx, "/learner"), 303);
  });
  server_->Post("/learner/signout",
                [=](const httplib::Request& request, httplib::Response& response) {
                  const PageContext ctx = context(request, "/learner", "learner", false);
                  clear_cookie(request, response);
                  response.set_redirect(web::LangUrl(ctx, "/learner"), 303);
                });
  server_->Post("/learner/export", [=, this](const httplib::Request& request,
                                             httplib::Response& response) {
    as_learner(request, response, [&](const auth::Caller& caller) {
      const PageContext ctx = context(request, "/learner", "learner", false);
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
        return fail(response, ctx, absl::InvalidArgumentError("format: jws, ob or elm"), true);
      }
      if (get.credential_id().empty()) {
        return fail(response, ctx, absl::InvalidArgumentError("credential_id: is required"), true);
      }
      auto exported = node_.issuance().Export(caller, get);
      if (!exported.ok()) return fail(response, ctx, exported.status(), true);
      response.set_header("Cache-Control", "no-store");
      response.set_header("X-Content-Type-Options", "nosniff");
      response.set_header("Content-Disposition",
                          "attachment; filename=\"micro-credential." + extension + "\"");
      response.set_content(exported->content(), exported->media_type());
    });
  });
  server_->Post("/learner/shares", [=, this](const httplib::Request& request,
                                             httplib::Response& response) {
    as_learner(request, response, [&](const auth::Caller& caller) {
      const PageContext ctx = context(request, "/learner", "learner", false);
      if (web_.share_store == nullptr) {
        return fail(response, ctx, absl::NotFoundError("share links are not enabled"), true);
      }
      const std::string credential_id = request.get_param_value("credential_id");
      if (credential_id.empty()) {
        return fail(response, ctx, absl::InvalidArgumentError("credential_id: is required"), true);
      }
      auto credentials = credentials_of(caller);
      if (!credentials.ok()) return fail(response, ctx, credentials.status(), true);
      const auto& list = credentials->first;
      auto it = std::find_if(list.begin(), list.end(), [&](const web::LearnerCredential& c) {
        return c.credential.credential_id() == credential_id;
      });
      if (it == list.end()) {
        return fail(response, ctx,
                    absl::NotFoundError("credential_id: not one of your credentials"), true);
      }
      auto share = web::ShareStore(*web_.share_store)
                       .Create(credential_id, it->credential.learner_pseudonym(), NowMs());
      if (!share.ok()) {
        if (share.status().code() == absl::StatusCode::kResourceExhausted) {
          return learner_page(request, response, caller, "", std::string(share.status().message()),
                              429);
        }
        return fail(response, ctx, share.status(), true);
      }
      learner_page(request, response, caller, share->share_id(), "", 201);
    });
  });
  server_->Post("/learner/shares/withdraw", [=, this](const httplib::Request& request,
                                                      httplib::Response& response) {
    as_learner(request, response, [&](const auth::Caller& caller) {
      const PageContext ctx = context(request, "/learner", "learner", false);
      if (web_.share_store == nullptr) {
        return fail(response, ctx, absl::NotFoundError("share links are not enabled"), true);
      }
      const std::string share_id = request.get_param_value("share_id");
      if (!web::ShareStore::IsShareId(share_id)) {
        return fail(response, ctx, absl::InvalidArgumentError("share_id: not a share link id"),
                    true);
      }
      auto credentials = credentials_of(caller);
      if (!credentials.ok()) return fail(response, ctx, credentials.status(), true);
      auto withdrawn =
          web::ShareStore(*web_.share_store).Withdraw(share_id, credentials->second, NowMs());
      if (!withdrawn.ok()) return fail(response, ctx, withdrawn.status(), true);
      response.set_redirect(web::LangUrl(ctx, "/learner"), 303);
    });
  });
}

}  // namespace microcred
