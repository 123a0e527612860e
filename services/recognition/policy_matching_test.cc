#include "services/recognition/policy_matching.h"

#include <random>

#include "gtest/gtest.h"
#include "libs/domain/dates.h"
#include "services/recognition/testing/recognition_test_util.h"

namespace microcred::recognition {
namespace {

using testing::AuthenticCredential;
using testing::Contains;
using testing::Policy;
using testing::StartsWith;

const absl::CivilDay kSubmittedOn(2025, 6, 1);

v1::RecognitionTarget ComponentTarget(const std::string& component_id = "STAT-H-400") {
  v1::RecognitionTarget target;
  target.mutable_component()->set_programme_id("ulb/master-data");
  target.mutable_component()->set_component_id(component_id);
  target.mutable_component()->set_ects(5);
  return target;
}

std::optional<Criterion> Unmet(
    const v1::RecognitionPolicy& policy, const v1::PresentedCredential& credential,
    v1::RecognitionPurpose purpose = v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER,
    const v1::RecognitionTarget& target = ComponentTarget(), const IssuerGroups& groups = {}) {
  const CompiledPolicy compiled(policy, groups);
  return compiled.FirstUnmetCriterion({credential, purpose, target, kSubmittedOn});
}

// ---- ValidatePolicy ----

TEST(ValidatePolicyTest, AcceptsAFullPolicy) {
  v1::RecognitionPolicy p = Policy("alliance", 1);
  p.add_issuers("uclouvain");
  p.add_issuer_groups("una-europa");
  p.add_provider_types(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  p.add_quality_assurance_types(common::v1::QUALITY_ASSURANCE_TYPE_EXTERNAL);
  p.set_require_deqar_reference(true);
  p.set_min_eqf_level(6);
  p.set_max_eqf_level(7);
  p.set_min_ects(3);
  v1::EquivalenceEntry& e = *p.add_equivalences();
  e.set_specification_id("uclouvain/data-101");
  e.set_component_id("STAT-H-400");
  e.set_ects(5);
  p.set_max_age_months(60);
  EXPECT_TRUE(ValidatePolicy(p, "ulb").ok());
}

TEST(ValidatePolicyTest, RefusesMalformedPolicies) {
  struct Case {
    std::string expected_prefix;
    std::function<void(v1::RecognitionPolicy&)> change;
  };
  const std::vector<Case> cases = {
      {"policy.policy_id:", [](auto& p) { p.set_policy_id("no-slash"); }},
      {"policy.policy_id: must start with \"ulb/\"",
       [](auto& p) { p.set_policy_id("kuleuven/x"); }},
      {"policy.title:", [](auto& p) { p.clear_title(); }},
      {"policy.rationale:", [](auto& p) { p.clear_rationale(); }},
      {"policy.rank:", [](auto& p) { p.set_rank(0); }},
      {"policy.status:", [](auto& p) { p.clear_status(); }},
      {"policy.purposes: at least one", [](auto& p) { p.clear_purposes(); }},
      {"policy.purposes[1]: listed twice",
       [](auto& p) { p.add_purposes(v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER); }},
      {"policy.purposes[1]: unknown", [](auto& p) { p.add_purposes(v1::RecognitionPurpose(42)); }},
      {"policy.issuers[0]:", [](auto& p) { p.add_issuers("Not An Id"); }},
      {"policy.issuer_groups[0]:", [](auto& p) { p.add_issuer_groups("x"); }},
      {"policy.provider_types[0]:",
       [](auto& p) { p.add_provider_types(common::v1::PROVIDER_TYPE_UNSPECIFIED); }},
      {"policy.quality_assurance_types[0]:",
       [](auto& p) { p.add_quality_assurance_types(common::v1::QualityAssuranceType(9)); }},
      {"policy.min_eqf_level:", [](auto& p) { p.set_min_eqf_level(9); }},
      {"policy.max_eqf_level: must not be below",
       [](auto& p) {
         p.set_min_eqf_level(7);
         p.set_max_eqf_level(6);
       }},
      {"policy.min_ects:", [](auto& p) { p.set_min_ects(-1); }},
      {"policy.specification_ids[0]:", [](auto& p) { p.add_specification_ids("bad"); }},
      {"policy.equivalences: a policy lists",
       [](auto& p) {
         p.add_specification_ids("uclouvain/a");
         auto& e = *p.add_equivalences();
         e.set_specification_id("uclouvain/b");
         e.set_component_id("C");
         e.set_ects(5);
       }},
      {"policy.equivalences[0].ects:",
       [](auto& p) {
         auto& e = *p.add_equivalences();
         e.set_specification_id("uclouvain/b");
         e.set_component_id("C");
         e.set_ects(5.2);
       }},
      {"policy.equivalences[0].component_id:",
       [](auto& p) {
         auto& e = *p.add_equivalences();
         e.set_specification_id("uclouvain/b");
         e.set_ects(5);
       }},
      {"policy.max_age_months:", [](auto& p) { p.set_max_age_months(5000); }},
      {"policy.outside_issuer_dids[0]: a DID",
       [](auto& p) { p.add_outside_issuer_dids("https://x.example"); }},
      {"policy.outside_issuer_dids[0]: a DID",
       [](auto& p) { p.add_outside_issuer_dids("did:web:x.example#key-1"); }},
      {"policy.outside_issuer_dids[1]: listed twice",
       [](auto& p) {
         p.add_outside_issuer_dids("did:web:x.example");
         p.add_outside_issuer_dids("did:web:x.example");
       }},
      {"policy.outside_issuer_domains[0]: a host name",
       [](auto& p) { p.add_outside_issuer_domains("https://x.example"); }},
      {"policy.outside_issuer_domains[0]: a host name",
       [](auto& p) { p.add_outside_issuer_domains("X.Example"); }},
      {"policy.outside_issuer_domains[0]: a host name",
       [](auto& p) { p.add_outside_issuer_domains("x.example/path"); }},
      {"policy.trust_anchors[0]:", [](auto& p) { p.add_trust_anchors(""); }},
      {"policy.trust_anchors[1]: listed twice",
       [](auto& p) {
         p.add_trust_anchors("ANF Global Root CA");
         p.add_trust_anchors("ANF Global Root CA");
       }},
  };
  for (const Case& c : cases) {
    v1::RecognitionPolicy p = Policy("alliance", 1);
    c.change(p);
    const absl::Status s = ValidatePolicy(p, "ulb");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.expected_prefix << " " << s;
    EXPECT_TRUE(StartsWith(s.message(), c.expected_prefix));
  }
}

TEST(ValidatePolicyTest, AcceptsOutsideIssuers) {
  v1::RecognitionPolicy p = Policy("outside", 1);
  p.add_outside_issuer_dids("did:web:x.example:issuers:1");
  p.add_outside_issuer_dids("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
  p.add_outside_issuer_domains("badges.x.example");
  p.add_outside_issuer_domains("localhost:8443");
  p.add_trust_anchors("ANF Global Root CA");
  EXPECT_TRUE(ValidatePolicy(p, "ulb").ok()) << ValidatePolicy(p, "ulb");
}

TEST(ValidatePolicyTest, AnotherInstitutionsPolicyIsNotOursToPublish) {
  EXPECT_EQ(ValidatePolicy(Policy("alliance", 1), "kuleuven").code(),
            absl::StatusCode::kPermissionDenied);
}

// ---- each criterion on its own ----

// An authentic credential from outside the ecosystem, its key found on `kind`'s basis.
v1::PresentedCredential OutsideCredential(issuance::v1::TrustKind kind,
                                          const std::string& issuer_id,
                                          const std::string& key_source = "",
                                          const std::string& anchor = "") {
  v1::PresentedCredential c = AuthenticCredential();
  c.mutable_facts()->set_issuer(issuer_id);
  c.mutable_facts()->clear_specification_id();
  issuance::v1::TrustBasis& basis = *c.mutable_trust_basis();
  basis.set_kind(kind);
  basis.set_ecosystem_member(false);
  basis.set_issuer_id(issuer_id);
  basis.set_key_source(key_source);
  basis.set_trust_anchor(anchor);
  basis.set_statement("issuer key from " + issuer_id + ", not an ecosystem member");
  return c;
}

TEST(OutsideCredentialTest, OnlyAPolicyNamingItsIssuerOnItsBasisMatches) {
  using issuance::v1::TrustKind;
  const auto did_web = OutsideCredential(TrustKind::TRUST_KIND_DID_WEB, "did:web:x.example:i:1",
                                         "did:web:x.example:i:1#key-1");
  const auto did_key =
      OutsideCredential(TrustKind::TRUST_KIND_DID_KEY, "did:key:z6MkA", "did:key:z6MkA#z6MkA");
  const auto key_url = OutsideCredential(TrustKind::TRUST_KIND_KEY_URL, "https://y.example/issuer",
                                         "https://keys.y.example:8443/k/1");
  const auto sealed = OutsideCredential(TrustKind::TRUST_KIND_TRUSTED_LIST_SEAL, "did:ebsi:zSealer",
                                        "", "ANF Global Root CA");
  const auto embedded =
      OutsideCredential(TrustKind::TRUST_KIND_EMBEDDED_JWK, "did:web:x.example:i:1", "jwk header");
  for (const auto* c : {&did_web, &did_key, &key_url, &sealed, &embedded}) {
    EXPECT_TRUE(IsOutsideCredential(*c));
    // A policy naming no outside issuer is for members only, however broad.
    EXPECT_EQ(Unmet(Policy("any", 1), *c), Criterion::kIssuer);
  }
  EXPECT_FALSE(IsOutsideCredential(AuthenticCredential()));

  v1::RecognitionPolicy by_did = Policy("dids", 1);
  by_did.add_outside_issuer_dids("did:web:x.example:i:1");
  by_did.add_outside_issuer_dids("did:key:z6MkA");
  by_did.add_outside_issuer_dids("did:ebsi:zSealer");
  EXPECT_EQ(Unmet(by_did, did_web), std::nullopt);
  EXPECT_EQ(Unmet(by_did, did_key), std::nullopt);
  EXPECT_EQ(Unmet(by_did, sealed), Criterion::kIssuer) << "a sealed EDC's issuer id is a claim";
  EXPECT_EQ(Unmet(by_did, embedded), Criterion::kIssuer) << "an embedded key proves no issuer";
  EXPECT_EQ(Unmet(by_did, AuthenticCredential()), Criterion::kIssuer)
      << "naming outside issuers only, it is not for every member";

  v1::RecognitionPolicy by_domain = Policy("domains", 1);
  by_domain.add_outside_issuer_domains("x.example");
  by_domain.add_outside_issuer_domains("keys.y.example");
  EXPECT_EQ(Unmet(by_domain, did_web), std::nullopt);
  EXPECT_EQ(Unmet(by_domain, key_url), std::nullopt) << "the host, with or without its port";
  EXPECT_EQ(Unmet(by_domain, did_key), Criterion::kIssuer);
  EXPECT_EQ(Unmet(by_domain, embedded), Criterion::kIssuer);
  v1::RecognitionPolicy parent_domain = Policy("parent", 1);
  parent_domain.add_outside_issuer_domains("y.example");
  EXPECT_EQ(Unmet(parent_domain, key_url), Criterion::kIssuer) << "no subdomains";

  v1::RecognitionPolicy by_anchor = Policy("anchors", 1);
  by_anchor.add_trust_anchors("ANF Global Root CA");
  EXPECT_EQ(Unmet(by_anchor, sealed), std::nullopt);
  EXPECT_EQ(Unmet(by_anchor, did_web), Criterion::kIssuer);

  // Naming both members and outside issuers, it is for both.
  v1::RecognitionPolicy both = by_did;
  both.add_issuers("uclouvain");
  EXPECT_EQ(Unmet(both, AuthenticCredential()), std::nullopt);
  EXPECT_EQ(Unmet(both, did_web), std::nullopt);
  EXPECT_EQ(Unmet(both, AuthenticCredential("kuleuven")), Criterion::kIssuer);
}

TEST(OutsideCredentialTest, MissingAnnexIElementsLeaveItToAnOfficer) {
  auto c = OutsideCredential(issuance::v1::TRUST_KIND_DID_WEB, "did:web:x.example");
  v1::RecognitionPolicy p = Policy("dids", 1);
  p.add_outside_issuer_dids("did:web:x.example");
  EXPECT_EQ(Unmet(p, c), std::nullopt);
  c.mutable_facts()->add_missing_elements("level");
  EXPECT_EQ(Unmet(p, c), Criterion::kAnnexIElements);
  EXPECT_EQ(CriterionName(Criterion::kAnnexIElements), "Annex I elements");
}

TEST(OutsideCredentialTest, TheIndexFindsPoliciesNamingOutsideIssuersOnly) {
  v1::RecognitionPolicy members = Policy("members", 1);
  members.add_issuers("uclouvain");
  v1::RecognitionPolicy any = Policy("any", 2);
  v1::RecognitionPolicy outside = Policy("outside", 3);
  outside.add_outside_issuer_domains("x.example");
  v1::RecognitionPolicy both = Policy("both", 4);
  both.add_issuers("kuleuven");
  both.add_outside_issuer_domains("z.example");
  absl::StatusOr<PolicyIndex> index = PolicyIndex::Build({members, any, outside, both}, {});
  ASSERT_TRUE(index.ok()) << index.status();
  const v1::RecognitionTarget target = ComponentTarget();
  auto first = [&](const v1::PresentedCredential& c) -> std::string {
    auto match =
        index->FirstMatch({c, v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER, target, kSubmittedOn});
    return match ? match->policy->policy_id() : "none";
  };
  using issuance::v1::TrustKind;
  EXPECT_EQ(first(OutsideCredential(TrustKind::TRUST_KIND_DID_WEB, "did:web:x.example")),
            "ulb/outside");
  EXPECT_EQ(first(OutsideCredential(TrustKind::TRUST_KIND_DID_WEB, "did:web:z.example")),
            "ulb/both");
  EXPECT_EQ(first(OutsideCredential(TrustKind::TRUST_KIND_DID_WEB, "did:web:w.example")), "none");
  EXPECT_EQ(first(AuthenticCredential("uclouvain")), "ulb/members");
  EXPECT_EQ(first(AuthenticCredential("kuleuven")), "ulb/any");
}

TEST(CriterionTest, APolicyWithNoCriterionMatchesAnyAuthenticCredential) {
  EXPECT_EQ(Unmet(Policy("any", 1), AuthenticCredential()), std::nullopt);
}

TEST(CriterionTest, Authentic) {
  v1::PresentedCredential forged = AuthenticCredential();
  forged.set_authenticity(v1::AUTHENTICITY_NOT_AUTHENTIC);
  forged.set_failed_check("signature");
  EXPECT_EQ(Unmet(Policy("any", 1), forged), Criterion::kAuthentic);
  v1::PresentedCredential unchecked = AuthenticCredential();
  unchecked.clear_authenticity();
  EXPECT_EQ(Unmet(Policy("any", 1), unchecked), Criterion::kAuthentic);
}

TEST(CriterionTest, Active) {
  v1::RecognitionPolicy p = Policy("any", 1);
  p.set_status(v1::POLICY_STATUS_RETIRED);
  EXPECT_EQ(Unmet(p, AuthenticCredential()), Criterion::kActive);
}

TEST(CriterionTest, Purpose) {
  const v1::RecognitionPolicy p = Policy("any", 1, v1::RECOGNITION_PURPOSE_EXEMPTION);
  EXPECT_EQ(Unmet(p, AuthenticCredential(), v1::RECOGNITION_PURPOSE_EXEMPTION), std::nullopt);
  EXPECT_EQ(Unmet(p, AuthenticCredential(), v1::RECOGNITION_PURPOSE_ADMISSION),
            Criterion::kPurpose);
}

TEST(CriterionTest, Issuer) {
  v1::RecognitionPolicy p = Policy("partners", 1);
  p.add_issuers("uclouvain");
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain")), std::nullopt);
  EXPECT_EQ(Unmet(p, AuthenticCredential("kuleuven")), Criterion::kIssuer);
}

TEST(CriterionTest, IssuerGroup) {
  v1::RecognitionPolicy p = Policy("alliance", 1);
  p.add_issuer_groups("una-europa");
  const IssuerGroups groups = {{"una-europa", {"kuleuven", "unibo"}}};
  const auto purpose = v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER;
  EXPECT_EQ(Unmet(p, AuthenticCredential("unibo"), purpose, ComponentTarget(), groups),
            std::nullopt);
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain"), purpose, ComponentTarget(), groups),
            Criterion::kIssuer);
  // A group the node does not know matches no one (never everyone).
  EXPECT_EQ(Unmet(p, AuthenticCredential("unibo")), Criterion::kIssuer);
}

TEST(CriterionTest, ProviderType) {
  v1::RecognitionPolicy p = Policy("hei", 1);
  p.add_provider_types(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  EXPECT_EQ(Unmet(p, AuthenticCredential()), std::nullopt);
  v1::PresentedCredential vet = AuthenticCredential();
  vet.mutable_facts()->set_issuer_provider_type(common::v1::PROVIDER_TYPE_VET);
  EXPECT_EQ(Unmet(p, vet), Criterion::kProviderType);
}

TEST(CriterionTest, QualityAssuranceTypeAndDeqarReference) {
  v1::RecognitionPolicy p = Policy("external-qa", 1);
  p.add_quality_assurance_types(common::v1::QUALITY_ASSURANCE_TYPE_EXTERNAL);
  p.set_require_deqar_reference(true);
  EXPECT_EQ(Unmet(p, AuthenticCredential()), std::nullopt);
  v1::PresentedCredential internal = AuthenticCredential();
  internal.mutable_facts()->set_quality_assurance_type(common::v1::QUALITY_ASSURANCE_TYPE_INTERNAL);
  EXPECT_EQ(Unmet(p, internal), Criterion::kQualityAssurance);
  v1::PresentedCredential no_deqar = AuthenticCredential();
  no_deqar.mutable_facts()->clear_deqar_reference();
  EXPECT_EQ(Unmet(p, no_deqar), Criterion::kQualityAssurance);
}

TEST(CriterionTest, EqfLevelRangeIncludesItsBounds) {
  v1::RecognitionPolicy p = Policy("eqf", 1);
  p.set_min_eqf_level(6);
  p.set_max_eqf_level(7);
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "a", 5, 6)), std::nullopt);
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "a", 5, 7)), std::nullopt);
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "a", 5, 5)), Criterion::kEqfLevel);
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "a", 5, 8)), Criterion::kEqfLevel);
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "a", 5, 0)), Criterion::kEqfLevel);
  v1::RecognitionPolicy at_least_6 = Policy("eqf6", 1);
  at_least_6.set_min_eqf_level(6);
  EXPECT_EQ(Unmet(at_least_6, AuthenticCredential("uclouvain", "a", 5, 8)), std::nullopt);
}

