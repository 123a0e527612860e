// Issuance on the in-memory engines: issuing, the credential's verification with each failure
// the issue lists, status changes, cohorts, retries, the learner's side and erasure.
#include "services/issuance/issuance_service.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/eseal/self_signed.h"
#include "libs/events/envelope.h"
#include "libs/events/request_ids.h"
#include "libs/events/topics.h"
#include "libs/jades/jades.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/jws.h"
#include "libs/ports/testing/failing_event_log.h"
#include "libs/registry/public_keys.h"
#include "libs/registry/secretariat.h"
#include "libs/status_list/status_list.h"
#include "services/issuance/testing/fake_specifications.h"

namespace microcred::issuance {
namespace {

using catalogue::v1::Specification;
using common::v1::PROVIDER_TYPE_HIGHER_EDUCATION;
using common::v1::PROVIDER_TYPE_VET;
using nlohmann::json;

constexpr int64_t kNow = 1795700000000;  // 2026-11-26

Specification Spec(
    const std::string& id, uint32_t version, catalogue::v1::SpecificationContent c,
    catalogue::v1::SpecificationStatus status = catalogue::v1::SPECIFICATION_STATUS_PUBLISHED) {
  Specification spec;
  spec.set_specification_id(id);
  spec.set_version(version);
  spec.set_owner_institution(id.substr(0, id.find('/')));
  spec.set_status(status);
  *spec.mutable_content() = std::move(c);
  return spec;
}

auth::Caller Registrar(const std::string& inst) {
  return {.subject = "registrar@" + inst, .institution_id = inst, .roles = {"registrar"}};
}

struct Issuer {
  std::string id;
  crypto::SigningKey key = crypto::SigningKey::Generate();
  std::unique_ptr<EventLog> log;
  MemoryStateStore store;
  std::unique_ptr<events::EnvelopeSigner> signer;
  std::unique_ptr<IssuanceService> service;
};

// An EventLog whose appends fail on demand (defined with the tests that use it).

class IssuanceServiceTest : public testing::Test {
 protected:
  void SetUp() override {
    profile_ = std::make_unique<domain::PolicyProfile>(*domain::PolicyProfile::Named("fwb"));
    ASSERT_TRUE(root_.Define(log_, "alliance", profile_->ToRules(), {}).ok());
    specs_.Add(Spec("uclouvain/data", 1, catalogue::samples::DataLiteracy("uclouvain")));
    auto v2 = catalogue::samples::DataLiteracy("uclouvain");
    v2.mutable_workload()->set_ects(4);
    specs_.Add(Spec("uclouvain/data", 2, v2));
    specs_.Add(Spec("uclouvain/old", 1, catalogue::samples::AiEthics("uclouvain"),
                    catalogue::v1::SPECIFICATION_STATUS_WITHDRAWN));
    specs_.Add(Spec("technofutur/python", 1, catalogue::samples::PythonBasics("technofutur")));
    a_ = Join("uclouvain", PROVIDER_TYPE_HIGHER_EDUCATION);
    partner_ = Join("technofutur", PROVIDER_TYPE_VET);
  }

  std::unique_ptr<Issuer> Join(const std::string& id, common::v1::ProviderType type) {
    auto issuer = std::make_unique<Issuer>();
    issuer->id = id;
    registry::v1::MemberAdmitted member;
    member.set_institution_id(id);
    member.set_legal_name("Legal name of " + id);
    member.set_country("BE");
    member.set_provider_type(type);
    *member.add_keys() = registry::RegisteredKey(issuer->key.public_key());
    EXPECT_TRUE(root_.Admit(log_, member).ok());
    Start(*issuer);
    return issuer;
  }

  void Start(Issuer& issuer,
             v1::SecuringProfile securing_profile = v1::SECURING_PROFILE_OPEN_BADGES_JWT) {
    issuer.service.reset();
    issuer.log = log_.Share();
    issuer.signer =
        std::make_unique<events::EnvelopeSigner>(issuer.id, issuer.id + "-node", issuer.key);
    auto service = IssuanceService::Start({.log = *issuer.log,
                                           .store = issuer.store,
                                           .signer = *issuer.signer,
                                           .profile = *profile_,
                                           .trust_anchors = {root_.anchor()},
                                           .clock = Clock([this] { return now_ms_; })},
                                          {.public_url = "https://" + issuer.id + ".example",
                                           .pseudonym_secret = std::string(32, 'p'),
                                           .vault_master_key = std::string(32, 'v'),
                                           .securing_profile = securing_profile},
                                          issuer.key, specs_);
    ASSERT_TRUE(service.ok()) << service.status();
    issuer.service = *std::move(service);
  }

