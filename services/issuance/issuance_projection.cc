#include "services/issuance/issuance_projection.h"

#include "libs/events/reasons.h"
#include "libs/events/topics.h"
#include "libs/privacy/pseudonym.h"
#include "services/issuance/issuance_state.h"
#include "services/issuance/status_rules.h"

namespace microcred::issuance {
namespace {

// Every issuance event is keyed by its credential id.
template <typename M>
absl::StatusOr<M> UnpackKeyed(const VerifiedEvent& event) {
  auto payload = UnpackEvent<M>(event);
  if (payload.ok() && payload->credential_id() != event.body.partition_key()) {
    return events::Reject(events::reason::kInvalidPayload,
                          "partition_key must be the credential id");
  }
  return payload;
}

}  // namespace

std::string IssuanceProjection::name() const { return kStatePrefix; }

std::vector<std::string> IssuanceProjection::topics() const { return {topics::kIssuance}; }

std::vector<std::string> IssuanceProjection::KeysToPrefetch(
    const events::v1::EnvelopeBody& body) const {
  return {IssuanceState::KnownKey(body.partition_key())};
}

absl::Status IssuanceProjection::Apply(const VerifiedEvent& event, StateStore& state,
                                       Effects& effects) {
  const EventAuthor author{event.body.source_institution(),
                           domain::InstitutionFactsFromMember(event.source),
                           event.body.occurred_at_ms(), std::string(event.ecosystem)};
  const std::string& type = event.body.event_type();
  if (type == v1::LearnerErased::descriptor()->full_name()) {
    return ApplyErased(event, state, effects);
  }
  IssuanceState store(state, home_ecosystem_);
  auto known = store.Known(event.body.partition_key());
  if (!known.ok()) return known.status();

  absl::StatusOr<v1::KnownCredential> decided;
  std::string status_command;  // a status change is all its command did
  if (type == v1::CredentialIssued::descriptor()->full_name()) {
    auto issued = UnpackKeyed<v1::CredentialIssued>(event);
    if (!issued.ok()) return issued.status();
    decided = DecideIssued(*issued, author, *known, event.profile);
  } else if (type == v1::CredentialRevoked::descriptor()->full_name()) {
    auto revoked = UnpackKeyed<v1::CredentialRevoked>(event);
    if (!revoked.ok()) return revoked.status();
    decided = DecideRevoked(*revoked, author, *known);
    status_command = kRevokeCommand;
  } else if (type == v1::CredentialSuspended::descriptor()->full_name()) {
    auto suspended = UnpackKeyed<v1::CredentialSuspended>(event);
    if (!suspended.ok()) return suspended.status();
    decided = DecideSuspended(*suspended, author, *known);
    status_command = suspended->reinstated() ? kReinstateCommand : kSuspendCommand;
  } else {
    return events::Reject(events::reason::kUnknownEventType,
                          type + " is not an issuance event this node knows");
  }
  if (!decided.ok()) return events::RejectDecision(decided.status());
  IssuanceState::PutKnown(*decided, effects.writes);
  if (!status_command.empty()) {
    effects.command.emplace();
    effects.command->set_kind(status_command);
    effects.command->set_resource_id(decided->credential_id());
  }
  return absl::OkStatus();
}

absl::Status IssuanceProjection::Load(StateStore& /*store*/,
                                      const registry::Registry& /*registry*/) {
  erasure_.Resume();
  return absl::OkStatus();
}

absl::Status IssuanceProjection::ApplyErased(const VerifiedEvent& event, StateStore& state,
                                             Effects& effects) const {
  auto erased = UnpackEvent<v1::LearnerErased>(event);
  if (!erased.ok()) return erased.status();
  const std::string& pseudonym = erased->learner_pseudonym();
  if (pseudonym.size() != privacy::kPseudonymLength ||
      !pseudonym.starts_with(privacy::kPseudonymPrefix)) {
    return events::Reject(events::reason::kInvalidPayload,
                          "learner_pseudonym must be a learner pseudonym (lp1_...)");
  }
  if (pseudonym != event.body.partition_key()) {
    return events::Reject(events::reason::kInvalidPayload,
                          "partition_key must be the learner pseudonym");
  }
  if (event.body.source_institution() != institution_id_) return absl::OkStatus();
  return erasure_.Erase(pseudonym, state, effects);
}

}  // namespace microcred::issuance
