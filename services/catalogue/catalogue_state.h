// Where the catalogue keeps its read model in the StateStore, and typed access to it.
//
//   catalogue/latest/<spec id>            the latest version (with its status)
//   catalogue/version/<spec id>/<v:010>   every version ever published, for frozen credentials
//   catalogue/provider/<institution>/<ecosystem>
//                                         provider profiles with their recognition policy, one
//                                         per ecosystem the institution published one in
//   catalogue/provider/<institution>      (before ecosystems were recorded: the home's profile)
// and, written by the command path (libs/command/command_path.h) at the node that ran them:
//   catalogue/command/<institution>/<id>  what a client request id produced
//   catalogue/outbox/<event id>           an event committed and not yet applied here
#ifndef MICROCRED_SERVICES_CATALOGUE_CATALOGUE_STATE_H_
#define MICROCRED_SERVICES_CATALOGUE_CATALOGUE_STATE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/ports/state_store.h"
#include "microcred/catalogue/v1/catalogue.pb.h"

namespace microcred::catalogue {

inline constexpr char kStatePrefix[] = "catalogue";
inline constexpr char kLatestPrefix[] = "catalogue/latest/";

// Records stored before ecosystems were recorded state none: reads give them `home_ecosystem`
// (the node's home, the only ecosystem a node had then).
class CatalogueState {
 public:
  explicit CatalogueState(StateStore& store, std::string home_ecosystem = "")
      : store_(store), home_ecosystem_(std::move(home_ecosystem)) {}

  absl::StatusOr<std::optional<v1::Specification>> Latest(const std::string& spec_id) const;
  absl::StatusOr<std::optional<v1::Specification>> Version(const std::string& spec_id,
                                                           uint32_t version) const;
  // The profile `institution` published in `ecosystem`.
  absl::StatusOr<std::optional<v1::ProviderProfile>> Profile(const std::string& institution,
                                                             const std::string& ecosystem) const;
  // Every profile `institution` published, by ecosystem id.
  absl::StatusOr<std::vector<v1::ProviderProfile>> Profiles(const std::string& institution) const;
  // A stored record as read: its ecosystem filled in when it states none.
  void Complete(v1::Specification& spec) const;

  // Adds to `writes` what storing a new version of a specification means.
  static void PutSpecification(const v1::Specification& spec, WriteBatch& writes);
  // Adds to `writes` a status change of the latest version (withdrawal).
  static void PutLatest(const v1::Specification& spec, WriteBatch& writes);
  static void PutProfile(const v1::ProviderProfile& profile, WriteBatch& writes);

 private:
  StateStore& store_;
  const std::string home_ecosystem_;
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_STATE_H_
