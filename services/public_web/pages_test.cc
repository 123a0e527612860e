#include "services/public_web/pages.h"

#include <gtest/gtest.h>

#include "libs/domain/testing/sample_catalogue.h"

namespace microcred::web {
namespace {

using catalogue::v1::Specification;
using issuance::v1::VerificationReport;

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

PageContext Context(Lang lang = Lang::kEn) {
  PageContext ctx;
  ctx.lang = lang;
  ctx.institution_name = "Université <catholique> de Louvain";
  ctx.path = "/catalogue";
  ctx.section = "catalogue";
  return ctx;
}

Specification Spec() {
  Specification spec;
  spec.set_specification_id("uclouvain/data-literacy");
  spec.set_version(2);
  spec.set_owner_institution("uclouvain");
  spec.set_status(catalogue::v1::SPECIFICATION_STATUS_PUBLISHED);
  *spec.mutable_content() = catalogue::samples::DataLiteracy("uclouvain");
  spec.mutable_content()->set_prerequisites("Basic <statistics>");
  spec.set_published_at_ms(1767225600000);  // 2026-01-01
  return spec;
}

VerificationReport Report(bool valid, const std::string& failing = "") {
  VerificationReport report;
  report.set_valid(valid);
  report.set_credential_id("urn:uuid:1234");
  report.set_issuer("uclouvain");
  report.set_specification_id("uclouvain/data-literacy");
  report.set_specification_version(2);
  report.set_status(issuance::v1::CREDENTIAL_STATUS_ACTIVE);
  for (const char* name :
       {"format", "issuer", "signature", "policy", "issued", "status", "validity"}) {
    auto* check = report.add_checks();
    check->set_name(name);
    check->set_passed(failing != name);
    check->set_detail(failing == name ? "it <failed>" : "ok");
  }
  report.set_credential_json(R"({"name":"Data literacy","validFrom":"2026-03-05T00:00:00Z",
    "issuer":{"id":"https://uclouvain.example/institutions/uclouvain","name":"UCLouvain"},
    "credentialSubject":{"identifier":[{"identityType":"name","hashed":false,"identityHash":"Marie <Dupont>"},
      {"identityType":"emailAddress","hashed":true,"identityHash":"sha256$ab"}],
      "result":[{"value":"16/20"}],"creditsEarned":5,
      "microCredentialAward":{"supervisionApplied":"SupervisedOnsiteWithIdVerification",
        "modeOfAcquisition":"CompletedLearningActivity","placeOfIssuing":"Louvain-la-Neuve"}}})");
  return report;
}

TEST(LayoutTest, IsACompleteAccessibleDocumentInItsLanguage) {
  const std::string html = Layout(Context(Lang::kFr), "Titre & co", "<p>body</p>");
  EXPECT_TRUE(Contains(html, "<!DOCTYPE html>"));
  EXPECT_TRUE(Contains(html, "<html lang=\"fr\">"));
  EXPECT_TRUE(Contains(html, "<title>Titre &amp; co — Université &lt;catholique&gt; de Louvain"));
  EXPECT_TRUE(Contains(html, "<main id=\"main\""));
  EXPECT_TRUE(Contains(html, "<nav class=\"site-nav\" aria-label="));
  EXPECT_TRUE(Contains(html, "<footer"));
  EXPECT_TRUE(Contains(html, "href=\"#main\""));  // skip link
  // The switch offers English, marked as English, on the same page.
  EXPECT_TRUE(Contains(html, "href=\"/catalogue?lang=en\" lang=\"en\""));
  EXPECT_TRUE(Contains(html, "aria-current=\"page\""));
  EXPECT_FALSE(Contains(html, "<catholique>"));
  EXPECT_FALSE(Contains(html, "http://"));  // no third-party asset
  EXPECT_FALSE(Contains(html, "https://"));
}

TEST(CataloguePageTest, ShowsResultsFacetsAndKeepsFiltersInLinks) {
  catalogue::v1::SearchSpecificationsResponse response;
  *response.add_results() = Spec();
  response.set_total(1);
  response.set_next_page_token("o20");
  auto* facet = response.add_facets();
  facet->set_name("eqf_level");
  auto* count = facet->add_counts();
  count->set_value("6");
  count->set_count(1);
  auto* boolean = response.add_facets();
  boolean->set_name("credit_bearing");
  boolean->add_counts()->set_value("false");
  const QueryParams params = {{"q", "<script>"}, {"eqf", "6"}};
  const std::string html = CataloguePage(Context(), params, response, {{"uclouvain", "UCLouvain"}});
  EXPECT_TRUE(Contains(html, "value=\"&lt;script&gt;\""));
  EXPECT_FALSE(Contains(html, "<script>\""));
  EXPECT_TRUE(Contains(html, "<label for=\"q\">"));
  EXPECT_TRUE(Contains(html, "1 micro-credential found"));
  EXPECT_TRUE(Contains(html, "href=\"/catalogue/uclouvain/data-literacy?lang=en\""));
  EXPECT_TRUE(Contains(html, "Provided by UCLouvain"));
  // The selected EQF 6 facet links to the search without it.
  EXPECT_TRUE(
      Contains(html, "href=\"/catalogue?q=%3Cscript%3E&amp;lang=en\" aria-current=\"true\""));
  EXPECT_FALSE(Contains(html, "Awards ECTS credits"));  // only "false": nothing to offer
  EXPECT_TRUE(Contains(html, "page=o20"));
}

TEST(CataloguePageTest, TheEcosystemFacetTogglesItsFilterAndEachResultSaysItsEcosystem) {
  catalogue::v1::SearchSpecificationsResponse response;
  Specification spec = Spec();
  spec.set_ecosystem_id("alliance");
  *response.add_results() = spec;
  response.set_total(1);
  auto* facet = response.add_facets();
  facet->set_name("ecosystem");
  auto* alliance = facet->add_counts();
  alliance->set_value("alliance");
  alliance->set_count(1);
  auto* fwb = facet->add_counts();
  fwb->set_value("fwb");
  fwb->set_count(3);
  const QueryParams params = {{"q", "data"}, {"ecosystem", "alliance"}};
  for (Lang lang : {Lang::kEn, Lang::kFr}) {
    const std::string html = CataloguePage(Context(lang), params, response, {});
    const std::string code(lang == Lang::kFr ? "fr" : "en");
    EXPECT_TRUE(Contains(html, Escape(Tr(lang, "facet.ecosystem")))) << code;
    // The selected ecosystem links to the search without it; the other one adds itself.
    EXPECT_TRUE(Contains(html, "href=\"/catalogue?q=data&amp;lang=" + code +
                                   "\" aria-current=\"true\" data-facet=\"ecosystem\" "
                                   "data-value=\"alliance\""))
        << code;
    EXPECT_TRUE(Contains(html,
                         "href=\"/catalogue?q=data&amp;ecosystem=alliance&amp;ecosystem=fwb"
                         "&amp;lang=" +
                             code + "\" data-facet=\"ecosystem\" data-value=\"fwb\""))
        << code;
    // The filter travels with the search form.
    EXPECT_TRUE(Contains(html, "name=\"ecosystem\" value=\"alliance\""));
    EXPECT_TRUE(Contains(html, "data-ecosystem=\"alliance\">" +
                                   Escape(Tr(lang, "search.in_ecosystem")) + " alliance</span>"))
        << code;
  }
}

TEST(SpecificationPageTest, SaysInWhichEcosystemItIsPublished) {
  Specification spec = Spec();
  spec.set_ecosystem_id("fwb");
  const std::string en = SpecificationPage(Context(), spec, {{"uclouvain", std::nullopt}});
  EXPECT_TRUE(Contains(en, "data-ecosystem=\"fwb\">Published in fwb</span>"));
  const std::string fr = SpecificationPage(Context(Lang::kFr), spec, {{"uclouvain", std::nullopt}});
  EXPECT_TRUE(Contains(fr, "data-ecosystem=\"fwb\">Publiée dans fwb</span>"));
  // A record that does not say (stored before ecosystems were recorded) says nothing.
  EXPECT_FALSE(Contains(SpecificationPage(Context(), Spec(), {{"uclouvain", std::nullopt}}),
                        "data-ecosystem="));
}

TEST(SpecificationPageTest, ShowsEveryAnnexIElementAndThePolicy) {
  catalogue::v1::ProviderProfile profile;
  profile.set_institution_id("uclouvain");
  profile.set_legal_name("UCLouvain");
  profile.set_country("BE");
  profile.set_provider_type(common::v1::PROVIDER_TYPE_HIGHER_EDUCATION);
  profile.mutable_recognition_policy()->set_text("We recognise <all> EU micro-credentials.");
  profile.mutable_recognition_policy()->add_links("javascript:alert(1)");
  profile.mutable_recognition_policy()->add_links("https://unamur.be/policy?a=1&b=2");
  const std::string html = SpecificationPage(Context(), Spec(), {{"uclouvain", profile}});
  for (std::string_view key : {"el.learner",        "el.title",        "el.country",
                               "el.awarding",       "el.date",         "el.outcomes",
                               "el.workload",       "el.level",        "el.assessment",
                               "el.participation",  "el.qa",           "el.prerequisites",
                               "el.supervision",    "el.stackability", "el.further",
                               "el.validity",       "el.languages",    "el.isced",
                               "el.credit_bearing", "el.spec_id"}) {
    EXPECT_TRUE(Contains(html, Escape(Tr(Lang::kEn, key)))) << key;
  }
  EXPECT_TRUE(Contains(html, "Basic &lt;statistics&gt;"));
  EXPECT_TRUE(Contains(html, "We recognise &lt;all&gt; EU micro-credentials."));
  EXPECT_FALSE(Contains(html, "href=\"javascript:"));
  EXPECT_TRUE(Contains(html, "<li>javascript:alert(1)</li>"));
  EXPECT_TRUE(Contains(html, "href=\"https://unamur.be/policy?a=1&amp;b=2\""));
  EXPECT_TRUE(Contains(html, "Higher education institution"));
  EXPECT_TRUE(Contains(html, "<th scope=\"row\">"));
  EXPECT_TRUE(Contains(html, "1 January 2026"));
}

TEST(SpecificationPageTest, SaysWhenAProviderHasNoProfile) {
  const std::string html =
      SpecificationPage(Context(Lang::kFr), Spec(), {{"uclouvain", std::nullopt}});
  EXPECT_TRUE(Contains(html, "n&#39;a pas encore publié de profil"));
  EXPECT_TRUE(Contains(html, "Éléments obligatoires (annexe I)"));
}

TEST(InstitutionPageTest, ShowsTheRegistrysFactsTheKeysAndTheOffers) {
  const InstitutionFacts facts{.institution_id = "uclouvain",
                               .legal_name = "Université <catholique> de Louvain",
                               .country = "BE",
                               .region = "BE-WBR",
                               .provider_type = common::v1::PROVIDER_TYPE_HIGHER_EDUCATION,
                               .deqar_id = "DEQARINST0107",
                               .issuer_url = "https://uclouvain.example/institutions/uclouvain",
                               .did = "did:web:uclouvain.example:institutions:uclouvain"};
  catalogue::v1::ProviderProfile profile;
  profile.set_institution_id("uclouvain");
  profile.set_legal_name("Université catholique de Louvain");
  profile.mutable_recognition_policy()->set_text("We recognise ECTS-bearing credentials.");
  for (Lang lang : {Lang::kEn, Lang::kFr}) {
    const std::string page = InstitutionPage(Context(lang), facts, profile);
    EXPECT_TRUE(Contains(page, "<h1>Université &lt;catholique&gt; de Louvain</h1>")) << page;
    EXPECT_TRUE(Contains(page, "DEQARINST0107"));
    EXPECT_TRUE(Contains(page, "BE-WBR"));
    EXPECT_TRUE(Contains(page, "did:web:uclouvain.example:institutions:uclouvain"));
    EXPECT_TRUE(
        Contains(page, "href=\"https://uclouvain.example/institutions/uclouvain/jwks.json\""));
    EXPECT_TRUE(
        Contains(page, "href=\"https://uclouvain.example/institutions/uclouvain/did.json\""));
    EXPECT_TRUE(Contains(page, "/catalogue?provider=uclouvain"));
    EXPECT_TRUE(Contains(page, "We recognise ECTS-bearing credentials."));
    EXPECT_FALSE(Contains(page, "institution.")) << "a text is missing in " << Code(lang);
  }
  EXPECT_TRUE(Contains(InstitutionPage(Context(Lang::kFr), facts, std::nullopt),
                       "Dans le registre de confiance"));
  // Without a DID (a public URL that is not https), no DID document is linked.
  InstitutionFacts plain = facts;
  plain.did.clear();
  EXPECT_FALSE(Contains(InstitutionPage(Context(), plain, std::nullopt), "did.json"));
}

TEST(ReadAwardFactsTest, ReadsTheOpenBadgePaths) {
  const AwardFacts facts = ReadAwardFacts(Report(true).credential_json());
  EXPECT_EQ(facts.title, "Data literacy");
  EXPECT_EQ(facts.issuer_name, "UCLouvain");
  EXPECT_EQ(facts.learner_name, "Marie <Dupont>");
  EXPECT_EQ(facts.issued_on, "2026-03-05");
  EXPECT_EQ(facts.valid_until, "");
  EXPECT_EQ(facts.grade, "16/20");
  EXPECT_EQ(facts.credits_earned, "5");
  EXPECT_EQ(facts.supervision_applied, "SUPERVISION_ONSITE_WITH_ID_CHECK");
  EXPECT_EQ(facts.mode_of_acquisition, "MODE_OF_ACQUISITION_COMPLETED_COURSE");
  EXPECT_EQ(facts.place_of_issuing, "Louvain-la-Neuve");
}

TEST(ReadAwardFactsTest, NonsenseGivesNothing) {
  EXPECT_EQ(ReadAwardFacts("not json").title, "");
  EXPECT_EQ(ReadAwardFacts("[1,2]").title, "");
  EXPECT_EQ(ReadAwardFacts(R"({"name":3,"issuer":[],"credentialSubject":"x"})").issuer_name, "");
}

TEST(VerdictTest, NamesWhatWentWrong) {
  EXPECT_EQ(VerdictOf(Report(true)), Verdict::kValid);
  EXPECT_EQ(VerdictOf(Report(false, "signature")), Verdict::kNotAuthentic);
  EXPECT_EQ(VerdictOf(Report(false, "format")), Verdict::kNotAuthentic);
  VerificationReport revoked = Report(false, "status");
  revoked.set_status(issuance::v1::CREDENTIAL_STATUS_REVOKED);
  EXPECT_EQ(VerdictOf(revoked), Verdict::kRevoked);
  revoked.set_status(issuance::v1::CREDENTIAL_STATUS_SUSPENDED);
  EXPECT_EQ(VerdictOf(revoked), Verdict::kSuspended);
  EXPECT_EQ(VerdictOf(Report(false, "validity")), Verdict::kNotValid);
}

TEST(VerificationPageTest, ValidCredentialShowsBannerChecksAndElements) {
  PageContext ctx = Context();
  ctx.path = "/verify/result";
  const std::string html = VerificationPage(ctx, Report(true), Spec(), false);
  EXPECT_TRUE(Contains(html, "VALID: genuine and in force"));
  EXPECT_TRUE(Contains(html, "Marie &lt;Dupont&gt;"));
  EXPECT_TRUE(Contains(html, "5 March 2026"));
  EXPECT_TRUE(Contains(html, "Supervised on site, with identity verification"));
  EXPECT_TRUE(Contains(html, "Digital signature"));
  EXPECT_TRUE(Contains(html, Escape(Tr(Lang::kEn, "el.outcomes"))));
  EXPECT_FALSE(Contains(html, "could not be confirmed"));
  EXPECT_FALSE(Contains(html, Tr(Lang::kEn, "award.ecosystem")));
}

TEST(VerificationPageTest, SaysTheEcosystemTheCredentialWasIssuedIn) {
  VerificationReport report = Report(true);
  report.set_ecosystem_id("alliance");
  const std::string html = VerificationPage(Context(), report, Spec(), false);
  EXPECT_TRUE(Contains(html,
                       "<dt>Issued in ecosystem</dt><dd><span class=\"ecosystem\" "
                       "data-ecosystem=\"alliance\">alliance</span></dd>"))
      << html;
}

TEST(VerificationPageTest, RevokedAndTamperedAreUnmistakable) {
  VerificationReport revoked = Report(false, "status");
  revoked.set_status(issuance::v1::CREDENTIAL_STATUS_REVOKED);
  std::string html = VerificationPage(Context(Lang::kFr), revoked, Spec(), true);
  EXPECT_TRUE(Contains(html, "RÉVOQUÉE"));
  EXPECT_TRUE(Contains(html, "banner-bad"));
  EXPECT_TRUE(Contains(html, "it &lt;failed&gt;"));
  EXPECT_TRUE(Contains(html, "Partagée avec vous"));
  EXPECT_FALSE(Contains(html, "n&#39;a pas pu être confirmée"));  // authentic, only revoked

  VerificationReport tampered = Report(false, "signature");
  tampered.mutable_checks(6)->set_detail("not checked: signature failed");
  tampered.mutable_checks(6)->set_passed(false);
  html = VerificationPage(Context(), tampered, std::nullopt, false);
  EXPECT_TRUE(Contains(html, "– Not checked"));
  EXPECT_TRUE(Contains(html, "✗ Failed"));
  EXPECT_TRUE(Contains(html, "NOT AUTHENTIC"));
  EXPECT_TRUE(Contains(html, "could not be confirmed"));
  EXPECT_TRUE(Contains(html, "is not in this node&#39;s catalogue"));
}

TEST(VerificationPageTest, TheIssuerIsNamedAsTheRegistryNamesIt) {
  VerificationReport report = Report(true);
  report.set_issuer_name("Université catholique de Louvain");
  report.set_credential_issuer_name("UCLouvain");
  std::string html = VerificationPage(Context(), report, Spec(), false);
  EXPECT_TRUE(Contains(html, "<dt>Issuer</dt><dd>Université catholique de Louvain <span"));
  EXPECT_TRUE(Contains(html, "The credential names its issuer “UCLouvain”: that is not"));

  // Not authentic: no registry name, so the credential's is shown only as unconfirmed.
  report = Report(false, "issuer");
  report.clear_issuer();
  html = VerificationPage(Context(), report, std::nullopt, false);
  EXPECT_TRUE(Contains(html,
                       "<dd>UCLouvain <span class=\"muted\">(named in the credential, not "
                       "confirmed)</span>"));
}

TEST(VerificationPageTest, StatesTheTrustBasis) {
  VerificationReport report = Report(true);
  report.mutable_trust_basis()->set_statement(
      "issuer key from did:web:x.example, not an ecosystem member");
  EXPECT_TRUE(Contains(VerificationPage(Context(), report, Spec(), false),
                       "<dt>Trust basis</dt><dd>issuer key from did:web:x.example, not an "
                       "ecosystem member</dd>"));
  EXPECT_TRUE(Contains(VerificationPage(Context(Lang::kFr), report, Spec(), false),
                       "<dt>Base de confiance</dt>"));
  report.clear_trust_basis();
  EXPECT_FALSE(Contains(VerificationPage(Context(), report, Spec(), false), "Trust basis"));
}

TEST(VerificationPageTest, SaysHowTheCredentialIsSecured) {
  VerificationReport report = Report(true);
  report.set_securing_profile(issuance::v1::SECURING_PROFILE_OPEN_BADGES_JWT);
  report.set_signature_algorithm(issuance::v1::SIGNATURE_ALGORITHM_ES256);
  std::string html = VerificationPage(Context(), report, Spec(), false);
  EXPECT_TRUE(
      Contains(html, "<dt>Secured as</dt><dd>Open Badges 3.0 (VC-JWT), signed with ES256</dd>"))
      << html;

  report.set_securing_profile(issuance::v1::SECURING_PROFILE_VC_JOSE_COSE);
  report.set_signature_algorithm(issuance::v1::SIGNATURE_ALGORITHM_EDDSA);
  html = VerificationPage(Context(Lang::kFr), report, Spec(), false);
  EXPECT_TRUE(
      Contains(html, "<dt>Sécurisée selon</dt><dd>W3C VC-JOSE-COSE (vc+jwt), signée en EdDSA</dd>"))
      << html;

  // A token that failed the format check has no profile to tell.
  report.clear_securing_profile();
  EXPECT_FALSE(Contains(VerificationPage(Context(), report, Spec(), false), "Secured as"));
}

TEST(VerifyFormPageTest, LabelledFieldAndErrorTiedToIt) {
  const std::string html = VerifyFormPage(Context(), "credential: paste one <first>");
  EXPECT_TRUE(Contains(html, "<label for=\"credential\">"));
  EXPECT_TRUE(Contains(html, "aria-describedby=\"form-error\""));
  EXPECT_TRUE(Contains(html, "credential: paste one &lt;first&gt;"));
  EXPECT_TRUE(Contains(html, "action=\"/verify/result?lang=en\""));
}

TEST(LearnerPageTest, ListsCredentialsDownloadsAndShares) {
  LearnerView view;
  LearnerCredential lc;
  lc.credential.set_credential_id("urn:uuid:abc");
  lc.credential.set_status(issuance::v1::CREDENTIAL_STATUS_REVOKED);
  lc.credential.set_issued_at_ms(1767225600000);
  lc.title = "Data <literacy>";
  view.credentials.push_back(lc);
  v1::ShareRecord share;
  share.set_share_id("AAAAAAAAAAAAAAAAAAAAAAAAAAA");
  share.set_credential_id("urn:uuid:abc");
  share.set_created_at_ms(1767225600000);
  view.shares.push_back(share);
  view.public_url = "https://uclouvain.example";
  view.new_share_id = share.share_id();
  const std::string html = LearnerPage(Context(), view);
  EXPECT_TRUE(Contains(html, "Data &lt;literacy&gt;"));
  EXPECT_TRUE(Contains(html, "Revoked"));
  EXPECT_TRUE(Contains(html, "name=\"format\" value=\"elm\""));
  EXPECT_TRUE(Contains(html, "https://uclouvain.example/s/AAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_TRUE(Contains(html, "action=\"/learner/shares/withdraw?lang=en\""));
  EXPECT_TRUE(Contains(html, "<th scope=\"col\">"));
}

TEST(LearnerSignInPageTest, TokenFieldIsLabelled) {
  const std::string html = LearnerSignInPage(Context(Lang::kFr), "");
  EXPECT_TRUE(Contains(html, "<label for=\"token\">Jeton d&#39;accès d&#39;apprenant</label>"));
  EXPECT_TRUE(Contains(html, "action=\"/learner/session?lang=fr\""));
}

TEST(ErrorPageTest, NamesTheProblem) {
  const std::string html = ErrorPage(Context(), 400, "eqf: an EQF level from 1 to 8");
  EXPECT_TRUE(Contains(html, "The request is not right"));
  EXPECT_TRUE(Contains(html, "eqf: an EQF level from 1 to 8"));
}

TEST(FormatDateTest, BothLanguages) {
  EXPECT_EQ(FormatDate(Lang::kEn, "2026-11-26"), "26 November 2026");
  EXPECT_EQ(FormatDate(Lang::kFr, "2026-08-01T00:00:00Z"), "1 août 2026");
  EXPECT_EQ(FormatDate(Lang::kEn, "soon"), "soon");
}

}  // namespace
}  // namespace microcred::web
