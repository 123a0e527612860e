// The one escaping helper of the public web pages: every text that comes from data (the
// catalogue, a credential, a query, a report) goes into HTML through Escape, and into a URL
// query through UrlEncode. Pure; thread-safe.
#ifndef MICROCRED_SERVICES_PUBLIC_WEB_HTML_H_
#define MICROCRED_SERVICES_PUBLIC_WEB_HTML_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace microcred::web {

// `text` as HTML text or a quoted attribute value: & < > " ' escaped; a byte sequence that is
// not UTF-8 becomes U+FFFD, and control characters other than tab and newline are dropped.
std::string Escape(std::string_view text);

// `text` percent-encoded for a URL query value or path segment (RFC 3986 unreserved kept).
std::string UrlEncode(std::string_view text);

// Query parameters in their order; a name may repeat ("eqf=6&eqf=7").
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// "?a=1&b=2" (Escape it before putting it in an attribute), or "" when `params` is empty.
std::string QueryString(const QueryParams& params);

}  // namespace microcred::web

#endif  // MICROCRED_SERVICES_PUBLIC_WEB_HTML_H_
