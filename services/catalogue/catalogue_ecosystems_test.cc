// The catalogue of nodes in several ecosystems, each with its own log and registry, on the
// in-memory engines: a specification is published in the ecosystem its request names and keeps
// it (revisions, withdrawal), every node records where each fact came from, a specification id
// lives in one ecosystem, profiles are per ecosystem, and search filters and counts by ecosystem.
#include <gtest/gtest.h>

#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/reasons.h"
#include "libs/events/topics.h"
#include "libs/registry/secretariat.h"
#include "services/catalogue/catalogue_rules.h"
#include "services/catalogue/catalogue_service.h"

namespace microcred::catalogue {
namespace {

using common::v1::PROVIDER_TYPE_HIGHER_EDUCATION;
using common::v1::PROVIDER_TYPE_VET;

auth::Caller Staff(const std::string& institution) {
  return {.subject = "staff@" + institution,
          .institution_id = institution,
          .roles = {"registrar", "catalogue_editor"}};
}

// An ecosystem: its log and its root.
struct Ecosystem {
  explicit Ecosystem(const std::string& id) : root(id, crypto::SigningKey::Generate()) {}
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
  std::unique_ptr<CatalogueService> service;
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

bool Contains(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

class CatalogueEcosystemsTest : public testing::Test {
 protected:
  void SetUp() override {
    // uclouvain is in FWB (home) and the alliance; he-vinci in FWB only; a Spanish VET centre
    // in the alliance only; ulb joined both but the alliance never admitted it.
    Admit(fwb_, *ucl_, PROVIDER_TYPE_HIGHER_EDUCATION);
    Admit(alliance_, *ucl_, PROVIDER_TYPE_HIGHER_EDUCATION);
    Admit(fwb_, *vinci_, PROVIDER_TYPE_HIGHER_EDUCATION);
    Admit(alliance_, *vet_, PROVIDER_TYPE_VET);
    Admit(fwb_, *ulb_, PROVIDER_TYPE_HIGHER_EDUCATION);
    Start(*ucl_, {&fwb_, &alliance_});
    Start(*vinci_, {&fwb_});
    Start(*vet_, {&alliance_});
    Start(*ulb_, {&fwb_, &alliance_});
  }

  static std::unique_ptr<Node> Named(const std::string& id) {
    auto node = std::make_unique<Node>();
    node->institution = id;
    return node;
  }

  void Admit(Ecosystem& ecosystem, const Node& node, common::v1::ProviderType type) {
    registry::v1::MemberAdmitted member;
    member.set_institution_id(node.institution);
    member.set_legal_name("Legal name of " + node.institution);
    member.set_country("BE");
    member.set_provider_type(type);
    *member.add_keys() = registry::RegisteredKey(node.key.public_key());
    ASSERT_TRUE(ecosystem.root.Admit(ecosystem.log, member).ok());
  }

  void Start(Node& node, const std::vector<Ecosystem*>& joined) {
    std::vector<JoinedEcosystem> further;
    for (Ecosystem* e : joined) {
      node.logs.push_back(e->log.Share());
      node.signers.push_back(std::make_unique<events::EnvelopeSigner>(
          node.institution, node.institution + "-node", node.key, e->root.anchor().ecosystem_id));
      if (e != joined.front()) {
        further.push_back({.id = e->root.anchor().ecosystem_id,
                           .log = node.logs.back().get(),
                           .signer = node.signers.back().get(),
                           .trust_anchors = {e->root.anchor()}});
      }
    }
    auto service = CatalogueService::Start({.log = *node.logs.front(),
                                            .store = node.store,
                                            .signer = *node.signers.front(),
                                            .profile = policy_,
                                            .trust_anchors = {joined.front()->root.anchor()},
                                            .further_ecosystems = std::move(further)});
    ASSERT_TRUE(service.ok()) << service.status();
    node.service = *std::move(service);
  }

  absl::StatusOr<v1::Specification> Publish(Node& node, const std::string& local_id,
                                            const std::string& ecosystem,
                                            const std::string& request_id = "") {
    v1::PublishSpecificationRequest request;
    request.set_request_id(request_id.empty() ? "req-" + local_id + "-" + ecosystem : request_id);
    request.set_local_id(local_id);
    request.set_ecosystem_id(ecosystem);
    *request.mutable_content() = samples::DataLiteracy(node.institution);
    return node.service->Publish(Staff(node.institution), request);
  }

  absl::StatusOr<v1::Specification> Get(Node& node, const std::string& spec_id) {
    v1::GetSpecificationRequest get;
    get.set_specification_id(spec_id);
    return node.service->Get(get);
  }

  absl::StatusOr<v1::ProviderProfile> Profile(Node& node, const std::string& institution,
                                              const std::string& ecosystem = "") {
    v1::GetProviderProfileRequest get;
    get.set_institution_id(institution);
    get.set_ecosystem_id(ecosystem);
    return node.service->GetProviderProfile(get);
  }

  void SyncAll() {
    for (Node* node : {ucl_.get(), vinci_.get(), vet_.get(), ulb_.get()}) {
      ASSERT_TRUE(node->service->projector().Sync(absl::Seconds(5)).ok());
    }
  }

  Ecosystem fwb_{"fwb"};
  Ecosystem alliance_{"alliance"};
  domain::PolicyProfile policy_ = *domain::PolicyProfile::Named("eu");
  std::unique_ptr<Node> ucl_ = Named("uclouvain");
  std::unique_ptr<Node> vinci_ = Named("he-vinci");
  std::unique_ptr<Node> vet_ = Named("vet-es");
  std::unique_ptr<Node> ulb_ = Named("ulb");
};

TEST_F(CatalogueEcosystemsTest, APublicationGoesToTheNamedEcosystemAndIsRecordedThere) {
  auto joint = Publish(*ucl_, "joint", "alliance");
  ASSERT_TRUE(joint.ok()) << joint.status();
  EXPECT_EQ(joint->ecosystem_id(), "alliance");
  auto local = Publish(*ucl_, "local", "");  // empty: the home ecosystem
  ASSERT_TRUE(local.ok()) << local.status();
  EXPECT_EQ(local->ecosystem_id(), "fwb");
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kCatalogue), 1);
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kCatalogue), 1);
  SyncAll();

