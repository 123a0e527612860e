// Conferrals (stacking_internal.h): Confer. On the command path: the request id is claimed and
// the pathway locked; a retry is answered from the command's record. The evaluation is run
// again and must be satisfied; the target is issued through the CredentialIssuer (idempotent:
// its request id derives from ours) or granted to the learner's pseudonym; then the record,
// whose answer is the ConferResponse, is committed with StackConferred as an outbox entry, and
// the event is appended. A crash after the issuance repeats it harmlessly; a crash after the
// commit is repaired by the retry (CommandPath::Replay) or at start (RecoverOutbox).
#include <algorithm>

#include "libs/auth/roles.h"
#include "libs/base/strings.h"
#include "libs/domain/dates.h"
#include "libs/events/request_ids.h"
#include "libs/events/topics.h"
#include "services/stacking/pathway_rules.h"
#include "services/stacking/stacking_internal.h"
#include "services/stacking/stacking_projection.h"

namespace microcred::stacking::internal {
namespace {

using strings::Cat;
namespace roles = auth::roles;

// The issuance request id of a conferral: a retry issues nothing twice.
std::string IssueRequestId(const std::string& request_id) { return "stack-" + request_id; }

}  // namespace

absl::StatusOr<v1::ConferResponse> Conferrals::Confer(const auth::Caller& caller,
                                                      const v1::ConferRequest& r) {
  if (auto s = core_.CheckInstitution(caller); !s.ok()) return s;
  if (!caller.HasRole(roles::kRecognitionOfficer)) {
    return absl::PermissionDeniedError(
        "caller: a recognition_officer of the pathway's owner confers");
  }
  if (auto s = core_.path.ValidateRequestId(r.request_id()); !s.ok()) return s;
  if (!events::ValidateRequestId(IssueRequestId(r.request_id())).ok()) {
    return absl::InvalidArgumentError("request_id: at most 122 characters to confer");
  }
  auto scope = core_.path.Begin(r.request_id(), r.pathway_id());
  if (!scope.ok()) return scope.status();
  auto prior = core_.path.Replay(r.request_id(), "confer");
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) {
    v1::ConferResponse first;
    if (!first.ParseFromString((*prior)->answer())) {
      return absl::DataLossError("unreadable conferral answer for request_id " + r.request_id());
    }
    return first;
  }

  auto confirmed = Confirm(caller, r);
  if (!confirmed.ok()) return confirmed.status();
  if (auto s = IssueOrGrant(caller, r, *confirmed); !s.ok()) return s;
  const v1::StackConferred& event = confirmed->response.conferral();
  const v1::Pathway& pathway = confirmed->pathway;
  if (auto s = CheckStackConferred(event, core_.institution(), pathway); !s.ok()) return s;

  command::CommandRecord record;
  record.set_kind("confer");
  record.set_resource_id(pathway.pathway_id());
  record.set_version(pathway.version());
  record.set_answer(confirmed->response.SerializeAsString());
  command::CommandOutcome outcome;
  outcome.records.emplace_back(r.request_id(), std::move(record));
  outcome.events.push_back(
      core_.path.Seal(topics::kStacking, pathway.pathway_id(), r.request_id(), event));
  if (auto s = core_.path.Write(std::move(outcome)); !s.ok()) return s;
  return std::move(confirmed->response);
}

