#include "services/public_web/catalogue_query.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "libs/domain/classifications.h"
#include "libs/domain/iso_codes.h"
#include "libs/domain/specification_id.h"

namespace microcred::web {
namespace {

using catalogue::v1::SearchSpecificationsRequest;

struct FacetParam {
  std::string_view facet;
  std::string_view param;
};
constexpr FacetParam kFacetParams[] = {
    {"assessment_type", "assessment"},
    {"country", "country"},
    {"credit_bearing", "credit_bearing"},
    {"ecosystem", "ecosystem"},
    {"eqf_level", "eqf"},
    {"form_of_participation", "form"},
    {"isced_f_broad", "isced"},
    {"language", "language"},
    {"provider", "provider"},
    {"provider_type", "provider_type"},
    {"stackable", "stackable"},
};

bool IsSearchParameter(std::string_view name) {
  if (name == "q" || name == "ects_min" || name == "ects_max") return true;
  return std::any_of(std::begin(kFacetParams), std::end(kFacetParams),
                     [&](const FacetParam& f) { return f.param == name; });
}

absl::Status Invalid(std::string_view param, std::string_view why) {
  return absl::InvalidArgumentError(std::string(param) + ": " + std::string(why));
}

absl::StatusOr<double> Ects(std::string_view param, const std::string& value) {
  char* end = nullptr;
  const double number = std::strtod(value.c_str(), &end);
  if (end != value.c_str() + value.size() || !std::isfinite(number) || number < 0 ||
      number > 1000) {
    return Invalid(param, "a number of ECTS credits between 0 and 1000");
  }
  return number;
}

}  // namespace

std::string_view FacetParameter(std::string_view facet_name) {
  for (const FacetParam& f : kFacetParams) {
    if (f.facet == facet_name) return f.param;
  }
  return {};
}

absl::StatusOr<SearchSpecificationsRequest> ParseCatalogueQuery(const QueryParams& params) {
  SearchSpecificationsRequest request;
  request.set_page_size(kCataloguePageSize);
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    if (value.size() > 200) return Invalid(name, "at most 200 characters");
    if (name == "q") {
      if (!request.text().empty()) request.mutable_text()->append(" ");
      request.mutable_text()->append(value);
    } else if (name == "page") {
      request.set_page_token(value);
    } else if (name == "ects_min" || name == "ects_max") {
      auto ects = Ects(name, value);
      if (!ects.ok()) return ects.status();
      if (name == "ects_min") {
        request.mutable_ects()->set_min(*ects);
      } else {
        request.mutable_ects()->set_max(*ects);
      }
    } else if (name == "eqf") {
      if (value.size() != 1 || value[0] < '1' || value[0] > '8') {
        return Invalid(name, "an EQF level from 1 to 8");
      }
      request.add_eqf_levels(value[0] - '0');
    } else if (name == "assessment") {
      common::v1::AssessmentType type;
      if (!common::v1::AssessmentType_Parse(value, &type) ||
          type == common::v1::ASSESSMENT_TYPE_UNSPECIFIED) {
        return Invalid(name, "a type of assessment such as ASSESSMENT_TYPE_PROJECT");
      }
      request.add_assessment_types(type);
    } else if (name == "form") {
      common::v1::FormOfParticipation form;
      if (!common::v1::FormOfParticipation_Parse(value, &form) ||
          form == common::v1::FORM_OF_PARTICIPATION_UNSPECIFIED) {
        return Invalid(name, "a form of participation such as FORM_OF_PARTICIPATION_ONLINE");
      }
      request.add_forms_of_participation(form);
    } else if (name == "provider_type") {
      common::v1::ProviderType type;
      if (!common::v1::ProviderType_Parse(value, &type) ||
          type == common::v1::PROVIDER_TYPE_UNSPECIFIED) {
        return Invalid(name, "a provider type such as PROVIDER_TYPE_HIGHER_EDUCATION");
      }
      request.add_provider_types(type);
    } else if (name == "country") {
      if (!domain::IsIsoCountryCode(value)) return Invalid(name, "an ISO 3166-1 country code");
      request.add_countries(value);
    } else if (name == "language") {
      if (!domain::IsIsoLanguageCode(value)) return Invalid(name, "an ISO 639-1 language code");
      request.add_languages(value);
    } else if (name == "isced") {
      if (!domain::IsIscedFCode(value)) return Invalid(name, "an ISCED-F code such as 06");
      request.add_isced_f_codes(value);
    } else if (name == "provider") {
      if (!domain::ValidateInstitutionId(value, "provider").ok()) {
        return Invalid(name, "an institution id (2 to 64 characters from a-z 0-9 . -)");
      }
      request.add_providers(value);
    } else if (name == "ecosystem") {
      if (!domain::ValidateEcosystemId(value).ok()) {
        return Invalid(name, "an ecosystem id (1 to 64 characters from A-Z a-z 0-9 . _ -)");
      }
      request.add_ecosystems(value);
    } else if (name == "credit_bearing" || name == "stackable") {
      if (value != "true") return Invalid(name, "true or absent");
      if (name == "credit_bearing") {
        request.set_only_credit_bearing(true);
      } else {
        request.set_only_stackable(true);
      }
    }
  }
  if (request.ects().max() > 0 && request.ects().min() > request.ects().max()) {
    return Invalid("ects_min", "not more than ects_max");
  }
  return request;
}

QueryParams SearchParameters(const QueryParams& params) {
  QueryParams out;
  for (const auto& [name, value] : params) {
    if (IsSearchParameter(name) && !value.empty()) out.emplace_back(name, value);
  }
  return out;
}

QueryParams Toggle(const QueryParams& params, std::string_view name, std::string_view value) {
  QueryParams out;
  bool removed = false;
  for (const auto& [n, v] : SearchParameters(params)) {
    if (n == name && v == value) {
      removed = true;
      continue;
    }
    out.emplace_back(n, v);
  }
  if (!removed) out.emplace_back(std::string(name), std::string(value));
  return out;
}

bool Has(const QueryParams& params, std::string_view name, std::string_view value) {
  return std::any_of(params.begin(), params.end(),
                     [&](const auto& p) { return p.first == name && p.second == value; });
}

std::string First(const QueryParams& params, std::string_view name) {
  for (const auto& [n, v] : params) {
    if (n == name) return v;
  }
  return "";
}

}  // namespace microcred::web
