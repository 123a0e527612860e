// The recognition service on the in-memory engines: two institutions share one log; a haute
// école issues credentials (signed and recorded by testing/signed_credentials.h, as its node
// would), a university receives recognition requests for them. Every RPC; authenticity (forged
// and revoked credentials); policies deciding at once or not; manual decisions and appeals under
// the decision rules; retries by client request id, also across a restart and a failed append;
// and refused calls that change nothing.
#include "services/recognition/recognition_service.h"

#include <gtest/gtest.h>

#include <map>

#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/crypto/crypto.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/topics.h"
#include "libs/ports/testing/failing_event_log.h"
#include "libs/registry/secretariat.h"
#include "libs/verification/presented_credential.h"
#include "services/recognition/recognition_state.h"
#include "services/recognition/testing/recognition_test_util.h"
#include "services/recognition/testing/signed_credentials.h"

namespace microcred::recognition {
namespace {

using catalogue::v1::Specification;
using testing::Contains;
using testing::IsError;

constexpr int64_t kNow = 1795700000000;  // 2026-11-26
constexpr char kIssuer[] = "he-vinci";
constexpr char kReceiver[] = "uclouvain";

struct Institution {
  std::string id;
  crypto::SigningKey key = crypto::SigningKey::Generate();
  registry::v1::MemberAdmitted member;
  std::unique_ptr<testing_ports::FailingEventLog> log;
  MemoryStateStore store;
  std::unique_ptr<events::EnvelopeSigner> signer;
  // What the node wires: the registry as its projector applied it, the credentials issued.
  std::unique_ptr<testing::FakeCredentialSources> sources;
  std::unique_ptr<verification::PresentedCredentialVerifier> verifier;
  std::unique_ptr<RecognitionService> recognition;
};

auth::Caller Officer(const std::string& subject = "officer-anne") {
  return {.subject = subject, .institution_id = kReceiver, .roles = {"recognition_officer"}};
}
auth::Caller AppealOfficer(const std::string& subject = "appeal-bruno") {
  return {.subject = subject, .institution_id = kReceiver, .roles = {"appeal_officer"}};
}
auth::Caller Learner(const std::string& id = "learner-lea") {
  return {.subject = id, .institution_id = kReceiver, .roles = {"learner"}};
}
auth::Caller Jury(const std::string& subject) {
  return {.subject = subject, .institution_id = kReceiver, .roles = {"jury_member"}};
}

// A decision as an officer sends it: the service sets who, when and the appeal's last day.
v1::RecognitionDecision OfficerDecision() {
  v1::RecognitionDecision d = testing::FullDecision();
  d.clear_decided_on();
  d.clear_appeal_deadline();
  d.clear_decision_reference();
  d.clear_decided_by();
  d.clear_decided_by_role();
  d.set_original_ects(3);
  d.set_recognised_ects(3);
  return d;
}

v1::RecognitionPolicy DataPolicy() {
  v1::RecognitionPolicy p;
  p.set_policy_id(std::string(kReceiver) + "/he-data");
  p.set_title("Data literacy of partner hautes écoles");
  p.set_rationale("The partner's data literacy course matches our STAT component.");
  p.set_rank(1);
  p.add_purposes(v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
  p.add_issuers(kIssuer);
  p.add_specification_ids(std::string(kIssuer) + "/data");
  return p;
}

class RecognitionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    profile_ = std::make_unique<domain::PolicyProfile>(*domain::PolicyProfile::Named("fwb"));
    issued_.AddSpecification(Spec("he-vinci/data", catalogue::samples::DataLiteracy(kIssuer)));
    issued_.AddSpecification(Spec("he-vinci/ethics", catalogue::samples::AiEthics(kIssuer)));
    issuer_ = Join(kIssuer);
    receiver_ = Join(kReceiver);
  }

  static Specification Spec(const std::string& id, catalogue::v1::SpecificationContent c) {
    Specification spec;
    spec.set_specification_id(id);
    spec.set_version(1);
    spec.set_owner_institution(id.substr(0, id.find('/')));
    spec.set_status(catalogue::v1::SPECIFICATION_STATUS_PUBLISHED);
    *spec.mutable_content() = std::move(c);
    return spec;
  }

  std::unique_ptr<Institution> Join(const std::string& id) {
    auto inst = std::make_unique<Institution>();
    inst->id = id;
    registry::v1::MemberAdmitted member;
    member.set_institution_id(id);
    member.set_legal_name("Legal name of " + id);
    member.set_country("BE");
    member.set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
    *member.add_keys() = registry::RegisteredKey(inst->key.public_key());
    EXPECT_TRUE(root_.Admit(log_, member).ok());
    inst->member = member;
    inst->log = std::make_unique<testing_ports::FailingEventLog>(log_.Share());
    inst->signer = std::make_unique<events::EnvelopeSigner>(id, id + "-node", inst->key);
    inst->sources = std::make_unique<testing::FakeCredentialSources>(
        issued_, [at = inst.get()](const std::string& institution_id) {
          return at->recognition->projector().FindMember(institution_id);
        });
    inst->verifier =
        std::make_unique<verification::PresentedCredentialVerifier>(*inst->sources, *profile_);
    StartRecognition(*inst);
    return inst;
  }

  void StartRecognition(Institution& inst) {
    inst.recognition.reset();
    auto recognition = RecognitionService::Start(
        {.log = *inst.log,
         .store = inst.store,
         .signer = *inst.signer,
         .profile = *profile_,
         .trust_anchors = {root_.anchor()},
         .clock = Clock([this] { return now_ms_; })},
        {.pseudonym_secret = std::string(32, 'p'), .vault_master_key = std::string(32, 'v')},
        *inst.verifier);
    ASSERT_TRUE(recognition.ok()) << recognition.status();
    inst.recognition = *std::move(recognition);
  }

