#include "libs/domain/policy_profile.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"
#include "libs/base/strings.h"
#include "libs/domain/builtin_profiles.h"
#include "libs/domain/field_rules.h"
#include "libs/domain/recommendation_profile.h"
#include "libs/domain/text.h"

namespace microcred::domain {

using strings::Cat;

namespace {

using common::v1::PolicyRules;
using common::v1::ProviderType;
using Json = nlohmann::json;

constexpr std::string_view kErrorPrefix = "policy profile: ";
constexpr std::string_view kRulesPrefix = "rules.";
constexpr std::string_view kProviderTypeRule =
    "must be a ProviderType name other than UNSPECIFIED, e.g. \"PROVIDER_TYPE_HIGHER_EDUCATION\"";
constexpr std::string_view kNameRule = "must be a string of 1 to 32 characters from [a-z0-9-]";
constexpr std::string_view kMinEctsRule = "must be a finite number >= 0";

absl::Status ProfileError(std::string_view prefix, std::string_view key, std::string_view what) {
  return absl::InvalidArgumentError(Cat(prefix, key, ": ", what));
}

absl::Status ProfileError(std::string_view key, std::string_view what) {
  return ProfileError(kErrorPrefix, key, what);
}

bool IsProfileName(std::string_view name) {
  return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// The provider types of a JSON array into `out`, by enum value name. Whether each may stand
// there (not UNSPECIFIED, no duplicate) is Validate's.
absl::Status ReadProviderTypes(const Json& value, std::string_view key,
                               google::protobuf::RepeatedField<int>* out) {
  if (!value.is_array()) return ProfileError(key, "must be an array of provider type names");
  for (size_t i = 0; i < value.size(); ++i) {
    ProviderType type = common::v1::PROVIDER_TYPE_UNSPECIFIED;
    if (!value[i].is_string() ||
        !common::v1::ProviderType_Parse(value[i].get_ref<const std::string&>(), &type)) {
      return ProfileError(Cat(key, "[", i, "]"), kProviderTypeRule);
    }
    out->Add(type);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::set<ProviderType>> CheckProviderTypes(
    const google::protobuf::RepeatedField<int>& values, std::string_view prefix,
    std::string_view key) {
  std::set<ProviderType> types;
  for (int i = 0; i < values.size(); ++i) {
    const std::string element_key = Cat(key, "[", i, "]");
    const int value = values.Get(i);
    if (!common::v1::ProviderType_IsValid(value) ||
        value == common::v1::PROVIDER_TYPE_UNSPECIFIED) {
      return ProfileError(prefix, element_key, kProviderTypeRule);
    }
    const auto type = static_cast<ProviderType>(value);
    if (!types.insert(type).second) {
      return ProfileError(prefix, element_key,
                          Cat("duplicates ", common::v1::ProviderType_Name(type)));
    }
  }
  return types;
}

// The JSON profile as rules, each key of the type its field has; the rules themselves are
// checked by Validate.
absl::StatusOr<PolicyRules> ReadJsonRules(const Json& json) {
  if (!json.is_object()) {
    return absl::InvalidArgumentError(Cat(kErrorPrefix, "must be a JSON object"));
  }
  static constexpr std::string_view kKeys[] = {"name",
                                               "description",
                                               "issuer_provider_types",
                                               "ects_provider_types",
                                               "protected_titles",
                                               "min_certificate_ects"};
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (std::find(std::begin(kKeys), std::end(kKeys), it.key()) == std::end(kKeys)) {
      return ProfileError(it.key(), "is not a known key");
    }
  }
  for (std::string_view key : kKeys) {
    if (key != "description" && !json.contains(key)) return ProfileError(key, "is required");
  }

  PolicyRules rules;
  const Json& name = json["name"];
  if (!name.is_string()) return ProfileError("name", kNameRule);
  rules.set_name(name.get<std::string>());

  if (json.contains("description")) {
    const Json& description = json["description"];
    if (!description.is_string()) return ProfileError("description", "must be a string");
    rules.set_description(description.get<std::string>());
  }

  if (absl::Status s = ReadProviderTypes(json["issuer_provider_types"], "issuer_provider_types",
                                         rules.mutable_issuer_provider_types());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadProviderTypes(json["ects_provider_types"], "ects_provider_types",
                                         rules.mutable_ects_provider_types());
      !s.ok()) {
    return s;
  }

  const Json& titles = json["protected_titles"];
  if (!titles.is_array()) return ProfileError("protected_titles", "must be an array of strings");
  for (size_t i = 0; i < titles.size(); ++i) {
    if (!titles[i].is_string())
      return ProfileError(Cat("protected_titles[", i, "]"), "must be a string");
    rules.add_protected_titles(titles[i].get<std::string>());
  }

  const Json& min_ects = json["min_certificate_ects"];
  if (!min_ects.is_number()) return ProfileError("min_certificate_ects", kMinEctsRule);
  rules.set_min_certificate_ects(min_ects.get<double>());
  return rules;
}

}  // namespace

absl::StatusOr<PolicyProfile> PolicyProfile::Named(std::string_view name) {
  for (const internal::BuiltinProfileJson& builtin : internal::BuiltinProfileJsons()) {
    if (builtin.name != name) continue;
    absl::StatusOr<PolicyProfile> profile = FromJson(builtin.json);
    // The built-in files are tested; a failure here means a broken build, not bad input.
    if (!profile.ok()) {
      return absl::InternalError(
          Cat("built-in policy profile \"", name, "\" is broken: ", profile.status().message()));
    }
    if (profile->name() != name) {
      return absl::InternalError(Cat("built-in policy profile file \"", name, ".json\" is named \"",
                                     profile->name(), "\""));
    }
    return profile;
  }
  return absl::NotFoundError(Cat("policy profile \"", name, "\" is not built in (",
                                 absl::StrJoin(BuiltinNames(), ", "), ")"));
}

std::vector<std::string> PolicyProfile::BuiltinNames() {
  std::vector<std::string> names;
  for (const internal::BuiltinProfileJson& builtin : internal::BuiltinProfileJsons()) {
    names.emplace_back(builtin.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<PolicyProfile> PolicyProfile::FromJson(std::string_view json_text) {
  // nlohmann reports syntax errors only by exception; it is caught here so that none crosses
  // this function.
  Json json;
  try {
    json = Json::parse(json_text);
  } catch (const Json::exception& e) {
    return absl::InvalidArgumentError(Cat(kErrorPrefix, "not valid JSON: ", e.what()));
  }
  absl::StatusOr<PolicyRules> rules = ReadJsonRules(json);
  if (!rules.ok()) return rules.status();
  return Validate(*rules, kErrorPrefix);
}

absl::StatusOr<PolicyProfile> PolicyProfile::FromRules(const PolicyRules& rules) {
  return Validate(rules, kRulesPrefix);
}

absl::StatusOr<PolicyProfile> PolicyProfile::Validate(const PolicyRules& rules,
                                                      std::string_view prefix) {
  PolicyProfile profile;

  if (!IsProfileName(rules.name())) return ProfileError(prefix, "name", kNameRule);
  profile.name_ = rules.name();
  profile.description_ = rules.description();

  absl::StatusOr<std::set<ProviderType>> issuers =
      CheckProviderTypes(rules.issuer_provider_types(), prefix, "issuer_provider_types");
  if (!issuers.ok()) return issuers.status();
  if (issuers->empty()) {
    return ProfileError(prefix, "issuer_provider_types", "must list at least one provider type");
  }
  profile.issuer_types_ = *std::move(issuers);

  absl::StatusOr<std::set<ProviderType>> ects =
      CheckProviderTypes(rules.ects_provider_types(), prefix, "ects_provider_types");
  if (!ects.ok()) return ects.status();
  profile.ects_types_ = *std::move(ects);

  std::map<std::string, std::string> seen;  // folded -> as written, to name the duplicate
  for (int i = 0; i < rules.protected_titles_size(); ++i) {
    const std::string key = Cat("protected_titles[", i, "]");
    const std::string& title = rules.protected_titles(i);
    absl::Status text_ok =
        ValidateText(title, key, {.required = true, .max_chars = 255, .single_line = true});
    if (!text_ok.ok()) return absl::InvalidArgumentError(Cat(prefix, text_ok.message()));
    std::vector<std::string> words = FoldToWords(title);
    if (words.empty()) return ProfileError(prefix, key, "must contain a letter or digit");
    auto [it, inserted] = seen.emplace(absl::StrJoin(words, " "), title);
    if (!inserted) {
      return ProfileError(
          prefix, key,
          Cat("\"", title, "\" duplicates \"", it->second, "\" once case and accents are ignored"));
    }
    profile.protected_titles_.push_back({title, std::move(words)});
  }

  const double min_ects = rules.min_certificate_ects();
  if (!std::isfinite(min_ects) || min_ects < 0) {
    return ProfileError(prefix, "min_certificate_ects", kMinEctsRule);
  }
  profile.min_certificate_ects_ = min_ects;
  return profile;
}

PolicyRules PolicyProfile::ToRules() const {
  PolicyRules rules;
  rules.set_name(name_);
  rules.set_description(description_);
  for (ProviderType type : issuer_types_) rules.add_issuer_provider_types(type);
  for (ProviderType type : ects_types_) rules.add_ects_provider_types(type);
  for (const ProtectedTitle& title : protected_titles_)
    rules.add_protected_titles(title.as_written);
  rules.set_min_certificate_ects(min_certificate_ects_);
  return rules;
}

bool PolicyProfile::MayIssue(ProviderType type) const { return issuer_types_.contains(type); }

bool PolicyProfile::MayAwardEcts(ProviderType type) const { return ects_types_.contains(type); }

std::vector<std::string> PolicyProfile::protected_titles() const {
  std::vector<std::string> titles;
  titles.reserve(protected_titles_.size());
  for (const ProtectedTitle& title : protected_titles_) titles.push_back(title.as_written);
  return titles;
}

std::optional<std::string> PolicyProfile::FindProtectedTitle(std::string_view title) const {
  if (protected_titles_.empty()) return std::nullopt;
  const std::vector<std::string> words = FoldToWords(title);
  for (size_t start = 0; start < words.size(); ++start) {
    const ProtectedTitle* best = nullptr;
    for (const ProtectedTitle& candidate : protected_titles_) {
      const std::vector<std::string>& needle = candidate.folded_words;
      if (needle.size() > words.size() - start) continue;
      if (!std::equal(needle.begin(), needle.end(), words.begin() + start)) continue;
      if (best == nullptr || needle.size() > best->folded_words.size()) best = &candidate;
    }
    if (best != nullptr) return best->as_written;
  }
  return std::nullopt;
}

std::string ProviderTypeLabel(ProviderType type) {
  constexpr std::string_view kPrefix = "PROVIDER_TYPE_";
  const std::string& name = common::v1::ProviderType_Name(type);
  if (name.empty()) return Cat(static_cast<int>(type));
  if (name.starts_with(kPrefix)) return name.substr(kPrefix.size());
  return name;
}

const PolicyProfile& RecommendationProfile() {
  // The built-in files are tested; Named fails only in a broken build.
  static const auto* const eu = new PolicyProfile(*PolicyProfile::Named("eu"));
  return *eu;
}

}  // namespace microcred::domain
