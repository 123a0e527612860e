// PolicyCommands and PolicyIndexCache (recognition_internal.h): publishing the institution's
// policies (an event-only command: the projection keeps its record at every node), and the
// policies compiled for matching.
#include "libs/auth/roles.h"
#include "libs/domain/versioning.h"
#include "libs/events/topics.h"
#include "services/recognition/recognition_internal.h"

namespace microcred::recognition::internal {
namespace {

namespace roles = auth::roles;

}  // namespace

absl::StatusOr<v1::RecognitionPolicy> PolicyCommands::PublishPolicy(
    const auth::Caller& caller, const v1::PublishPolicyRequest& r) {
  if (auto s = core_.CheckInstitution(caller); !s.ok()) return s;
  if (!HasAny(caller, {roles::kRecognitionOfficer, roles::kRegistrar})) {
    return absl::PermissionDeniedError(
        "caller: a recognition_officer or a registrar publishes the institution's policies");
  }
  if (auto s = core_.path.ValidateRequestId(r.client_request_id()); !s.ok()) return s;
  v1::RecognitionPolicy policy = r.policy();
  if (policy.receiving_institution().empty()) policy.set_receiving_institution(core_.institution());
  if (policy.status() == v1::POLICY_STATUS_UNSPECIFIED) {
    policy.set_status(v1::POLICY_STATUS_ACTIVE);
  }
  auto scope = core_.path.Begin(r.client_request_id(), policy.policy_id());
  if (!scope.ok()) return scope.status();
  auto prior = core_.path.Replay(r.client_request_id(), "policy");
  if (!prior.ok()) return prior.status();
  if (prior->has_value()) return core_.read_model->StoredPolicy((*prior)->resource_id());

  RecognitionReadModel& read_model = *core_.read_model;
  auto current = read_model.FindPolicy(policy.policy_id());
  if (!current.ok()) return current.status();
  auto version = domain::NextVersion(
      "policy.version", policy.policy_id(), policy.version(),
      current->has_value() ? std::optional<uint32_t>((*current)->version()) : std::nullopt);
  if (!version.ok()) return version.status();
  policy.set_version(*version);
  v1::RecognitionPolicyPublished event;
  event.set_policy_id(policy.policy_id());
  event.set_version(policy.version());
  event.set_title(policy.title());
  *event.mutable_policy() = policy;
  auto policies = read_model.PoliciesOf(core_.institution());
  if (!policies.ok()) return policies.status();
  if (auto s = CheckPolicyPublished(event, core_.institution(), *current, *policies); !s.ok()) {
    return s;
  }
  // The policy is the event: nothing is written here before it is appended.
  command::CommandOutcome outcome;
  outcome.events.push_back(
      core_.path.Seal(topics::kRecognition, policy.policy_id(), r.client_request_id(), event));
  if (auto s = core_.path.Write(std::move(outcome)); !s.ok()) return s;
  return read_model.StoredPolicy(policy.policy_id());
}

PolicyIndexCache::PolicyIndexCache(RecognitionReadModel& read_model, std::string institution,
                                   IssuerGroups local_groups)
    : read_model_(read_model),
      institution_(std::move(institution)),
      local_groups_(std::move(local_groups)) {}

absl::StatusOr<std::shared_ptr<const PolicyIndex>> PolicyIndexCache::Get() {
  const Generation generation = {read_model_.policy_generation(),
                                 read_model_.projector().registry_changes()};
  {
    absl::MutexLock lock(&mu_);
    if (index_ && generation_ == generation) return index_;
  }
  // Built outside the lock: concurrent builders of the same generation build the same index.
  auto policies = read_model_.PoliciesOf(institution_);
  if (!policies.ok()) return policies.status();
  IssuerGroups groups = read_model_.projector().IssuerGroups();
  for (const auto& [group, members] : local_groups_) {
    auto& merged = groups[group];
    merged.insert(merged.end(), members.begin(), members.end());
  }
  auto built = PolicyIndex::Build(*std::move(policies), groups);
  if (!built.ok()) return built.status();
  auto index = std::make_shared<const PolicyIndex>(*std::move(built));
  absl::MutexLock lock(&mu_);
  index_ = index;
  generation_ = generation;
  return index;
}

}  // namespace microcred::recognition::internal
