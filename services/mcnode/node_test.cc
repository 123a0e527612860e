// A Node's services together, on the in-memory engines: erasing a learner at a node (GDPR art.
// 17) erases what every service of the node sealed for them, issuance and recognition, while
// the facts that name them by pseudonym only (credential status, recognition decisions) remain;
// and so it does when the node runs its services as separate processes, each with its own store.
#include "services/mcnode/node.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/time/civil_time.h"
#include "libs/adapters/file/file_event_log.h"
#include "libs/adapters/file/file_state_store.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/auth/roles.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/envelope.h"
#include "libs/events/topics.h"
#include "libs/ports/testing/files_holding.h"
#include "libs/privacy/learner_vault.h"
#include "services/issuance/issuance_grpc.h"
#include "services/mcnode/metrics_http.h"
#include "services/mcnode/node_grpc.h"
#include "services/mcnode/node_metrics.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "services/public_web/share_store.h"
#include "services/recognition/testing/recognition_test_util.h"
#include "tests/support/slow_clients.h"

namespace microcred {
namespace {

namespace rv1 = recognition::v1;

const Institution kHauteEcole{"he-vinci", "Haute École Léonard de Vinci"};
const Institution kUniversity{"uclouvain", "Université catholique de Louvain"};

auth::Caller Officer() {
  return {.subject = "officer-anne",
          .institution_id = kUniversity.id,
          .roles = {auth::roles::kRecognitionOfficer}};
}
auth::Caller LearnerAt(const std::string& id) {
  return {.subject = id, .institution_id = kUniversity.id, .roles = {auth::roles::kLearner}};
}

common::v1::Date Yesterday() {
  const absl::CivilDay day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 1;
  return domain::ToDate(day);
}

class NodeErasureTest : public testing::Test {
 protected:
  void SetUp() override {
    haute_ecole_ = Join(kHauteEcole);
    university_ = Join(kUniversity);
    he_spec_ = Publish(*haute_ecole_, kHauteEcole.id);
    ul_spec_ = Publish(*university_, kUniversity.id);
    // The university recognises the haute école's credentials for credit transfer.
    ASSERT_TRUE(university_->recognition()
                    .PublishPolicy(Officer(), recognition::testing::AcceptIssuer(
                                                  kUniversity.id, kHauteEcole.id,
                                                  rv1::RECOGNITION_PURPOSE_CREDIT_TRANSFER))
                    .ok());
  }

  std::unique_ptr<Node> Join(const Institution& institution) {
    logs_.push_back(log_.Share());
    stores_.push_back(std::make_unique<MemoryStateStore>());
    auto node = ecosystem_.Join(*logs_.back(), *stores_.back(), institution);
    EXPECT_TRUE(node.ok()) << node.status();
    return node.ok() ? *std::move(node) : nullptr;
  }
  MemoryStateStore& UniversityStore() { return *stores_[1]; }

  static std::string Publish(Node& node, const std::string& institution) {
    catalogue::v1::PublishSpecificationRequest publish;
    publish.set_request_id("publish-data");
    publish.set_local_id("data-literacy");
    *publish.mutable_content() = catalogue::samples::DataLiteracy(institution);
    auto spec = node.catalogue().Publish(StaffOf(institution), publish);
    EXPECT_TRUE(spec.ok()) << spec.status();
    return spec.ok() ? spec->specification_id() : "";
  }

  static issuance::v1::IssuedCredential Issue(Node& node, const std::string& spec,
                                              const std::string& learner_id) {
    issuance::v1::IssueCredentialRequest r;
    r.set_request_id("award-" + learner_id);
    r.set_specification_id(spec);
    r.mutable_learner()->set_learner_id(learner_id);
    r.mutable_learner()->set_given_name("Léa");
    r.mutable_learner()->set_family_name("Lambert");
    *r.mutable_issued_on() = Yesterday();
    r.set_place_of_issuing("Bruxelles");
    r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    auto issued = node.issuance().Issue(StaffOf(node.institution_id()), r);
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? *issued : issuance::v1::IssuedCredential();
  }

