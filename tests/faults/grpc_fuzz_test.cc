// Thousands of random and mutated requests to every RPC of a node's gRPC services (catalogue,
// issuance, recognition). Whatever
// arrives, the services answer (they never crash: the server runs in this process, under the
// sanitizers in the unit run), and a call they refuse changes nothing: the node's store and the
// log's domain topics are byte for byte what they were before it.
//
// Built twice: on the in-memory engines (a unit test, so it runs under ASan and UBSan) and on a
// real Kafka broker and Redis server (MC_FUZZ_REAL_SERVICES; an integration test).
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "absl/time/civil_time.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/auth/roles.h"
#include "libs/crypto/crypto.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/events/topics.h"
#include "libs/host/service_host.h"
#include "services/catalogue/catalogue_grpc.h"
#include "services/issuance/issuance_grpc.h"
#include "services/mcnode/testing/local_ecosystem.h"
#include "services/recognition/recognition_grpc.h"
#include "services/stacking/stacking_grpc.h"
#ifdef MC_FUZZ_REAL_SERVICES
#include "tests/support/real_services.h"
#endif

namespace microcred {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int kCallsPerMethod = 160;
const Institution kUniversity{"uclouvain", "Université catholique de Louvain"};

// Random values that tend to sit on the edges validation must hold.
class Fuzzer {
 public:
  explicit Fuzzer(uint32_t seed) : rng_(seed) {}

  int Int(int below) { return std::uniform_int_distribution<int>(0, below - 1)(rng_); }
  bool OneIn(int n) { return Int(n) == 0; }

  std::string Bytes(size_t max_size) {
    std::string out(static_cast<size_t>(Int(static_cast<int>(max_size) + 1)), '\0');
    for (char& c : out) c = static_cast<char>(Int(256));
    return out;
  }

  std::string Text() {
    static const std::vector<std::string> kSamples = {"",
                                                      " ",
                                                      "uclouvain",
                                                      "uclouvain/data-literacy",
                                                      "he-vinci/x",
                                                      "urn:uuid:1",
                                                      "a/b/c",
                                                      "../../etc/passwd",
                                                      "Données\u00a0à l’échelle",
                                                      "\xff\xfe",
                                                      std::string(5000, 'x'),
                                                      "2026-02-30",
                                                      "https://example.org",
                                                      "ed25519:00",
                                                      "\n\t\r",
                                                      "%s%n",
                                                      "0",
                                                      "-1"};
    switch (Int(3)) {
      case 0:
        return kSamples[static_cast<size_t>(Int(static_cast<int>(kSamples.size())))];
      case 1:
        return Bytes(24);
      default:
        return Word();
    }
  }

  std::string Word() {
    std::string out;
    for (int i = Int(30); i > 0; --i) out.push_back(static_cast<char>('a' + Int(26)));
    return out;
  }

  int64_t Integer() {
    static const int64_t kEdges[] = {0,
                                     1,
                                     -1,
                                     2,
                                     7,
                                     60,
                                     1000,
                                     std::numeric_limits<int32_t>::max(),
                                     std::numeric_limits<int32_t>::min(),
                                     std::numeric_limits<int64_t>::max()};
    return OneIn(2) ? kEdges[Int(10)] : Int(100000) - 50000;
  }

  double Real() {
    static const double kEdges[] = {0,
                                    -1,
                                    0.5,
                                    3,
                                    10,
                                    60,
                                    1e308,
                                    -1e-308,
                                    std::numeric_limits<double>::quiet_NaN(),
                                    std::numeric_limits<double>::infinity()};
    return kEdges[Int(10)];
  }

  // Sets every field with probability 1/2, recursively to `depth`.
  void Fill(Message& message, int depth) {
    const auto* descriptor = message.GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      if (OneIn(2)) SetRandom(message, descriptor->field(i), depth);
    }
  }