  v1::IssueCredentialRequest Request(const std::string& request_id,
                                     const std::string& spec = "uclouvain/data") {
    v1::IssueCredentialRequest r;
    r.set_request_id(request_id);
    r.set_specification_id(spec);
    v1::LearnerIdentity* learner = r.mutable_learner();
    learner->set_learner_id("s-" + request_id);
    learner->set_given_name("Amélie");
    learner->set_family_name("Dubois");
    learner->set_email("amelie.dubois@example.org");
    r.mutable_issued_on()->set_year(2026);
    r.mutable_issued_on()->set_month(11);
    r.mutable_issued_on()->set_day(20);
    r.set_place_of_issuing("Louvain-la-Neuve");
    r.mutable_grade()->set_value("16/20");
    r.mutable_grade()->set_grading_scheme("Belgian 0-20 scale");
    r.set_mode_of_acquisition(v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    return r;
  }

  v1::IssuedCredential MustIssue(const v1::IssueCredentialRequest& request) {
    auto issued = a_->service->Issue(Registrar("uclouvain"), request);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? *issued : v1::IssuedCredential();
  }

  v1::VerificationReport Verify(const std::string& jws) {
    v1::VerifyCredentialRequest request;
    request.set_jws(jws);
    return a_->service->Verify(request);
  }

  static const v1::VerificationCheck& Check(const v1::VerificationReport& report,
                                            const std::string& name) {
    for (const auto& check : report.checks()) {
      if (check.name() == name) return check;
    }
    static v1::VerificationCheck missing;
    return missing;
  }

  int64_t IssuanceEvents() { return log_.EndPositions(topics::kIssuance)->begin()->second; }

  // Admits `b` (its specification "<id>/data" in the catalogue) with its Ed25519 key and `more`.
  void AdmitWithKeys(Issuer& b, const std::vector<registry::v1::PublicKey>& more) {
    registry::v1::MemberAdmitted member;
    member.set_institution_id(b.id);
    member.set_legal_name("Legal name of " + b.id);
    member.set_country("BE");
    member.set_provider_type(PROVIDER_TYPE_HIGHER_EDUCATION);
    *member.add_keys() = registry::RegisteredKey(b.key.public_key());
    for (const registry::v1::PublicKey& key : more) *member.add_keys() = key;
    ASSERT_TRUE(root_.Admit(log_, member).ok());
    specs_.Add(Spec(b.id + "/data", 1, catalogue::samples::DataLiteracy(b.id)));
  }

  // (Re)starts `b`'s service with `options` beside the test's URL and secrets.
  void StartWith(Issuer& b, IssuanceOptions options) {
    b.service.reset();
    b.log = log_.Share();
    b.signer = std::make_unique<events::EnvelopeSigner>(b.id, b.id + "-node", b.key);
    options.public_url = "https://" + b.id + ".example";
    options.pseudonym_secret = std::string(32, 'p');
    options.vault_master_key = std::string(32, 'v');
    auto service = IssuanceService::Start({.log = *b.log,
                                           .store = b.store,
                                           .signer = *b.signer,
                                           .profile = *profile_,
                                           .trust_anchors = {root_.anchor()},
                                           .clock = Clock([this] { return now_ms_; })},
                                          std::move(options), b.key, specs_);
    ASSERT_TRUE(service.ok()) << service.status();
    b.service = *std::move(service);
  }

  // The algorithm `b` signed `issued` with, in its JWS header, in its record and in its event.
  std::vector<std::string> AlgorithmsOf(const Issuer& b, const v1::IssuedCredential& issued) {
    std::vector<std::string> seen;
    auto parsed = jose::ParseCompact(issued.jws());
    seen.push_back(parsed.ok() ? std::string(jose::JwsAlgorithmName(parsed->algorithm)) : "");
    auto record = b.service->read_model().state().Issued(issued.credential_id());
    seen.push_back(record.ok() && record->has_value()
                       ? v1::SignatureAlgorithm_Name((*record)->signature_algorithm())
                       : "");
    auto reader = log_.OpenReader({topics::kIssuance}, {});
    auto records = (*reader)->Poll(std::chrono::milliseconds(50));
    std::string in_event;
    for (const LogRecord& r : records.ok() ? *records : std::vector<LogRecord>()) {
      auto env = events::ParseEnvelope(r.value);
      if (!env.ok()) continue;
      auto event = events::UnpackPayload<v1::CredentialIssued>(env->body);
      if (event.ok() && event->credential_id() == issued.credential_id()) {
        in_event = v1::SignatureAlgorithm_Name(event->signature_algorithm());
      }
    }
    seen.push_back(in_event);
    return seen;
  }

  // The CredentialIssued events in the log, by credential id.
  std::map<std::string, v1::CredentialIssued> IssuedEvents() {
    std::map<std::string, v1::CredentialIssued> events;
    auto reader = log_.OpenReader({topics::kIssuance}, {});
    auto records = (*reader)->Poll(std::chrono::milliseconds(50));
    for (const auto& record : *records) {
      auto envelope = events::ParseEnvelope(record.value);
      if (!envelope.ok()) continue;
      auto event = events::UnpackPayload<v1::CredentialIssued>(envelope->body);
      if (event.ok()) events[event->credential_id()] = *event;
    }
    return events;
  }

  v1::IssuedRecord Record(const std::string& credential_id) {
    auto record = a_->service->read_model().state().Issued(credential_id);
    EXPECT_TRUE(record.ok() && record->has_value());
    return record.ok() && record->has_value() ? **record : v1::IssuedRecord();
  }

  // Appends an issuance event signed with `issuer`'s registered key, as a member acting in bad
  // faith can (it needs no node of its own), and lets `a_` read it.
  void AppendSignedBy(const Issuer& issuer, const google::protobuf::Message& event,
                      const std::string& credential_id) {
    events::EnvelopeSigner signer(issuer.id, issuer.id + "-rogue", issuer.key);
    AppendRaw(signer.Seal(event, {.partition_key = credential_id}), credential_id);
  }
  void AppendRaw(const std::string& envelope, const std::string& credential_id) {
    ASSERT_TRUE(log_.Append({topics::kIssuance, credential_id, envelope}).ok());
    ASSERT_TRUE(a_->service->projector().Sync(absl::Seconds(10)).ok());
  }
  v1::KnownCredential Known(const std::string& credential_id) {
    auto known = a_->service->read_model().FindCredential(credential_id);
    EXPECT_TRUE(known.ok() && known->has_value());
    return known.ok() && known->has_value() ? **known : v1::KnownCredential();
  }

  std::pair<testing_ports::FailingEventLog*, absl::StatusOr<std::unique_ptr<IssuanceService>>>
  RestartOnFailingLog();

  MemoryEventLog log_;
  registry::Secretariat root_{"alliance", crypto::SigningKey::Generate()};
  std::unique_ptr<domain::PolicyProfile> profile_;
  FakeSpecifications specs_;
  int64_t now_ms_ = kNow;
  std::unique_ptr<Issuer> a_, partner_;
};

TEST_F(IssuanceServiceTest, IssuedCredentialVerifiesWithEveryCheckPassed) {
  v1::IssuedCredential issued = MustIssue(Request("r1"));
  EXPECT_EQ(issued.credential_id().rfind("urn:uuid:", 0), 0u);
  EXPECT_EQ(issued.status(), v1::CREDENTIAL_STATUS_ACTIVE);
  v1::VerificationReport report = Verify(issued.jws());
  EXPECT_TRUE(report.valid());
  for (const auto& check : report.checks()) EXPECT_TRUE(check.passed()) << check.name();
  EXPECT_EQ(report.checks_size(), 7);
  EXPECT_EQ(report.issuer(), "uclouvain");
  EXPECT_EQ(report.specification_version(), 2u);  // 0 asked for the latest
}

// The default profile, Open Badges 3.0: header alg, kid, typ "JWT"; the credential's members
// and the registered claims that copy them; the record and the event say which profile.
TEST_F(IssuanceServiceTest, CredentialsAreSecuredInTheOpenBadgesProfileByDefault) {
  v1::IssueCredentialRequest request = Request("r-ob");
  request.mutable_valid_until()->set_year(2030);
  request.mutable_valid_until()->set_month(6);
  request.mutable_valid_until()->set_day(30);
  v1::IssuedCredential issued = MustIssue(request);
  auto parsed = jose::ParseCompact(issued.jws());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->header, (json{{"alg", "EdDSA"}, {"kid", parsed->kid}, {"typ", "JWT"}}));
  const json payload = json::parse(parsed->payload);
  EXPECT_EQ(payload["iss"], payload["issuer"]["id"]);
  EXPECT_EQ(payload["iss"], "https://uclouvain.example/institutions/uclouvain");
  EXPECT_EQ(payload["jti"], issued.credential_id());
  EXPECT_EQ(payload["sub"], payload["credentialSubject"]["id"]);
  EXPECT_EQ(payload["nbf"], 1795132800);  // 2026-11-20T00:00:00Z, validFrom
  EXPECT_EQ(payload["validFrom"], "2026-11-20T00:00:00Z");
  EXPECT_EQ(payload["exp"], 1909094399);  // 2030-06-30T23:59:59Z, validUntil
  EXPECT_FALSE(payload.contains("iat"));

  EXPECT_EQ(Record(issued.credential_id()).securing_profile(),
            v1::SECURING_PROFILE_OPEN_BADGES_JWT);
  EXPECT_EQ(IssuedEvents()[issued.credential_id()].securing_profile(),
            v1::SECURING_PROFILE_OPEN_BADGES_JWT);
  v1::VerificationReport report = Verify(issued.jws());
  EXPECT_TRUE(report.valid()) << report.DebugString();
  EXPECT_EQ(report.securing_profile(), v1::SECURING_PROFILE_OPEN_BADGES_JWT);
  EXPECT_EQ(report.signature_algorithm(), v1::SIGNATURE_ALGORITHM_EDDSA);

  // Without a validUntil there is no exp.
  const json open_ended =
      json::parse(jose::ParseCompact(MustIssue(Request("r-ob-2")).jws())->payload);
  EXPECT_FALSE(open_ended.contains("exp"));
  EXPECT_TRUE(open_ended.contains("nbf"));
}

TEST_F(IssuanceServiceTest, ARequestNamesItsProfile) {
  v1::IssueCredentialRequest request = Request("r-vc");
  request.set_securing_profile(v1::SECURING_PROFILE_VC_JOSE_COSE);
  v1::IssuedCredential issued = MustIssue(request);
  auto parsed = jose::ParseCompact(issued.jws());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->header,
            (json{{"alg", "EdDSA"}, {"kid", parsed->kid}, {"typ", "vc+jwt"}, {"cty", "vc"}}));
  const json payload = json::parse(parsed->payload);
  for (const char* claim : {"iss", "jti", "sub", "nbf", "exp"}) {
    EXPECT_FALSE(payload.contains(claim)) << claim;  // the credential, unchanged
  }
  EXPECT_EQ(Record(issued.credential_id()).securing_profile(), v1::SECURING_PROFILE_VC_JOSE_COSE);
  EXPECT_EQ(IssuedEvents()[issued.credential_id()].securing_profile(),
            v1::SECURING_PROFILE_VC_JOSE_COSE);
  v1::VerificationReport report = Verify(issued.jws());
  EXPECT_TRUE(report.valid()) << report.DebugString();
  EXPECT_EQ(report.securing_profile(), v1::SECURING_PROFILE_VC_JOSE_COSE);