  rv1::RecognitionRequest Submit(const std::string& learner_id, const std::string& jws) {
    rv1::SubmitRequestRequest r;
    r.set_client_request_id("submit-" + learner_id);
    r.set_purpose(rv1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
    r.mutable_target()->mutable_component()->set_programme_id(kUniversity.id + "/master-data");
    r.mutable_target()->mutable_component()->set_component_id("STAT0001");
    r.add_credential_jws(jws);
    auto submitted = university_->recognition().Submit(LearnerAt(learner_id), r);
    EXPECT_TRUE(submitted.ok()) << submitted.status();
    return submitted.ok() ? *submitted : rv1::RecognitionRequest();
  }

  rv1::RecognitionRequest SubmitVae(const std::string& learner_id) {
    rv1::SubmitVaeRequestRequest r;
    r.set_client_request_id("vae-" + learner_id);
    r.set_purpose(rv1::RECOGNITION_PURPOSE_ADMISSION);
    r.mutable_target()->set_programme_id(kUniversity.id + "/master-data");
    rv1::ActivityPeriod& period = *r.mutable_file()->add_activities();
    period.mutable_from()->set_year(2015);
    period.mutable_from()->set_month(1);
    period.mutable_to()->set_year(2021);
    period.mutable_to()->set_month(6);
    period.set_kind(rv1::ACTIVITY_KIND_PROFESSIONAL);
    period.set_description("Data analyst at the Clinique Saint-Luc.");
    r.mutable_file()->set_portfolio_summary("Six years of statistical reporting.");
    auto submitted = university_->recognition().SubmitVae(LearnerAt(learner_id), r);
    EXPECT_TRUE(submitted.ok()) << submitted.status();
    return submitted.ok() ? *submitted : rv1::RecognitionRequest();
  }

  rv1::RecognitionRequest Get(const std::string& request_id) {
    rv1::GetRequestRequest get;
    get.set_request_id(request_id);
    auto request = university_->recognition().Get(Officer(), get);
    EXPECT_TRUE(request.ok()) << request.status();
    return request.ok() ? *request : rv1::RecognitionRequest();
  }

  absl::StatusOr<issuance::v1::EraseLearnerResponse> Erase(const std::string& learner_id) {
    issuance::v1::EraseLearnerRequest erase;
    erase.set_request_id("erase-" + learner_id);
    erase.set_learner_id(learner_id);
    return university_->issuance().EraseLearner(StaffOf(kUniversity.id), erase);
  }

  bool HasKey(const std::string& vault_ref) {
    auto key = UniversityStore().Get(privacy::LearnerVault::LearnerKeyStoreKey(vault_ref));
    EXPECT_TRUE(key.ok());
    return key.ok() && key->has_value();
  }

  LocalEcosystem ecosystem_{"erasure", *domain::PolicyProfile::Named("eu")};
  MemoryEventLog log_;
  std::vector<std::unique_ptr<MemoryEventLog>> logs_;
  std::vector<std::unique_ptr<MemoryStateStore>> stores_;
  std::unique_ptr<Node> haute_ecole_, university_;
  std::string he_spec_, ul_spec_;
};

TEST_F(NodeErasureTest, ErasingALearnerErasesTheirRecognitionRequestsSealedDataToo) {
  // Léa holds a credential of the haute école and one of the university, and asks the
  // university to recognise the first (decided at once by its policy) and to admit her by VAE.
  // Max asks for the recognition of a credential of his.
  const auto lea_credential = Issue(*haute_ecole_, he_spec_, "lea");
  const auto lea_own_credential = Issue(*university_, ul_spec_, "lea");
  const auto max_credential = Issue(*haute_ecole_, he_spec_, "max");
  ASSERT_TRUE(university_->issuance().projector().Sync(absl::Seconds(10)).ok());
  const rv1::RecognitionRequest lea_request = Submit("lea", lea_credential.jws());
  ASSERT_EQ(lea_request.state(), rv1::REQUEST_STATE_DECIDED);
  const rv1::RecognitionRequest lea_vae = SubmitVae("lea");
  const rv1::RecognitionRequest max_request = Submit("max", max_credential.jws());
  const std::string lea = lea_request.learner_pseudonym();
  const std::string max = max_request.learner_pseudonym();
  ASSERT_EQ(lea_vae.learner_pseudonym(), lea);
  EXPECT_EQ(Get(lea_request.request_id()).credentials(0).jws(), lea_credential.jws());
  EXPECT_EQ(Get(lea_vae.request_id()).vae_file().activities_size(), 1);
  EXPECT_TRUE(HasKey(lea));  // issuance
  EXPECT_TRUE(HasKey(recognition::RecognitionService::VaultReference(lea)));
  EXPECT_TRUE(HasKey(recognition::RecognitionService::VaultReference(max)));

  // Max has no credential of the university: erasing him erases his recognition data only.
  auto erased_max = Erase("max");
  ASSERT_TRUE(erased_max.ok()) << erased_max.status();
  EXPECT_EQ(erased_max->credentials_affected(), 0);
  EXPECT_FALSE(HasKey(recognition::RecognitionService::VaultReference(max)));
  EXPECT_TRUE(Get(max_request.request_id()).credentials(0).jws().empty());
  // Léa's data is still readable.
  EXPECT_EQ(Get(lea_request.request_id()).credentials(0).jws(), lea_credential.jws());

  auto erased_lea = Erase("lea");
  ASSERT_TRUE(erased_lea.ok()) << erased_lea.status();
  EXPECT_EQ(erased_lea->credentials_affected(), 1);
  EXPECT_FALSE(HasKey(lea));
  EXPECT_FALSE(HasKey(recognition::RecognitionService::VaultReference(lea)));

  // Her requests' sealed parts (her id, the JWS, the VAE file) can no longer be read...
  const rv1::RecognitionRequest after = Get(lea_request.request_id());
  EXPECT_TRUE(after.credentials(0).jws().empty());
  EXPECT_FALSE(Get(lea_vae.request_id()).has_vae_file());
  rv1::RequestInformationRequest ask;
  ask.set_client_request_id("ask-vae");
  ask.set_request_id(lea_vae.request_id());
  ask.set_what("Your contracts.");
  ASSERT_TRUE(university_->recognition().RequestInformation(Officer(), ask).ok());
  rv1::ProvideInformationRequest provide;
  provide.set_client_request_id("provide-vae");
  provide.set_request_id(lea_vae.request_id());
  *provide.mutable_updated_vae_file() = lea_vae.vae_file();
  auto provided = university_->recognition().ProvideInformation(Officer(), provide);
  EXPECT_EQ(provided.status().code(), absl::StatusCode::kFailedPrecondition) << provided.status();
  // ...nor her credential's record at the university.
  issuance::v1::ExportCredentialRequest export_request;
  export_request.set_credential_id(lea_own_credential.credential_id());
  export_request.set_format(issuance::v1::EXPORT_FORMAT_JWS);
  EXPECT_FALSE(university_->issuance().Export(StaffOf(kUniversity.id), export_request).ok());

  // What names her by pseudonym only remains: the request, its decision, and the decisions
  // every node knows; her credentials stay verifiable.
  EXPECT_EQ(after.state(), rv1::REQUEST_STATE_DECIDED);
  EXPECT_EQ(after.learner_pseudonym(), lea);
  EXPECT_EQ(after.decision().outcome(), rv1::RECOGNITION_OUTCOME_FULL);
  EXPECT_EQ(after.credentials(0).facts().credential_id(), lea_credential.credential_id());
  auto decisions = university_->recognition().FindDecisionsForLearner(lea);
  ASSERT_TRUE(decisions.ok());
  EXPECT_EQ(decisions->size(), 1u);
  ASSERT_TRUE(haute_ecole_->recognition().projector().Sync(absl::Seconds(10)).ok());
  auto known = haute_ecole_->recognition().FindDecisionsForLearner(lea);
  ASSERT_TRUE(known.ok());
  EXPECT_EQ(known->size(), 1u);
  issuance::v1::VerifyCredentialRequest verify;
  verify.set_jws(lea_credential.jws());
  EXPECT_TRUE(university_->issuance().Verify(verify).valid());
  verify.set_jws(lea_own_credential.jws());
  EXPECT_TRUE(university_->issuance().Verify(verify).valid());
}

// The university runs its issuance and its recognition as two processes (two Nodes of one
// institution with the same keys and secrets, each with its own store): erasing Léa at the
// issuance process erases what the recognition process sealed for her, through the log.
TEST_F(NodeErasureTest, ErasureReachesTheNodesOtherProcesses) {
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  const Institution split{"uliege", "Université de Liège"};
  logs_.push_back(log_.Share());
  ASSERT_TRUE(ecosystem_.Admit(*logs_.back(), split, key).ok());
  std::map<NodeScope, std::unique_ptr<Node>> processes;
  std::map<NodeScope, MemoryStateStore*> stores;
  for (NodeScope scope : {NodeScope::kIssuance, NodeScope::kRecognition}) {
    logs_.push_back(log_.Share());
    stores_.push_back(std::make_unique<MemoryStateStore>());
    stores[scope] = stores_.back().get();
    auto node = Node::Start(*logs_.back(), *stores_.back(),
                            {.institution_id = split.id,
                             .node_id = split.id + "-node",
                             .policy = ecosystem_.policy(),
                             .trust_anchors = {ecosystem_.secretariat().anchor()},
                             .event_key = key,
                             .pseudonym_secret = std::string(32, 'p'),
                             .vault_master_key = std::string(32, 'v'),
                             .scope = scope});
    ASSERT_TRUE(node.ok()) << node.status();
    processes[scope] = *std::move(node);
  }
  Node& issuance = *processes[NodeScope::kIssuance];
  Node& recognition = *processes[NodeScope::kRecognition];
  const auto lea_credential = Issue(*haute_ecole_, he_spec_, "lea");
  ASSERT_TRUE(recognition.issuance_read_model().projector().Sync(absl::Seconds(10)).ok());
  rv1::SubmitRequestRequest submit;
  submit.set_client_request_id("submit-lea");
  submit.set_purpose(rv1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
  submit.mutable_target()->mutable_component()->set_programme_id(split.id + "/master-data");
  submit.mutable_target()->mutable_component()->set_component_id("STAT0001");
  submit.add_credential_jws(lea_credential.jws());
  const auth::Caller lea{
      .subject = "lea", .institution_id = split.id, .roles = {auth::roles::kLearner}};
  auto request = recognition.recognition().Submit(lea, submit);
  ASSERT_TRUE(request.ok()) << request.status();
  const std::string sealed_key = privacy::LearnerVault::LearnerKeyStoreKey(
      recognition::RecognitionService::VaultReference(request->learner_pseudonym()));
  ASSERT_TRUE(stores[NodeScope::kRecognition]->Get(sealed_key)->has_value());
  ASSERT_FALSE(stores[NodeScope::kIssuance]->Get(sealed_key)->has_value());
  ASSERT_EQ(*issuance.issuance().LearnerPseudonym("lea"), request->learner_pseudonym());

  issuance::v1::EraseLearnerRequest erase;
  erase.set_request_id("erase-lea");
  erase.set_learner_id("lea");
  ASSERT_TRUE(issuance.issuance().EraseLearner(StaffOf(split.id), erase).ok());
  ASSERT_TRUE(recognition.issuance_read_model().projector().Sync(absl::Seconds(10)).ok());
  EXPECT_FALSE(stores[NodeScope::kRecognition]->Get(sealed_key)->has_value());
  rv1::GetRequestRequest get;
  get.set_request_id(request->request_id());
  const auth::Caller officer{.subject = "officer-luc",
                             .institution_id = split.id,
                             .roles = {auth::roles::kRecognitionOfficer}};
  auto after = recognition.recognition().Get(officer, get);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(after->credentials(0).jws().empty());
  // The haute école's node applied the event too, and erased nothing of its own.
  ASSERT_TRUE(haute_ecole_->issuance().projector().Sync(absl::Seconds(10)).ok());
  EXPECT_TRUE(haute_ecole_->issuance().projector().counters().refused_by_reason.empty());
}

// Issue 12: a decision names its credentials by the deciding institution's tags, never by id.
// The deciding institution finds its decisions from a credential, also in a store rebuilt from
// the log (a new process with the same pseudonym secret and an empty store), where its request
// records, a system of record, do not come back. The issuer's node finds nothing from its own
// credential. An event written before tags (the ids in the removed field 3) is applied
// everywhere: counted, stored without the ids, and found from the credential by the deciding
// institution only.
using NodeRecognitionRebuildTest = NodeErasureTest;
TEST_F(NodeRecognitionRebuildTest, OnlyTheDecidingInstitutionFindsItsDecisionsFromACredential) {
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  const Institution liege{"uliege", "Université de Liège"};
  logs_.push_back(log_.Share());
  ASSERT_TRUE(ecosystem_.Admit(*logs_.back(), liege, key).ok());
  auto start = [&]() -> std::unique_ptr<Node> {
    logs_.push_back(log_.Share());
    stores_.push_back(std::make_unique<MemoryStateStore>());  // empty: rebuilt from the log
    auto node = Node::Start(*logs_.back(), *stores_.back(),
                            {.institution_id = liege.id,
                             .node_id = liege.id + "-node",
                             .policy = ecosystem_.policy(),
                             .trust_anchors = {ecosystem_.secretariat().anchor()},
                             .event_key = key,
                             .pseudonym_secret = std::string(32, 'p'),
                             .vault_master_key = std::string(32, 'v'),
                             .scope = NodeScope::kRecognition});
    EXPECT_TRUE(node.ok()) << node.status();
    return node.ok() ? *std::move(node) : nullptr;
  };
  std::unique_ptr<Node> first = start();
  ASSERT_TRUE(first);
  const auth::Caller officer{.subject = "officer-luc",
                             .institution_id = liege.id,
                             .roles = {auth::roles::kRecognitionOfficer}};
  ASSERT_TRUE(first->recognition()
                  .PublishPolicy(officer, recognition::testing::AcceptIssuer(
                                              liege.id, kHauteEcole.id,
                                              rv1::RECOGNITION_PURPOSE_CREDIT_TRANSFER))
                  .ok());
  const auto lea_credential = Issue(*haute_ecole_, he_spec_, "lea");
  ASSERT_TRUE(first->issuance_read_model().projector().Sync(absl::Seconds(10)).ok());
  rv1::SubmitRequestRequest submit;
  submit.set_client_request_id("submit-lea");
  submit.set_purpose(rv1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
  submit.mutable_target()->mutable_component()->set_programme_id(liege.id + "/master-data");
  submit.mutable_target()->mutable_component()->set_component_id("STAT0001");
  submit.add_credential_jws(lea_credential.jws());
  const auth::Caller lea{
      .subject = "lea", .institution_id = liege.id, .roles = {auth::roles::kLearner}};
  auto request = first->recognition().Submit(lea, submit);
  ASSERT_TRUE(request.ok()) << request.status();
  ASSERT_EQ(request->state(), rv1::REQUEST_STATE_DECIDED);

  // A decision of Liège's written before tags: the credential by id, in the removed field 3.
  rv1::RecognitionDecided legacy;
  legacy.set_request_id(liege.id + "/legacy-1");
  legacy.set_learner_pseudonym(request->learner_pseudonym());
  legacy.set_outcome(rv1::RECOGNITION_OUTCOME_FULL);
  legacy.set_receiving_institution(liege.id);
  legacy.set_request_type(rv1::REQUEST_TYPE_CREDENTIALS);
  legacy.set_recognised_ects(5);
  legacy.GetReflection()->MutableUnknownFields(&legacy)->AddLengthDelimited(
      3, lea_credential.credential_id());
  const events::EnvelopeSigner old_release(liege.id, liege.id + "-node", key);
  ASSERT_TRUE(log_.Append({topics::kRecognition, legacy.request_id(),
                           old_release.Seal(legacy, {.partition_key = legacy.request_id()})})
                  .ok());

  std::unique_ptr<Node> rebuilt = start();
  ASSERT_TRUE(rebuilt);
  ASSERT_TRUE(first->recognition().projector().Sync(absl::Seconds(10)).ok());
  for (Node* at : {first.get(), rebuilt.get()}) {
    auto decisions = at->recognition().FindDecisionsForCredential(lea_credential.credential_id());
    ASSERT_TRUE(decisions.ok()) << decisions.status();
    ASSERT_EQ(decisions->size(), 2u);
    for (const rv1::RecognitionDecided& d : *decisions) {
      EXPECT_EQ(d.credential_count(), 1u) << d.request_id();
      EXPECT_EQ(d.SerializeAsString().find(lea_credential.credential_id()), std::string::npos);
    }
  }
  rv1::GetRequestRequest get;
  get.set_request_id(request->request_id());
  EXPECT_EQ(rebuilt->recognition().Get(officer, get).status().code(), absl::StatusCode::kNotFound)
      << "a request record is a system of record: a backup brings it back, not the log";

  // The haute école knows both decisions, by request, and cannot find them from its credential.
  ASSERT_TRUE(haute_ecole_->recognition().projector().Sync(absl::Seconds(10)).ok());
  EXPECT_TRUE(haute_ecole_->recognition()
                  .FindDecisionsForCredential(lea_credential.credential_id())
                  ->empty());
  for (const std::string& id : {request->request_id(), legacy.request_id()}) {
    auto known = haute_ecole_->recognition().read_model().FindDecision(id);
    ASSERT_TRUE(known.ok() && known->has_value()) << id;
    EXPECT_EQ((*known)->credential_count(), 1u);
    EXPECT_EQ((*known)->SerializeAsString().find(lea_credential.credential_id()),
              std::string::npos);
  }
  EXPECT_TRUE(haute_ecole_->recognition().projector().counters().refused_by_reason.empty());
  EXPECT_TRUE(rebuilt->recognition().projector().counters().refused_by_reason.empty());
}

// Léa's share links (the web pages' records in the issuance process's store) go with her:
// neither the link nor the index of her links survives her erasure; Max's stay.
TEST_F(NodeErasureTest, ErasingALearnerDeletesTheirShareLinks) {
  const auto lea_credential = Issue(*university_, ul_spec_, "lea");
  const auto max_credential = Issue(*university_, ul_spec_, "max");
  const std::string lea = *university_->issuance().LearnerPseudonym("lea");
  const std::string max = *university_->issuance().LearnerPseudonym("max");
  web::ShareStore shares(UniversityStore());
  auto lea_link = shares.Create(lea_credential.credential_id(), lea, 1);
  auto lea_withdrawn = shares.Create(lea_credential.credential_id(), lea, 2);
  auto max_link = shares.Create(max_credential.credential_id(), max, 3);
  ASSERT_TRUE(lea_link.ok() && lea_withdrawn.ok() && max_link.ok());
  ASSERT_TRUE(shares.Withdraw(lea_withdrawn->share_id(), lea, 4).ok());

  ASSERT_TRUE(Erase("lea").ok());
  EXPECT_EQ(*shares.Find(lea_link->share_id()), std::nullopt);
  EXPECT_EQ(*shares.Find(lea_withdrawn->share_id()), std::nullopt);
  EXPECT_TRUE(shares.OfOwner(lea)->empty());
  EXPECT_TRUE(UniversityStore().ScanPrefix("web/owner/" + lea)->empty());
  EXPECT_TRUE((*shares.Find(max_link->share_id())).has_value());
  EXPECT_EQ(shares.OfOwner(max)->size(), 1u);
}

// A store restored from a backup taken before Léa's erasure holds her key again; the node
// started on it erases her again as it catches up with the log (the LearnerErased event is
// after the backup's offsets), before it serves.
TEST_F(NodeErasureTest, AStoreRestoredFromABackupErasesAgainWhenItCatchesUp) {
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  const Institution restored{"unamur", "Université de Namur"};
  logs_.push_back(log_.Share());
  ASSERT_TRUE(ecosystem_.Admit(*logs_.back(), restored, key).ok());
  MemoryStateStore store;
  logs_.push_back(log_.Share());
  auto node = ecosystem_.StartNode(*logs_.back(), store, restored, key);
  ASSERT_TRUE(node.ok()) << node.status();
  const auto credential = Issue(**node, Publish(**node, restored.id), "lea");
  const std::string lea = *(*node)->issuance().LearnerPseudonym("lea");
  const std::string key_entry = privacy::LearnerVault::LearnerKeyStoreKey(lea);
  auto link = web::ShareStore(store).Create(credential.credential_id(), lea, 1);
  ASSERT_TRUE(link.ok());
  const std::map<std::string, std::string> backup = store.Snapshot();

  issuance::v1::EraseLearnerRequest erase;
  erase.set_request_id("erase-lea");
  erase.set_learner_id("lea");
  ASSERT_TRUE((*node)->issuance().EraseLearner(StaffOf(restored.id), erase).ok());
  ASSERT_FALSE(store.Get(key_entry)->has_value());
  node->reset();

  MemoryStateStore from_backup;
  WriteBatch restore;
  for (const auto& [k, v] : backup) restore.Put(k, v);
  ASSERT_TRUE(from_backup.Commit(restore).ok());
  ASSERT_TRUE(from_backup.Get(key_entry)->has_value());
  logs_.push_back(log_.Share());
  auto again = ecosystem_.StartNode(*logs_.back(), from_backup, restored, key);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(from_backup.Get(key_entry)->has_value());
  EXPECT_EQ(*web::ShareStore(from_backup).Find(link->share_id()), std::nullopt);
}

// A store that counts its scrubs (each a rewrite of its files).
class ScrubCountingStore final : public StateStore {
 public:
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key) override {
    return inner_.Get(key);
  }
  absl::Status Commit(const WriteBatch& batch) override { return inner_.Commit(batch); }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanPrefix(
      const std::string& prefix) override {
    return inner_.ScanPrefix(prefix);
  }
  absl::Status Scrub() override {
    if (failing_) return absl::UnavailableError("the disk is full");
    ++scrubs_;
    return absl::OkStatus();
  }
  int scrubs() const { return scrubs_; }
  void set_failing(bool failing) { failing_ = failing; }

 private:
  MemoryStateStore inner_;
  std::atomic<int> scrubs_{0};
  std::atomic<bool> failing_{false};
};

// An erasure costs one rewrite of the store when the process held something of the learner,
// and none when it held nothing (another process's learner, a rebuild from the log).
TEST_F(NodeErasureTest, AnErasureScrubsOnceAndOnlyWhenSomethingWasDeleted) {
  ScrubCountingStore store;
  logs_.push_back(log_.Share());
  auto node = ecosystem_.Join(*logs_.back(), store, {"unamur", "Université de Namur"});
  ASSERT_TRUE(node.ok()) << node.status();
  Issue(**node, Publish(**node, "unamur"), "lea");
  issuance::v1::EraseLearnerRequest erase;
  erase.set_request_id("erase-nobody");
  erase.set_learner_id("nobody");
  ASSERT_TRUE((*node)->issuance().EraseLearner(StaffOf("unamur"), erase).ok());
  EXPECT_EQ(store.scrubs(), 0);
  erase.set_request_id("erase-lea");
  erase.set_learner_id("lea");
  ASSERT_TRUE((*node)->issuance().EraseLearner(StaffOf("unamur"), erase).ok());
  EXPECT_EQ(store.scrubs(), 1);
}

// An erasure whose scrub fails is not reported done (the keys are deleted already); retrying
// it scrubs, and then it is.
TEST_F(NodeErasureTest, AnErasureIsNotDoneUntilTheStoreIsScrubbed) {
  ScrubCountingStore store;
  logs_.push_back(log_.Share());
  auto node = ecosystem_.Join(*logs_.back(), store, {"unamur", "Université de Namur"});
  ASSERT_TRUE(node.ok()) << node.status();
  Issue(**node, Publish(**node, "unamur"), "lea");
  const std::string lea = *(*node)->issuance().LearnerPseudonym("lea");
  issuance::v1::EraseLearnerRequest erase;
  erase.set_request_id("erase-lea");
  erase.set_learner_id("lea");
  store.set_failing(true);
  auto failed = (*node)->issuance().EraseLearner(StaffOf("unamur"), erase);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable) << failed.status();
  EXPECT_FALSE(store.Get(privacy::LearnerVault::LearnerKeyStoreKey(lea))->has_value());
  EXPECT_EQ(store.scrubs(), 0);

  store.set_failing(false);
  auto retried = (*node)->issuance().EraseLearner(StaffOf("unamur"), erase);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(store.scrubs(), 1);
}

// What the report reproduced: an embedded node (a file log and a journaled file store in its
// data directory) erases Léa, and yet her wrapped key stayed in the store's journal, so a copy
// of the disk with the erasure's records cut off gave her data back. After the erasure no file
// of the data directory may hold her wrapped key.
class NodeErasureOnDiskTest : public NodeErasureTest {
 protected:
  // Which files under `dir` hold `bytes`.
};

TEST_F(NodeErasureOnDiskTest, NoFileOfTheDataDirectoryHoldsAnErasedLearnersKey) {
  const std::string dir =
      std::filesystem::temp_directory_path() / ("mc-node-erasure-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  LocalEcosystem ecosystem{"disk", *domain::PolicyProfile::Named("eu")};
  auto log = FileEventLog::Open(dir + "/log");
  auto store = FileStateStore::Open(dir + "/state");
  ASSERT_TRUE(log.ok() && store.ok());
  auto node = ecosystem.Join(**log, **store, kUniversity);
  ASSERT_TRUE(node.ok()) << node.status();
  const auto credential = Issue(**node, Publish(**node, kUniversity.id), "lea");
  const std::string lea = *(*node)->issuance().LearnerPseudonym("lea");
  auto wrapped_key = (*store)->Get(privacy::LearnerVault::LearnerKeyStoreKey(lea));
  ASSERT_TRUE(wrapped_key.ok() && wrapped_key->has_value());
  auto link = web::ShareStore(**store).Create(credential.credential_id(), lea, 1);
  ASSERT_TRUE(link.ok());
  ASSERT_FALSE(FilesHolding(dir, **wrapped_key).empty());

  issuance::v1::EraseLearnerRequest erase;
  erase.set_request_id("erase-lea");
  erase.set_learner_id("lea");
  auto erased = (*node)->issuance().EraseLearner(StaffOf(kUniversity.id), erase);
  ASSERT_TRUE(erased.ok()) << erased.status();

  // Once the erasure is answered, and still after the node has stopped.
  EXPECT_EQ(FilesHolding(dir, **wrapped_key), std::vector<std::string>());
  EXPECT_EQ(FilesHolding(dir, "web/owner/" + lea), std::vector<std::string>());
  EXPECT_EQ(FilesHolding(dir, link->share_id()), std::vector<std::string>());
  EXPECT_EQ(FilesHolding(dir, "Lambert"), std::vector<std::string>());  // sealed, never plain
  node->reset();
  store->reset();
  log->reset();
  EXPECT_EQ(FilesHolding(dir, **wrapped_key), std::vector<std::string>());
  std::filesystem::remove_all(dir);
}

TEST(NodeMetricsTest, ProducedConsumedAndLagAreReported) {
  metrics::Registry registry;
  LocalEcosystem ecosystem{"metrics", *domain::PolicyProfile::Named("eu")};
  MemoryEventLog log;
  MeteredEventLog metered(log, registry);
  MemoryStateStore store;
  auto node = ecosystem.Join(metered, store, kUniversity);
  ASSERT_TRUE(node.ok()) << node.status();
  AddConsumerMetrics(**node, registry);
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("publish-data");
  publish.set_local_id("data-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy(kUniversity.id);
  ASSERT_TRUE((*node)->catalogue().Publish(StaffOf(kUniversity.id), publish).ok());

  const std::string text = registry.Render();
  const std::string catalogue = topics::kCatalogue;
  for (const std::string& line : std::vector<std::string>{
           "mc_events_produced_total{topic=\"" + catalogue + "\"} 1",
           // The ecosystem's definition and the admission.
           std::string("mc_events_produced_total{topic=\"") + topics::kRegistry + "\"} 2",
           "mc_events_consumed_total{projection=\"catalogue\",outcome=\"applied\"} 1",
           "mc_events_consumed_total{projection=\"catalogue\",outcome=\"refused\"} 0",
           "mc_consumer_lag{projection=\"catalogue\",ecosystem=\"metrics\",topic=\"" + catalogue +
               "\"} 0",
           "# TYPE mc_consumer_lag gauge"}) {
    EXPECT_NE(text.find(line + "\n"), std::string::npos) << line << " not in\n" << text;
  }
}

// A node of two ecosystems, each with its own log and secretariat (its home, where the
// university is an FWB member, and an alliance): what the university publishes goes to its
// home log only; what an alliance partner publishes in the alliance's log reaches the node's
// catalogue; the lag is reported per ecosystem; and a node whose institution a further
// ecosystem has not admitted is told so, naming that ecosystem.
class NodeOfTwoEcosystemsTest : public testing::Test {
 protected:
  static constexpr char kHome[] = "fwb";
  static constexpr char kAlliance[] = "alliance";

  absl::StatusOr<std::unique_ptr<Node>> StartUniversity(EventLog& home_log, StateStore& store) {
    return Node::Start(home_log, store,
                       {.institution_id = kUniversity.id,
                        .node_id = kUniversity.id + "-node",
                        .policy = home_.policy(),
                        .ecosystem_id = kHome,
                        .trust_anchors = {home_.secretariat().anchor()},
                        .further_ecosystems = {{.id = kAlliance,
                                                .log = &alliance_log_,
                                                .trust_anchors = {alliance_.secretariat().anchor()},
                                                .event_key = alliance_key_}},
                        .event_key = home_key_,
                        .public_url = LocalEcosystem::PublicUrlOf(kUniversity)});
  }

  static int64_t Records(EventLog& log, const std::string& topic) {
    auto ends = log.EndPositions(topic);
    int64_t records = 0;
    if (ends.ok()) {
      for (const auto& [partition, end] : *ends) records += end;
    }
    return records;
  }

  LocalEcosystem home_{kHome, *domain::PolicyProfile::Named("eu")};
  LocalEcosystem alliance_{kAlliance, *domain::PolicyProfile::Named("eu")};
  MemoryEventLog home_log_;
  MemoryEventLog alliance_log_;
  MemoryStateStore store_;
  // The university signs with another key in each ecosystem.
  crypto::SigningKey home_key_ = crypto::SigningKey::Generate();
  crypto::SigningKey alliance_key_ = crypto::SigningKey::Generate();
};

TEST_F(NodeOfTwoEcosystemsTest, PublishesHomeAndAppliesTheAlliancesEvents) {
  ASSERT_TRUE(home_.Admit(home_log_, kUniversity, home_key_).ok());
  ASSERT_TRUE(alliance_.Admit(alliance_log_, kUniversity, alliance_key_).ok());
  metrics::Registry registry;
  auto node = StartUniversity(home_log_, store_);
  ASSERT_TRUE(node.ok()) << node.status();
  ASSERT_TRUE((*node)->CheckAdmitted().ok());
  EXPECT_TRUE((*node)->NotAdmittedIn().empty());
  std::vector<std::string> joined;
  for (const JoinedEcosystem& ecosystem : (*node)->ecosystems()) joined.push_back(ecosystem.id);
  EXPECT_EQ(joined, (std::vector<std::string>{kHome, kAlliance}));
  AddConsumerMetrics(**node, registry);

  ASSERT_TRUE(PublishSpecification(**node, kUniversity.id, "data-literacy",
                                   catalogue::samples::DataLiteracy(kUniversity.id))
                  .ok());
  EXPECT_EQ(Records(home_log_, topics::kCatalogue), 1);
  EXPECT_EQ(Records(alliance_log_, topics::kCatalogue), 0);

  // A partner that is a member of the alliance only publishes there, from its own node.
  const Institution partner{"vet-partner", "VET Partner", common::v1::PROVIDER_TYPE_VET, "ES"};
  MemoryStateStore partner_store;
  auto partner_node = alliance_.Join(alliance_log_, partner_store, partner);
  ASSERT_TRUE(partner_node.ok()) << partner_node.status();
  ASSERT_TRUE(PublishSpecification(**partner_node, partner.id, "welding",
                                   catalogue::samples::DataLiteracy(partner.id))
                  .ok());
  EXPECT_EQ(Records(alliance_log_, topics::kCatalogue), 1);

  ASSERT_TRUE((*node)->catalogue_read_model().projector().Sync(absl::Seconds(30)).ok());
  auto published = (*node)->catalogue_read_model().Latest(partner.id + "/welding");
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_TRUE(published->has_value()) << "the alliance's publication was not applied";
  auto own = (*node)->catalogue_read_model().Latest(kUniversity.id + "/data-literacy");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_TRUE(own->has_value());

  const std::string text = registry.Render();
  for (const char* ecosystem : {kHome, kAlliance}) {
    const std::string line = std::string("mc_consumer_lag{projection=\"catalogue\",ecosystem=\"") +
                             ecosystem + "\",topic=\"" + topics::kCatalogue + "\"} 0";
    EXPECT_NE(text.find(line + "\n"), std::string::npos) << line << " not in\n" << text;
  }
}

TEST_F(NodeOfTwoEcosystemsTest, ANodeNotAdmittedInAnEcosystemItJoinsIsToldWhich) {
  ASSERT_TRUE(home_.Admit(home_log_, kUniversity, home_key_).ok());
  auto node = StartUniversity(home_log_, store_);
  ASSERT_TRUE(node.ok()) << node.status();
  absl::Status admitted = (*node)->CheckAdmitted();
  EXPECT_EQ(admitted.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(admitted.message(),
            "not a member of ecosystem alliance: ask its secretariat to admit uclouvain");

  EXPECT_EQ((*node)->NotAdmittedIn(), std::vector<std::string>{kAlliance});

  // Admitted in the alliance and not at home: a new node runs before its first admission (it
  // prints the key its secretariat admits), so only the further ecosystems are checked.
  MemoryEventLog other_home;
  ASSERT_TRUE(alliance_.Admit(alliance_log_, kUniversity, alliance_key_).ok());
  MemoryStateStore other_store;
  auto second = StartUniversity(other_home, other_store);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE((*second)->CheckAdmitted().ok());
  EXPECT_EQ((*second)->NotAdmittedIn(), std::vector<std::string>{kHome});
}

// The node's gRPC servers refuse an oversized request in the transport, before a handler
// parses it or reads its token: an anonymous caller cannot make the node parse megabytes. Only
// bulk issuance, on its own server, takes a cohort.
class NodeGrpcLimitsTest : public testing::Test {
 protected:
  void SetUp() override {
    auto node = ecosystem_.Join(log_, store_, kUniversity);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    ASSERT_TRUE(
        verifier_.AddTrustedKey(minter_.kid(), minter_.issuer(), minter_.public_key()).ok());
    issuance_grpc_.emplace((*node_).issuance(), verifier_);
    bulk_grpc_.emplace((*node_).issuance(), verifier_);
    main_.AddService(&*issuance_grpc_);
    bulk_.AddService(&*bulk_grpc_);
    ASSERT_TRUE(main_.Start().ok());
    ASSERT_TRUE(bulk_.Start().ok());
  }

  static std::unique_ptr<issuance::v1::IssuanceService::Stub> StubOf(
      const host::ServiceHost& host) {
    grpc::ChannelArguments arguments;
    arguments.SetMaxSendMessageSize(-1);
    return issuance::v1::IssuanceService::NewStub(grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(host.port()), grpc::InsecureChannelCredentials(), arguments));
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return context;
  }

  static issuance::v1::IssueCredentialsRequest Cohort(size_t bytes) {
    issuance::v1::IssueCredentialsRequest cohort;
    cohort.add_rows()->set_request_id(std::string(bytes, 'r'));
    return cohort;
  }

  LocalEcosystem ecosystem_{"limits", *domain::PolicyProfile::Named("eu")};
  MemoryEventLog log_;
  MemoryStateStore store_;
  std::unique_ptr<Node> node_;
  auth::TokenVerifier verifier_{kUniversity.id + "-node"};
  auth::TokenMinter minter_{crypto::SigningKey::Generate(), "test-idp", kUniversity.id + "-node"};
  std::optional<issuance::IssuanceGrpc> issuance_grpc_;
  std::optional<issuance::IssuanceBulkGrpc> bulk_grpc_;
  host::ServiceHost main_{NodeGrpcOptions("127.0.0.1:0", nullptr)};
  host::ServiceHost bulk_{BulkGrpcOptions("127.0.0.1:0", nullptr)};
};

TEST_F(NodeGrpcLimitsTest, OversizedRequestsAreRefusedBeforeParsing) {
  auto stub = StubOf(main_);
  constexpr size_t kFiveMb = 5'000'000;
  issuance::v1::VerifyCredentialRequest verify;
  verify.set_jws(std::string(kFiveMb, 'j'));
  issuance::v1::VerificationReport report;
  grpc::Status status = stub->VerifyCredential(Context().get(), verify, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();

  issuance::v1::IssueCredentialRequest issue;
  issue.set_request_id(std::string(kFiveMb, 'r'));
  issuance::v1::IssuedCredential issued;
  status = stub->IssueCredential(Context().get(), issue, &issued);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();

  // A cohort of that size is not taken on the main server either...
  issuance::v1::IssueCredentialsResponse answered;
  status = stub->IssueCredentials(Context().get(), Cohort(kFiveMb), &answered);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();

  // ...nor a small request refused: a verifier's call still works.
  verify.set_jws("not-a-jws");
  status = stub->VerifyCredential(Context().get(), verify, &report);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(report.valid());
}

TEST_F(NodeGrpcLimitsTest, TheBulkServerTakesACohortAndServesNothingElse) {
  auto bulk = StubOf(bulk_);
  issuance::v1::IssueCredentialsResponse answered;
  // Within the bulk limit: refused for want of a token (before it is parsed).
  grpc::Status status = bulk->IssueCredentials(Context().get(), Cohort(5'000'000), &answered);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  status = bulk->IssueCredentials(Context().get(), Cohort(kMaxBulkRequestBytes + 1), &answered);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();

  issuance::v1::VerifyCredentialRequest verify;
  verify.set_jws("not-a-jws");
  issuance::v1::VerificationReport report;
  status = bulk->VerifyCredential(Context().get(), verify, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << status.error_message();

  // A registrar's cohort, of megabytes, is parsed and issued row by row, as on the main server.
  auto registrar = Context();
  registrar->AddMetadata("authorization",
                         "Bearer " + minter_.Mint("registrar-1", kUniversity.id,
                                                  {auth::roles::kRegistrar}, absl::Minutes(5)));
  status = bulk->IssueCredentials(registrar.get(), Cohort(10'000'000), &answered);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(answered.results_size(), 1);
  EXPECT_NE(answered.results(0).code(), 0);  // a row naming no specification is refused
}

// The metrics listener reads requests under the same limits as the public HTTP: slow-header
// clients from one address take neither every thread nor their connection for long, and
// Prometheus's scrape is still answered.
TEST(MetricsHttpTest, SlowClientsDoNotStopTheScrape) {
  metrics::Registry registry;
  MetricsHttp http(registry);
  ASSERT_TRUE(http.Start("127.0.0.1", 0).ok());
  auto slow = testing_support::SlowClients::Open("127.0.0.2", "127.0.0.1", http.port(), 20,
                                                 "GET /metrics HTTP/1.1\r\nX-Slow: ");
  ASSERT_TRUE(slow.ok()) << slow.status();
  httplib::Client scrape("127.0.0.1", http.port());
  scrape.set_read_timeout(std::chrono::seconds(20));
  auto answered = scrape.Get("/metrics");
  ASSERT_TRUE(answered) << httplib::to_string(answered.error());
  EXPECT_EQ(answered->status, 200);
}

// A listener stopped at once after it started stops: httplib ignores a stop that comes before
// its listening loop begins, so Start must not return earlier (without that, a few of these
// rounds hang in the join).
TEST(MetricsHttpTest, StoppingRightAfterStartingReturns) {
  metrics::Registry registry;
  for (int round = 0; round < 200; ++round) {
    MetricsHttp http(registry);
    ASSERT_TRUE(http.Start("127.0.0.1", 0).ok());
    http.Stop();
  }
}

// A port already served, by gRPC or by HTTP, is not shared: the second listener fails to start
// (cpp-httplib and gRPC both set SO_REUSEPORT by default, which lets two servers of the same
// user listen on one port and split its connections).
TEST(MetricsHttpTest, APortAlreadyServedIsNotShared) {
  metrics::Registry registry;
  MetricsHttp first(registry);
  ASSERT_TRUE(first.Start("127.0.0.1", 0).ok());
  MetricsHttp second(registry);
  EXPECT_FALSE(second.Start("127.0.0.1", first.port()).ok());

  host::ServiceHost grpc_server;
  ASSERT_TRUE(grpc_server.Start().ok());
  MetricsHttp on_grpc_port(registry);
  EXPECT_FALSE(on_grpc_port.Start("127.0.0.1", grpc_server.port()).ok());
}

// A conferral issuer that is never called: the process layout is what is under test.
class UnusedIssuer : public stacking::CredentialIssuer {
 public:
  absl::StatusOr<issuance::v1::IssuedCredential> Issue(
      const auth::Caller&, const issuance::v1::IssueCredentialRequest&) override {
    return absl::UnimplementedError("not in this test");
  }
};

// A process of the university's node, serving `scope`.
absl::StatusOr<std::unique_ptr<Node>> StartProcess(EventLog& log, StateStore& store,
                                                   const LocalEcosystem& ecosystem,
                                                   const crypto::SigningKey& key, NodeScope scope,
                                                   stacking::CredentialIssuer* issuer) {
  return Node::Start(log, store,
                     {.institution_id = kUniversity.id,
                      .node_id = kUniversity.id + "-node",
                      .policy = ecosystem.policy(),
                      .trust_anchors = {ecosystem.secretariat().anchor()},
                      .event_key = key,
                      .scope = scope,
                      .conferral_issuer = issuer});
}

// Each process of a node run as separate processes runs the service it serves and only the
// read models it reads; mcnode runs every service.
TEST(NodeScopeTest, AProcessRunsTheServiceItServesAndOnlyTheReadModelsItReads) {
  LocalEcosystem ecosystem{"scopes", *domain::PolicyProfile::Named("eu")};
  MemoryEventLog log;
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  ASSERT_TRUE(ecosystem.Admit(log, kUniversity, key).ok());
  UnusedIssuer issuer;
  struct Expected {
    NodeScope scope;
    std::vector<bool> serves;  // catalogue, issuance, recognition, stacking
    std::vector<std::string> consumers;
  };
  for (const Expected& expected : std::vector<Expected>{
           {NodeScope::kCatalogue, {true, false, false, false}, {"catalogue"}},
           {NodeScope::kIssuance, {false, true, false, false}, {"catalogue", "issuance"}},
           {NodeScope::kRecognition,
            {false, false, true, false},
            {"catalogue", "issuance", "recognition"}},
           {NodeScope::kStacking,
            {false, false, false, true},
            {"catalogue", "issuance", "recognition", "stacking"}},
           {NodeScope::kAll,
            {true, true, true, true},
            {"catalogue", "issuance", "recognition", "stacking"}}}) {
    MemoryStateStore store;
    auto node = StartProcess(log, store, ecosystem, key, expected.scope, &issuer);
    ASSERT_TRUE(node.ok()) << node.status();
    EXPECT_EQ((std::vector<bool>{(*node)->has_catalogue(), (*node)->has_issuance(),
                                 (*node)->has_recognition(), (*node)->has_stacking()}),
              expected.serves)
        << static_cast<int>(expected.scope);
    std::vector<std::string> consumers;
    for (Projector* projector : (*node)->projectors()) consumers.push_back(projector->name());
    EXPECT_EQ(consumers, expected.consumers) << static_cast<int>(expected.scope);
  }
}

TEST(NodeScopeTest, AStackingProcessThatDoesNotIssueNeedsTheIssuanceProcess) {
  LocalEcosystem ecosystem{"scopes", *domain::PolicyProfile::Named("eu")};
  MemoryEventLog log;
  MemoryStateStore store;
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  ASSERT_TRUE(ecosystem.Admit(log, kUniversity, key).ok());
  auto node = StartProcess(log, store, ecosystem, key, NodeScope::kStacking, nullptr);
  EXPECT_EQ(node.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(node.status().message().find("conferral_issuer"), std::string::npos) << node.status();
}

// A node of two ecosystems, each with its own log and registry: a credential of a specification
// published in the alliance is issued into the alliance's log, and verified against the issuer's
// membership there, which a suspension in FWB does not touch.
TEST(NodeEcosystemsTest, ACredentialIsIssuedAndVerifiedInItsSpecificationsEcosystem) {
  LocalEcosystem fwb{"fwb", *domain::PolicyProfile::Named("eu")};
  LocalEcosystem alliance{"alliance", *domain::PolicyProfile::Named("eu")};
  MemoryEventLog fwb_log;
  MemoryEventLog alliance_log;
  const crypto::SigningKey key = crypto::SigningKey::Generate();
  ASSERT_TRUE(fwb.Admit(fwb_log, kUniversity, key).ok());
  ASSERT_TRUE(alliance.Admit(alliance_log, kUniversity, key).ok());
  MemoryStateStore store;
  auto node =
      Node::Start(fwb_log, store,
                  {.institution_id = kUniversity.id,
                   .node_id = kUniversity.id + "-node",
                   .policy = fwb.policy(),
                   .ecosystem_id = "fwb",
                   .trust_anchors = {fwb.secretariat().anchor()},
                   .further_ecosystems = {{.id = "alliance",
                                           .log = &alliance_log,
                                           .trust_anchors = {alliance.secretariat().anchor()}}},
                   .event_key = key,
                   .public_url = LocalEcosystem::PublicUrlOf(kUniversity)});
  ASSERT_TRUE(node.ok()) << node.status();

  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("publish-joint");
  publish.set_local_id("joint");
  publish.set_ecosystem_id("alliance");
  *publish.mutable_content() = catalogue::samples::DataLiteracy(kUniversity.id);
  ASSERT_TRUE((*node)->catalogue().Publish(StaffOf(kUniversity.id), publish).ok());
  auto issued = (*node)->issuance().Issue(StaffOf(kUniversity.id),
                                          SampleIssueRequest(kUniversity.id, "r-1", "joint"));
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_EQ(issued->ecosystem_id(), "alliance");
  EXPECT_EQ(alliance_log.EndPositions(topics::kIssuance)->begin()->second, 1);
  EXPECT_EQ(fwb_log.EndPositions(topics::kIssuance)->begin()->second, 0);

  ASSERT_TRUE(fwb.secretariat().Suspend(fwb_log, kUniversity.id, "quality review").ok());
  for (Projector* projector : (*node)->projectors()) {
    ASSERT_TRUE(projector->Sync(absl::Seconds(10)).ok());
  }
  const issuance::v1::VerificationReport report =
      (*node)->presented_verifier().Report(issued->jws(), absl::Now());
  EXPECT_TRUE(report.valid()) << report.DebugString();
  EXPECT_EQ(report.ecosystem_id(), "alliance");
  for (const issuance::v1::VerificationCheck& check : report.checks()) {
    EXPECT_EQ(check.detail().find("suspended"), std::string::npos) << check.detail();
  }
}

}  // namespace
}  // namespace microcred