  // Each node sees the ecosystems it joined, each specification with its ecosystem.
  EXPECT_EQ(Get(*vet_, "uclouvain/joint")->ecosystem_id(), "alliance");
  EXPECT_EQ(Get(*vet_, "uclouvain/local").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Get(*vinci_, "uclouvain/local")->ecosystem_id(), "fwb");
  EXPECT_EQ(Get(*vinci_, "uclouvain/joint").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Get(*ulb_, "uclouvain/joint")->ecosystem_id(), "alliance");

  // One search across both, with the ecosystem as a facet and a filter.
  auto all = ulb_->service->Search({});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total(), 2);
  std::map<std::string, int64_t> counts;
  for (const auto& facet : all->facets()) {
    if (facet.name() != "ecosystem") continue;
    for (const auto& c : facet.counts()) counts[c.value()] = c.count();
  }
  EXPECT_EQ(counts, (std::map<std::string, int64_t>{{"alliance", 1}, {"fwb", 1}}));
  v1::SearchSpecificationsRequest in_alliance;
  in_alliance.add_ecosystems("alliance");
  auto found = ulb_->service->Search(in_alliance);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->results_size(), 1);
  EXPECT_EQ(found->results(0).specification_id(), "uclouvain/joint");
}

TEST_F(CatalogueEcosystemsTest, AfterARestartEverySpecificationKeepsItsEcosystemsProviderTypes) {
  ASSERT_TRUE(Publish(*vet_, "welding", "").ok());  // the VET centre's home: the alliance
  SyncAll();
  v1::SearchSpecificationsRequest vet_only;
  vet_only.add_provider_types(PROVIDER_TYPE_VET);
  EXPECT_EQ(ucl_->service->Search(vet_only)->total(), 1);
  // Restarted on its store, uclouvain's node indexes the VET centre's specification with the
  // alliance's registry, not its home's (which does not know the VET centre).
  ucl_->service.reset();
  Start(*ucl_, {&fwb_, &alliance_});
  auto found = ucl_->service->Search(vet_only);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->total(), 1);
  ASSERT_EQ(found->results_size(), 1);
  EXPECT_EQ(found->results(0).ecosystem_id(), "alliance");
}