  // A credential of the haute école, known at the university.
  issuance::v1::IssuedCredential IssueAtHauteEcole(
      const std::string& request_id, const std::string& spec = "he-vinci/data",
      const std::string& learner_id = "learner-lea",
      const std::string& email = "lea.lambert@example.org") {
    issuance::v1::IssueCredentialRequest r;
    r.set_request_id(request_id);
    r.set_specification_id(spec);
    issuance::v1::LearnerIdentity* learner = r.mutable_learner();
    // The learner's id in the alliance, the one she signs in with at the university too:
    // holder binding recomputes the credential's hashed learner id from it.
    learner->set_learner_id(learner_id);
    learner->set_given_name("Léa");
    learner->set_family_name("Lambert");
    learner->set_email(email);
    r.mutable_issued_on()->set_year(2026);
    r.mutable_issued_on()->set_month(11);
    r.mutable_issued_on()->set_day(20);
    r.set_place_of_issuing("Bruxelles");
    r.mutable_grade()->set_value("15/20");
    r.mutable_grade()->set_grading_scheme("Belgian 0-20 scale");
    r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    auto issued =
        issued_.Issue(issuer_->member, issuer_->key, "https://he-vinci.example", r, now_ms_);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? *issued : issuance::v1::IssuedCredential();
  }

