// status_vectors: what a node publishes about the status of its credentials, for
// check_status.py to read as an outside verifier would.
//
//   status_vectors OUT.json
//
// An in-memory node (LocalEcosystem, `eu` profile) issues four credentials and leaves one
// active, revokes one, suspends one, and suspends and reinstates the last. Then it GETs, through
// its own public HTTP on loopback, the status reference document (I/status) and every list it
// names, and writes:
//   {"credentials": [{"name", "jws", "expect": "active" | "revoked" | "suspended"}],
//    "served": {<public URL>: {"content_type", "body"}}}
// so that check_status.py dereferences each URL the documents name from "served".
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "absl/time/civil_time.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "nlohmann/json.hpp"
#include "services/mcnode/public_http.h"
#include "services/mcnode/testing/local_ecosystem.h"

namespace microcred {
namespace {

using Json = nlohmann::json;

const Institution kUniversity{"ugent", "Universiteit Gent",
                              common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-VOV"};

issuance::v1::IssueCredentialRequest Request(const std::string& request_id) {
  issuance::v1::IssueCredentialRequest r;
  r.set_request_id(request_id);
  r.set_specification_id(kUniversity.id + "/data-literacy");
  r.mutable_learner()->set_learner_id("UG-" + request_id);
  r.mutable_learner()->set_given_name("Lotte");
  r.mutable_learner()->set_family_name("Maes");
  *r.mutable_issued_on() = domain::ToDate(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 1);
  r.set_place_of_issuing("Gent");
  r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
  r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  return r;
}

issuance::v1::ChangeStatusRequest Change(const std::string& request_id,
                                         const issuance::v1::IssuedCredential& credential) {
  issuance::v1::ChangeStatusRequest change;
  change.set_request_id(request_id);
  change.set_credential_id(credential.credential_id());
  change.set_reason("status vectors");
  return change;
}

int Fail(const std::string& what, const absl::Status& status) {
  std::cerr << "status_vectors: " << what << ": " << status << "\n";
  return 1;
}

int Write(const std::string& path) {
  MemoryEventLog log;
  MemoryStateStore store;
  LocalEcosystem ecosystem("status-interop", *domain::PolicyProfile::Named("eu"));
  auto node = ecosystem.Join(log, store, kUniversity);
  if (!node.ok()) return Fail("start node", node.status());
  if (auto s = (*node)->issuance().projector().Sync(absl::Seconds(5)); !s.ok()) {
    return Fail("sync", s);
  }
  const auth::Caller staff = StaffOf(kUniversity.id);
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("publish-data");
  publish.set_local_id("data-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy(kUniversity.id);
  if (auto spec = (*node)->catalogue().Publish(staff, publish); !spec.ok()) {
    return Fail("publish", spec.status());
  }

  issuance::IssuanceService& issuance = (*node)->issuance();
  Json credentials = Json::array();
  std::vector<issuance::v1::IssuedCredential> issued;
  for (const char* id : {"active", "revoked", "suspended", "reinstated"}) {
    auto credential = issuance.Issue(staff, Request(id));
    if (!credential.ok()) return Fail(std::string("issue ") + id, credential.status());
    issued.push_back(*credential);
  }
  if (auto s = issuance.Revoke(staff, Change("revoke", issued[1])); !s.ok()) {
    return Fail("revoke", s.status());
  }
  if (auto s = issuance.Suspend(staff, Change("suspend", issued[2])); !s.ok()) {
    return Fail("suspend", s.status());
  }
  if (auto s = issuance.Suspend(staff, Change("suspend-then", issued[3])); !s.ok()) {
    return Fail("suspend", s.status());
  }
  if (auto s = issuance.Reinstate(staff, Change("reinstate", issued[3])); !s.ok()) {
    return Fail("reinstate", s.status());
  }
  const char* expect[] = {"active", "revoked", "suspended", "active"};
  for (size_t i = 0; i < issued.size(); ++i) {
    credentials.push_back(
        {{"name", issued[i].credential_id()}, {"jws", issued[i].jws()}, {"expect", expect[i]}});
  }

  PublicHttp http(**node);
  if (auto s = http.Start("127.0.0.1", 0); !s.ok()) return Fail("public HTTP", s);
  httplib::Client client("127.0.0.1", http.port());
  const std::string base = LocalEcosystem::PublicUrlOf(kUniversity);
  const std::string status_path = "/institutions/" + kUniversity.id + "/status";
  Json served = Json::object();
  for (const std::string& path : {status_path, status_path + "/message",
                                  status_path + "/revocation", status_path + "/suspension"}) {
    auto response = client.Get(path.c_str());
    if (!response || response->status != 200) {
      return Fail("GET " + path, absl::UnavailableError(response ? response->body : "no answer"));
    }
    served[base + path] = {{"content_type", response->get_header_value("Content-Type")},
                           {"body", response->body}};
  }
  http.Stop();

  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << Json{{"credentials", credentials}, {"served", served}}.dump(1) << "\n";
  if (!out.flush()) return Fail("write " + path, absl::InternalError("cannot write"));
  std::cout << "status_vectors: wrote " << credentials.size() << " credentials and "
            << served.size() << " documents to " << path << "\n";
  return 0;
}

}  // namespace
}  // namespace microcred

int main(int argc, char** argv) {
  if (!microcred::crypto::InitCrypto().ok()) return 1;
  if (argc != 2) {
    std::cerr << "usage: status_vectors OUT.json\n";
    return 2;
  }
  return microcred::Write(argv[1]);
}
