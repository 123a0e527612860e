// Issuance at nodes of several ecosystems, each with its own log and registry, on the in-memory
// engines: a credential is issued in its specification's ecosystem and recorded with it, its
// status events follow it there (and are refused in another ecosystem's log), the issuer's
// membership is read in the credential's ecosystem (issuing and verifying), and a node of one
// ecosystem knows only that ecosystem's credentials.
#include <gtest/gtest.h>

#include <map>

#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/envelope.h"
#include "libs/events/topics.h"
#include "libs/registry/public_keys.h"
#include "libs/registry/secretariat.h"
#include "services/issuance/issuance_service.h"
#include "services/issuance/status_rules.h"
#include "services/issuance/testing/fake_specifications.h"

namespace microcred::issuance {
namespace {

using common::v1::PROVIDER_TYPE_HIGHER_EDUCATION;

constexpr int64_t kNow = 1795700000000;  // 2026-11-26

auth::Caller Registrar(const std::string& institution) {
  return {
      .subject = "registrar@" + institution, .institution_id = institution, .roles = {"registrar"}};
}

// An ecosystem: its log and its root.
struct Ecosystem {
  explicit Ecosystem(const std::string& id) : root(id, crypto::SigningKey::Generate()) {}
  std::string id() const { return root.anchor().ecosystem_id; }
  MemoryEventLog log;
  registry::Secretariat root;
};

// One institution's node in the ecosystems it joined (the first is its home).
struct Node {
  std::string institution;
  crypto::SigningKey key = crypto::SigningKey::Generate();
  std::vector<std::unique_ptr<EventLog>> logs;
  std::vector<std::unique_ptr<events::EnvelopeSigner>> signers;
  MemoryStateStore store;
  std::unique_ptr<IssuanceService> service;
};

int64_t TopicEnd(MemoryEventLog& log, const std::string& topic) {
  auto ends = log.EndPositions(topic);
  int64_t total = 0;
  for (const auto& [tp, end] : *ends) total += end;
  return total;
}

std::vector<events::v1::DeadLetter> DeadLetters(MemoryEventLog& log) {
  auto reader = log.OpenReader({topics::kDeadLetter}, {});
  std::vector<events::v1::DeadLetter> letters;
  auto records = (*reader)->Poll(std::chrono::milliseconds(50));
  for (const LogRecord& r : *records) {
    events::v1::DeadLetter letter;
    EXPECT_TRUE(letter.ParseFromString(r.value));
    letters.push_back(letter);
  }
  return letters;
}

const v1::VerificationCheck& Check(const v1::VerificationReport& report, const std::string& name) {
  for (const auto& check : report.checks()) {
    if (check.name() == name) return check;
  }
  static v1::VerificationCheck missing;
  return missing;
}

bool Contains(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

class IssuanceEcosystemsTest : public testing::Test {
 protected:
  void SetUp() override {
    // uclouvain is in FWB (home) and the alliance; he-vinci in FWB only; ulb joined both logs
    // but only FWB admitted it.
    Admit(fwb_, *ucl_);
    Admit(alliance_, *ucl_);
    Admit(fwb_, *vinci_);
    Admit(fwb_, *ulb_);
    AddSpec("uclouvain/data", "fwb");
    AddSpec("uclouvain/joint", "alliance");
    AddSpec("ulb/joint", "alliance");
    Start(*ucl_, {&fwb_, &alliance_});
    Start(*vinci_, {&fwb_});
    Start(*ulb_, {&fwb_, &alliance_});
  }

  static std::unique_ptr<Node> Named(const std::string& id) {
    auto node = std::make_unique<Node>();
    node->institution = id;
    return node;
  }

  void Admit(Ecosystem& ecosystem, const Node& node) {
    registry::v1::MemberAdmitted member;
    member.set_institution_id(node.institution);
    member.set_legal_name("Legal name of " + node.institution);
    member.set_country("BE");
    member.set_provider_type(PROVIDER_TYPE_HIGHER_EDUCATION);
    *member.add_keys() = registry::RegisteredKey(node.key.public_key());
    ASSERT_TRUE(ecosystem.root.Admit(ecosystem.log, member).ok());
  }

  // A specification as the catalogue records it: published in `ecosystem`.
  void AddSpec(const std::string& id, const std::string& ecosystem) {
    catalogue::v1::Specification spec;
    spec.set_specification_id(id);
    spec.set_version(1);
    spec.set_owner_institution(id.substr(0, id.find('/')));
    spec.set_status(catalogue::v1::SPECIFICATION_STATUS_PUBLISHED);
    *spec.mutable_content() = catalogue::samples::DataLiteracy(spec.owner_institution());
    spec.set_ecosystem_id(ecosystem);
    specs_.Add(spec);
  }

  void Start(Node& node, const std::vector<Ecosystem*>& joined) {
    node.service.reset();
    node.logs.clear();
    node.signers.clear();
    std::vector<JoinedEcosystem> further;
    for (Ecosystem* e : joined) {
      node.logs.push_back(e->log.Share());
      node.signers.push_back(std::make_unique<events::EnvelopeSigner>(
          node.institution, node.institution + "-node", node.key, e->id()));
      if (e != joined.front()) {
        further.push_back({.id = e->id(),
                           .log = node.logs.back().get(),
                           .signer = node.signers.back().get(),
                           .trust_anchors = {e->root.anchor()}});
      }
    }
    auto service = IssuanceService::Start({.log = *node.logs.front(),
                                           .store = node.store,
                                           .signer = *node.signers.front(),
                                           .profile = policy_,
                                           .trust_anchors = {joined.front()->root.anchor()},
                                           .clock = Clock([] { return kNow; }),
                                           .further_ecosystems = std::move(further)},
                                          {.public_url = "https://" + node.institution + ".example",
                                           .pseudonym_secret = std::string(32, 'p'),
                                           .vault_master_key = std::string(32, 'v')},
                                          node.key, specs_);
    ASSERT_TRUE(service.ok()) << service.status();
    node.service = *std::move(service);
  }

  static v1::IssueCredentialRequest Request(const std::string& request_id, const std::string& spec,
                                            const std::string& learner = "") {
    v1::IssueCredentialRequest r;
    r.set_request_id(request_id);
    r.set_specification_id(spec);
    v1::LearnerIdentity* l = r.mutable_learner();
    l->set_learner_id(learner.empty() ? "s-" + request_id : learner);
    l->set_given_name("Amélie");
    l->set_family_name("Dubois");
    r.mutable_issued_on()->set_year(2026);
    r.mutable_issued_on()->set_month(11);
    r.mutable_issued_on()->set_day(20);
    r.set_place_of_issuing("Louvain-la-Neuve");
    r.set_mode_of_acquisition(v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    return r;
  }

  v1::IssuedCredential MustIssue(Node& node, const v1::IssueCredentialRequest& request) {
    auto issued = node.service->Issue(Registrar(node.institution), request);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? *issued : v1::IssuedCredential();
  }

  static v1::ChangeStatusRequest StatusRequest(const std::string& request_id,
                                               const std::string& credential_id) {
    v1::ChangeStatusRequest r;
    r.set_request_id(request_id);
    r.set_credential_id(credential_id);
    r.set_reason("assessment fraud");
    return r;
  }

  static v1::VerificationReport Verify(Node& node, const std::string& jws) {
    v1::VerifyCredentialRequest request;
    request.set_jws(jws);
    return node.service->Verify(request);
  }

  static std::optional<v1::KnownCredential> Known(Node& node, const std::string& id) {
    EXPECT_TRUE(node.service->projector().Sync(absl::Seconds(10)).ok());
    auto known = node.service->read_model().FindCredential(id);
    EXPECT_TRUE(known.ok()) << known.status();
    return known.ok() ? *known : std::nullopt;
  }

  domain::PolicyProfile policy_ = *domain::PolicyProfile::Named("eu");
  FakeSpecifications specs_;
  Ecosystem fwb_{"fwb"};
  Ecosystem alliance_{"alliance"};
  std::unique_ptr<Node> ucl_ = Named("uclouvain");
  std::unique_ptr<Node> vinci_ = Named("he-vinci");
  std::unique_ptr<Node> ulb_ = Named("ulb");
};

TEST_F(IssuanceEcosystemsTest, ACredentialIsIssuedInItsSpecificationsEcosystemAndRecordedWithIt) {
  const v1::IssuedCredential joint = MustIssue(*ucl_, Request("r-joint", "uclouvain/joint"));
  EXPECT_EQ(joint.ecosystem_id(), "alliance");
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kIssuance), 1);
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kIssuance), 0);
  const v1::IssuedCredential home = MustIssue(*ucl_, Request("r-home", "uclouvain/data"));
  EXPECT_EQ(home.ecosystem_id(), "fwb");
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kIssuance), 1);
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kIssuance), 1);

  // Every node of both ecosystems records where each was issued.
  EXPECT_EQ(Known(*ucl_, joint.credential_id())->ecosystem_id(), "alliance");
  EXPECT_EQ(Known(*ulb_, joint.credential_id())->ecosystem_id(), "alliance");
  EXPECT_EQ(Known(*ulb_, home.credential_id())->ecosystem_id(), "fwb");

  // A cohort's rows go to the ecosystem of each row's specification.
  v1::IssueCredentialsRequest cohort;
  *cohort.add_rows() = Request("c-1", "uclouvain/joint");
  *cohort.add_rows() = Request("c-2", "uclouvain/data");
  auto many = ucl_->service->IssueMany(Registrar("uclouvain"), cohort);
  ASSERT_TRUE(many.ok()) << many.status();
  EXPECT_EQ(many->issued(), 2);
  EXPECT_EQ(many->results(0).credential().ecosystem_id(), "alliance");
  EXPECT_EQ(many->results(1).credential().ecosystem_id(), "fwb");
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kIssuance), 2);
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kIssuance), 2);

  // The report says where it was issued.
  const v1::VerificationReport report = Verify(*ulb_, joint.jws());
  EXPECT_TRUE(report.valid()) << report.DebugString();
  EXPECT_EQ(report.ecosystem_id(), "alliance");
}

