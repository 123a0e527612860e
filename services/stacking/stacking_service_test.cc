// The stacking service in a Node, on the in-memory engines, under the fwb profile: a haute école
// and a university issue credentials, the university publishes a certificate pathway (visible
// at a third node), a learner's credentials are evaluated (the haute école's counts only once
// the university has recognised it), and the certificate is conferred only on a satisfied
// evaluation, once per client request id, as a credential that verifies and lists its
// constituents; the conferral event names the learner by pseudonym only. A conferral whose event
// could not be appended after it was recorded is completed by the retry.
#include "services/stacking/stacking_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "absl/time/civil_time.h"
#include "google/protobuf/unknown_field_set.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/auth/roles.h"
#include "libs/crypto/crypto.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/topics.h"
#include "libs/ports/testing/failing_event_log.h"
#include "services/mcnode/testing/linkability.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "services/recognition/testing/recognition_test_util.h"
#include "services/stacking/stacking_projection.h"

namespace microcred::stacking {
namespace {

namespace rv1 = recognition::v1;
namespace iv1 = issuance::v1;

const Institution kHauteEcole{"he-vinci", "Haute École Léonard de Vinci"};
const Institution kUniversity{"uclouvain", "Université catholique de Louvain"};
const Institution kOther{"ulb", "Université libre de Bruxelles"};
constexpr char kLearnerId[] = "learner-0042";

auth::Caller Officer(const std::string& institution = kUniversity.id) {
  return {.subject = "officer-anne",
          .institution_id = institution,
          .roles = {auth::roles::kRecognitionOfficer}};
}
auth::Caller Learner() {
  return {
      .subject = kLearnerId, .institution_id = kUniversity.id, .roles = {auth::roles::kLearner}};
}

common::v1::Date DaysAgo(int days) {
  const absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - days;
  return domain::ToDate(day);
}

v1::Requirement Leaf(const std::string& id, double min_ects) {
  v1::Requirement r;
  r.set_requirement_id(id);
  r.set_title("Requirement " + id);
  r.set_min_ects(min_ects);
  return r;
}

// Core: 8 ECTS of the university's own credentials; elective: 2 ECTS in ICT or data ("06").
v1::Pathway Certificate(double core = 8, double elective = 2, double overall = 10) {
  v1::Pathway p;
  p.set_title("Certificat en science des données appliquée");
  p.set_description("Stacks data micro-credentials into a continuing-education certificate.");
  p.mutable_target()->set_kind(v1::TARGET_KIND_CONTINUING_EDUCATION_CERTIFICATE);
  p.mutable_target()->set_title("Certificat en science des données appliquée");
  v1::Requirement& root = *p.mutable_rules();
  root.set_requirement_id("root");
  root.set_title("Certificate");
  root.set_min_ects(overall);
  root.mutable_group()->set_combinator(v1::COMBINATOR_ALL_OF);
  v1::Requirement core_leaf = Leaf("core", core);
  core_leaf.mutable_filter()->add_issuer_institution_ids(kUniversity.id);
  *root.mutable_group()->add_children() = core_leaf;
  v1::Requirement elective_leaf = Leaf("elective", elective);
  elective_leaf.mutable_filter()->add_isced_f_codes("06");
  *root.mutable_group()->add_children() = elective_leaf;
  return p;
}

// A node's handle on the shared log whose next stacking appends fail, as when the broker or the
// process goes down after a conferral was recorded and before its event was written.
std::unique_ptr<testing_ports::FailingEventLog> OutageLog(std::unique_ptr<EventLog> log) {
  auto outage = std::make_unique<testing_ports::FailingEventLog>(std::move(log));
  outage->only_topic = topics::kStacking;
  return outage;
}

// An Open Badge from outside the ecosystem, as the node's outside verifier would read one: any
// text "outside:<subject id>", authentic, its issuer did:web:badges.example (no member), 2 ECTS.
class FakeOutsideVerifier : public verification::FormatVerifier {
 public:
  bool Recognises(std::string_view text) const override { return text.rfind("outside:", 0) == 0; }
  verification::VerifiedCredential Verify(std::string_view text, absl::Time) const override {
    verification::VerifiedCredential out;
    iv1::VerificationReport& report = out.report;
    report.set_valid(true);
    report.set_format(iv1::CREDENTIAL_FORMAT_VC_JWT);
    report.set_credential_id("urn:uuid:outside-1");
    report.set_issuer("did:web:badges.example");
    report.set_credential_json(
        nlohmann::json({{"credentialSubject", {{"id", std::string(text.substr(8))}}}}).dump());
    for (const char* name : {"format", "issuer", "signature", "status", "validity"}) {
      iv1::VerificationCheck& check = *report.add_checks();
      check.set_name(name);
      check.set_passed(true);
    }
    iv1::TrustBasis& basis = *report.mutable_trust_basis();
    basis.set_kind(iv1::TRUST_KIND_DID_WEB);
    basis.set_issuer_id("did:web:badges.example");
    basis.set_statement("issuer key from did:web:badges.example, not an ecosystem member");
    out.facts.set_credential_id(report.credential_id());
    out.facts.set_issuer(report.issuer());
    out.facts.set_title("Open data in practice");
    out.facts.set_ects(2);
    out.facts.set_eqf_level(6);
    *out.facts.mutable_issued_on() = DaysAgo(10);
    return out;
  }
};

class StackingServiceTest : public testing::Test {
 protected:
  void SetUp() override {
    haute_ecole_ = Join(kHauteEcole);
    Institution university = kUniversity;
    university.outside_verifiers = [] {
      std::vector<std::unique_ptr<verification::FormatVerifier>> verifiers;
      verifiers.push_back(std::make_unique<FakeOutsideVerifier>());
      return verifiers;
    };
    university_ = Join(university);
    other_ = Join(kOther);
    ASSERT_TRUE(haute_ecole_ && university_ && other_);
    ul_data_ = PublishSpec(*university_, "data-literacy", catalogue::samples::DataLiteracy);
    ul_ethics_ = PublishSpec(*university_, "ai-ethics", catalogue::samples::AiEthics);
    he_dataviz_ = PublishSpec(*haute_ecole_, "data-vis", catalogue::samples::DataVisualisation);
    certificate_spec_ = PublishSpec(*university_, "certificate", [](const std::string& issuer) {
      catalogue::v1::SpecificationContent c = catalogue::samples::DataLiteracy(issuer);
      c.set_title("Certificat en science des données appliquée");
      c.mutable_workload()->set_ects(11);
      return c;
    });
  }

