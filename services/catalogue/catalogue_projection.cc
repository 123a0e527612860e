#include "services/catalogue/catalogue_projection.h"

#include "libs/events/reasons.h"
#include "libs/events/topics.h"
#include "services/catalogue/catalogue_rules.h"
#include "services/catalogue/catalogue_state.h"

namespace microcred::catalogue {
namespace {

domain::InstitutionLookup LookupIn(const registry::Registry& registry) {
  return [&registry](const std::string& id) -> std::optional<domain::InstitutionFacts> {
    const registry::v1::Member* member = registry.Find(id);
    if (member == nullptr) return std::nullopt;
    return domain::InstitutionFactsFromMember(*member);
  };
}

std::vector<common::v1::ProviderType> ProviderTypes(const v1::Specification& spec,
                                                    const registry::Registry& registry) {
  std::vector<common::v1::ProviderType> types;
  for (const std::string& body : spec.content().awarding_bodies()) {
    if (const registry::v1::Member* m = registry.Find(body)) {
      types.push_back(m->admitted().provider_type());
    }
  }
  return types;
}

// What a specification command produced: the version it left.
events::v1::CommandRecord CommandOf(const std::string& kind, const v1::Specification& spec) {
  events::v1::CommandRecord record;
  record.set_kind(kind);
  record.set_resource_id(spec.specification_id());
  record.set_version(spec.version());
  return record;
}

}  // namespace

std::string CatalogueProjection::name() const { return kStatePrefix; }

std::vector<std::string> CatalogueProjection::topics() const { return {topics::kCatalogue}; }

std::vector<std::string> CatalogueProjection::KeysToPrefetch(
    const events::v1::EnvelopeBody& body) const {
  return {kLatestPrefix + body.partition_key()};
}

absl::Status CatalogueProjection::Apply(const VerifiedEvent& event, StateStore& state,
                                        Effects& effects) {
  const std::string& type = event.body.event_type();
  if (type == v1::ProviderProfileUpdated::descriptor()->full_name()) {
    return ApplyProfileEvent(event, effects);
  }
  if (type == v1::SpecificationPublished::descriptor()->full_name() ||
      type == v1::SpecificationRevised::descriptor()->full_name() ||
      type == v1::SpecificationWithdrawn::descriptor()->full_name()) {
    return ApplySpecificationEvent(event, state, effects);
  }
  return events::Reject(events::reason::kUnknownEventType,
                        type + " is not a catalogue event this node knows");
}

absl::Status CatalogueProjection::ApplySpecificationEvent(const VerifiedEvent& event,
                                                          StateStore& state_store,
                                                          Effects& effects) {
  const Author author{event.body.source_institution(), event.body.occurred_at_ms(),
                      std::string(event.ecosystem)};
  const RuleContext ctx{event.profile, LookupIn(event.registry)};
  const std::string& type = event.body.event_type();
  CatalogueState state(state_store, home_ecosystem_);
  WriteBatch& writes = effects.writes;
  auto current = state.Latest(event.body.partition_key());
  if (!current.ok()) return current.status();

  absl::StatusOr<v1::Specification> decided;
  if (type == v1::SpecificationWithdrawn::descriptor()->full_name()) {
    auto withdrawn = UnpackEvent<v1::SpecificationWithdrawn>(event);
    if (!withdrawn.ok()) return withdrawn.status();
    decided = DecideWithdraw(*withdrawn, author, *current);
    if (!decided.ok()) return events::RejectDecision(decided.status());
    CatalogueState::PutLatest(*decided, writes);
    effects.command = CommandOf("withdraw", *decided);
  } else {
    bool publish = type == v1::SpecificationPublished::descriptor()->full_name();
    absl::StatusOr<v1::Specification> proposed;
    if (publish) {
      auto e = UnpackEvent<v1::SpecificationPublished>(event);
      proposed = e.ok() ? absl::StatusOr<v1::Specification>(e->specification()) : e.status();
    } else {
      auto e = UnpackEvent<v1::SpecificationRevised>(event);
      proposed = e.ok() ? absl::StatusOr<v1::Specification>(e->specification()) : e.status();
    }
    if (!proposed.ok()) return proposed.status();
    if (proposed->specification_id() != event.body.partition_key()) {
      return events::Reject(events::reason::kInvalidPayload,
                            "partition_key must be the specification id");
    }
    decided = publish ? DecidePublish(*proposed, author, *current, ctx)
                      : DecideRevise(*proposed, author, *current, ctx);
    if (!decided.ok()) return events::RejectDecision(decided.status());
    CatalogueState::PutSpecification(*decided, writes);
    effects.command = CommandOf(publish ? "publish" : "revise", *decided);
  }
  std::vector<common::v1::ProviderType> types = ProviderTypes(*decided, event.registry);
  effects.after_commit = [this, spec = *std::move(decided), types = std::move(types)] {
    index_.Upsert(spec, types);
  };
  return absl::OkStatus();
}

absl::Status CatalogueProjection::ApplyProfileEvent(const VerifiedEvent& event, Effects& effects) {
  WriteBatch& writes = effects.writes;
  auto updated = UnpackEvent<v1::ProviderProfileUpdated>(event);
  if (!updated.ok()) return updated.status();
  const Author author{event.body.source_institution(), event.body.occurred_at_ms(),
                      std::string(event.ecosystem)};
  // The name registered for this event's place in the log, not the latest: the same at every
  // node, whenever it reads a rename.
  registry::v1::Member registered = event.source;
  registered.mutable_admitted()->set_legal_name(registry::LegalNameAt(
      event.source, {event.record.topic, event.record.partition, event.record.offset}));
  auto decided = DecideProfile(updated->profile(), author, &registered);
  if (!decided.ok()) return events::RejectDecision(decided.status());
  CatalogueState::PutProfile(*decided, writes);
  effects.command.emplace();
  effects.command->set_kind("profile");
  effects.command->set_resource_id(author.institution_id);
  return absl::OkStatus();
}

void CatalogueProjection::RetypeOutsideHome(const MemberIn& find_member) {
  index_.Retype(
      [&](const v1::Specification& spec) -> std::optional<std::vector<common::v1::ProviderType>> {
        if (spec.ecosystem_id() == home_ecosystem_) return std::nullopt;
        std::vector<common::v1::ProviderType> types;
        for (const std::string& body : spec.content().awarding_bodies()) {
          if (auto member = find_member(spec.ecosystem_id(), body)) {
            types.push_back(member->admitted().provider_type());
          }
        }
        return types;
      });
}

absl::Status CatalogueProjection::Load(StateStore& store, const registry::Registry& registry) {
  auto rows = store.ScanPrefix(kLatestPrefix);
  if (!rows.ok()) return rows.status();
  const CatalogueState state(store, home_ecosystem_);
  for (const auto& [key, bytes] : *rows) {
    v1::Specification spec;
    if (!spec.ParseFromString(bytes)) return absl::DataLossError("unreadable record " + key);
    state.Complete(spec);
    index_.Upsert(spec, ProviderTypes(spec, registry));
  }
  return absl::OkStatus();
}

}  // namespace microcred::catalogue
