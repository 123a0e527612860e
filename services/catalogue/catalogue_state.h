// Where the catalogue keeps its read model in the StateStore, and typed access to it.
//
//   catalogue/latest/<spec id>            the latest version (with its status)
//   catalogue/version/<spec id>/<v:010>   every version ever published, for frozen credentials
//   catalogue/provider/<institution>      provider profiles with their recognition policy
// and, written by the command path (libs/command/command_path.h) at the node that ran them:
//   catalogue/command/<institution>/<id>  what a client request id produced
//   catalogue/outbox/<event id>           an event committed and not yet applied here
#ifndef MICROCRED_SERVICES_CATALOGUE_CATALOGUE_STATE_H_
#define MICROCRED_SERVICES_CATALOGUE_CATALOGUE_STATE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/ports/state_store.h"
#include "microcred/catalogue/v1/catalogue.pb.h"

namespace microcred::catalogue {

inline constexpr char kStatePrefix[] = "catalogue";
inline constexpr char kLatestPrefix[] = "catalogue/latest/";

class CatalogueState {
 public:
  explicit CatalogueState(StateStore& store) : store_(store) {}

  absl::StatusOr<std::optional<v1::Specification>> Latest(const std::string& spec_id) const;
  absl::StatusOr<std::optional<v1::Specification>> Version(const std::string& spec_id,
                                                           uint32_t version) const;
  absl::StatusOr<std::optional<v1::ProviderProfile>> Profile(const std::string& institution) const;

  // Adds to `writes` what storing a new version of a specification means.
  static void PutSpecification(const v1::Specification& spec, WriteBatch& writes);
  // Adds to `writes` a status change of the latest version (withdrawal).
  static void PutLatest(const v1::Specification& spec, WriteBatch& writes);
  static void PutProfile(const v1::ProviderProfile& profile, WriteBatch& writes);

 private:
  StateStore& store_;
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_STATE_H_