TEST_F(CatalogueEcosystemsTest, APublicationNamesAJoinedEcosystemWhereTheInstitutionIsAMember) {
  auto malformed = Publish(*ucl_, "x", "no such");
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(malformed.status().message(), "ecosystem_id: ")) << malformed.status();
  auto elsewhere = Publish(*ucl_, "x", "elsewhere");
  EXPECT_EQ(elsewhere.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(elsewhere.status().message(), "ecosystem_id: ")) << elsewhere.status();
  EXPECT_TRUE(Contains(elsewhere.status().message(), "elsewhere")) << elsewhere.status();
  auto not_joined = Publish(*vet_, "x", "fwb");  // the VET centre is in the alliance only
  EXPECT_EQ(not_joined.status().code(), absl::StatusCode::kInvalidArgument);
  auto not_member = Publish(*ulb_, "x", "alliance");  // joined, never admitted there
  EXPECT_EQ(not_member.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(not_member.status().message(), "ecosystem_id: ulb is not a member"))
      << not_member.status();
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kCatalogue), 0);
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kCatalogue), 0);
  // The same institution publishes in its home.
  EXPECT_TRUE(Publish(*ulb_, "x", "").ok());
}

TEST_F(CatalogueEcosystemsTest, RevisionsAndTheWithdrawalFollowTheSpecificationsEcosystem) {
  auto joint = Publish(*ucl_, "joint", "alliance");
  ASSERT_TRUE(joint.ok()) << joint.status();
  v1::ReviseSpecificationRequest revise;
  revise.set_request_id("revise-joint");
  revise.set_specification_id("uclouvain/joint");
  revise.set_expected_version(1);
  *revise.mutable_content() = joint->content();
  revise.mutable_content()->set_title("Joint data literacy");
  auto revised = ucl_->service->Revise(Staff("uclouvain"), revise);
  ASSERT_TRUE(revised.ok()) << revised.status();
  EXPECT_EQ(revised->ecosystem_id(), "alliance");
  v1::WithdrawSpecificationRequest withdraw;
  withdraw.set_request_id("withdraw-joint");
  withdraw.set_specification_id("uclouvain/joint");
  withdraw.set_reason("Replaced by the alliance's master programme.");
  auto withdrawn = ucl_->service->Withdraw(Staff("uclouvain"), withdraw);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->ecosystem_id(), "alliance");
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kCatalogue), 3);
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kCatalogue), 0);
  SyncAll();
  auto seen = Get(*vet_, "uclouvain/joint");
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->version(), 2u);
  EXPECT_EQ(seen->status(), v1::SPECIFICATION_STATUS_WITHDRAWN);
  EXPECT_EQ(seen->ecosystem_id(), "alliance");
}

TEST_F(CatalogueEcosystemsTest, AnIdPublishedInOneEcosystemIsRefusedInAnotherByTheCommand) {
  ASSERT_TRUE(Publish(*ucl_, "course", "fwb").ok());
  auto again = Publish(*ucl_, "course", "alliance");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(Contains(again.status().message(), "published in ecosystem fwb")) << again.status();
  EXPECT_TRUE(Contains(again.status().message(), "alliance")) << again.status();
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kCatalogue), 0);
}

TEST_F(CatalogueEcosystemsTest, AnIdRecordedInAnotherEcosystemIsRefusedByTheProjection) {
  auto course = Publish(*ucl_, "course", "fwb");
  ASSERT_TRUE(course.ok()) << course.status();
  // The same id published straight into the alliance's log under uclouvain's alliance identity.
  v1::SpecificationPublished forged;
  *forged.mutable_specification() = *course;
  forged.mutable_specification()->set_ecosystem_id("alliance");
  const std::string sealed =
      ucl_->signers[1]->Seal(forged, {.partition_key = course->specification_id()});
  ASSERT_TRUE(alliance_.log.Append({topics::kCatalogue, course->specification_id(), sealed}).ok());
  SyncAll();

  // uclouvain's and ulb's nodes read both logs: CONFLICT, naming both ecosystems.
  std::vector<events::v1::DeadLetter> letters = DeadLetters(alliance_.log);
  ASSERT_EQ(letters.size(), 2u);
  for (const auto& letter : letters) {
    EXPECT_EQ(letter.reason_code(), events::reason::kConflict);
    EXPECT_TRUE(Contains(letter.reason(), "fwb")) << letter.reason();
    EXPECT_TRUE(Contains(letter.reason(), "alliance")) << letter.reason();
    EXPECT_EQ(letter.record_value(), sealed);
  }
  EXPECT_EQ(Get(*ucl_, "uclouvain/course")->ecosystem_id(), "fwb");
  EXPECT_EQ(Get(*ulb_, "uclouvain/course")->ecosystem_id(), "fwb");
  // A node of the alliance alone knows nothing of FWB's catalogue: for it, the id is new.
  EXPECT_EQ(Get(*vet_, "uclouvain/course")->ecosystem_id(), "alliance");
}