TEST_F(IssuanceEcosystemsTest, AnInstitutionIssuesOnlyWhereItIsAMember) {
  auto refused = ulb_->service->Issue(Registrar("ulb"), Request("r-1", "ulb/joint"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "specification_id: ulb/joint is published in ecosystem alliance, where ulb is not a "
            "member");
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kIssuance), 0);
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kIssuance), 0);
}

TEST_F(IssuanceEcosystemsTest, StatusEventsFollowTheCredentialIntoItsEcosystem) {
  const v1::IssuedCredential joint = MustIssue(*ucl_, Request("r-joint", "uclouvain/joint"));
  auto suspended =
      ucl_->service->Suspend(Registrar("uclouvain"), StatusRequest("s-1", joint.credential_id()));
  ASSERT_TRUE(suspended.ok()) << suspended.status();
  auto revoked =
      ucl_->service->Revoke(Registrar("uclouvain"), StatusRequest("v-1", joint.credential_id()));
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->status(), v1::CREDENTIAL_STATUS_REVOKED);
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kIssuance), 3);
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kIssuance), 0);
  EXPECT_EQ(Known(*ulb_, joint.credential_id())->status(), v1::CREDENTIAL_STATUS_REVOKED);
}

TEST_F(IssuanceEcosystemsTest, AStatusEventInAnotherEcosystemsLogIsRefused) {
  const v1::IssuedCredential joint = MustIssue(*ucl_, Request("r-joint", "uclouvain/joint"));
  ASSERT_TRUE(Known(*ulb_, joint.credential_id()).has_value());
  // The issuer's own, validly signed revocation, but in FWB's log: a node of both ecosystems
  // must not let FWB's log change an alliance credential.
  v1::CredentialRevoked revoked;
  revoked.set_credential_id(joint.credential_id());
  revoked.set_reason("assessment fraud");
  const events::EnvelopeSigner in_fwb("uclouvain", "uclouvain-node", ucl_->key, "fwb");
  ASSERT_TRUE(fwb_.log
                  .Append({topics::kIssuance, joint.credential_id(),
                           in_fwb.Seal(revoked, {.partition_key = joint.credential_id(),
                                                 .occurred_at_ms = kNow})})
                  .ok());
  for (Node* node : {ucl_.get(), ulb_.get()}) {
    EXPECT_EQ(Known(*node, joint.credential_id())->status(), v1::CREDENTIAL_STATUS_ACTIVE);
  }
  ASSERT_TRUE(vinci_->service->projector().Sync(absl::Seconds(10)).ok());
  // Refused by every node of FWB: those of both ecosystems name both; he-vinci, of FWB only,
  // never saw the credential.
  std::map<std::string, std::string> refusals;
  for (const events::v1::DeadLetter& letter : DeadLetters(fwb_.log)) {
    EXPECT_EQ(letter.reason_code(), "CONFLICT") << letter.reason();
    refusals[letter.consumer_node()] = letter.reason();
  }
  const std::string conflict = "CONFLICT: credential_id: " + joint.credential_id() +
                               " was issued in ecosystem alliance; its status cannot change in "
                               "ecosystem fwb";
  EXPECT_EQ(refusals["uclouvain-node"], conflict);
  EXPECT_EQ(refusals["ulb-node"], conflict);
  EXPECT_EQ(refusals["he-vinci-node"],
            "CONFLICT: credential_id: " + joint.credential_id() + " was never issued");
  EXPECT_TRUE(Verify(*ulb_, joint.jws()).valid());
}

