// WebRoutes: the public web pages at their HTTP edge, one named handler per route (as the
// services' *_grpc.cc files are for gRPC). A handler reads the request, asks the node through
// the WebBackend port (web_backend.h), hands the results to pages.h and writes the response.
// Nothing is rendered here, and no personal data goes into a URL or a log line.
//
//   GET  /                                     RootRedirect: 302 to /catalogue (keeps lang)
//   GET  /catalogue                            CatalogueSearch: search with the catalogue's facets
//   GET  /catalogue/<institution>/<local id>   SpecificationDetails: every Annex I element and
//                                              the providers' recognition policies
//   GET  /verify                               VerifyForm: paste a credential
//   POST /verify/result                        VerifyResult: its verification
//   GET  /s/<share id>                         SharedCredential: a learner's share link
//   GET  /learner                              LearnerHome: the learner's credentials, downloads
//                                              and share links (the sign-in form without a
//                                              session)
//   POST /learner/session                      SignIn
//   POST /learner/signout                      SignOut
//   POST /learner/export                       ExportCredential: a download (jws, ob or elm)
//   POST /learner/shares                       CreateShare
//   POST /learner/shares/withdraw              WithdrawShare
//   GET  /assets/site.css, /assets/site.js,    SiteCss, SiteJs, SiteIcon; /favicon.ico
//        /assets/icon.svg, /favicon.ico        redirects to the icon
//   GET  /institutions/<id>                    InstitutionPage: an issuer's page; not installed
//                                              here: services/mcnode/public_http.cc answers
//                                              that URL, with it when the browser prefers HTML
//                                              and with the issuer's OB 3.0 Profile otherwise
//
// A learner signs in with their learner access token (a bearer JWT with role `learner`, as for
// ListLearnerCredentials); the token is kept in an HttpOnly, SameSite=Strict cookie scoped to
// /learner and verified on every request, so sessions need no server state. A POST that acts
// for a learner must come from this site (its Origin header, when the browser sends one).
//
// Every page carries the same security headers (own assets only, no framing, same-origin
// referrer); a learner's pages and share links are not cached nor indexed.
//
// Thread-safe: the handlers share only what they were built with (the backend, the share
// store and the token verifier are thread-safe).
#ifndef MICROCRED_SERVICES_PUBLIC_WEB_WEB_ROUTES_H_
#define MICROCRED_SERVICES_PUBLIC_WEB_WEB_ROUTES_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/auth/caller.h"
#include "libs/auth/tokens.h"
#include "libs/base/clock.h"
#include "libs/ports/state_store.h"
#include "services/public_web/pages.h"
#include "services/public_web/share_store.h"
#include "services/public_web/web_backend.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace microcred::web {

struct WebOptions {
  // Where share links are kept (the issuance process's store); none: no share links.
  StateStore* share_store = nullptr;
  // Verifies learners' tokens; none: no learner pages.
  const auth::TokenVerifier* tokens = nullptr;
  // The institution's name in the pages' header; its provider profile's legal name wins.
  std::string institution_name;
};

class WebRoutes {
 public:
  // `backend`, and the share store and token verifier of `options`, must outlive this.
  WebRoutes(const WebBackend& backend, WebOptions options, Clock clock);

  // Adds every route to `server`; this must outlive the server's serving.
  void Install(httplib::Server& server) const;

  // The largest body each POST route takes, by path (a form: a pasted credential or token, or
  // ids); the server refuses a larger one before reading it.
  static std::vector<std::pair<std::string, size_t>> BodyLimits();

  // The page of the institution `request.matches[1]`; 404 naming it when the registry does not
  // know it.
  void InstitutionPage(const httplib::Request& request, httplib::Response& response) const;

 private:
  using Request = httplib::Request;
  using Response = httplib::Response;

  // ---- The handlers, one per route ----
  void RootRedirect(const Request& request, Response& response) const;
  void SiteCss(const Request& request, Response& response) const;
  void SiteJs(const Request& request, Response& response) const;
  void SiteIcon(const Request& request, Response& response) const;
  void FaviconRedirect(const Request& request, Response& response) const;
  void CatalogueSearch(const Request& request, Response& response) const;
  void SpecificationDetails(const Request& request, Response& response) const;
  void VerifyForm(const Request& request, Response& response) const;
  void VerifyResult(const Request& request, Response& response) const;
  void SharedCredential(const Request& request, Response& response) const;
  void LearnerHome(const Request& request, Response& response) const;
  void SignIn(const Request& request, Response& response) const;
  void SignOut(const Request& request, Response& response) const;
  void ExportCredential(const Request& request, Response& response) const;
  void CreateShare(const Request& request, Response& response) const;
  void WithdrawShare(const Request& request, Response& response) const;

  // ---- What they share ----

  // The context of a page; `path` is what the language switch reloads (a GET page), with the
  // request's query when `keep_query`.
  PageContext Context(const Request& request, std::string path, std::string section,
                      bool keep_query) const;
  PageContext LearnerContext(const Request& request) const;
  // An institution's profile, a specification's version: std::nullopt when the catalogue
  // lacks it (a page then shows what it has). The profile published in `ecosystem` when there is
  // one, otherwise the catalogue's default (the home ecosystem's).
  std::optional<catalogue::v1::ProviderProfile> ProfileOf(const std::string& institution,
                                                          const std::string& ecosystem = "") const;
  std::optional<catalogue::v1::Specification> SpecificationOf(const std::string& id,
                                                              uint32_t version) const;
  // Shows the verification of `jws`, with the specification version it names.
  void SendVerification(Response& response, const PageContext& ctx, const std::string& jws,
                        bool shared) const;

  // OK when `caller` may use the learner pages of this node; else why not ("token: ...").
  absl::Status CheckLearner(const auth::Caller& caller) const;
  // The learner signed in by the request's session cookie. UNAVAILABLE: no learner pages.
  absl::StatusOr<auth::Caller> SignedInLearner(const Request& request) const;
  // The signed-in learner of a POST that acts for them; otherwise answers with why not
  // (403 cross-site, 404 no learner pages, 401 and the sign-in form) and returns nullopt.
  std::optional<auth::Caller> LearnerOfPost(const Request& request, Response& response,
                                            const PageContext& ctx) const;

  struct LearnerCredentials {
    std::vector<LearnerCredential> credentials;  // with their specifications' titles
    std::string pseudonym;                       // empty: none issued yet
  };
  absl::StatusOr<LearnerCredentials> CredentialsOf(const auth::Caller& learner) const;
  // The learner's page, with a link just made or a notice, answered with `status`.
  void SendLearnerPage(Response& response, const PageContext& ctx, const auth::Caller& learner,
                       std::string new_share_id, std::string notice, int status) const;

  const WebBackend& backend_;
  const WebOptions options_;
  const Clock clock_;
};

}  // namespace microcred::web

#endif  // MICROCRED_SERVICES_PUBLIC_WEB_WEB_ROUTES_H_
