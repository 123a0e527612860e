#include "services/recognition/recognition_projection.h"

#include "libs/base/strings.h"
#include "libs/events/reasons.h"
#include "libs/events/removed_fields.h"
#include "libs/events/topics.h"
#include "services/recognition/policy_matching.h"
#include "services/recognition/recognition_state.h"

namespace microcred::recognition {
namespace {

using strings::Cat;

// RecognitionDecided's removed `repeated string credential_ids = 3`.
constexpr int kRemovedCredentialIds = 3;

}  // namespace

std::vector<std::string> LegacyCredentialIds(const v1::RecognitionDecided& event) {
  return events::RemovedStrings(event, kRemovedCredentialIds);
}

absl::Status CheckPolicyPublished(const v1::RecognitionPolicyPublished& event,
                                  const std::string& source,
                                  const std::optional<v1::RecognitionPolicy>& current,
                                  const std::vector<v1::RecognitionPolicy>& policies_of_source) {
  const v1::RecognitionPolicy& policy = event.policy();
  if (event.policy_id() != policy.policy_id() || event.version() != policy.version() ||
      event.title() != policy.title()) {
    return absl::InvalidArgumentError(
        "policy_id: the event's policy id, version and title must be the policy's own");
  }
  if (auto s = ValidatePolicy(policy, source); !s.ok()) return s;
  const uint32_t expected = current.has_value() ? current->version() + 1 : 1;
  if (policy.version() != expected) {
    return absl::FailedPreconditionError(
        Cat("policy.version: ", policy.policy_id(), " is at version ", expected - 1,
            "; the next version is ", expected, ", not ", policy.version()));
  }
  std::vector<v1::RecognitionPolicy> after;
  after.reserve(policies_of_source.size() + 1);
  for (const v1::RecognitionPolicy& other : policies_of_source) {
    if (other.policy_id() != policy.policy_id()) after.push_back(other);
  }
  after.push_back(policy);
  auto index = PolicyIndex::Build(std::move(after), {});
  if (!index.ok()) {
    return absl::FailedPreconditionError(Cat("policy.rank: ", index.status().message()));
  }
  return absl::OkStatus();
}

absl::Status CheckRecognitionDecided(const v1::RecognitionDecided& event, const std::string& source,
                                     const std::optional<v1::RecognitionDecided>& current) {
  if (event.receiving_institution() != source) {
    return absl::PermissionDeniedError(Cat("receiving_institution: ", source,
                                           " decides only its own requests, not ",
                                           event.receiving_institution(), "'s"));
  }
  if (event.request_id().rfind(source + "/", 0) != 0) {
    return absl::InvalidArgumentError(Cat("request_id: must start with \"", source, "/\""));
  }
  if (event.outcome() == v1::RECOGNITION_OUTCOME_UNSPECIFIED ||
      !v1::RecognitionOutcome_IsValid(event.outcome())) {
    return absl::InvalidArgumentError("outcome: required");
  }
  const size_t legacy_ids = LegacyCredentialIds(event).size();
  if (legacy_ids > 0 && (event.credential_count() > 0 || !event.credential_tags().empty())) {
    return absl::InvalidArgumentError(
        "credential_tags: an event names its credentials by tags or (before tags) by ids, not "
        "both");
  }
  if (event.credential_tags_size() != static_cast<int>(event.credential_count())) {
    return absl::InvalidArgumentError(Cat("credential_tags: one per credential (",
                                          event.credential_count(), "), not ",
                                          event.credential_tags_size()));
  }
  const size_t presented = legacy_ids > 0 ? legacy_ids : event.credential_count();
  if (event.request_type() == v1::REQUEST_TYPE_CREDENTIALS && presented == 0) {
    return absl::InvalidArgumentError("credential_count: a CREDENTIALS request presents some");
  }
  if (event.learner_pseudonym().empty()) {
    return absl::InvalidArgumentError("learner_pseudonym: required");
  }
  if (!event.on_appeal() && current.has_value()) {
    return absl::AlreadyExistsError(Cat("request_id: ", event.request_id(),
                                        " is already decided; a new decision comes on appeal"));
  }
  if (event.on_appeal() && (!current.has_value() || current->on_appeal())) {
    return absl::FailedPreconditionError(
        Cat("on_appeal: ", event.request_id(),
            current.has_value() ? " has its appeal decided already" : " has no first decision"));
  }
  return absl::OkStatus();
}

std::string RecognitionProjection::name() const { return kStatePrefix; }

std::vector<std::string> RecognitionProjection::topics() const { return {topics::kRecognition}; }

std::vector<std::string> RecognitionProjection::KeysToPrefetch(
    const events::v1::EnvelopeBody& body) const {
  if (body.event_type() == v1::RecognitionDecided::descriptor()->full_name()) {
    return {RecognitionState::DecidedKey(body.partition_key())};
  }
  return {RecognitionState::PolicyKey(body.partition_key())};
}

absl::Status RecognitionProjection::Apply(const VerifiedEvent& event, StateStore& state,
                                          Effects& effects) {
  const std::string& type = event.body.event_type();
  if (type == v1::RecognitionDecided::descriptor()->full_name()) {
    return ApplyDecided(event, state, effects);
  }
  if (type == v1::RecognitionPolicyPublished::descriptor()->full_name()) {
    return ApplyPolicy(event, state, effects);
  }
  return events::Reject(events::reason::kUnknownEventType,
                        type + " is not a recognition event this node knows");
}

absl::Status RecognitionProjection::ApplyPolicy(const VerifiedEvent& event, StateStore& store,
                                                Effects& effects) {
  auto published = UnpackEvent<v1::RecognitionPolicyPublished>(event);
  if (!published.ok()) return published.status();
  if (published->policy_id() != event.body.partition_key()) {
    return events::Reject(events::reason::kInvalidPayload, "partition_key must be the policy id");
  }
  const std::string& source = event.body.source_institution();
  RecognitionState state(store);
  auto current = state.Policy(published->policy_id());
  if (!current.ok()) return current.status();
  auto policies = state.PoliciesOf(source);
  if (!policies.ok()) return policies.status();
  if (auto s = CheckPolicyPublished(*published, source, *current, *policies); !s.ok()) {
    return events::RejectDecision(s);
  }
  RecognitionState::PutPolicy(published->policy(), effects.writes);
  // The policy is the whole command: the projector keeps its record at every node.
  effects.command.emplace();
  effects.command->set_kind("policy");
  effects.command->set_resource_id(published->policy_id());
  effects.command->set_version(published->version());
  effects.after_commit = [this] { policy_generation_.fetch_add(1); };
  return absl::OkStatus();
}

absl::Status RecognitionProjection::ApplyDecided(const VerifiedEvent& event, StateStore& store,
                                                 Effects& effects) {
  auto decided = UnpackEvent<v1::RecognitionDecided>(event);
  if (!decided.ok()) return decided.status();
  if (decided->request_id() != event.body.partition_key()) {
    return events::Reject(events::reason::kInvalidPayload, "partition_key must be the request id");
  }
  RecognitionState state(store);
  auto current = state.Decided(decided->request_id());
  if (!current.ok()) return current.status();
  if (auto s = CheckRecognitionDecided(*decided, event.body.source_institution(), *current);
      !s.ok()) {
    return events::RejectDecision(s);
  }
  // Written before tags: counted from its ids, and stored without them; this node's own
  // decisions stay findable by id (the node was presented those credentials).
  std::vector<std::string> legacy_ids = LegacyCredentialIds(*decided);
  if (!legacy_ids.empty()) {
    decided->set_credential_count(static_cast<uint32_t>(legacy_ids.size()));
    decided->DiscardUnknownFields();
    if (event.body.source_institution() != institution_id_) legacy_ids.clear();
  }
  decided->set_ecosystem_id(std::string(event.ecosystem));
  RecognitionState::PutDecided(*decided, legacy_ids, effects.writes);
  return absl::OkStatus();
}

}  // namespace microcred::recognition
