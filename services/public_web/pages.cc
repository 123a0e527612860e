#include "services/public_web/pages.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "libs/base/strings.h"
#include "nlohmann/json.hpp"
#include "services/public_web/catalogue_query.h"

namespace microcred::web {
namespace {

using catalogue::v1::ProviderProfile;
using catalogue::v1::Specification;
using catalogue::v1::SpecificationContent;
using issuance::v1::VerificationReport;

// absl::StrAppend, taking std::string_view too (libs/base/strings.h).
template <typename... Args>
void Append(std::string* out, const Args&... args) {
  out->append(strings::Cat(args...));
}

std::string E(std::string_view text) { return Escape(text); }

// A link to an outside address from data (a provider's website, a policy, an ESCO skill): only
// http(s) URLs become links, anything else (javascript:, data:) is shown as text.
std::string ExternalLink(std::string_view url, std::string_view text_html,
                         std::string_view css_class = "") {
  const bool web = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  if (!web) return std::string(text_html);
  return strings::Cat("<a", css_class.empty() ? "" : strings::Cat(" class=\"", css_class, "\""),
                      " href=\"", E(url), "\" rel=\"noopener\">", text_html, "</a>");
}
std::string T(const PageContext& ctx, std::string_view key) { return Escape(Tr(ctx.lang, key)); }
// The text of a closed-list value by its enum name; "Not stated" for an unspecified one.
std::string EnumText(const PageContext& ctx, const std::string& name) {
  if (name.empty() || name.find("UNSPECIFIED") != std::string::npos) return T(ctx, "not_stated");
  return T(ctx, name);
}

// The first letter of a name (a whole UTF-8 character), for the header's mark.
std::string Initial(std::string_view name) {
  if (name.empty()) return "";
  size_t length = 1;
  while (length < name.size() && (static_cast<unsigned char>(name[length]) & 0xC0) == 0x80) {
    ++length;
  }
  return std::string(name.substr(0, length));
}

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string SpecPath(const std::string& specification_id) {
  // An id is "<institution>/<local id>", both from [a-z0-9.-]: safe in a path as it is.
  return "/catalogue/" + UrlEncode(specification_id.substr(0, specification_id.find('/'))) + "/" +
         UrlEncode(specification_id.substr(specification_id.find('/') + 1));
}

// One row of an element table: a header cell and a value (already HTML).
void Row(std::string& out, std::string_view label_html, std::string_view value_html) {
  Append(&out, "<tr><th scope=\"row\">", label_html, "</th><td>", value_html, "</td></tr>\n");
}

std::string Workload(const PageContext& ctx, const catalogue::v1::Workload& w) {
  if (w.has_ects()) return strings::Cat(Number(w.ects()), " ", T(ctx, "ects"));
  if (w.has_hours()) return strings::Cat(Number(w.hours()), " ", T(ctx, "hours"));
  return T(ctx, "not_stated");
}

std::string Level(const PageContext& ctx, const SpecificationContent& c) {
  std::string out = strings::Cat(T(ctx, "eqf"), " ", c.eqf_level());
  if (c.qf_ehea_cycle() != common::v1::QF_EHEA_CYCLE_UNSPECIFIED) {
    Append(&out, " · ", EnumText(ctx, common::v1::QfEheaCycle_Name(c.qf_ehea_cycle())));
  }
  return out;
}

std::string Languages(const PageContext& ctx, const SpecificationContent& c) {
  if (c.languages().empty()) return T(ctx, "not_stated");
  std::string out;
  for (const std::string& l : c.languages()) {
    if (!out.empty()) out += ", ";
    out += E(LanguageName(ctx.lang, l));
  }
  return out;
}

std::string Outcomes(const PageContext& ctx, const SpecificationContent& c) {
  if (c.learning_outcomes().empty()) return T(ctx, "not_stated");
  std::string out = "<ol class=\"outcomes\">";
  for (const auto& o : c.learning_outcomes()) {
    Append(&out, "<li>", E(o.text()));
    if (!o.esco_skill_uri().empty()) {
      Append(&out, " ", ExternalLink(o.esco_skill_uri(), T(ctx, "el.esco"), "tag"));
    }
    out += "</li>";
  }
  return out + "</ol>";
}

std::string Qa(const PageContext& ctx, const catalogue::v1::QualityAssurance& qa) {
  std::string out = EnumText(ctx, common::v1::QualityAssuranceType_Name(qa.type()));
  if (!qa.qa_body().empty()) {
    Append(&out, " — ", T(ctx, "el.qa_body"), " ", E(qa.qa_body()));
  }
  if (!qa.deqar_reference().empty()) Append(&out, " (DEQAR ", E(qa.deqar_reference()), ")");
  if (!qa.description().empty()) Append(&out, "<br>", E(qa.description()));
  return out;
}

std::string OrNotStated(const PageContext& ctx, const std::string& text) {
  return text.empty() ? T(ctx, "not_stated") : E(text);
}

std::string CountryRegion(const PageContext& ctx, const SpecificationContent& c) {
  std::string out = E(CountryName(ctx.lang, c.country()));
  if (!c.region().empty()) Append(&out, " (", E(c.region()), ")");
  return out;
}

std::string DateOf(const PageContext& ctx, const common::v1::Date& d) {
  char iso[48];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.year(), d.month(), d.day());
  return E(FormatDate(ctx.lang, iso));
}

// Every Annex I element of a specification, with the elements a credential adds marked as
// such (`award` supplies them when rendering an issued credential).
std::string AnnexTables(const PageContext& ctx, const Specification& spec,
                        const ProviderNames& names, const AwardFacts* award, int level) {
  const std::string h = "h" + std::to_string(level);
  const SpecificationContent& c = spec.content();
  auto provider = [&](const std::string& id) {
    auto it = names.find(id);
    return it == names.end() ? E(id) : strings::Cat(E(it->second), " (", E(id), ")");
  };
  std::string bodies;
  for (const std::string& b : c.awarding_bodies()) {
    Append(&bodies, bodies.empty() ? "" : "<br>", provider(b));
  }
  const std::string head =
      strings::Cat("<thead><tr><th scope=\"col\">", T(ctx, "spec.element"),
                   "</th><th scope=\"col\">", T(ctx, "spec.value"), "</th></tr></thead><tbody>\n");
  std::string out =
      strings::Cat("<section aria-labelledby=\"annex-mandatory\"><", h, " id=\"annex-mandatory\">",
                   T(ctx, "spec.annex1"), "</", h, ">\n<table class=\"elements\">", head);
  if (award != nullptr) {
    Row(out, T(ctx, "el.learner"), OrNotStated(ctx, award->learner_name));
  } else {
    Row(out, T(ctx, "el.learner"),
        strings::Cat("<span class=\"muted\">", T(ctx, "el.learner.spec"), "</span>"));
  }
  Row(out, T(ctx, "el.title"), E(c.title()));
  Row(out, T(ctx, "el.country"), CountryRegion(ctx, c));
  Row(out, T(ctx, "el.awarding"), bodies.empty() ? T(ctx, "not_stated") : bodies);
  if (award != nullptr) {
    Row(out, T(ctx, "el.date"),
        award->issued_on.empty() ? T(ctx, "not_stated")
                                 : E(FormatDate(ctx.lang, award->issued_on)));
  } else {
    Row(out, T(ctx, "el.date"),
        strings::Cat("<span class=\"muted\">", T(ctx, "el.date.spec"), "</span>"));
  }
  Row(out, T(ctx, "el.outcomes"), Outcomes(ctx, c));
  Row(out, T(ctx, "el.workload"), Workload(ctx, c.workload()));
  Row(out, T(ctx, "el.level"), Level(ctx, c));
  std::string assessment = EnumText(ctx, common::v1::AssessmentType_Name(c.assessment_type()));
  if (!c.assessment_description().empty()) {
    Append(&assessment, "<br>", E(c.assessment_description()));
  }
  Row(out, T(ctx, "el.assessment"), assessment);
  Row(out, T(ctx, "el.participation"),
      EnumText(ctx, common::v1::FormOfParticipation_Name(c.form_of_participation())));
  Row(out, T(ctx, "el.qa"), Qa(ctx, c.quality_assurance()));
  out += "</tbody></table></section>\n";

  Append(&out, "<section aria-labelledby=\"annex-optional\"><", h, " id=\"annex-optional\">",
         T(ctx, "spec.optional"), "</", h, ">\n<table class=\"elements\">", head);
  Row(out, T(ctx, "el.prerequisites"), OrNotStated(ctx, c.prerequisites()));
  std::string supervision = EnumText(ctx, common::v1::Supervision_Name(c.supervision()));
  if (award != nullptr && !award->supervision_applied.empty()) {
    Append(&supervision, "<br>", T(ctx, "award.supervision"), ": ",
           EnumText(ctx, award->supervision_applied));
  }
  Row(out, T(ctx, "el.supervision"), supervision);
  if (award != nullptr) Row(out, T(ctx, "el.grade"), OrNotStated(ctx, award->grade));
  Row(out, T(ctx, "el.stackability"),
      EnumText(ctx, common::v1::Stackability_Name(c.stackability())));
  Row(out, T(ctx, "el.further"), OrNotStated(ctx, c.further_information()));
  if (award != nullptr) {
    Row(out, T(ctx, "el.validity"),
        award->valid_until.empty() ? T(ctx, "award.no_end")
                                   : strings::Cat(T(ctx, "award.valid_until"), " ",
                                                  E(FormatDate(ctx.lang, award->valid_until))));
  } else {
    Row(out, T(ctx, "el.validity"),
        strings::Cat("<span class=\"muted\">", T(ctx, "el.validity.spec"), "</span>"));
  }
  out += "</tbody></table></section>\n";

  Append(&out, "<section aria-labelledby=\"annex-more\"><", h, " id=\"annex-more\">",
         T(ctx, "spec.more"), "</", h, ">\n<table class=\"elements\">", head);
  if (!c.description().empty()) Row(out, T(ctx, "el.description"), E(c.description()));
  Row(out, T(ctx, "el.languages"), Languages(ctx, c));
  Row(out, T(ctx, "el.isced"),
      c.isced_f_code().empty() ? T(ctx, "not_stated")
                               : strings::Cat(E(c.isced_f_code()), " — ",
                                              E(IscedBroadFieldName(ctx.lang, c.isced_f_code()))));
  Row(out, T(ctx, "el.credit_bearing"), T(ctx, c.credit_bearing() ? "yes" : "no"));
  if (c.has_review_by() && c.review_by().year() > 0) {
    Row(out, T(ctx, "el.review_by"), DateOf(ctx, c.review_by()));
  }
  Row(out, T(ctx, "el.spec_id"),
      strings::Cat("<code>", E(spec.specification_id()), "</code>, ", T(ctx, "el.version"), " ",
                   spec.version()));
  if (spec.published_at_ms() > 0) {
    Row(out, T(ctx, "el.published"), E(FormatDate(ctx.lang, spec.published_at_ms())));
  }
  out += "</tbody></table></section>\n";
  return out;
}

std::string ProviderSection(const PageContext& ctx, const ProviderInfo& info) {
  std::string out = "<section class=\"card provider\" aria-labelledby=\"provider-" +
                    E(info.institution_id) + "\">";
  if (!info.profile.has_value()) {
    Append(&out, "<h3 id=\"provider-", E(info.institution_id), "\">", E(info.institution_id),
           "</h3><p>", T(ctx, "provider.no_profile"), "</p></section>");
    return out;
  }
  const ProviderProfile& p = *info.profile;
  Append(&out, "<h3 id=\"provider-", E(info.institution_id), "\">",
         E(p.legal_name().empty() ? p.institution_id() : p.legal_name()),
         "</h3>\n<table class=\"elements\"><tbody>");
  auto fact = [&](std::string_view key, const std::string& html) { Row(out, T(ctx, key), html); };
  fact("provider.type", EnumText(ctx, common::v1::ProviderType_Name(p.provider_type())));
  std::string country = E(CountryName(ctx.lang, p.country()));
  if (!p.region().empty()) Append(&country, " (", E(p.region()), ")");
  fact("provider.country", country);
  if (!p.website().empty()) {
    fact("provider.website", ExternalLink(p.website(), E(p.website())));
  }
  if (!p.qa_declaration().empty()) fact("provider.qa", E(p.qa_declaration()));
  if (!p.deqar_id().empty()) fact("provider.deqar", E(p.deqar_id()));
  out += "</tbody></table>\n";
  Append(&out, "<h4>", T(ctx, "provider.policy"), "</h4>");
  if (p.recognition_policy().text().empty()) {
    Append(&out, "<p class=\"muted\">", T(ctx, "provider.no_policy"), "</p>");
  } else {
    Append(&out, "<p class=\"policy\">", E(p.recognition_policy().text()), "</p>");
    if (!p.recognition_policy().links().empty()) {
      out += "<ul>";
      for (const std::string& link : p.recognition_policy().links()) {
        Append(&out, "<li>", ExternalLink(link, E(link)), "</li>");
      }
      out += "</ul>";
    }
  }
  return out + "</section>\n";
}

// " · Published in <ecosystem>", or nothing for a record that does not say.
std::string EcosystemNote(const PageContext& ctx, const Specification& spec) {
  if (spec.ecosystem_id().empty()) return "";
  return strings::Cat(" · <span class=\"ecosystem\" data-ecosystem=\"", E(spec.ecosystem_id()),
                      "\">", T(ctx, "search.in_ecosystem"), " ", E(spec.ecosystem_id()), "</span>");
}

std::string FacetValueLabel(const PageContext& ctx, const std::string& facet,
                            const std::string& value, const ProviderNames& names) {
  if (facet == "eqf_level") return strings::Cat(T(ctx, "eqf"), " ", E(value));
  if (facet == "country") return E(CountryName(ctx.lang, value));
  if (facet == "language") return E(LanguageName(ctx.lang, value));
  if (facet == "isced_f_broad")
    return strings::Cat(E(value), " ", E(IscedBroadFieldName(ctx.lang, value)));
  if (facet == "ecosystem") return E(value);
  if (facet == "credit_bearing") return T(ctx, "value.credit_bearing");
  if (facet == "stackable") return T(ctx, "value.stackable");
  if (facet == "provider") {
    auto it = names.find(value);
    return E(it == names.end() ? value : it->second);
  }
  return EnumText(ctx, value);
}

std::string Banner(const PageContext& ctx, Verdict verdict, const VerificationReport& report) {
  std::string_view key, css, symbol;
  switch (verdict) {
    case Verdict::kValid:
      key = "status.valid", css = "ok", symbol = "✓";
      break;
    case Verdict::kRevoked:
      key = "status.revoked", css = "bad", symbol = "✗";
      break;
    case Verdict::kSuspended:
      key = "status.suspended", css = "bad", symbol = "!";
      break;
    case Verdict::kNotAuthentic:
      key = "status.tampered", css = "bad", symbol = "✗";
      break;
    case Verdict::kNotValid:
      key = "status.invalid", css = "bad", symbol = "✗";
      break;
  }
  std::string detail = T(ctx, strings::Cat(key, ".detail"));
  if (verdict == Verdict::kRevoked || verdict == Verdict::kSuspended) {
    for (const auto& check : report.checks()) {
      if (check.name() == "status" && !check.detail().empty()) {
        Append(&detail, " <span class=\"reason\">", E(check.detail()), "</span>");
      }
    }
  }
  return strings::Cat("<div class=\"banner banner-", css,
                      "\" role=\"status\" id=\"verdict\" data-verdict=\"", css,
                      "\"><span class=\"banner-symbol\" aria-hidden=\"true\">", symbol,
                      "</span><div><p class=\"banner-title\">", T(ctx, key),
                      "</p><p class=\"banner-detail\">", detail, "</p></div></div>\n");
}

std::string ChecksTable(const PageContext& ctx, const VerificationReport& report) {
  std::string out = strings::Cat(
      "<section aria-labelledby=\"checks\"><h2 id=\"checks\">", T(ctx, "verify.checks"),
      "</h2>\n<table class=\"checks\"><thead><tr><th scope=\"col\">", T(ctx, "verify.check"),
      "</th><th scope=\"col\">", T(ctx, "verify.outcome"), "</th><th scope=\"col\">",
      T(ctx, "verify.detail"), "</th></tr></thead><tbody>\n");
  for (const auto& check : report.checks()) {
    const std::string key = "check." + check.name();
    const std::string name = HasText(key) ? T(ctx, key) : E(check.name());
    const bool not_checked = !check.passed() && check.detail().rfind("not checked", 0) == 0;
    const std::string result = check.passed() ? strings::Cat("✓ ", T(ctx, "check.passed"))
                               : not_checked  ? strings::Cat("– ", T(ctx, "check.not_checked"))
                                              : strings::Cat("✗ ", T(ctx, "check.failed"));
    Append(&out, "<tr class=\"",
           check.passed() ? "pass"
           : not_checked  ? "skipped"
                          : "fail",
           "\" data-check=\"", E(check.name()), "\"><th scope=\"row\">", name,
           "</th><td><span class=\"result\">", result, "</span></td><td>", E(check.detail()),
           "</td></tr>\n");
  }
  return out + "</tbody></table></section>\n";
}

std::string FormAction(const PageContext& ctx, std::string_view path) {
  return E(LangUrl(ctx, path));
}

}  // namespace

