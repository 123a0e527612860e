// The catalogue across nodes on the in-memory engines: commands, their refusals (which change
// nothing), and what every consumer does with forged, malformed and replayed events.
#include "services/catalogue/catalogue_service.h"

#include <gtest/gtest.h>

#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/reasons.h"
#include "libs/events/topics.h"
#include "libs/registry/secretariat.h"

namespace microcred::catalogue {
namespace {

using common::v1::PROVIDER_TYPE_HIGHER_EDUCATION;
using common::v1::PROVIDER_TYPE_VET;

auth::Caller Staff(const std::string& institution) {
  return {.subject = "staff@" + institution,
          .institution_id = institution,
          .roles = {"registrar", "catalogue_editor"}};
}

// A Belgian higher-education institution's profile, under `legal_name`, with request id
// `request_id`.
v1::UpsertProviderProfileRequest ProfileRequest(const std::string& request_id,
                                                const std::string& institution_id,
                                                const std::string& legal_name) {
  v1::UpsertProviderProfileRequest request;
  request.set_request_id(request_id);
  v1::ProviderProfile* p = request.mutable_profile();
  p->set_institution_id(institution_id);
  p->set_legal_name(legal_name);
  p->set_country("BE");
  p->set_provider_type(PROVIDER_TYPE_HIGHER_EDUCATION);
  p->mutable_recognition_policy()->set_text("We recognise unless a substantial difference.");
  return request;
}

// One institution's catalogue node: its key, its own store, its own handle on the shared log.
struct TestNode {
  std::string institution;
  crypto::SigningKey key;
  std::unique_ptr<EventLog> log;
  std::unique_ptr<MemoryStateStore> store;
  std::unique_ptr<events::EnvelopeSigner> signer;
  std::unique_ptr<CatalogueService> service;
};

class CatalogueServiceTest : public testing::Test {
 protected:
  CatalogueServiceTest()
      : secretariat_("test-alliance", crypto::SigningKey::Generate()),
        policy_(*domain::PolicyProfile::Named("fwb")) {}

  void SetUp() override {
    ASSERT_TRUE(secretariat_.Define(log_, "test-alliance", policy_.ToRules(), {}).ok());
    a_ = Join("uclouvain", PROVIDER_TYPE_HIGHER_EDUCATION);
    b_ = Join("he-vinci", PROVIDER_TYPE_HIGHER_EDUCATION);
  }

  std::unique_ptr<TestNode> Join(const std::string& id, common::v1::ProviderType type) {
    auto node = std::make_unique<TestNode>(TestNode{id, crypto::SigningKey::Generate()});
    registry::v1::MemberAdmitted member;
    member.set_institution_id(id);
    member.set_legal_name(id == "uclouvain" ? "Université catholique de Louvain"
                                            : "Legal name of " + id);
    member.set_country("BE");
    member.set_provider_type(type);
    *member.add_keys() = registry::RegisteredKey(node->key.public_key());
    EXPECT_TRUE(secretariat_.Admit(log_, member).ok());
    Start(*node, std::make_unique<MemoryStateStore>());
    return node;
  }

  void Start(TestNode& node, std::unique_ptr<MemoryStateStore> store) {
    node.service.reset();
    node.log = log_.Share();
    node.store = std::move(store);
    node.signer = std::make_unique<events::EnvelopeSigner>(node.institution,
                                                           node.institution + "-node", node.key);
    auto service =
        CatalogueService::Start({.log = *node.log,
                                 .store = *node.store,
                                 .signer = *node.signer,
                                 .profile = policy_,
                                 .trust_anchors = {secretariat_.anchor(), other_root_.anchor()}});
    ASSERT_TRUE(service.ok()) << service.status();
    node.service = *std::move(service);
  }

  absl::StatusOr<v1::Specification> Publish(TestNode& node, const std::string& local_id,
                                            v1::SpecificationContent content,
                                            const std::string& request_id = "") {
    v1::PublishSpecificationRequest request;
    request.set_request_id(request_id.empty() ? "req-" + local_id : request_id);
    request.set_local_id(local_id);
    *request.mutable_content() = std::move(content);
    return node.service->Publish(Staff(node.institution), request);
  }

  int64_t TopicEnd(const std::string& topic) {
    auto ends = log_.EndPositions(topic);
    int64_t total = 0;
    for (const auto& [tp, end] : *ends) total += end;
    return total;
  }

