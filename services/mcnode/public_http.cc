// PublicHttp (public_http.h): the node's own routes (health, issuers' profiles and keys, status
// lists, the JSON-LD context, POST /verify), answered from the issuance service; the web pages'
// routes are services/public_web/web_routes.cc's.
#include "services/mcnode/public_http.h"

#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <algorithm>
#include <string_view>

#include "absl/strings/ascii.h"
#include "libs/credentials/vocabulary.h"
#include "services/mcnode/http_serving.h"
#include "services/public_web/http_status.h"
#include "services/public_web/weighted_list.h"

namespace microcred {
namespace {

// Answers with `result`, or with the HTTP status that matches its error.
void Reply(httplib::Response& response, const absl::StatusOr<std::string>& result,
           const std::string& media_type) {
  if (result.ok()) {
    response.set_content(*result, media_type);
    return;
  }
  response.status = web::HttpStatusOf(result.status());
  response.set_content(std::string(result.status().message()) + "\n", "text/plain");
}

// A node publishes the status of its own institution's credentials only.
absl::Status CheckPublishesStatusOf(const Node& node, const std::string& institution_id) {
  if (institution_id == node.institution_id()) return absl::OkStatus();
  return absl::NotFoundError("this node publishes the status lists of " + node.institution_id() +
                             " only");
}

// The q-value `accept` gives `type` ("text/html"): that of the most specific range that matches
// it (type/subtype, type/*, */*), 1 when absent; 0 when none matches.
double QualityOf(std::string_view accept, std::string_view type) {
  const std::string major = std::string(type.substr(0, type.find('/') + 1)) + "*";  // "text/*"
  int best_rank = 0;
  double best_q = 0;
  for (const web::WeightedValue& range : web::ParseWeightedList(accept)) {
    const std::string lower = absl::AsciiStrToLower(range.value);
    const int rank = lower == type ? 3 : lower == major ? 2 : lower == "*/*" ? 1 : 0;
    if (rank <= best_rank) continue;
    best_rank = rank;
    best_q = range.q;
  }
  return best_q;
}

// A browser asks for HTML first; a verifier, curl (*/*) or a JSON-LD loader gets JSON.
bool PrefersHtml(std::string_view accept) {
  const double html = QualityOf(accept, "text/html");
  return html > 0 && html > std::max(QualityOf(accept, "application/json"),
                                     QualityOf(accept, "application/ld+json"));
}

// The public discovery documents are read by web-based verifiers on other sites too.
void AllowAnyOrigin(httplib::Response& response) {
  response.set_header("Access-Control-Allow-Origin", "*");
}

}  // namespace

HttpLimits PublicHttpLimits() {
  HttpLimits limits;
  limits.body_limits = web::WebRoutes::BodyLimits();
  limits.body_limits.emplace_back("/verify", kMaxVerifyBodyBytes);
  return limits;
}

PublicHttp::PublicHttp(Node& node, PublicWebOptions web, HttpLimits limits)
    : node_(node),
      web_backend_(node),
      web_routes_(web_backend_, std::move(web), node.options().clock),
      server_(std::make_unique<BoundedHttpServer>(std::move(limits))) {
  Routes();
  web_routes_.Install(*server_);
}

PublicHttp::~PublicHttp() { Stop(); }

void PublicHttp::Routes() {
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  // Every member's documents, from the registry: any node can answer for any member, though
  // the URLs in credentials name the member's own node.
  server_->Get(R"(/institutions/([a-z0-9.-]+))",
               [this](const httplib::Request& request, httplib::Response& response) {
                 response.set_header("Vary", "Accept");
                 const std::string accept = request.get_header_value("Accept");
                 if (PrefersHtml(accept)) return web_routes_.InstitutionPage(request, response);
                 AllowAnyOrigin(response);
                 const bool ld = QualityOf(accept, "application/ld+json") >
                                 QualityOf(accept, "application/json");
                 Reply(response, node_.issuance().IssuerProfile(request.matches[1]),
                       ld ? "application/ld+json" : "application/json");
               });
  server_->Get(R"(/institutions/([a-z0-9.-]+)/jwks\.json)", [this](const httplib::Request& request,
                                                                   httplib::Response& response) {
    AllowAnyOrigin(response);
    Reply(response, node_.issuance().Jwks(request.matches[1]), "application/jwk-set+json");
  });
  server_->Get(R"(/institutions/([a-z0-9.-]+)/keys/([A-Za-z0-9:._-]+))",
               [this](const httplib::Request& request, httplib::Response& response) {
                 AllowAnyOrigin(response);
                 Reply(response, node_.issuance().PublicKey(request.matches[1], request.matches[2]),
                       "application/jwk+json");
               });
  server_->Get(R"(/institutions/([a-z0-9.-]+)/did\.json)", [this](const httplib::Request& request,
                                                                  httplib::Response& response) {
    AllowAnyOrigin(response);
    Reply(response, node_.issuance().DidDocument(request.matches[1]), "application/did+ld+json");
  });
  server_->Get(R"(/institutions/([a-z0-9.-]+)/status/([a-z]+))",
               [this](const httplib::Request& request, httplib::Response& response) {
                 if (absl::Status s = CheckPublishesStatusOf(node_, request.matches[1]); !s.ok()) {
                   Reply(response, s, "");
                   return;
                 }
                 Reply(response, node_.issuance().StatusList(request.matches[2]),
                       "application/vc+jwt");
               });
  server_->Get(R"(/institutions/([a-z0-9.-]+)/status)",
               [this](const httplib::Request& request, httplib::Response& response) {
                 if (absl::Status s = CheckPublishesStatusOf(node_, request.matches[1]); !s.ok()) {
                   Reply(response, s, "");
                   return;
                 }
                 Reply(response, node_.issuance().StatusReference(), "application/json");
               });
  server_->Get("/contexts/microcred-v1.jsonld",
               [](const httplib::Request&, httplib::Response& response) {
                 response.set_content(std::string(credentials::MicrocredContextDocument()),
                                      "application/ld+json");
               });
  server_->Post("/verify", [this](const httplib::Request& request, httplib::Response& response) {
    issuance::v1::VerifyCredentialRequest verify;
    std::string jws = request.body;
    while (!jws.empty() && (jws.back() == '\n' || jws.back() == '\r' || jws.back() == ' ')) {
      jws.pop_back();
    }
    verify.set_jws(jws);
    issuance::v1::VerificationReport report = node_.issuance().Verify(verify);
    std::string json;
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;
    (void)google::protobuf::util::MessageToJsonString(report, &json, options);
    response.set_content(json, "application/json");
  });
}

absl::Status PublicHttp::Start(const std::string& host, int port) {
  auto bound = ServeInBackground(*server_, host, port, thread_, "--http");
  if (!bound.ok()) return bound.status();
  port_ = *bound;
  return absl::OkStatus();
}

void PublicHttp::Stop() { StopServing(*server_, thread_); }

}  // namespace microcred