std::string FormatDate(Lang lang, std::string_view iso) {
  static constexpr std::string_view kEn[] = {"January",   "February", "March",    "April",
                                             "May",       "June",     "July",     "August",
                                             "September", "October",  "November", "December"};
  static constexpr std::string_view kFr[] = {"janvier",   "février", "mars",     "avril",
                                             "mai",       "juin",    "juillet",  "août",
                                             "septembre", "octobre", "novembre", "décembre"};
  int y = 0, m = 0, d = 0;
  if (iso.size() < 10 ||
      std::sscanf(std::string(iso.substr(0, 10)).c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 ||
      m < 1 || m > 12 || d < 1 || d > 31) {
    return std::string(iso);
  }
  const std::string_view month = lang == Lang::kFr ? kFr[m - 1] : kEn[m - 1];
  return strings::Cat(d, " ", std::string(month), " ", y);
}

std::string FormatDate(Lang lang, int64_t unix_ms) {
  return FormatDate(
      lang, absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(unix_ms), absl::UTCTimeZone()));
}

std::string LangUrl(const PageContext& ctx, std::string_view path, QueryParams query) {
  query.emplace_back("lang", std::string(Code(ctx.lang)));
  return std::string(path) + QueryString(query);
}

std::string Layout(const PageContext& ctx, std::string_view title, std::string_view main_html) {
  const Lang other = Other(ctx.lang);
  QueryParams switch_query = ctx.query;
  switch_query.emplace_back("lang", std::string(Code(other)));
  auto nav = [&](std::string_view section, std::string_view path, std::string_view key) {
    return strings::Cat("<li><a href=\"", E(LangUrl(ctx, path)), "\"",
                        ctx.section == section ? " aria-current=\"page\"" : "", ">", T(ctx, key),
                        "</a></li>");
  };
  return strings::Cat(
      "<!DOCTYPE html>\n<html lang=\"", Code(ctx.lang), "\">\n<head>\n<meta charset=\"utf-8\">\n",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", E(title),
      " — ", E(ctx.institution_name), "</title>\n",
      "<link rel=\"stylesheet\" href=\"/assets/site.css\">\n",
      "<link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\">\n",
      "<script src=\"/assets/site.js\" defer></script>\n</head>\n<body>\n",
      "<a class=\"skip\" href=\"#main\">", T(ctx, "skip"), "</a>\n",
      "<header class=\"site-header\"><div class=\"wrap header-row\">", "<a class=\"brand\" href=\"",
      E(LangUrl(ctx, "/catalogue")), "\"><span class=\"brand-mark\" aria-hidden=\"true\">",
      E(Initial(ctx.institution_name)), "</span>",
      "<span class=\"brand-text\"><span class=\"brand-name\">", E(ctx.institution_name),
      "</span><span class=\"brand-tagline\">", T(ctx, "site.tagline"), "</span></span></a>",
      "<a class=\"lang-switch\" href=\"", E(ctx.path + QueryString(switch_query)), "\" lang=\"",
      Code(other), "\" hreflang=\"", Code(other), "\"><span class=\"visually-hidden\">",
      T(ctx, "lang.switch"), ": </span>", E(Tr(other, "lang.name")), "</a>",
      "</div>\n<nav class=\"site-nav\" aria-label=\"", T(ctx, "nav.label"),
      "\"><div class=\"wrap\"><ul>", nav("catalogue", "/catalogue", "nav.catalogue"),
      nav("verify", "/verify", "nav.verify"), nav("learner", "/learner", "nav.learner"),
      "</ul></div></nav></header>\n", "<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n",
      main_html, "</main>\n", "<footer class=\"site-footer\"><div class=\"wrap\"><p><strong>",
      E(ctx.institution_name), "</strong></p><p>", T(ctx, "footer.about"), "</p><p>",
      T(ctx, "footer.eu"), "</p></div></footer>\n</body>\n</html>\n");
}