  std::unique_ptr<Node> Join(const Institution& institution) {
    logs_.push_back(OutageLog(log_.Share()));
    stores_.push_back(std::make_unique<MemoryStateStore>());
    auto node = ecosystem_.Join(*logs_.back(), *stores_.back(), institution);
    EXPECT_TRUE(node.ok()) << node.status();
    return node.ok() ? *std::move(node) : nullptr;
  }

  template <typename Content>
  static std::string PublishSpec(Node& node, const std::string& local_id, Content content) {
    catalogue::v1::PublishSpecificationRequest publish;
    publish.set_request_id("publish-" + local_id);
    publish.set_local_id(local_id);
    *publish.mutable_content() = content(node.institution_id());
    auto spec = node.catalogue().Publish(StaffOf(node.institution_id()), publish);
    EXPECT_TRUE(spec.ok()) << spec.status();
    return spec.ok() ? spec->specification_id() : "";
  }

  // Issues at `node`, then lets every node's issuance read model apply it: a credential is
  // presented elsewhere at once, and under load another node may not have read it yet.
  std::string Issue(Node& node, const std::string& spec) {
    iv1::IssueCredentialRequest r;
    r.set_request_id("award-" + spec.substr(spec.find('/') + 1));
    r.set_specification_id(spec);
    r.mutable_learner()->set_learner_id(kLearnerId);
    r.mutable_learner()->set_given_name("Léa");
    r.mutable_learner()->set_family_name("Lambert");
    r.mutable_learner()->set_email("lea.lambert@example.org");
    *r.mutable_issued_on() = DaysAgo(30);
    r.set_place_of_issuing("Bruxelles");
    r.set_mode_of_acquisition(iv1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    auto issued = node.issuance().Issue(StaffOf(node.institution_id()), r);
    EXPECT_TRUE(issued.ok()) << issued.status();
    for (Node* reader : {haute_ecole_.get(), university_.get(), other_.get()}) {
      EXPECT_TRUE(reader->issuance_read_model().projector().Sync(absl::Seconds(10)).ok());
    }
    return issued.ok() ? issued->jws() : "";
  }

  v1::Pathway PublishCertificate() {
    v1::PublishPathwayRequest r;
    r.set_request_id("publish-certificate");
    r.set_local_id("data-certificate");
    *r.mutable_pathway() = Certificate();
    // Conferred as a credential: the certificate's catalogue specification, issued.
    r.mutable_pathway()->mutable_target()->set_specification_id(certificate_spec_);
    auto published = university_->stacking().PublishPathway(Officer(), r);
    EXPECT_TRUE(published.ok()) << published.status();
    return published.ok() ? *published : v1::Pathway();
  }

  // The university decides at once on the haute école's credentials (its policy).
  void RecogniseAtUniversity(const std::string& jws) {
    ASSERT_TRUE(university_->recognition()
                    .PublishPolicy(Officer(), recognition::testing::AcceptIssuer(
                                                  kUniversity.id, kHauteEcole.id,
                                                  rv1::RECOGNITION_PURPOSE_PATHWAY))
                    .ok());
    rv1::SubmitRequestRequest r;
    r.set_client_request_id("submit-dataviz");
    r.set_purpose(rv1::RECOGNITION_PURPOSE_PATHWAY);
    r.mutable_target()->set_pathway_id(kUniversity.id + "/data-certificate");
    r.add_credential_jws(jws);
    auto submitted = university_->recognition().Submit(Learner(), r);
    ASSERT_TRUE(submitted.ok()) << submitted.status();
    ASSERT_EQ(submitted->state(), rv1::REQUEST_STATE_DECIDED) << submitted->DebugString();
  }

  v1::EvaluateRequest EvaluateAll(const std::vector<std::string>& jws) const {
    v1::EvaluateRequest r;
    r.set_pathway_id(kUniversity.id + "/data-certificate");
    for (const std::string& j : jws) r.add_credential_jws(j);
    return r;
  }

  v1::ConferRequest ConferAll(const std::vector<std::string>& jws,
                              const std::string& id = "confer-1") const {
    v1::ConferRequest r;
    r.set_request_id(id);
    r.set_pathway_id(kUniversity.id + "/data-certificate");
    for (const std::string& j : jws) r.add_credential_jws(j);
    r.mutable_learner()->set_learner_id(kLearnerId);
    r.mutable_learner()->set_given_name("Léa");
    r.mutable_learner()->set_family_name("Lambert");
    r.set_place_of_issuing("Louvain-la-Neuve");
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    return r;
  }

  std::vector<iv1::IssuedCredential> UniversityCredentials() {
    iv1::ListLearnerCredentialsRequest list;
    list.set_learner_id(kLearnerId);
    auto listed = university_->issuance().ListLearnerCredentials(StaffOf(kUniversity.id), list);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return {};
    return {listed->credentials().begin(), listed->credentials().end()};
  }

  LocalEcosystem ecosystem_{"stacking", *domain::PolicyProfile::Named("fwb")};
  MemoryEventLog log_;
  std::vector<std::unique_ptr<testing_ports::FailingEventLog>>
      logs_;  // by node, in the order they joined
  std::vector<std::unique_ptr<MemoryStateStore>> stores_;
  std::unique_ptr<Node> haute_ecole_, university_, other_;
  std::string ul_data_, ul_ethics_, he_dataviz_, certificate_spec_;
};

TEST_F(StackingServiceTest, PublishedPathwayIsVisibleAtEveryNodeAndARetryPublishesOnce) {
  const v1::Pathway pathway = PublishCertificate();
  EXPECT_EQ(pathway.pathway_id(), "uclouvain/data-certificate");
  EXPECT_EQ(pathway.version(), 1u);
  EXPECT_EQ(pathway.owner_institution(), kUniversity.id);
  EXPECT_EQ(pathway.ecosystem_id(), "stacking");  // the node's home: the request named none

  v1::GetPathwayRequest get;
  get.set_pathway_id(pathway.pathway_id());
  absl::StatusOr<v1::Pathway> seen;
  for (int i = 0; i < 200; ++i) {
    seen = other_->stacking().GetPathway(get);
    if (seen.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->SerializeAsString(), pathway.SerializeAsString());

  // A retry answers the first publication.
  v1::PublishPathwayRequest again;
  again.set_request_id("publish-certificate");
  again.set_local_id("data-certificate");
  *again.mutable_pathway() = Certificate();
  auto retried = university_->stacking().PublishPathway(Officer(), again);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->version(), 1u);

  // A revision needs the current version.
  v1::PublishPathwayRequest revise;
  revise.set_request_id("revise-certificate");
  *revise.mutable_pathway() = pathway;
  revise.mutable_pathway()->set_title("Certificat en science des données (2027)");
  revise.set_expected_version(1);
  revise.set_ecosystem_id("elsewhere");  // a revision stays where the pathway was published
  auto elsewhere = university_->stacking().PublishPathway(Officer(), revise);
  EXPECT_EQ(elsewhere.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(elsewhere.status().message(),
            "ecosystem_id: uclouvain/data-certificate is published in ecosystem stacking; a "
            "revision stays there");
  revise.clear_ecosystem_id();
  auto revised = university_->stacking().PublishPathway(Officer(), revise);
  ASSERT_TRUE(revised.ok()) << revised.status();
  EXPECT_EQ(revised->version(), 2u);
  get.set_version(1);
  auto first = university_->stacking().GetPathway(get);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->title(), pathway.title());

  v1::ListPathwaysRequest list;
  auto listed = university_->stacking().ListPathways(list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->pathways_size(), 1);
  EXPECT_EQ(listed->pathways(0).version(), 2u);
}

TEST_F(StackingServiceTest, AnOutsideCredentialCountsOnceTheOwnerRecognisedIt) {
  // The certificate's elective open to any credential: an outside one has no ISCED-F field.
  v1::PublishPathwayRequest publish;
  publish.set_request_id("publish-open-certificate");
  publish.set_local_id("data-certificate");
  *publish.mutable_pathway() = Certificate();
  publish.mutable_pathway()->mutable_rules()->mutable_group()->mutable_children(1)->clear_filter();
  ASSERT_TRUE(university_->stacking().PublishPathway(Officer(), publish).ok());
  const std::string outside = std::string("outside:") + kLearnerId;
  const std::vector<std::string> all = {Issue(*university_, ul_data_),
                                        Issue(*university_, ul_ethics_), outside};
  auto before = university_->stacking().Evaluate(Learner(), EvaluateAll(all));
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_FALSE(before->result().satisfied()) << before->result().DebugString();

  // The learner asks the university to recognise it: no policy names its issuer, an officer
  // decides, seeing its basis.
  rv1::SubmitRequestRequest submit;
  submit.set_client_request_id("submit-outside");
  submit.set_purpose(rv1::RECOGNITION_PURPOSE_PATHWAY);
  submit.mutable_target()->set_pathway_id(kUniversity.id + "/data-certificate");
  submit.add_credential_jws(outside);
  auto submitted = university_->recognition().Submit(Learner(), submit);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state(), rv1::REQUEST_STATE_RECEIVED);
  EXPECT_EQ(submitted->credentials(0).trust_basis().statement(),
            "issuer key from did:web:badges.example, not an ecosystem member");
  EXPECT_EQ(submitted->credentials(0).holder_binding().method(),
            rv1::HOLDER_BINDING_METHOD_SUBJECT_ID);
  rv1::StartReviewRequest review;
  review.set_client_request_id("review-outside");
  review.set_request_id(submitted->request_id());
  ASSERT_TRUE(university_->recognition().StartReview(Officer(), review).ok());
  rv1::DecideRequest decide;
  decide.set_client_request_id("decide-outside");
  decide.set_request_id(submitted->request_id());
  rv1::RecognitionDecision& d = *decide.mutable_decision() =
      recognition::testing::FullDecision(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  d.clear_decided_by();
  d.clear_decided_by_role();
  d.clear_appeal_deadline();
  d.clear_decision_reference();
  d.clear_decided_on();
  d.set_original_ects(2);
  d.set_recognised_ects(2);
  auto decided = university_->recognition().Decide(Officer(), decide);
  ASSERT_TRUE(decided.ok()) << decided.status();
  ASSERT_TRUE(university_->recognition_read_model().projector().Sync(absl::Seconds(10)).ok());

  auto after = university_->stacking().Evaluate(Learner(), EvaluateAll(all));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(after->result().satisfied()) << after->result().DebugString();
  bool counted = false;
  for (const v1::Assignment& a : after->result().assignments()) {
    counted = counted || a.credential_id() == "urn:uuid:outside-1";
  }
  EXPECT_TRUE(counted) << after->result().DebugString();
}

TEST_F(StackingServiceTest, RefusedPublicationsChangeNothing) {
  // fwb: a certificate whose rules guarantee fewer than 10 ECTS.
  v1::PublishPathwayRequest r;
  r.set_request_id("publish-small");
  r.set_local_id("small-certificate");
  *r.mutable_pathway() = Certificate(/*core=*/4, /*elective=*/2, /*overall=*/6);
  auto refused = university_->stacking().PublishPathway(Officer(), r);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_NE(refused.status().message().find("10"), std::string::npos) << refused.status();

  // Not an officer; another institution's token; an ecosystem the node did not join.
  r.set_local_id("data-certificate");
  *r.mutable_pathway() = Certificate();
  r.set_ecosystem_id("nowhere");
  auto nowhere = university_->stacking().PublishPathway(Officer(), r);
  EXPECT_EQ(nowhere.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(nowhere.status().message(), "ecosystem_id: this node has not joined ecosystem nowhere");
  r.clear_ecosystem_id();
  EXPECT_EQ(university_->stacking().PublishPathway(Learner(), r).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(university_->stacking().PublishPathway(Officer(kOther.id), r).status().code(),
            absl::StatusCode::kPermissionDenied);
  // A malformed rule names its field.
  r.mutable_pathway()->mutable_rules()->mutable_group()->mutable_children(0)->set_min_ects(-1);
  auto malformed = university_->stacking().PublishPathway(Officer(), r);
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(malformed.status().message().rfind("rules.", 0), 0u) << malformed.status();

  auto listed = university_->stacking().ListPathways({});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->pathways_size(), 0);
}

TEST_F(StackingServiceTest, ExternalCredentialCountsOnlyOnceRecognisedAndConferralFollows) {
  PublishCertificate();
  const std::string data = Issue(*university_, ul_data_);
  const std::string ethics = Issue(*university_, ul_ethics_);
  const std::string dataviz = Issue(*haute_ecole_, he_dataviz_);
  const std::vector<std::string> all = {data, ethics, dataviz};

  // Before any decision: the haute école's credential does not count.
  v1::EvaluateRequest evaluate = EvaluateAll(all);
  evaluate.set_include_suggestion(true);
  auto before = university_->stacking().Evaluate(Learner(), evaluate);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_FALSE(before->result().satisfied()) << before->result().DebugString();
  EXPECT_TRUE(before->has_suggestion());

  // Confer is refused, and nothing is issued or emitted.
  auto refused = university_->stacking().Confer(Officer(), ConferAll(all));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_EQ(refused.status().message().rfind("credential_jws:", 0), 0u);
  auto none = university_->stacking().FindConferrals(kUniversity.id + "/data-certificate");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(UniversityCredentials().size(), 2u);

  // What if the learner held the haute école's specification (assumed recognised)?
  v1::WhatIfRequest what_if;
  *what_if.mutable_evaluation() = EvaluateAll({data, ethics});
  what_if.add_hypothetical()->set_specification_id(he_dataviz_);
  auto hypothetical = university_->stacking().WhatIf(Learner(), what_if);
  ASSERT_TRUE(hypothetical.ok()) << hypothetical.status();
  EXPECT_TRUE(hypothetical->result().satisfied()) << hypothetical->result().DebugString();

  // Once the university recognised it, it counts.
  RecogniseAtUniversity(dataviz);
  auto after = university_->stacking().Evaluate(Learner(), EvaluateAll(all));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(after->result().satisfied()) << after->result().DebugString();
  EXPECT_EQ(after->result().assignments_size(), 3);

  // Conferral: only an officer of the owner.
  EXPECT_EQ(university_->stacking().Confer(Learner(), ConferAll(all)).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto conferred = university_->stacking().Confer(Officer(), ConferAll(all));
  ASSERT_TRUE(conferred.ok()) << conferred.status();
  const v1::StackConferred& event = conferred->conferral();
  EXPECT_EQ(event.pathway_id(), kUniversity.id + "/data-certificate");
  EXPECT_EQ(event.constituent_count(), 3u);
  EXPECT_TRUE(conferred->result().satisfied());

  // The event names the learner by pseudonym only.
  auto conferrals = university_->stacking().FindConferrals(event.pathway_id());
  ASSERT_TRUE(conferrals.ok());
  ASSERT_EQ(conferrals->size(), 1u);
  const std::string text = (*conferrals)[0].DebugString();
  for (const char* personal : {kLearnerId, "Léa", "Lambert", "lea.lambert"}) {
    EXPECT_EQ(text.find(personal), std::string::npos) << personal << " in " << text;
  }
  EXPECT_FALSE((*conferrals)[0].learner_pseudonym().empty());

  // The conferred credential verifies, and lists its constituents as evidence.
  std::string certificate_jws;
  for (const iv1::IssuedCredential& c : UniversityCredentials()) {
    if (c.credential_id() == event.conferred_credential_id()) certificate_jws = c.jws();
  }
  ASSERT_FALSE(certificate_jws.empty());
  iv1::VerifyCredentialRequest verify;
  verify.set_jws(certificate_jws);
  const iv1::VerificationReport report = other_->issuance().Verify(verify);
  EXPECT_TRUE(report.valid()) << report.DebugString();
  EXPECT_EQ(report.specification_id(), certificate_spec_);
  const std::string payload = certificate_jws.substr(
      certificate_jws.find('.') + 1, certificate_jws.rfind('.') - certificate_jws.find('.') - 1);
  auto document = crypto::Base64UrlDecode(payload);
  ASSERT_TRUE(document.ok());
  EXPECT_NE(document->find("\"evidence\""), std::string::npos);
  for (const v1::Assignment& constituent : conferred->result().assignments()) {
    EXPECT_NE(document->find(constituent.credential_id()), std::string::npos)
        << constituent.credential_id();
  }

  // A retry answers the first conferral: one credential, one event.
  auto retried = university_->stacking().Confer(Officer(), ConferAll(all));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->conferral().conferred_credential_id(), event.conferred_credential_id());
  EXPECT_EQ(UniversityCredentials().size(), 3u);
  conferrals = university_->stacking().FindConferrals(event.pathway_id());
  ASSERT_TRUE(conferrals.ok());
  EXPECT_EQ(conferrals->size(), 1u);
}

// Issue 12: the learner holds credentials of the haute école and of the university; the
// university recognises the haute école's and confers the certificate on all three. An outsider
// reading every shared topic finds no value that some event pairs with the learner's pseudonym
// at the haute école and another with their pseudonym at the university (before: the
// haute école's credential id, in RecognitionDecided and StackConferred).
TEST_F(StackingServiceTest, NoValueOnASharedTopicJoinsTheLearnersPseudonymsOfTwoIssuers) {
  PublishCertificate();
  const std::vector<std::string> all = {Issue(*university_, ul_data_),
                                        Issue(*university_, ul_ethics_),
                                        Issue(*haute_ecole_, he_dataviz_)};
  RecogniseAtUniversity(all[2]);
  auto conferred = university_->stacking().Confer(Officer(), ConferAll(all));
  ASSERT_TRUE(conferred.ok()) << conferred.status();
  EXPECT_EQ(conferred->result().assignments_size(), 3) << "the recognised credential counted";

  auto report =
      FindCrossIssuerLinks(log_, {topics::kRegistry, topics::kCatalogue, topics::kIssuance,
                                  topics::kRecognition, topics::kStacking, topics::kDeadLetter});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->institutions_with_pseudonyms,
            (std::set<std::string>{kHauteEcole.id, kUniversity.id}))
      << report->Describe();
  EXPECT_TRUE(report->links.empty()) << report->Describe();
}

TEST_F(StackingServiceTest, ExemptionIsGrantedByTheEventAloneAfterConfirmation) {
  v1::PublishPathwayRequest publish;
  publish.set_request_id("publish-exemption");
  publish.set_local_id("data-certificate");
  *publish.mutable_pathway() = Certificate();
  v1::PathwayTarget& target = *publish.mutable_pathway()->mutable_target();
  target.set_kind(v1::TARGET_KIND_PROGRAMME_EXEMPTION);
  target.set_title("Dispense de LDATA2010 au master en science des données");
  target.set_programme_id("uclouvain/master-data-science");
  ASSERT_TRUE(university_->stacking().PublishPathway(Officer(), publish).ok());
  const std::string data = Issue(*university_, ul_data_);
  const std::string ethics = Issue(*university_, ul_ethics_);
  const std::string dataviz = Issue(*haute_ecole_, he_dataviz_);
  RecogniseAtUniversity(dataviz);

  v1::ConferRequest confer = ConferAll({data, ethics, dataviz}, "grant-exemption");
  confer.clear_learner();
  EXPECT_EQ(university_->stacking().Confer(Officer(), confer).status().code(),
            absl::StatusCode::kInvalidArgument);
  confer.mutable_learner()->set_learner_id(kLearnerId);
  auto granted = university_->stacking().Confer(Officer(), confer);
  ASSERT_TRUE(granted.ok()) << granted.status();
  const v1::StackConferred& event = granted->conferral();
  EXPECT_EQ(event.target_kind(), v1::TARGET_KIND_PROGRAMME_EXEMPTION);
  EXPECT_EQ(event.programme_id(), "uclouvain/master-data-science");
  EXPECT_TRUE(event.conferred_credential_id().empty());
  EXPECT_EQ(event.learner_pseudonym(), *university_->issuance().LearnerPseudonym(kLearnerId));
  EXPECT_EQ(UniversityCredentials().size(), 2u) << "an exemption issues no credential";
  ASSERT_TRUE(other_->stacking().projector().Sync(absl::Seconds(10)).ok());
  auto known = other_->stacking().FindConferrals(event.pathway_id());
  ASSERT_TRUE(known.ok());
  ASSERT_EQ(known->size(), 1u);
  EXPECT_EQ((*known)[0].SerializeAsString(), event.SerializeAsString());
}

TEST_F(StackingServiceTest, CrashBetweenRecordingAndAppendingAConferralIsRepairedByTheRetry) {
  PublishCertificate();
  const std::vector<std::string> all = {Issue(*university_, ul_data_),
                                        Issue(*university_, ul_ethics_),
                                        Issue(*haute_ecole_, he_dataviz_)};
  RecogniseAtUniversity(all[2]);
  testing_ports::FailingEventLog& university_log = *logs_[1];
  university_log.failures = 1;
  auto lost = university_->stacking().Confer(Officer(), ConferAll(all));
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable) << lost.status();
  auto none = university_->stacking().FindConferrals(kUniversity.id + "/data-certificate");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  // The retry appends the recorded event and answers the first conferral; the credential was
  // issued once.
  auto retried = university_->stacking().Confer(Officer(), ConferAll(all));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_FALSE(retried->conferral().conferred_credential_id().empty());
  EXPECT_EQ(UniversityCredentials().size(), 3u);
  auto again = university_->stacking().Confer(Officer(), ConferAll(all));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), retried->SerializeAsString());
  auto conferrals = university_->stacking().FindConferrals(kUniversity.id + "/data-certificate");
  ASSERT_TRUE(conferrals.ok());
  ASSERT_EQ(conferrals->size(), 1u);
  EXPECT_EQ((*conferrals)[0].SerializeAsString(), retried->conferral().SerializeAsString());

