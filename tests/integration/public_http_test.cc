// A node's public HTTP, as a verifier outside the platform uses it: the JWK Set whose key
// verifies a credential, the issuer's Profile, the JWK its kid names and its did:web DID
// document (a rotated key still there, marked retired), the signed status lists whose entries
// follow revocation and suspension (and the document explaining their codes), POST /verify and
// the JSON-LD context. On the in-memory engines; the HTTP is real (loopback).
#include "services/mcnode/public_http.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "absl/time/civil_time.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/discovery/did_web.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/jose/jwk.h"
#include "libs/jose/jws.h"
#include "libs/registry/secretariat.h"
#include "libs/status_list/status_list.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "tests/support/slow_clients.h"

namespace microcred {
namespace {

using nlohmann::json;

const Institution kUniversity{"unamur", "Université de Namur",
                              common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-WNA"};
// Names itself by its did:web DID in its credentials (mcnode --issuer-id=did-web).
const Institution kHauteEcole{.id = "henallux",
                              .legal_name = "Haute École de Namur-Liège-Luxembourg",
                              .type = common::v1::PROVIDER_TYPE_HIGHER_EDUCATION,
                              .country = "BE",
                              .region = "BE-WNA",
                              .issuer_id = discovery::IssuerIdForm::kDidWeb};

common::v1::Date Yesterday() {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 1;
  return domain::ToDate(day);
}

// The payload of a compact JWS, decoded but not verified.
json PayloadOf(const std::string& jws) {
  auto parsed = jose::ParseCompact(jws);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? json::parse(parsed->payload, nullptr, false) : json();
}

class PublicHttpTest : public testing::Test {
 protected:
  PublicHttpTest() : ecosystem_("http-test", *domain::PolicyProfile::Named("eu")) {}

  void SetUp() override {
    auto a = ecosystem_.Join(*a_log_, a_store_, kUniversity);
    ASSERT_TRUE(a.ok()) << a.status();
    a_ = *std::move(a);
    auto b = ecosystem_.Join(*b_log_, b_store_, kHauteEcole);
    ASSERT_TRUE(b.ok()) << b.status();
    b_ = *std::move(b);
    ASSERT_TRUE(a_->catalogue().projector().Sync(absl::Seconds(5)).ok());
    ASSERT_TRUE(a_->issuance().projector().Sync(absl::Seconds(5)).ok());

    catalogue::v1::PublishSpecificationRequest publish;
    publish.set_request_id("publish-data");
    publish.set_local_id("data-literacy");
    *publish.mutable_content() = catalogue::samples::DataLiteracy(kUniversity.id);
    auto spec = a_->catalogue().Publish(StaffOf(kUniversity.id), publish);
    ASSERT_TRUE(spec.ok()) << spec.status();

    http_ = std::make_unique<PublicHttp>(*a_);
    ASSERT_TRUE(http_->Start("127.0.0.1", 0).ok());
    ASSERT_GT(http_->port(), 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", http_->port());
  }

  void TearDown() override {
    if (http_) http_->Stop();
  }

  // Issues a credential of `institution`'s data-literacy specification at `node`.
  issuance::v1::IssuedCredential Issue(const std::string& request_id) {
    return IssueAt(*a_, kUniversity, request_id);
  }
  issuance::v1::IssuedCredential IssueAt(Node& node, const Institution& institution,
                                         const std::string& request_id) {
    issuance::v1::IssueCredentialRequest r;
    r.set_request_id(request_id);
    r.set_specification_id(institution.id + "/data-literacy");
    r.mutable_learner()->set_learner_id("UN-" + request_id);
    r.mutable_learner()->set_given_name("Jonas");
    r.mutable_learner()->set_family_name("Peeters");
    *r.mutable_issued_on() = Yesterday();
    r.set_place_of_issuing("Namur");
    r.mutable_grade()->set_value("14/20");
    r.mutable_grade()->set_grading_scheme("Belgian 0-20 scale");
    r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    auto issued = node.issuance().Issue(StaffOf(institution.id), r);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? *issued : issuance::v1::IssuedCredential();
  }

  issuance::v1::ChangeStatusRequest Change(const std::string& request_id,
                                           const issuance::v1::IssuedCredential& credential) {
    issuance::v1::ChangeStatusRequest change;
    change.set_request_id(request_id);
    change.set_credential_id(credential.credential_id());
    change.set_reason("assessment under review");
    return change;
  }

  // The keys GET /institutions/<id>/jwks.json publishes.
  std::vector<jose::JwkPublicKey> Keys(const std::string& institution_id) {
    auto response = client_->Get(("/institutions/" + institution_id + "/jwks.json").c_str());
    EXPECT_TRUE(response) << httplib::to_string(response.error());
    if (!response) return {};
    EXPECT_EQ(response->status, 200) << response->body;
    EXPECT_EQ(response->get_header_value("Content-Type"), "application/jwk-set+json");
    auto keys = jose::FromJwks(json::parse(response->body, nullptr, false));
    EXPECT_TRUE(keys.ok()) << keys.status() << "\n" << response->body;
    return keys.ok() ? *keys : std::vector<jose::JwkPublicKey>();
  }

  // GET the node's `purpose` status list, check that it is a credential signed by the
  // institution's published key, and decode its entries (of the subject's statusSize bits).
  status_list::StatusList StatusList(const std::string& purpose) {
    const std::string path = "/institutions/" + kUniversity.id + "/status/" + purpose;
    auto response = client_->Get(path.c_str());
    EXPECT_TRUE(response) << httplib::to_string(response.error());
    if (!response) return NoList();
    EXPECT_EQ(response->status, 200) << response->body;
    EXPECT_EQ(response->get_header_value("Content-Type"), "application/vc+jwt");
    auto jws = jose::VerifyCompact(response->body, Keys(kUniversity.id));
    EXPECT_TRUE(jws.ok()) << jws.status();
    if (!jws.ok()) return NoList();
    EXPECT_EQ(jws->typ, jose::kVcJwtType);
    json list = json::parse(jws->payload, nullptr, false);
    EXPECT_TRUE(list.is_object()) << jws->payload;
    if (!list.is_object()) return NoList();
    EXPECT_EQ(list.value("id", ""), "https://unamur.example" + path);
    EXPECT_NE(std::find(list["type"].begin(), list["type"].end(), "BitstringStatusListCredential"),
              list["type"].end())
        << list["type"];
    const json& subject = list["credentialSubject"];
    EXPECT_EQ(subject.value("type", ""), "BitstringStatusList");
    EXPECT_EQ(subject.value("statusPurpose", ""), purpose);
    auto entries = status_list::StatusList::Decode(subject.value("encodedList", ""),
                                                   subject.value("statusSize", 1));
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.ok() ? *entries : NoList();
  }
  static status_list::StatusList NoList() { return *status_list::StatusList::Create(1); }

  static uint32_t Entry(const status_list::StatusList& list, int32_t index) {
    auto value = list.Get(index);
    EXPECT_TRUE(value.ok()) << value.status();
    return value.ok() ? *value : 99;
  }
  static bool Bit(const status_list::StatusList& list, int32_t index) {
    return Entry(list, index) == 1;
  }

  json PostVerify(const std::string& jws) {
    auto response = client_->Post("/verify", jws + "\n", "application/vc+jwt");
    EXPECT_TRUE(response) << httplib::to_string(response.error());
    if (!response) return json();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->get_header_value("Content-Type"), "application/json");
    json report = json::parse(response->body, nullptr, false);
    EXPECT_TRUE(report.is_object()) << response->body;
    return report;
  }

  // GET `url` from this node as a verifier would fetch it: the URL's path, asked of this node
  // (every node serves every member's documents); `accept` as the Accept header.
  httplib::Result Fetch(const std::string& url, const std::string& accept = "") {
    const size_t scheme = url.find("://");
    const size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    EXPECT_NE(path, std::string::npos) << url;
    httplib::Headers headers;
    if (!accept.empty()) headers.emplace("Accept", accept);
    return client_->Get(url.substr(path).c_str(), headers);
  }

  // The JSON body of a 200 answer typed `media_type`.
  static json JsonOf(const httplib::Result& response, const std::string& media_type) {
    EXPECT_TRUE(response) << httplib::to_string(response.error());
    if (!response) return json();
    EXPECT_EQ(response->status, 200) << response->body;
    EXPECT_EQ(response->get_header_value("Content-Type"), media_type);
    EXPECT_EQ(response->get_header_value("Access-Control-Allow-Origin"), "*");
    return json::parse(response->body, nullptr, false);
  }

  // The did:web DID document of `did`, resolved as the did:web method says.
  json ResolveDid(const std::string& did) {
    auto parsed = discovery::ParseDidWeb(did);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    if (!parsed.ok()) return json();
    return JsonOf(Fetch(discovery::DidDocumentUrl(*parsed)), "application/did+ld+json");
  }

  // The verification method `id` of a DID document; null when it has none.
  static json MethodOf(const json& document, const std::string& id) {
    for (const json& method : document.value("verificationMethod", json::array())) {
      if (method.value("id", "") == id) return method;
    }
    return json();
  }

  static json CheckNamed(const json& report, const std::string& name) {
    for (const json& check : report.value("checks", json::array())) {
      if (check.value("name", "") == name) return check;
    }
    return json();
  }

  LocalEcosystem ecosystem_;
  MemoryEventLog log_;
  std::unique_ptr<MemoryEventLog> a_log_ = log_.Share();
  std::unique_ptr<MemoryEventLog> b_log_ = log_.Share();
  MemoryStateStore a_store_, b_store_;
  std::unique_ptr<Node> a_, b_;
  std::unique_ptr<PublicHttp> http_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(PublicHttpTest, HealthzAnswersOk) {
  auto response = client_->Get("/healthz");
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok\n");
}

TEST_F(PublicHttpTest, PublishedKeyVerifiesAnIssuedCredential) {
  issuance::v1::IssuedCredential issued = Issue("award-1");
  std::vector<jose::JwkPublicKey> keys = Keys(kUniversity.id);
  ASSERT_EQ(keys.size(), 1u);
  auto jws = jose::VerifyCompact(issued.jws(), keys);
  ASSERT_TRUE(jws.ok()) << jws.status();
  EXPECT_EQ(jws->typ, jose::kJwtType);  // the Open Badges 3.0 profile, the node's default
  json credential = json::parse(jws->payload);
  EXPECT_EQ(credential["id"], issued.credential_id());
  EXPECT_EQ(credential["jti"], issued.credential_id());
  EXPECT_EQ(credential["iss"], credential["issuer"]["id"]);
  // The kid is "<issuer id>/keys/<key id>".
  EXPECT_EQ(jws->kid.rfind(credential["issuer"]["id"].get<std::string>() + "/keys/", 0), 0u)
      << jws->kid;

  // The other institution's key set (the registry is shared) does not verify it.
  auto foreign = jose::VerifyCompact(issued.jws(), Keys(kHauteEcole.id));
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kNotFound) << foreign.status();
  // An institution nobody admitted has no key set.
  auto unknown = client_->Get("/institutions/nobody/jwks.json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

// OB 3.0: the kid is a URI that dereferences to the JWK; that JWK alone verifies the credential.
TEST_F(PublicHttpTest, TheKidDereferencesToTheJwkThatVerifiesTheCredential) {
  issuance::v1::IssuedCredential issued = Issue("award-kid");
  auto parsed = jose::ParseCompact(issued.jws());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::string key_id = crypto::KeyFingerprint(a_->options().event_key.public_key());
  EXPECT_EQ(parsed->kid, "https://unamur.example/institutions/unamur/keys/" + key_id);
  json jwk = JsonOf(Fetch(parsed->kid), "application/jwk+json");
  EXPECT_EQ(jwk.value("kid", ""), parsed->kid);
  EXPECT_EQ(jwk.value("alg", ""), "EdDSA");
  EXPECT_EQ(jwk.value("keyStatus", ""), "current");
  auto key = jose::FromJwk(jwk);
  ASSERT_TRUE(key.ok()) << key.status();
  auto verified = jose::VerifyCompact(issued.jws(), {*key});
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(json::parse(verified->payload)["id"], issued.credential_id());

  auto unknown_key = Fetch("https://unamur.example/institutions/unamur/keys/ed25519:00");
  ASSERT_TRUE(unknown_key);
  EXPECT_EQ(unknown_key->status, 404);
  EXPECT_NE(unknown_key->body.find("ed25519:00"), std::string::npos) << unknown_key->body;
  auto unknown_institution = Fetch("https://nobody.example/institutions/nobody/keys/" + key_id);
  ASSERT_TRUE(unknown_institution);
  EXPECT_EQ(unknown_institution->status, 404);
  EXPECT_NE(unknown_institution->body.find("nobody"), std::string::npos);
}

// The issuer's id answers a machine with the OB 3.0 Profile and a browser with a page.
TEST_F(PublicHttpTest, TheIssuerIdDereferencesToItsProfileOrItsPage) {
  issuance::v1::IssuedCredential issued = Issue("award-profile");
  const json issuer = PayloadOf(issued.jws())["issuer"];
  const std::string issuer_id = issuer.value("id", "");
  EXPECT_EQ(issuer_id, "https://unamur.example/institutions/unamur");
  for (const char* accept : {"", "application/json", "*/*"}) {
    auto response = Fetch(issuer_id, accept);
    json profile = JsonOf(response, "application/json");
    EXPECT_EQ(response->get_header_value("Vary"), "Accept");
    EXPECT_EQ(profile.value("id", ""), issuer_id) << accept;
    EXPECT_EQ(profile["type"], json::array({"Profile"}));
    EXPECT_EQ(profile["name"], issuer["name"]);
    EXPECT_EQ(profile["otherIdentifier"][0], issuer["otherIdentifier"][0]);
    EXPECT_EQ(profile.value("url", ""), "https://unamur.example");
    EXPECT_EQ(profile.value("jwks", ""), issuer_id + "/jwks.json");
    EXPECT_EQ(profile["@context"][1], "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
  }
  json ld = JsonOf(Fetch(issuer_id, "application/ld+json"), "application/ld+json");
  EXPECT_EQ(ld.value("id", ""), issuer_id);

  auto page = Fetch(issuer_id, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
  ASSERT_TRUE(page) << httplib::to_string(page.error());
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find(kUniversity.legal_name), std::string::npos);
  EXPECT_NE(page->body.find("/institutions/unamur/jwks.json"), std::string::npos);

  auto unknown = Fetch("https://nobody.example/institutions/nobody", "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_NE(unknown->body.find("nobody"), std::string::npos);
  auto unknown_page = Fetch("https://nobody.example/institutions/nobody", "text/html");
  ASSERT_TRUE(unknown_page);
  EXPECT_EQ(unknown_page->status, 404);
}

// An institution that chose did:web: its credentials name it by its DID, a verifier that knows
// only did:web finds the key in the DID document, and after a rotation the retired key is still
// there, marked retired, so what it signed still verifies.
TEST_F(PublicHttpTest, DidWebFindsTheKeysAndARotatedKeyStaysResolvable) {
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("publish-henallux");
  publish.set_local_id("data-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy(kHauteEcole.id);
  ASSERT_TRUE(b_->catalogue().Publish(StaffOf(kHauteEcole.id), publish).ok());
  ASSERT_TRUE(b_->issuance().projector().Sync(absl::Seconds(5)).ok());
  issuance::v1::IssuedCredential issued = IssueAt(*b_, kHauteEcole, "award-did");
  auto parsed = jose::ParseCompact(issued.jws());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const std::string did = "did:web:henallux.example:institutions:henallux";
  const std::string old_key_id = crypto::KeyFingerprint(b_->options().event_key.public_key());
  EXPECT_EQ(PayloadOf(issued.jws())["issuer"]["id"], did);
  EXPECT_EQ(parsed->kid, did + "#" + old_key_id);

  json document = ResolveDid(did);
  EXPECT_EQ(document.value("id", ""), did);
  EXPECT_EQ(document["alsoKnownAs"],
            json::array({"https://henallux.example/institutions/henallux"}));
  json method = MethodOf(document, parsed->kid);
  ASSERT_TRUE(method.is_object()) << document.dump(1);
  EXPECT_EQ(method.value("controller", ""), did);
  EXPECT_EQ(method.value("keyStatus", ""), "current");
  auto key = jose::FromJwk(method["publicKeyJwk"]);
  ASSERT_TRUE(key.ok()) << key.status();
  ASSERT_TRUE(jose::VerifyCompact(issued.jws(), {*key}).ok());
  EXPECT_EQ(document["assertionMethod"], json::array({parsed->kid}));

  // The root rotates the key: the new one signs from now on, the old one is retired.
  const crypto::SigningKey next = crypto::SigningKey::Generate();
  ASSERT_TRUE(ecosystem_.secretariat()
                  .RotateKey(*b_log_, kHauteEcole.id, registry::RegisteredKey(next.public_key()),
                             old_key_id)
                  .ok());
  ASSERT_TRUE(a_->issuance().projector().Sync(absl::Seconds(5)).ok());

  document = ResolveDid(did);
  ASSERT_EQ(document["verificationMethod"].size(), 2u) << document.dump(1);
  const std::string new_kid = did + "#" + crypto::KeyFingerprint(next.public_key());
  EXPECT_EQ(document["verificationMethod"][0].value("id", ""), new_kid);  // the current first
  EXPECT_EQ(document["assertionMethod"], json::array({new_kid}));
  method = MethodOf(document, parsed->kid);
  ASSERT_TRUE(method.is_object()) << document.dump(1);
  EXPECT_EQ(method.value("keyStatus", ""), "retired");
  EXPECT_TRUE(method.contains("retiredAt")) << method.dump();
  key = jose::FromJwk(method["publicKeyJwk"]);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(jose::VerifyCompact(issued.jws(), {*key}).ok());
  json retired = JsonOf(Fetch("https://henallux.example/institutions/henallux/keys/" + old_key_id),
                        "application/jwk+json");
  EXPECT_EQ(retired.value("keyStatus", ""), "retired");
  // The node's own verifier still accepts what the retired key signed before its cut.
  json report = PostVerify(issued.jws());
  EXPECT_TRUE(report.value("valid", false)) << report.dump(1);

  // An institution nobody admitted has no DID document.
  auto none = client_->Get("/institutions/nobody/did.json");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
}

// The credential's one status entry points at the message list, at its index; the same index
// in the 1-bit lists carries the same status.
TEST_F(PublicHttpTest, RevocationSetsTheMessageCodeAndTheRevocationBit) {
  issuance::v1::IssuedCredential issued = Issue("award-revoked");
  issuance::v1::IssuedCredential other = Issue("award-kept");
  ASSERT_NE(issued.status_list_index(), other.status_list_index());
  json status = PayloadOf(issued.jws())["credentialStatus"];
  ASSERT_TRUE(status.is_object()) << status;
  EXPECT_EQ(status.value("statusPurpose", ""), "message");
  EXPECT_EQ(status.value("statusSize", 0), 2);
  EXPECT_EQ(status.value("statusListCredential", ""),
            "https://unamur.example/institutions/unamur/status/message");
  EXPECT_EQ(status.value("statusListIndex", ""), std::to_string(issued.status_list_index()));
  EXPECT_EQ(status.value("statusReference", ""),
            "https://unamur.example/institutions/unamur/status");

  EXPECT_EQ(Entry(StatusList("message"), issued.status_list_index()), 0u);
  EXPECT_FALSE(Bit(StatusList("revocation"), issued.status_list_index()));
  ASSERT_TRUE(a_->issuance().Revoke(StaffOf(kUniversity.id), Change("revoke-1", issued)).ok());
  status_list::StatusList message = StatusList("message");
  EXPECT_EQ(Entry(message, issued.status_list_index()), 1u);  // "0x1": revoked
  EXPECT_EQ(Entry(message, other.status_list_index()), 0u);
  status_list::StatusList revoked = StatusList("revocation");
  EXPECT_TRUE(Bit(revoked, issued.status_list_index()));
  EXPECT_FALSE(Bit(revoked, other.status_list_index()));
  EXPECT_FALSE(Bit(StatusList("suspension"), issued.status_list_index()));
}

TEST_F(PublicHttpTest, SuspensionSetsTheMessageCodeAndTheSuspensionBitWhileSuspended) {
  issuance::v1::IssuedCredential issued = Issue("award-suspended");

  EXPECT_FALSE(Bit(StatusList("suspension"), issued.status_list_index()));
  ASSERT_TRUE(a_->issuance().Suspend(StaffOf(kUniversity.id), Change("suspend-1", issued)).ok());
  EXPECT_EQ(Entry(StatusList("message"), issued.status_list_index()), 2u);  // "0x2": suspended
  EXPECT_TRUE(Bit(StatusList("suspension"), issued.status_list_index()));
  EXPECT_FALSE(Bit(StatusList("revocation"), issued.status_list_index()));
  ASSERT_TRUE(
      a_->issuance().Reinstate(StaffOf(kUniversity.id), Change("reinstate-1", issued)).ok());
  EXPECT_EQ(Entry(StatusList("message"), issued.status_list_index()), 0u);
  EXPECT_FALSE(Bit(StatusList("suspension"), issued.status_list_index()));
}

// The entries' statusReference answers what the lists and codes are.
TEST_F(PublicHttpTest, StatusReferenceExplainsTheCodes) {
  auto response = client_->Get(("/institutions/" + kUniversity.id + "/status").c_str());
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->get_header_value("Content-Type"), "application/json");
  json doc = json::parse(response->body, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << response->body;
  EXPECT_EQ(doc.value("id", ""), "https://unamur.example/institutions/unamur/status");
  ASSERT_EQ(doc["statusMessage"].size(), 4u);
  EXPECT_EQ(doc["statusMessage"][2].value("message", ""), "suspended");
  EXPECT_EQ(doc["statusLists"][0].value("statusListCredential", ""),
            "https://unamur.example/institutions/unamur/status/message");

  auto foreign = client_->Get(("/institutions/" + kHauteEcole.id + "/status").c_str());
  ASSERT_TRUE(foreign) << httplib::to_string(foreign.error());
  EXPECT_EQ(foreign->status, 404);
}

TEST_F(PublicHttpTest, StatusListsOfOtherInstitutionsAndUnknownPurposesAreRefused) {
  auto foreign = client_->Get(("/institutions/" + kHauteEcole.id + "/status/revocation").c_str());
  ASSERT_TRUE(foreign) << httplib::to_string(foreign.error());
  EXPECT_EQ(foreign->status, 404);
  auto purpose = client_->Get(("/institutions/" + kUniversity.id + "/status/refresh").c_str());
  ASSERT_TRUE(purpose) << httplib::to_string(purpose.error());
  EXPECT_EQ(purpose->status, 400);
}

TEST_F(PublicHttpTest, VerifyAnswersAReportForGenuineAndTamperedCredentials) {
  issuance::v1::IssuedCredential issued = Issue("award-verify");
  json report = PostVerify(issued.jws());
  EXPECT_EQ(report.value("valid", false), true) << report.dump(1);
  EXPECT_EQ(report.value("credential_id", ""), issued.credential_id());
  EXPECT_EQ(report.value("checks", json::array()).size(), 7u);
  EXPECT_EQ(CheckNamed(report, "signature").value("passed", false), true);

  // The grade raised after signing: same header and signature, another payload.
  const std::string& jws = issued.jws();
  size_t first = jws.find('.'), second = jws.find('.', first + 1);
  std::string payload = *crypto::Base64UrlDecode(jws.substr(first + 1, second - first - 1));
  ASSERT_NE(payload.find("14/20"), std::string::npos);
  payload.replace(payload.find("14/20"), 5, "20/20");
  std::string tampered =
      jws.substr(0, first + 1) + crypto::Base64UrlEncode(payload) + jws.substr(second);
  json refused = PostVerify(tampered);
  EXPECT_EQ(refused.value("valid", true), false) << refused.dump(1);
  EXPECT_EQ(CheckNamed(refused, "signature").value("passed", true), false) << refused.dump(1);

  json garbage = PostVerify("not a credential");
  EXPECT_EQ(garbage.value("valid", true), false);
  EXPECT_EQ(CheckNamed(garbage, "format").value("passed", true), false);
}

TEST_F(PublicHttpTest, ServesTheJsonLdContext) {
  auto response = client_->Get("/contexts/microcred-v1.jsonld");
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Content-Type"), "application/ld+json");
  json context = json::parse(response->body, nullptr, false);
  ASSERT_TRUE(context.is_object()) << response->body.substr(0, 200);
  ASSERT_TRUE(context.contains("@context"));
  EXPECT_TRUE(context["@context"].is_object());
  EXPECT_TRUE(context["@context"].contains("microCredential"));
}

// What the node answers on `fd` until it closes it or 30 s pass.
std::string ReadAnswer(int fd) {
  std::string answer;
  char buffer[4096];
  pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
  while (::poll(&p, 1, 30'000) > 0) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  return answer;
}

// A body larger than its route takes is refused from its Content-Length, before a byte of it
// is read: a client announcing 400 MB gets 413 at once, without sending them.
TEST_F(PublicHttpTest, OversizedBodiesAreRefusedBeforeTheyAreRead) {
  for (const char* path : {"/verify", "/verify/result", "/learner/session"}) {
    const int fd = testing_support::ConnectFrom("127.0.0.1", "127.0.0.1", http_->port());
    ASSERT_GE(fd, 0);
    const std::string head = std::string("POST ") + path +
                             " HTTP/1.1\r\nHost: node\r\nContent-Type: text/plain\r\n"
                             "Content-Length: 400000000\r\n\r\n";
    ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(head.size()));
    const std::string answer = ReadAnswer(fd);
    ::close(fd);
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413") << path << ": " << answer.substr(0, 200);
    EXPECT_NE(answer.find("request body: at most"), std::string::npos) << answer;
  }
  // One byte over the limit, sent: refused too; a credential-sized body is still verified.
  auto over = client_->Post("/verify", std::string(256 * 1024 + 1, 'x'), "text/plain");
  ASSERT_TRUE(over) << httplib::to_string(over.error());
  EXPECT_EQ(over->status, 413);
  auto fine = client_->Post("/verify", std::string(200 * 1024, 'x'), "text/plain");
  ASSERT_TRUE(fine) << httplib::to_string(fine.error());
  EXPECT_EQ(fine->status, 200);
}

// Slow-header clients (slowloris) hold neither every thread nor their connection: with 60 of
// them trickling a header a byte at a time, a normal request is answered, and each slow
// connection is closed once its request's deadline has passed.
TEST_F(PublicHttpTest, SlowClientsDoNotStopTheServer) {
  auto slow = testing_support::SlowClients::Open("127.0.0.2", "127.0.0.1", http_->port(), 60,
                                                 "GET /healthz HTTP/1.1\r\nHost: node\r\nX-Slow: ");
  ASSERT_TRUE(slow.ok()) << slow.status();

  httplib::Client client("127.0.0.1", http_->port());
  client.set_connection_timeout(std::chrono::seconds(20));
  client.set_read_timeout(std::chrono::seconds(20));
  auto answered = client.Get("/healthz");
  EXPECT_TRUE(answered) << httplib::to_string(answered.error());
  if (answered) {
    EXPECT_EQ(answered->status, 200);
  }

  // Every slow connection ends, though its client keeps sending (bounded wait).
  EXPECT_TRUE((*slow)->WaitAllClosed(absl::Seconds(60)))
      << (*slow)->open_count() << " slow connections still open";
}

}  // namespace
}  // namespace microcred