std::string CataloguePage(const PageContext& ctx, const QueryParams& params,
                          const catalogue::v1::SearchSpecificationsResponse& response,
                          const ProviderNames& names) {
  std::string out = strings::Cat("<h1>", T(ctx, "catalogue.title"), "</h1>\n<p class=\"lead\">",
                                 T(ctx, "catalogue.intro"), "</p>\n");
  // The search form: GET, so that a search is a link.
  Append(&out, "<form class=\"search card\" role=\"search\" method=\"get\" action=\"/catalogue\">",
         "<input type=\"hidden\" name=\"lang\" value=\"", Code(ctx.lang), "\">",
         "<div class=\"field grow\"><label for=\"q\">", T(ctx, "search.label"), "</label>",
         "<p class=\"hint\" id=\"q-hint\">", T(ctx, "search.hint"), "</p>",
         "<input type=\"search\" id=\"q\" name=\"q\" value=\"", E(First(params, "q")),
         "\" aria-describedby=\"q-hint\" autocomplete=\"off\"></div>",
         "<fieldset class=\"field range\"><legend>", T(ctx, "search.ects"), "</legend>",
         "<label for=\"ects_min\">", T(ctx, "search.ects_min"), "</label>",
         "<input type=\"number\" id=\"ects_min\" name=\"ects_min\" min=\"0\" max=\"1000\" "
         "step=\"0.5\" "
         "inputmode=\"decimal\" value=\"",
         E(First(params, "ects_min")), "\">", "<label for=\"ects_max\">", T(ctx, "search.ects_max"),
         "</label>",
         "<input type=\"number\" id=\"ects_max\" name=\"ects_max\" min=\"0\" max=\"1000\" "
         "step=\"0.5\" "
         "inputmode=\"decimal\" value=\"",
         E(First(params, "ects_max")), "\"></fieldset>");
  // Selected facet filters travel with the form.
  for (const auto& [name, value] : SearchParameters(params)) {
    if (name == "q" || name == "ects_min" || name == "ects_max") continue;
    Append(&out, "<input type=\"hidden\" name=\"", E(name), "\" value=\"", E(value), "\">");
  }
  Append(&out, "<button type=\"submit\" class=\"button primary\">", T(ctx, "search.button"),
         "</button></form>\n<div class=\"catalogue-layout\">\n");

  // Facets.
  // In a disclosure, open: the script closes it on a narrow screen, so results come first.
  Append(&out,
         "<aside class=\"facets\" aria-labelledby=\"facets-title\"><details class=\"facets-panel\" "
         "open><summary><h2 id=\"facets-title\">",
         T(ctx, "search.refine"), "</h2></summary>\n");
  const QueryParams selected = SearchParameters(params);
  for (const auto& facet : response.facets()) {
    const std::string_view param = FacetParameter(facet.name());
    if (param.empty()) continue;
    const bool boolean = facet.name() == "credit_bearing" || facet.name() == "stackable";
    std::string items;
    for (const auto& count : facet.counts()) {
      if (boolean && count.value() != "true") continue;
      const bool on = Has(selected, param, count.value());
      Append(&items, "<li><a class=\"facet-link", on ? " on" : "", "\" href=\"",
             E(LangUrl(ctx, "/catalogue", Toggle(params, param, count.value()))), "\"",
             on ? " aria-current=\"true\"" : "", " data-facet=\"", E(param), "\" data-value=\"",
             E(count.value()), "\"><span class=\"box\" aria-hidden=\"true\">", on ? "✓" : "",
             "</span><span class=\"facet-label\">",
             FacetValueLabel(ctx, facet.name(), count.value(), names),
             on ? strings::Cat("<span class=\"visually-hidden\"> (", T(ctx, "search.selected"),
                               ")</span>")
                : "",
             "</span><span class=\"count\">", count.count(), "</span></a></li>");
    }
    if (items.empty()) continue;
    Append(&out, "<section class=\"facet\"><h3>", T(ctx, strings::Cat("facet.", facet.name())),
           "</h3><ul>", items, "</ul></section>\n");
  }
  if (selected.size() > static_cast<size_t>(First(params, "q").empty() ? 0 : 1)) {
    QueryParams keep;
    if (!First(params, "q").empty()) keep.emplace_back("q", First(params, "q"));
    Append(&out, "<p><a class=\"button secondary\" href=\"", E(LangUrl(ctx, "/catalogue", keep)),
           "\">", T(ctx, "search.clear"), "</a></p>");
  }
  out += "</details></aside>\n";

  // Results.
  Append(&out,
         "<section class=\"results\" aria-labelledby=\"results-title\"><h2 id=\"results-title\" "
         "class=\"visually-hidden\">",
         T(ctx, "search.results_label"), "</h2><p class=\"result-count\" role=\"status\">");
  if (response.total() == 1) {
    out += T(ctx, "search.result_one");
  } else {
    out +=
        absl::StrReplaceAll(T(ctx, "search.results"), {{"{n}", std::to_string(response.total())}});
  }
  out += "</p>\n";
  if (response.results().empty()) {
    Append(&out, "<p class=\"empty\">", T(ctx, "search.none"), "</p>");
  } else {
    out += "<ol class=\"result-list\">";
    for (const Specification& spec : response.results()) {
      const SpecificationContent& c = spec.content();
      std::string providers;
      for (const std::string& body : c.awarding_bodies()) {
        auto it = names.find(body);
        Append(&providers, providers.empty() ? "" : ", ", E(it == names.end() ? body : it->second));
      }
      Append(&out, "<li class=\"result card\"><h3><a href=\"",
             E(LangUrl(ctx, SpecPath(spec.specification_id()))), "\">", E(c.title()),
             "</a></h3><p class=\"provider-line\">", T(ctx, "search.provided_by"), " ", providers,
             " · ", E(CountryName(ctx.lang, c.country())), EcosystemNote(ctx, spec), "</p>");
      if (!c.description().empty())
        Append(&out, "<p class=\"summary\">", E(c.description()), "</p>");
      Append(&out, "<ul class=\"chips\"><li>", Level(ctx, c), "</li><li>",
             Workload(ctx, c.workload()), "</li><li>",
             EnumText(ctx, common::v1::FormOfParticipation_Name(c.form_of_participation())),
             "</li><li>", EnumText(ctx, common::v1::AssessmentType_Name(c.assessment_type())),
             "</li>");
      if (spec.status() == catalogue::v1::SPECIFICATION_STATUS_WITHDRAWN) {
        Append(&out, "<li class=\"chip-warn\">", T(ctx, "SPECIFICATION_STATUS_WITHDRAWN"), "</li>");
      }
      out += "</ul></li>\n";
    }
    out += "</ol>\n";
  }
  const std::string page = First(params, "page");
  if (!response.next_page_token().empty() || !page.empty()) {
    out += "<nav class=\"pager\" aria-label=\"Pages\">";
    if (!page.empty()) {
      Append(&out, "<a class=\"button secondary\" href=\"",
             E(LangUrl(ctx, "/catalogue", SearchParameters(params))), "\">", T(ctx, "search.first"),
             "</a> ");
    }
    if (!response.next_page_token().empty()) {
      QueryParams next = SearchParameters(params);
      next.emplace_back("page", response.next_page_token());
      Append(&out, "<a class=\"button secondary\" rel=\"next\" href=\"",
             E(LangUrl(ctx, "/catalogue", next)), "\">", T(ctx, "search.next"), "</a>");
    }
    out += "</nav>";
  }
  out += "</section>\n</div>\n";
  return Layout(ctx, Tr(ctx.lang, "catalogue.title"), out);
}