TEST(CriterionTest, MinimumEcts) {
  v1::RecognitionPolicy p = Policy("min", 1);
  p.set_min_ects(5);
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "a", 5)), std::nullopt);
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "a", 4.5)), Criterion::kMinimumEcts);
  v1::PresentedCredential hours = AuthenticCredential("uclouvain", "a", 0);
  hours.mutable_facts()->set_hours(150);
  EXPECT_EQ(Unmet(p, hours), Criterion::kMinimumEcts);
}

TEST(CriterionTest, SpecificationIds) {
  v1::RecognitionPolicy p = Policy("specs", 1);
  p.add_specification_ids("uclouvain/data-101");
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "data-101")), std::nullopt);
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "data-102")), Criterion::kSpecification);
}

TEST(CriterionTest, EquivalenceTable) {
  v1::RecognitionPolicy p = Policy("table", 1);
  v1::EquivalenceEntry& e = *p.add_equivalences();
  e.set_specification_id("uclouvain/data-101");
  e.set_component_id("STAT-H-400");
  e.set_ects(6);
  const CompiledPolicy compiled(p, {});
  const v1::PresentedCredential five = AuthenticCredential("uclouvain", "data-101", 5);
  const auto purpose = v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER;
  const v1::RecognitionTarget target = ComponentTarget();
  const MatchInput input{five, purpose, target, kSubmittedOn};
  EXPECT_EQ(compiled.FirstUnmetCriterion(input), std::nullopt);
  EXPECT_EQ(compiled.CreditedEcts(input), 6);  // the table's credit, not the credential's
  // Another component of ours: the entry does not apply.
  EXPECT_EQ(Unmet(p, five, purpose, ComponentTarget("OTHER-1")), Criterion::kSpecification);
  // A target that is not a component (a programme) takes the entry as it is.
  v1::RecognitionTarget programme;
  programme.set_programme_id("ulb/master-data");
  EXPECT_EQ(Unmet(p, five, purpose, programme), std::nullopt);
  // Crediting less than presented is a partial recognition: never automatic.
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "data-101", 7.5)), Criterion::kSpecification);
  EXPECT_EQ(Unmet(p, AuthenticCredential("uclouvain", "data-999", 5)), Criterion::kSpecification);
}