  v1::SubmitRequestRequest Submission(const std::string& client_id, std::vector<std::string> jws) {
    v1::SubmitRequestRequest r;
    r.set_client_request_id(client_id);
    r.set_purpose(v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
    v1::ComponentTarget& component = *r.mutable_target()->mutable_component();
    component.set_programme_id("uclouvain/master-data");
    component.set_component_id("LSTAT2020");
    component.set_ects(3);
    for (std::string& one : jws) r.add_credential_jws(std::move(one));
    return r;
  }

  v1::RecognitionRequest MustSubmit(const std::string& client_id, std::vector<std::string> jws) {
    auto submitted = receiver_->recognition->Submit(Learner(), Submission(client_id, jws));
    EXPECT_TRUE(submitted.ok()) << submitted.status();
    return submitted.ok() ? *submitted : v1::RecognitionRequest();
  }

  void MustPublish(v1::RecognitionPolicy policy, const std::string& client_id = "policy-1") {
    v1::PublishPolicyRequest r;
    r.set_client_request_id(client_id);
    *r.mutable_policy() = std::move(policy);
    auto published = receiver_->recognition->PublishPolicy(Officer(), r);
    ASSERT_TRUE(published.ok()) << published.status();
  }

  // A request taken to UNDER_REVIEW, with no policy deciding it.
  v1::RecognitionRequest UnderReview(const std::string& client_id) {
    const auto issued = IssueAtHauteEcole("cred-" + client_id, "he-vinci/ethics");
    v1::RecognitionRequest submitted = MustSubmit(client_id, {issued.jws()});
    EXPECT_EQ(submitted.state(), v1::REQUEST_STATE_RECEIVED);
    v1::StartReviewRequest start;
    start.set_client_request_id(client_id + "-review");
    start.set_request_id(submitted.request_id());
    auto reviewed = receiver_->recognition->StartReview(Officer(), start);
    EXPECT_TRUE(reviewed.ok()) << reviewed.status();
    return reviewed.ok() ? *reviewed : v1::RecognitionRequest();
  }

  absl::StatusOr<v1::RecognitionRequest> Decide(const std::string& client_id,
                                                const std::string& request_id,
                                                v1::RecognitionDecision d,
                                                const auth::Caller& caller = Officer()) {
    v1::DecideRequest r;
    r.set_client_request_id(client_id);
    r.set_request_id(request_id);
    *r.mutable_decision() = std::move(d);
    return receiver_->recognition->Decide(caller, r);
  }

  // Everything the receiver stores and everything on the log's topics.
  struct Snapshot {
    std::vector<std::pair<std::string, std::string>> store;
    std::map<std::string, int64_t> log_ends;
    bool operator==(const Snapshot&) const = default;
  };
  Snapshot Take() {
    Snapshot s;
    s.store = *receiver_->store.ScanPrefix("");
    for (const char* topic :
         {topics::kRegistry, topics::kIssuance, topics::kRecognition, topics::kDeadLetter}) {
      auto ends = log_.EndPositions(topic);
      s.log_ends[topic] = ends->empty() ? 0 : ends->begin()->second;
    }
    return s;
  }

  // What the receiver's outbox holds (libs/command/command_path.h).
  std::vector<std::pair<std::string, std::string>> Outbox() {
    return *receiver_->store.ScanPrefix(receiver_->recognition->projector().OutboxKey(""));
  }

  std::vector<LogRecord> RecognitionRecords() {
    auto reader = log_.OpenReader({topics::kRecognition}, {});
    std::vector<LogRecord> all;
    while (true) {
      auto records = (*reader)->Poll(std::chrono::milliseconds(20));
      if (!records.ok() || records->empty()) break;
      all.insert(all.end(), records->begin(), records->end());
    }
    return all;
  }

  MemoryEventLog log_;
  registry::Secretariat root_{"alliance", crypto::SigningKey::Generate()};
  std::unique_ptr<domain::PolicyProfile> profile_;
  testing::IssuedCredentials issued_;  // every node knows them
  int64_t now_ms_ = kNow;
  std::unique_ptr<Institution> issuer_, receiver_;
};

TEST_F(RecognitionServiceTest, PolicyMatchDecidesAtOnceAndEveryNodeKnowsTheDecision) {
  MustPublish(DataPolicy());
  const auto issued = IssueAtHauteEcole("c1");
  v1::RecognitionRequest request = MustSubmit("sub-1", {issued.jws()});
  EXPECT_EQ(request.state(), v1::REQUEST_STATE_DECIDED);
  EXPECT_EQ(request.receiving_institution(), kReceiver);
  EXPECT_TRUE(request.request_id().starts_with("uclouvain/"));
  ASSERT_EQ(request.credentials_size(), 1);
  EXPECT_EQ(request.credentials(0).authenticity(), v1::AUTHENTICITY_AUTHENTIC);
  EXPECT_EQ(request.credentials(0).jws(), issued.jws());  // the learner gets it back
  EXPECT_EQ(request.credentials(0).facts().issuer(), kIssuer);
  EXPECT_EQ(request.credentials(0).facts().ects(), 3);
  EXPECT_EQ(request.credentials(0).facts().eqf_level(), 6);
  EXPECT_EQ(request.decision().outcome(), v1::RECOGNITION_OUTCOME_FULL);
  EXPECT_EQ(request.decision().decided_by_policy(), "uclouvain/he-data");
  EXPECT_EQ(request.decision().policy_version(), 1u);
  EXPECT_EQ(request.decision().recognised_ects(), 3);

  // The issuer's node knows the university's decision too, under the university's pseudonym;
  // only the university finds it from the credential (the event names the credential by the
  // university's tag, so the issuer cannot join its own pseudonym of the learner to it).
  ASSERT_TRUE(issuer_->recognition->projector().Sync(absl::Seconds(10)).ok());
  for (Institution* at : {receiver_.get(), issuer_.get()}) {
    auto by_learner = at->recognition->FindDecisionsForLearner(request.learner_pseudonym());
    ASSERT_TRUE(by_learner.ok());
    ASSERT_EQ(by_learner->size(), 1u) << at->id;
    EXPECT_EQ(by_learner->at(0).decided_by_policy(), "uclouvain/he-data");
    EXPECT_EQ(by_learner->at(0).credential_count(), 1u);
    auto decisions = at->recognition->FindDecisionsForCredential(issued.credential_id());
    ASSERT_TRUE(decisions.ok()) << decisions.status();
    ASSERT_EQ(decisions->size(), at == receiver_.get() ? 1u : 0u) << at->id;
  }
}

// Alliances are the registry's groups: a policy naming one matches its members as the registry
// says now, so a member admitted to the alliance later is matched from then on.
TEST_F(RecognitionServiceTest, AnIssuerGroupIsTheRegistrysAlliance) {
  v1::RecognitionPolicy alliance = DataPolicy();
  alliance.set_policy_id(std::string(kReceiver) + "/alliance");
  alliance.clear_issuers();
  alliance.add_issuer_groups("una-europa");
  MustPublish(alliance);
  const auto first = IssueAtHauteEcole("c-group-1");
  EXPECT_EQ(MustSubmit("sub-group-1", {first.jws()}).state(), v1::REQUEST_STATE_RECEIVED)
      << "not a member of the alliance yet: left for review";

  registry::v1::MemberAdmitted member;
  member.set_institution_id(kIssuer);
  member.set_legal_name("Legal name of he-vinci");
  member.set_country("BE");
  member.set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  *member.add_keys() = registry::RegisteredKey(issuer_->key.public_key());
  member.add_groups("una-europa");
  ASSERT_TRUE(root_.Admit(log_, member).ok());
  ASSERT_TRUE(receiver_->recognition->projector().Sync(absl::Seconds(10)).ok());

  const auto second = IssueAtHauteEcole("c-group-2");
  const v1::RecognitionRequest decided = MustSubmit("sub-group-2", {second.jws()});
  EXPECT_EQ(decided.state(), v1::REQUEST_STATE_DECIDED);
  EXPECT_EQ(decided.decision().decided_by_policy(), "uclouvain/alliance");
}

TEST_F(RecognitionServiceTest, NoPersonalDataOnTheTopicNorInClearInTheStore) {
  MustPublish(DataPolicy());
  const auto issued = IssueAtHauteEcole("c-privacy");
  v1::RecognitionRequest request = MustSubmit("sub-privacy", {issued.jws()});
  ASSERT_EQ(request.state(), v1::REQUEST_STATE_DECIDED);
  const std::vector<LogRecord> records = RecognitionRecords();
  ASSERT_EQ(records.size(), 2u);  // the policy and the decision
  const std::string signature = issued.jws().substr(issued.jws().rfind('.') + 1);
  for (const LogRecord& record : records) {
    for (const std::string& personal : {std::string("learner-lea"), std::string("Lambert"),
                                        signature, issued.jws().substr(0, 40)}) {
      EXPECT_EQ(record.value.find(personal), std::string::npos) << personal;
    }
  }
  auto stored = receiver_->store.ScanPrefix("recognition/");
  ASSERT_TRUE(stored.ok());
  for (const auto& [key, value] : *stored) {
    EXPECT_EQ(value.find("learner-lea"), std::string::npos) << key;
    EXPECT_EQ(value.find(signature), std::string::npos) << key;
  }
}

TEST_F(RecognitionServiceTest, ForgedAndRevokedCredentialsAreRecordedNotAuthentic) {
  MustPublish(DataPolicy());
  const auto issued = IssueAtHauteEcole("c-forged");
  std::string forged = issued.jws();
  forged[forged.rfind('.') + 5] = forged[forged.rfind('.') + 5] == 'A' ? 'B' : 'A';
  v1::RecognitionRequest request = MustSubmit("sub-forged", {forged});
  EXPECT_EQ(request.state(), v1::REQUEST_STATE_RECEIVED);  // a person looks at it
  ASSERT_EQ(request.credentials_size(), 1);
  EXPECT_EQ(request.credentials(0).authenticity(), v1::AUTHENTICITY_NOT_AUTHENTIC);
  EXPECT_EQ(request.credentials(0).failed_check(), "signature");

  const auto revoked = IssueAtHauteEcole("c-revoked");
  ASSERT_TRUE(issued_.Revoke(revoked.credential_id(), "issued in error", now_ms_).ok());
  request = MustSubmit("sub-revoked", {revoked.jws()});
  EXPECT_EQ(request.state(), v1::REQUEST_STATE_RECEIVED);
  EXPECT_EQ(request.credentials(0).authenticity(), v1::AUTHENTICITY_NOT_AUTHENTIC);
  EXPECT_EQ(request.credentials(0).failed_check(), "status");
  EXPECT_TRUE(Contains(request.credentials(0).failed_detail(), "issued in error"));

  // The officer refuses it, with the reason and a justified substantial difference.
  v1::StartReviewRequest start;
  start.set_client_request_id("review-revoked");
  start.set_request_id(request.request_id());
  ASSERT_TRUE(receiver_->recognition->StartReview(Officer(), start).ok());
  v1::RecognitionDecision refusal = OfficerDecision();
  refusal.set_outcome(v1::RECOGNITION_OUTCOME_REFUSED);
  refusal.set_recognised_ects(0);
  testing::AddSubstantialDifference(refusal, v1::COMPARISON_ELEMENT_QUALITY_ASSURANCE,
                                    "The issuer revoked the credential: it attests nothing.");
  refusal.clear_reason_codes();
  refusal.add_reason_codes(v1::REASON_CODE_CREDENTIAL_NOT_AUTHENTIC);
  refusal.set_reasons("The credential presented was revoked by its issuer.");
  auto decided = Decide("decide-revoked", request.request_id(), refusal);
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->decision().outcome(), v1::RECOGNITION_OUTCOME_REFUSED);
}

TEST_F(RecognitionServiceTest, NoMatchGoesToReviewAndPartialNeedsAJustification) {
  MustPublish(DataPolicy());
  v1::RecognitionRequest request = UnderReview("sub-ethics");
  ASSERT_EQ(request.state(), v1::REQUEST_STATE_UNDER_REVIEW);
  auto stored = RecognitionState(receiver_->store).Request(request.request_id());
  EXPECT_TRUE(Contains((*stored)->manual_review_reason(), "no policy matches"));

  v1::RecognitionDecision partial = OfficerDecision();
  partial.set_outcome(v1::RECOGNITION_OUTCOME_PARTIAL);
  partial.set_recognised_ects(2);
  partial.set_reasons("Only part of the outcomes are covered.");
  partial.clear_reason_codes();
  partial.add_reason_codes(v1::REASON_CODE_LEARNING_OUTCOMES_DIFFER);
  const Snapshot before = Take();
  auto refused = Decide("decide-partial", request.request_id(), partial);
  EXPECT_TRUE(IsError(refused.status(), absl::StatusCode::kInvalidArgument, "decision.findings"))
      << refused.status();
  EXPECT_TRUE(Take() == before) << "a refused decision writes nothing and appends nothing";

  testing::AddSubstantialDifference(partial, v1::COMPARISON_ELEMENT_LEARNING_OUTCOMES,
                                    "Two of the five outcomes of LSTAT2020 are not covered.");
  auto decided = Decide("decide-partial", request.request_id(), partial);
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->state(), v1::REQUEST_STATE_DECIDED);
  EXPECT_EQ(decided->decision().outcome(), v1::RECOGNITION_OUTCOME_PARTIAL);
  EXPECT_EQ(decided->decision().decided_by(), "officer-anne");
  EXPECT_EQ(decided->decision().decided_by_role(), "recognition_officer");
  EXPECT_FALSE(decided->decision().appeal_deadline().year() == 0);
  auto decisions = receiver_->recognition->FindDecisionsForCredential(
      decided->credentials(0).facts().credential_id());
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_EQ(decisions->at(0).outcome(), v1::RECOGNITION_OUTCOME_PARTIAL);
  EXPECT_EQ(decisions->at(0).recognised_ects(), 2);
  EXPECT_TRUE(decisions->at(0).decided_by_policy().empty());
}

