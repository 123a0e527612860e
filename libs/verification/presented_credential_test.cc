// Reading a presented credential's facts: from the frozen specification when the catalogue
// knows that version, otherwise from the signed document; the award's own facts (dates, grade)
// always from the document; the provider type from the registry.
#include "libs/verification/presented_credential.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "libs/credentials/open_badge.h"
#include "libs/credentials/testing/sample_facts.h"
#include "libs/credentials/vocabulary.h"
#include "libs/crypto/crypto.h"

namespace microcred::verification {
namespace {

using credentials::CredentialFacts;

issuance::v1::VerificationReport ReportFor(const CredentialFacts& facts, bool valid = true) {
  issuance::v1::VerificationReport report;
  report.set_valid(valid);
  report.set_credential_id(facts.credential_id);
  report.set_issuer(facts.issuers.front().institution_id);
  report.set_specification_id(facts.specification.specification_id());
  report.set_specification_version(facts.specification.version());
  report.set_credential_json(*credentials::WriteOpenBadgeCredential(facts));
  for (const char* name : {"format", "issuer", "signature", "policy", "issued", "status"}) {
    issuance::v1::VerificationCheck& check = *report.add_checks();
    check.set_name(name);
    check.set_passed(valid || std::string(name) != "status");
    if (!check.passed()) check.set_detail("the credential is REVOKED: issued in error");
  }
  return report;
}

registry::v1::Member MemberOfType(common::v1::ProviderType type) {
  registry::v1::Member member;
  member.mutable_admitted()->set_provider_type(type);
  return member;
}

// The assessment as the facts state it: "<English label>: <description>".
std::string AssessmentOf(const catalogue::v1::SpecificationContent& c) {
  std::string text(credentials::EnglishLabel(c.assessment_type()));
  if (!c.assessment_description().empty()) text += ": " + c.assessment_description();
  return text;
}

void ExpectDataLiteracyElements(const recognition::v1::CredentialFacts& f) {
  EXPECT_EQ(f.title(), "Data literacy for public-sector professionals");
  EXPECT_EQ(f.eqf_level(), 6);
  EXPECT_EQ(f.ects(), 3);
  EXPECT_EQ(f.hours(), 0);
  EXPECT_EQ(f.quality_assurance_type(), common::v1::QUALITY_ASSURANCE_TYPE_EXTERNAL);
  EXPECT_EQ(f.qa_body(), "AEQES");
  EXPECT_EQ(f.deqar_reference(), "DEQARINST0107");
  ASSERT_EQ(f.awarding_bodies_size(), 2);
  EXPECT_EQ(f.awarding_bodies(0), "uclouvain");
  EXPECT_EQ(f.awarding_bodies(1), "ulb");
  EXPECT_EQ(f.country(), "BE");
}

TEST(PresentedCredentialTest, AnnexIElementsFromTheFrozenSpecification) {
  const CredentialFacts sample = credentials::testing::SampleFacts();
  const recognition::v1::CredentialFacts f =
      ExtractCredentialFacts(ReportFor(sample), sample.specification,
                             MemberOfType(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION));
  EXPECT_EQ(f.credential_id(), sample.credential_id);
  EXPECT_EQ(f.issuer(), "uclouvain");
  EXPECT_EQ(f.specification_id(), sample.specification.specification_id());
  EXPECT_EQ(f.specification_version(), 2u);
  ExpectDataLiteracyElements(f);
  EXPECT_EQ(f.learning_outcomes_size(), sample.specification.content().learning_outcomes_size());
  EXPECT_EQ(f.issuer_provider_type(), common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  EXPECT_EQ(f.issued_on().year(), 2025);
  EXPECT_EQ(f.issued_on().month(), 6);
  EXPECT_EQ(f.issued_on().day(), 30);
  EXPECT_FALSE(f.has_valid_until());
  EXPECT_EQ(f.grade().value(), "16/20");
  EXPECT_EQ(f.grade().grading_scheme(), "Belgian 0-20 scale");
}

TEST(PresentedCredentialTest, WithoutTheSpecificationTheSignedDocumentStates) {
  const CredentialFacts sample = credentials::testing::SampleFacts();
  const recognition::v1::CredentialFacts f =
      ExtractCredentialFacts(ReportFor(sample), std::nullopt, std::nullopt);
  ExpectDataLiteracyElements(f);
  // The document names the issuer's provider type; the registry would win if it knew it.
  EXPECT_EQ(f.issuer_provider_type(), common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  EXPECT_EQ(f.grade().value(), "16/20");
}

TEST(PresentedCredentialTest, AnotherVersionOfTheSpecificationIsNotUsed) {
  const CredentialFacts sample = credentials::testing::SampleFacts();
  catalogue::v1::Specification other = sample.specification;
  other.set_version(3);
  other.mutable_content()->set_eqf_level(7);
  other.mutable_content()->mutable_workload()->set_ects(10);
  const recognition::v1::CredentialFacts f =
      ExtractCredentialFacts(ReportFor(sample), other, std::nullopt);
  EXPECT_EQ(f.eqf_level(), 6);
  EXPECT_EQ(f.ects(), 3);
}

TEST(PresentedCredentialTest, CredentialInHoursWithValidUntil) {
  const CredentialFacts sample = credentials::testing::SampleFactsInHours();
  const recognition::v1::CredentialFacts f =
      ExtractCredentialFacts(ReportFor(sample), std::nullopt, std::nullopt);
  EXPECT_EQ(f.hours(), 60);
  EXPECT_EQ(f.ects(), 0);
  EXPECT_EQ(f.eqf_level(), 4);
  EXPECT_EQ(f.quality_assurance_type(), common::v1::QUALITY_ASSURANCE_TYPE_INTERNAL);
  EXPECT_EQ(f.issuer_provider_type(), common::v1::PROVIDER_TYPE_PUBLIC_EMPLOYMENT_SERVICE);
  EXPECT_EQ(f.valid_until().year(), 2028);
  EXPECT_EQ(f.valid_until().month(), 6);
  EXPECT_EQ(f.valid_until().day(), 30);
  EXPECT_TRUE(f.grade().value().empty());
}

TEST(PresentedCredentialTest, UnreadableDocumentLeavesOnlyTheReportsFacts) {
  issuance::v1::VerificationReport report;
  report.set_credential_id("urn:uuid:x");
  report.set_issuer("uclouvain");
  report.set_credential_json("{not json");
  const recognition::v1::CredentialFacts f =
      ExtractCredentialFacts(report, std::nullopt, std::nullopt);
  EXPECT_EQ(f.credential_id(), "urn:uuid:x");
  EXPECT_EQ(f.issuer(), "uclouvain");
  EXPECT_EQ(f.eqf_level(), 0);
  EXPECT_FALSE(f.has_issued_on());
}

// Every mandatory element stated: nothing missing.
recognition::v1::CredentialFacts CompleteFacts() {
  recognition::v1::CredentialFacts f;
  f.set_title("Data literacy");
  f.set_country("BE");
  f.add_awarding_bodies("uclouvain");
  f.mutable_issued_on()->set_year(2026);
  f.add_learning_outcomes("Reads a dataset critically");
  f.set_ects(3);
  f.set_eqf_level(6);
  f.set_assessment("Written exam");
  f.set_form_of_participation("Online");
  f.set_quality_assurance_type(common::v1::QUALITY_ASSURANCE_TYPE_EXTERNAL);
  return f;
}

TEST(MissingAnnexIElementsTest, NothingMissingWhenEveryElementIsStated) {
  EXPECT_TRUE(MissingAnnexIElements(CompleteFacts()).empty());
}

TEST(MissingAnnexIElementsTest, EmptyFactsMissEveryElementInAnnexIOrder) {
  EXPECT_EQ(MissingAnnexIElements(recognition::v1::CredentialFacts(), /*learner_stated=*/false),
            (std::vector<std::string>{"learner", "title", "country", "awarding_body", "issued_on",
                                      "learning_outcomes", "workload", "level", "assessment",
                                      "form_of_participation", "quality_assurance"}));
}

TEST(MissingAnnexIElementsTest, EachElementAlone) {
  const std::pair<const char*, void (*)(recognition::v1::CredentialFacts&)> cases[] = {
      {"title", [](auto& f) { f.clear_title(); }},
      {"country", [](auto& f) { f.clear_country(); }},
      {"awarding_body", [](auto& f) { f.clear_awarding_bodies(); }},
      {"issued_on", [](auto& f) { f.clear_issued_on(); }},
      {"learning_outcomes", [](auto& f) { f.clear_learning_outcomes(); }},
      {"workload", [](auto& f) { f.clear_ects(); }},
      {"level", [](auto& f) { f.clear_eqf_level(); }},
      {"assessment", [](auto& f) { f.clear_assessment(); }},
      {"form_of_participation", [](auto& f) { f.clear_form_of_participation(); }},
      {"quality_assurance", [](auto& f) { f.clear_quality_assurance_type(); }},
  };
  for (const auto& [name, clear] : cases) {
    recognition::v1::CredentialFacts f = CompleteFacts();
    clear(f);
    EXPECT_EQ(MissingAnnexIElements(f), std::vector<std::string>{name}) << name;
  }
  EXPECT_EQ(MissingAnnexIElements(CompleteFacts(), /*learner_stated=*/false),
            std::vector<std::string>{"learner"});
}

TEST(MissingAnnexIElementsTest, OtherWaysOfStatingAnElement) {
  recognition::v1::CredentialFacts f = CompleteFacts();
  f.clear_ects();
  f.set_hours(60);  // a workload in hours
  f.clear_quality_assurance_type();
  f.set_qa_body("AEQES");  // a QA body without a type
  f.clear_awarding_bodies();
  f.set_issuer_name("Example University");  // the issuer's name stands for the awarding body
  EXPECT_TRUE(MissingAnnexIElements(f).empty());
  f.clear_qa_body();
  f.set_deqar_reference("DEQARINST0107");
  EXPECT_TRUE(MissingAnnexIElements(f).empty());
}

TEST(PresentedCredentialTest, OurCredentialsStateEveryElement) {
  const CredentialFacts sample = credentials::testing::SampleFacts();
  const auto member = MemberOfType(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  for (const auto& spec :
       {std::optional(sample.specification), std::optional<catalogue::v1::Specification>()}) {
    const recognition::v1::CredentialFacts f = ExtractCredentialFacts(
        ReportFor(sample), spec, spec ? std::optional(member) : std::nullopt);
    EXPECT_TRUE(f.missing_elements().empty()) << f.DebugString();
    EXPECT_EQ(f.assessment(), AssessmentOf(sample.specification.content()));
    EXPECT_EQ(f.form_of_participation(),
              credentials::EnglishLabel(sample.specification.content().form_of_participation()));
    EXPECT_EQ(f.learning_outcomes_size(), sample.specification.content().learning_outcomes_size());
    EXPECT_EQ(f.learning_outcomes(0), sample.specification.content().learning_outcomes(0).text());
  }
}

TEST(PresentedCredentialTest, IssuerNameFromTheRegistryElseTheDocument) {
  const CredentialFacts sample = credentials::testing::SampleFacts();
  registry::v1::Member member = MemberOfType(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  member.mutable_admitted()->set_legal_name("Registered name");
  EXPECT_EQ(ExtractCredentialFacts(ReportFor(sample), std::nullopt, member).issuer_name(),
            "Registered name");
  EXPECT_EQ(ExtractCredentialFacts(ReportFor(sample), std::nullopt, std::nullopt).issuer_name(),
            sample.issuers.front().legal_name);
}

TEST(PresentedCredentialTest, UnreadableDocumentMissesItsElements) {
  issuance::v1::VerificationReport report;
  report.set_credential_json("{not json");
  const recognition::v1::CredentialFacts f =
      ExtractCredentialFacts(report, std::nullopt, std::nullopt);
  EXPECT_EQ(f.missing_elements_size(), 11);
}

TEST(PresentedCredentialTest, FailedCheckMakesItNotAuthenticWithTheReason) {
  const CredentialFacts sample = credentials::testing::SampleFacts();
  recognition::v1::PresentedCredential authentic =
      PresentedFromReport("a.b.c", ReportFor(sample), sample.specification, std::nullopt);
  EXPECT_EQ(authentic.authenticity(), recognition::v1::AUTHENTICITY_AUTHENTIC);
  EXPECT_TRUE(authentic.failed_check().empty());
  EXPECT_EQ(authentic.jws(), "a.b.c");
  EXPECT_EQ(authentic.checks_size(), 6);

  recognition::v1::PresentedCredential revoked = PresentedFromReport(
      "a.b.c", ReportFor(sample, /*valid=*/false), sample.specification, std::nullopt);
  EXPECT_EQ(revoked.authenticity(), recognition::v1::AUTHENTICITY_NOT_AUTHENTIC);
  EXPECT_EQ(revoked.failed_check(), "status");
  EXPECT_EQ(revoked.failed_detail(), "the credential is REVOKED: issued in error");
  EXPECT_EQ(revoked.facts().credential_id(), sample.credential_id);
}

// ---- The dispatcher ----

// A registry of one member, "u"; no credential recorded, no specification known.
class OneMemberSources : public CredentialSources {
 public:
  std::optional<registry::v1::Member> FindMember(const std::string& id) const override {
    if (id != "u") return std::nullopt;
    registry::v1::Member member;
    member.mutable_admitted()->set_institution_id("u");
    return member;
  }
  absl::StatusOr<std::optional<issuance::v1::KnownCredential>> FindCredential(
      const std::string&) const override {
    return std::nullopt;
  }
  absl::StatusOr<std::optional<catalogue::v1::Specification>> FindSpecification(
      const std::string&, uint32_t) const override {
    return std::nullopt;
  }
};

// An outside verifier that recognises what `recognises` says and answers a fixed report.
class FakeFormatVerifier : public FormatVerifier {
 public:
  FakeFormatVerifier(std::string name, std::function<bool(std::string_view)> recognises)
      : name_(std::move(name)), recognises_(std::move(recognises)) {}
  bool Recognises(std::string_view presented) const override { return recognises_(presented); }
  VerifiedCredential Verify(std::string_view, absl::Time) const override {
    ++verified;
    VerifiedCredential out;
    out.report.set_valid(true);
    out.report.set_format(issuance::v1::CREDENTIAL_FORMAT_EDC_JADES);
    out.report.mutable_trust_basis()->set_kind(issuance::v1::TRUST_KIND_TRUSTED_LIST_SEAL);
    out.report.mutable_trust_basis()->set_statement("e-seal of " + name_);
    issuance::v1::VerificationCheck& check = *out.report.add_checks();
    check.set_name("seal");
    check.set_passed(true);
    out.report.set_credential_json(R"({"credentialSubject":{"id":"did:key:z6MkFake"}})");
    out.facts.set_issuer(name_);
    out.facts.add_missing_elements("level");
    return out;
  }
  mutable int verified = 0;

 private:
  std::string name_;
  std::function<bool(std::string_view)> recognises_;
};

// An unsigned compact JWS with this header and payload (the dispatcher reads, never verifies).
std::string Compact(const std::string& header, const std::string& payload) {
  return crypto::Base64UrlEncode(header) + "." + crypto::Base64UrlEncode(payload) + ".c2ln";
}

class DispatcherTest : public ::testing::Test {
 protected:
  // The verifier with outside verifiers that recognise everything, in this order.
  PresentedCredentialVerifier WithOutside() {
    std::vector<std::unique_ptr<FormatVerifier>> outside;
    auto first = std::make_unique<FakeFormatVerifier>(
        "first", [](std::string_view text) { return text.rfind("{", 0) != 0; });
    auto second =
        std::make_unique<FakeFormatVerifier>("second", [](std::string_view) { return true; });
    first_ = first.get();
    second_ = second.get();
    outside.push_back(std::move(first));
    outside.push_back(std::move(second));
    return PresentedCredentialVerifier(sources_, profile_, std::move(outside));
  }

  OneMemberSources sources_;
  domain::PolicyProfile profile_ = *domain::PolicyProfile::Named("eu");
  FakeFormatVerifier* first_ = nullptr;
  FakeFormatVerifier* second_ = nullptr;
};

TEST_F(DispatcherTest, AKidNamingAMemberIsTheEcosystemsAloneToVerify) {
  const PresentedCredentialVerifier verifier = WithOutside();
  const std::string jws =
      Compact(R"({"alg":"EdDSA","kid":"https://n.example/institutions/u#k1"})", "{}");
  const auto presented = verifier.Verify(jws, absl::Now());
  EXPECT_EQ(first_->verified + second_->verified, 0);
  EXPECT_EQ(presented.authenticity(), recognition::v1::AUTHENTICITY_NOT_AUTHENTIC);
  EXPECT_EQ(presented.failed_check(), "format");  // the ecosystem's own format check
  EXPECT_EQ(presented.jws(), jws);
}

TEST_F(DispatcherTest, AnIssuerNamingAMemberIsTheEcosystemsWhateverTheKid) {
  const PresentedCredentialVerifier verifier = WithOutside();
  for (const char* payload : {R"({"issuer":{"id":"did:web:n.example:institutions:u"}})",
                              R"({"issuer":"https://n.example/institutions/u"})",
                              R"({"vc":{"issuer":"https://n.example/institutions/u"}})",
                              R"({"iss":"did:web:n.example:institutions:u"})"}) {
    const std::string jws = Compact(R"({"alg":"EdDSA","kid":"did:key:z6Mk#z6Mk"})", payload);
    const auto presented = verifier.Verify(jws, absl::Now());
    EXPECT_EQ(first_->verified, 0) << payload;
    EXPECT_EQ(presented.authenticity(), recognition::v1::AUTHENTICITY_NOT_AUTHENTIC);
  }
}

TEST_F(DispatcherTest, OtherCredentialsGoToTheFirstOutsideVerifierThatRecognisesThem) {
  const PresentedCredentialVerifier verifier = WithOutside();
  const std::string jws = Compact(R"({"alg":"EdDSA","kid":"did:key:z6Mk#z6Mk"})",
                                  R"({"issuer":"https://n.example/institutions/other"})");
  const auto jwt = verifier.Verify(jws, absl::Now());
  EXPECT_EQ(first_->verified, 1);
  EXPECT_EQ(second_->verified, 0);
  EXPECT_EQ(jwt.authenticity(), recognition::v1::AUTHENTICITY_AUTHENTIC);
  EXPECT_EQ(jwt.facts().issuer(), "first");
  EXPECT_EQ(jwt.format(), issuance::v1::CREDENTIAL_FORMAT_EDC_JADES);
  EXPECT_EQ(jwt.trust_basis().statement(), "e-seal of first");
  EXPECT_EQ(jwt.facts().missing_elements(0), "level");
  EXPECT_EQ(jwt.checks_size(), 1);

  const auto edc = verifier.Verify(R"({"payload":"{}","signatures":[]})", absl::Now());
  EXPECT_EQ(second_->verified, 1);
  EXPECT_EQ(edc.facts().issuer(), "second");
}

TEST_F(DispatcherTest, WithoutOutsideVerifiersOutsideCredentialsAreRefusedWithTheReason) {
  const PresentedCredentialVerifier verifier(sources_, profile_);
  EXPECT_FALSE(verifier.accepts_outside_credentials());
  for (const std::string& text :
       {Compact(R"({"alg":"EdDSA","kid":"did:key:z6Mk#z6Mk"})", R"({"issuer":"did:key:z6Mk"})"),
        std::string(R"({"payload":"{}","signatures":[]})"), std::string("not a credential")}) {
    const auto presented = verifier.Verify(text, absl::Now());
    EXPECT_EQ(presented.authenticity(), recognition::v1::AUTHENTICITY_NOT_AUTHENTIC);
    EXPECT_EQ(presented.failed_check(), "format");
    EXPECT_EQ(presented.failed_detail(),
              "credentials from outside the ecosystem are not accepted by this node");
    EXPECT_EQ(presented.format(), issuance::v1::CREDENTIAL_FORMAT_UNSPECIFIED);
    EXPECT_EQ(presented.checks_size(), 5);
  }
}

TEST_F(DispatcherTest, TextNoVerifierRecognisesIsSaidToBeNeitherFormat) {
  std::vector<std::unique_ptr<FormatVerifier>> outside;
  outside.push_back(
      std::make_unique<FakeFormatVerifier>("none", [](std::string_view) { return false; }));
  const PresentedCredentialVerifier verifier(sources_, profile_, std::move(outside));
  EXPECT_TRUE(verifier.accepts_outside_credentials());
  const auto presented = verifier.Verify("not a credential", absl::Now());
  EXPECT_EQ(presented.failed_check(), "format");
  EXPECT_NE(presented.failed_detail().find("neither a compact JWS"), std::string::npos);
}

TEST_F(DispatcherTest, TheHolderIsBoundOnTheVerifiedDocument) {
  const PresentedCredentialVerifier verifier = WithOutside();
  const std::string jws = Compact(R"({"alg":"EdDSA","kid":"did:key:z6MkFake#k"})", "{}");
  HolderContext holder{.learner_id = "learner-ana", .learner_identifiers = {"did:key:z6MkFake"}};
  const auto bound = verifier.Verify(jws, absl::Now(), holder);
  EXPECT_TRUE(bound.holder_binding().bound()) << bound.holder_binding().detail();
  EXPECT_EQ(bound.holder_binding().method(), recognition::v1::HOLDER_BINDING_METHOD_SUBJECT_ID);
  holder.learner_identifiers.clear();
  EXPECT_FALSE(verifier.Verify(jws, absl::Now(), holder).holder_binding().bound());
  EXPECT_FALSE(verifier.Verify(jws, absl::Now()).has_holder_binding());
}

TEST_F(DispatcherTest, AnUnreadableCredentialIsNotBoundNorChecked) {
  const PresentedCredentialVerifier verifier(sources_, profile_);
  const auto unread =
      verifier.Verify("not a credential", absl::Now(), HolderContext{.learner_id = "learner-ana"});
  EXPECT_FALSE(unread.holder_binding().bound());
  EXPECT_EQ(unread.holder_binding().detail(), "not checked: the credential could not be read");
}

}  // namespace
}  // namespace microcred::verification
