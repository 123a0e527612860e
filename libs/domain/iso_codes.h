// The ISO code tables the domain checks against: countries (ISO 3166-1 alpha-2) and
// languages (ISO 639-1). The tables are embedded (no I/O), sorted, and frozen at the versions
// named below; a code assigned later needs a source change here.
//
// Thread-safe.
#ifndef MICROCRED_LIBS_DOMAIN_ISO_CODES_H_
#define MICROCRED_LIBS_DOMAIN_ISO_CODES_H_

#include <span>
#include <string_view>

namespace microcred::domain {

// The 249 officially assigned ISO 3166-1 alpha-2 codes (as of the 2024 edition: the same list
// as Debian's iso-codes 4.15). Exceptionally or user-assigned codes that the EU sometimes uses
// (EL, UK, XK, EU) are not assigned codes and are refused.
std::span<const std::string_view> IsoCountryCodes();

// The 183 ISO 639-1 codes in force (bh, withdrawn in 2021, is not included; neither is the
// deprecated sh).
std::span<const std::string_view> IsoLanguageCodes();

// True when `code` is exactly an assigned upper-case alpha-2 country code ("BE", not "be").
bool IsIsoCountryCode(std::string_view code);

// True when `code` is exactly a lower-case ISO 639-1 code ("fr", not "FR" nor "fra").
bool IsIsoLanguageCode(std::string_view code);

// True when `code` has the shape of an ISO 3166-2 subdivision code of `country`: the country
// code, a hyphen, then one to three upper-case letters or digits ("BE-WAL", "FR-75C"). The
// subdivision part is checked for shape only, not against the (large, often revised) list of
// subdivisions.
bool IsIsoSubdivisionCodeOf(std::string_view code, std::string_view country);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_ISO_CODES_H_