TEST_F(RecognitionServiceTest, AppealIsDecidedByAnotherPerson) {
  v1::RecognitionRequest request = UnderReview("sub-appeal");
  v1::RecognitionDecision refusal = testing::Refusal();
  refusal.clear_decided_on();
  refusal.clear_appeal_deadline();
  refusal.set_original_ects(3);
  ASSERT_TRUE(Decide("decide-1", request.request_id(), refusal).ok());

  v1::AppealRequest appeal;
  appeal.set_client_request_id("appeal-1");
  appeal.set_request_id(request.request_id());
  appeal.set_grounds("The level of the course is EQF 6, as the credential states.");
  // Another learner may not appeal this request.
  EXPECT_EQ(receiver_->recognition->Appeal(Learner("someone-else"), appeal).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto appealed = receiver_->recognition->Appeal(Learner(), appeal);
  ASSERT_TRUE(appealed.ok()) << appealed.status();
  EXPECT_EQ(appealed->state(), v1::REQUEST_STATE_APPEALED);

  v1::DecideAppealRequest on_appeal;
  on_appeal.set_client_request_id("appeal-decision-1");
  on_appeal.set_request_id(request.request_id());
  v1::RecognitionDecision full = OfficerDecision();
  full.clear_remedies();
  full.add_remedies(v1::REMEDY_COURT);
  *on_appeal.mutable_decision() = full;
  // The officer who decided first, even holding the appeal role, may not decide the appeal.
  const Snapshot before = Take();
  auto same = receiver_->recognition->DecideAppeal(AppealOfficer("officer-anne"), on_appeal);
  EXPECT_TRUE(IsError(same.status(), absl::StatusCode::kPermissionDenied, "decision.decided_by"))
      << same.status();
  EXPECT_TRUE(Take() == before);
  auto decided = receiver_->recognition->DecideAppeal(AppealOfficer(), on_appeal);
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->state(), v1::REQUEST_STATE_APPEAL_DECIDED);
  EXPECT_EQ(decided->appeal().decision().outcome(), v1::RECOGNITION_OUTCOME_FULL);
  auto decisions = receiver_->recognition->FindDecisionsForCredential(
      decided->credentials(0).facts().credential_id());
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_TRUE(decisions->at(0).on_appeal());
  EXPECT_EQ(decisions->at(0).outcome(), v1::RECOGNITION_OUTCOME_FULL);
}

