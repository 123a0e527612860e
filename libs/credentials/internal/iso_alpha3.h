// The three-letter codes the EU authority tables (country, language) use as the last segment
// of their concept URIs: http://publications.europa.eu/resource/authority/country/BEL.
// Internal to libs/credentials.
#ifndef MICROCRED_LIBS_CREDENTIALS_INTERNAL_ISO_ALPHA3_H_
#define MICROCRED_LIBS_CREDENTIALS_INTERNAL_ISO_ALPHA3_H_

#include <string_view>

namespace microcred::credentials::internal {

// "BE" -> "BEL"; empty when `alpha2` is not an assigned ISO 3166-1 alpha-2 code.
std::string_view CountryAlpha3(std::string_view alpha2);

// "fr" -> "FRA" (ISO 639-2/T); empty when `alpha2` is not an ISO 639-1 code.
std::string_view LanguageAlpha3(std::string_view alpha2);

}  // namespace microcred::credentials::internal

#endif  // MICROCRED_LIBS_CREDENTIALS_INTERNAL_ISO_ALPHA3_H_