  // The same request id for another command is refused, naming the first.
  v1::PublishPathwayRequest publish;
  publish.set_request_id("confer-1");
  publish.set_local_id("another");
  *publish.mutable_pathway() = Certificate();
  auto reused = university_->stacking().PublishPathway(Officer(), publish);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reused.status().message(),
            "request_id: confer-1 was already used for a confer command");
}

TEST(StackConferredTest, CredentialExactlyWhenTheTargetIsConferredAsOne) {
  v1::Pathway pathway = Certificate();
  pathway.set_pathway_id("uclouvain/data-certificate");
  pathway.set_version(1);
  v1::StackConferred event;
  event.set_pathway_id(pathway.pathway_id());
  event.set_pathway_version(1);
  event.set_learner_pseudonym("lp1_AAAAAAAAAAAAAAAAAAAAAA");
  event.set_target_kind(v1::TARGET_KIND_CONTINUING_EDUCATION_CERTIFICATE);
  event.set_conferred_credential_id("urn:uuid:2");
  auto uncounted = CheckStackConferred(event, "uclouvain", pathway);
  EXPECT_EQ(uncounted.message().rfind("constituent_count:", 0), 0u) << uncounted;
  // An event written before constituent_count names its constituents in the removed field 4:
  // it is still valid.
  v1::StackConferred legacy = event;
  legacy.GetReflection()->MutableUnknownFields(&legacy)->AddLengthDelimited(4, "urn:uuid:1");
  EXPECT_TRUE(CheckStackConferred(legacy, "uclouvain", pathway).ok());
  event.clear_conferred_credential_id();
  event.set_constituent_count(1);
  auto missing = CheckStackConferred(event, "uclouvain", pathway);
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(missing.message().rfind("conferred_credential_id:", 0), 0u) << missing;
  event.set_conferred_credential_id("urn:uuid:2");
  EXPECT_TRUE(CheckStackConferred(event, "uclouvain", pathway).ok());

  event.set_target_kind(v1::TARGET_KIND_PROGRAMME_ADMISSION);
  EXPECT_EQ(CheckStackConferred(event, "uclouvain", pathway).message().rfind("target_kind:", 0),
            0u);
  pathway.mutable_target()->set_kind(v1::TARGET_KIND_PROGRAMME_ADMISSION);
  pathway.mutable_target()->set_programme_id("uclouvain/master-data-science");
  event.set_programme_id("uclouvain/master-data-science");
  EXPECT_EQ(CheckStackConferred(event, "uclouvain", pathway)
                .message()
                .rfind("conferred_credential_id:", 0),
            0u);
  event.clear_conferred_credential_id();
  EXPECT_TRUE(CheckStackConferred(event, "uclouvain", pathway).ok());
  event.set_programme_id("uclouvain/other");
  EXPECT_EQ(CheckStackConferred(event, "uclouvain", pathway).message().rfind("programme_id:", 0),
            0u);
}

TEST_F(StackingServiceTest, EvaluateRefusesWhatItCannotVerify) {
  PublishCertificate();
  const std::string data = Issue(*university_, ul_data_);
  std::string forged = data;
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
  auto refused = university_->stacking().Evaluate(Learner(), EvaluateAll({data, forged}));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind("credential_jws[1]: not authentic", 0), 0u)
      << refused.status();
  v1::EvaluateRequest unknown = EvaluateAll({data});
  unknown.set_pathway_id("uclouvain/nothing");
  EXPECT_EQ(university_->stacking().Evaluate(Learner(), unknown).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace microcred::stacking
