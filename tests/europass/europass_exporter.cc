// europass_exporter: the exporting half of the Europass check (run.sh drives it; README.md says
// what is checked). Writes every variant of ELM document the platform exports:
//
//   europass_exporter WORK_DIR
//
// 1. Sealed exports, as a learner downloads them: two institutions of one in-memory ecosystem
//    (services/mcnode/testing/local_ecosystem.h), `uantwerpen` (issuer id its URL) and
//    `kuleuven` (did:web), each node with its own self-made e-seal, issue and then export
//    (IssuanceService::Export, EXPORT_FORMAT_ELM_JSONLD) a graded award, one with validUntil,
//    two without a grade (supervised onsite; unsupervised, by validation of prior learning), a
//    joint award of both, a course counted in hours, and a revoked credential. (Issuance
//    requires the supervision applied; the builder's documents cover an award without it.)
// 2. The builder's documents for the sample facts of libs/credentials/testing/sample_facts.h
//    (BuildElmCredential, unsealed): the joint ECTS award with grade and no validUntil, the
//    hours award with validUntil and no grade, and a few variations of them.
//
// Writes WORK_DIR/<name>.json for each and WORK_DIR/manifest.json:
//   {"sealed": [{"name", "file", "institution", "ca"}], "documents": [{"name", "file"}]}
// where "ca" is the PEM file of the CA that issued the institution's seal certificate.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/credentials/elm.h"
#include "libs/credentials/testing/sample_facts.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "nlohmann/json.hpp"
#include "services/mcnode/testing/local_ecosystem.h"