absl::StatusOr<Conferrals::Confirmed> Conferrals::Confirm(const auth::Caller& caller,
                                                          const v1::ConferRequest& r) const {
  if (r.credential_jws().empty()) {
    return absl::InvalidArgumentError("credential_jws: the learner's credentials are required");
  }
  auto prepared =
      evaluations_.Prepare(caller, r.pathway_id(), r.pathway_version(), r.credential_jws(),
                           r.credential_ids(), common::v1::Date(), "");
  if (!prepared.ok()) return prepared.status();
  const v1::Pathway& pathway = prepared->pathway;
  if (pathway.owner_institution() != core_.institution()) {
    return absl::PermissionDeniedError(Cat("pathway_id: ", pathway.pathway_id(), " belongs to ",
                                           pathway.owner_institution(),
                                           ", which alone confers on it"));
  }
  if (ConfersCredential(pathway.target()) && pathway.target().specification_id().empty()) {
    return absl::FailedPreconditionError(
        Cat("pathway.target.specification_id: ", pathway.pathway_id(), " version ",
            pathway.version(), " names no catalogue specification to issue as its ",
            v1::TargetKind_Name(pathway.target().kind()), "; publish a version that does"));
  }
  auto result = stacking::Evaluate(pathway, prepared->held, prepared->context);
  if (!result.ok()) return result.status();
  if (!result->satisfied()) {
    return absl::FailedPreconditionError(
        Cat("credential_jws: the evaluation of ", pathway.pathway_id(), " version ",
            pathway.version(), " is not satisfied (", result->ects_short(), " ECTS and ",
            result->credentials_short(), " credentials short); nothing is conferred"));
  }
  std::vector<std::string> constituents;
  for (const v1::Assignment& a : result->assignments()) constituents.push_back(a.credential_id());
  std::sort(constituents.begin(), constituents.end());

  Confirmed confirmed{.pathway = std::move(prepared->pathway),
                      .evaluation_date = prepared->context.evaluation_date};
  v1::StackConferred& event = *confirmed.response.mutable_conferral();
  event.set_pathway_id(confirmed.pathway.pathway_id());
  event.set_pathway_version(confirmed.pathway.version());
  event.set_target_kind(confirmed.pathway.target().kind());
  event.set_programme_id(confirmed.pathway.target().programme_id());
  event.set_constituent_count(static_cast<uint32_t>(constituents.size()));
  confirmed.constituents = std::move(constituents);
  *confirmed.response.mutable_result() = *std::move(result);
  return confirmed;
}

absl::Status Conferrals::IssueOrGrant(const auth::Caller& caller, const v1::ConferRequest& r,
                                      Confirmed& confirmed) {
  const v1::PathwayTarget& target = confirmed.pathway.target();
  v1::StackConferred& event = *confirmed.response.mutable_conferral();
  if (ConfersCredential(target)) {
    auto issued = IssueTarget(caller, r, confirmed);
    if (!issued.ok()) return issued.status();
    event.set_learner_pseudonym(issued->learner_pseudonym());
    event.set_conferred_credential_id(issued->credential_id());
    return absl::OkStatus();
  }
  if (r.learner().learner_id().empty()) {
    return absl::InvalidArgumentError("learner.learner_id: required to grant the " +
                                      v1::TargetKind_Name(target.kind()));
  }
  auto pseudonym = core_.ports.pseudonyms.LearnerPseudonym(r.learner().learner_id());
  if (!pseudonym.ok()) return pseudonym.status();
  event.set_learner_pseudonym(*pseudonym);
  return absl::OkStatus();
}

absl::StatusOr<issuance::v1::IssuedCredential> Conferrals::IssueTarget(const auth::Caller& caller,
                                                                       const v1::ConferRequest& r,
                                                                       const Confirmed& confirmed) {
  issuance::v1::IssueCredentialRequest issue;
  issue.set_request_id(IssueRequestId(r.request_id()));
  issue.set_specification_id(confirmed.pathway.target().specification_id());
  *issue.mutable_learner() = r.learner();
  *issue.mutable_issued_on() = domain::ToDate(confirmed.evaluation_date);
  issue.set_place_of_issuing(r.place_of_issuing());
  issue.set_mode_of_acquisition(issuance::v1::MODE_OF_ACQUISITION_COMPLETED_COURSE);
  issue.set_supervision_applied(r.supervision_applied());
  for (const std::string& id : confirmed.constituents) issue.add_constituent_credential_ids(id);
  // The node issues on the officer's confirmation, as its registrar would.
  const auth::Caller issuer{.subject = caller.subject,
                            .institution_id = core_.institution(),
                            .roles = {roles::kRegistrar}};
  return core_.ports.issuer.Issue(issuer, issue);
}

}  // namespace microcred::stacking::internal