std::string SpecificationPage(const PageContext& ctx, const Specification& spec,
                              const std::vector<ProviderInfo>& providers) {
  ProviderNames names;
  for (const ProviderInfo& p : providers) {
    if (p.profile && !p.profile->legal_name().empty())
      names[p.institution_id] = p.profile->legal_name();
  }
  const SpecificationContent& c = spec.content();
  std::string out =
      strings::Cat("<p class=\"breadcrumb\"><a href=\"", E(LangUrl(ctx, "/catalogue")), "\">← ",
                   T(ctx, "spec.back"), "</a></p>\n<h1>", E(c.title()), "</h1>\n");
  std::string bodies;
  for (const std::string& b : c.awarding_bodies()) {
    auto it = names.find(b);
    Append(&bodies, bodies.empty() ? "" : ", ", E(it == names.end() ? b : it->second));
  }
  Append(&out, "<p class=\"lead\">", T(ctx, "search.provided_by"), " ", bodies,
         EcosystemNote(ctx, spec), "</p>\n");
  Append(&out, "<ul class=\"chips\"><li>", Level(ctx, c), "</li><li>", Workload(ctx, c.workload()),
         "</li><li>",
         EnumText(ctx, common::v1::FormOfParticipation_Name(c.form_of_participation())),
         "</li><li>", Languages(ctx, c), "</li></ul>\n");
  if (spec.status() == catalogue::v1::SPECIFICATION_STATUS_WITHDRAWN) {
    Append(&out, "<div class=\"notice warn\" role=\"note\"><p><strong>", T(ctx, "spec.withdrawn"),
           "</strong>");
    if (!spec.withdrawal_reason().empty()) {
      Append(&out, " ", T(ctx, "spec.withdrawn_reason"), ": ", E(spec.withdrawal_reason()));
    }
    out += "</p></div>\n";
  }
  out += AnnexTables(ctx, spec, names, nullptr, 2);
  Append(&out, "<section aria-labelledby=\"providers\"><h2 id=\"providers\">",
         T(ctx, "provider.title"), "</h2>\n");
  for (const ProviderInfo& p : providers) out += ProviderSection(ctx, p);
  out += "</section>\n";
  return Layout(ctx, c.title(), out);
}

