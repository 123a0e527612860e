// CatalogueService: the catalogue's commands and queries for one institution's node.
//
// A command is checked by the catalogue rules against the current read model, sealed in a
// signed event, appended to the log (durable before anything else happens), and answered once
// this node's own projection has applied it, so a client reads its own writes. A refused command
// writes nothing. Every command carries a client request id: a retry returns the first answer and
// never appends a second event (the event id is derived from the request id, so even a retry
// racing a crash is applied once).
//
// Thread-safe: commands on different specifications run concurrently.
#ifndef MICROCRED_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
#define MICROCRED_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/caller.h"
#include "libs/consumer/projector.h"
#include "libs/domain/policy_profile.h"
#include "libs/events/envelope.h"
#include "microcred/catalogue/v1/catalogue.pb.h"
#include "services/catalogue/catalogue_projection.h"
#include "services/catalogue/catalogue_rules.h"
#include "services/catalogue/catalogue_state.h"

namespace microcred::catalogue {

struct CatalogueOptions {
  std::string node_id;
  std::vector<registry::TrustAnchor> trust_anchors;
  absl::Duration apply_timeout = absl::Seconds(30);
  std::function<void(const events::v1::DeadLetter&)> on_refusal;
  std::function<int64_t()> now_ms;  // the clock; system time when empty
};

class CatalogueService {
 public:
  // Loads (or rebuilds from the log) the read model and starts consuming. `signer` signs this
  // node's events for its institution; the references must outlive the service.
  static absl::StatusOr<std::unique_ptr<CatalogueService>> Start(
      EventLog& log, StateStore& store, const events::EnvelopeSigner& signer,
      const domain::PolicyProfile& profile, CatalogueOptions options);

  absl::StatusOr<v1::ProviderProfile> UpsertProviderProfile(
      const auth::Caller& caller, const v1::UpsertProviderProfileRequest& request);
  absl::StatusOr<v1::Specification> Publish(const auth::Caller& caller,
                                            const v1::PublishSpecificationRequest& request);
  absl::StatusOr<v1::Specification> Revise(const auth::Caller& caller,
                                           const v1::ReviseSpecificationRequest& request);
  absl::StatusOr<v1::Specification> Withdraw(const auth::Caller& caller,
                                             const v1::WithdrawSpecificationRequest& request);

  absl::StatusOr<v1::ProviderProfile> GetProviderProfile(
      const v1::GetProviderProfileRequest& request) const;
  absl::StatusOr<v1::Specification> Get(const v1::GetSpecificationRequest& request) const;
  absl::StatusOr<v1::SearchSpecificationsResponse> Search(
      const v1::SearchSpecificationsRequest& request) const;

  const std::string& institution_id() const { return signer_.institution_id(); }
  Projector& projector() { return *projector_; }

 private:
  CatalogueService(EventLog& log, StateStore& store, const events::EnvelopeSigner& signer,
                   const domain::PolicyProfile& profile, CatalogueOptions options);

  class CommandScope;  // holds the locks of one command

  absl::Status CheckCaller(const auth::Caller& caller) const;
  // The answer a retried request id already produced, if any.
  absl::StatusOr<std::optional<RequestRecord>> PriorRequest(const std::string& request_id,
                                                            const std::string& kind) const;
  // Seals, appends and waits until this node has applied the event.
  absl::Status Write(const google::protobuf::Message& event, const std::string& partition_key,
                     const std::string& request_id);
  RuleContext Rules() const;
  // Decides and writes a command's event given the specification's current state; returns the
  // version it leaves.
  using SpecificationWrite =
      std::function<absl::StatusOr<uint32_t>(const std::optional<v1::Specification>& current)>;
  // The frame of every specification command: the caller and the request id checked, the
  // specification's lock and the request id held, a retried request answered with its first
  // result, and the stored answer read back.
  absl::StatusOr<v1::Specification> RunSpecificationCommand(const auth::Caller& caller,
                                                            const std::string& request_id,
                                                            const std::string& spec_id,
                                                            const std::string& kind,
                                                            const SpecificationWrite& write);
  // A published version of this institution's specification, as a command proposes it.
  v1::Specification Proposal(const std::string& spec_id, uint32_t version,
                             const v1::SpecificationContent& content) const;
  // A stored version (0 = latest), showing the specification's current status.
  absl::StatusOr<v1::Specification> Stored(const std::string& spec_id, uint32_t version) const;
  absl::StatusOr<v1::ProviderProfile> StoredProfile(const std::string& institution) const;
  int64_t NowMs() const;

  EventLog& log_;
  StateStore& store_;
  const events::EnvelopeSigner& signer_;
  const domain::PolicyProfile& profile_;
  CatalogueOptions options_;
  CatalogueState state_;
  CatalogueProjection projection_;
  std::unique_ptr<Projector> projector_;

  static constexpr size_t kLockStripes = 64;
  std::array<std::mutex, kLockStripes> spec_locks_;
  std::mutex requests_mu_;
  std::set<std::string> requests_in_flight_;
};

}  // namespace microcred::catalogue

#endif  // MICROCRED_SERVICES_CATALOGUE_CATALOGUE_SERVICE_H_
