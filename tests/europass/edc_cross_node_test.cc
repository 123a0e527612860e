// An EDC exported by one node is accepted by another as a credential from outside the ecosystem:
// the ELM export of a node (sealed with its e-seal) verified by the EdcVerifier a second node
// runs with the first one's seal CA as its trust anchor (mcnode --trusted-list-file), the facts
// a recognition decision needs read from it. The node's wiring of outside verifiers is
// recognition's; this checks what the two ends agree on: the document, the seal and the facts.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "libs/adapters/memory/memory_event_log.h"
#include "libs/adapters/memory/memory_state_store.h"
#include "libs/auth/roles.h"
#include "libs/crypto/crypto.h"
#include "libs/domain/dates.h"
#include "libs/domain/testing/sample_catalogue.h"
#include "libs/eseal/self_signed.h"
#include "libs/jades/trust_anchors.h"
#include "libs/ports/testing/fake_http_fetcher.h"
#include "libs/verification/edc_verifier.h"
#include "nlohmann/json.hpp"
#include "services/mcnode/outside_flags.h"
#include "services/mcnode/testing/local_ecosystem.h"

namespace microcred {
namespace {

using issuance::v1::VerificationReport;

const issuance::v1::VerificationCheck* CheckNamed(const VerificationReport& report,
                                                  const std::string& name) {
  for (const auto& check : report.checks()) {
    if (check.name() == name) return &check;
  }
  return nullptr;
}

class EdcCrossNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto node = ecosystem_.Join(log_, store_, antwerpen_);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    catalogue::v1::PublishSpecificationRequest publish;
    publish.set_request_id("publish-data");
    publish.set_local_id("data-literacy");
    *publish.mutable_content() = catalogue::samples::DataLiteracy(antwerpen_.id);
    ASSERT_TRUE(node_->catalogue().Publish(StaffOf(antwerpen_.id), publish).ok());
  }

  // Issues a credential to a learner and exports it as ELM, as the learner downloads it.
  std::string ExportedEdc(const std::string& name, bool graded = true,
                          std::string* credential_id = nullptr) {
    issuance::v1::IssueCredentialRequest r;
    r.set_request_id(name);
    r.set_specification_id(antwerpen_.id + "/data-literacy");
    r.mutable_learner()->set_learner_id("L-" + name);
    r.mutable_learner()->set_given_name("Ana");
    r.mutable_learner()->set_family_name("Andromeda");
    r.mutable_learner()->set_email(name + "@student.example.org");
    *r.mutable_issued_on() = domain::ToDate(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) - 1);
    r.set_place_of_issuing("Antwerpen");
    r.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
    r.set_supervision_applied(common::v1::SUPERVISION_ONSITE_WITH_ID_CHECK);
    if (graded) {
      r.mutable_grade()->set_value("16/20");
      r.mutable_grade()->set_grading_scheme("Belgian 0-20 scale");
    }
    auto issued = node_->issuance().Issue(StaffOf(antwerpen_.id), r);
    EXPECT_TRUE(issued.ok()) << issued.status();
    if (!issued.ok()) return "";
    if (credential_id != nullptr) *credential_id = issued->credential_id();
    issuance::v1::ExportCredentialRequest get;
    get.set_credential_id(issued->credential_id());
    get.set_format(issuance::v1::EXPORT_FORMAT_ELM_JSONLD);
    auto exported = node_->issuance().Export(StaffOf(antwerpen_.id), get);
    EXPECT_TRUE(exported.ok()) << exported.status();
    return exported.ok() ? exported->content() : "";
  }

  // What the other node runs: an EdcVerifier trusting the exporting node's seal CA.
  verification::EdcVerifier OtherNode() const {
    auto anchors = jades::TrustAnchors::FromPem(ecosystem_.SealCaPem(antwerpen_.id));
    EXPECT_TRUE(anchors.ok()) << anchors.status();
    return verification::EdcVerifier(anchors.ok() ? *anchors : jades::TrustAnchors());
  }

  MemoryEventLog log_;
  MemoryStateStore store_;
  LocalEcosystem ecosystem_{"europass", *domain::PolicyProfile::Named("eu")};
  Institution antwerpen_{"uantwerpen", "Universiteit Antwerpen",
                         common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-VAN"};
  std::unique_ptr<Node> node_;
};

