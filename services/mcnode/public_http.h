// PublicHttp: what a node serves over plain HTTP to browsers, employers and other verifiers,
// who never speak gRPC:
//
//   GET  /healthz                                    "ok" while the node serves
//   GET  /institutions/<id>                          the issuer's OB 3.0 Profile (JSON; JSON-LD
//                                                    when asked first), or its page
//                                                    (web_routes.h) when the browser prefers
//                                                    text/html: what an issuer URL names
//   GET  /institutions/<id>/keys/<key id>            one registered key, retired ones too, as a
//                                                    JWK (application/jwk+json): what a URL kid
//                                                    names
//   GET  /institutions/<id>/jwks.json                an institution's registered public keys
//   GET  /institutions/<id>/did.json                 its did:web DID document (every key, with
//                                                    its status): what a DID issuer resolves to
//   GET  /institutions/<id>/status/revocation        this node's signed Bitstring Status Lists
//   GET  /institutions/<id>/status/suspension        (compact JWS, application/vc+jwt): 1 bit,
//   GET  /institutions/<id>/status/message           or a 2-bit code per credential
//   GET  /institutions/<id>/status                   what the lists and codes mean (JSON): the
//                                                    credentials' statusReference
//   GET  /contexts/microcred-v1.jsonld              the JSON-LD context of our credential terms
//   POST /verify                                     body: a compact JWS; answer: the
//                                                    verification report as JSON
//
// and the public web pages (services/public_web/web_routes.h: one handler per route; its
// header lists them), which read this node through NodeWebBackend (node_web_backend.h).
//
// The issuer documents (libs/discovery/issuer_documents.h) are served for every member of the
// registry, under the public URL it registered, with Access-Control-Allow-Origin: * (web-based
// verifiers fetch them); the URLs in a credential name its issuer's own node. An unknown
// institution or key is a 404 naming it.
//
// TLS is terminated in front of the node (an ingress); the URLs it publishes are https.
#ifndef MICROCRED_SERVICES_MCNODE_PUBLIC_HTTP_H_
#define MICROCRED_SERVICES_MCNODE_PUBLIC_HTTP_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "services/mcnode/http_serving.h"
#include "services/mcnode/node.h"
#include "services/mcnode/node_web_backend.h"
#include "services/public_web/web_routes.h"

namespace microcred {

// The web pages' share store, learners' token verifier and institution name.
using PublicWebOptions = web::WebOptions;

// The largest body POST /verify takes: a compact JWS, which the services refuse past 256 KiB.
inline constexpr size_t kMaxVerifyBodyBytes = 256 * 1024;

// What a client can make the public HTTP hold (http_serving.h): every route's body limit (the
// node's and the web pages'), the deadlines, the threads and the per-peer cap.
HttpLimits PublicHttpLimits();

// The node must run issuance (NodeScope::kIssuance or wider) and outlive this.
class PublicHttp {
 public:
  explicit PublicHttp(Node& node, PublicWebOptions web = {},
                      HttpLimits limits = PublicHttpLimits());
  ~PublicHttp();

  // Binds `host`:`port` (0 = a free port) and serves in a background thread.
  absl::Status Start(const std::string& host, int port);
  int port() const { return port_; }
  void Stop();

 private:
  void Routes();

  Node& node_;
  NodeWebBackend web_backend_;
  web::WebRoutes web_routes_;
  std::unique_ptr<BoundedHttpServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_PUBLIC_HTTP_H_
