#include "services/stacking/stacking_projection.h"

#include "libs/base/strings.h"
#include "libs/events/reasons.h"
#include "libs/events/removed_fields.h"
#include "libs/events/topics.h"
#include "services/stacking/pathway_rules.h"
#include "services/stacking/stacking_state.h"

namespace microcred::stacking {
namespace {

using strings::Cat;

// StackConferred's removed `repeated string constituent_credential_ids = 4`.
constexpr int kRemovedConstituentIds = 4;

size_t LegacyConstituents(const v1::StackConferred& event) {
  return events::RemovedStrings(event, kRemovedConstituentIds).size();
}

}  // namespace

absl::Status CheckPathwayPublished(const v1::PathwayPublished& event, const std::string& source,
                                   std::string_view ecosystem,
                                   const std::optional<v1::Pathway>& current,
                                   const domain::PolicyProfile& profile) {
  const v1::Pathway& pathway = event.pathway();
  if (event.pathway_id() != pathway.pathway_id() || event.version() != pathway.version() ||
      event.title() != pathway.title() || event.minimum_ects() != pathway.rules().min_ects()) {
    return absl::InvalidArgumentError(
        "pathway_id: the event's pathway id, version, title and minimum must be the pathway's");
  }
  if (pathway.owner_institution() != source || pathway.pathway_id().rfind(source + "/", 0) != 0) {
    return absl::PermissionDeniedError(Cat("pathway.owner_institution: ", source,
                                           " publishes only its own pathways (\"", source,
                                           "/...\"), not ", pathway.pathway_id()));
  }
  if (auto s = ValidatePathway(pathway, profile); !s.ok()) return s;
  // A version recorded before ecosystems were (no ecosystem_id) was read from this same log.
  if (current.has_value() && !current->ecosystem_id().empty() &&
      current->ecosystem_id() != ecosystem) {
    return absl::AlreadyExistsError(Cat("pathway_id: ", pathway.pathway_id(),
                                        " is published in ecosystem ", current->ecosystem_id(),
                                        "; its versions stay there, not in ", ecosystem));
  }
  const uint32_t expected = current.has_value() ? current->version() + 1 : 1;
  if (pathway.version() != expected) {
    return absl::FailedPreconditionError(
        Cat("pathway.version: ", pathway.pathway_id(), " is at version ", expected - 1,
            "; the next version is ", expected, ", not ", pathway.version()));
  }
  return absl::OkStatus();
}

absl::Status CheckStackConferred(const v1::StackConferred& event, const std::string& source,
                                 const std::optional<v1::Pathway>& pathway) {
  if (event.pathway_id().rfind(source + "/", 0) != 0) {
    return absl::PermissionDeniedError(
        Cat("pathway_id: ", source, " confers only on its own pathways, not ", event.pathway_id()));
  }
  if (!pathway.has_value()) {
    return absl::FailedPreconditionError(Cat("pathway_version: ", event.pathway_id(), " version ",
                                             event.pathway_version(), " is not published"));
  }
  if (event.learner_pseudonym().empty()) {
    return absl::InvalidArgumentError("learner_pseudonym: required");
  }
  if (event.constituent_count() == 0 && LegacyConstituents(event) == 0) {
    return absl::InvalidArgumentError("constituent_count: at least one is required");
  }
  const v1::PathwayTarget& target = pathway->target();
  if (event.target_kind() != target.kind()) {
    return absl::InvalidArgumentError(Cat("target_kind: ", v1::TargetKind_Name(event.target_kind()),
                                          " is not the target of ", event.pathway_id(), " version ",
                                          event.pathway_version(), " (",
                                          v1::TargetKind_Name(target.kind()), ")"));
  }
  if (ConfersCredential(target) == event.conferred_credential_id().empty()) {
    return absl::InvalidArgumentError(
        ConfersCredential(target)
            ? "conferred_credential_id: required for a certificate or a larger micro-credential"
            : "conferred_credential_id: an exemption or an admission is granted, not issued");
  }
  if (event.programme_id() != target.programme_id()) {
    return absl::InvalidArgumentError(Cat("programme_id: \"", event.programme_id(),
                                          "\" is not the programme of ", event.pathway_id()));
  }
  return absl::OkStatus();
}

std::string StackingProjection::name() const { return kStatePrefix; }

std::vector<std::string> StackingProjection::topics() const { return {topics::kStacking}; }

std::vector<std::string> StackingProjection::KeysToPrefetch(
    const events::v1::EnvelopeBody& body) const {
  return {StackingState::LatestKey(body.partition_key())};
}

absl::Status StackingProjection::Apply(const VerifiedEvent& event, StateStore& state,
                                       Effects& effects) {
  const std::string& type = event.body.event_type();
  if (type == v1::PathwayPublished::descriptor()->full_name()) {
    return ApplyPublished(event, state, effects);
  }
  if (type == v1::StackConferred::descriptor()->full_name()) {
    return ApplyConferred(event, state, effects);
  }
  return events::Reject(events::reason::kUnknownEventType,
                        type + " is not a stacking event this node knows");
}

absl::Status StackingProjection::ApplyPublished(const VerifiedEvent& event, StateStore& store,
                                                Effects& effects) {
  auto published = UnpackEvent<v1::PathwayPublished>(event);
  if (!published.ok()) return published.status();
  if (published->pathway_id() != event.body.partition_key()) {
    return events::Reject(events::reason::kInvalidPayload, "partition_key must be the pathway id");
  }
  const std::string& source = event.body.source_institution();
  StackingState state(store);
  auto current = state.Pathway(published->pathway_id(), 0);
  if (!current.ok()) return current.status();
  if (auto s = CheckPathwayPublished(*published, source, event.ecosystem, *current, event.profile);
      !s.ok()) {
    return events::RejectDecision(s);
  }
  published->mutable_pathway()->set_ecosystem_id(std::string(event.ecosystem));
  StackingState::PutPathway(published->pathway(), effects.writes);
  // The publication is all its command did: the projector keeps its record, at every node.
  effects.command.emplace();
  effects.command->set_kind("publish");
  effects.command->set_resource_id(published->pathway_id());
  effects.command->set_version(published->version());
  return absl::OkStatus();
}

absl::Status StackingProjection::ApplyConferred(const VerifiedEvent& event, StateStore& store,
                                                Effects& effects) {
  auto conferred = UnpackEvent<v1::StackConferred>(event);
  if (!conferred.ok()) return conferred.status();
  if (conferred->pathway_id() != event.body.partition_key()) {
    return events::Reject(events::reason::kInvalidPayload, "partition_key must be the pathway id");
  }
  StackingState state(store);
  auto pathway = state.Pathway(conferred->pathway_id(), conferred->pathway_version());
  if (!pathway.ok()) return pathway.status();
  if (auto s = CheckStackConferred(*conferred, event.body.source_institution(), *pathway);
      !s.ok()) {
    return events::RejectDecision(s);
  }
  // Written before constituent_count: counted from its ids, and stored without them.
  if (const size_t legacy = LegacyConstituents(*conferred); legacy > 0) {
    if (conferred->constituent_count() == 0) {
      conferred->set_constituent_count(static_cast<uint32_t>(legacy));
    }
    conferred->DiscardUnknownFields();
  }
  StackingState::PutConferred(*conferred, effects.writes);
  return absl::OkStatus();
}

}  // namespace microcred::stacking