TEST_F(CatalogueEcosystemsTest, AProfileIsPublishedInEveryJoinedEcosystemOrTheOneNamed) {
  v1::UpsertProviderProfileRequest request;
  request.set_request_id("profile-1");
  v1::ProviderProfile* p = request.mutable_profile();
  p->set_institution_id("uclouvain");
  p->set_legal_name("Legal name of uclouvain");
  p->set_country("BE");
  p->set_provider_type(PROVIDER_TYPE_HIGHER_EDUCATION);
  p->mutable_recognition_policy()->set_text("Everywhere.");
  auto everywhere = ucl_->service->UpsertProviderProfile(Staff("uclouvain"), request);
  ASSERT_TRUE(everywhere.ok()) << everywhere.status();
  EXPECT_EQ(everywhere->ecosystem_id(), "fwb");  // the answer: the home's
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kCatalogue), 1);
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kCatalogue), 1);
  // A retry is answered once.
  ASSERT_TRUE(ucl_->service->UpsertProviderProfile(Staff("uclouvain"), request).ok());
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kCatalogue), 1);
  SyncAll();
  EXPECT_EQ(Profile(*vet_, "uclouvain")->ecosystem_id(), "alliance");
  EXPECT_EQ(Profile(*vinci_, "uclouvain")->ecosystem_id(), "fwb");
  EXPECT_EQ(Profile(*ulb_, "uclouvain", "alliance")->ecosystem_id(), "alliance");

  request.set_request_id("profile-2");
  request.set_ecosystem_id("alliance");
  request.mutable_profile()->mutable_recognition_policy()->set_text("Alliance only.");
  auto alliance_only = ucl_->service->UpsertProviderProfile(Staff("uclouvain"), request);
  ASSERT_TRUE(alliance_only.ok()) << alliance_only.status();
  EXPECT_EQ(alliance_only->ecosystem_id(), "alliance");
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kCatalogue), 1);
  EXPECT_EQ(TopicEnd(alliance_.log, topics::kCatalogue), 2);
  SyncAll();
  EXPECT_EQ(Profile(*ulb_, "uclouvain", "alliance")->recognition_policy().text(), "Alliance only.");
  EXPECT_EQ(Profile(*ulb_, "uclouvain")->recognition_policy().text(), "Everywhere.");
  EXPECT_EQ(Profile(*ulb_, "uclouvain", "fwb")->recognition_policy().text(), "Everywhere.");
  EXPECT_EQ(Profile(*vinci_, "uclouvain", "alliance").status().code(), absl::StatusCode::kNotFound);

  request.set_request_id("profile-3");
  request.set_ecosystem_id("elsewhere");
  auto refused = ucl_->service->UpsertProviderProfile(Staff("uclouvain"), request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(refused.status().message(), "ecosystem_id: ")) << refused.status();
  // ulb is no member of the alliance: a profile "everywhere" is refused whole.
  request.set_request_id("profile-ulb");
  request.clear_ecosystem_id();
  request.mutable_profile()->set_institution_id("ulb");
  request.mutable_profile()->set_legal_name("Legal name of ulb");
  const int64_t fwb_before = TopicEnd(fwb_.log, topics::kCatalogue);
  auto partial = ulb_->service->UpsertProviderProfile(Staff("ulb"), request);
  EXPECT_EQ(partial.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(partial.status().message(), "alliance")) << partial.status();
  EXPECT_EQ(TopicEnd(fwb_.log, topics::kCatalogue), fwb_before);
}