  // A cohort takes the same path: each row its own profile, the node's default for none.
  v1::IssueCredentialsRequest cohort;
  *cohort.add_rows() = Request("r-cohort-ob");
  *cohort.add_rows() = Request("r-cohort-vc");
  cohort.mutable_rows(1)->set_securing_profile(v1::SECURING_PROFILE_VC_JOSE_COSE);
  auto response = a_->service->IssueMany(Registrar("uclouvain"), cohort);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->issued(), 2);
  EXPECT_EQ(jose::ParseCompact(response->results(0).credential().jws())->typ, "JWT");
  EXPECT_EQ(jose::ParseCompact(response->results(1).credential().jws())->typ, "vc+jwt");
  EXPECT_TRUE(Verify(response->results(0).credential().jws()).valid());
  EXPECT_TRUE(Verify(response->results(1).credential().jws()).valid());
}

TEST_F(IssuanceServiceTest, TheNodesDefaultProfileServesRequestsThatNameNone) {
  Start(*a_, v1::SECURING_PROFILE_VC_JOSE_COSE);
  v1::IssuedCredential issued = MustIssue(Request("r-node-vc"));
  EXPECT_EQ(jose::ParseCompact(issued.jws())->typ, "vc+jwt");
  EXPECT_EQ(Record(issued.credential_id()).securing_profile(), v1::SECURING_PROFILE_VC_JOSE_COSE);
  v1::IssueCredentialRequest ob = Request("r-node-ob");
  ob.set_securing_profile(v1::SECURING_PROFILE_OPEN_BADGES_JWT);
  EXPECT_EQ(jose::ParseCompact(MustIssue(ob).jws())->typ, "JWT");
}

// Exports follow the profile: the JWS with its media type; the credential as JSON without the
// claims the Open Badges profile adds beside it.
TEST_F(IssuanceServiceTest, ExportsGiveTheCredentialWithoutTheJwtClaims) {
  auth::Caller learner{
      .subject = "s-r-export", .institution_id = "uclouvain", .roles = {"learner"}};
  v1::IssuedCredential ob = MustIssue(Request("r-export"));
  v1::ExportCredentialRequest request;
  request.set_credential_id(ob.credential_id());
  request.set_format(v1::EXPORT_FORMAT_JWS);
  auto jws = a_->service->Export(learner, request);
  ASSERT_TRUE(jws.ok()) << jws.status();
  EXPECT_EQ(jws->media_type(), "application/jwt");
  EXPECT_EQ(jws->content(), ob.jws());
  request.set_format(v1::EXPORT_FORMAT_OPEN_BADGE_JSON);
  auto document = a_->service->Export(learner, request);
  ASSERT_TRUE(document.ok()) << document.status();
  const json credential = json::parse(document->content());
  json payload = json::parse(jose::ParseCompact(ob.jws())->payload);
  for (const char* claim : {"iss", "jti", "sub", "nbf", "exp"}) payload.erase(claim);
  EXPECT_EQ(credential, payload);
  EXPECT_EQ(document->content().rfind(R"({"@context":)", 0), 0u);  // the members' own order

  auth::Caller other{
      .subject = "s-r-export-vc", .institution_id = "uclouvain", .roles = {"learner"}};
  v1::IssueCredentialRequest vc_request = Request("r-export-vc");
  vc_request.set_securing_profile(v1::SECURING_PROFILE_VC_JOSE_COSE);
  request.set_credential_id(MustIssue(vc_request).credential_id());
  request.set_format(v1::EXPORT_FORMAT_JWS);
  EXPECT_EQ(a_->service->Export(other, request)->media_type(), "application/vc+jwt");
}

TEST_F(IssuanceServiceTest, CredentialFreezesTheRequestedSpecificationVersion) {
  v1::IssueCredentialRequest request = Request("r-v1");
  request.set_specification_version(1);
  v1::IssuedCredential issued = MustIssue(request);
  EXPECT_EQ(issued.specification_version(), 1u);
  auto parsed = jose::ParseCompact(issued.jws());
  ASSERT_TRUE(parsed.ok());
  const nlohmann::json payload = nlohmann::json::parse(parsed->payload);
  // Version 1 of the specification awards 3 ECTS; the latest awards more.
  EXPECT_EQ(payload["credentialSubject"]["achievement"]["creditsAvailable"], 3);
}

TEST_F(IssuanceServiceTest, EventsCarryNoPersonalData) {
  MustIssue(Request("r-privacy"));
  auto reader = log_.OpenReader({topics::kIssuance}, {});
  auto records = (*reader)->Poll(std::chrono::milliseconds(50));
  ASSERT_EQ(records->size(), 1u);
  for (const char* personal :
       {"Amélie", "Dubois", "amelie.dubois", "s-r-privacy", "Louvain-la-Neuve", "16/20"}) {
    EXPECT_EQ(records->at(0).value.find(personal), std::string::npos) << personal;
  }
}

TEST_F(IssuanceServiceTest, TamperedPayloadFailsTheSignatureCheck) {
  v1::IssuedCredential issued = MustIssue(Request("r-tamper"));
  auto parts = issued.jws();
  size_t first = parts.find('.'), second = parts.find('.', first + 1);
  std::string payload = *crypto::Base64UrlDecode(parts.substr(first + 1, second - first - 1));
  payload.replace(payload.find("16/20"), 5, "20/20");
  std::string forged =
      parts.substr(0, first + 1) + crypto::Base64UrlEncode(payload) + parts.substr(second);
  v1::VerificationReport report = Verify(forged);
  EXPECT_FALSE(report.valid());
  EXPECT_FALSE(Check(report, "signature").passed());
  EXPECT_TRUE(Check(report, "issuer").passed());
}

TEST_F(IssuanceServiceTest, WrongAndUnknownKeysFailTheIssuerOrSignatureCheck) {
  v1::IssuedCredential issued = MustIssue(Request("r-keys"));
  auto parsed = jose::ParseCompact(issued.jws());
  ASSERT_TRUE(parsed.ok());
  // Signed by a key nobody registered, under a kid nobody registered.
  jose::Ed25519JwsSigner stranger(crypto::SigningKey::Generate(),
                                  "https://uclouvain.example/institutions/uclouvain#ed25519:0");
  v1::VerificationReport unknown =
      Verify(jose::SignCompact(stranger, jose::VcJwtHeader(), parsed->payload));
  EXPECT_FALSE(Check(unknown, "issuer").passed());
  EXPECT_NE(Check(unknown, "issuer").detail().find("not registered"), std::string::npos);
  // Signed by another key under uclouvain's registered kid: the signature fails.
  jose::Ed25519JwsSigner wrong(crypto::SigningKey::Generate(), parsed->kid);
  v1::VerificationReport wrong_key =
      Verify(jose::SignCompact(wrong, jose::VcJwtHeader(), parsed->payload));
  EXPECT_TRUE(Check(wrong_key, "issuer").passed());
  EXPECT_FALSE(Check(wrong_key, "signature").passed());
}

TEST_F(IssuanceServiceTest, SignedButNeverIssuedDocumentFailsTheIssuedCheck) {
  v1::IssuedCredential issued = MustIssue(Request("r-unissued"));
  auto parsed = jose::ParseCompact(issued.jws());
  std::string payload = parsed->payload;
  payload.replace(payload.find("16/20"), 5, "19/20");
  // The issuer's own key signs a document it never recorded.
  jose::Ed25519JwsSigner issuer_key(a_->key, parsed->kid);
  v1::VerificationReport report =
      Verify(jose::SignCompact(issuer_key, jose::VcJwtHeader(), payload));
  EXPECT_TRUE(Check(report, "signature").passed());
  EXPECT_FALSE(Check(report, "issued").passed());
  EXPECT_FALSE(report.valid());
}

