// Identifiers: institution and ecosystem ids (used across the platform) and specification ids,
// which are
// "<institution_id>/<local_id>" so that the owner of a specification is readable from its id
// and two institutions can never mint the same id.
//
// Errors are INVALID_ARGUMENT and start with the field path the caller passes, e.g.
// `local_id: must be 1 to 64 characters from [a-z0-9-]`. Pure; thread-safe.
#ifndef MICROCRED_LIBS_DOMAIN_SPECIFICATION_ID_H_
#define MICROCRED_LIBS_DOMAIN_SPECIFICATION_ID_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace microcred::domain {

// An institution id is 2 to 64 characters from [a-z0-9.-] ("uclouvain", "he-vinci.be").
absl::Status ValidateInstitutionId(std::string_view institution_id,
                                   std::string_view field_path = "institution_id");

// An ecosystem id is 1 to 64 characters from [A-Za-z0-9._-] ("fwb", "eu-alliance").
absl::Status ValidateEcosystemId(std::string_view ecosystem_id,
                                 std::string_view field_path = "ecosystem_id");

// A local id is 1 to 64 characters from [a-z0-9-] ("data-literacy-101").
absl::Status ValidateLocalId(std::string_view local_id, std::string_view field_path = "local_id");

// "<institution_id>/<local_id>". Does not validate: call the two validators first.
std::string MakeSpecificationId(std::string_view institution_id, std::string_view local_id);

struct SpecificationIdParts {
  std::string institution_id;
  std::string local_id;
};

// Splits a specification id at its only '/' and validates both parts.
absl::StatusOr<SpecificationIdParts> ParseSpecificationId(
    std::string_view specification_id, std::string_view field_path = "specification_id");

// The institution that owns `specification_id` (its part before the '/'), once the whole id
// has been validated.
absl::StatusOr<std::string> OwnerOf(std::string_view specification_id,
                                    std::string_view field_path = "specification_id");

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_SPECIFICATION_ID_H_