AwardFacts ReadAwardFacts(std::string_view credential_json) {
  AwardFacts facts;
  nlohmann::json doc = nlohmann::json::parse(credential_json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return facts;
  auto text = [](const nlohmann::json& node, const char* key) -> std::string {
    if (!node.is_object()) return "";
    auto it = node.find(key);
    if (it == node.end()) return "";
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number()) return it->dump();
    return "";
  };
  auto object = [](const nlohmann::json& node, const char* key) -> const nlohmann::json& {
    static const nlohmann::json kNull;
    if (!node.is_object()) return kNull;
    auto it = node.find(key);
    return it == node.end() ? kNull : *it;
  };
  facts.title = text(doc, "name");
  const nlohmann::json& issuer = object(doc, "issuer");
  facts.issuer_name = text(issuer, "name");
  facts.issuer_url = issuer.is_string() ? issuer.get<std::string>() : text(issuer, "id");
  facts.issued_on = text(doc, "validFrom").substr(0, 10);
  facts.valid_until = text(doc, "validUntil").substr(0, 10);
  const nlohmann::json& subject = object(doc, "credentialSubject");
  const nlohmann::json& identifiers = object(subject, "identifier");
  if (identifiers.is_array()) {
    for (const auto& id : identifiers) {
      if (text(id, "identityType") == "name" && !(object(id, "hashed") == true)) {
        facts.learner_name = text(id, "identityHash");
      }
    }
  }
  const nlohmann::json& results = object(subject, "result");
  if (results.is_array() && !results.empty()) facts.grade = text(results[0], "value");
  facts.credits_earned = text(subject, "creditsEarned");
  const nlohmann::json& award = object(subject, "microCredentialAward");
  facts.place_of_issuing = text(award, "placeOfIssuing");
  static const std::pair<std::string_view, std::string_view> kSupervision[] = {
      {"UnsupervisedWithoutIdVerification", "SUPERVISION_UNSUPERVISED_NO_ID_CHECK"},
      {"SupervisedWithoutIdVerification", "SUPERVISION_SUPERVISED_NO_ID_CHECK"},
      {"SupervisedOnlineWithIdVerification", "SUPERVISION_SUPERVISED_ONLINE"},
      {"SupervisedOnsiteWithIdVerification", "SUPERVISION_ONSITE_WITH_ID_CHECK"}};
  for (const auto& [term, name] : kSupervision) {
    if (text(award, "supervisionApplied") == term) facts.supervision_applied = name;
  }
  const std::string mode = text(award, "modeOfAcquisition");
  if (mode == "CompletedLearningActivity")
    facts.mode_of_acquisition = "MODE_OF_ACQUISITION_COMPLETED_COURSE";
  if (mode == "ValidationOfPriorLearning") {
    facts.mode_of_acquisition = "MODE_OF_ACQUISITION_PRIOR_LEARNING_VALIDATION";
  }
  return facts;
}

