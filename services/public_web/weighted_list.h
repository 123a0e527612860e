// The lists an HTTP client weighs its preferences with (RFC 9110 §12.4.2): Accept ("text/html,
// application/json;q=0.9") and Accept-Language ("fr-BE,fr;q=0.9,en;q=0.8"). Pure; the callers
// choose among the values.
#ifndef MICROCRED_SERVICES_PUBLIC_WEB_WEIGHTED_LIST_H_
#define MICROCRED_SERVICES_PUBLIC_WEB_WEIGHTED_LIST_H_

#include <string>
#include <string_view>
#include <vector>

namespace microcred::web {

struct WeightedValue {
  std::string value;  // the member before its parameters, trimmed, as sent
  double q = 1;       // its "q" parameter; 1 when absent, 0 when not a number
};

// Every member of `header`, in order (an empty header gives one empty member).
std::vector<WeightedValue> ParseWeightedList(std::string_view header);

}  // namespace microcred::web

#endif  // MICROCRED_SERVICES_PUBLIC_WEB_WEIGHTED_LIST_H_