TEST_F(EdcCrossNodeTest, AnExportedEdcIsAcceptedByANodeTrustingTheSeal) {
  const std::string edc = ExportedEdc("cross-1");
  const verification::EdcVerifier verifier = OtherNode();
  ASSERT_TRUE(verifier.Recognises(edc));
  const verification::VerifiedCredential verified = verifier.Verify(edc, absl::Now());
  const VerificationReport& report = verified.report;
  EXPECT_TRUE(report.valid()) << report.DebugString();
  EXPECT_EQ(report.format(), issuance::v1::CREDENTIAL_FORMAT_EDC_JADES);
  EXPECT_EQ(report.issuer(), "https://uantwerpen.example/institutions/uantwerpen");
  EXPECT_EQ(report.trust_basis().kind(), issuance::v1::TRUST_KIND_TRUSTED_LIST_SEAL);
  EXPECT_FALSE(report.trust_basis().ecosystem_member());
  EXPECT_EQ(report.trust_basis().statement(),
            "e-seal of Universiteit Antwerpen development seal (Universiteit Antwerpen) under "
            "trust anchor Universiteit Antwerpen dev seal CA (not qualified)");
  for (const char* name : {"format", "seal", "certificate", "issuer", "signature", "validity"}) {
    const auto* check = CheckNamed(report, name);
    ASSERT_NE(check, nullptr) << name;
    EXPECT_TRUE(check->passed()) << name << ": " << check->detail();
  }
  // The facts a recognition decision needs, read from the document alone: all there.
  const recognition::v1::CredentialFacts& facts = verified.facts;
  EXPECT_EQ(facts.title(), "Data literacy for public-sector professionals");
  EXPECT_EQ(facts.eqf_level(), 6);
  EXPECT_EQ(facts.country(), "BE");
  EXPECT_GT(facts.learning_outcomes_size(), 0);
  EXPECT_EQ(facts.missing_elements_size(), 0) << facts.DebugString();
}

// The status the export names is read at the other node through its HTTP client (here a fake
// answering what the exporting node publishes at those URLs): a credential revoked at its
// issuer is refused there.
TEST_F(EdcCrossNodeTest, AnExportRevokedAtItsIssuerIsRefusedElsewhere) {
  std::string credential_id;
  const std::string edc = ExportedEdc("cross-revoked", /*graded=*/true, &credential_id);
  const std::string issuer = "https://uantwerpen.example/institutions/uantwerpen";
  testing_ports::FakeHttpFetcher fetcher;
  auto publish_status = [&] {
    auto list = node_->issuance().StatusList("message");
    ASSERT_TRUE(list.ok()) << list.status();
    fetcher.Serve(issuer + "/status/message", *list, "application/vc+jwt");
    const auto header_text = crypto::Base64UrlDecode(list->substr(0, list->find('.')));
    ASSERT_TRUE(header_text.ok()) << header_text.status();
    const auto header = nlohmann::json::parse(*header_text, nullptr, /*allow_exceptions=*/false);
    const std::string kid = header.is_object() ? header.value("kid", "") : "";
    ASSERT_TRUE(absl::StartsWith(kid, issuer + "/keys/")) << kid;
    auto key = node_->issuance().PublicKey(antwerpen_.id, kid.substr(issuer.size() + 6));
    ASSERT_TRUE(key.ok()) << key.status();
    fetcher.Serve(kid, *key, "application/jwk+json");
  };
  auto anchors = jades::TrustAnchors::FromPem(ecosystem_.SealCaPem(antwerpen_.id));
  ASSERT_TRUE(anchors.ok()) << anchors.status();
  const verification::EdcVerifier other(*anchors, EdcStatusCheckOver(fetcher));

  publish_status();
  VerificationReport report = other.Verify(edc, absl::Now()).report;
  EXPECT_TRUE(report.valid()) << report.DebugString();
  EXPECT_EQ(report.status(), issuance::v1::CREDENTIAL_STATUS_ACTIVE) << report.DebugString();

  issuance::v1::ChangeStatusRequest revoke;
  revoke.set_request_id("revoke-cross");
  revoke.set_credential_id(credential_id);
  revoke.set_reason("awarded in error");
  ASSERT_TRUE(node_->issuance().Revoke(StaffOf(antwerpen_.id), revoke).ok());
  publish_status();
  report = other.Verify(edc, absl::Now()).report;
  EXPECT_FALSE(report.valid());
  EXPECT_EQ(report.status(), issuance::v1::CREDENTIAL_STATUS_REVOKED) << report.DebugString();
  const auto* status = CheckNamed(report, "status");
  ASSERT_NE(status, nullptr);
  EXPECT_FALSE(status->passed());
  EXPECT_TRUE(absl::StartsWith(status->detail(), "revoked")) << status->detail();
}

TEST_F(EdcCrossNodeTest, AnUngradedExportStillStatesItsAssessment) {
  const verification::VerifiedCredential verified =
      OtherNode().Verify(ExportedEdc("cross-ungraded", /*graded=*/false), absl::Now());
  EXPECT_TRUE(verified.report.valid()) << verified.report.DebugString();
  EXPECT_EQ(verified.facts.missing_elements_size(), 0) << verified.facts.DebugString();
}