Verdict VerdictOf(const VerificationReport& report) {
  if (report.valid()) return Verdict::kValid;
  bool authentic = true;
  for (const auto& check : report.checks()) {
    if ((check.name() == "format" || check.name() == "signature" || check.name() == "issuer" ||
         check.name() == "issued") &&
        !check.passed()) {
      authentic = false;
    }
  }
  if (!authentic) return Verdict::kNotAuthentic;
  if (report.status() == issuance::v1::CREDENTIAL_STATUS_REVOKED) return Verdict::kRevoked;
  if (report.status() == issuance::v1::CREDENTIAL_STATUS_SUSPENDED) return Verdict::kSuspended;
  return Verdict::kNotValid;
}

namespace {

// What a form posting one pasted text needs: where it posts, its field and its wording.
struct PasteForm {
  std::string_view form_attributes;  // e.g. " class=\"card\""
  std::string_view action;           // the path it posts to
  std::string_view field;            // the textarea's id and name
  int rows;
  std::string_view label_key, button_key;
};

// The error (if any) announced above the form and tied to its field, then the form.
std::string PasteFormHtml(const PageContext& ctx, const PasteForm& form, std::string_view error) {
  std::string out;
  if (!error.empty()) {
    Append(&out, "<div class=\"notice error\" role=\"alert\" id=\"form-error\"><p>", E(error),
           "</p></div>\n");
  }
  Append(&out, "<form", form.form_attributes,
         " method=\"post\" enctype=\"multipart/form-data\" action=\"", FormAction(ctx, form.action),
         "\"><div class=\"field\"><label for=\"", form.field, "\">", T(ctx, form.label_key),
         "</label><textarea id=\"", form.field, "\" name=\"", form.field, "\" rows=\"", form.rows,
         "\" required spellcheck=\"false\" autocomplete=\"off\"",
         error.empty() ? "" : " aria-invalid=\"true\" aria-describedby=\"form-error\"",
         "></textarea></div><button type=\"submit\" class=\"button primary\">",
         T(ctx, form.button_key), "</button></form>");
  return out;
}

}  // namespace

namespace {

// The issuer as the trust registry names it. Only when the registry could not confirm the
// issuer (the credential is not authentic) does the credential's own name show, marked so.
std::string IssuerHtml(const PageContext& ctx, const VerificationReport& report,
                       const AwardFacts& award) {
  if (!report.issuer_name().empty()) {
    return strings::Cat(E(report.issuer_name()), " <span class=\"muted\">(", E(report.issuer()),
                        ")</span>");
  }
  if (!report.issuer().empty()) return E(report.issuer());
  if (award.issuer_name.empty()) return "";
  return strings::Cat(E(award.issuer_name), " <span class=\"muted\">(",
                      T(ctx, "verify.issuer_unconfirmed"), ")</span>");
}

// "Open Badges 3.0 (VC-JWT), signed with ES256": how the presented token is secured.
std::string SecuredHtml(const PageContext& ctx, const VerificationReport& report) {
  std::string algorithm;
  switch (report.signature_algorithm()) {
    case issuance::v1::SIGNATURE_ALGORITHM_EDDSA:
      algorithm = "EdDSA";
      break;
    case issuance::v1::SIGNATURE_ALGORITHM_RS256:
      algorithm = "RS256";
      break;
    case issuance::v1::SIGNATURE_ALGORITHM_ES256:
      algorithm = "ES256";
      break;
    default:
      break;
  }
  return absl::StrReplaceAll(
      T(ctx, "award.secured.value"),
      {{"{profile}", T(ctx, issuance::v1::SecuringProfile_Name(report.securing_profile()))},
       {"{algorithm}", algorithm}});
}

}  // namespace

std::string VerifyFormPage(const PageContext& ctx, std::string_view error) {
  std::string out = strings::Cat("<h1>", T(ctx, "verify.title"), "</h1>\n<p class=\"lead\">",
                                 T(ctx, "verify.intro"), "</p>\n");
  Append(&out,
         PasteFormHtml(ctx,
                       {.form_attributes = " class=\"card\"",
                        .action = "/verify/result",
                        .field = "credential",
                        .rows = 8,
                        .label_key = "verify.label",
                        .button_key = "verify.button"},
                       error),
         "\n");
  return Layout(ctx, Tr(ctx.lang, "verify.title"), out);
}