TEST_F(IssuanceServiceTest, MalformedJwsFailsTheFormatCheck) {
  for (const std::string& bad : {std::string(""), std::string("a.b"), std::string("a.b.c.d"),
                                 std::string("eyJhbGciOiJub25lIn0.e30.")}) {
    v1::VerificationReport report = Verify(bad);
    EXPECT_FALSE(report.valid()) << bad;
    EXPECT_FALSE(Check(report, "format").passed()) << bad;
    EXPECT_EQ(report.checks_size(), 7) << "every check is reported";
  }
}

TEST_F(IssuanceServiceTest, RevokedAndSuspendedCredentialsFailTheStatusCheck) {
  v1::IssuedCredential issued = MustIssue(Request("r-status"));
  v1::ChangeStatusRequest change;
  change.set_request_id("suspend-1");
  change.set_credential_id(issued.credential_id());
  change.set_reason("assessment under review");
  auto suspended = a_->service->Suspend(Registrar("uclouvain"), change);
  ASSERT_TRUE(suspended.ok()) << suspended.status();
  EXPECT_EQ(suspended->status(), v1::CREDENTIAL_STATUS_SUSPENDED);
  v1::VerificationReport report = Verify(issued.jws());
  EXPECT_FALSE(Check(report, "status").passed());
  EXPECT_NE(Check(report, "status").detail().find("SUSPENDED"), std::string::npos);
  EXPECT_NE(Check(report, "status").detail().find("under review"), std::string::npos);

  change.set_request_id("reinstate-1");
  change.set_reason("review closed");
  ASSERT_TRUE(a_->service->Reinstate(Registrar("uclouvain"), change).ok());
  EXPECT_TRUE(Verify(issued.jws()).valid());

  change.set_request_id("revoke-1");
  change.set_reason("academic misconduct");
  ASSERT_TRUE(a_->service->Revoke(Registrar("uclouvain"), change).ok());
  report = Verify(issued.jws());
  EXPECT_FALSE(report.valid());
  EXPECT_EQ(report.status(), v1::CREDENTIAL_STATUS_REVOKED);
  // Revocation is final.
  change.set_request_id("reinstate-2");
  EXPECT_EQ(a_->service->Reinstate(Registrar("uclouvain"), change).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// The payload of the issuer's signed `purpose` status list, its signature checked with the
// issuer's key.
json StatusListPayload(const IssuanceService& service, const crypto::SigningKey& key,
                       const std::string& purpose) {
  auto list = service.StatusList(purpose);
  EXPECT_TRUE(list.ok()) << list.status();
  if (!list.ok()) return json();
  auto parsed = jose::ParseCompact(*list);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (!parsed.ok()) return json();
  EXPECT_TRUE(jose::VerifyJws(*parsed, {.ed25519_public_key = key.public_key()}));
  return json::parse(parsed->payload);
}

// Entry `index` of the issuer's `purpose` list, decoded from its encodedList.
uint32_t ListEntry(const IssuanceService& service, const crypto::SigningKey& key,
                   const std::string& purpose, int32_t index) {
  const json subject = StatusListPayload(service, key, purpose)["credentialSubject"];
  auto list = status_list::StatusList::Decode(subject.value("encodedList", ""),
                                              subject.value("statusSize", 1));
  EXPECT_TRUE(list.ok()) << list.status();
  if (!list.ok()) return 99;
  auto value = list->Get(index);
  EXPECT_TRUE(value.ok()) << value.status();
  return value.ok() ? *value : 99;
}

// The message list carries each credential's code (0 active, 1 revoked, 2 suspended) at its
// index, next to the 1-bit revocation and suspension lists, through every status change.
TEST_F(IssuanceServiceTest, MessageStatusListFollowsRevokeSuspendAndReinstate) {
  const v1::IssuedCredential issued = MustIssue(Request("r-message"));
  const v1::IssuedCredential other = MustIssue(Request("r-message-other"));
  const int32_t index = issued.status_list_index();
  const IssuanceService& service = *a_->service;
  const crypto::SigningKey& key = a_->key;

  const json credential = json::parse(jose::ParseCompact(issued.jws())->payload);
  const json& entry = credential["credentialStatus"];
  ASSERT_TRUE(entry.is_object()) << entry;
  EXPECT_EQ(entry["statusListCredential"],
            "https://uclouvain.example/institutions/uclouvain/status/message");
  EXPECT_EQ(entry["statusListIndex"], std::to_string(index));

  const json payload = StatusListPayload(service, key, "message");
  EXPECT_EQ(payload["id"], entry["statusListCredential"]);
  EXPECT_EQ(payload["credentialSubject"]["statusPurpose"], "message");
  EXPECT_EQ(payload["credentialSubject"]["statusSize"], 2);
  EXPECT_EQ(payload["credentialSubject"]["statusMessages"], entry["statusMessage"]);
  EXPECT_EQ(ListEntry(service, key, "message", index), 0u);

  v1::ChangeStatusRequest change;
  change.set_credential_id(issued.credential_id());
  change.set_reason("assessment under review");
  change.set_request_id("message-suspend");
  ASSERT_TRUE(a_->service->Suspend(Registrar("uclouvain"), change).ok());
  EXPECT_EQ(ListEntry(service, key, "message", index), 2u);
  EXPECT_EQ(ListEntry(service, key, "suspension", index), 1u);
  EXPECT_EQ(ListEntry(service, key, "revocation", index), 0u);

  change.set_request_id("message-reinstate");
  ASSERT_TRUE(a_->service->Reinstate(Registrar("uclouvain"), change).ok());
  EXPECT_EQ(ListEntry(service, key, "message", index), 0u);
  EXPECT_EQ(ListEntry(service, key, "suspension", index), 0u);

  change.set_request_id("message-revoke");
  ASSERT_TRUE(a_->service->Revoke(Registrar("uclouvain"), change).ok());
  EXPECT_EQ(ListEntry(service, key, "message", index), 1u);
  EXPECT_EQ(ListEntry(service, key, "revocation", index), 1u);
  EXPECT_EQ(ListEntry(service, key, "suspension", index), 0u);
  EXPECT_EQ(ListEntry(service, key, "message", other.status_list_index()), 0u);

  EXPECT_EQ(service.StatusList("refresh").status().code(), absl::StatusCode::kInvalidArgument);
  const json reference = json::parse(service.StatusReference());
  EXPECT_EQ(reference["id"], entry["statusReference"]);
  EXPECT_EQ(reference["statusLists"][0]["statusListCredential"], entry["statusListCredential"]);
}

// Issue 12, item 4: credential ids are first-writer-wins across issuers, so another member
// must not be able to take one before its issuer publishes it (it was derived from the request
// id), nor shadow or change it afterwards.
TEST_F(IssuanceServiceTest, AnotherIssuerCannotTakeShadowOrChangeACredentialId) {
  // The id the previous version derived from the request id, claimed first by the partner.
  std::string h = events::EventIdForRequest("uclouvain", "r-next");
  h[12] = '4';
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) % 4];
  const std::string predicted = "urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" +
                                h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
  auto claim = [](const std::string& credential_id) {
    v1::CredentialIssued claim;
    claim.set_credential_id(credential_id);
    claim.set_learner_pseudonym("lp1_someone");
    claim.set_specification_id("technofutur/python");
    claim.set_signature_sha256(std::string(32, 'x'));
    return claim;
  };
  std::unique_ptr<Issuer> rogue = Join("rogue", PROVIDER_TYPE_HIGHER_EDUCATION);
  AppendSignedBy(*rogue, claim(predicted), predicted);
  ASSERT_EQ(Known(predicted).issuer(), "rogue");

  v1::IssuedCredential issued = MustIssue(Request("r-next"));
  EXPECT_NE(issued.credential_id(), predicted);
  EXPECT_TRUE(Verify(issued.jws()).valid());

  // Once published: another member's copy under the same id, and its status changes, are
  // refused.
  const auto refused = [&] { return a_->service->projector().counters().refused_by_reason; };
  AppendSignedBy(*rogue, claim(issued.credential_id()), issued.credential_id());
  EXPECT_EQ(refused()["CONFLICT"], 1);
  v1::CredentialRevoked revoked;
  revoked.set_credential_id(issued.credential_id());
  revoked.set_reason("hostile");
  AppendSignedBy(*rogue, revoked, issued.credential_id());
  v1::CredentialSuspended suspended;
  suspended.set_credential_id(issued.credential_id());
  suspended.set_reason("hostile");
  AppendSignedBy(*rogue, suspended, issued.credential_id());
  EXPECT_EQ(refused()["NOT_OWNER"], 2);
  const v1::KnownCredential known = Known(issued.credential_id());
  EXPECT_EQ(known.issuer(), "uclouvain");
  EXPECT_EQ(known.status(), v1::CREDENTIAL_STATUS_ACTIVE);
  EXPECT_EQ(known.history_size(), 1);
  EXPECT_TRUE(Verify(issued.jws()).valid());
}

