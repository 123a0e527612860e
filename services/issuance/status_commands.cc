#include "services/issuance/status_commands.h"

#include "libs/events/topics.h"
#include "services/issuance/issuance_projection.h"
#include "services/issuance/issuance_rules.h"

namespace microcred::issuance {

absl::StatusOr<v1::IssuedCredential> StatusCommands::ChangeStatus(
    const auth::Caller& caller, const v1::ChangeStatusRequest& request, const char* kind,
    const google::protobuf::Message& event, const Decide& decide) {
  if (auto s = core_.CheckStaff(caller); !s.ok()) return s;
  auto scope = core_.path.Begin(request.request_id(), request.credential_id());
  if (!scope.ok()) return scope.status();
  if (auto s = CheckStatusReason(request.reason()); !s.ok()) return s;
  auto prior = core_.path.Replay(request.request_id(), kind);
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) return core_.Answer((*prior)->resource_id());
  auto known = core_.read_model->FindCredential(request.credential_id());
  if (!known.ok()) return known.status();
  // A credential's status events follow it into the ecosystem it was issued in.
  const std::string ecosystem =
      known->has_value() ? (*known)->ecosystem_id() : core_.context.home_ecosystem();
  std::optional<registry::v1::Member> member = core_.MemberIn(ecosystem);
  const EventAuthor author{
      core_.institution(),
      member ? domain::InstitutionFactsFromMember(*member) : domain::InstitutionFacts{},
      core_.context.clock.NowMs(), ecosystem};
  if (auto s = decide(*known, author); !s.ok()) return s;
  auto sealed = core_.path.SealIn(ecosystem, topics::kIssuance, request.credential_id(),
                                  request.request_id(), event, author.at_ms, "credential_id");
  if (!sealed.ok()) return sealed.status();
  command::CommandOutcome outcome;
  outcome.events.push_back(*std::move(sealed));
  if (auto s = core_.path.Write(std::move(outcome)); !s.ok()) return s;
  return core_.Answer(request.credential_id());
}

absl::StatusOr<v1::IssuedCredential> StatusCommands::Revoke(
    const auth::Caller& caller, const v1::ChangeStatusRequest& request) {
  v1::CredentialRevoked event;
  event.set_credential_id(request.credential_id());
  event.set_reason(request.reason());
  return ChangeStatus(caller, request, kRevokeCommand, event,
                      [&](const auto& known, const auto& author) {
                        return DecideRevoked(event, author, known).status();
                      });
}

absl::StatusOr<v1::IssuedCredential> StatusCommands::Suspend(const auth::Caller& caller,
                                                             const v1::ChangeStatusRequest& request,
                                                             bool reinstate) {
  v1::CredentialSuspended event;
  event.set_credential_id(request.credential_id());
  event.set_reason(request.reason());
  event.set_reinstated(reinstate);
  return ChangeStatus(caller, request, reinstate ? kReinstateCommand : kSuspendCommand, event,
                      [&](const auto& known, const auto& author) {
                        return DecideSuspended(event, author, known).status();
                      });
}

}  // namespace microcred::issuance
