// mcdemo: the platform's story in one process, on the embedded in-memory engines.
//
// Three institutions of one FWB ecosystem (a university, a haute école and a non-HE training
// partner) each run a node over one shared in-memory log. They publish their catalogues, search
// each other's offers, and run into the rules: an FWB issuer policy, a protected degree title,
// and an institution that tries to revise another's specification. Then they issue credentials,
// and a learner of the haute école asks the university for credit transfer: recognised by policy
// at once, partially after review, and refused for a revoked credential. Last, a fourth
// institution joins, and the university stacks credentials of three issuers into a 10-ECTS
// certificate: its exact evaluation finds the assignment a greedy degree audit misses, an
// officer confers, and another learner is told what is missing and what to take.
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/auth/roles.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "services/mcnode/testing/local_ecosystem.h"

namespace microcred::demo {
using namespace catalogue::samples;
namespace {

constexpr char kEcosystem[] = "alliance-wb";

const Institution kUniversity{"uclouvain", "Université catholique de Louvain",
                              common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-WAL"};
const Institution kHauteEcole{"he-vinci", "Haute École Léonard de Vinci",
                              common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-BRU"};
const Institution kPartner{"technofutur", "Technofutur TIC", common::v1::PROVIDER_TYPE_VET, "BE",
                           "BE-WAL"};
const Institution kLiege{"uliege", "Université de Liège",
                         common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-WLG"};
constexpr char kCertificatePathway[] = "uclouvain/certificat-donnees";

void Step(const std::string& title) { std::cout << "\n== " << title << " ==\n"; }

[[noreturn]] void Fail(const std::string& what, const absl::Status& status) {
  std::cerr << "demo failed: " << what << ": " << status << "\n";
  std::exit(1);
}

template <typename T>
T Must(absl::StatusOr<T> result, const std::string& what) {
  if (!result.ok()) Fail(what, result.status());
  return *std::move(result);
}

void ExpectRefusal(absl::Status status, const std::string& what) {
  if (status.ok()) Fail(what + " should have been refused", absl::OkStatus());
  std::cout << "  refused (" << absl::StatusCodeToString(status.code()) << "): " << status.message()
            << "\n";
}

auth::Caller Staff(const Institution& inst) { return StaffOf(inst.id); }

// The three nodes share one in-memory log; each has its own store.
class DemoEcosystem {
 public:
  DemoEcosystem()
      : ecosystem_(kEcosystem, Must(domain::PolicyProfile::Named("fwb"), "fwb profile")) {}

  // Each node registers a P-256 key and so signs ES256 by default, as a new install does.
  std::unique_ptr<Node> Join(const Institution& inst) {
    logs_.push_back(log_.Share());
    stores_.push_back(std::make_unique<MemoryStateStore>());
    Institution signing_es256 = inst;
    signing_es256.es256 = true;
    return Must(ecosystem_.Join(*logs_.back(), *stores_.back(), signing_es256), "join " + inst.id);
  }

 private:
  MemoryEventLog log_;
  LocalEcosystem ecosystem_;
  std::vector<std::unique_ptr<EventLog>> logs_;
  std::vector<std::unique_ptr<StateStore>> stores_;
};

void PublishProfile(Node& node, const Institution& inst, const std::string& policy_text) {
  catalogue::v1::UpsertProviderProfileRequest request;
  request.set_request_id("profile-" + inst.id);
  catalogue::v1::ProviderProfile* p = request.mutable_profile();
  p->set_institution_id(inst.id);
  p->set_legal_name(inst.legal_name);
  p->set_country("BE");
  p->set_region(inst.region);
  p->set_provider_type(inst.type);
  p->set_qa_declaration(inst.type == common::v1::PROVIDER_TYPE_HIGHER_EDUCATION
                            ? "Institutional evaluation by AEQES"
                            : "Internal quality system, ISO 9001");
  p->mutable_recognition_policy()->set_text(policy_text);
  p->mutable_recognition_policy()->add_links("https://" + inst.id + ".example/recognition");
  Must(node.catalogue().UpsertProviderProfile(Staff(inst), request), "profile " + inst.id);
  std::cout << "  " << inst.legal_name << " published its profile and recognition policy\n";
}

catalogue::v1::Specification Publish(Node& node, const Institution& inst,
                                     const std::string& local_id,
                                     const catalogue::v1::SpecificationContent& content) {
  catalogue::v1::PublishSpecificationRequest request;
  request.set_request_id("publish-" + local_id);
  request.set_local_id(local_id);
  *request.mutable_content() = content;
  auto spec = Must(node.catalogue().Publish(Staff(inst), request), "publish " + local_id);
  std::cout << "  " << spec.specification_id() << " v" << spec.version() << "  \""
            << spec.content().title() << "\"\n";
  return spec;
}

void PrintSearch(Node& node, const std::string& text) {
  catalogue::v1::SearchSpecificationsRequest request;
  request.set_text(text);
  auto response = Must(node.catalogue().Search(request), "search");
  std::cout << "  search \"" << text << "\" from " << node.institution_id() << ": "
            << response.total() << " result(s)\n";
  for (const auto& spec : response.results()) {
    const auto& c = spec.content();
    std::cout << "    - " << c.title() << "  [" << spec.owner_institution() << ", EQF "
              << c.eqf_level() << ", "
              << (c.workload().has_ects()
                      ? std::to_string(c.workload().ects()).substr(0, 3) + " ECTS"
                      : std::to_string(int(c.workload().hours())) + " h")
              << "]\n";
  }
  for (const auto& facet : response.facets()) {
    if (facet.name() != "provider" && facet.name() != "eqf_level") continue;
    std::cout << "    facet " << facet.name() << ":";
    for (const auto& count : facet.counts()) {
      std::cout << " " << count.value() << "=" << count.count();
    }
    std::cout << "\n";
  }
}

// `learner_id` is the learner's id in the alliance, the same at every member: recognition binds
// a presented credential to the learner who signs in by recomputing its hashed learner id.
issuance::v1::IssueCredentialRequest IssueRequest(
    const std::string& request_id, const std::string& spec, const std::string& learner_id,
    const std::string& given, const std::string& family, const std::string& place) {
  issuance::v1::IssueCredentialRequest r;
  r.set_request_id(request_id);
  r.set_specification_id(spec);
  r.mutable_learner()->set_learner_id(learner_id);
  r.mutable_learner()->set_given_name(given);
  r.mutable_learner()->set_family_name(family);
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  *r.mutable_issued_on() = domain::ToDate(today);
  r.set_place_of_issuing(place);
  r.mutable_grade()->set_value("15/20");
  r.mutable_grade()->set_grading_scheme("Belgian 0-20 scale");
  r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
  r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  return r;
}

void PrintIssued(const issuance::v1::IssuedCredential& c) {
  std::cout << "  " << c.credential_id() << "  " << c.specification_id() << " v"
            << c.specification_version() << ", status list index " << c.status_list_index() << "\n";
}

void PrintReport(const issuance::IssuanceService& verifier, const std::string& jws) {
  issuance::v1::VerifyCredentialRequest request;
  request.set_jws(jws);
  issuance::v1::VerificationReport report = verifier.Verify(request);
  std::cout << "  " << (report.valid() ? "VALID" : "NOT VALID") << "  (" << report.issuer() << ", "
            << report.specification_id() << ")\n";
  for (const auto& check : report.checks()) {
    std::cout << "    " << (check.passed() ? "[ok]  " : "[FAIL]") << " " << check.name() << ": "
              << check.detail() << "\n";
  }
}

auth::Caller RecognitionOfficer() {
  return {.subject = "officer-claire",
          .institution_id = kUniversity.id,
          .roles = {auth::roles::kRecognitionOfficer}};
}

// The learner asks the university to count a credential towards its master's STAT component.
recognition::v1::SubmitRequestRequest CreditTransfer(const std::string& client_id,
                                                     const std::string& jws) {
  recognition::v1::SubmitRequestRequest r;
  r.set_client_request_id(client_id);
  r.set_purpose(recognition::v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
  recognition::v1::ComponentTarget& component = *r.mutable_target()->mutable_component();
  component.set_programme_id("uclouvain/master-data-science");
  component.set_component_id("LDATA2010");
  component.set_ects(5);
  r.add_credential_jws(jws);
  return r;
}

// A decision on the five elements, all comparable but `different` (justified by `why`).
recognition::v1::RecognitionDecision Decision(recognition::v1::RecognitionOutcome outcome,
                                              recognition::v1::ComparisonElement different,
                                              const std::string& why,
                                              recognition::v1::ReasonCode code, double ects,
                                              const std::string& reasons) {
  recognition::v1::RecognitionDecision d;
  d.set_outcome(outcome);
  for (int element = 1; element <= 5; ++element) {
    recognition::v1::Finding& f = *d.add_findings();
    f.set_element(static_cast<recognition::v1::ComparisonElement>(element));
    f.set_assessment(element == different ? recognition::v1::ASSESSMENT_SUBSTANTIAL_DIFFERENCE
                                          : recognition::v1::ASSESSMENT_COMPARABLE);
    if (element == different) f.set_justification(why);
  }
  d.add_reason_codes(code);
  d.set_reasons(reasons);
  d.set_recognised_ects(ects);
  d.add_remedies(recognition::v1::REMEDY_INTERNAL_APPEAL);
  return d;
}

void PrintRequest(const recognition::v1::RecognitionRequest& r) {
  std::cout << "  " << r.request_id() << ": " << recognition::v1::RequestState_Name(r.state())
            << "\n";
  for (const auto& c : r.credentials()) {
    std::cout << "    " << c.facts().title() << " (" << c.facts().issuer() << ", "
              << c.facts().ects() << " ECTS, EQF " << c.facts().eqf_level() << "): "
              << (c.authenticity() == recognition::v1::AUTHENTICITY_AUTHENTIC
                      ? std::string("authentic")
                      : "NOT authentic, " + c.failed_check() + ": " + c.failed_detail())
              << "\n";
  }
  if (r.has_decision()) {
    const auto& d = r.decision();
    std::cout << "    decision " << d.decision_reference() << ": "
              << recognition::v1::RecognitionOutcome_Name(d.outcome()) << ", "
              << d.recognised_ects() << " of " << d.original_ects() << " ECTS, by "
              << (d.decided_by_policy().empty() ? d.decided_by()
                                                : "policy " + d.decided_by_policy())
              << "\n";
  }
}

// ---- Stacking ----

auth::Caller PathwayEditor() {
  return {.subject = "editor-marc",
          .institution_id = kUniversity.id,
          .roles = {auth::roles::kPathwayEditor}};
}

stacking::v1::Requirement Leaf(const std::string& id, const std::string& title, double ects,
                               const std::string& isced) {
  stacking::v1::Requirement r;
  r.set_requirement_id(id);
  r.set_title(title);
  r.set_min_ects(ects);
  r.mutable_filter()->add_isced_f_codes(isced);
  return r;
}

// 10 ECTS in three parts. The "digital" part accepts every ICT field, "data" only the
// interdisciplinary data field 0688: a credential in 0688 must go to "data", or it is wasted.
stacking::v1::Pathway DataCertificate(const std::string& target_specification) {
  namespace sv1 = stacking::v1;
  sv1::Pathway p;
  p.set_title("Certificat d'université en pratique des données");
  p.set_description("Stacks micro-credentials of the alliance into a 10-ECTS certificate.");
  p.mutable_target()->set_kind(sv1::TARGET_KIND_CONTINUING_EDUCATION_CERTIFICATE);
  p.mutable_target()->set_title("Certificat d'université en pratique des données");
  p.mutable_target()->set_specification_id(target_specification);
  sv1::Requirement& root = *p.mutable_rules();
  root.set_requirement_id("certificate");
  root.set_title("Certificate");
  root.set_min_ects(10);
  root.mutable_group()->set_combinator(sv1::COMBINATOR_ALL_OF);
  *root.mutable_group()->add_children() = Leaf("digital", "Digital tools (ICT, 06)", 4, "06");
  *root.mutable_group()->add_children() = Leaf("data", "Data practice (0688)", 4, "0688");
  *root.mutable_group()->add_children() = Leaf("society", "Law and society (04)", 3, "04");
  sv1::Equivalence& agreement = *p.add_equivalences();
  agreement.set_issuer_institution_id(kHauteEcole.id);
  agreement.set_basis("Convention de collaboration UCLouvain - Vinci 2025");
  return p;
}

// Credential ids, as the demo's reader knows them.
std::map<std::string, std::string> credential_names;

std::string NameOf(const std::string& credential_id) {
  auto it = credential_names.find(credential_id);
  return it == credential_names.end() ? credential_id : it->second;
}

void PrintEvaluation(const stacking::v1::EvaluateResponse& response) {
  const stacking::v1::EvaluationResult& r = response.result();
  std::cout << "  " << (r.satisfied() ? "SATISFIED" : "NOT SATISFIED") << ", " << r.counted_ects()
            << " ECTS counted" << (r.optimal() ? " (optimal)" : "") << "\n";
  for (const auto& a : r.assignments()) {
    std::cout << "    " << NameOf(a.credential_id()) << " -> "
              << absl::StrJoin(a.requirement_ids(), ", ") << " (" << a.counted_ects() << " ECTS)\n";
  }
  for (const auto& q : r.requirements()) {
    if (q.satisfied()) continue;
    std::cout << "    missing in " << q.requirement_id() << ": " << q.ects_short() << " ECTS\n";
    for (const auto& miss : q.near_misses()) {
      std::cout << "      " << NameOf(miss.credential_id())
                << " does not count: " << absl::StrJoin(miss.reasons(), "; ") << "\n";
    }
  }
  for (const auto& u : r.unused()) {
    std::cout << "    unused " << NameOf(u.credential_id()) << ": " << u.reason() << "\n";
  }
  if (r.satisfied() || !response.has_suggestion()) return;
  const stacking::v1::Suggestion& s = response.suggestion();
  std::cout << "  suggestion: " << s.added_ects() << " more ECTS"
            << (s.completes_pathway() ? " complete the pathway" : " (not enough in the catalogue)")
            << "\n";
  for (const auto& spec : s.specifications()) {
    std::cout << "    take " << spec.specification().specification_id() << " (" << spec.ects()
              << " ECTS, for " << absl::StrJoin(spec.requirement_ids(), ", ") << ")"
              << (spec.needs_recognition() ? ", then ask for its recognition" : "") << "\n";
  }
}

stacking::v1::EvaluateRequest EvaluateCertificate(const std::vector<std::string>& jws) {
  stacking::v1::EvaluateRequest r;
  r.set_pathway_id(kCertificatePathway);
  for (const std::string& one : jws) r.add_credential_jws(one);
  r.set_include_suggestion(true);
  return r;
}

int Run() {
  if (!crypto::InitCrypto().ok()) return 1;
  std::cout << "Micro-credential ecosystem demo (embedded, in-memory log), policy profile fwb\n";
  DemoEcosystem ecosystem;
  Step("1. Three institutions join the ecosystem and start their nodes");
  auto university = ecosystem.Join(kUniversity);
  auto haute_ecole = ecosystem.Join(kHauteEcole);
  auto partner = ecosystem.Join(kPartner);
  std::cout << "  nodes running: uclouvain, he-vinci, technofutur (admitted by the secretariat)\n";

  Step("2. Each publishes its provider profile and its policy for recognising others");
  PublishProfile(*university, kUniversity,
                 "We recognise micro-credentials of alliance members with external QA unless we "
                 "can show a substantial difference; decisions within four months.");
  PublishProfile(*haute_ecole, kHauteEcole,
                 "Credit transfer for micro-credentials at EQF 5-7 from FWB institutions.");
  PublishProfile(*partner, kPartner, "We value every HEI micro-credential for our courses.");

  Step("3. The university and the haute école publish micro-credentials");
  auto data = Publish(*university, kUniversity, "data-literacy", DataLiteracy(kUniversity.id));
  Publish(*university, kUniversity, "ai-ethics", AiEthics(kUniversity.id));
  Publish(*haute_ecole, kHauteEcole, "cloud-ops", CloudOperations(kHauteEcole.id));
  Publish(*haute_ecole, kHauteEcole, "data-viz", DataVisualisation(kHauteEcole.id));

  Step("4. The training partner searches the whole ecosystem's catalogue");
  if (absl::Status s = partner->catalogue().projector().Sync(absl::Seconds(10)); !s.ok()) {
    Fail("sync", s);
  }
  PrintSearch(*partner, "data");
  PrintSearch(*partner, "");

  Step("5. FWB policy: only higher-education institutions may issue");
  catalogue::v1::PublishSpecificationRequest partner_spec;
  partner_spec.set_request_id("publish-python");
  partner_spec.set_local_id("python-basics");
  *partner_spec.mutable_content() = PythonBasics(kPartner.id);
  ExpectRefusal(partner->catalogue().Publish(Staff(kPartner), partner_spec).status(),
                "a VET provider issuing under fwb");

  Step("6. FWB policy: a micro-credential may not bear a protected degree title");
  catalogue::v1::PublishSpecificationRequest master;
  master.set_request_id("publish-master");
  master.set_local_id("master-data");
  *master.mutable_content() = DataLiteracy(kUniversity.id);
  master.mutable_content()->set_title("Master en science des données");
  ExpectRefusal(university->catalogue().Publish(Staff(kUniversity), master).status(),
                "a protected title");

  Step("7. Only the owner may revise: the haute école tries to revise the university's offer");
  catalogue::v1::ReviseSpecificationRequest revise;
  revise.set_request_id("revise-foreign");
  revise.set_specification_id(data.specification_id());
  revise.set_expected_version(1);
  *revise.mutable_content() = data.content();
  ExpectRefusal(haute_ecole->catalogue().Revise(Staff(kHauteEcole), revise).status(),
                "a revision by another institution");

  Step("8. The university revises its own offer; version 1 stays readable");
  revise.set_request_id("revise-own");
  revise.mutable_content()->mutable_workload()->set_ects(4);
  auto v2 = Must(university->catalogue().Revise(Staff(kUniversity), revise), "revise");
  catalogue::v1::GetSpecificationRequest get_v1;
  get_v1.set_specification_id(data.specification_id());
  get_v1.set_version(1);
  auto v1 = Must(haute_ecole->catalogue().Get(get_v1), "get v1");
  std::cout << "  " << v2.specification_id() << " is now v" << v2.version() << " ("
            << v2.content().workload().ects() << " ECTS); v1 still reads "
            << v1.content().workload().ects() << " ECTS at he-vinci\n";

  Step("9. The university and the haute école issue credentials to their learners");
  auto data_credential =
      Must(university->issuance().Issue(
               Staff(kUniversity),
               IssueRequest("uclouvain-issue-1", "uclouvain/data-literacy", "UCL-2026-0042",
                            "Amélie", "Dubois", "Louvain-la-Neuve")),
           "issue at uclouvain");
  PrintIssued(data_credential);
  auto cloud_credential = Must(
      haute_ecole->issuance().Issue(
          Staff(kHauteEcole), IssueRequest("vinci-issue-1", "he-vinci/cloud-ops", "UCL-2026-0107",
                                           "Youssef", "El Amrani", "Bruxelles")),
      "issue at he-vinci");
  PrintIssued(cloud_credential);
  std::cout << "  the learner holds a compact JWS of " << data_credential.jws().size()
            << " bytes; the shared events name them only as " << data_credential.learner_pseudonym()
            << "\n";

  Step("10. An employer's verifier at the training partner checks the university's credential");
  if (auto s = partner->issuance().projector().Sync(absl::Seconds(10)); !s.ok()) Fail("sync", s);
  PrintReport(partner->issuance(), data_credential.jws());

  Step("11. The university revokes it; the same check now fails");
  issuance::v1::ChangeStatusRequest revoke;
  revoke.set_request_id("revoke-1");
  revoke.set_credential_id(data_credential.credential_id());
  revoke.set_reason("issued in error: the assessment was not completed");
  Must(university->issuance().Revoke(Staff(kUniversity), revoke), "revoke");
  if (auto s = partner->issuance().projector().Sync(absl::Seconds(10)); !s.ok()) Fail("sync", s);
  PrintReport(partner->issuance(), data_credential.jws());

  Step("12. FWB policy at issuance: the training partner may not issue");
  ExpectRefusal(partner->issuance()
                    .Issue(Staff(kPartner), IssueRequest("techno-issue-1", "he-vinci/cloud-ops",
                                                         "TF-1", "Lena", "Martin", "Liège"))
                    .status(),
                "a VET provider issuing under fwb");

  Step("13. The university publishes a policy: he-vinci's cloud operations course counts in full");
  recognition::v1::PublishPolicyRequest policy;
  policy.set_client_request_id("policy-cloud");
  recognition::v1::RecognitionPolicy& p = *policy.mutable_policy();
  p.set_policy_id("uclouvain/vinci-cloud");
  p.set_title("Cloud operations at the Haute École Léonard de Vinci");
  p.set_rationale("Its outcomes, level and workload match our LDATA2010 component.");
  p.set_rank(1);
  p.add_purposes(recognition::v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
  p.add_issuers(kHauteEcole.id);
  p.add_specification_ids("he-vinci/cloud-ops");
  Must(university->recognition().PublishPolicy(RecognitionOfficer(), policy), "policy");
  std::cout << "  published uclouvain/vinci-cloud, rank 1\n";

  Step("14. The learner asks the university for credit transfer: the policy decides at once");
  const auth::Caller learner{.subject = "UCL-2026-0107",
                             .institution_id = kUniversity.id,
                             .roles = {auth::roles::kLearner}};
  if (auto s = university->issuance().projector().Sync(absl::Seconds(10)); !s.ok()) {
    Fail("sync", s);
  }
  PrintRequest(Must(university->recognition().Submit(
                        learner, CreditTransfer("transfer-cloud", cloud_credential.jws())),
                    "submit cloud"));

  Step("15. A second credential no policy covers goes to review: partially recognised");
  auto viz_credential = Must(
      haute_ecole->issuance().Issue(
          Staff(kHauteEcole), IssueRequest("vinci-issue-2", "he-vinci/data-viz", "UCL-2026-0107",
                                           "Youssef", "El Amrani", "Bruxelles")),
      "issue data-viz");
  if (auto s = university->issuance().projector().Sync(absl::Seconds(10)); !s.ok()) {
    Fail("sync", s);
  }
  auto viz = Must(university->recognition().Submit(
                      learner, CreditTransfer("transfer-viz", viz_credential.jws())),
                  "submit viz");
  PrintRequest(viz);
  recognition::v1::DecideRequest decide;
  decide.set_client_request_id("decide-viz");
  decide.set_request_id(viz.request_id());
  *decide.mutable_decision() =
      Decision(recognition::v1::RECOGNITION_OUTCOME_PARTIAL,
               recognition::v1::COMPARISON_ELEMENT_LEARNING_OUTCOMES,
               "LDATA2010 requires statistical modelling, which the course does not cover.",
               recognition::v1::REASON_CODE_LEARNING_OUTCOMES_DIFFER, 2,
               "Recognised for the visualisation part of LDATA2010 only.");
  recognition::v1::DecideRequest unjustified = decide;
  unjustified.set_client_request_id("decide-viz-unjustified");
  unjustified.mutable_decision()->mutable_findings(3)->clear_justification();
  recognition::v1::StartReviewRequest review;
  review.set_client_request_id("review-viz");
  review.set_request_id(viz.request_id());
  Must(university->recognition().StartReview(RecognitionOfficer(), review), "review");
  ExpectRefusal(university->recognition().Decide(RecognitionOfficer(), unjustified).status(),
                "a partial recognition without a justified substantial difference");
  PrintRequest(Must(university->recognition().Decide(RecognitionOfficer(), decide), "decide"));

  Step("16. A revoked credential is recorded as not authentic, and refused");
  auto revoked_credential = Must(
      haute_ecole->issuance().Issue(
          Staff(kHauteEcole), IssueRequest("vinci-issue-3", "he-vinci/data-viz", "UCL-2026-0107",
                                           "Youssef", "El Amrani", "Bruxelles")),
      "issue to revoke");
  issuance::v1::ChangeStatusRequest vinci_revoke;
  vinci_revoke.set_request_id("vinci-revoke-1");
  vinci_revoke.set_credential_id(revoked_credential.credential_id());
  vinci_revoke.set_reason("awarded twice by mistake");
  Must(haute_ecole->issuance().Revoke(Staff(kHauteEcole), vinci_revoke), "revoke at he-vinci");
  if (auto s = university->issuance().projector().Sync(absl::Seconds(10)); !s.ok()) {
    Fail("sync", s);
  }
  auto not_authentic =
      Must(university->recognition().Submit(
               learner, CreditTransfer("transfer-revoked", revoked_credential.jws())),
           "submit revoked");
  review.set_client_request_id("review-revoked");
  review.set_request_id(not_authentic.request_id());
  Must(university->recognition().StartReview(RecognitionOfficer(), review), "review revoked");
  decide.set_client_request_id("decide-revoked");
  decide.set_request_id(not_authentic.request_id());
  *decide.mutable_decision() =
      Decision(recognition::v1::RECOGNITION_OUTCOME_REFUSED,
               recognition::v1::COMPARISON_ELEMENT_QUALITY_ASSURANCE,
               "The issuer revoked the credential: it attests nothing any more.",
               recognition::v1::REASON_CODE_CREDENTIAL_NOT_AUTHENTIC, 0,
               "The credential presented is not authentic (revoked by its issuer).");
  PrintRequest(Must(university->recognition().Decide(RecognitionOfficer(), decide), "refuse"));

  Step("17. Every node knows the university's decisions, not which credentials they were on");
  if (auto s = partner->recognition().projector().Sync(absl::Seconds(10)); !s.ok()) {
    Fail("sync", s);
  }
  for (const auto& d :
       Must(partner->recognition().FindDecisionsForLearner(viz.learner_pseudonym()), "find")) {
    std::cout << "  at technofutur: " << d.request_id() << " -> "
              << recognition::v1::RecognitionOutcome_Name(d.outcome()) << ", "
              << d.recognised_ects() << " ECTS on " << d.credential_count()
              << " credential(s), named by the university's tags only\n";
  }
  // The university alone finds its decisions by credential (stacking reads them there).
  for (const auto* credential : {&cloud_credential, &viz_credential, &revoked_credential}) {
    auto decisions = Must(
        university->recognition().FindDecisionsForCredential(credential->credential_id()), "find");
    for (const auto& d : decisions) {
      std::cout << "  at uclouvain: " << credential->credential_id() << " -> "
                << recognition::v1::RecognitionOutcome_Name(d.outcome()) << ", "
                << d.recognised_ects() << " ECTS\n";
    }
  }

  Step("18. The Université de Liège joins and publishes a course in data protection law");
  auto liege = ecosystem.Join(kLiege);
  PublishProfile(*liege, kLiege, "Credit transfer within the alliance, case by case.");
  auto law = AiEthics(kLiege.id);
  law.set_title("Data protection law in practice");
  law.mutable_workload()->set_ects(3);
  Publish(*liege, kLiege, "data-protection", law);
  auto certificate_spec = DataLiteracy(kUniversity.id);
  certificate_spec.set_title("Certificat d'université en pratique des données");
  certificate_spec.set_description("Conferred on completion of the stacking pathway " +
                                   std::string(kCertificatePathway) + ".");
  certificate_spec.mutable_workload()->set_ects(10);
  Publish(*university, kUniversity, "certificat-donnees", certificate_spec);

  Step("19. The university publishes a 10-ECTS certificate pathway (fwb: at least 10 ECTS)");
  stacking::v1::PublishPathwayRequest pathway;
  pathway.set_request_id("pathway-certificate");
  pathway.set_local_id("certificat-donnees");
  *pathway.mutable_pathway() = DataCertificate("uclouvain/certificat-donnees");
  pathway.mutable_pathway()->mutable_rules()->mutable_group()->mutable_children(2)->set_min_ects(1);
  pathway.mutable_pathway()->mutable_rules()->set_min_ects(9);
  ExpectRefusal(university->stacking().PublishPathway(PathwayEditor(), pathway).status(),
                "a certificate under 10 ECTS");
  *pathway.mutable_pathway() = DataCertificate("uclouvain/certificat-donnees");
  auto published = Must(university->stacking().PublishPathway(PathwayEditor(), pathway), "pathway");
  std::cout << "  " << published.pathway_id() << " v" << published.version()
            << ": digital >= 4 ECTS in ICT (06), data >= 4 ECTS in 0688, society >= 3 ECTS in 04;"
               " he-vinci counts by agreement, others need recognition\n";

  Step("20. A learner with credentials from three issuers: greedy would say short, it is not");
  const std::string ines = "UCL-2026-0311";
  auto own =
      Must(university->issuance().Issue(
               Staff(kUniversity), IssueRequest("uclouvain-issue-ines", "uclouvain/data-literacy",
                                                ines, "Inès", "Lambert", "Louvain-la-Neuve")),
           "issue data literacy to Inès");
  auto cloud =
      Must(haute_ecole->issuance().Issue(
               Staff(kHauteEcole), IssueRequest("vinci-issue-ines", "he-vinci/cloud-ops",
                                                "HEV-78-002", "Inès", "Lambert", "Bruxelles")),
           "issue cloud operations to Inès");
  auto privacy = Must(liege->issuance().Issue(
                          Staff(kLiege), IssueRequest("liege-issue-ines", "uliege/data-protection",
                                                      ines, "Inès", "Lambert", "Liège")),
                      "issue data protection to Inès");
  const std::vector<std::string> held = {own.jws(), cloud.jws(), privacy.jws()};
  credential_names = {{own.credential_id(), "data literacy (uclouvain)"},
                      {cloud.credential_id(), "cloud operations (he-vinci)"},
                      {privacy.credential_id(), "data protection law (uliege)"},
                      {cloud_credential.credential_id(), "Youssef's cloud operations (he-vinci)"},
                      {viz_credential.credential_id(), "Youssef's data visualisation (he-vinci)"}};
  std::cout << "  Inès holds data literacy (uclouvain, 4 ECTS, 0688), cloud operations (he-vinci, 4"
               " ECTS, 0612) and data protection law (uliege, 3 ECTS, 0421)\n";
  if (auto s = university->issuance().projector().Sync(absl::Seconds(10)); !s.ok()) {
    Fail("sync", s);
  }
  const auth::Caller ines_caller{
      .subject = ines, .institution_id = kUniversity.id, .roles = {auth::roles::kLearner}};
  std::cout << "  before any recognition of the Liège credential:\n";
  PrintEvaluation(
      Must(university->stacking().Evaluate(ines_caller, EvaluateCertificate(held)), "evaluate"));

  recognition::v1::PublishPolicyRequest alliance;
  alliance.set_client_request_id("policy-liege");
  recognition::v1::RecognitionPolicy& ap = *alliance.mutable_policy();
  ap.set_policy_id("uclouvain/liege-pathways");
  ap.set_title("University of Liège courses towards our certificates");
  ap.set_rationale("Same QA system (AEQES), outcomes checked per course by the programme board.");
  ap.set_rank(2);
  ap.add_purposes(recognition::v1::RECOGNITION_PURPOSE_PATHWAY);
  ap.add_issuers(kLiege.id);
  Must(university->recognition().PublishPolicy(RecognitionOfficer(), alliance), "policy liege");
  recognition::v1::SubmitRequestRequest towards;
  towards.set_client_request_id("pathway-liege-ines");
  towards.set_purpose(recognition::v1::RECOGNITION_PURPOSE_PATHWAY);
  towards.mutable_target()->set_pathway_id(kCertificatePathway);
  towards.add_credential_jws(privacy.jws());
  PrintRequest(Must(university->recognition().Submit(ines_caller, towards), "submit liege"));
  std::cout << "  a degree audit taking requirements in order, each credential where it first "
               "fits, puts data literacy (0688 is ICT) under \"digital\" and finds nothing for "
               "\"data\": 4 ECTS short. The exact evaluation:\n";
  auto evaluation =
      Must(university->stacking().Evaluate(ines_caller, EvaluateCertificate(held)), "evaluate");
  PrintEvaluation(evaluation);

  Step("21. Nothing is conferred until an officer of the university confirms; then it is issued");
  stacking::v1::ConferRequest confer;
  confer.set_request_id("confer-ines");
  confer.set_pathway_id(kCertificatePathway);
  for (const std::string& one : held) confer.add_credential_jws(one);
  confer.mutable_learner()->set_learner_id(ines);
  confer.mutable_learner()->set_given_name("Inès");
  confer.mutable_learner()->set_family_name("Lambert");
  confer.set_place_of_issuing("Louvain-la-Neuve");
  confer.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
  ExpectRefusal(university->stacking().Confer(ines_caller, confer).status(),
                "a learner conferring on themself");
  auto conferred = Must(university->stacking().Confer(RecognitionOfficer(), confer), "confer");
  std::cout << "  StackConferred: " << conferred.conferral().conferred_credential_id() << " for "
            << conferred.conferral().learner_pseudonym() << ", on "
            << conferred.conferral().constituent_count() << " credentials ("
            << absl::StrJoin(conferred.result().assignments(), ", ",
                             [](std::string* out, const stacking::v1::Assignment& a) {
                               *out += NameOf(a.credential_id());
                             })
            << ": the answer names them, the event counts them)\n";
  issuance::v1::ListLearnerCredentialsRequest list;
  list.set_learner_id(ines);
  const auto listed =
      Must(university->issuance().ListLearnerCredentials(Staff(kUniversity), list), "list");
  for (const auto& c : listed.credentials()) {
    if (c.credential_id() != conferred.conferral().conferred_credential_id()) continue;
    std::cout << "  the certificate, checked at the training partner:\n";
    if (auto s = partner->issuance().projector().Sync(absl::Seconds(10)); !s.ok()) Fail("sync", s);
    PrintReport(partner->issuance(), c.jws());
  }

  Step("22. Another learner is told what is missing, and what in the catalogue would complete it");
  auto viz_only =
      Must(university->stacking().Evaluate(
               learner, EvaluateCertificate({cloud_credential.jws(), viz_credential.jws()})),
           "evaluate Youssef");
  PrintEvaluation(viz_only);

  std::cout << "\nDemo complete.\n";
  return 0;
}

}  // namespace
}  // namespace microcred::demo

int main() { return microcred::demo::Run(); }
