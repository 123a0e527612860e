#include "libs/domain/versioning.h"

#include "libs/base/strings.h"

namespace microcred::domain {

using strings::Cat;

absl::StatusOr<uint32_t> NextVersion(std::string_view field, std::string_view id, uint32_t expected,
                                     std::optional<uint32_t> current) {
  if (expected == 0 && current.has_value()) {
    return absl::AlreadyExistsError(Cat(field, ": ", id, " exists at version ", *current,
                                        "; give that version to publish the next one"));
  }
  if (expected != 0 && !current.has_value()) {
    return absl::NotFoundError(
        Cat(field, ": ", id, " was never published; give 0 for a first publication"));
  }
  if (expected != 0 && expected != *current) {
    return absl::AbortedError(Cat(field, ": ", id, " is at version ", *current, ", not ", expected,
                                  "; reload it and publish again"));
  }
  return current.has_value() ? *current + 1 : 1;
}

}  // namespace microcred::domain
