#include "services/catalogue/catalogue_service.h"

#include <functional>

#include "libs/command/command_path.h"
#include "libs/domain/recommendation_profile.h"
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
    // Named: that ecosystem; not: every ecosystem the node joined, the home first.
    std::vector<std::string> ecosystems;
    if (request.ecosystem_id().empty()) {
      for (const JoinedEcosystem& e : context_.ecosystems()) ecosystems.push_back(e.id);
    } else {
      auto named = TargetEcosystem(request.ecosystem_id());
      if (!named.ok()) return named.status();
      ecosystems.push_back(*named);
    }
    auto scope = path_.Begin(request.request_id(), institution());
    if (!scope.ok()) return scope.status();
    auto prior = path_.Replay(request.request_id(), "profile");
    if (!prior.ok()) return prior.status();
    if (!prior->has_value()) {
      command::CommandOutcome outcome;
      for (const std::string& ecosystem : ecosystems) {
        std::optional<registry::v1::Member> member =
            read_model_->FindMemberIn(ecosystem, institution());
        auto decided =
            DecideProfile(request.profile(), Now(ecosystem), member ? &*member : nullptr);
        if (!decided.ok()) return decided.status();
        v1::ProviderProfileUpdated event;
        *event.mutable_profile() = *decided;
        // The same request id, hence event id, in each: ids are scoped by the stated ecosystem.
        auto sealed =
            path_.SealIn(ecosystem, topics::kCatalogue, institution(), request.request_id(), event);
        if (!sealed.ok()) return sealed.status();
        outcome.events.push_back(*std::move(sealed));
      }
      if (absl::Status s = path_.Write(std::move(outcome)); !s.ok()) return s;
    }
    return read_model_->StoredProfile(institution(), ecosystems.front());
  }

  absl::StatusOr<v1::Specification> Publish(const auth::Caller& caller,
                                            const v1::PublishSpecificationRequest& request) {
    std::string local_id = request.local_id();
    if (local_id.empty()) {
      local_id = events::EventIdForRequest(institution(), request.request_id()).substr(0, 12);
    }
    if (absl::Status s = domain::ValidateLocalId(local_id); !s.ok()) return s;
    auto ecosystem = TargetEcosystem(request.ecosystem_id());
    if (!ecosystem.ok()) return ecosystem.status();
    const std::string spec_id = domain::MakeSpecificationId(institution(), local_id);
    return RunSpecificationCommand(
        caller, request.request_id(), spec_id, "publish",
        [&](const std::optional<v1::Specification>& current) -> absl::StatusOr<Decided> {
          if (!read_model_->FindMemberIn(*ecosystem, institution()).has_value()) {
            return absl::FailedPreconditionError("ecosystem_id: " + institution() +
                                                 " is not a member of ecosystem " + *ecosystem);
          }
          v1::Specification proposed = Proposal(spec_id, 1, request.content());
          proposed.set_ecosystem_id(*ecosystem);
          auto decided = DecidePublish(proposed, Now(*ecosystem), current, Rules(*ecosystem));
          if (!decided.ok()) return decided.status();
          auto event = std::make_unique<v1::SpecificationPublished>();
          *event->mutable_specification() = *decided;
          return Decided{std::move(event), decided->version(), *ecosystem};
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
          // A revision follows the specification into the ecosystem it is published in.
          const std::string ecosystem = EcosystemOf(current);
          auto decided = DecideRevise(Proposal(spec_id, version, request.content()), Now(ecosystem),
                                      current, Rules(ecosystem));
          if (!decided.ok()) return decided.status();
          auto event = std::make_unique<v1::SpecificationRevised>();
          *event->mutable_specification() = *decided;
          return Decided{std::move(event), decided->version(), ecosystem};
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
          const std::string ecosystem = EcosystemOf(current);
          auto decided = DecideWithdraw(*event, Now(ecosystem), current);
          if (!decided.ok()) return decided.status();
          return Decided{std::move(event), decided->version(), ecosystem};
        });
  }

  const std::string& institution() const { return context_.institution_id(); }
  CatalogueReadModel& read_model() { return *read_model_; }

 private:
  // What a specification command decided: its event, and the version it leaves.
  struct Decided {
    std::unique_ptr<google::protobuf::Message> event;
    uint32_t version = 0;
    std::string ecosystem;  // whose log the event goes to
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
    auto sealed = path_.SealIn(decided->ecosystem, topics::kCatalogue, spec_id, request_id,
                               *decided->event, 0, "specification_id");
    if (!sealed.ok()) return sealed.status();
    command::CommandOutcome outcome;
    outcome.events.push_back(*std::move(sealed));
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

  Author Now(const std::string& ecosystem) const {
    return {institution(), context_.clock.NowMs(), ecosystem};
  }

  // The ecosystem a request names (empty: the home): INVALID_ARGUMENT naming ecosystem_id unless
  // it is well formed and one the node joined.
  absl::StatusOr<std::string> TargetEcosystem(const std::string& named) const {
    if (named.empty()) return context_.home_ecosystem();
    if (absl::Status s = domain::ValidateEcosystemId(named); !s.ok()) return s;
    if (!context_.Joined(named).has_value()) {
      std::string joined;
      for (const JoinedEcosystem& e : context_.ecosystems()) {
        joined += (joined.empty() ? "" : ", ") + e.id;
      }
      return absl::InvalidArgumentError("ecosystem_id: this node has not joined ecosystem " +
                                        named + " (it joined " + joined + ")");
    }
    return named;
  }

  // Where a specification's next event goes: the ecosystem it is published in (the home for
  // one this node does not know: the rules refuse it as NOT_FOUND).
  std::string EcosystemOf(const std::optional<v1::Specification>& current) const {
    return current.has_value() ? current->ecosystem_id() : context_.home_ecosystem();
  }

  // What decides an act in `ecosystem`: its registry, and the rules that registry states now.
  RuleContext Rules(const std::string& ecosystem) const {
    return RuleContext{
        .profile =
            read_model_->projector().Profile(ecosystem).value_or(domain::RecommendationProfile()),
        .lookup = [this,
                   ecosystem](const std::string& id) -> std::optional<domain::InstitutionFacts> {
          std::optional<registry::v1::Member> member = read_model_->FindMemberIn(ecosystem, id);
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