TEST_F(RecognitionServiceTest, RetriesReturnTheFirstAnswerAlsoAfterARestart) {
  MustPublish(DataPolicy());
  const auto issued = IssueAtHauteEcole("c-retry");
  v1::RecognitionRequest first = MustSubmit("sub-retry", {issued.jws()});
  const size_t events = RecognitionRecords().size();
  v1::RecognitionRequest again = MustSubmit("sub-retry", {issued.jws()});
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  ASSERT_NO_FATAL_FAILURE(StartRecognition(*receiver_));
  again = MustSubmit("sub-retry", {issued.jws()});
  EXPECT_EQ(again.request_id(), first.request_id());
  EXPECT_EQ(again.decision().decided_at_ms(), first.decision().decided_at_ms());
  EXPECT_EQ(RecognitionRecords().size(), events);
  // The same client request id for another command is refused.
  v1::WithdrawRequest withdraw;
  withdraw.set_client_request_id("sub-retry");
  withdraw.set_request_id(first.request_id());
  EXPECT_TRUE(IsError(receiver_->recognition->Withdraw(Learner(), withdraw).status(),
                      absl::StatusCode::kFailedPrecondition, "client_request_id"));
  // A policy retried.
  v1::PublishPolicyRequest policy;
  policy.set_client_request_id("policy-1");
  *policy.mutable_policy() = DataPolicy();
  auto republished = receiver_->recognition->PublishPolicy(Officer(), policy);
  ASSERT_TRUE(republished.ok()) << republished.status();
  EXPECT_EQ(republished->version(), 1u);
}

TEST_F(RecognitionServiceTest, DecisionAppendedAfterAFailedAppendAndAtRestart) {
  MustPublish(DataPolicy());
  const auto issued = IssueAtHauteEcole("c-outbox");
  receiver_->log->failures = 1;
  auto failed = receiver_->recognition->Submit(Learner(), Submission("sub-outbox", {issued.jws()}));
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_EQ(RecognitionRecords().size(), 1u);  // only the policy
  // The retry appends the stored event once.
  v1::RecognitionRequest retried = MustSubmit("sub-outbox", {issued.jws()});
  EXPECT_EQ(retried.state(), v1::REQUEST_STATE_DECIDED);
  EXPECT_EQ(RecognitionRecords().size(), 2u);
  EXPECT_TRUE(Outbox().empty());

  // A crash after the commit: the restart appends what the outbox holds.
  const auto second = IssueAtHauteEcole("c-outbox-2");
  receiver_->log->failures = 1;
  EXPECT_FALSE(
      receiver_->recognition->Submit(Learner(), Submission("sub-outbox-2", {second.jws()})).ok());
  EXPECT_EQ(Outbox().size(), 1u);
  ASSERT_NO_FATAL_FAILURE(StartRecognition(*receiver_));
  EXPECT_TRUE(Outbox().empty());
  EXPECT_EQ(RecognitionRecords().size(), 3u);
  EXPECT_EQ(receiver_->recognition->FindDecisionsForCredential(second.credential_id())->size(), 1u);
}

TEST_F(RecognitionServiceTest, ACredentialWhoseHolderIsSomeoneElseIsRefusedWithTheReason) {
  MustPublish(DataPolicy());
  const auto issued = IssueAtHauteEcole("c-holder");
  const Snapshot before = Take();
  EXPECT_TRUE(IsError(
      receiver_->recognition->Submit(Learner("learner-bob"), Submission("sub-bob", {issued.jws()}))
          .status(),
      absl::StatusCode::kFailedPrecondition,
      "credential_jws[0]: holder: the credential is not the learner's: the subject id is none "
      "of the learner's ids, none of its 3 identifiers (2 hashed) is one of theirs"));
  v1::SubmitRequestRequest with_ids = Submission("sub-ids", {issued.jws()});
  with_ids.add_learner_identifiers("lea.lambert@example.org");
  EXPECT_TRUE(IsError(receiver_->recognition->Submit(Learner("learner-bob"), with_ids).status(),
                      absl::StatusCode::kInvalidArgument,
                      "learner_identifiers: recorded by a "
                      "recognition officer only"));
  v1::SubmitRequestRequest bad_proof = Submission("sub-proof", {issued.jws()});
  bad_proof.add_holder_proofs("not a jws");
  EXPECT_TRUE(IsError(receiver_->recognition->Submit(Learner(), bad_proof).status(),
                      absl::StatusCode::kInvalidArgument, "holder_proofs[0]: jws: "));
  v1::SubmitRequestRequest blank_id = Submission("sub-blank", {issued.jws()});
  blank_id.set_learner_id("lea-at-uclouvain");
  blank_id.add_learner_identifiers(" ");
  EXPECT_TRUE(IsError(receiver_->recognition->Submit(Officer(), blank_id).status(),
                      absl::StatusCode::kInvalidArgument, "learner_identifiers[0]: is required"));
  EXPECT_TRUE(Take() == before) << "nothing stored, no event";
}