std::string VerificationPage(const PageContext& ctx, const VerificationReport& report,
                             const std::optional<Specification>& spec, bool shared) {
  const Verdict verdict = VerdictOf(report);
  const AwardFacts award = ReadAwardFacts(report.credential_json());
  std::string out = strings::Cat("<h1>", T(ctx, "verify.result"), "</h1>\n");
  if (shared) Append(&out, "<p class=\"lead\">", T(ctx, "verify.shared"), "</p>\n");
  out += Banner(ctx, verdict, report);
  if (verdict == Verdict::kNotAuthentic && !report.credential_json().empty()) {
    Append(&out, "<p class=\"notice warn\" role=\"note\">", T(ctx, "verify.claimed"), "</p>\n");
  }
  const std::string title = !award.title.empty() ? award.title
                            : spec               ? spec->content().title()
                                                 : "";
  if (!title.empty()) Append(&out, "<h2 class=\"credential-title\">", E(title), "</h2>\n");
  if (!report.credential_issuer_name().empty()) {
    Append(&out, "<p class=\"notice warn\" role=\"note\">",
           absl::StrReplaceAll(T(ctx, "verify.issuer_renamed"),
                               {{"{claimed}", E(report.credential_issuer_name())},
                                {"{registered}", E(report.issuer_name())}}),
           "</p>\n");
  }

  // Issuer and award.
  Append(&out, "<section aria-labelledby=\"award\"><h2 id=\"award\">", T(ctx, "verify.award"),
         "</h2><dl class=\"facts\">");
  auto fact = [&](std::string_view key, const std::string& html) {
    if (html.empty()) return;
    Append(&out, "<div><dt>", T(ctx, key), "</dt><dd>", html, "</dd></div>");
  };
  fact("verify.issuer", IssuerHtml(ctx, report, award));
  fact("award.learner", E(award.learner_name));
  if (!award.issued_on.empty()) fact("award.date", E(FormatDate(ctx.lang, award.issued_on)));
  if (!report.credential_json().empty()) {
    fact("award.valid_until", award.valid_until.empty()
                                  ? T(ctx, "award.no_end")
                                  : E(FormatDate(ctx.lang, award.valid_until)));
  }
  if (report.status() != issuance::v1::CREDENTIAL_STATUS_UNSPECIFIED) {
    fact("award.status", T(ctx, issuance::v1::CredentialStatus_Name(report.status())));
  }
  fact("award.grade", E(award.grade));
  if (!award.credits_earned.empty())
    fact("award.ects_earned", strings::Cat(E(award.credits_earned), " ", T(ctx, "ects")));
  if (!award.mode_of_acquisition.empty())
    fact("award.mode", EnumText(ctx, award.mode_of_acquisition));
  fact("award.place", E(award.place_of_issuing));
  if (!report.credential_id().empty()) {
    fact("award.credential_id", strings::Cat("<code>", E(report.credential_id()), "</code>"));
  }
  if (report.securing_profile() != issuance::v1::SECURING_PROFILE_UNSPECIFIED) {
    fact("award.secured", SecuredHtml(ctx, report));
  }
  // On what the issuer's key is trusted: membership, a seal under a trust anchor, a DID...
  fact("award.trust_basis", E(report.trust_basis().statement()));
  // Whose registry the issuer and policy checks read: the ecosystem it was issued in.
  if (!report.ecosystem_id().empty()) {
    fact("award.ecosystem",
         strings::Cat("<span class=\"ecosystem\" data-ecosystem=\"", E(report.ecosystem_id()),
                      "\">", E(report.ecosystem_id()), "</span>"));
  }
  out += "</dl></section>\n";

  out += ChecksTable(ctx, report);
  if (spec.has_value()) {
    ProviderNames names;
    if (!report.issuer_name().empty()) names[report.issuer()] = report.issuer_name();
    Append(&out,
           "<section class=\"elements-block\" aria-labelledby=\"certifies\"><h2 id=\"certifies\" "
           "class=\"section-title\">",
           T(ctx, "verify.elements"), "</h2>\n", AnnexTables(ctx, *spec, names, &award, 3),
           "</section>");
  } else if (!report.specification_id().empty()) {
    Append(&out, "<p class=\"muted\">", T(ctx, "verify.spec_unknown"), "</p>");
  }
  Append(&out, "<p class=\"after\"><a class=\"button secondary\" href=\"",
         E(LangUrl(ctx, "/verify")), "\">", T(ctx, "verify.another"), "</a></p>\n");
  return Layout(ctx, Tr(ctx.lang, "verify.result"), out);
}

std::string LearnerSignInPage(const PageContext& ctx, std::string_view error) {
  std::string out = strings::Cat("<h1>", T(ctx, "learner.title"),
                                 "</h1>\n<section class=\"card narrow\" "
                                 "aria-labelledby=\"signin\"><h2 id=\"signin\">",
                                 T(ctx, "learner.signin.title"), "</h2><p>",
                                 T(ctx, "learner.signin.intro"), "</p>\n");
  Append(&out,
         PasteFormHtml(ctx,
                       {.action = "/learner/session",
                        .field = "token",
                        .rows = 4,
                        .label_key = "learner.token",
                        .button_key = "learner.signin"},
                       error),
         "</section>\n");
  return Layout(ctx, Tr(ctx.lang, "learner.title"), out);
}

