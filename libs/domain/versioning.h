// Optimistic concurrency for versioned resources (recognition policies, pathways): the caller
// names the version it read (0: none, a first publication), and a publication applies only to
// that version. Pure; thread-safe.
#ifndef MICROCRED_LIBS_DOMAIN_VERSIONING_H_
#define MICROCRED_LIBS_DOMAIN_VERSIONING_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"

namespace microcred::domain {

// The version a publication of `id` gets: 1 when `expected` is 0 and there is none yet;
// `current` + 1 when `expected` is the current version. Otherwise, naming `field`:
// ALREADY_EXISTS (a first publication of an existing id), NOT_FOUND (a revision of an id never
// published), ABORTED (a revision of a version that is no longer current: reload and retry).
absl::StatusOr<uint32_t> NextVersion(std::string_view field, std::string_view id, uint32_t expected,
                                     std::optional<uint32_t> current);

}  // namespace microcred::domain

#endif  // MICROCRED_LIBS_DOMAIN_VERSIONING_H_
