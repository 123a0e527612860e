// conformance_issuer: the issuing half of the conformance test (run.sh drives it; README.md
// says what is checked). Issues, through real in-process nodes, every kind of credential the
// platform issues, serves the nodes' public HTTP on the loopback interface, and writes a
// manifest of what it issued and what a verifier must conclude about each token.
//
//   conformance_issuer MANIFEST.json
//
// Two institutions share one in-memory ecosystem, each its own node and public HTTP server:
// `uantwerpen` (https://uantwerpen.example, issuer id the URL I) and `kuleuven`
// (https://kuleuven.example, issuer id did:web). Each registers an Ed25519, an RSA and a P-256
// key. The public URLs are not reachable names: the verifiers map each host to the port its
// node listens on, as an ingress in front of the nodes would (the manifest's "hosts").
//
// When the manifest is written, the program prints "ready" and serves until its standard
// input reaches a line or its end, so that the verifiers fetch keys, DID documents and status
// lists from the nodes themselves.
//
// Manifest:
//   "hosts":        {"<host of a public URL>": <loopback port>}
//   "institutions": [{"id", "public_url", "issuer_id", "issuer_id_form": "url"|"did-web"}]
//   "credentials":  [{"name", "jws", "institution", "issuer_id", "profile":
//                     "open-badges-jwt"|"vc-jose-cose", "alg", "valid_until": bool,
//                     "status": "active"|"revoked"|"suspended", "hours": bool, "joint": bool}]
//   "tampered":     [{"name", "jws", "of": <credential name>}], each to be refused by every
//                   verifier: a payload byte changed, the header naming another key, or
//                   signed by a key that is not the institution's.
// The expectations (issuer ids, profiles, algorithms, statuses) are written from the decisions
// of docs/CREDENTIALS.md, never read back from the node: the test checks the node against them.
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/jws.h"
#include "libs/jose/rsa_key.h"
#include "libs/jose/testing/token_parts.h"
#include "nlohmann/json.hpp"
#include "services/mcnode/public_http.h"
#include "services/mcnode/testing/local_ecosystem.h"

namespace microcred {
namespace {

using Json = nlohmann::json;
using issuance::v1::IssueCredentialRequest;
using issuance::v1::SecuringProfile;
using issuance::v1::SignatureAlgorithm;

// An institution of the test, its keys and how it names itself.
struct Member {
  Institution institution;
  bool did_web = false;
  crypto::SigningKey ed25519 = crypto::SigningKey::Generate();
  std::optional<jose::RsaPrivateKey> rsa;
  std::optional<jose::EcPrivateKey> ec;
  std::unique_ptr<MemoryStateStore> store = std::make_unique<MemoryStateStore>();
  std::unique_ptr<Node> node;
  std::unique_ptr<PublicHttp> http;

