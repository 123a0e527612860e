#include "services/catalogue/catalogue_service.h"

#include <functional>

#include "libs/command/command_path.h"
#include "libs/domain/specification_id.h"
#include "libs/events/request_ids.h"
#include "libs/events/topics.h"
#include "services/catalogue/catalogue_rules.h"

namespace microcred::catalogue {

class CatalogueService::Impl {
 public:
  Impl(ServiceContext context, std::unique_ptr<CatalogueReadModel> read_model)
      : context_(std::move(context)),
        read_model_(std::move(read_model)),
        path_(context_, read_model_->projector()) {}

  absl::StatusOr<v1::ProviderProfile> UpsertProviderProfile(
      const auth::Caller& caller, const v1::UpsertProviderProfileRequest& request) {
    if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
    auto scope = path_.Begin(request.request_id(), institution());
    if (!scope.ok()) return scope.status();
    auto prior = path_.Replay(request.request_id(), "profile");
    if (!prior.ok()) return prior.status();
    if (!prior->has_value()) {
      std::optional<registry::v1::Member> member = read_model_->FindMember(institution());
      auto decided = DecideProfile(request.profile(), Now(), member ? &*member : nullptr);
      if (!decided.ok()) return decided.status();
      v1::ProviderProfileUpdated event;
      *event.mutable_profile() = *decided;
      command::CommandOutcome outcome;
      outcome.events.push_back(
          path_.Seal(topics::kCatalogue, institution(), request.request_id(), event));
      if (absl::Status s = path_.Write(std::move(outcome)); !s.ok()) return s;
    }
    return read_model_->StoredProfile(institution());
  }

  absl::StatusOr<v1::Specification> Publish(const auth::Caller& caller,
                                            const v1::PublishSpecificationRequest& request) {
    std::string local_id = request.local_id();
    if (local_id.empty()) {
      local_id = events::EventIdForRequest(institution(), request.request_id()).substr(0, 12);
    }
    if (absl::Status s = domain::ValidateLocalId(local_id); !s.ok()) return s;
    const std::string spec_id = domain::MakeSpecificationId(institution(), local_id);
    return RunSpecificationCommand(
        caller, request.request_id(), spec_id, "publish",
        [&](const std::optional<v1::Specification>& current) -> absl::StatusOr<Decided> {
          auto decided =
              DecidePublish(Proposal(spec_id, 1, request.content()), Now(), current, Rules());
          if (!decided.ok()) return decided.status();
          auto event = std::make_unique<v1::SpecificationPublished>();
          *event->mutable_specification() = *decided;
          return Decided{std::move(event), decided->version()};
        });
  }

  absl::StatusOr<v1::Specification> Revise(const auth::Caller& caller,
                                           const v1::ReviseSpecificationRequest& request) {
    const std::string& spec_id = request.specification_id();
    return RunSpecificationCommand(
        caller, request.request_id(), spec_id, "revise",
        [&](const std::optional<v1::Specification>& current) -> absl::StatusOr<Decided> {
          if (current.has_value() && request.expected_version() != current->version()) {
            return absl::AbortedError("expected_version: the specification is at version " +
                                      std::to_string(current->version()) + ", not " +
                                      std::to_string(request.expected_version()) +
                                      "; reload it and revise again");
          }
          const uint32_t version = current.has_value() ? current->version() + 1 : 1;
          auto decided =
              DecideRevise(Proposal(spec_id, version, request.content()), Now(), current, Rules());
          if (!decided.ok()) return decided.status();
          auto event = std::make_unique<v1::SpecificationRevised>();
          *event->mutable_specification() = *decided;
          return Decided{std::move(event), decided->version()};
        });
  }

  absl::StatusOr<v1::Specification> Withdraw(const auth::Caller& caller,
                                             const v1::WithdrawSpecificationRequest& request) {
    const std::string& spec_id = request.specification_id();
    return RunSpecificationCommand(
        caller, request.request_id(), spec_id, "withdraw",
        [&](const std::optional<v1::Specification>& current) -> absl::StatusOr<Decided> {
          auto event = std::make_unique<v1::SpecificationWithdrawn>();
          event->set_specification_id(spec_id);
          event->set_version(current.has_value() ? current->version() : 0);
          event->set_reason(request.reason());
          auto decided = DecideWithdraw(*event, Now(), current);
          if (!decided.ok()) return decided.status();
          return Decided{std::move(event), decided->version()};
        });
  }

  const std::string& institution() const { return context_.institution_id(); }
  CatalogueReadModel& read_model() { return *read_model_; }

 private:
  // What a specification command decided: its event, and the version it leaves.
  struct Decided {
    std::unique_ptr<google::protobuf::Message> event;
    uint32_t version = 0;
  };
  using Decide =
      std::function<absl::StatusOr<Decided>(const std::optional<v1::Specification>& current)>;

