#include "services/catalogue/catalogue_service.h"

#include <chrono>
#include <functional>

#include "libs/auth/roles.h"
#include "libs/domain/specification_id.h"
#include "libs/events/request_ids.h"
#include "libs/events/topics.h"
#include "services/catalogue/catalogue_rules.h"

namespace microcred::catalogue {

// Serialises commands on one specification (a stripe of them) and refuses a request id that is
// already being processed, so two concurrent retries cannot both pass the dedup check.
class CatalogueService::CommandScope {
 public:
  CommandScope(CatalogueService& service, const std::string& request_id,
               const std::string& resource_id)
      : service_(service),
        request_id_(request_id),
        lock_(service.spec_locks_[std::hash<std::string>{}(resource_id) % kLockStripes]) {
    std::lock_guard guard(service_.requests_mu_);
    claimed_ = service_.requests_in_flight_.insert(request_id_).second;
  }
  ~CommandScope() {
    if (!claimed_) return;
    std::lock_guard guard(service_.requests_mu_);
    service_.requests_in_flight_.erase(request_id_);
  }
  absl::Status status() const {
    if (claimed_) return absl::OkStatus();
    return absl::AbortedError("request_id: the same request is already being processed; retry");
  }

 private:
  CatalogueService& service_;
  const std::string request_id_;
  std::lock_guard<std::mutex> lock_;
  bool claimed_ = false;
};

CatalogueService::CatalogueService(EventLog& log, StateStore& store,
                                   const events::EnvelopeSigner& signer,
                                   const domain::PolicyProfile& profile, CatalogueOptions options)
    : log_(log),
      store_(store),
      signer_(signer),
      profile_(profile),
      options_(std::move(options)),
      state_(store),
      projection_(profile) {}

absl::StatusOr<std::unique_ptr<CatalogueService>> CatalogueService::Start(
    EventLog& log, StateStore& store, const events::EnvelopeSigner& signer,
    const domain::PolicyProfile& profile, CatalogueOptions options) {
  std::unique_ptr<CatalogueService> service(
      new CatalogueService(log, store, signer, profile, std::move(options)));
  service->projector_ = std::make_unique<Projector>(
      log, store, service->projection_, ProjectorOptionsOf(service->options_, signer.sealed()));
  if (absl::Status s = service->projector_->Start(); !s.ok()) return s;
  return service;
}

int64_t CatalogueService::NowMs() const {
  if (options_.now_ms) return options_.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

RuleContext CatalogueService::Rules() const {
  return RuleContext{
      .profile = profile_,
      .lookup = [this](const std::string& id) -> std::optional<domain::InstitutionFacts> {
        std::optional<registry::v1::Member> member = projector_->FindMember(id);
        if (!member) return std::nullopt;
        return domain::InstitutionFactsFromMember(*member);
      }};
}

absl::Status CatalogueService::CheckCaller(const auth::Caller& caller) const {
  if (caller.institution_id != institution_id()) {
    return absl::PermissionDeniedError("caller: this node writes only for institution " +
                                       institution_id() + "; the token is for " +
                                       caller.institution_id);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<RequestRecord>> CatalogueService::PriorRequest(
    const std::string& request_id, const std::string& kind) const {
  auto prior = state_.Request(institution_id(), request_id);
  if (!prior.ok() || !prior->has_value()) return prior;
  if ((*prior)->kind != kind) {
    return absl::FailedPreconditionError("request_id: " + request_id + " was already used for a " +
                                         (*prior)->kind + " command");
  }
  return prior;
}

absl::Status CatalogueService::Write(const google::protobuf::Message& event,
                                     const std::string& partition_key,
                                     const std::string& request_id) {
  std::string sealed =
      signer_.Seal(event, {.partition_key = partition_key,
                           .request_id = request_id,
                           .event_id = events::EventIdForRequest(institution_id(), request_id),
                           .occurred_at_ms = NowMs()});
  auto appended = log_.Append({topics::kCatalogue, partition_key, std::move(sealed)});
  if (!appended.ok()) return appended.status();
  if (absl::Status s =
          projector_->WaitApplied(topics::kCatalogue, *appended, options_.apply_timeout);
      !s.ok()) {
    return s;
  }
  auto applied = state_.Request(institution_id(), request_id);
  if (!applied.ok()) return applied.status();
  if (!applied->has_value()) {
    return absl::InternalError(
        "the event was written but this node's projection refused it; "
        "see the dead-letter topic");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ProviderProfile> CatalogueService::UpsertProviderProfile(
    const auth::Caller& caller, const v1::UpsertProviderProfileRequest& request) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (absl::Status s = events::ValidateRequestId(request.request_id()); !s.ok()) return s;
  CommandScope scope(*this, request.request_id(), "profile");
  if (!scope.status().ok()) return scope.status();
  auto prior = PriorRequest(request.request_id(), "profile");
  if (!prior.ok()) return prior.status();
  if (!prior->has_value()) {
    std::optional<registry::v1::Member> member = projector_->FindMember(institution_id());
    auto decided =
        DecideProfile(request.profile(), {institution_id(), NowMs()}, member ? &*member : nullptr);
    if (!decided.ok()) return decided.status();
    v1::ProviderProfileUpdated event;
    *event.mutable_profile() = *decided;
    if (absl::Status s = Write(event, institution_id(), request.request_id()); !s.ok()) return s;
  }
  return StoredProfile(institution_id());
}

absl::StatusOr<v1::Specification> CatalogueService::RunSpecificationCommand(
    const auth::Caller& caller, const std::string& request_id, const std::string& spec_id,
    const std::string& kind, const SpecificationWrite& write) {
  if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
  if (absl::Status s = events::ValidateRequestId(request_id); !s.ok()) return s;
  if (auto parsed = domain::ParseSpecificationId(spec_id); !parsed.ok()) return parsed.status();
  CommandScope scope(*this, request_id, spec_id);
  if (!scope.status().ok()) return scope.status();
  auto prior = PriorRequest(request_id, kind);
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) return Stored((*prior)->resource_id, (*prior)->version);
  auto current = state_.Latest(spec_id);
  if (!current.ok()) return current.status();
  auto version = write(*current);
  if (!version.ok()) return version.status();
  return Stored(spec_id, *version);
}

v1::Specification CatalogueService::Proposal(const std::string& spec_id, uint32_t version,
                                             const v1::SpecificationContent& content) const {
  v1::Specification proposed;
  proposed.set_specification_id(spec_id);
  proposed.set_version(version);
  proposed.set_owner_institution(institution_id());
  proposed.set_status(v1::SPECIFICATION_STATUS_PUBLISHED);
  *proposed.mutable_content() = content;
  return proposed;
}

absl::StatusOr<v1::Specification> CatalogueService::Publish(
    const auth::Caller& caller, const v1::PublishSpecificationRequest& request) {
  std::string local_id = request.local_id();
  if (local_id.empty()) {
    local_id = events::EventIdForRequest(institution_id(), request.request_id()).substr(0, 12);
  }
  if (absl::Status s = domain::ValidateLocalId(local_id); !s.ok()) return s;
  const std::string spec_id = domain::MakeSpecificationId(institution_id(), local_id);
  return RunSpecificationCommand(
      caller, request.request_id(), spec_id, "publish",
      [&](const std::optional<v1::Specification>& current) -> absl::StatusOr<uint32_t> {
        auto decided = DecidePublish(Proposal(spec_id, 1, request.content()),
                                     {institution_id(), NowMs()}, current, Rules());
        if (!decided.ok()) return decided.status();
        v1::SpecificationPublished event;
        *event.mutable_specification() = *decided;
        if (absl::Status s = Write(event, spec_id, request.request_id()); !s.ok()) return s;
        return decided->version();
      });
}

absl::StatusOr<v1::Specification> CatalogueService::Revise(
    const auth::Caller& caller, const v1::ReviseSpecificationRequest& request) {
  const std::string& spec_id = request.specification_id();
  return RunSpecificationCommand(
      caller, request.request_id(), spec_id, "revise",
      [&](const std::optional<v1::Specification>& current) -> absl::StatusOr<uint32_t> {
        if (current.has_value() && request.expected_version() != current->version()) {
          return absl::AbortedError("expected_version: the specification is at version " +
                                    std::to_string(current->version()) + ", not " +
                                    std::to_string(request.expected_version()) +
                                    "; reload it and revise again");
        }
        const uint32_t version = current.has_value() ? current->version() + 1 : 1;
        auto decided = DecideRevise(Proposal(spec_id, version, request.content()),
                                    {institution_id(), NowMs()}, current, Rules());
        if (!decided.ok()) return decided.status();
        v1::SpecificationRevised event;
        *event.mutable_specification() = *decided;
        if (absl::Status s = Write(event, spec_id, request.request_id()); !s.ok()) return s;
        return decided->version();
      });
}

absl::StatusOr<v1::Specification> CatalogueService::Withdraw(
    const auth::Caller& caller, const v1::WithdrawSpecificationRequest& request) {
  const std::string& spec_id = request.specification_id();
  return RunSpecificationCommand(
      caller, request.request_id(), spec_id, "withdraw",
      [&](const std::optional<v1::Specification>& current) -> absl::StatusOr<uint32_t> {
        v1::SpecificationWithdrawn event;
        event.set_specification_id(spec_id);
        event.set_version(current.has_value() ? current->version() : 0);
        event.set_reason(request.reason());
        auto decided = DecideWithdraw(event, {institution_id(), NowMs()}, current);
        if (!decided.ok()) return decided.status();
        if (absl::Status s = Write(event, spec_id, request.request_id()); !s.ok()) return s;
        return decided->version();
      });
}

absl::StatusOr<v1::ProviderProfile> CatalogueService::GetProviderProfile(
    const v1::GetProviderProfileRequest& request) const {
  if (absl::Status s = domain::ValidateInstitutionId(request.institution_id()); !s.ok()) return s;
  return StoredProfile(request.institution_id());
}

absl::StatusOr<v1::ProviderProfile> CatalogueService::StoredProfile(
    const std::string& institution) const {
  auto profile = state_.Profile(institution);
  if (!profile.ok()) return profile.status();
  if (!profile->has_value()) {
    return absl::NotFoundError("institution_id: " + institution + " has published no profile");
  }
  return **profile;
}

absl::StatusOr<v1::Specification> CatalogueService::Get(
    const v1::GetSpecificationRequest& request) const {
  if (auto parsed = domain::ParseSpecificationId(request.specification_id()); !parsed.ok()) {
    return parsed.status();
  }
  return Stored(request.specification_id(), request.version());
}

absl::StatusOr<v1::Specification> CatalogueService::Stored(const std::string& spec_id,
                                                           uint32_t version) const {
  auto latest = state_.Latest(spec_id);
  if (!latest.ok()) return latest.status();
  if (!latest->has_value()) {
    return absl::NotFoundError("specification_id: " + spec_id + " is not in the catalogue");
  }
  if (version == 0 || version == (*latest)->version()) return **latest;
  auto stored = state_.Version(spec_id, version);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return absl::NotFoundError("version: " + spec_id + " has no version " +
                               std::to_string(version) + "; the latest is " +
                               std::to_string((*latest)->version()));
  }
  // An earlier version keeps its frozen content but shows the specification's current status.
  v1::Specification spec = **stored;
  spec.set_status((*latest)->status());
  spec.set_withdrawal_reason((*latest)->withdrawal_reason());
  return spec;
}

absl::StatusOr<v1::SearchSpecificationsResponse> CatalogueService::Search(
    const v1::SearchSpecificationsRequest& request) const {
  return projection_.index().Search(request);
}

}  // namespace microcred::catalogue
