// RequestCommands (recognition_internal.h): the commands on recognition requests, each through
// the command path (claim and lock, replay, one commit under the vault's writer lock, then the
// decision's event appended and applied here).
#include "libs/auth/roles.h"
#include "libs/base/strings.h"
#include "libs/domain/dates.h"
#include "libs/events/request_ids.h"
#include "libs/events/topics.h"
#include "services/recognition/automatic_decision.h"
#include "services/recognition/decision_rules.h"
#include "services/recognition/recognition_internal.h"
#include "services/recognition/vae_rules.h"

namespace microcred::recognition::internal {
namespace {

// Where a decision is published: the ecosystem of the first presented credential that a member
// of one of the node's ecosystems issued, so that its partners there see it; the home for a
// request of outside credentials only, or a VAE request. The same for the appeal's decision.
std::string DecisionEcosystem(const ServiceContext& context,
                              const v1::RecognitionRequest& request) {
  for (const v1::PresentedCredential& credential : request.credentials()) {
    if (!credential.ecosystem_id().empty() && context.Joined(credential.ecosystem_id())) {
      return credential.ecosystem_id();
    }
  }
  return context.home_ecosystem();
}

using strings::Cat;
namespace roles = auth::roles;

}  // namespace

absl::StatusOr<v1::RecognitionRequest> RequestCommands::Submit(const auth::Caller& caller,
                                                               const v1::SubmitRequestRequest& r) {
  return RunNewRequest(
      caller, r.client_request_id(), r.learner_id(), "submit",
      [&](const NewRequestStart& start, Working& w) -> absl::Status {
        if (auto s = CheckPurposeAndTarget(r.purpose(), r.target()); !s.ok()) return s;
        if (r.credential_jws().empty()) {
          return absl::InvalidArgumentError("credential_jws: at least one credential is required");
        }
        if (auto s = CheckHolderInputs(caller, r.learner_identifiers(), r.holder_proofs());
            !s.ok()) {
          return s;
        }
        const verification::HolderContext holder{
            .learner_id = start.learner_id,
            .learner_identifiers = {r.learner_identifiers().begin(), r.learner_identifiers().end()},
            .holder_proofs = {r.holder_proofs().begin(), r.holder_proofs().end()},
            .audience = core_.institution(),
            .nonce = r.client_request_id()};
        if (auto s = AddCredentials(core_, r.credential_jws(), "credential_jws", holder, w);
            !s.ok()) {
          return s;
        }
        w.request().set_type(v1::REQUEST_TYPE_CREDENTIALS);
        if (auto s = NewRequest(core_, start, r.purpose(), r.target(), w); !s.ok()) return s;
        *w.personal.mutable_learner_identifiers() = r.learner_identifiers();
        DecideIfAPolicyMatches(core_, w);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::RecognitionRequest> RequestCommands::SubmitVae(
    const auth::Caller& caller, const v1::SubmitVaeRequestRequest& r) {
  return RunNewRequest(caller, r.client_request_id(), r.learner_id(), "submit-vae",
                       [&](const NewRequestStart& start, Working& w) -> absl::Status {
                         if (r.purpose() != v1::RECOGNITION_PURPOSE_ADMISSION &&
                             r.purpose() != v1::RECOGNITION_PURPOSE_EXEMPTION) {
                           return absl::InvalidArgumentError(
                               "purpose: a VAE request asks for ADMISSION or EXEMPTION");
                         }
                         if (auto s = CheckPurposeAndTarget(r.purpose(), r.target()); !s.ok())
                           return s;
                         if (auto s = ValidateVaeFile(r.file(), core_.CurrentMonth()); !s.ok())
                           return s;
                         v1::RecognitionRequest& request = w.request();
                         request.set_type(v1::REQUEST_TYPE_VAE);
                         *request.mutable_vae_eligibility() = ComputeVaeEligibility(r.file());
                         *w.personal.mutable_vae_file() = r.file();
                         if (auto s = NewRequest(core_, start, r.purpose(), r.target(), w); !s.ok())
                           return s;
                         w.record.set_manual_review_reason("a VAE request is examined by a jury");
                         return absl::OkStatus();
                       });
}

absl::StatusOr<v1::RecognitionRequest> RequestCommands::RequestInformation(
    const auth::Caller& caller, const v1::RequestInformationRequest& r) {
  return RunCommand(caller, r.client_request_id(), "request-information", r.request_id(),
                    {roles::kRecognitionOfficer, roles::kJuryMember}, /*learner_may=*/false,
                    [&](Working& w, const ActionContext& ctx) -> absl::Status {
                      if (auto s = CheckText(r.what(), "what", /*required=*/true); !s.ok()) {
                        return s;
                      }
                      return RecordInformationRequest(w.request(), r.what(), ctx);
                    });
}

absl::StatusOr<v1::RecognitionRequest> RequestCommands::ProvideInformation(
    const auth::Caller& caller, const v1::ProvideInformationRequest& r) {
  return RunCommand(
      caller, r.client_request_id(), "provide-information", r.request_id(),
      {roles::kRecognitionOfficer}, /*learner_may=*/true,
      [&](Working& w, const ActionContext& ctx) -> absl::Status {
        if (auto s = CheckText(r.note(), "note", /*required=*/false); !s.ok()) return s;
        if (auto s = NextState(w.request().state(), Action::kProvideInformation); !s.ok()) {
          return s.status();
        }
        const bool vae = w.request().type() == v1::REQUEST_TYPE_VAE;
        if (vae && !r.additional_credential_jws().empty()) {
          return absl::InvalidArgumentError(
              "additional_credential_jws: a VAE request presents a file, not credentials");
        }
        if (!vae && r.has_updated_vae_file()) {
          return absl::InvalidArgumentError("updated_vae_file: only a VAE request has a file");
        }
        if (auto s = CheckHolderInputs(caller, r.learner_identifiers(), r.holder_proofs());
            !s.ok()) {
          return s;
        }
        if (r.additional_credential_jws().empty() &&
            (!r.learner_identifiers().empty() || !r.holder_proofs().empty())) {
          return absl::InvalidArgumentError(
              "learner_identifiers, holder_proofs: only with additional_credential_jws");
        }
        if (!r.additional_credential_jws().empty() || r.has_updated_vae_file()) {
          if (auto s = core_.vault.Open(w); !s.ok()) return s;
        }
        if (!r.additional_credential_jws().empty()) {
          for (const std::string& id : r.learner_identifiers()) {
            w.personal.add_learner_identifiers(id);
          }
          const verification::HolderContext holder{
              .learner_id = w.personal.learner_id(),
              .learner_identifiers = {w.personal.learner_identifiers().begin(),
                                      w.personal.learner_identifiers().end()},
              .holder_proofs = {r.holder_proofs().begin(), r.holder_proofs().end()},
              .audience = core_.institution(),
              .nonce = r.client_request_id()};
          if (auto s = AddCredentials(core_, r.additional_credential_jws(),
                                      "additional_credential_jws", holder, w);
              !s.ok()) {
            return s;
          }
        }
        if (r.has_updated_vae_file()) {
          if (auto s = ValidateVaeFile(r.updated_vae_file(), core_.CurrentMonth()); !s.ok()) {
            return absl::InvalidArgumentError(Cat("updated_vae_", s.message()));
          }
          *w.personal.mutable_vae_file() = r.updated_vae_file();
          *w.request().mutable_vae_eligibility() = ComputeVaeEligibility(r.updated_vae_file());
          w.personal_changed = true;
        }
        return RecordInformationProvided(w.request(), r.note(), ctx);
      });
}

absl::StatusOr<v1::RecognitionRequest> RequestCommands::StartReview(
    const auth::Caller& caller, const v1::StartReviewRequest& r) {
  return RunCommand(
      caller, r.client_request_id(), "start-review", r.request_id(),
      {roles::kRecognitionOfficer, roles::kJuryMember}, /*learner_may=*/false,
      [&](Working& w, const ActionContext& ctx) { return RecordReviewStarted(w.request(), ctx); });
}

absl::StatusOr<v1::RecognitionRequest> RequestCommands::Decide(const auth::Caller& caller,
                                                               const v1::DecideRequest& r) {
  return RunCommand(
      caller, r.client_request_id(), "decide", r.request_id(),
      {roles::kRecognitionOfficer, roles::kJuryMember}, /*learner_may=*/false,
      [&](Working& w, const ActionContext& ctx) -> absl::Status {
        v1::RecognitionRequest& request = w.request();
        if (auto s = NextState(request.state(), Action::kDecide); !s.ok()) return s.status();
        v1::RecognitionDecision d = r.decision();
        const bool vae = request.type() == v1::REQUEST_TYPE_VAE;
        d.set_decided_by(caller.subject);
        d.set_decided_by_role(vae && caller.HasRole(roles::kJuryMember)
                                  ? roles::kJuryMember
                                  : (caller.HasRole(roles::kRecognitionOfficer)
                                         ? roles::kRecognitionOfficer
                                         : roles::kJuryMember));
        // A person decides: nothing of a policy's decision can be claimed.
        d.clear_decided_by_policy();
        d.clear_policy_version();
        d.clear_policy_matches();
        FillDecisionDefaults(core_, request, "D", /*first=*/true, d);
        if (auto s = ValidateDecision(d, request); !s.ok()) return s;
        if (auto s = RecordDecision(request, std::move(d), /*automatic=*/false, ctx); !s.ok()) {
          return s;
        }
        auto tags = core_.CredentialTags(request);
        if (!tags.ok()) return tags.status();
        w.event = MakeRecognitionDecided(request, /*on_appeal=*/false, *std::move(tags));
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::RecognitionRequest> RequestCommands::Appeal(const auth::Caller& caller,
                                                               const v1::AppealRequest& r) {
  return RunCommand(caller, r.client_request_id(), "appeal", r.request_id(),
                    {roles::kRecognitionOfficer}, /*learner_may=*/true,
                    [&](Working& w, const ActionContext& ctx) -> absl::Status {
                      v1::RecognitionRequest& request = w.request();
                      if (auto s = NextState(request.state(), Action::kAppeal); !s.ok()) {
                        return s.status();
                      }
                      v1::Appeal appeal;
                      appeal.set_grounds(r.grounds());
                      *appeal.mutable_lodged_on() = domain::ToDate(core_.Today());
                      if (auto s = ValidateAppeal(appeal, request); !s.ok()) return s;
                      return RecordAppeal(request, std::move(appeal), ctx);
                    });
}

absl::StatusOr<v1::RecognitionRequest> RequestCommands::DecideAppeal(
    const auth::Caller& caller, const v1::DecideAppealRequest& r) {
  return RunCommand(
      caller, r.client_request_id(), "decide-appeal", r.request_id(), {roles::kAppealOfficer},
      /*learner_may=*/false, [&](Working& w, const ActionContext& ctx) -> absl::Status {
        v1::RecognitionRequest& request = w.request();
        if (auto s = NextState(request.state(), Action::kDecideAppeal); !s.ok()) {
          return s.status();
        }
        v1::RecognitionDecision d = r.decision();
        d.set_decided_by(caller.subject);
        d.set_decided_by_role(roles::kAppealOfficer);
        d.clear_decided_by_policy();
        d.clear_policy_version();
        d.clear_policy_matches();
        FillDecisionDefaults(core_, request, "A", /*first=*/false, d);
        if (auto s = ValidateAppealDecision(d, request); !s.ok()) return s;
        if (auto s = RecordAppealDecision(request, std::move(d), ctx); !s.ok()) return s;
        auto tags = core_.CredentialTags(request);
        if (!tags.ok()) return tags.status();
        w.event = MakeRecognitionDecided(request, /*on_appeal=*/true, *std::move(tags));
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::RecognitionRequest> RequestCommands::Withdraw(const auth::Caller& caller,
                                                                 const v1::WithdrawRequest& r) {
  return RunCommand(caller, r.client_request_id(), "withdraw", r.request_id(),
                    {roles::kRecognitionOfficer}, /*learner_may=*/true,
                    [&](Working& w, const ActionContext& ctx) -> absl::Status {
                      if (auto s = CheckText(r.reason(), "reason", /*required=*/false); !s.ok()) {
                        return s;
                      }
                      return RecordWithdrawal(w.request(), r.reason(), ctx);
                    });
}

// ---- the frame ----

absl::StatusOr<v1::RecognitionRequest> RequestCommands::RunNewRequest(const auth::Caller& caller,
                                                                      const std::string& client_id,
                                                                      const std::string& learner_id,
                                                                      const std::string& kind,
                                                                      const Build& build) {
  auto start = StartNewRequest(caller, client_id, learner_id);
  if (!start.ok()) return start.status();
  auto scope = core_.path.Begin(client_id, start->request_id);
  if (!scope.ok()) return scope.status();
  auto prior = Replay(caller, client_id, kind);
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) return **std::move(prior);
  Working w;
  if (auto s = build(*start, w); !s.ok()) return s;
  return Commit(client_id, kind, w);
}

absl::StatusOr<v1::RecognitionRequest> RequestCommands::RunCommand(
    const auth::Caller& caller, const std::string& client_id, const std::string& kind,
    const std::string& request_id, std::initializer_list<std::string_view> staff_roles,
    bool learner_may, const Mutation& mutate) {
  if (auto s = core_.CheckInstitution(caller); !s.ok()) return s;
  if (!HasAny(caller, staff_roles) && !(learner_may && caller.HasRole(roles::kLearner))) {
    return absl::PermissionDeniedError(Cat("caller: ", kind, " needs the role ",
                                           RoleList(staff_roles),
                                           learner_may ? ", or the learner themself" : ""));
  }
  if (auto s = core_.path.ValidateRequestId(client_id); !s.ok()) return s;
  if (request_id.empty()) return absl::InvalidArgumentError("request_id: is required");
  auto scope = core_.path.Begin(client_id, request_id);
  if (!scope.ok()) return scope.status();
  auto prior = Replay(caller, client_id, kind);
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) return **std::move(prior);
  auto stored = core_.requests.Request(request_id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return NotReceivedHere(request_id);
  const bool as_staff = HasAny(caller, staff_roles);
  if (!as_staff) {
    if (auto s = core_.CheckOwnRequest(caller, (*stored)->request()); !s.ok()) return s;
  }
  Working w;
  w.record = **std::move(stored);
  const ActionContext ctx = core_.Acting(as_staff ? caller.subject : LearnerActor(w.request()));
  if (auto s = mutate(w, ctx); !s.ok()) return s;
  return Commit(client_id, kind, w);
}

absl::StatusOr<NewRequestStart> RequestCommands::StartNewRequest(
    const auth::Caller& caller, const std::string& client_id, const std::string& learner_id) const {
  if (auto s = core_.CheckInstitution(caller); !s.ok()) return s;
  const bool officer = caller.HasRole(roles::kRecognitionOfficer);
  if (!officer && !caller.HasRole(roles::kLearner)) {
    return absl::PermissionDeniedError(
        "caller: a learner submits for themself, or a recognition_officer on their behalf");
  }
  NewRequestStart start;
  start.learner_id = learner_id.empty() && !officer ? caller.subject : learner_id;
  if (start.learner_id.empty()) return absl::InvalidArgumentError("learner_id: is required");
  if (!officer && start.learner_id != caller.subject) {
    return absl::PermissionDeniedError(
        "learner_id: a learner submits only for themself (the token's subject)");
  }
  if (auto s = core_.path.ValidateRequestId(client_id); !s.ok()) return s;
  start.request_id = core_.institution() + "/" +
                     events::EventIdForRequest(core_.institution(), client_id).substr(0, 20);
  start.actor = officer ? caller.subject : "";  // the learner's actor is set with the pseudonym
  return start;
}

absl::StatusOr<std::optional<v1::RecognitionRequest>> RequestCommands::Replay(
    const auth::Caller& caller, const std::string& client_id, const std::string& kind) {
  auto prior = core_.path.Replay(client_id, kind);
  if (!prior.ok()) return prior.status();
  if (!prior->has_value()) return std::optional<v1::RecognitionRequest>();
  const std::string& request_id = (*prior)->resource_id();
  auto record = core_.requests.Request(request_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return NotReceivedHere(request_id);
  if (auto s = core_.CheckMaySee(caller, (*record)->request()); !s.ok()) return s;
  auto answer = core_.vault.Answer(**record);
  if (!answer.ok()) return answer.status();
  return std::optional<v1::RecognitionRequest>(*std::move(answer));
}

absl::StatusOr<v1::RecognitionRequest> RequestCommands::Commit(const std::string& client_id,
                                                               const std::string& kind,
                                                               Working& w) {
  const std::string& request_id = w.request().request_id();
  command::CommandOutcome outcome;
  command::CommandRecord record;
  record.set_kind(kind);
  record.set_resource_id(request_id);
  outcome.records.emplace_back(client_id, std::move(record));
  if (w.event) {
    auto sealed = core_.path.SealIn(DecisionEcosystem(core_.path.context(), w.request()),
                                    topics::kRecognition, request_id, client_id, *w.event);
    if (!sealed.ok()) return sealed.status();
    outcome.events.push_back(*std::move(sealed));
  }
  if (auto s = core_.vault.CommitRequest(w, outcome, core_.path); !s.ok()) return s;
  if (auto s = core_.path.Publish(std::move(outcome.events)); !s.ok()) return s;
  return core_.vault.Answer(w.record);
}

}  // namespace microcred::recognition::internal