  // Changes one field somewhere in `message`: cleared, or given a random value.
  void Mutate(Message& message, int depth) {
    const auto* descriptor = message.GetDescriptor();
    if (descriptor->field_count() == 0) return;
    const FieldDescriptor* field = descriptor->field(Int(descriptor->field_count()));
    const Reflection* reflection = message.GetReflection();
    const bool present = field->is_repeated() ? reflection->FieldSize(message, field) > 0
                                              : reflection->HasField(message, field);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && present && depth > 0 &&
        !OneIn(3)) {
      Message* child = field->is_repeated()
                           ? reflection->MutableRepeatedMessage(
                                 &message, field, Int(reflection->FieldSize(message, field)))
                           : reflection->MutableMessage(&message, field);
      Mutate(*child, depth - 1);
    } else if (OneIn(3)) {
      reflection->ClearField(&message, field);
    } else {
      SetRandom(message, field, depth);
    }
  }

 private:
  void SetRandom(Message& message, const FieldDescriptor* field, int depth) {
    const Reflection* reflection = message.GetReflection();
    const int count = field->is_repeated() ? Int(4) : 1;
    if (field->is_repeated()) reflection->ClearField(&message, field);
    for (int n = 0; n < count; ++n) {
      const bool add = field->is_repeated();
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING: {
          std::string value = field->type() == FieldDescriptor::TYPE_BYTES ? Bytes(40) : Text();
          add ? reflection->AddString(&message, field, value)
              : reflection->SetString(&message, field, value);
          break;
        }
        case FieldDescriptor::CPPTYPE_INT32:
          add ? reflection->AddInt32(&message, field, static_cast<int32_t>(Integer()))
              : reflection->SetInt32(&message, field, static_cast<int32_t>(Integer()));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          add ? reflection->AddInt64(&message, field, Integer())
              : reflection->SetInt64(&message, field, Integer());
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          add ? reflection->AddUInt32(&message, field, static_cast<uint32_t>(Integer()))
              : reflection->SetUInt32(&message, field, static_cast<uint32_t>(Integer()));
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          add ? reflection->AddUInt64(&message, field, static_cast<uint64_t>(Integer()))
              : reflection->SetUInt64(&message, field, static_cast<uint64_t>(Integer()));
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          add ? reflection->AddDouble(&message, field, Real())
              : reflection->SetDouble(&message, field, Real());
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          add ? reflection->AddFloat(&message, field, static_cast<float>(Real()))
              : reflection->SetFloat(&message, field, static_cast<float>(Real()));
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          add ? reflection->AddBool(&message, field, OneIn(2))
              : reflection->SetBool(&message, field, OneIn(2));
          break;
        case FieldDescriptor::CPPTYPE_ENUM: {
          // Known values and unknown ones (proto3 enums are open).
          const int value =
              OneIn(4)
                  ? Int(1000) - 10
                  : field->enum_type()->value(Int(field->enum_type()->value_count()))->number();
          add ? reflection->AddEnumValue(&message, field, value)
              : reflection->SetEnumValue(&message, field, value);
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE: {
          if (depth <= 0) break;
          Message* child = add ? reflection->AddMessage(&message, field)
                               : reflection->MutableMessage(&message, field);
          Fill(*child, depth - 1);
          break;
        }
      }
    }
  }

  std::mt19937 rng_;
};