TEST_F(EdcCrossNodeTest, AChangedByteOrAnotherAnchorIsRefused) {
  std::string edc = ExportedEdc("cross-2");
  const size_t at = edc.find("Data literacy");
  ASSERT_NE(at, std::string::npos);
  edc[at] = 'd';
  const VerificationReport tampered = OtherNode().Verify(edc, absl::Now()).report;
  EXPECT_FALSE(tampered.valid());
  EXPECT_FALSE(CheckNamed(tampered, "signature")->passed());

  // A node that trusts another CA (its own self-made one) does not accept the seal.
  auto own = eseal::CreateSelfSignedSeal({.organization = "Université libre de Bruxelles",
                                          .organization_identifier = "NTRBE-dev-ulb",
                                          .country = "BE",
                                          .not_before = absl::Now() - absl::Hours(1),
                                          .not_after = absl::Now() + absl::Hours(24)});
  ASSERT_TRUE(own.ok()) << own.status();
  auto anchors = jades::TrustAnchors::FromPem(own->ca_certificate_pem);
  ASSERT_TRUE(anchors.ok());
  const VerificationReport untrusted =
      verification::EdcVerifier(*anchors).Verify(ExportedEdc("cross-3"), absl::Now()).report;
  EXPECT_FALSE(untrusted.valid());
  EXPECT_FALSE(CheckNamed(untrusted, "certificate")->passed());
  EXPECT_FALSE(untrusted.has_trust_basis() && !untrusted.trust_basis().statement().empty());
}

// Through the nodes themselves: a learner brings the EDC their first node exported to a node of
// another alliance that accepts outside credentials and trusts the first one's seal CA
// (mcnode --trusted-list-file). The request is received for an officer (no policy names the
// issuer), the credential stated as authentic on its e-seal basis and bound to the learner by
// the hashed learner id the EDC carries.
TEST_F(EdcCrossNodeTest, ALearnerPresentsTheExportAtANodeOfAnotherAlliance) {
  const std::string edc = ExportedEdc("cross-node");
  const std::string ca = ecosystem_.SealCaPem(antwerpen_.id);
  LocalEcosystem other_alliance("elsewhere", *domain::PolicyProfile::Named("eu"));
  Institution ulb{"ulb", "Université libre de Bruxelles",
                  common::v1::PROVIDER_TYPE_HIGHER_EDUCATION, "BE", "BE-BRU"};
  ulb.outside_verifiers = [ca] {
    std::vector<std::unique_ptr<verification::FormatVerifier>> verifiers;
    auto anchors = jades::TrustAnchors::FromPem(ca);
    if (anchors.ok()) {
      verifiers.push_back(std::make_unique<verification::EdcVerifier>(*std::move(anchors)));
    }
    return verifiers;
  };
  MemoryEventLog log;
  MemoryStateStore store;
  auto node = other_alliance.Join(log, store, ulb);
  ASSERT_TRUE(node.ok()) << node.status();

  recognition::v1::SubmitRequestRequest submit;
  submit.set_client_request_id("submit-edc");
  submit.set_purpose(recognition::v1::RECOGNITION_PURPOSE_EXEMPTION);
  submit.mutable_target()->mutable_component()->set_programme_id("ulb/master-data");
  submit.mutable_target()->mutable_component()->set_component_id("STAT-F-101");
  submit.add_credential_jws(edc);
  // The learner's id in the alliance, the same as at the exporting node.
  const auth::Caller learner{
      .subject = "L-cross-node", .institution_id = "ulb", .roles = {auth::roles::kLearner}};
  auto submitted = (*node)->recognition().Submit(learner, submit);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state(), recognition::v1::REQUEST_STATE_RECEIVED);
  ASSERT_EQ(submitted->credentials_size(), 1);
  const recognition::v1::PresentedCredential& presented = submitted->credentials(0);
  EXPECT_EQ(presented.authenticity(), recognition::v1::AUTHENTICITY_AUTHENTIC)
      << presented.DebugString();
  EXPECT_EQ(presented.format(), issuance::v1::CREDENTIAL_FORMAT_EDC_JADES);
  EXPECT_EQ(presented.trust_basis().kind(), issuance::v1::TRUST_KIND_TRUSTED_LIST_SEAL);
  EXPECT_TRUE(absl::StartsWith(presented.trust_basis().statement(), "e-seal of "))
      << presented.trust_basis().statement();
  EXPECT_TRUE(presented.holder_binding().bound()) << presented.holder_binding().DebugString();
  EXPECT_EQ(presented.holder_binding().method(),
            recognition::v1::HOLDER_BINDING_METHOD_HASHED_IDENTIFIER);

  // Someone else presenting it is refused, nothing stored.
  submit.set_client_request_id("submit-edc-other");
  const auth::Caller other{
      .subject = "L-someone-else", .institution_id = "ulb", .roles = {auth::roles::kLearner}};
  auto refused = (*node)->recognition().Submit(other, submit);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_TRUE(absl::StartsWith(refused.status().message(), "credential_jws[0]: holder: "))
      << refused.status();
}

}  // namespace
}  // namespace microcred
