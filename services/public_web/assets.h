// The stylesheet, the script and the icon of the public pages, compiled in (assets/site.css,
// assets/site.js, assets/icon.svg) so that the node serves them itself: no CDN, no file at run
// time.
#ifndef MICROCRED_SERVICES_PUBLIC_WEB_ASSETS_H_
#define MICROCRED_SERVICES_PUBLIC_WEB_ASSETS_H_

#include <string_view>

namespace microcred::web {

std::string_view StyleSheet();
std::string_view Script();
std::string_view Icon();  // SVG

}  // namespace microcred::web

#endif  // MICROCRED_SERVICES_PUBLIC_WEB_ASSETS_H_