TEST_F(IssuanceEcosystemsTest, ASuspensionInOneEcosystemLeavesTheOthersCredentialsValid) {
  const v1::IssuedCredential home = MustIssue(*ucl_, Request("r-home", "uclouvain/data"));
  ASSERT_TRUE(fwb_.root.Suspend(fwb_.log, "uclouvain", "quality review").ok());
  ASSERT_TRUE(ucl_->service->projector().Sync(absl::Seconds(10)).ok());

  // Suspended in FWB, not in the alliance: it still issues there, and what it issues there is
  // valid, without a word of the FWB suspension.
  const v1::IssuedCredential joint = MustIssue(*ucl_, Request("r-joint", "uclouvain/joint"));
  EXPECT_EQ(joint.ecosystem_id(), "alliance");
  for (Node* node : {ucl_.get(), ulb_.get()}) {
    ASSERT_TRUE(node->service->projector().Sync(absl::Seconds(10)).ok());
    const v1::VerificationReport report = Verify(*node, joint.jws());
    EXPECT_TRUE(report.valid()) << report.DebugString();
    EXPECT_EQ(report.ecosystem_id(), "alliance");
    EXPECT_FALSE(Contains(Check(report, "policy").detail(), "suspended"))
        << Check(report, "policy").detail();
  }
  // In FWB it issues nothing more; what it issued there before stays valid.
  auto refused = ucl_->service->Issue(Registrar("uclouvain"), Request("r-2", "uclouvain/data"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "issuer: uclouvain is not an active member of the ecosystem fwb");
  const v1::VerificationReport before = Verify(*ulb_, home.jws());
  EXPECT_TRUE(before.valid()) << before.DebugString();
  EXPECT_TRUE(Contains(Check(before, "policy").detail(), "issued before the suspension"));
}

TEST_F(IssuanceEcosystemsTest, ANodeOfOneEcosystemKnowsOnlyItsCredentials) {
  const v1::IssuedCredential joint = MustIssue(*ucl_, Request("r-joint", "uclouvain/joint"));
  const v1::IssuedCredential home = MustIssue(*ucl_, Request("r-home", "uclouvain/data"));
  EXPECT_FALSE(Known(*vinci_, joint.credential_id()).has_value());
  ASSERT_TRUE(Known(*vinci_, home.credential_id()).has_value());
  EXPECT_EQ(Known(*vinci_, home.credential_id())->ecosystem_id(), "fwb");
  const v1::VerificationReport report = Verify(*vinci_, joint.jws());
  EXPECT_FALSE(report.valid());
  EXPECT_FALSE(Check(report, "issued").passed());
  EXPECT_TRUE(Verify(*vinci_, home.jws()).valid());
}

TEST_F(IssuanceEcosystemsTest, AnErasureGoesToTheHomeAndWhereTheLearnerHasCredentials) {
  MustIssue(*ucl_, Request("r-joint", "uclouvain/joint", "learner-1"));
  v1::EraseLearnerRequest erase;
  erase.set_request_id("e-1");
  erase.set_learner_id("learner-1");
  auto erased = ucl_->service->EraseLearner(Registrar("uclouvain"), erase);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kIssuance), 1);       // the LearnerErased
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kIssuance), 2);  // issued, then erased

  // A learner with credentials of the home only: the alliance is not told the pseudonym.
  MustIssue(*ucl_, Request("r-home", "uclouvain/data", "learner-2"));
  erase.set_request_id("e-2");
  erase.set_learner_id("learner-2");
  ASSERT_TRUE(ucl_->service->EraseLearner(Registrar("uclouvain"), erase).ok());
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kIssuance), 3);
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kIssuance), 2);
}

TEST(StatusRulesTest, AStatusChangeIsDecidedOnlyInTheCredentialsEcosystem) {
  v1::KnownCredential known;
  known.set_credential_id("urn:uuid:1");
  known.set_issuer("uclouvain");
  known.set_status(v1::CREDENTIAL_STATUS_ACTIVE);
  known.set_ecosystem_id("alliance");
  v1::CredentialRevoked revoked;
  revoked.set_credential_id("urn:uuid:1");
  revoked.set_reason("fraud");
  EventAuthor author{.institution_id = "uclouvain", .at_ms = kNow, .ecosystem_id = "fwb"};
  auto refused = DecideRevoked(revoked, author, known);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(refused.status().message(),
            "credential_id: urn:uuid:1 was issued in ecosystem alliance; its status cannot change "
            "in ecosystem fwb");
  v1::CredentialSuspended suspended;
  suspended.set_credential_id("urn:uuid:1");
  suspended.set_reason("review");
  EXPECT_EQ(DecideSuspended(suspended, author, known).status().code(), absl::StatusCode::kAborted);
  author.ecosystem_id = "alliance";
  EXPECT_TRUE(DecideRevoked(revoked, author, known).ok());
}

}  // namespace
}  // namespace microcred::issuance