// The raw bytes of a unary call, sent as they are: the server parses them itself.
grpc::Status CallRaw(grpc::GenericStub& stub, const std::string& method, const std::string& body,
                     const std::string& authorization) {
  grpc::ClientContext context;
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::Slice slice(body);
  grpc::ByteBuffer request(&slice, 1);
  grpc::CompletionQueue queue;
  auto call = stub.PrepareUnaryCall(&context, method, request, &queue);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  call->Finish(&response, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  EXPECT_TRUE(queue.Next(&tag, &ok));
  return status;
}

class GrpcFuzzTest : public testing::Test {
 protected:
  void SetUp() override {
#ifdef MC_FUZZ_REAL_SERVICES
    auto log = testing_support::OpenKafka("it-fuzz");
    ASSERT_TRUE(log.ok()) << log.status();
    log_ = *std::move(log);
    auto store = testing_support::OpenRedis(0, "it-fuzz-" + crypto::RandomId().substr(0, 8) + ":");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
#else
    log_ = std::make_unique<MemoryEventLog>();
    store_ = std::make_unique<MemoryStateStore>();
#endif
    auto node = ecosystem_.Join(*log_, *store_, kUniversity);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    ASSERT_TRUE(
        verifier_.AddTrustedKey(minter_.kid(), minter_.issuer(), minter_.public_key()).ok());
    catalogue_ = std::make_unique<catalogue::CatalogueGrpc>(node_->catalogue(), verifier_);
    issuance_ = std::make_unique<issuance::IssuanceGrpc>(node_->issuance(), verifier_);
    recognition_ = std::make_unique<recognition::RecognitionGrpc>(node_->recognition(), verifier_);
    stacking_ = std::make_unique<stacking::StackingGrpc>(node_->stacking(), verifier_);
    host_.AddService(catalogue_.get());
    host_.AddService(issuance_.get());
    host_.AddService(recognition_.get());
    host_.AddService(stacking_.get());
    ASSERT_TRUE(host_.Start().ok());
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(host_.port()),
                                   grpc::InsecureChannelCredentials());
    bearer_ =
        "Bearer " + minter_.Mint("staff@uclouvain", "uclouvain",
                                 {auth::roles::kRegistrar, auth::roles::kCatalogueEditor,
                                  auth::roles::kLearner, auth::roles::kOperator,
                                  auth::roles::kRecognitionOfficer, auth::roles::kAppealOfficer,
                                  auth::roles::kJuryMember, auth::roles::kPathwayEditor},
                                 absl::Hours(1));
  }

  void TearDown() override {
    host_.Shutdown();
    host_.Wait();
  }

  // The store's content and the domain topics' ends: what a refused call must leave alone.
  std::string StateDigest() {
    auto rows = store_->ScanPrefix("");
    EXPECT_TRUE(rows.ok());
    std::string all;
    for (const auto& [key, value] : *rows) all += key + '\0' + value + '\0';
    for (const char* topic :
         {topics::kCatalogue, topics::kIssuance, topics::kRecognition, topics::kStacking}) {
      auto ends = log_->EndPositions(topic);
      EXPECT_TRUE(ends.ok());
      for (const auto& [tp, end] : *ends) all += tp.topic + std::to_string(end);
    }
    return crypto::Sha256(all);
  }

  void SyncAll() {
    ASSERT_TRUE(node_->catalogue().projector().Sync(absl::Seconds(30)).ok());
    ASSERT_TRUE(node_->issuance().projector().Sync(absl::Seconds(30)).ok());
    ASSERT_TRUE(node_->recognition().projector().Sync(absl::Seconds(30)).ok());
    ASSERT_TRUE(node_->stacking().projector().Sync(absl::Seconds(30)).ok());
  }

  // Valid requests to mutate, so that mutations reach the deep checks.
  // `jws`: a credential issued in the test, presented to recognition; `request_id`: a request
  // submitted before the fuzz, waiting for review, which the commands on requests name.
  std::map<std::string, std::unique_ptr<Message>> Seeds(const std::string& specification_id,
                                                        const std::string& jws,
                                                        const std::string& request_id) {
    std::map<std::string, std::unique_ptr<Message>> seeds;
    auto publish = std::make_unique<catalogue::v1::PublishSpecificationRequest>();
    publish->set_request_id("fuzz-publish");
    publish->set_local_id("fuzzed");
    *publish->mutable_content() = catalogue::samples::AiEthics("uclouvain");
    seeds["PublishSpecification"] = std::move(publish);
    auto issue = std::make_unique<issuance::v1::IssueCredentialRequest>();
    issue->set_request_id("fuzz-issue");
    issue->set_specification_id(specification_id);
    issue->mutable_learner()->set_learner_id("L1");
    issue->mutable_learner()->set_given_name("Ana");
    issue->mutable_learner()->set_family_name("Lopes");
    issue->mutable_issued_on()->set_year(2026);
    issue->mutable_issued_on()->set_month(11);
    issue->mutable_issued_on()->set_day(2);
    issue->set_place_of_issuing("Louvain-la-Neuve");
    issue->set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    issue->set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    auto many = std::make_unique<issuance::v1::IssueCredentialsRequest>();
    *many->add_rows() = *issue;
    seeds["IssueCredentials"] = std::move(many);
    seeds["IssueCredential"] = std::move(issue);
    RecognitionSeeds(jws, request_id, seeds);
    StackingSeeds(specification_id, jws, seeds);
    return seeds;
  }

  // A pathway of one requirement (3 ECTS of this institution's) conferring the seed
  // specification, and the evaluation, what-if and conferral of the seed credential against the
  // pathway published before the fuzz.
  static stacking::v1::Pathway SeedPathway(const std::string& specification_id) {
    stacking::v1::Pathway pathway;
    pathway.set_title("Fuzzed pathway");
    pathway.mutable_target()->set_kind(stacking::v1::TARGET_KIND_LARGER_MICRO_CREDENTIAL);
    pathway.mutable_target()->set_title("Fuzzed pathway");
    pathway.mutable_target()->set_specification_id(specification_id);
    stacking::v1::Requirement& root = *pathway.mutable_rules();
    root.set_requirement_id("root");
    root.set_title("Any 3 ECTS of ours");
    root.set_min_ects(3);
    root.mutable_filter()->add_issuer_institution_ids("uclouvain");
    return pathway;
  }

  static void StackingSeeds(const std::string& specification_id, const std::string& jws,
                            std::map<std::string, std::unique_ptr<Message>>& seeds) {
    auto publish = std::make_unique<stacking::v1::PublishPathwayRequest>();
    publish->set_request_id("fuzz-pathway");
    publish->set_local_id("fuzzed");
    *publish->mutable_pathway() = SeedPathway(specification_id);
    seeds["PublishPathway"] = std::move(publish);
    auto evaluate = std::make_unique<stacking::v1::EvaluateRequest>();
    evaluate->set_pathway_id("uclouvain/seed-pathway");
    evaluate->add_credential_jws(jws);
    auto what_if = std::make_unique<stacking::v1::WhatIfRequest>();
    *what_if->mutable_evaluation() = *evaluate;
    what_if->add_hypothetical()->set_specification_id(specification_id);
    seeds["WhatIf"] = std::move(what_if);
    auto confer = std::make_unique<stacking::v1::ConferRequest>();
    confer->set_request_id("fuzz-confer");
    confer->set_pathway_id("uclouvain/seed-pathway");
    confer->add_credential_jws(jws);
    confer->mutable_learner()->set_learner_id("L1");
    confer->mutable_learner()->set_given_name("Ana");
    confer->mutable_learner()->set_family_name("Lopes");
    confer->set_place_of_issuing("Louvain-la-Neuve");
    confer->set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    seeds["Confer"] = std::move(confer);
    seeds["Evaluate"] = std::move(evaluate);
    auto get = std::make_unique<stacking::v1::GetPathwayRequest>();
    get->set_pathway_id("uclouvain/seed-pathway");
    seeds["GetPathway"] = std::move(get);
  }

  static void RecognitionSeeds(const std::string& jws, const std::string& request_id,
                               std::map<std::string, std::unique_ptr<Message>>& seeds) {
    namespace rv1 = recognition::v1;
    auto submit = std::make_unique<rv1::SubmitRequestRequest>();
    submit->set_client_request_id("fuzz-submit");
    submit->set_learner_id("L1");
    submit->set_purpose(rv1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
    submit->mutable_target()->mutable_component()->set_programme_id("uclouvain/master-data");
    submit->mutable_target()->mutable_component()->set_component_id("STAT0001");
    submit->add_credential_jws(jws);
    seeds["SubmitRequest"] = std::move(submit);

    rv1::VaeFile file;
    rv1::ActivityPeriod& period = *file.add_activities();
    period.mutable_from()->set_year(2015);
    period.mutable_from()->set_month(1);
    period.mutable_to()->set_year(2021);
    period.mutable_to()->set_month(6);
    period.set_kind(rv1::ACTIVITY_KIND_PROFESSIONAL);
    period.set_description("Data analyst at a regional hospital.");
    file.set_higher_education_credits(60);
    file.set_portfolio_summary("Six years of statistical reporting.");
    file.add_evidence_references("evidence/contract-2015.pdf");
    auto vae = std::make_unique<rv1::SubmitVaeRequestRequest>();
    vae->set_client_request_id("fuzz-vae");
    vae->set_learner_id("L2");
    vae->set_purpose(rv1::RECOGNITION_PURPOSE_ADMISSION);
    vae->mutable_target()->set_programme_id("uclouvain/master-data");
    *vae->mutable_file() = file;
    seeds["SubmitVaeRequest"] = std::move(vae);
    auto eligibility = std::make_unique<rv1::CheckVaeEligibilityRequest>();
    *eligibility->mutable_file() = file;
    seeds["CheckVaeEligibility"] = std::move(eligibility);

    auto policy = std::make_unique<rv1::PublishPolicyRequest>();
    policy->set_client_request_id("fuzz-policy");
    rv1::RecognitionPolicy& p = *policy->mutable_policy();
    p.set_policy_id("uclouvain/fuzz-policy");
    p.set_title("Our own data literacy course");
    p.set_rationale("It is ours.");
    p.set_rank(1);
    p.add_purposes(rv1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
    p.add_issuers("uclouvain");
    p.set_min_eqf_level(5);
    seeds["PublishPolicy"] = std::move(policy);

    // A FULL decision as an officer sends it (the service fills in who, when, the appeal).
    rv1::RecognitionDecision decision;
    decision.set_outcome(rv1::RECOGNITION_OUTCOME_FULL);
    for (int element = 1; element <= 5; ++element) {
      rv1::Finding& f = *decision.add_findings();
      f.set_element(static_cast<rv1::ComparisonElement>(element));
      f.set_assessment(rv1::ASSESSMENT_COMPARABLE);
    }
    decision.add_reason_codes(rv1::REASON_CODE_ALL_ELEMENTS_COMPARABLE);
    decision.set_recognised_ects(3);
    decision.add_remedies(rv1::REMEDY_INTERNAL_APPEAL);
    auto start = std::make_unique<rv1::StartReviewRequest>();
    start->set_client_request_id("fuzz-review");
    start->set_request_id(request_id);
    seeds["StartReview"] = std::move(start);
    auto ask = std::make_unique<rv1::RequestInformationRequest>();
    ask->set_client_request_id("fuzz-ask");
    ask->set_request_id(request_id);
    ask->set_what("The transcript of the course.");
    seeds["RequestInformation"] = std::move(ask);
    auto provide = std::make_unique<rv1::ProvideInformationRequest>();
    provide->set_client_request_id("fuzz-provide");
    provide->set_request_id(request_id);
    provide->set_note("Attached.");
    seeds["ProvideInformation"] = std::move(provide);
    auto decide = std::make_unique<rv1::DecideRequest>();
    decide->set_client_request_id("fuzz-decide");
    decide->set_request_id(request_id);
    *decide->mutable_decision() = decision;
    seeds["Decide"] = std::move(decide);
    auto appeal = std::make_unique<rv1::AppealRequest>();
    appeal->set_client_request_id("fuzz-appeal");
    appeal->set_request_id(request_id);
    appeal->set_grounds("The statistics outcomes were covered.");
    seeds["Appeal"] = std::move(appeal);
    auto decide_appeal = std::make_unique<rv1::DecideAppealRequest>();
    decide_appeal->set_client_request_id("fuzz-decide-appeal");
    decide_appeal->set_request_id(request_id);
    *decide_appeal->mutable_decision() = decision;
    decide_appeal->mutable_decision()->clear_remedies();
    seeds["DecideAppeal"] = std::move(decide_appeal);
    auto withdraw = std::make_unique<rv1::WithdrawRequest>();
    withdraw->set_client_request_id("fuzz-withdraw");
    withdraw->set_request_id(request_id);
    withdraw->set_reason("Changed programme.");
    seeds["Withdraw"] = std::move(withdraw);
    auto get = std::make_unique<rv1::GetRequestRequest>();
    get->set_request_id(request_id);
    seeds["GetRequest"] = std::move(get);
    auto list = std::make_unique<rv1::ListRequestsRequest>();
    list->set_page_size(5);
    seeds["ListRequests"] = std::move(list);
    auto policies = std::make_unique<rv1::ListPoliciesRequest>();
    policies->set_receiving_institution("uclouvain");
    seeds["ListPolicies"] = std::move(policies);
  }

  absl::StatusOr<issuance::v1::IssuedCredential> IssueSeedCredential(
      const std::string& specification_id, const std::string& request_id) {
    issuance::v1::IssueCredentialRequest issue;
    issue.set_request_id(request_id);
    issue.set_specification_id(specification_id);
    issue.mutable_learner()->set_learner_id("L1");
    issue.mutable_learner()->set_given_name("Ana");
    issue.mutable_learner()->set_family_name("Lopes");
    const absl::CivilDay yesterday = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 1;
    *issue.mutable_issued_on() = domain::ToDate(yesterday);
    issue.set_place_of_issuing("Louvain-la-Neuve");
    issue.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    issue.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    return node_->issuance().Issue(StaffOf("uclouvain"), issue);
  }

  static auth::Caller Officer() {
    return {.subject = "officer@uclouvain",
            .institution_id = "uclouvain",
            .roles = {auth::roles::kRecognitionOfficer}};
  }

  LocalEcosystem ecosystem_{"fuzz-" + crypto::RandomId().substr(0, 8),
                            *domain::PolicyProfile::Named("eu")};
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<Node> node_;
  auth::TokenMinter minter_{crypto::SigningKey::Generate(), "fuzz-idp", "uclouvain-node"};
  auth::TokenVerifier verifier_{"uclouvain-node"};
  std::unique_ptr<catalogue::CatalogueGrpc> catalogue_;
  std::unique_ptr<issuance::IssuanceGrpc> issuance_;
  std::unique_ptr<recognition::RecognitionGrpc> recognition_;
  std::unique_ptr<stacking::StackingGrpc> stacking_;
  host::ServiceHost host_{{.listen_address = "127.0.0.1:0"}};
  std::shared_ptr<grpc::Channel> channel_;
  std::string bearer_;
};

TEST_F(GrpcFuzzTest, RandomAndMutatedRequestsNeverCrashAndRefusalsChangeNothing) {
  catalogue::v1::PublishSpecificationRequest publish;
  publish.set_request_id("seed-spec");
  publish.set_local_id("data-literacy");
  *publish.mutable_content() = catalogue::samples::DataLiteracy("uclouvain");
  auto spec = node_->catalogue().Publish(StaffOf("uclouvain"), publish);
  ASSERT_TRUE(spec.ok()) << spec.status();
  // A credential to present to recognition, and a request that waits for review (no policy
  // yet) for the commands on requests to name.
  auto seed_credential = IssueSeedCredential(spec->specification_id(), "seed-credential");
  ASSERT_TRUE(seed_credential.ok()) << seed_credential.status();
  recognition::v1::SubmitRequestRequest waiting;
  waiting.set_client_request_id("seed-request");
  waiting.set_learner_id("L1");
  waiting.set_purpose(recognition::v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER);
  waiting.mutable_target()->set_programme_id("uclouvain/master-data");
  waiting.add_credential_jws(seed_credential->jws());
  auto request = node_->recognition().Submit(Officer(), waiting);
  ASSERT_TRUE(request.ok()) << request.status();
  ASSERT_EQ(request->state(), recognition::v1::REQUEST_STATE_RECEIVED);
  stacking::v1::PublishPathwayRequest pathway;
  pathway.set_request_id("seed-pathway");
  pathway.set_local_id("seed-pathway");
  *pathway.mutable_pathway() = SeedPathway(spec->specification_id());
  ASSERT_TRUE(node_->stacking().PublishPathway(Officer(), pathway).ok());
  const auto seeds = Seeds(spec->specification_id(), seed_credential->jws(), request->request_id());
  SyncAll();

  // Invalid UTF-8 in string fields is part of the fuzz; protobuf logs each one.
  google::protobuf::SetLogHandler(nullptr);
  Fuzzer fuzz(20261126);
  grpc::GenericStub stub(channel_);
  google::protobuf::DynamicMessageFactory factory;
  int calls = 0, refused = 0, accepted = 0;
  std::map<std::string, int> accepted_by_method;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  // The catalogue last: its fuzz may withdraw the specification the seeds issue against.
  for (const char* name :
       {"microcred.issuance.v1.IssuanceService", "microcred.recognition.v1.RecognitionService",
        "microcred.stacking.v1.Stacking", "microcred.catalogue.v1.CatalogueService"}) {
    const auto* service = pool->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int m = 0; m < service->method_count(); ++m) {
      const auto* method = service->method(m);
      const std::string path = "/" + service->full_name() + "/" + method->name();
      const Message* prototype = factory.GetPrototype(method->input_type());
      for (int i = 0; i < kCallsPerMethod; ++i) {
        std::string body;
        auto seed = seeds.find(method->name());
        if (i % 4 == 0) {
          body = fuzz.Bytes(200);  // not even a message, most of the time
        } else if (i % 4 == 1 || seed == seeds.end()) {
          std::unique_ptr<Message> message(prototype->New());
          fuzz.Fill(*message, 4);
          body = message->SerializeAsString();
        } else {
          std::unique_ptr<Message> message(seed->second->New());
          message->CopyFrom(*seed->second);
          for (int k = 1 + fuzz.Int(3); k > 0; --k) fuzz.Mutate(*message, 4);
          body = message->SerializeAsString();
          if (fuzz.OneIn(8) && !body.empty())
            body[static_cast<size_t>(fuzz.Int(static_cast<int>(body.size())))] ^= 0x5a;
        }
        // Header values must be printable (the client library refuses others); a forged or
        // missing token is fine.
        const std::string authorization =
            fuzz.OneIn(10) ? (fuzz.OneIn(2) ? "" : "Bearer " + fuzz.Word()) : bearer_;
        const std::string before = StateDigest();
        const grpc::Status status = CallRaw(stub, path, body, authorization);
        ++calls;
        ASSERT_NE(status.error_code(), grpc::StatusCode::UNAVAILABLE)
            << path << ": the server stopped answering";
        if (status.ok()) {
          ++accepted;
          ++accepted_by_method[method->name()];
          SyncAll();
          continue;
        }
        ++refused;
        ASSERT_NE(status.error_code(), grpc::StatusCode::UNKNOWN)
            << path << ": an unexpected error escaped: " << status.error_message();
        ASSERT_EQ(StateDigest(), before)
            << path << " refused (" << status.error_code() << " " << status.error_message()
            << ") but changed the node's state";
      }
    }
  }
  std::printf("fuzz: %d calls, %d refused, %d accepted:", calls, refused, accepted);
  for (const auto& [name, n] : accepted_by_method) std::printf(" %s %d", name.c_str(), n);
  std::printf("\n");
  // The mutated seeds reach the deep checks: some still pass them.
  EXPECT_GT(accepted_by_method["IssueCredential"], 0);
  EXPECT_GT(accepted_by_method["PublishSpecification"], 0);
  EXPECT_GT(accepted_by_method["PublishPathway"], 0);
  EXPECT_GT(accepted_by_method["Evaluate"], 0);
  EXPECT_GT(accepted_by_method["Confer"], 0);
  EXPECT_GT(accepted_by_method["SubmitRequest"], 0);
  EXPECT_GT(accepted_by_method["SubmitVaeRequest"], 0);
  EXPECT_GT(accepted_by_method["PublishPolicy"], 0);
  EXPECT_GT(calls, 2000);
  EXPECT_GT(refused, calls / 2);
  // Still serving, and still correct: a valid issuance goes through (against a specification
  // of its own, as the fuzz may well have withdrawn the first one).
  publish.set_request_id("after-the-fuzz");
  publish.set_local_id("after-the-fuzz");
  auto fresh = node_->catalogue().Publish(StaffOf("uclouvain"), publish);
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  issuance::v1::IssueCredentialRequest valid =
      static_cast<const issuance::v1::IssueCredentialRequest&>(*seeds.at("IssueCredential"));
  valid.set_specification_id(fresh->specification_id());
  valid.set_request_id("after-the-fuzz");
  auto issued = node_->issuance().Issue(StaffOf("uclouvain"), valid);
  ASSERT_TRUE(issued.ok()) << issued.status();
  // And a recognition request presenting it is received and verified as authentic.
  waiting.set_client_request_id("after-the-fuzz");
  waiting.clear_credential_jws();
  waiting.add_credential_jws(issued->jws());
  auto after = node_->recognition().Submit(Officer(), waiting);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->credentials(0).authenticity(), recognition::v1::AUTHENTICITY_AUTHENTIC);
}

}  // namespace
}  // namespace microcred