namespace microcred {
namespace {

using Json = nlohmann::json;
using issuance::v1::IssueCredentialRequest;

int Fail(const std::string& what, const absl::Status& status) {
  std::cerr << "europass_exporter: " << what << ": " << status << "\n";
  return 1;
}

absl::Status Write(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  return out.flush() ? absl::OkStatus() : absl::InternalError("cannot write " + path);
}

struct Member {
  Institution institution;
  std::unique_ptr<MemoryStateStore> store = std::make_unique<MemoryStateStore>();
  std::unique_ptr<Node> node;
};

IssueCredentialRequest Request(const Member& member, const std::string& name,
                               const std::string& local_spec_id) {
  IssueCredentialRequest r = SampleIssueRequest(member.institution.id, name, local_spec_id);
  r.mutable_grade()->set_value("16/20");
  r.mutable_grade()->set_grading_scheme("Belgian 0-20 scale");
  return r;
}

// Issues `request` at `member` (revoked first when asked), exports it as ELM and writes it.
absl::StatusOr<Json> IssueAndExport(Member& member, const IssueCredentialRequest& request,
                                    const std::string& dir, bool revoke = false) {
  const auth::Caller staff = StaffOf(member.institution.id);
  auto issued = member.node->issuance().Issue(staff, request);
  if (!issued.ok()) return issued.status();
  if (revoke) {
    issuance::v1::ChangeStatusRequest change;
    change.set_request_id("revoke-" + request.request_id());
    change.set_credential_id(issued->credential_id());
    change.set_reason("europass check: a revoked credential exports the same way");
    if (auto r = member.node->issuance().Revoke(staff, change); !r.ok()) return r.status();
  }
  issuance::v1::ExportCredentialRequest export_request;
  export_request.set_credential_id(issued->credential_id());
  export_request.set_format(issuance::v1::EXPORT_FORMAT_ELM_JSONLD);
  auto exported = member.node->issuance().Export(staff, export_request);
  if (!exported.ok()) return exported.status();
  if (exported->media_type() != "application/jose+json") {
    return absl::InternalError("ELM export media type " + exported->media_type());
  }
  const std::string file = dir + "/" + request.request_id() + ".json";
  if (auto s = Write(file, exported->content()); !s.ok()) return s;
  return Json{{"name", request.request_id()},
              {"file", file},
              {"institution", member.institution.id},
              {"ca", dir + "/" + member.institution.id + "-seal-ca.pem"}};
}

absl::StatusOr<Json> SealedExports(const std::string& dir) {
  MemoryEventLog log;
  LocalEcosystem ecosystem("europass", *domain::PolicyProfile::Named("eu"));
  Member url{.institution = {"uantwerpen", "Universiteit Antwerpen",
                             common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-VAN"}};
  Member did{.institution = {"kuleuven", "KU Leuven", common::v1::PROVIDER_TYPE_HIGHER_EDUCATION,
                             "BE", "BE-VBR"}};
  did.institution.issuer_id = discovery::IssuerIdForm::kDidWeb;
  url.institution.es256 = true;
  for (Member* member : {&url, &did}) {
    auto node = ecosystem.Join(log, *member->store, member->institution);
    if (!node.ok()) return node.status();
    member->node = *std::move(node);
    if (auto s = Write(dir + "/" + member->institution.id + "-seal-ca.pem",
                       ecosystem.SealCaPem(member->institution.id));
        !s.ok()) {
      return s;
    }
  }
  catalogue::v1::SpecificationContent joint = catalogue::samples::DataLiteracy(url.institution.id);
  joint.add_awarding_bodies(did.institution.id);
  for (auto [member, id, content] :
       {std::tuple{&url, "data-literacy", catalogue::samples::DataLiteracy(url.institution.id)},
        std::tuple{&url, "joint-data", joint},
        std::tuple{&did, "python-basics", catalogue::samples::PythonBasics(did.institution.id)},
        std::tuple{&did, "data-literacy", catalogue::samples::DataLiteracy(did.institution.id)}}) {
    if (auto s = PublishSpecification(*member->node, member->institution.id, id, content);
        !s.ok()) {
      return s;
    }
  }
  std::vector<std::pair<Member*, IssueCredentialRequest>> requests;
  requests.emplace_back(&url, Request(url, "uantwerpen-graded", "data-literacy"));
  IssueCredentialRequest r = Request(url, "uantwerpen-valid-until", "data-literacy");
  *r.mutable_valid_until() = DayFromToday(365);
  requests.emplace_back(&url, r);
  r = Request(url, "uantwerpen-ungraded-supervised", "data-literacy");
  r.clear_grade();
  requests.emplace_back(&url, r);
  r = Request(url, "uantwerpen-ungraded-unsupervised", "data-literacy");
  r.clear_grade();
  r.set_supervision_applied(common::v1::SUPERVISION_UNSUPERVISED_NO_ID_CHECK);
  r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_PRIOR_LEARNING_VALIDATION);
  requests.emplace_back(&url, r);
  requests.emplace_back(&url, Request(url, "uantwerpen-joint", "joint-data"));
  r = Request(did, "kuleuven-hours", "python-basics");
  r.clear_grade();
  requests.emplace_back(&did, r);
  requests.emplace_back(&did, Request(did, "kuleuven-did-web", "data-literacy"));
  Json sealed = Json::array();
  for (const auto& [member, request] : requests) {
    auto written = IssueAndExport(*member, request, dir);
    if (!written.ok()) return written.status();
    sealed.push_back(*std::move(written));
  }
  auto revoked = IssueAndExport(did, Request(did, "kuleuven-revoked", "data-literacy"), dir, true);
  if (!revoked.ok()) return revoked.status();
  sealed.push_back(*std::move(revoked));
  return sealed;
}

absl::StatusOr<Json> BuilderDocuments(const std::string& dir) {
  using credentials::testing::SampleFacts;
  using credentials::testing::SampleFactsInHours;
  std::vector<std::pair<std::string, credentials::CredentialFacts>> variants;
  variants.emplace_back("sample-joint-ects-graded", SampleFacts());
  variants.emplace_back("sample-hours-valid-until-ungraded", SampleFactsInHours());
  credentials::CredentialFacts facts = SampleFacts();
  *facts.issuance.mutable_valid_until() = domain::ToDate(absl::CivilDay(2030, 6, 30));
  variants.emplace_back("sample-valid-until", facts);
  facts = SampleFacts();
  facts.issuance.clear_grade();
  variants.emplace_back("sample-ungraded-supervised", facts);
  facts = SampleFactsInHours();
  facts.issuance.mutable_grade()->set_value("B");
  variants.emplace_back("sample-hours-graded-no-scheme", facts);
  facts = SampleFacts();
  facts.text_language = "fr";
  variants.emplace_back("sample-texts-in-french", facts);
  Json out = Json::array();
  for (const auto& [name, variant] : variants) {
    auto document = credentials::BuildElmCredential(variant);
    if (!document.ok()) return document.status();
    const std::string file = dir + "/" + name + ".json";
    if (auto s = Write(file, document->dump(2)); !s.ok()) return s;
    out.push_back({{"name", name}, {"file", file}});
  }
  return out;
}

int Run(const std::string& dir) {
  auto sealed = SealedExports(dir);
  if (!sealed.ok()) return Fail("sealed exports", sealed.status());
  auto documents = BuilderDocuments(dir);
  if (!documents.ok()) return Fail("builder documents", documents.status());
  const Json manifest = {{"sealed", *sealed}, {"documents", *documents}};
  if (auto s = Write(dir + "/manifest.json", manifest.dump(1) + "\n"); !s.ok()) {
    return Fail("manifest", s);
  }
  std::cout << "wrote " << sealed->size() << " sealed exports and " << documents->size()
            << " documents" << std::endl;
  return 0;
}

}  // namespace
}  // namespace microcred

int main(int argc, char** argv) {
  if (!microcred::crypto::InitCrypto().ok()) return 1;
  if (argc != 2) {
    std::cerr << "usage: europass_exporter WORK_DIR\n";
    return 2;
  }
  return microcred::Run(argv[1]);
}