  std::vector<events::v1::DeadLetter> DeadLetters() {
    auto reader = log_.OpenReader({topics::kDeadLetter}, {});
    std::vector<events::v1::DeadLetter> letters;
    auto records = (*reader)->Poll(std::chrono::milliseconds(50));
    for (const LogRecord& r : *records) {
      events::v1::DeadLetter letter;
      EXPECT_TRUE(letter.ParseFromString(r.value));
      letters.push_back(letter);
    }
    return letters;
  }

  void SyncAll() {
    for (TestNode* node : {a_.get(), b_.get()}) {
      ASSERT_TRUE(node->service->projector().Sync(absl::Seconds(5)).ok());
    }
  }

  MemoryEventLog log_;
  registry::Secretariat secretariat_;
  // Another ecosystem's root, which every node here trusts too; it admitted none of them.
  registry::Secretariat other_root_{"other-alliance", crypto::SigningKey::Generate()};
  domain::PolicyProfile policy_;
  std::unique_ptr<TestNode> a_, b_;
};

TEST_F(CatalogueServiceTest, PublishedSpecificationIsFoundFromAnotherNode) {
  auto spec = Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"));
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->specification_id(), "uclouvain/data-literacy");
  EXPECT_EQ(spec->version(), 1u);
  EXPECT_EQ(spec->status(), v1::SPECIFICATION_STATUS_PUBLISHED);
  EXPECT_GT(spec->published_at_ms(), 0);
  SyncAll();
  v1::SearchSpecificationsRequest search;
  search.set_text("litteracy data");  // one word misspelt: no match expected
  EXPECT_EQ(b_->service->Search(search)->total(), 0);
  search.set_text("DATA literacy");
  auto found = b_->service->Search(search);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->total(), 1);
  EXPECT_EQ(found->results(0).specification_id(), "uclouvain/data-literacy");
}

TEST_F(CatalogueServiceTest, InvalidContentIsRefusedAndChangesNothing) {
  v1::SpecificationContent content = samples::DataLiteracy("uclouvain");
  content.mutable_workload()->set_ects(-3);
  const int64_t before = TopicEnd(topics::kCatalogue);
  const size_t keys_before = a_->store->ScanPrefix("")->size();
  auto spec = Publish(*a_, "bad", content);
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(spec.status().message().find("content.workload.ects"), std::string::npos)
      << spec.status();
  EXPECT_EQ(TopicEnd(topics::kCatalogue), before);
  EXPECT_EQ(a_->store->ScanPrefix("")->size(), keys_before);
}

TEST_F(CatalogueServiceTest, AnotherInstitutionsTokenIsPermissionDenied) {
  v1::PublishSpecificationRequest request;
  request.set_request_id("r1");
  request.set_local_id("x");
  *request.mutable_content() = samples::DataLiteracy("uclouvain");
  auto spec = a_->service->Publish(Staff("he-vinci"), request);
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(TopicEnd(topics::kCatalogue), 0);
}

