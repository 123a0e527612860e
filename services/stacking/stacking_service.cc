// StackingService: its start, and each call handed to the part that answers it
// (stacking_internal.h).
#include "services/stacking/stacking_service.h"

#include "services/stacking/stacking_internal.h"

namespace microcred::stacking {

using internal::StackingCore;

absl::Status internal::StackingCore::CheckInstitution(const auth::Caller& caller) const {
  if (caller.institution_id != institution()) {
    return absl::PermissionDeniedError("caller: this node acts for institution " + institution() +
                                       " only; the token is for " + caller.institution_id);
  }
  return absl::OkStatus();
}

class StackingService::Impl {
 public:
  Impl(ServiceContext context, StackingOptions options, StackingPorts ports,
       std::unique_ptr<StackingReadModel> read_model)
      : core(std::move(context), std::move(options), ports, std::move(read_model)),
        pathways(core),
        evaluations(core),
        conferrals(core, evaluations) {}

  StackingCore core;
  internal::PathwayCommands pathways;
  internal::Evaluations evaluations;
  internal::Conferrals conferrals;
};

StackingService::StackingService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StackingService::~StackingService() = default;

absl::StatusOr<std::unique_ptr<StackingService>> StackingService::Start(ServiceContext context,
                                                                        StackingOptions options,
                                                                        StackingPorts ports) {
  auto read_model = StackingReadModel::Start(context);
  if (!read_model.ok()) return read_model.status();
  auto impl =
      std::make_unique<Impl>(std::move(context), std::move(options), ports, *std::move(read_model));
  // A conferral committed but not appended before a crash is appended now.
  if (absl::Status s = impl->core.path.RecoverOutbox(); !s.ok()) return s;
  return std::unique_ptr<StackingService>(new StackingService(std::move(impl)));
}

absl::StatusOr<v1::Pathway> StackingService::PublishPathway(
    const auth::Caller& caller, const v1::PublishPathwayRequest& request) {
  return impl_->pathways.Publish(caller, request);
}
absl::StatusOr<v1::Pathway> StackingService::GetPathway(
    const v1::GetPathwayRequest& request) const {
  return impl_->core.read_model->GetPathway(request);
}
absl::StatusOr<v1::ListPathwaysResponse> StackingService::ListPathways(
    const v1::ListPathwaysRequest& request) const {
  return impl_->core.read_model->ListPathways(request);
}
absl::StatusOr<v1::EvaluateResponse> StackingService::Evaluate(
    const auth::Caller& caller, const v1::EvaluateRequest& request) const {
  return impl_->evaluations.Evaluate(caller, request);
}
absl::StatusOr<v1::EvaluateResponse> StackingService::WhatIf(
    const auth::Caller& caller, const v1::WhatIfRequest& request) const {
  return impl_->evaluations.WhatIf(caller, request);
}
absl::StatusOr<v1::ConferResponse> StackingService::Confer(const auth::Caller& caller,
                                                           const v1::ConferRequest& request) {
  return impl_->conferrals.Confer(caller, request);
}
absl::StatusOr<std::vector<v1::StackConferred>> StackingService::FindConferrals(
    const std::string& pathway_id) const {
  return impl_->core.read_model->Conferrals(pathway_id);
}
const std::string& StackingService::institution_id() const { return impl_->core.institution(); }
StackingReadModel& StackingService::read_model() { return *impl_->core.read_model; }
Projector& StackingService::projector() { return impl_->core.read_model->projector(); }

}  // namespace microcred::stacking