TEST_F(RecognitionServiceTest, TheHolderBindingIsRecordedWithTheCredential) {
  MustPublish(DataPolicy());
  // The learner herself: the credential's hashed learner id is recomputed from her id.
  const v1::RecognitionRequest own =
      MustSubmit("sub-own", {IssueAtHauteEcole("c-own", "he-vinci/ethics").jws()});
  const v1::HolderBinding& binding = own.credentials(0).holder_binding();
  EXPECT_TRUE(binding.bound());
  EXPECT_EQ(binding.method(), v1::HOLDER_BINDING_METHOD_HASHED_IDENTIFIER);
  EXPECT_EQ(binding.detail(),
            "the subject's salted SHA-256 identifier (sisSourcedId) is the hash of the "
            "learner_id");
  EXPECT_EQ(binding.checked_at_ms(), now_ms_);

  // An officer, for a learner known here by another id, records her e-mail address.
  v1::SubmitRequestRequest by_officer =
      Submission("sub-officer", {IssueAtHauteEcole("c-officer", "he-vinci/ethics").jws()});
  by_officer.set_learner_id("lea-at-uclouvain");
  by_officer.add_learner_identifiers(" Lea.Lambert@example.org");
  auto submitted = receiver_->recognition->Submit(Officer(), by_officer);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->credentials(0).holder_binding().method(),
            v1::HOLDER_BINDING_METHOD_HASHED_IDENTIFIER);
  EXPECT_NE(submitted->credentials(0).holder_binding().detail().find("learner_identifiers[0]"),
            std::string::npos);

  // Information provided later is bound the same way, with the identifiers recorded.
  v1::RequestInformationRequest ask;
  ask.set_client_request_id("ask-holder");
  ask.set_request_id(submitted->request_id());
  ask.set_what("Please add the credential of the data course as well.");
  ASSERT_TRUE(receiver_->recognition->RequestInformation(Officer(), ask).ok());
  v1::ProvideInformationRequest provide;
  provide.set_client_request_id("provide-holder");
  provide.set_request_id(submitted->request_id());
  provide.add_additional_credential_jws(
      IssueAtHauteEcole("c-carl", "he-vinci/data", "carl", "carl@example.org").jws());
  EXPECT_TRUE(IsError(receiver_->recognition->ProvideInformation(Officer(), provide).status(),
                      absl::StatusCode::kFailedPrecondition,
                      "additional_credential_jws[0]: holder: the credential is not the "
                      "learner's"));
  // Her credential under another learner id there: the e-mail address recorded binds it.
  provide.set_additional_credential_jws(
      0, IssueAtHauteEcole("c-lea-2", "he-vinci/data", "HEV-0042").jws());
  auto provided = receiver_->recognition->ProvideInformation(Officer(), provide);
  ASSERT_TRUE(provided.ok()) << provided.status();
  ASSERT_EQ(provided->credentials_size(), 2);
  EXPECT_TRUE(provided->credentials(1).holder_binding().bound());
  EXPECT_NE(provided->credentials(1).holder_binding().detail().find("(emailAddress)"),
            std::string::npos);
}