TEST_F(CatalogueServiceTest, OnlyTheOwnerMayReviseOrWithdraw) {
  auto spec = Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"));
  ASSERT_TRUE(spec.ok());
  SyncAll();
  v1::ReviseSpecificationRequest revise;
  revise.set_request_id("steal");
  revise.set_specification_id(spec->specification_id());
  revise.set_expected_version(1);
  *revise.mutable_content() = spec->content();
  EXPECT_EQ(b_->service->Revise(Staff("he-vinci"), revise).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::WithdrawSpecificationRequest withdraw;
  withdraw.set_request_id("steal-2");
  withdraw.set_specification_id(spec->specification_id());
  withdraw.set_reason("mine now");
  EXPECT_EQ(b_->service->Withdraw(Staff("he-vinci"), withdraw).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(TopicEnd(topics::kCatalogue), 1);
}

TEST_F(CatalogueServiceTest, RetriedRequestReturnsTheFirstAnswerAndWritesOnce) {
  auto first = Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"), "req-42");
  auto again = Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"), "req-42");
  ASSERT_TRUE(first.ok() && again.ok()) << again.status();
  EXPECT_EQ(first->SerializeAsString(), again->SerializeAsString());
  EXPECT_EQ(TopicEnd(topics::kCatalogue), 1);
  // The same request id for another command is a client error, not a silent replay.
  v1::WithdrawSpecificationRequest withdraw;
  withdraw.set_request_id("req-42");
  withdraw.set_specification_id("uclouvain/data-literacy");
  withdraw.set_reason("closed");
  EXPECT_EQ(a_->service->Withdraw(Staff("uclouvain"), withdraw).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(CatalogueServiceTest, PublishingAnExistingIdIsAlreadyExists) {
  ASSERT_TRUE(Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"), "r1").ok());
  auto again = Publish(*a_, "data-literacy", samples::AiEthics("uclouvain"), "r2");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(CatalogueServiceTest, RevisionsKeepEarlierVersionsReadable) {
  auto spec = Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"));
  ASSERT_TRUE(spec.ok());
  v1::ReviseSpecificationRequest revise;
  revise.set_request_id("rev-1");
  revise.set_specification_id(spec->specification_id());
  revise.set_expected_version(1);
  *revise.mutable_content() = spec->content();
  revise.mutable_content()->mutable_workload()->set_ects(4);
  auto v2 = a_->service->Revise(Staff("uclouvain"), revise);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version(), 2u);

  revise.set_request_id("rev-stale");  // edited from version 1 while version 2 exists
  auto stale = a_->service->Revise(Staff("uclouvain"), revise);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);

  SyncAll();
  v1::GetSpecificationRequest get;
  get.set_specification_id(spec->specification_id());
  get.set_version(1);
  EXPECT_EQ(b_->service->Get(get)->content().workload().ects(), 3);
  get.set_version(0);
  EXPECT_EQ(b_->service->Get(get)->version(), 2u);
  get.set_version(9);
  EXPECT_EQ(b_->service->Get(get).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CatalogueServiceTest, WithdrawnSpecificationLeavesSearchAndCannotBeRevised) {
  auto spec = Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"));
  ASSERT_TRUE(spec.ok());
  v1::WithdrawSpecificationRequest withdraw;
  withdraw.set_request_id("w1");
  withdraw.set_specification_id(spec->specification_id());
  EXPECT_EQ(a_->service->Withdraw(Staff("uclouvain"), withdraw).status().code(),
            absl::StatusCode::kInvalidArgument);  // no reason given
  withdraw.set_reason("replaced by a new programme");
  auto withdrawn = a_->service->Withdraw(Staff("uclouvain"), withdraw);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->status(), v1::SPECIFICATION_STATUS_WITHDRAWN);

  v1::SearchSpecificationsRequest search;
  EXPECT_EQ(a_->service->Search(search)->total(), 0);
  search.set_include_withdrawn(true);
  EXPECT_EQ(a_->service->Search(search)->total(), 1);

  v1::ReviseSpecificationRequest revise;
  revise.set_request_id("rev-after");
  revise.set_specification_id(spec->specification_id());
  revise.set_expected_version(1);
  *revise.mutable_content() = spec->content();
  EXPECT_EQ(a_->service->Revise(Staff("uclouvain"), revise).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // An earlier version read later shows that the specification is withdrawn.
  v1::GetSpecificationRequest get;
  get.set_specification_id(spec->specification_id());
  get.set_version(1);
  EXPECT_EQ(a_->service->Get(get)->status(), v1::SPECIFICATION_STATUS_WITHDRAWN);
}

TEST_F(CatalogueServiceTest, FwbPolicyRefusesNonHeiIssuersAndProtectedTitles) {
  auto partner = Join("technofutur", PROVIDER_TYPE_VET);
  const int64_t before = TopicEnd(topics::kCatalogue);
  auto refused = Publish(*partner, "python", samples::PythonBasics("technofutur"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("content.awarding_bodies[0]"), std::string::npos);

  v1::SpecificationContent master = samples::DataLiteracy("uclouvain");
  master.set_title("MASTER en Données");
  auto titled = Publish(*a_, "master", master);
  EXPECT_EQ(titled.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(titled.status().message().find("content.title"), std::string::npos);
  EXPECT_EQ(TopicEnd(topics::kCatalogue), before);
}

TEST_F(CatalogueServiceTest, ForgedEventForAnotherInstitutionIsDeadLetteredByEveryConsumer) {
  auto spec = Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"));
  ASSERT_TRUE(spec.ok());
  // he-vinci signs, with its own valid key, a revision of uclouvain's specification.
  v1::SpecificationRevised forged;
  *forged.mutable_specification() = *spec;
  forged.mutable_specification()->set_version(2);
  forged.mutable_specification()->mutable_content()->set_title("Hijacked");
  std::string sealed = b_->signer->Seal(forged, {.partition_key = spec->specification_id()});
  ASSERT_TRUE(log_.Append({topics::kCatalogue, spec->specification_id(), sealed}).ok());
  SyncAll();

  std::vector<events::v1::DeadLetter> letters = DeadLetters();
  ASSERT_EQ(letters.size(), 2u);  // refused by both consumers
  for (const auto& letter : letters) {
    EXPECT_EQ(letter.reason_code(), events::reason::kNotOwner);
    EXPECT_EQ(letter.record_value(), sealed);
  }
  v1::GetSpecificationRequest get;
  get.set_specification_id(spec->specification_id());
  EXPECT_EQ(b_->service->Get(get)->content().title(), spec->content().title());
  EXPECT_EQ(a_->service->projector().counters().refused_by_reason.at("NOT_OWNER"), 1);
}

TEST_F(CatalogueServiceTest, TamperedUnknownAndMalformedEventsAreRefusedAndConsumptionGoesOn) {
  auto spec = Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"));
  ASSERT_TRUE(spec.ok());
  v1::SpecificationWithdrawn withdrawal;
  withdrawal.set_specification_id(spec->specification_id());
  withdrawal.set_version(1);
  withdrawal.set_reason("forged");
  // Tampered: a valid envelope of uclouvain's whose body was changed after signing.
  auto parsed = events::ParseEnvelope(a_->signer->Seal(withdrawal, {.partition_key = "k"}));
  events::v1::SignedEnvelope tampered;
  tampered.set_body(parsed->body_bytes);
  tampered.mutable_body()->back() ^= 1;
  tampered.set_signature(parsed->signature);
  // Unknown: an institution no root admitted.
  events::EnvelopeSigner stranger("intruder", "x", crypto::SigningKey::Generate());
  // A key uclouvain never registered.
  events::EnvelopeSigner wrong_key("uclouvain", "x", crypto::SigningKey::Generate());
  for (const std::string& bytes :
       {tampered.SerializeAsString(), stranger.Seal(withdrawal, {.partition_key = "k"}),
        wrong_key.Seal(withdrawal, {.partition_key = "k"}), std::string("\x0a\xff garbage")}) {
    ASSERT_TRUE(log_.Append({topics::kCatalogue, "k", bytes}).ok());
  }
  // The consumers go on: a later, valid command is applied.
  auto next = Publish(*a_, "ai-ethics", samples::AiEthics("uclouvain"));
  ASSERT_TRUE(next.ok()) << next.status();
  SyncAll();

  std::multiset<std::string> reasons;
  for (const auto& letter : DeadLetters()) {
    if (letter.consumer_node() == "uclouvain-node") reasons.insert(letter.reason_code());
  }
  EXPECT_EQ(reasons, (std::multiset<std::string>{"BAD_SIGNATURE", "UNKNOWN_INSTITUTION",
                                                 "UNKNOWN_KEY", "MALFORMED"}));
  v1::GetSpecificationRequest get;
  get.set_specification_id(spec->specification_id());
  EXPECT_EQ(b_->service->Get(get)->status(), v1::SPECIFICATION_STATUS_PUBLISHED);
}

TEST_F(CatalogueServiceTest, UnsupportedSchemaVersionIsRefused) {
  v1::SpecificationPublished event;
  *event.mutable_specification()->mutable_content() = samples::AiEthics("uclouvain");
  events::v1::EnvelopeBody body;
  body.set_event_id("e-schema-2");
  body.set_event_type(v1::SpecificationPublished::descriptor()->full_name());
  body.set_schema_version(2);
  body.set_source_institution("uclouvain");
  body.set_key_id(crypto::KeyFingerprint(a_->key.public_key()));
  body.set_partition_key("uclouvain/x");
  event.SerializeToString(body.mutable_payload());
  events::v1::SignedEnvelope envelope;
  body.SerializeToString(envelope.mutable_body());
  envelope.set_signature(a_->key.Sign(events::SignedBytes(envelope.body())));
  ASSERT_TRUE(log_.Append({topics::kCatalogue, "uclouvain/x", envelope.SerializeAsString()}).ok());
  SyncAll();
  auto letters = DeadLetters();
  ASSERT_FALSE(letters.empty());
  EXPECT_EQ(letters[0].reason_code(), events::reason::kUnsupportedSchema);
}

TEST_F(CatalogueServiceTest, ReplayedEventIsAppliedOnce) {
  auto spec = Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"));
  ASSERT_TRUE(spec.ok());
  auto reader = log_.OpenReader({topics::kCatalogue}, {});
  auto records = (*reader)->Poll(std::chrono::milliseconds(50));
  ASSERT_EQ(records->size(), 1u);
  ASSERT_TRUE(log_.Append({topics::kCatalogue, records->at(0).key, records->at(0).value}).ok());
  SyncAll();
  EXPECT_EQ(b_->service->projector().counters().duplicates_skipped, 1);
  EXPECT_EQ(b_->service->projector().counters().applied, 1);
  // The replayed copy is kept, with its reason, once per node that read it.
  const auto letters = DeadLetters();
  ASSERT_EQ(letters.size(), 2u);  // at both nodes
  for (const auto& letter : letters) EXPECT_EQ(letter.reason_code(), "DUPLICATE_EVENT");
}

TEST_F(CatalogueServiceTest, EmptyStoreIsRebuiltFromTheLogToTheSameCatalogue) {
  ASSERT_TRUE(Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain")).ok());
  ASSERT_TRUE(Publish(*a_, "ai-ethics", samples::AiEthics("uclouvain")).ok());
  ASSERT_TRUE(Publish(*b_, "cloud-ops", samples::CloudOperations("he-vinci")).ok());
  SyncAll();
  auto before = b_->store->ScanPrefix("");
  auto search_before = b_->service->Search({});
  Start(*b_, std::make_unique<MemoryStateStore>());  // a node that lost its store
  EXPECT_EQ(*b_->store->ScanPrefix(""), *before);
  EXPECT_EQ(b_->service->Search({})->SerializeAsString(), search_before->SerializeAsString());
}

TEST_F(CatalogueServiceTest, ProviderProfileIsPublishedWithTheRegisteredKeys) {
  v1::UpsertProviderProfileRequest request =
      ProfileRequest("profile-1", "uclouvain", "Université catholique de Louvain");
  v1::ProviderProfile* p = request.mutable_profile();
  p->mutable_recognition_policy()->add_links("https://uclouvain.be/recognition");
  auto profile = a_->service->UpsertProviderProfile(Staff("uclouvain"), request);
  ASSERT_TRUE(profile.ok()) << profile.status();
  ASSERT_EQ(profile->public_key_ids_size(), 1);
  EXPECT_EQ(profile->public_key_ids(0), crypto::KeyFingerprint(a_->key.public_key()));
  SyncAll();
  v1::GetProviderProfileRequest get;
  get.set_institution_id("uclouvain");
  EXPECT_EQ(b_->service->GetProviderProfile(get)->recognition_policy().text(),
            p->recognition_policy().text());

  request.set_request_id("profile-2");
  request.mutable_profile()->set_provider_type(PROVIDER_TYPE_VET);  // not what the registry says
  EXPECT_EQ(a_->service->UpsertProviderProfile(Staff("uclouvain"), request).status().code(),
            absl::StatusCode::kFailedPrecondition);
  request.mutable_profile()->set_provider_type(PROVIDER_TYPE_HIGHER_EDUCATION);
  request.mutable_profile()->set_institution_id("he-vinci");
  EXPECT_EQ(a_->service->UpsertProviderProfile(Staff("uclouvain"), request).status().code(),
            absl::StatusCode::kPermissionDenied);
}

// Trusting a second ecosystem's root does not let it change the first one's members: every
// node refuses its suspension and re-keying of uclouvain, and uclouvain's events still apply.
TEST_F(CatalogueServiceTest, AnotherEcosystemsRootCannotSuspendOrReKeyOurMembers) {
  ASSERT_TRUE(other_root_.Suspend(log_, "uclouvain", "hostile take-over").ok());
  registry::v1::MemberAdmitted rekeyed;
  rekeyed.set_institution_id("uclouvain");
  rekeyed.set_legal_name("Université catholique de Louvain");
  rekeyed.set_provider_type(PROVIDER_TYPE_HIGHER_EDUCATION);
  *rekeyed.add_keys() = registry::RegisteredKey(b_->key.public_key());
  ASSERT_TRUE(other_root_.Admit(log_, rekeyed).ok());
  SyncAll();
  std::vector<events::v1::DeadLetter> letters = DeadLetters();
  ASSERT_EQ(letters.size(), 4u);  // two changes, each refused by both consumers
  for (const auto& letter : letters) EXPECT_EQ(letter.reason_code(), events::reason::kNotOwner);

  auto spec = Publish(*a_, "data-literacy", samples::DataLiteracy("uclouvain"));
  ASSERT_TRUE(spec.ok()) << spec.status();
  SyncAll();
  v1::GetSpecificationRequest get;
  get.set_specification_id(spec->specification_id());
  EXPECT_TRUE(b_->service->Get(get).ok());
  auto member = b_->service->projector().FindMember("uclouvain");
  ASSERT_TRUE(member.has_value());
  EXPECT_FALSE(member->suspended());
  EXPECT_EQ(member->admitted().keys_size(), 1);
}

// A rename by the root applies from its cut: a profile published under the earlier name stays
// valid at every node, including one rebuilt from the log after the rename.
TEST_F(CatalogueServiceTest, AProfileKeepsTheNameItWasPublishedUnderAtEveryNodeAfterARename) {
  v1::UpsertProviderProfileRequest request =
      ProfileRequest("profile-1", "uclouvain", "Université catholique de Louvain");
  ASSERT_TRUE(a_->service->UpsertProviderProfile(Staff("uclouvain"), request).ok());
  SyncAll();

  registry::v1::MemberAdmitted renamed =
      a_->service->projector().FindMember("uclouvain")->admitted();
  renamed.clear_cut();
  renamed.set_legal_name("UCLouvain");
  ASSERT_TRUE(secretariat_.Admit(log_, renamed).ok());
  SyncAll();
  Start(*b_, std::make_unique<MemoryStateStore>());  // a node rebuilt after the rename
  v1::GetProviderProfileRequest get;
  get.set_institution_id("uclouvain");
  auto profile = b_->service->GetProviderProfile(get);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->legal_name(), "Université catholique de Louvain");
  EXPECT_TRUE(DeadLetters().empty());

  // From the rename on, the profile goes by the new name.
  request.set_request_id("profile-2");
  EXPECT_EQ(a_->service->UpsertProviderProfile(Staff("uclouvain"), request).status().code(),
            absl::StatusCode::kFailedPrecondition);
  request.mutable_profile()->set_legal_name("UCLouvain");
  EXPECT_TRUE(a_->service->UpsertProviderProfile(Staff("uclouvain"), request).ok());
}

// A member cannot present itself under another institution's name: the name in its profile is
// the one its root admitted it with, here and at every node that applies the profile.
TEST_F(CatalogueServiceTest, AProfileUnderAnotherInstitutionsNameIsRefusedHereAndEverywhere) {
  v1::UpsertProviderProfileRequest request =
      ProfileRequest("profile-as-ulb", "he-vinci", "Université catholique de Louvain");
  const int64_t before = TopicEnd(topics::kCatalogue);
  auto refused = b_->service->UpsertProviderProfile(Staff("he-vinci"), request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("profile.legal_name"), std::string::npos)
      << refused.status();
  EXPECT_NE(refused.status().message().find("Legal name of he-vinci"), std::string::npos)
      << refused.status();
  EXPECT_EQ(TopicEnd(topics::kCatalogue), before);

  // The same profile written straight to the log, under he-vinci's own valid signature.
  v1::ProviderProfileUpdated forged;
  *forged.mutable_profile() = request.profile();
  std::string sealed = b_->signer->Seal(forged, {.partition_key = "he-vinci"});
  ASSERT_TRUE(log_.Append({topics::kCatalogue, "he-vinci", sealed}).ok());
  SyncAll();
  std::vector<events::v1::DeadLetter> letters = DeadLetters();
  ASSERT_EQ(letters.size(), 2u);  // refused by both consumers
  for (const auto& letter : letters) {
    EXPECT_EQ(letter.reason_code(), events::reason::kPolicyViolation);
    EXPECT_EQ(letter.record_value(), sealed);
  }
  v1::GetProviderProfileRequest get;
  get.set_institution_id("he-vinci");
  EXPECT_EQ(a_->service->GetProviderProfile(get).status().code(), absl::StatusCode::kNotFound);

  // Under its registered name, the profile is published.
  request.set_request_id("profile-own-name");
  request.mutable_profile()->set_legal_name("Legal name of he-vinci");
  EXPECT_TRUE(b_->service->UpsertProviderProfile(Staff("he-vinci"), request).ok());
}

}  // namespace
}  // namespace microcred::catalogue
