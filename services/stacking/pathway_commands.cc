// PathwayCommands (stacking_internal.h): publishing a pathway, or revising it, is its
// PathwayPublished event alone. Nothing is written before the append; the projection keeps the
// command's record when it applies the event, at every node.
#include <algorithm>

#include "libs/auth/roles.h"
#include "libs/base/strings.h"
#include "libs/domain/versioning.h"
#include "libs/events/topics.h"
#include "services/stacking/stacking_internal.h"
#include "services/stacking/stacking_projection.h"

namespace microcred::stacking::internal {
namespace {

using strings::Cat;
namespace roles = auth::roles;

bool IsValidLocalId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// The pathway a request acts on, as it names it (checked once the request id is claimed).
std::string NamedPathway(const std::string& institution, const v1::PublishPathwayRequest& r) {
  return r.expected_version() == 0 ? institution + "/" + r.local_id() : r.pathway().pathway_id();
}

}  // namespace

absl::StatusOr<v1::Pathway> PathwayCommands::Publish(const auth::Caller& caller,
                                                     const v1::PublishPathwayRequest& r) {
  if (auto s = core_.CheckInstitution(caller); !s.ok()) return s;
  if (!caller.HasRole(roles::kRecognitionOfficer) && !caller.HasRole(roles::kPathwayEditor)) {
    return absl::PermissionDeniedError(
        "caller: a recognition_officer or a pathway_editor publishes the institution's "
        "pathways");
  }
  auto scope = core_.path.Begin(r.request_id(), NamedPathway(core_.institution(), r));
  if (!scope.ok()) return scope.status();
  auto prior = core_.path.Replay(r.request_id(), "publish");
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) {
    return core_.read_model->Stored((*prior)->resource_id(), (*prior)->version());
  }

  auto pathway = Proposed(r);
  if (!pathway.ok()) return pathway.status();
  auto current = core_.read_model->Latest(pathway->pathway_id());
  if (!current.ok()) return current.status();
  auto version = domain::NextVersion(
      "expected_version", pathway->pathway_id(), r.expected_version(),
      current->has_value() ? std::optional<uint32_t>((*current)->version()) : std::nullopt);
  if (!version.ok()) return version.status();
  pathway->set_version(*version);
  pathway->set_published_at_ms(core_.context.clock.NowMs());
  auto ecosystem = PathwayEcosystem(r, *current);
  if (!ecosystem.ok()) return ecosystem.status();
  v1::PathwayPublished event;
  event.set_pathway_id(pathway->pathway_id());
  event.set_version(pathway->version());
  event.set_title(pathway->title());
  event.set_minimum_ects(pathway->rules().min_ects());
  *event.mutable_pathway() = *pathway;
  std::optional<domain::PolicyProfile> rules = core_.read_model->projector().Profile(*ecosystem);
  if (!rules.has_value()) return absl::InternalError("no rules for ecosystem " + *ecosystem);
  if (auto s = CheckPathwayPublished(event, core_.institution(), *ecosystem, *current, *rules);
      !s.ok()) {
    return s;
  }
  auto sealed = core_.path.SealIn(*ecosystem, topics::kStacking, pathway->pathway_id(),
                                  r.request_id(), event);
  if (!sealed.ok()) return sealed.status();
  command::CommandOutcome outcome;
  outcome.events.push_back(*std::move(sealed));
  if (auto s = core_.path.Write(std::move(outcome)); !s.ok()) return s;
  return core_.read_model->Stored(pathway->pathway_id(), pathway->version());
}

absl::StatusOr<std::string> PathwayCommands::PathwayEcosystem(
    const v1::PublishPathwayRequest& r, const std::optional<v1::Pathway>& current) const {
  if (current.has_value()) {
    // Recorded before ecosystems were: it is in the log the node then had, its home.
    const std::string& published_in =
        current->ecosystem_id().empty() ? core_.context.home_ecosystem() : current->ecosystem_id();
    if (!r.ecosystem_id().empty() && r.ecosystem_id() != published_in) {
      return absl::InvalidArgumentError(Cat("ecosystem_id: ", current->pathway_id(),
                                            " is published in ecosystem ", published_in,
                                            "; a revision stays there"));
    }
    return published_in;
  }
  const std::string& ecosystem =
      r.ecosystem_id().empty() ? core_.context.home_ecosystem() : r.ecosystem_id();
  if (!core_.context.Joined(ecosystem).has_value()) {
    return absl::InvalidArgumentError(
        Cat("ecosystem_id: this node has not joined ecosystem ", ecosystem));
  }
  if (!core_.read_model->FindMemberIn(ecosystem, core_.institution()).has_value()) {
    return absl::FailedPreconditionError(
        Cat("ecosystem_id: ", core_.institution(), " is not a member of ecosystem ", ecosystem));
  }
  return ecosystem;
}

absl::StatusOr<v1::Pathway> PathwayCommands::Proposed(const v1::PublishPathwayRequest& r) const {
  const std::string& institution = core_.institution();
  v1::Pathway pathway = r.pathway();
  if (pathway.owner_institution().empty()) pathway.set_owner_institution(institution);
  if (pathway.owner_institution() != institution) {
    return absl::PermissionDeniedError(Cat("pathway.owner_institution: this node publishes ",
                                           institution, "'s pathways only, not ",
                                           pathway.owner_institution(), "'s"));
  }
  if (r.expected_version() == 0) {
    if (!IsValidLocalId(r.local_id())) {
      return absl::InvalidArgumentError("local_id: required to publish, [a-z0-9-]{1,64}");
    }
    const std::string id = institution + "/" + r.local_id();
    if (!pathway.pathway_id().empty() && pathway.pathway_id() != id) {
      return absl::InvalidArgumentError(
          Cat("pathway.pathway_id: must be empty or \"", id, "\" (owner/local_id)"));
    }
    pathway.set_pathway_id(id);
  } else if (pathway.pathway_id().empty()) {
    return absl::InvalidArgumentError("pathway.pathway_id: required to revise a pathway");
  }
  return pathway;
}

}  // namespace microcred::stacking::internal
