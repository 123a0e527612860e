// PublicHttp: what a node serves over plain HTTP to browsers, employers and other verifiers,
// who never speak gRPC:
//
//   GET  /healthz                                    "ok" while the node serves
//   GET  /institutions/<id>/jwks.json                an institution's registered public keys:
//                                                    what a credential's kid names
//   GET  /institutions/<id>/status/revocation        this node's signed Bitstring Status Lists
//   GET  /institutions/<id>/status/suspension        (compact JWS, application/vc+jwt)
//   GET  /contexts/microcred-v1.jsonld              the JSON-LD context of our credential terms
//   POST /verify                                     body: a compact JWS; answer: the
//                                                    verification report as JSON
//
// and the public web pages (services/public_web/pages.h renders them; this is their I/O edge):
//
//   GET  /catalogue                                  search with the catalogue's facets
//   GET  /catalogue/<institution>/<local id>         a specification: every Annex I element
//                                                    and the providers' recognition policies
//   GET  /verify, POST /verify/result                paste a credential, see its verification
//   GET  /s/<share id>                               a learner's share link: its verification
//   GET  /learner                                    a learner's credentials (sign-in form
//   POST /learner/session, /learner/signout          without a session), downloads, share
//   POST /learner/export, /learner/shares,           links
//        /learner/shares/withdraw
//   GET  /assets/site.css, /assets/site.js
//
// A learner signs in with their learner access token (a bearer JWT with role `learner`, as for
// ListLearnerCredentials); the node keeps it in an HttpOnly, SameSite=Strict cookie scoped to
// /learner and verifies it on every request, so sessions need no server state.
//
// TLS is terminated in front of the node (an ingress); the URLs it publishes are https.
#ifndef MICROCRED_SERVICES_MCNODE_PUBLIC_HTTP_H_
#define MICROCRED_SERVICES_MCNODE_PUBLIC_HTTP_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "libs/auth/tokens.h"
#include "libs/ports/state_store.h"
#include "services/mcnode/node.h"

namespace httplib {
class Server;
}

namespace microcred {

struct PublicWebOptions {
  // Where share links are kept (the issuance process's store); none: no share links.
  StateStore* share_store = nullptr;
  // Verifies learners' tokens; none: no learner pages.
  const auth::TokenVerifier* tokens = nullptr;
  // The institution's name in the pages' header; its provider profile's legal name wins.
  std::string institution_name;
};

class PublicHttp {
 public:
  explicit PublicHttp(Node& node, PublicWebOptions web = {});
  ~PublicHttp();

  // Binds `host`:`port` (0 = a free port) and serves in a background thread.
  absl::Status Start(const std::string& host, int port);
  int port() const { return port_; }
  void Stop();

 private:
  void Routes();
  void WebRoutes();

  Node& node_;
  PublicWebOptions web_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_PUBLIC_HTTP_H_
