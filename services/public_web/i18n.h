// The two languages of the public web pages, English and French, and every text they show.
//
// A page's language is `?lang=fr|en` when given, else the first of the browser's
// Accept-Language that we have, else English. Texts are looked up by key (Tr); the closed lists
// of the catalogue and of issuance (assessment types, forms of participation, ...) are keyed
// by their proto enum value names, so "ASSESSMENT_TYPE_PROJECT" reads "Project" or "Projet".
// Pure; thread-safe.
#ifndef MICROCRED_SERVICES_PUBLIC_WEB_I18N_H_
#define MICROCRED_SERVICES_PUBLIC_WEB_I18N_H_

#include <string>
#include <string_view>

namespace microcred::web {

enum class Lang { kEn, kFr };

// "en" or "fr".
std::string_view Code(Lang lang);
// The other language: what the language switch offers.
Lang Other(Lang lang);

// `query_lang` ("fr", "en") wins; else the Accept-Language header's preferred language we have
// (q-values honoured); else English.
Lang ChooseLang(std::string_view query_lang, std::string_view accept_language);

// The text of `key` in `lang`; the key itself when there is none (so a missing text shows and
// a test can find it: HasText).
std::string_view Tr(Lang lang, std::string_view key);
bool HasText(std::string_view key);

// Names of codes the catalogue uses: ISO 3166-1 countries, ISO 639-1 languages and ISCED-F
// broad fields ("06"); the code itself when we have no name for it.
std::string CountryName(Lang lang, std::string_view code);
std::string LanguageName(Lang lang, std::string_view code);
std::string IscedBroadFieldName(Lang lang, std::string_view code);

}  // namespace microcred::web

#endif  // MICROCRED_SERVICES_PUBLIC_WEB_I18N_H_