// Issue 12, item 4, the issue's example: another member publishes, under its own valid
// signature, an event of its own carrying the id of the university's next revocation. The
// revocation is applied at every node, and its caller is told so only because it was.
TEST_F(IssuanceServiceTest, ASquattedEventIdDoesNotDropTheIssuersRevocation) {
  v1::IssuedCredential issued = MustIssue(Request("r-squat"));
  std::unique_ptr<Issuer> rogue = Join("rogue", PROVIDER_TYPE_HIGHER_EDUCATION);
  const std::string own_id = "urn:uuid:0f0e0d0c-0b0a-4908-8706-050403020100";
  v1::CredentialIssued own;  // the rogue's own credential: applied everywhere
  own.set_credential_id(own_id);
  own.set_learner_pseudonym("lp1_someone");
  own.set_specification_id("rogue/anything");
  own.set_signature_sha256(std::string(32, 'x'));
  events::EnvelopeSigner signer("rogue", "uclouvain-node", rogue->key);  // even our node's name
  AppendRaw(signer.Seal(own, {.partition_key = own_id,
                              .request_id = "revoke-1",
                              .event_id = events::EventIdForRequest("uclouvain", "revoke-1")}),
            own_id);
  ASSERT_EQ(Known(own_id).issuer(), "rogue");

  v1::ChangeStatusRequest change;
  change.set_request_id("revoke-1");
  change.set_credential_id(issued.credential_id());
  change.set_reason("academic misconduct");
  auto revoked = a_->service->Revoke(Registrar("uclouvain"), change);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->status(), v1::CREDENTIAL_STATUS_REVOKED);
  EXPECT_EQ(Known(issued.credential_id()).status(), v1::CREDENTIAL_STATUS_REVOKED);
  ASSERT_TRUE(partner_->service->projector().Sync(absl::Seconds(10)).ok());
  auto at_partner = partner_->service->read_model().FindCredential(issued.credential_id());
  ASSERT_TRUE(at_partner.ok() && at_partner->has_value());
  EXPECT_EQ((*at_partner)->status(), v1::CREDENTIAL_STATUS_REVOKED);
  EXPECT_EQ(a_->service->projector().counters().duplicates_skipped, 0);
}

// Issue 12, item 5: a refused reinstatement, re-appended from the dead-letter topic after a new
// suspension, is a duplicate and is not applied.
TEST_F(IssuanceServiceTest, ARefusedReinstatementReplayedAfterANewSuspensionIsNotApplied) {
  v1::IssuedCredential issued = MustIssue(Request("r-replay"));
  v1::CredentialSuspended reinstate;
  reinstate.set_credential_id(issued.credential_id());
  reinstate.set_reason("reinstated early");
  reinstate.set_reinstated(true);
  AppendSignedBy(*a_, reinstate, issued.credential_id());  // the credential is active: refused
  auto letters = log_.OpenReader({topics::kDeadLetter}, {});
  auto records = (*letters)->Poll(std::chrono::milliseconds(50));
  ASSERT_FALSE(records->empty());  // one per node
  events::v1::DeadLetter letter;
  ASSERT_TRUE(letter.ParseFromString(records->at(0).value));
  EXPECT_EQ(letter.reason_code(), "POLICY_VIOLATION");

  v1::ChangeStatusRequest change;
  change.set_request_id("suspend-after");
  change.set_credential_id(issued.credential_id());
  change.set_reason("assessment under review");
  ASSERT_TRUE(a_->service->Suspend(Registrar("uclouvain"), change).ok());

  AppendRaw(letter.record_value(), issued.credential_id());  // anyone may read and re-append it
  EXPECT_EQ(Known(issued.credential_id()).status(), v1::CREDENTIAL_STATUS_SUSPENDED);
  EXPECT_EQ(a_->service->projector().counters().refused_by_reason["DUPLICATE_EVENT"], 1);
  EXPECT_FALSE(Verify(issued.jws()).valid());
}

TEST_F(IssuanceServiceTest, ExpiredAndNotYetValidCredentialsFailTheValidityCheck) {
  v1::IssueCredentialRequest request = Request("r-expiry");
  request.mutable_valid_until()->set_year(2027);
  request.mutable_valid_until()->set_month(1);
  request.mutable_valid_until()->set_day(1);
  v1::IssuedCredential issued = MustIssue(request);
  EXPECT_TRUE(Verify(issued.jws()).valid());
  now_ms_ = kNow + int64_t{90} * 24 * 3600 * 1000;  // March 2027
  v1::VerificationReport report = Verify(issued.jws());
  EXPECT_FALSE(Check(report, "validity").passed());
  EXPECT_NE(Check(report, "validity").detail().find("expired"), std::string::npos);
  now_ms_ = kNow - int64_t{30} * 24 * 3600 * 1000;  // before validFrom
  EXPECT_FALSE(Check(Verify(issued.jws()), "validity").passed());
}