TEST(CriterionTest, MaximumAgeCountsFromSubmission) {
  v1::RecognitionPolicy p = Policy("recent", 1);
  p.set_max_age_months(24);  // submitted 2025-06-01: issued on or after 2023-06-01
  v1::PresentedCredential c = AuthenticCredential();
  *c.mutable_facts()->mutable_issued_on() = domain::ToDate(absl::CivilDay(2023, 6, 1));
  EXPECT_EQ(Unmet(p, c), std::nullopt);
  *c.mutable_facts()->mutable_issued_on() = domain::ToDate(absl::CivilDay(2023, 5, 31));
  EXPECT_EQ(Unmet(p, c), Criterion::kAge);
  c.mutable_facts()->clear_issued_on();
  EXPECT_EQ(Unmet(p, c), Criterion::kAge);
}

// ---- the order rule ----

std::vector<v1::RecognitionPolicy> TwoMatchingPolicies() {
  // "general" is ranked first although "specific" is more specific: first match wins.
  v1::RecognitionPolicy general = Policy("general", 1);
  general.add_provider_types(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  v1::RecognitionPolicy specific = Policy("specific", 2);
  specific.add_issuers("uclouvain");
  specific.add_specification_ids("uclouvain/data-101");
  specific.set_min_eqf_level(6);
  return {specific, general};  // the order of the list does not matter, the rank does
}

TEST(PolicyIndexTest, FirstMatchInRankOrderWins) {
  absl::StatusOr<PolicyIndex> index = PolicyIndex::Build(TwoMatchingPolicies(), {});
  ASSERT_TRUE(index.ok()) << index.status();
  const v1::PresentedCredential c = AuthenticCredential();
  const v1::RecognitionTarget target = ComponentTarget();
  std::optional<PolicyMatchResult> match =
      index->FirstMatch({c, v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER, target, kSubmittedOn});
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->policy->policy_id(), "ulb/general");
  EXPECT_EQ(match->credited_ects, 5);
}

