// The public web pages of a node, as pure functions from domain objects to HTML documents.
// public_http.cc (the I/O edge) reads the services and calls these; nothing here does I/O.
//
// Every page is a complete HTML5 document in one language (lang attribute, a visible switch to
// the other), with landmarks (header, nav, main, footer), one h1, labelled form fields, tables
// with header cells, and the node's own stylesheet and script (no CDN). Every text from data
// goes through Escape (html.h).
//
// Pure; thread-safe.
#ifndef MICROCRED_SERVICES_PUBLIC_WEB_PAGES_H_
#define MICROCRED_SERVICES_PUBLIC_WEB_PAGES_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "microcred/catalogue/v1/catalogue.pb.h"
#include "microcred/issuance/v1/issuance.pb.h"
#include "microcred/web/v1/web_records.pb.h"
#include "services/public_web/html.h"
#include "services/public_web/i18n.h"

namespace microcred::web {

// What every page needs to know about the request and the node.
struct PageContext {
  Lang lang = Lang::kEn;
  std::string institution_name;  // shown in the header: the node's institution
  std::string path = "/";        // the page's path, for the language switch
  QueryParams query;             // the page's query (without lang), for the language switch
  std::string section;           // "catalogue", "verify" or "learner": the current nav entry
};

// The document around `main_html`: head, header, navigation, language switch, footer.
std::string Layout(const PageContext& ctx, std::string_view title, std::string_view main_html);

// `path` with the page's language: "/catalogue?lang=fr" (Escape it for an attribute).
std::string LangUrl(const PageContext& ctx, std::string_view path, QueryParams query = {});

// ---- Catalogue ----

// Providers' display names by institution id (legal names from their profiles).
using ProviderNames = std::map<std::string, std::string>;

// The search page: the form (text, ECTS range), the facets of `response` as links that add or
// remove a filter, the results and the next page.
std::string CataloguePage(const PageContext& ctx, const QueryParams& params,
                          const catalogue::v1::SearchSpecificationsResponse& response,
                          const ProviderNames& names);

struct ProviderInfo {
  std::string institution_id;
  std::optional<catalogue::v1::ProviderProfile> profile;  // absent: none published
};

// One specification: every Annex I element, the further facts, and each awarding body's
// profile with its recognition policy.
std::string SpecificationPage(const PageContext& ctx, const catalogue::v1::Specification& spec,
                              const std::vector<ProviderInfo>& providers);

// ---- Institutions ----

// What the trust registry says of a member, and where a verifier finds its keys
// (libs/discovery/did_web.h).
struct InstitutionFacts {
  std::string institution_id;
  std::string legal_name;
  std::string country;  // ISO 3166-1 alpha-2
  std::string region;   // ISO 3166-2, optional
  common::v1::ProviderType provider_type = common::v1::PROVIDER_TYPE_UNSPECIFIED;
  std::string deqar_id;
  std::string issuer_url;  // I: its OB 3.0 Profile, the base of its keys
  std::string did;         // its did:web DID; empty when its public URL is not https
};

// An institution's page, what a browser sees at its issuer URL: the registry's facts, its
// offers in the catalogue, its keys (JWK Set, DID document), and its provider profile with its
// recognition policy when it published one.
std::string InstitutionPage(const PageContext& ctx, const InstitutionFacts& facts,
                            const std::optional<catalogue::v1::ProviderProfile>& profile);

// ---- Verification ----

// What the credential says of its award (Open Badges 3.0 paths, docs/CREDENTIALS.md), read
// from the decoded payload; fields it lacks stay empty. Never fails: a payload that is not
// JSON gives an empty AwardFacts.
struct AwardFacts {
  std::string title;
  std::string issuer_name;
  std::string issuer_url;
  std::string learner_name;
  std::string issued_on;    // YYYY-MM-DD
  std::string valid_until;  // YYYY-MM-DD, empty: no end
  std::string grade;
  std::string supervision_applied;  // SUPERVISION_... enum name, or empty
  std::string mode_of_acquisition;  // MODE_OF_ACQUISITION_... enum name, or empty
  std::string place_of_issuing;
  std::string credits_earned;
};
AwardFacts ReadAwardFacts(std::string_view credential_json);

// The verdict a report gives, as the banner shows it.
enum class Verdict { kValid, kRevoked, kSuspended, kNotAuthentic, kNotValid };
Verdict VerdictOf(const issuance::v1::VerificationReport& report);

std::string VerifyFormPage(const PageContext& ctx, std::string_view error);
// The result: a status banner (text and symbol, not colour alone), the issuer by the registry's
// name (report.issuer_name; a different name written in the credential only in a warning), the
// award, every Annex I element of the specification version the credential names (`spec`, when
// the catalogue has it), and each check with its result and detail. `shared`: opened through a
// learner's share link.
std::string VerificationPage(const PageContext& ctx, const issuance::v1::VerificationReport& report,
                             const std::optional<catalogue::v1::Specification>& spec, bool shared);

// ---- Learner ----

std::string LearnerSignInPage(const PageContext& ctx, std::string_view error);

struct LearnerCredential {
  issuance::v1::IssuedCredential credential;
  std::string title;  // the specification's title, or its id when the catalogue lacks it
};

struct LearnerView {
  std::vector<LearnerCredential> credentials;
  std::vector<v1::ShareRecord> shares;
  std::string public_url;    // the node's public base URL: share links are shown under it
  std::string new_share_id;  // a link just made, shown at the top
  std::string notice;        // a message to show (e.g. a refused action), or ""
};
std::string LearnerPage(const PageContext& ctx, const LearnerView& view);

// A share link that does not (or no longer) work.
std::string ShareGonePage(const PageContext& ctx);

// An error page: `http_status` 400 (the message names the field), 403, 404 or 500.
std::string ErrorPage(const PageContext& ctx, int http_status, std::string_view message);

// "26 November 2026" / "26 novembre 2026" for 2026-11-26; `iso` as given when not a date.
std::string FormatDate(Lang lang, std::string_view iso);
std::string FormatDate(Lang lang, int64_t unix_ms);

}  // namespace microcred::web

#endif  // MICROCRED_SERVICES_PUBLIC_WEB_PAGES_H_