  // The frame of every specification command: the caller checked, the request id claimed and
  // the specification locked, a retry answered with its first result, the decision's event
  // written through the command path (the projection keeps the command's record), and the
  // stored answer read back.
  absl::StatusOr<v1::Specification> RunSpecificationCommand(const auth::Caller& caller,
                                                            const std::string& request_id,
                                                            const std::string& spec_id,
                                                            const std::string& kind,
                                                            const Decide& decide) {
    if (absl::Status s = CheckCaller(caller); !s.ok()) return s;
    auto scope = path_.Begin(request_id, spec_id);
    if (!scope.ok()) return scope.status();
    if (auto parsed = domain::ParseSpecificationId(spec_id); !parsed.ok()) return parsed.status();
    auto prior = path_.Replay(request_id, kind);
    if (!prior.ok()) return prior.status();
    if (prior->has_value())
      return read_model_->Stored((*prior)->resource_id(), (*prior)->version());
    auto current = read_model_->Latest(spec_id);
    if (!current.ok()) return current.status();
    auto decided = decide(*current);
    if (!decided.ok()) return decided.status();
    command::CommandOutcome outcome;
    outcome.events.push_back(path_.Seal(topics::kCatalogue, spec_id, request_id, *decided->event));
    if (absl::Status s = path_.Write(std::move(outcome)); !s.ok()) return s;
    return read_model_->Stored(spec_id, decided->version);
  }

  absl::Status CheckCaller(const auth::Caller& caller) const {
    if (caller.institution_id != institution()) {
      return absl::PermissionDeniedError("caller: this node writes only for institution " +
                                         institution() + "; the token is for " +
                                         caller.institution_id);
    }
    return absl::OkStatus();
  }

  Author Now() const { return {institution(), context_.clock.NowMs()}; }

  RuleContext Rules() const {
    return RuleContext{
        .profile = context_.profile,
        .lookup = [this](const std::string& id) -> std::optional<domain::InstitutionFacts> {
          std::optional<registry::v1::Member> member = read_model_->FindMember(id);
          if (!member) return std::nullopt;
          return domain::InstitutionFactsFromMember(*member);
        }};
  }

  // A published version of this institution's specification, as a command proposes it.
  v1::Specification Proposal(const std::string& spec_id, uint32_t version,
                             const v1::SpecificationContent& content) const {
    v1::Specification proposed;
    proposed.set_specification_id(spec_id);
    proposed.set_version(version);
    proposed.set_owner_institution(institution());
    proposed.set_status(v1::SPECIFICATION_STATUS_PUBLISHED);
    *proposed.mutable_content() = content;
    return proposed;
  }

  ServiceContext context_;
  std::unique_ptr<CatalogueReadModel> read_model_;
  command::CommandPath path_;
};

CatalogueService::CatalogueService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CatalogueService::~CatalogueService() = default;

absl::StatusOr<std::unique_ptr<CatalogueService>> CatalogueService::Start(ServiceContext context) {
  auto read_model = CatalogueReadModel::Start(context);
  if (!read_model.ok()) return read_model.status();
  auto impl = std::make_unique<Impl>(std::move(context), *std::move(read_model));
  return std::unique_ptr<CatalogueService>(new CatalogueService(std::move(impl)));
}

absl::StatusOr<v1::ProviderProfile> CatalogueService::UpsertProviderProfile(
    const auth::Caller& caller, const v1::UpsertProviderProfileRequest& request) {
  return impl_->UpsertProviderProfile(caller, request);
}
absl::StatusOr<v1::Specification> CatalogueService::Publish(
    const auth::Caller& caller, const v1::PublishSpecificationRequest& request) {
  return impl_->Publish(caller, request);
}
absl::StatusOr<v1::Specification> CatalogueService::Revise(
    const auth::Caller& caller, const v1::ReviseSpecificationRequest& request) {
  return impl_->Revise(caller, request);
}
absl::StatusOr<v1::Specification> CatalogueService::Withdraw(
    const auth::Caller& caller, const v1::WithdrawSpecificationRequest& request) {
  return impl_->Withdraw(caller, request);
}
absl::StatusOr<v1::ProviderProfile> CatalogueService::GetProviderProfile(
    const v1::GetProviderProfileRequest& request) const {
  return impl_->read_model().GetProviderProfile(request);
}
absl::StatusOr<v1::Specification> CatalogueService::Get(
    const v1::GetSpecificationRequest& request) const {
  return impl_->read_model().Get(request);
}
absl::StatusOr<v1::SearchSpecificationsResponse> CatalogueService::Search(
    const v1::SearchSpecificationsRequest& request) const {
  return impl_->read_model().Search(request);
}
const std::string& CatalogueService::institution_id() const { return impl_->institution(); }
CatalogueReadModel& CatalogueService::read_model() { return impl_->read_model(); }
Projector& CatalogueService::projector() { return impl_->read_model().projector(); }

}  // namespace microcred::catalogue