// The rules alone: where an event is written decides what it may change.
class CatalogueRulesEcosystemTest : public testing::Test {
 protected:
  v1::Specification Recorded(const std::string& ecosystem) {
    v1::Specification spec;
    spec.set_specification_id("uclouvain/course");
    spec.set_version(1);
    spec.set_owner_institution("uclouvain");
    spec.set_status(v1::SPECIFICATION_STATUS_PUBLISHED);
    *spec.mutable_content() = samples::DataLiteracy("uclouvain");
    spec.set_ecosystem_id(ecosystem);
    return spec;
  }

  RuleContext Rules() {
    return {.profile = policy_,
            .lookup = [](const std::string& id) -> std::optional<domain::InstitutionFacts> {
              return domain::InstitutionFacts{.institution_id = id,
                                              .provider_type = PROVIDER_TYPE_HIGHER_EDUCATION,
                                              .legal_name = id};
            }};
  }

  domain::PolicyProfile policy_ = *domain::PolicyProfile::Named("eu");
  const int64_t now_ms_ = 1767225600000;  // 2026-01-01
};

TEST_F(CatalogueRulesEcosystemTest, ADecisionRecordsTheEcosystemItIsWrittenIn) {
  v1::Specification proposed = Recorded("");
  auto published =
      DecidePublish(proposed, {"uclouvain", now_ms_, "alliance"}, std::nullopt, Rules());
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->ecosystem_id(), "alliance");
  proposed.set_version(2);
  auto revised = DecideRevise(proposed, {"uclouvain", now_ms_, "alliance"}, *published, Rules());
  ASSERT_TRUE(revised.ok()) << revised.status();
  EXPECT_EQ(revised->ecosystem_id(), "alliance");
}

TEST_F(CatalogueRulesEcosystemTest, AnIdRecordedInAnotherEcosystemIsAConflictNamingBoth) {
  const v1::Specification in_fwb = Recorded("fwb");
  const Author in_alliance{"uclouvain", now_ms_, "alliance"};
  v1::Specification proposed = Recorded("");
  auto published = DecidePublish(proposed, in_alliance, in_fwb, Rules());
  proposed.set_version(2);
  auto revised = DecideRevise(proposed, in_alliance, in_fwb, Rules());
  v1::SpecificationWithdrawn withdrawal;
  withdrawal.set_specification_id("uclouvain/course");
  withdrawal.set_version(1);
  withdrawal.set_reason("Closed.");
  auto withdrawn = DecideWithdraw(withdrawal, in_alliance, in_fwb);
  for (const absl::Status& s : {published.status(), revised.status(), withdrawn.status()}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
    EXPECT_EQ(s.message(),
              "specification_id: uclouvain/course is published in ecosystem fwb; it cannot be "
              "changed in ecosystem alliance");
    EXPECT_EQ(events::ReasonForDecision(s), events::reason::kConflict);
  }
  // In its own ecosystem, the same withdrawal is decided.
  EXPECT_TRUE(DecideWithdraw(withdrawal, {"uclouvain", now_ms_, "fwb"}, in_fwb).ok());
}

TEST_F(CatalogueRulesEcosystemTest, ARecordStatingAnotherEcosystemThanItsLogIsInvalid) {
  auto refused =
      DecidePublish(Recorded("fwb"), {"uclouvain", now_ms_, "alliance"}, std::nullopt, Rules());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind("ecosystem_id: ", 0), 0u) << refused.status();
}

TEST_F(CatalogueRulesEcosystemTest, AProfileIsTheOneOfTheEcosystemItIsWrittenIn) {
  registry::v1::Member member;
  member.mutable_admitted()->set_institution_id("uclouvain");
  member.mutable_admitted()->set_legal_name("UCLouvain");
  member.mutable_admitted()->set_country("BE");
  member.mutable_admitted()->set_provider_type(PROVIDER_TYPE_HIGHER_EDUCATION);
  v1::ProviderProfile proposed;
  proposed.set_institution_id("uclouvain");
  proposed.set_legal_name("UCLouvain");
  proposed.set_country("BE");
  proposed.set_provider_type(PROVIDER_TYPE_HIGHER_EDUCATION);
  proposed.mutable_recognition_policy()->set_text("Case by case.");
  proposed.set_ecosystem_id("fwb");  // output only: what a client sent back is replaced
  auto decided = DecideProfile(proposed, {"uclouvain", now_ms_, "alliance"}, &member);
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->ecosystem_id(), "alliance");
}

}  // namespace
}  // namespace microcred::catalogue