  std::string Host() const { return institution.id + ".example"; }
  std::string PublicUrl() const { return "https://" + Host(); }
  // The issuer id docs/CREDENTIALS.md gives: I, or the did:web of I (--issuer-id).
  std::string IssuerId() const {
    return did_web ? "did:web:" + Host() + ":institutions:" + institution.id
                   : PublicUrl() + "/institutions/" + institution.id;
  }
};

struct Issued {
  std::string name;
  std::string jws;
  const Member* member = nullptr;
  std::string profile;  // "open-badges-jwt" | "vc-jose-cose"
  std::string alg;      // "EdDSA" | "RS256" | "ES256"
  bool valid_until = false;
  bool hours = false;
  bool joint = false;
  std::string status = "active";
  std::string credential_id;
};

int Fail(const std::string& what, const absl::Status& status) {
  std::cerr << "conformance_issuer: " << what << ": " << status << "\n";
  return 1;
}

absl::Status Admit(const LocalEcosystem& ecosystem, EventLog& log, Member& member) {
  absl::StatusOr<jose::RsaPrivateKey> rsa = jose::RsaPrivateKey::Generate();
  if (!rsa.ok()) return rsa.status();
  absl::StatusOr<jose::EcPrivateKey> ec = jose::EcPrivateKey::Generate();
  if (!ec.ok()) return ec.status();
  member.rsa = *std::move(rsa);
  member.ec = *std::move(ec);
  member.institution.public_url = member.PublicUrl();
  return ecosystem.Admit(log, member.institution, member.ed25519, &*member.rsa, &*member.ec);
}

// The verifiers are told to start once the nodes answer; and a server stopped before its
// thread listens would never stop (cpp-httplib's stop() does nothing until then).
absl::Status WaitUntilServing(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1);
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (httplib::Result answer = client.Get("/healthz"); answer && answer->status == 200) {
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::UnavailableError("the public HTTP on port " + std::to_string(port) +
                                " does not answer /healthz");
}

absl::Status Start(const LocalEcosystem& ecosystem, EventLog& log, Member& member) {
  member.institution.issuer_id =
      member.did_web ? discovery::IssuerIdForm::kDidWeb : discovery::IssuerIdForm::kUrl;
  absl::StatusOr<std::unique_ptr<Node>> node = ecosystem.StartNode(
      log, *member.store, member.institution, member.ed25519, member.rsa, member.ec);
  if (!node.ok()) return node.status();
  member.node = *std::move(node);
  member.http = std::make_unique<PublicHttp>(*member.node);
  if (absl::Status s = member.http->Start("127.0.0.1", 0); !s.ok()) return s;
  return WaitUntilServing(member.http->port());
}

IssueCredentialRequest Request(const Member& member, const std::string& request_id,
                               const std::string& local_spec_id) {
  IssueCredentialRequest r = SampleIssueRequest(member.institution.id, request_id, local_spec_id);
  return r;
}

struct Variant {
  std::string alg;
  SignatureAlgorithm algorithm;
};
const Variant kAlgorithms[] = {
    {"EdDSA", issuance::v1::SIGNATURE_ALGORITHM_EDDSA},
    {"RS256", issuance::v1::SIGNATURE_ALGORITHM_RS256},
    {"ES256", issuance::v1::SIGNATURE_ALGORITHM_ES256},
};
struct Profile {
  std::string name;
  SecuringProfile profile;
};
const Profile kProfiles[] = {
    {"open-badges-jwt", issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT},
    {"vc-jose-cose", issuance::v1::SECURING_PROFILE_VC_JOSE_COSE},
};

absl::StatusOr<Issued> IssueOne(Member& member, const IssueCredentialRequest& request,
                                Issued expected) {
  absl::StatusOr<issuance::v1::IssuedCredential> issued =
      member.node->issuance().Issue(StaffOf(member.institution.id), request);
  if (!issued.ok()) return issued.status();
  expected.name = request.request_id();
  expected.jws = issued->jws();
  expected.member = &member;
  expected.credential_id = issued->credential_id();
  return expected;
}

absl::Status ChangeStatus(Member& member, Issued& credential, const std::string& change) {
  issuance::v1::ChangeStatusRequest request;
  request.set_request_id(change + "-" + credential.name);
  request.set_credential_id(credential.credential_id);
  request.set_reason("conformance test: " + change);
  const auth::Caller staff = StaffOf(member.institution.id);
  issuance::IssuanceService& issuance = member.node->issuance();
  absl::StatusOr<issuance::v1::IssuedCredential> changed =
      change == "revoke"    ? issuance.Revoke(staff, request)
      : change == "suspend" ? issuance.Suspend(staff, request)
                            : issuance.Reinstate(staff, request);
  return changed.status();
}

// One credential revoked, one suspended, one suspended then reinstated, added to `all`.
absl::Status IssueWithStatusChanges(Member& member, std::vector<Issued>& all) {
  struct Change {
    std::string suffix;
    std::vector<std::string> steps;
    std::string status;
  };
  for (const Change& change :
       {Change{"revoked", {"revoke"}, "revoked"}, Change{"suspended", {"suspend"}, "suspended"},
        Change{"reinstated", {"suspend", "reinstate"}, "active"}}) {
    const std::string id = member.institution.id + "-" + change.suffix;
    IssueCredentialRequest r = Request(member, id, "data-literacy");
    r.set_signature_algorithm(issuance::v1::SIGNATURE_ALGORITHM_EDDSA);
    absl::StatusOr<Issued> issued =
        IssueOne(member, r, {.profile = "open-badges-jwt", .alg = "EdDSA"});
    if (!issued.ok()) return issued.status();
    for (const std::string& step : change.steps) {
      if (absl::Status s = ChangeStatus(member, *issued, step); !s.ok()) return s;
    }
    issued->status = change.status;
    all.push_back(*std::move(issued));
  }
  return absl::OkStatus();
}

// Every variant the file comment lists.
absl::StatusOr<std::vector<Issued>> IssueAll(Member& url, Member& did) {
  std::vector<Issued> all;
  auto add = [&all](absl::StatusOr<Issued> issued) -> absl::Status {
    if (!issued.ok()) return issued.status();
    all.push_back(*std::move(issued));
    return absl::OkStatus();
  };
  for (Member* member : {&url, &did}) {
    for (const Profile& profile : kProfiles) {
      for (const Variant& variant : kAlgorithms) {
        for (bool valid_until : {false, true}) {
          IssueCredentialRequest r = Request(*member,
                                             member->institution.id + "-" + profile.name + "-" +
                                                 variant.alg + (valid_until ? "-valid-until" : ""),
                                             "data-literacy");
          r.set_signature_algorithm(variant.algorithm);
          r.set_securing_profile(profile.profile);
          if (valid_until) *r.mutable_valid_until() = DayFromToday(365);
          if (absl::Status s = add(IssueOne(
                  *member, r,
                  {.profile = profile.name, .alg = variant.alg, .valid_until = valid_until}));
              !s.ok()) {
            return s;
          }
        }
      }
    }
  }
  // The defaults (docs/CREDENTIALS.md): the OB 3.0 profile, and ES256 as a P-256 key is
  // registered.
  if (absl::Status s = add(IssueOne(url, Request(url, "uantwerpen-defaults", "data-literacy"),
                                    {.profile = "open-badges-jwt", .alg = "ES256"}));
      !s.ok()) {
    return s;
  }
  // A joint award of both institutions, and a course counted in hours instead of ECTS.
  if (absl::Status s = add(IssueOne(url, Request(url, "uantwerpen-joint", "joint-data"),
                                    {.profile = "open-badges-jwt", .alg = "ES256", .joint = true}));
      !s.ok()) {
    return s;
  }
  for (const Profile& profile : kProfiles) {
    IssueCredentialRequest r = Request(did, "kuleuven-hours-" + profile.name, "python-basics");
    r.set_securing_profile(profile.profile);
    if (absl::Status s =
            add(IssueOne(did, r, {.profile = profile.name, .alg = "ES256", .hours = true}));
        !s.ok()) {
      return s;
    }
  }
  for (Member* member : {&url, &did}) {
    if (absl::Status s = IssueWithStatusChanges(*member, all); !s.ok()) return s;
  }
  return all;
}

using jose::testing::JoinToken;
using jose::testing::SplitToken;
using Parts = jose::testing::TokenParts;

// A signer of `alg` under `kid` with a fresh key: not any institution's.
std::unique_ptr<jose::JwsSigner> StrangerSigner(const std::string& alg, const std::string& kid) {
  if (alg == "RS256") {
    absl::StatusOr<jose::RsaPrivateKey> key = jose::RsaPrivateKey::Generate();
    return key.ok() ? std::make_unique<jose::RsaJwsSigner>(*std::move(key), kid) : nullptr;
  }
  if (alg == "ES256") {
    absl::StatusOr<jose::EcPrivateKey> key = jose::EcPrivateKey::Generate();
    return key.ok() ? std::make_unique<jose::EcJwsSigner>(*std::move(key), kid) : nullptr;
  }
  return std::make_unique<jose::Ed25519JwsSigner>(crypto::SigningKey::Generate(), kid);
}

// The tampered copies of `credential` (see the file comment). `other_kid` names a key of the
// same algorithm registered by the other institution.
absl::StatusOr<std::vector<Json>> Tampered(const Issued& credential, const std::string& other_kid) {
  const Parts parts = SplitToken(credential.jws);
  absl::StatusOr<std::string> header_text = crypto::Base64UrlDecode(parts.header);
  absl::StatusOr<std::string> payload = crypto::Base64UrlDecode(parts.payload);
  if (!header_text.ok() || !payload.ok()) return absl::InternalError("token not base64url");
  const Json header = Json::parse(*header_text, nullptr, false);
  if (!header.is_object() || !header.contains("kid")) {
    return absl::InternalError("header without a kid");
  }
  std::vector<Json> out;
  auto add = [&](const std::string& how, const std::string& jws) {
    out.push_back({{"name", credential.name + ": " + how}, {"jws", jws}, {"of", credential.name}});
  };

  // One byte of the credential's id changed ("urn:uuid:..." keeps its shape), re-encoded.
  std::string changed = *payload;
  const size_t at = changed.find("urn:uuid:");
  if (at == std::string::npos) return absl::InternalError("payload has no urn:uuid: id");
  char& byte = changed[at + 9];
  byte = byte == '0' ? '1' : '0';
  add("a payload byte changed",
      JoinToken({parts.header, crypto::Base64UrlEncode(changed), parts.signature}));

  Json other = header;
  other["kid"] = other_kid;
  add("the header names another key",
      JoinToken({crypto::Base64UrlEncode(other.dump()), parts.payload, parts.signature}));

  std::unique_ptr<jose::JwsSigner> stranger =
      StrangerSigner(credential.alg, header["kid"].get<std::string>());
  if (stranger == nullptr) return absl::InternalError("cannot make a key");
  Json extra = header;
  extra.erase("alg");
  extra.erase("kid");
  add("signed by another key under the same kid", jose::SignCompact(*stranger, extra, *payload));
  return out;
}

// The kid the institution's credentials of `alg` name, read from one of them.
std::string KidOf(const std::vector<Issued>& all, const Member& member, const std::string& alg) {
  for (const Issued& issued : all) {
    if (issued.member != &member || issued.alg != alg) continue;
    absl::StatusOr<jose::ParsedJws> parsed = jose::ParseCompact(issued.jws);
    if (parsed.ok()) return parsed->kid;
  }
  return "";
}

Json Manifest(const std::vector<Issued>& all, Member& url, Member& did) {
  Json hosts = Json::object(), institutions = Json::array(), credentials = Json::array();
  for (Member* member : {&url, &did}) {
    hosts[member->Host()] = member->http->port();
    institutions.push_back({{"id", member->institution.id},
                            {"public_url", member->PublicUrl()},
                            {"issuer_id", member->IssuerId()},
                            {"issuer_id_form", member->did_web ? "did-web" : "url"}});
  }
  for (const Issued& c : all) {
    credentials.push_back({{"name", c.name},
                           {"jws", c.jws},
                           {"institution", c.member->institution.id},
                           {"issuer_id", c.member->IssuerId()},
                           {"profile", c.profile},
                           {"alg", c.alg},
                           {"valid_until", c.valid_until},
                           {"status", c.status},
                           {"hours", c.hours},
                           {"joint", c.joint}});
  }
  return {{"generator", "microcred conformance_issuer"},
          {"hosts", hosts},
          {"institutions", institutions},
          {"credentials", credentials},
          {"tampered", Json::array()}};
}

int Run(const std::string& path) {
  MemoryEventLog log;
  LocalEcosystem ecosystem("conformance", *domain::PolicyProfile::Named("eu"));
  Member url{.institution = {"uantwerpen", "Universiteit Antwerpen",
                             common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-VAN"}};
  Member did{.institution = {"kuleuven", "KU Leuven", common::v1::PROVIDER_TYPE_HIGHER_EDUCATION,
                             "BE", "BE-VBR"},
             .did_web = true};
  for (Member* member : {&url, &did}) {
    if (absl::Status s = Admit(ecosystem, log, *member); !s.ok()) return Fail("admit", s);
  }
  for (Member* member : {&url, &did}) {
    if (absl::Status s = Start(ecosystem, log, *member); !s.ok()) return Fail("start", s);
  }
  catalogue::v1::SpecificationContent joint = catalogue::samples::DataLiteracy(url.institution.id);
  joint.add_awarding_bodies(did.institution.id);
  if (absl::Status s = PublishSpecification(*url.node, url.institution.id, "data-literacy",
                                            catalogue::samples::DataLiteracy(url.institution.id));
      !s.ok()) {
    return Fail("publish", s);
  }
  if (absl::Status s = PublishSpecification(*url.node, url.institution.id, "joint-data", joint);
      !s.ok())
    return Fail("publish joint", s);
  if (absl::Status s = PublishSpecification(*did.node, did.institution.id, "data-literacy",
                                            catalogue::samples::DataLiteracy(did.institution.id));
      !s.ok()) {
    return Fail("publish", s);
  }
  if (absl::Status s = PublishSpecification(*did.node, did.institution.id, "python-basics",
                                            catalogue::samples::PythonBasics(did.institution.id));
      !s.ok()) {
    return Fail("publish hours", s);
  }

  absl::StatusOr<std::vector<Issued>> all = IssueAll(url, did);
  if (!all.ok()) return Fail("issue", all.status());
  Json manifest = Manifest(*all, url, did);
  for (const Issued& credential : *all) {
    const Member& other = credential.member == &url ? did : url;
    absl::StatusOr<std::vector<Json>> tampered =
        Tampered(credential, KidOf(*all, other, credential.alg));
    if (!tampered.ok()) return Fail("tamper " + credential.name, tampered.status());
    for (Json& t : *tampered) manifest["tampered"].push_back(std::move(t));
  }

  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << manifest.dump(1) << "\n";
    if (!out.flush()) return Fail("write", absl::InternalError("cannot write " + partial));
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    return Fail("write", absl::InternalError("cannot rename to " + path));
  }
  std::cout << "ready " << all->size() << " credentials, " << manifest["tampered"].size()
            << " tampered copies, ports " << url.http->port() << " " << did.http->port()
            << std::endl;
  std::string line;
  std::getline(std::cin, line);  // a line or the end of input: stop serving
  for (Member* member : {&url, &did}) member->http->Stop();
  return 0;
}

}  // namespace
}  // namespace microcred

int main(int argc, char** argv) {
  if (!microcred::crypto::InitCrypto().ok()) return 1;
  if (argc != 2) {
    std::cerr << "usage: conformance_issuer MANIFEST.json\n";
    return 2;
  }
  return microcred::Run(argv[1]);
}
