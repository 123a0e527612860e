// Where the catalogue keeps its read model in the StateStore, and typed access to it.
//
//   catalogue/latest/<spec id>            the latest version (with its status)
//   catalogue/version/<spec id>/<v:010>   every version ever published, for frozen credentials
//   catalogue/provider/<institution>      provider profiles with their recognition policy
//   catalogue/request/<institution>/<id>  which command a client request id produced
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

// What a client request id produced: the command kind and the resource it touched.
struct RequestRecord {
  std::string kind;  // "publish", "revise", "withdraw", "profile"
  std::string resource_id;
  uint32_t version = 0;
};

class CatalogueState {
 public:
  explicit CatalogueState(StateStore& store) : store_(store) {}

  absl::StatusOr<std::optional<v1::Specification>> Latest(const std::string& spec_id) const;
  absl::StatusOr<std::optional<v1::Specification>> Version(const std::string& spec_id,
                                                           uint32_t version) const;
  absl::StatusOr<std::optional<v1::ProviderProfile>> Profile(const std::string& institution) const;
  absl::StatusOr<std::optional<RequestRecord>> Request(const std::string& institution,
                                                       const std::string& request_id) const;

  // Adds to `writes` what storing a new version of a specification means.
  static void PutSpecification(const v1::Specification& spec, WriteBatch& writes);
  // Adds to `writes` a status change of the latest version (withdrawal).
  static void PutLatest(const v1::Specification& spec, WriteBatch& writes);
  static void PutProfile(const v1::ProviderProfile& profile, WriteBatch& writes);
  static void PutRequest(const std::string& institution, const std::string& request_id,
                         const RequestRecord& record, WriteBatch& writes);

 private:
  StateStore& store_;
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_STATE_H_