std::string LearnerPage(const PageContext& ctx, const LearnerView& view) {
  std::string out = strings::Cat(
      "<div class=\"title-row\"><h1>", T(ctx, "learner.title"),
      "</h1><form method=\"post\" action=\"", FormAction(ctx, "/learner/signout"),
      "\"><button type=\"submit\" class=\"button secondary\">", T(ctx, "learner.signout"),
      "</button></form></div>\n<p class=\"lead\">", T(ctx, "learner.intro"), "</p>\n");
  if (!view.notice.empty()) {
    Append(&out, "<div class=\"notice error\" role=\"alert\"><p>", E(view.notice), "</p></div>\n");
  }
  if (!view.new_share_id.empty()) {
    const std::string url = view.public_url + "/s/" + view.new_share_id;
    Append(&out, "<div class=\"notice ok\" role=\"status\" id=\"new-share\"><p>",
           T(ctx, "share.made"), "</p><p class=\"share-url\"><a id=\"new-share-link\" href=\"",
           E(LangUrl(ctx, "/s/" + view.new_share_id)), "\">", E(url),
           "</a> <button type=\"button\" class=\"button secondary copy\" data-copy=\"", E(url),
           "\" data-copied=\"", T(ctx, "share.copied"), "\" hidden>", T(ctx, "share.copy"),
           "</button></p></div>\n");
  }
  std::map<std::string, std::string> titles;
  if (view.credentials.empty()) {
    Append(&out, "<p class=\"empty\">", T(ctx, "learner.none"), "</p>\n");
  }
  out += "<ul class=\"credential-list\">";
  int n = 0;
  for (const LearnerCredential& lc : view.credentials) {
    const auto& c = lc.credential;
    titles[c.credential_id()] = lc.title;
    const std::string id = strings::Cat("cred-", ++n);
    const bool active = c.status() == issuance::v1::CREDENTIAL_STATUS_ACTIVE;
    Append(&out, "<li class=\"card credential\" aria-labelledby=\"", id, "\"><h2 id=\"", id, "\">",
           E(lc.title), "</h2><dl class=\"facts\"><div><dt>", T(ctx, "learner.issued"), "</dt><dd>",
           E(FormatDate(ctx.lang, c.issued_at_ms())), "</dd></div><div><dt>",
           T(ctx, "award.status"), "</dt><dd><span class=\"status-pill ", active ? "ok" : "bad",
           "\">", active ? "✓ " : "✗ ", T(ctx, issuance::v1::CredentialStatus_Name(c.status())),
           "</span></dd></div></dl>");
    Append(&out, "<div class=\"actions\"><form method=\"post\" action=\"",
           FormAction(ctx, "/learner/export"),
           "\"><input type=\"hidden\" name=\"credential_id\" value=\"", E(c.credential_id()),
           "\"><fieldset class=\"downloads\"><legend>", T(ctx, "learner.download"), "</legend>",
           "<button type=\"submit\" name=\"format\" value=\"jws\" class=\"button secondary\">",
           T(ctx, "export.jws"),
           "</button><button type=\"submit\" name=\"format\" value=\"ob\" "
           "class=\"button secondary\">",
           T(ctx, "export.ob"),
           "</button><button type=\"submit\" "
           "name=\"format\" value=\"elm\" class=\"button secondary\">",
           T(ctx, "export.elm"), "</button></fieldset></form>");
    Append(&out, "<form method=\"post\" action=\"", FormAction(ctx, "/learner/shares"),
           "\"><input type=\"hidden\" name=\"credential_id\" value=\"", E(c.credential_id()),
           "\"><button type=\"submit\" class=\"button primary\">", T(ctx, "share.make"),
           "</button></form></div></li>\n");
  }
  out += "</ul>\n";

  Append(&out, "<section aria-labelledby=\"shares\"><h2 id=\"shares\">", T(ctx, "share.links"),
         "</h2>");
  if (view.shares.empty()) {
    Append(&out, "<p class=\"muted\">", T(ctx, "share.none"), "</p>");
  } else {
    Append(&out,
           "<div class=\"table-scroll\"><table class=\"shares\"><thead><tr><th scope=\"col\">",
           T(ctx, "share.for"), "</th><th scope=\"col\">", T(ctx, "share.link"),
           "</th><th scope=\"col\">", T(ctx, "share.created"), "</th><th scope=\"col\">",
           T(ctx, "share.state"), "</th><th scope=\"col\">", T(ctx, "share.action"),
           "</th></tr></thead><tbody>");
    for (auto it = view.shares.rbegin(); it != view.shares.rend(); ++it) {
      const v1::ShareRecord& s = *it;
      const bool working = s.withdrawn_at_ms() == 0;
      auto title = titles.find(s.credential_id());
      Append(&out, "<tr><th scope=\"row\">",
             E(title == titles.end() ? s.credential_id() : title->second), "</th><td>");
      if (working) {
        Append(&out, "<a href=\"", E(LangUrl(ctx, "/s/" + s.share_id())), "\">/s/",
               E(s.share_id().substr(0, 8)), "…</a>");
      } else {
        out += "—";
      }
      Append(&out, "</td><td>", E(FormatDate(ctx.lang, s.created_at_ms())), "</td><td>",
             T(ctx, working ? "share.working" : "share.withdrawn"), "</td><td>");
      if (working) {
        Append(&out, "<form method=\"post\" action=\"", FormAction(ctx, "/learner/shares/withdraw"),
               "\"><input type=\"hidden\" name=\"share_id\" value=\"", E(s.share_id()),
               "\"><button type=\"submit\" class=\"button danger small\">",
               T(ctx, "share.withdraw"), "</button></form>");
      }
      out += "</td></tr>";
    }
    out += "</tbody></table></div>";
  }
  out += "</section>\n";
  return Layout(ctx, Tr(ctx.lang, "learner.title"), out);
}

std::string InstitutionPage(const PageContext& ctx, const InstitutionFacts& facts,
                            const std::optional<catalogue::v1::ProviderProfile>& profile) {
  std::string out = strings::Cat("<h1>", E(facts.legal_name), "</h1>\n<p class=\"lead\">",
                                 T(ctx, "institution.lead"), "</p>\n");
  Append(&out, "<section class=\"card\" aria-labelledby=\"registry\"><h2 id=\"registry\">",
         T(ctx, "institution.registry"), "</h2>\n<table class=\"elements\"><tbody>");
  Row(out, T(ctx, "provider.type"),
      EnumText(ctx, common::v1::ProviderType_Name(facts.provider_type)));
  std::string country = E(CountryName(ctx.lang, facts.country));
  if (!facts.region.empty()) Append(&country, " (", E(facts.region), ")");
  Row(out, T(ctx, "provider.country"), country);
  if (!facts.deqar_id.empty()) Row(out, T(ctx, "provider.deqar"), E(facts.deqar_id));
  Row(out, T(ctx, "institution.issuer_id"), strings::Cat("<code>", E(facts.issuer_url), "</code>"));
  if (!facts.did.empty()) {
    Row(out, T(ctx, "institution.did"), strings::Cat("<code>", E(facts.did), "</code>"));
  }
  std::string keys = ExternalLink(facts.issuer_url + "/jwks.json", T(ctx, "institution.jwks"));
  if (!facts.did.empty()) {
    Append(&keys, " · ",
           ExternalLink(facts.issuer_url + "/did.json", T(ctx, "institution.did_document")));
  }
  Row(out, T(ctx, "institution.keys"), keys);
  out += "</tbody></table></section>\n";
  Append(&out, "<p><a class=\"button secondary\" href=\"",
         E(LangUrl(ctx, "/catalogue", {{"provider", facts.institution_id}})), "\">",
         T(ctx, "institution.offers"), "</a></p>\n");
  if (profile)
    out += ProviderSection(ctx, {.institution_id = facts.institution_id, .profile = profile});
  return Layout(ctx, facts.legal_name, out);
}

std::string ShareGonePage(const PageContext& ctx) {
  return Layout(
      ctx, Tr(ctx.lang, "share.gone.title"),
      strings::Cat(
          "<h1>", T(ctx, "verify.result"),
          "</h1><div class=\"banner banner-bad\" "
          "role=\"status\" id=\"verdict\" data-verdict=\"gone\"><span class=\"banner-symbol\" "
          "aria-hidden=\"true\">✗</span><div><p class=\"banner-title\">",
          T(ctx, "share.gone.title"), "</p><p class=\"banner-detail\">", T(ctx, "share.gone"),
          "</p></div></div>\n<p><a class=\"button secondary\" href=\"", E(LangUrl(ctx, "/verify")),
          "\">", T(ctx, "nav.verify"), "</a></p>"));
}

std::string ErrorPage(const PageContext& ctx, int http_status, std::string_view message) {
  std::string_view key = "error.internal";
  if (http_status == 400) key = "error.bad_request";
  if (http_status == 403) key = "error.forbidden";
  if (http_status == 404) key = "error.not_found";
  return Layout(
      ctx, Tr(ctx.lang, key),
      strings::Cat("<h1>", T(ctx, key), "</h1><div class=\"notice error\" role=\"alert\"><p>",
                   E(message), "</p></div><p><a class=\"button secondary\" href=\"",
                   E(LangUrl(ctx, "/catalogue")), "\">", T(ctx, "error.home"), "</a></p>"));
}

}  // namespace microcred::web
