// The public catalogue page's query string and the catalogue's search request, both ways.
//
//   q=<text>  ects_min=<n>  ects_max=<n>  page=<token>
//   one parameter per facet of SearchSpecifications, repeatable (any value matches):
//   assessment=ASSESSMENT_TYPE_PROJECT  country=BE  credit_bearing=true  ecosystem=fwb  eqf=7
//   form=FORM_OF_PARTICIPATION_ONLINE  isced=06  language=fr  provider=uclouvain
//   provider_type=PROVIDER_TYPE_HIGHER_EDUCATION  stackable=true
//
// `lang` (the page's language) and unknown parameters are ignored; empty values are ignored
// (a form's empty ECTS fields). A value that is not one the facet can take is INVALID_ARGUMENT
// naming the parameter. Pure; thread-safe.
#ifndef MICROCRED_SERVICES_PUBLIC_WEB_CATALOGUE_QUERY_H_
#define MICROCRED_SERVICES_PUBLIC_WEB_CATALOGUE_QUERY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "services/public_web/html.h"

namespace microcred::web {

inline constexpr int kCataloguePageSize = 20;

absl::StatusOr<catalogue::v1::SearchSpecificationsRequest> ParseCatalogueQuery(
    const QueryParams& params);

// The query parameter of a facet the search answers with ("eqf_level" -> "eqf"); empty for a
// facet the page does not filter on.
std::string_view FacetParameter(std::string_view facet_name);

// The search parameters of `params` (those ParseCatalogueQuery reads, without `page`), in order.
QueryParams SearchParameters(const QueryParams& params);

// `params` with `name`=`value` added, or removed when it is there; `page` is dropped.
QueryParams Toggle(const QueryParams& params, std::string_view name, std::string_view value);

bool Has(const QueryParams& params, std::string_view name, std::string_view value);
// The first value of `name`, or "".
std::string First(const QueryParams& params, std::string_view name);

}  // namespace microcred::web

#endif  // MICROCRED_SERVICES_PUBLIC_WEB_CATALOGUE_QUERY_H_
