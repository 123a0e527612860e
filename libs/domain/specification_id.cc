#include "libs/domain/specification_id.h"

#include <algorithm>

#include "libs/base/strings.h"

namespace microcred::domain {

using strings::Cat;

namespace {

bool IsLowerOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

absl::Status ValidateInstitutionId(std::string_view institution_id, std::string_view field_path) {
  const bool well_formed = institution_id.size() >= 2 && institution_id.size() <= 64 &&
                           std::all_of(institution_id.begin(), institution_id.end(), [](char c) {
                             return IsLowerOrDigit(c) || c == '.' || c == '-';
                           });
  if (well_formed) return absl::OkStatus();
  if (institution_id.empty()) return absl::InvalidArgumentError(Cat(field_path, ": is required"));
  return absl::InvalidArgumentError(
      Cat(field_path, ": \"", institution_id,
          "\" is not an institution id (2 to 64 characters from [a-z0-9.-])"));
}

absl::Status ValidateEcosystemId(std::string_view ecosystem_id, std::string_view field_path) {
  const bool well_formed =
      !ecosystem_id.empty() && ecosystem_id.size() <= 64 &&
      std::all_of(ecosystem_id.begin(), ecosystem_id.end(), [](char c) {
        return IsLowerOrDigit(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-';
      });
  if (well_formed) return absl::OkStatus();
  if (ecosystem_id.empty()) return absl::InvalidArgumentError(Cat(field_path, ": is required"));
  return absl::InvalidArgumentError(
      Cat(field_path, ": \"", ecosystem_id,
          "\" is not an ecosystem id (1 to 64 characters from [A-Za-z0-9._-])"));
}

absl::Status ValidateLocalId(std::string_view local_id, std::string_view field_path) {
  const bool well_formed = !local_id.empty() && local_id.size() <= 64 &&
                           std::all_of(local_id.begin(), local_id.end(),
                                       [](char c) { return IsLowerOrDigit(c) || c == '-'; });
  if (well_formed) return absl::OkStatus();
  if (local_id.empty()) return absl::InvalidArgumentError(Cat(field_path, ": is required"));
  return absl::InvalidArgumentError(Cat(
      field_path, ": \"", local_id, "\" is not a local id (1 to 64 characters from [a-z0-9-])"));
}

std::string MakeSpecificationId(std::string_view institution_id, std::string_view local_id) {
  return Cat(institution_id, "/", local_id);
}

absl::StatusOr<SpecificationIdParts> ParseSpecificationId(std::string_view specification_id,
                                                          std::string_view field_path) {
  if (specification_id.empty()) {
    return absl::InvalidArgumentError(Cat(field_path, ": is required"));
  }
  const size_t slash = specification_id.find('/');
  if (slash == std::string_view::npos) {
    return absl::InvalidArgumentError(
        Cat(field_path, ": \"", specification_id,
            "\" is not a specification id (<institution_id>/<local_id>)"));
  }
  // Neither part may hold a '/', so a second one shows up as an invalid local id.
  SpecificationIdParts parts{std::string(specification_id.substr(0, slash)),
                             std::string(specification_id.substr(slash + 1))};
  if (absl::Status s =
          ValidateInstitutionId(parts.institution_id, Cat(field_path, " (institution part)"));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateLocalId(parts.local_id, Cat(field_path, " (local part)")); !s.ok()) {
    return s;
  }
  return parts;
}

absl::StatusOr<std::string> OwnerOf(std::string_view specification_id,
                                    std::string_view field_path) {
  absl::StatusOr<SpecificationIdParts> parts = ParseSpecificationId(specification_id, field_path);
  if (!parts.ok()) return parts.status();
  return std::move(parts->institution_id);
}

}  // namespace microcred::domain