TEST_F(IssuanceServiceTest, IssuerNotAllowedByThePolicyIsRefused) {
  // Even for a specification it awards (published under another profile, or before the
  // ecosystem adopted fwb), a VET provider may not issue under fwb.
  auto refused =
      partner_->service->Issue(Registrar("technofutur"), Request("r-vet", "technofutur/python"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("policy profile fwb"), std::string::npos);
  EXPECT_EQ(IssuanceEvents(), 0);
}

TEST_F(IssuanceServiceTest, SpecificationRulesAreEnforced) {
  auto withdrawn = a_->service->Issue(Registrar("uclouvain"), Request("r-w", "uclouvain/old"));
  EXPECT_EQ(withdrawn.status().code(), absl::StatusCode::kFailedPrecondition);
  auto unknown = a_->service->Issue(Registrar("uclouvain"), Request("r-u", "uclouvain/none"));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  v1::IssueCredentialRequest bad_version = Request("r-v9");
  bad_version.set_specification_version(9);
  EXPECT_EQ(a_->service->Issue(Registrar("uclouvain"), bad_version).status().code(),
            absl::StatusCode::kNotFound);
  auto not_ours = a_->service->Issue(Registrar("uclouvain"), Request("r-n", "technofutur/python"));
  EXPECT_EQ(not_ours.status().code(), absl::StatusCode::kPermissionDenied);
  auto other_token = a_->service->Issue(Registrar("technofutur"), Request("r-t"));
  EXPECT_EQ(other_token.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(IssuanceEvents(), 0);
}

TEST_F(IssuanceServiceTest, InvalidElementsAreRefusedNamingTheField) {
  struct Case {
    std::function<void(v1::IssueCredentialRequest&)> spoil;
    std::string field;
  };
  std::vector<Case> cases = {
      {[](auto& r) { r.mutable_learner()->clear_learner_id(); }, "learner.learner_id"},
      {[](auto& r) { r.mutable_learner()->set_given_name(""); }, "learner.given_name"},
      {[](auto& r) { r.mutable_learner()->set_email("not-an-address"); }, "learner.email"},
      {[](auto& r) { r.clear_issued_on(); }, "issued_on"},
      {[](auto& r) { r.mutable_issued_on()->set_year(2030); }, "issued_on"},
      {[](auto& r) { r.mutable_issued_on()->set_day(31); }, "issued_on"},
      {[](auto& r) { r.clear_place_of_issuing(); }, "place_of_issuing"},
      {[](auto& r) { r.mutable_grade()->clear_grading_scheme(); }, "grade.grading_scheme"},
      {[](auto& r) { r.clear_mode_of_acquisition(); }, "mode_of_acquisition"},
      {[](auto& r) { r.clear_supervision_applied(); }, "supervision_applied"},
      {[](auto& r) { *r.mutable_valid_until() = r.issued_on(); }, "valid_until"},
      {[](auto& r) { r.set_signature_algorithm(v1::SIGNATURE_ALGORITHM_RS256); },
       "signature_algorithm"},
      {[](auto& r) { r.set_request_id("has space"); }, "request_id"},
      {[](auto& r) { r.set_securing_profile(static_cast<v1::SecuringProfile>(7)); },
       "securing_profile"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    v1::IssueCredentialRequest request = Request("bad-" + std::to_string(i));
    cases[i].spoil(request);
    auto result = a_->service->Issue(Registrar("uclouvain"), request);
    EXPECT_FALSE(result.ok()) << cases[i].field;
    EXPECT_EQ(std::string(result.status().message()).rfind(cases[i].field, 0), 0u)
        << cases[i].field << ": " << result.status();
  }
  EXPECT_EQ(IssuanceEvents(), 0);
}

TEST_F(IssuanceServiceTest, RetriedRequestReturnsTheSameCredentialAndWritesOnce) {
  v1::IssuedCredential first = MustIssue(Request("r-retry"));
  v1::IssuedCredential again = MustIssue(Request("r-retry"));
  EXPECT_EQ(first.credential_id(), again.credential_id());
  EXPECT_EQ(first.jws(), again.jws());
  EXPECT_EQ(IssuanceEvents(), 1);
  Start(*a_);  // a restarted node still knows the request
  EXPECT_EQ(MustIssue(Request("r-retry")).credential_id(), first.credential_id());
  EXPECT_EQ(IssuanceEvents(), 1);
}

TEST_F(IssuanceServiceTest, InstitutionWithARegisteredRsaKeyIssuesRs256Credentials) {
  auto rsa = jose::RsaPrivateKey::Generate();
  ASSERT_TRUE(rsa.ok());
  Issuer b;
  b.id = "uclouvain-rsa";
  registry::v1::MemberAdmitted member;
  member.set_institution_id(b.id);
  member.set_legal_name("RSA-only verifiers' friend");
  member.set_country("BE");
  member.set_provider_type(PROVIDER_TYPE_HIGHER_EDUCATION);
  *member.add_keys() = registry::RegisteredKey(b.key.public_key());
  registry::v1::PublicKey* key = member.add_keys();
  key->set_key_id(jose::RsaKeyFingerprint(rsa->PublicKeyDer()));
  key->set_rsa_public_key_der(rsa->PublicKeyDer());
  ASSERT_TRUE(root_.Admit(log_, member).ok());
  auto spec = catalogue::samples::DataLiteracy(b.id);
  specs_.Add(Spec(b.id + "/data", 1, spec));
  b.log = log_.Share();
  b.signer = std::make_unique<events::EnvelopeSigner>(b.id, b.id + "-node", b.key);
  auto service = IssuanceService::Start({.log = *b.log,
                                         .store = b.store,
                                         .signer = *b.signer,
                                         .profile = *profile_,
                                         .trust_anchors = {root_.anchor()},
                                         .clock = Clock([this] { return now_ms_; })},
                                        {.public_url = "https://rsa.example",
                                         .pseudonym_secret = std::string(32, 'p'),
                                         .vault_master_key = std::string(32, 'v'),
                                         .rsa_key = *rsa},
                                        b.key, specs_);
  ASSERT_TRUE(service.ok()) << service.status();
  v1::IssueCredentialRequest request = Request("r-rsa", b.id + "/data");
  request.set_signature_algorithm(v1::SIGNATURE_ALGORITHM_RS256);
  auto issued = (*service)->Issue(Registrar(b.id), request);
  ASSERT_TRUE(issued.ok()) << issued.status();
  auto parsed = jose::ParseCompact(issued->jws());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->algorithm, jose::JwsAlgorithm::kRS256);
  ASSERT_TRUE(a_->service->projector().Sync(absl::Seconds(5)).ok());
  v1::VerificationReport report = Verify(issued->jws());  // verified at another node
  EXPECT_TRUE(report.valid()) << report.DebugString();
  EXPECT_NE(Check(report, "signature").detail().find("RS256"), std::string::npos);
  // EdDSA stays the default for the same institution.
  auto eddsa = (*service)->Issue(Registrar(b.id), Request("r-rsa-2", b.id + "/data"));
  ASSERT_TRUE(eddsa.ok());
  EXPECT_EQ(jose::ParseCompact(eddsa->jws())->algorithm, jose::JwsAlgorithm::kEdDSA);
}

TEST_F(IssuanceServiceTest, InstitutionWithARegisteredP256KeyIssuesEs256ByDefault) {
  auto ec = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(ec.ok());
  Issuer b;
  b.id = "uclouvain-ec";
  AdmitWithKeys(b, {registry::RegisteredP256Key(ec->PublicKeyDer())});
  StartWith(b, {.ec_key = *ec});
  auto issued = b.service->Issue(Registrar(b.id), Request("r-ec", b.id + "/data"));
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_EQ(AlgorithmsOf(b, *issued),
            (std::vector<std::string>{"ES256", "SIGNATURE_ALGORITHM_ES256",
                                      "SIGNATURE_ALGORITHM_ES256"}));
  const std::string kid = jose::ParseCompact(issued->jws())->kid;
  EXPECT_NE(kid.find(jose::EcKeyFingerprint(ec->PublicKeyDer())), std::string::npos) << kid;
  ASSERT_TRUE(a_->service->projector().Sync(absl::Seconds(5)).ok());
  v1::VerificationReport report = Verify(issued->jws());  // verified at another node
  EXPECT_TRUE(report.valid()) << report.DebugString();
  EXPECT_NE(Check(report, "signature").detail().find("ES256"), std::string::npos);
  // The node's JWKS publishes the P-256 key for ES256.
  auto jwks = b.service->Jwks(b.id);
  ASSERT_TRUE(jwks.ok());
  auto keys = jose::FromJwks(nlohmann::json::parse(*jwks));
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[1].alg, jose::JwsAlgorithm::kES256);
  EXPECT_EQ((*keys)[1].kid, kid);

  // A request may still name EdDSA.
  v1::IssueCredentialRequest eddsa = Request("r-ec-2", b.id + "/data");
  eddsa.set_signature_algorithm(v1::SIGNATURE_ALGORITHM_EDDSA);
  auto second = b.service->Issue(Registrar(b.id), eddsa);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(AlgorithmsOf(b, *second)[0], "EdDSA");
}

TEST_F(IssuanceServiceTest, TheNodesDefaultAlgorithmAppliesToRequestsThatNameNone) {
  auto ec = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(ec.ok());
  Issuer b;
  b.id = "uclouvain-ec";
  AdmitWithKeys(b, {registry::RegisteredP256Key(ec->PublicKeyDer())});
  StartWith(b, {.ec_key = *ec, .credential_algorithm = v1::SIGNATURE_ALGORITHM_EDDSA});
  auto issued = b.service->Issue(Registrar(b.id), Request("r-default", b.id + "/data"));
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_EQ(AlgorithmsOf(b, *issued),
            (std::vector<std::string>{"EdDSA", "SIGNATURE_ALGORITHM_EDDSA",
                                      "SIGNATURE_ALGORITHM_EDDSA"}));
  v1::IssueCredentialRequest es256 = Request("r-named", b.id + "/data");
  es256.set_signature_algorithm(v1::SIGNATURE_ALGORITHM_ES256);
  auto named = b.service->Issue(Registrar(b.id), es256);
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(AlgorithmsOf(b, *named)[0], "ES256");
}

TEST_F(IssuanceServiceTest, Es256WithoutARegisteredP256KeyIsRefusedNamingTheField) {
  auto expect_refused = [&](Issuer& issuer, v1::IssueCredentialRequest request) {
    auto refused = issuer.service->Issue(Registrar(issuer.id), request);
    ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
    EXPECT_EQ(std::string(refused.status().message()).rfind("signature_algorithm: ", 0), 0u);
    EXPECT_NE(refused.status().message().find("P-256"), std::string::npos);
  };
  // A node without a P-256 key.
  v1::IssueCredentialRequest request = Request("r-no-ec");
  request.set_signature_algorithm(v1::SIGNATURE_ALGORITHM_ES256);
  expect_refused(*a_, request);
  // A node whose P-256 key is not registered for its institution: EdDSA by default.
  auto ec = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(ec.ok());
  Issuer b;
  b.id = "uclouvain-ec";
  AdmitWithKeys(b, {});
  StartWith(b, {.ec_key = *ec});
  request = Request("r-unregistered", b.id + "/data");
  auto eddsa = b.service->Issue(Registrar(b.id), request);
  ASSERT_TRUE(eddsa.ok()) << eddsa.status();
  EXPECT_EQ(AlgorithmsOf(b, *eddsa)[0], "EdDSA");
  request = Request("r-unregistered-es256", b.id + "/data");
  request.set_signature_algorithm(v1::SIGNATURE_ALGORITHM_ES256);
  expect_refused(b, request);
  // A node told to sign ES256 by default, without the key registered.
  StartWith(b, {.ec_key = *ec, .credential_algorithm = v1::SIGNATURE_ALGORITHM_ES256});
  expect_refused(b, Request("r-default-es256", b.id + "/data"));
  EXPECT_EQ(IssuanceEvents(), 1);
}

TEST_F(IssuanceServiceTest, RotatingTheP256KeyKeepsWhatTheOldKeySignedVerifiable) {
  auto old_key = jose::EcPrivateKey::Generate();
  auto new_key = jose::EcPrivateKey::Generate();
  ASSERT_TRUE(old_key.ok() && new_key.ok());
  Issuer b;
  b.id = "uclouvain-ec";
  const registry::v1::PublicKey old_registered =
      registry::RegisteredP256Key(old_key->PublicKeyDer());
  AdmitWithKeys(b, {old_registered});
  StartWith(b, {.ec_key = *old_key});
  auto before = b.service->Issue(Registrar(b.id), Request("r-before", b.id + "/data"));
  ASSERT_TRUE(before.ok()) << before.status();

  ASSERT_TRUE(root_
                  .RotateKey(log_, b.id, registry::RegisteredP256Key(new_key->PublicKeyDer()),
                             old_registered.key_id())
                  .ok());
  // Still on the retired key, the node signs nothing with it.
  ASSERT_TRUE(b.service->projector().Sync(absl::Seconds(5)).ok());
  v1::IssueCredentialRequest with_retired = Request("r-retired", b.id + "/data");
  with_retired.set_signature_algorithm(v1::SIGNATURE_ALGORITHM_ES256);
  EXPECT_EQ(b.service->Issue(Registrar(b.id), with_retired).status().code(),
            absl::StatusCode::kFailedPrecondition);
  StartWith(b, {.ec_key = *new_key});
  auto after = b.service->Issue(Registrar(b.id), Request("r-after", b.id + "/data"));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(AlgorithmsOf(b, *after)[0], "ES256");
  EXPECT_NE(
      jose::ParseCompact(after->jws())->kid.find(jose::EcKeyFingerprint(new_key->PublicKeyDer())),
      std::string::npos);

  ASSERT_TRUE(a_->service->projector().Sync(absl::Seconds(5)).ok());
  for (const auto* issued : {&*before, &*after}) {
    v1::VerificationReport report = Verify(issued->jws());
    EXPECT_TRUE(report.valid()) << report.DebugString();
  }
  // The retired key stays published.
  auto jwks = b.service->Jwks(b.id);
  ASSERT_TRUE(jwks.ok());
  EXPECT_EQ(jose::FromJwks(nlohmann::json::parse(*jwks))->size(), 3u);
}

// Restarts the first issuer's service on a FailingLog over the shared log: the log to make fail,
// and the service.
std::pair<testing_ports::FailingEventLog*, absl::StatusOr<std::unique_ptr<IssuanceService>>>
IssuanceServiceTest::RestartOnFailingLog() {
  Issuer& a = *a_;
  a.service.reset();
  auto failing = std::make_unique<testing_ports::FailingEventLog>(log_.Share());
  failing->only_topic = topics::kIssuance;
  testing_ports::FailingEventLog* log = failing.get();
  a.log = std::move(failing);
  return {log, IssuanceService::Start({.log = *a.log,
                                       .store = a.store,
                                       .signer = *a.signer,
                                       .profile = *profile_,
                                       .trust_anchors = {root_.anchor()},
                                       .clock = Clock([this] { return now_ms_; })},
                                      {.public_url = "https://uclouvain.example",
                                       .pseudonym_secret = std::string(32, 'p'),
                                       .vault_master_key = std::string(32, 'v')},
                                      a.key, specs_)};
}

TEST_F(IssuanceServiceTest, CrashBetweenStoringAndAppendingIsRepairedByTheRetry) {
  auto [log, service] = RestartOnFailingLog();
  ASSERT_TRUE(service.ok());
  log->failures = 1;
  auto lost = (*service)->Issue(Registrar("uclouvain"), Request("r-crash"));
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(IssuanceEvents(), 0);
  auto retried = (*service)->Issue(Registrar("uclouvain"), Request("r-crash"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(IssuanceEvents(), 1);
  auto again = (*service)->Issue(Registrar("uclouvain"), Request("r-crash"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->credential_id(), retried->credential_id());
  EXPECT_EQ(again->jws(), retried->jws());
  EXPECT_EQ(IssuanceEvents(), 1);
  v1::VerifyCredentialRequest verify;
  verify.set_jws(retried->jws());
  EXPECT_TRUE((*service)->Verify(verify).valid());
}

TEST_F(IssuanceServiceTest, RetryAfterAnAppendThatFailedButLandedReturnsTheLoggedCredential) {
  auto [log, service] = RestartOnFailingLog();
  ASSERT_TRUE(service.ok());
  log->failures = 1;
  log->written_anyway = true;
  auto ambiguous = (*service)->Issue(Registrar("uclouvain"), Request("r-ambiguous"));
  EXPECT_EQ(ambiguous.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(IssuanceEvents(), 1);  // it did land
  auto retried = (*service)->Issue(Registrar("uclouvain"), Request("r-ambiguous"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(IssuanceEvents(), 1) << "the retry found the logged event and appended nothing";
  v1::VerifyCredentialRequest verify;
  verify.set_jws(retried->jws());
  const v1::VerificationReport report = (*service)->Verify(verify);
  EXPECT_TRUE(report.valid()) << "the answer is the credential the log recorded";

  v1::IssueCredentialsRequest cohort;
  for (int i = 0; i < 3; ++i)
    *cohort.add_rows() = Request("r-ambiguous-cohort-" + std::to_string(i));
  log->failures = 1;
  EXPECT_EQ((*service)->IssueMany(Registrar("uclouvain"), cohort).status().code(),
            absl::StatusCode::kUnavailable);
  auto again = (*service)->IssueMany(Registrar("uclouvain"), cohort);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(IssuanceEvents(), 4);
  for (const auto& row : again->results()) {
    verify.set_jws(row.credential().jws());
    EXPECT_TRUE((*service)->Verify(verify).valid()) << row.row();
  }
}

TEST_F(IssuanceServiceTest, CohortReportsEachRowAndABadRowStopsNoOther) {
  v1::IssueCredentialsRequest cohort;
  for (int i = 0; i < 300; ++i) *cohort.add_rows() = Request("cohort-" + std::to_string(i));
  cohort.mutable_rows(7)->mutable_learner()->clear_family_name();
  cohort.mutable_rows(42)->set_specification_id("uclouvain/old");
  *cohort.mutable_rows(99) = cohort.rows(98);  // the same request twice in one call
  auto response = a_->service->IssueMany(Registrar("uclouvain"), cohort);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->issued(), 297);
  EXPECT_EQ(response->refused(), 3);
  EXPECT_EQ(response->results(7).code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_NE(response->results(7).message().find("learner.family_name"), std::string::npos);
  EXPECT_EQ(response->results(42).code(), static_cast<int>(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(IssuanceEvents(), 297);
  EXPECT_TRUE(Verify(response->results(150).credential().jws()).valid());
  std::set<int32_t> indexes;
  for (const auto& r : response->results()) {
    if (r.code() == 0) indexes.insert(r.credential().status_list_index());
  }
  EXPECT_EQ(indexes.size(), 297u) << "every credential has its own status list index";
  // Replaying the cohort issues nothing new.
  auto replay = a_->service->IssueMany(Registrar("uclouvain"), cohort);
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(IssuanceEvents(), 297);
  EXPECT_EQ(replay->results(150).credential().credential_id(),
            response->results(150).credential().credential_id());
}

TEST_F(IssuanceServiceTest, LearnerListsAndExportsTheirOwnCredentialsOnly) {
  v1::IssuedCredential issued = MustIssue(Request("r-own"));
  auth::Caller learner{.subject = "s-r-own", .institution_id = "uclouvain", .roles = {"learner"}};
  v1::ListLearnerCredentialsRequest list;
  list.set_learner_id("s-r-own");
  auto mine = a_->service->ListLearnerCredentials(learner, list);
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_EQ(mine->credentials_size(), 1);
  EXPECT_EQ(mine->credentials(0).jws(), issued.jws());
  list.set_learner_id("someone-else");
  EXPECT_EQ(a_->service->ListLearnerCredentials(learner, list).status().code(),
            absl::StatusCode::kPermissionDenied);

  v1::ExportCredentialRequest export_request;
  export_request.set_credential_id(issued.credential_id());
  for (auto format : {v1::EXPORT_FORMAT_JWS, v1::EXPORT_FORMAT_OPEN_BADGE_JSON}) {
    export_request.set_format(format);
    auto exported = a_->service->Export(learner, export_request);
    ASSERT_TRUE(exported.ok()) << exported.status();
    EXPECT_FALSE(exported->content().empty());
  }
  // The ELM export is sealed with the institution's e-seal, which this node has not.
  export_request.set_format(v1::EXPORT_FORMAT_ELM_JSONLD);
  auto elm = a_->service->Export(learner, export_request);
  EXPECT_EQ(elm.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(elm.status().message(), "format: ")) << elm.status();
  EXPECT_TRUE(absl::StrContains(elm.status().message(), "--seal-key-file")) << elm.status();
  EXPECT_TRUE(absl::StrContains(elm.status().message(), "--seal-certificate-file")) << elm.status();
}

// The ELM export is a European Digital Credential sealed with JAdES by the node's e-seal: the
// seal verifies under the seal's CA, its payload is the ELM document, whose issuer carries the
// seal certificate's organizationIdentifier as its eIDAS identifier.
TEST_F(IssuanceServiceTest, ElmExportIsSealedWithTheInstitutionsESeal) {
  const absl::Time clock = absl::FromUnixMillis(now_ms_);
  auto made = eseal::CreateSelfSignedSeal({.organization = "Legal name of uclouvain",
                                           .organization_identifier = "NTRBE-0419052173",
                                           .country = "BE",
                                           .not_before = clock - absl::Hours(24),
                                           .not_after = absl::Now() + absl::Hours(24 * 365)});
  ASSERT_TRUE(made.ok()) << made.status();
  auto seal = eseal::SealCredentialsFromPem(made->private_key_pem, made->chain_pem, absl::Now());
  ASSERT_TRUE(seal.ok()) << seal.status();
  StartWith(*a_, {.elm_seal = *seal});
  v1::IssuedCredential issued = MustIssue(Request("r-sealed"));
  auth::Caller learner{
      .subject = "s-r-sealed", .institution_id = "uclouvain", .roles = {"learner"}};
  v1::ExportCredentialRequest export_request;
  export_request.set_credential_id(issued.credential_id());
  export_request.set_format(v1::EXPORT_FORMAT_ELM_JSONLD);
  auto exported = a_->service->Export(learner, export_request);
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_EQ(exported->media_type(), "application/jose+json");
  auto anchors = jades::TrustAnchors::FromPem(made->ca_certificate_pem);
  ASSERT_TRUE(anchors.ok()) << anchors.status();
  const jades::SealVerification verified =
      jades::VerifySeal(exported->content(), *anchors, absl::Now());
  ASSERT_TRUE(verified.valid()) << verified.first_failure()->name << ": "
                                << verified.first_failure()->detail;
  EXPECT_EQ(verified.signing_time, absl::FromUnixSeconds(now_ms_ / 1000));
  EXPECT_EQ(verified.algorithm, "ES256");
  const json elm = json::parse(verified.payload);
  EXPECT_EQ(elm["id"], issued.credential_id());
  EXPECT_EQ(elm["type"], json::array({"VerifiableCredential", "EuropeanDigitalCredential"}));
  EXPECT_EQ(elm["issuer"]["eIDASIdentifier"]["notation"], "NTRBE-0419052173");
  // A byte of the document changed: the seal no longer verifies.
  std::string tampered = exported->content();
  const size_t at = tampered.find("NTRBE-0419052173");
  ASSERT_NE(at, std::string::npos);
  tampered[at + 5] = '9';
  EXPECT_FALSE(jades::VerifySeal(tampered, *anchors, absl::Now()).valid());
}

TEST_F(IssuanceServiceTest, ErasedLearnerDataIsUnreadableButTheCredentialStaysVerifiable) {
  v1::IssuedCredential issued = MustIssue(Request("r-erase"));
  v1::EraseLearnerRequest erase;
  erase.set_request_id("erase-1");
  erase.set_learner_id("s-r-erase");
  auto erased = a_->service->EraseLearner(Registrar("uclouvain"), erase);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->credentials_affected(), 1);
  v1::ExportCredentialRequest export_request;
  export_request.set_credential_id(issued.credential_id());
  export_request.set_format(v1::EXPORT_FORMAT_JWS);
  EXPECT_FALSE(a_->service->Export(Registrar("uclouvain"), export_request).ok());
  EXPECT_TRUE(Verify(issued.jws()).valid());  // the learner's own copy
  // No store value holds the learner's name in clear.
  for (const auto& [key, value] : a_->store.Snapshot()) {
    EXPECT_EQ(value.find("Dubois"), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace microcred::issuance