TEST_F(RecognitionServiceTest, RefusedCallsChangeNothing) {
  MustPublish(DataPolicy());
  v1::RecognitionRequest request = UnderReview("sub-refusals");
  const auto issued = IssueAtHauteEcole("c-refusals");
  const Snapshot before = Take();
  v1::SubmitRequestRequest bad_target = Submission("bad-target", {issued.jws()});
  bad_target.clear_target();
  EXPECT_TRUE(IsError(receiver_->recognition->Submit(Learner(), bad_target).status(),
                      absl::StatusCode::kInvalidArgument, "target"));
  v1::SubmitRequestRequest no_purpose = Submission("no-purpose", {issued.jws()});
  no_purpose.set_purpose(v1::RECOGNITION_PURPOSE_UNSPECIFIED);
  EXPECT_TRUE(IsError(receiver_->recognition->Submit(Learner(), no_purpose).status(),
                      absl::StatusCode::kInvalidArgument, "purpose"));
  EXPECT_TRUE(IsError(receiver_->recognition->Submit(Learner(), Submission("no-cred", {})).status(),
                      absl::StatusCode::kInvalidArgument, "credential_jws"));
  EXPECT_TRUE(
      IsError(receiver_->recognition->Submit(Learner(), Submission("", {issued.jws()})).status(),
              absl::StatusCode::kInvalidArgument, "client_request_id"));
  v1::SubmitRequestRequest for_other = Submission("for-other", {issued.jws()});
  for_other.set_learner_id("someone-else");
  EXPECT_TRUE(IsError(receiver_->recognition->Submit(Learner(), for_other).status(),
                      absl::StatusCode::kPermissionDenied, "learner_id"));
  auth::Caller foreign = Officer();
  foreign.institution_id = kIssuer;
  EXPECT_TRUE(IsError(
      receiver_->recognition->Submit(foreign, Submission("foreign", {issued.jws()})).status(),
      absl::StatusCode::kPermissionDenied, "caller"));
  // A decision before the review started, by a learner, or by a jury member.
  v1::RecognitionRequest received = request;
  EXPECT_TRUE(
      IsError(Decide("d-learner", request.request_id(), OfficerDecision(), Learner()).status(),
              absl::StatusCode::kPermissionDenied, "caller"));
  EXPECT_TRUE(
      IsError(Decide("d-jury", request.request_id(), OfficerDecision(), Jury("jury-1")).status(),
              absl::StatusCode::kPermissionDenied, "decision.decided_by_role"));
  EXPECT_TRUE(IsError(Decide("d-unknown", "uclouvain/none", OfficerDecision()).status(),
                      absl::StatusCode::kNotFound, "request_id"));
  v1::AppealRequest early;
  early.set_client_request_id("early-appeal");
  early.set_request_id(request.request_id());
  early.set_grounds("I disagree.");
  EXPECT_TRUE(IsError(receiver_->recognition->Appeal(Learner(), early).status(),
                      absl::StatusCode::kFailedPrecondition, "state"));
  v1::RequestInformationRequest no_what;
  no_what.set_client_request_id("info-empty");
  no_what.set_request_id(request.request_id());
  EXPECT_TRUE(IsError(receiver_->recognition->RequestInformation(Officer(), no_what).status(),
                      absl::StatusCode::kInvalidArgument, "what"));
  // Policies: another institution's, a taken rank, a stale version.
  v1::PublishPolicyRequest policy;
  policy.set_client_request_id("policy-bad");
  *policy.mutable_policy() = DataPolicy();
  policy.mutable_policy()->set_policy_id("he-vinci/mine");
  policy.mutable_policy()->set_receiving_institution(kIssuer);
  EXPECT_EQ(receiver_->recognition->PublishPolicy(Officer(), policy).status().code(),
            absl::StatusCode::kPermissionDenied);
  *policy.mutable_policy() = DataPolicy();
  policy.mutable_policy()->set_policy_id("uclouvain/other");
  EXPECT_TRUE(IsError(receiver_->recognition->PublishPolicy(Officer(), policy).status(),
                      absl::StatusCode::kFailedPrecondition, "policy.rank"));
  *policy.mutable_policy() = DataPolicy();
  EXPECT_TRUE(IsError(receiver_->recognition->PublishPolicy(Officer(), policy).status(),
                      absl::StatusCode::kAlreadyExists, "policy.version"));
  EXPECT_EQ(receiver_->recognition->PublishPolicy(Learner(), policy).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Take() == before);
}

TEST_F(RecognitionServiceTest, InformationRequestedAndProvidedThenWithdrawn) {
  const auto ethics = IssueAtHauteEcole("c-info", "he-vinci/ethics");
  v1::RecognitionRequest request = MustSubmit("sub-info", {ethics.jws()});
  v1::RequestInformationRequest ask;
  ask.set_client_request_id("ask-1");
  ask.set_request_id(request.request_id());
  ask.set_what("Please add the credential of the data course as well.");
  auto incomplete = receiver_->recognition->RequestInformation(Officer(), ask);
  ASSERT_TRUE(incomplete.ok()) << incomplete.status();
  EXPECT_EQ(incomplete->state(), v1::REQUEST_STATE_INCOMPLETE);
  EXPECT_EQ(incomplete->decision_due_at_ms(), 0);  // the clock stopped

  const auto data = IssueAtHauteEcole("c-info-2");
  v1::ProvideInformationRequest provide;
  provide.set_client_request_id("provide-1");
  provide.set_request_id(request.request_id());
  provide.set_note("Here it is.");
  provide.add_additional_credential_jws(data.jws());
  auto received = receiver_->recognition->ProvideInformation(Learner(), provide);
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_EQ(received->state(), v1::REQUEST_STATE_RECEIVED);
  ASSERT_EQ(received->credentials_size(), 2);
  EXPECT_EQ(received->credentials(1).jws(), data.jws());
  EXPECT_EQ(received->credentials(1).authenticity(), v1::AUTHENTICITY_AUTHENTIC);

  v1::GetRequestRequest get;
  get.set_request_id(request.request_id());
  EXPECT_EQ(receiver_->recognition->Get(Learner("someone-else"), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto got = receiver_->recognition->Get(Learner(), get);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->SerializeAsString(), received->SerializeAsString());

  v1::WithdrawRequest withdraw;
  withdraw.set_client_request_id("withdraw-1");
  withdraw.set_request_id(request.request_id());
  withdraw.set_reason("I take the course here instead.");
  auto withdrawn = receiver_->recognition->Withdraw(Learner(), withdraw);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->state(), v1::REQUEST_STATE_WITHDRAWN);
  EXPECT_EQ(withdrawn->history_size(), 4);
  EXPECT_TRUE(withdrawn->history(0).actor().starts_with("learner:lp1_"));
}