TEST(PolicyIndexTest, ReRankingChangesTheWinner) {
  std::vector<v1::RecognitionPolicy> policies = TwoMatchingPolicies();
  policies[1].set_rank(3);  // general now after specific
  absl::StatusOr<PolicyIndex> index = PolicyIndex::Build(policies, {});
  ASSERT_TRUE(index.ok());
  const v1::PresentedCredential c = AuthenticCredential();
  const v1::RecognitionTarget target = ComponentTarget();
  EXPECT_EQ(index->FirstMatch({c, v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER, target, kSubmittedOn})
                ->policy->policy_id(),
            "ulb/specific");
  // A credential the specific one refuses falls through to the next that accepts it.
  const v1::PresentedCredential other = AuthenticCredential("uclouvain", "data-102");
  EXPECT_EQ(
      index->FirstMatch({other, v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER, target, kSubmittedOn})
          ->policy->policy_id(),
      "ulb/general");
}

TEST(PolicyIndexTest, RetiredPoliciesAreLeftOutAndRanksMustBeUnique) {
  std::vector<v1::RecognitionPolicy> policies = TwoMatchingPolicies();
  policies[1].set_status(v1::POLICY_STATUS_RETIRED);
  absl::StatusOr<PolicyIndex> index = PolicyIndex::Build(policies, {});
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->size(), 1u);
  const v1::PresentedCredential c = AuthenticCredential();
  const v1::RecognitionTarget target = ComponentTarget();
  EXPECT_EQ(index->FirstMatch({c, v1::RECOGNITION_PURPOSE_CREDIT_TRANSFER, target, kSubmittedOn})
                ->policy->policy_id(),
            "ulb/specific");

  policies = TwoMatchingPolicies();
  policies[1].set_rank(2);
  absl::StatusOr<PolicyIndex> tie = PolicyIndex::Build(policies, {});
  EXPECT_EQ(tie.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(tie.status().message(), "share rank 2"));
}