TEST_F(RecognitionServiceTest, ListFiltersPagesAndCountsOverdue) {
  MustPublish(DataPolicy());
  for (int i = 0; i < 3; ++i) {
    const auto c = IssueAtHauteEcole("c-list-" + std::to_string(i),
                                     i == 0 ? "he-vinci/data" : "he-vinci/ethics");
    now_ms_ += 1000;
    MustSubmit("sub-list-" + std::to_string(i), {c.jws()});
  }
  v1::ListRequestsRequest all;
  all.set_page_size(2);
  auto page = receiver_->recognition->List(Officer(), all);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->requests_size(), 2);
  ASSERT_FALSE(page->next_page_token().empty());
  all.set_page_token(page->next_page_token());
  auto rest = receiver_->recognition->List(Officer(), all);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->requests_size(), 1);
  EXPECT_TRUE(rest->next_page_token().empty());

  v1::ListRequestsRequest received;
  received.add_states(v1::REQUEST_STATE_RECEIVED);
  EXPECT_EQ(receiver_->recognition->List(Officer(), received)->requests_size(), 2);
  EXPECT_EQ(receiver_->recognition->List(Learner("nobody"), received)->requests_size(), 0);
  EXPECT_EQ(receiver_->recognition->List(Learner(), received)->requests_size(), 2);

  now_ms_ += absl::ToInt64Milliseconds(absl::Hours(24 * 200));  // past the four months
  v1::ListRequestsRequest overdue;
  overdue.set_overdue_only(true);
  auto late = receiver_->recognition->List(Officer(), overdue);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->requests_size(), 2);
  EXPECT_EQ(late->overdue_count(), 2);
}

TEST_F(RecognitionServiceTest, VaeRequestIsDecidedByItsJury) {
  v1::VaeFile file;
  for (auto [from, to] : {std::pair{2015, 2018}, std::pair{2019, 2022}}) {
    v1::ActivityPeriod& period = *file.add_activities();
    period.mutable_from()->set_year(from);
    period.mutable_from()->set_month(1);
    period.mutable_to()->set_year(to);
    period.mutable_to()->set_month(12);
    period.set_kind(v1::ACTIVITY_KIND_PROFESSIONAL);
    period.set_description("Data analyst");
  }
  v1::CheckVaeEligibilityRequest check;
  *check.mutable_file() = file;
  auto eligibility = receiver_->recognition->CheckVaeEligibility(check);
  ASSERT_TRUE(eligibility.ok()) << eligibility.status();
  EXPECT_TRUE(eligibility->met());

  v1::SubmitVaeRequestRequest submit;
  submit.set_client_request_id("vae-1");
  submit.set_purpose(v1::RECOGNITION_PURPOSE_ADMISSION);
  submit.mutable_target()->set_programme_id("uclouvain/master-data");
  *submit.mutable_file() = file;
  auto request = receiver_->recognition->SubmitVae(Learner(), submit);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->state(), v1::REQUEST_STATE_RECEIVED);
  EXPECT_EQ(request->vae_file().activities_size(), 2);
  EXPECT_TRUE(request->vae_eligibility().met());

  v1::StartReviewRequest start;
  start.set_client_request_id("vae-review");
  start.set_request_id(request->request_id());
  ASSERT_TRUE(receiver_->recognition->StartReview(Jury("jury-1"), start).ok());
  v1::RecognitionDecision d = OfficerDecision();
  d.set_original_ects(0);
  d.set_recognised_ects(0);
  d.mutable_vae()->add_jury_members("jury-1");
  d.mutable_vae()->add_jury_members("jury-2");
  *d.mutable_vae()->mutable_eligibility_shown() = request->vae_eligibility();
  // A recognition officer does not decide a VAE request.
  EXPECT_EQ(Decide("vae-officer", request->request_id(), d).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto decided = Decide("vae-decide", request->request_id(), d, Jury("jury-1"));
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->decision().decided_by_role(), "jury_member");
  auto decisions = receiver_->recognition->FindDecisionsForLearner(request->learner_pseudonym());
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_EQ(decisions->at(0).request_type(), v1::REQUEST_TYPE_VAE);
}

TEST_F(RecognitionServiceTest, PoliciesAreVersionedAndListedAtEveryNode) {
  MustPublish(DataPolicy());
  v1::RecognitionPolicy second = DataPolicy();
  second.set_policy_id("uclouvain/any-hei");
  second.set_title("Any higher-education institution, EQF 6 or more");
  second.set_rank(2);
  second.clear_issuers();
  second.clear_specification_ids();
  second.add_provider_types(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  second.set_min_eqf_level(6);
  MustPublish(second, "policy-2");
  v1::RecognitionPolicy revised = DataPolicy();
  revised.set_version(1);
  revised.set_status(v1::POLICY_STATUS_RETIRED);
  MustPublish(revised, "policy-1-retire");

  v1::ListPoliciesRequest list;
  auto active = receiver_->recognition->ListPolicies(list);
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->policies_size(), 1);
  EXPECT_EQ(active->policies(0).policy_id(), "uclouvain/any-hei");
  list.set_include_retired(true);
  list.set_receiving_institution(kReceiver);
  ASSERT_TRUE(issuer_->recognition->projector().Sync(absl::Seconds(10)).ok());
  auto everywhere = issuer_->recognition->ListPolicies(list);
  ASSERT_TRUE(everywhere.ok());
  ASSERT_EQ(everywhere->policies_size(), 2);
  EXPECT_EQ(everywhere->policies(0).policy_id(), "uclouvain/he-data");
  EXPECT_EQ(everywhere->policies(0).version(), 2u);
  EXPECT_EQ(everywhere->policies(0).status(), v1::POLICY_STATUS_RETIRED);

  // The retired policy no longer decides; the second one does, from its new index.
  const auto issued = IssueAtHauteEcole("c-versioned", "he-vinci/ethics");
  v1::RecognitionRequest request = MustSubmit("sub-versioned", {issued.jws()});
  EXPECT_EQ(request.state(), v1::REQUEST_STATE_DECIDED);
  EXPECT_EQ(request.decision().decided_by_policy(), "uclouvain/any-hei");
}

}  // namespace
}  // namespace microcred::recognition