TEST(PolicyIndexTest, NoMatchForAnotherPurpose) {
  absl::StatusOr<PolicyIndex> index = PolicyIndex::Build(TwoMatchingPolicies(), {});
  ASSERT_TRUE(index.ok());
  const v1::PresentedCredential c = AuthenticCredential();
  const v1::RecognitionTarget target = ComponentTarget();
  EXPECT_FALSE(
      index->FirstMatch({c, v1::RECOGNITION_PURPOSE_EMPLOYMENT, target, kSubmittedOn}).has_value());
  EXPECT_FALSE(index->FirstMatch({c, v1::RECOGNITION_PURPOSE_UNSPECIFIED, target, kSubmittedOn})
                   .has_value());
}

// The index must answer exactly what trying every policy in rank order answers.
TEST(PolicyIndexTest, AgreesWithTryingEveryPolicyInOrder) {
  std::mt19937 random(20250601);
  const std::vector<std::string> issuers = {"uclouvain", "kuleuven", "unibo", "ulb", "umons"};
  const IssuerGroups groups = {{"una-europa", {"kuleuven", "unibo"}}};
  auto pick = [&](int n) { return static_cast<int>(random() % n); };
  std::vector<v1::RecognitionPolicy> policies;
  for (int i = 0; i < 300; ++i) {
    v1::RecognitionPolicy p =
        Policy("p" + std::to_string(i), 1000 - i, static_cast<v1::RecognitionPurpose>(1 + pick(5)));
    if (pick(2) == 0) p.add_purposes(static_cast<v1::RecognitionPurpose>(1 + (p.purposes(0) % 5)));
    if (pick(3) == 0) p.add_issuers(issuers[pick(5)]);
    if (pick(6) == 0) p.add_issuer_groups("una-europa");
    if (pick(4) == 0) p.set_min_eqf_level(4 + pick(4));
    if (pick(4) == 0) p.set_min_ects(pick(8));
    if (pick(5) == 0) p.add_specification_ids("uclouvain/s" + std::to_string(pick(4)));
    if (pick(5) == 0) p.set_require_deqar_reference(true);
    policies.push_back(p);
  }
  absl::StatusOr<PolicyIndex> index = PolicyIndex::Build(policies, groups);
  ASSERT_TRUE(index.ok()) << index.status();
  const v1::RecognitionTarget target = ComponentTarget();
  for (int trial = 0; trial < 2000; ++trial) {
    v1::PresentedCredential c =
        AuthenticCredential(issuers[pick(5)], "s" + std::to_string(pick(5)), pick(10), 3 + pick(6));
    if (pick(4) == 0) c.mutable_facts()->clear_deqar_reference();
    const auto purpose = static_cast<v1::RecognitionPurpose>(1 + pick(5));
    const MatchInput input{c, purpose, target, kSubmittedOn};
    std::string expected = "none";
    for (size_t i = 0; i < index->size(); ++i) {
      if (!index->at(i).FirstUnmetCriterion(input).has_value()) {
        expected = index->at(i).policy().policy_id();
        break;
      }
    }
    std::optional<PolicyMatchResult> got = index->FirstMatch(input);
    ASSERT_EQ(got.has_value() ? got->policy->policy_id() : "none", expected) << trial;
  }
}

}  // namespace
}  // namespace microcred::recognition
