// ServiceContext: what every service of one institution's node shares, given once by the node
// to each service and read model it starts.
//
// The references must outlive every service given the context; copies share them.
#ifndef MICROCRED_LIBS_COMMAND_SERVICE_CONTEXT_H_
#define MICROCRED_LIBS_COMMAND_SERVICE_CONTEXT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/base/clock.h"
#include "libs/consumer/projector.h"
#include "libs/domain/policy_profile.h"
#include "libs/events/envelope.h"
#include "libs/ports/event_log.h"
#include "libs/ports/state_store.h"
#include "libs/registry/registry.h"

namespace microcred {

// An ecosystem a node joined besides its home: its log, the roots the node trusts there, and the
// institution's signer there (its member identity: the ecosystem stated in what it seals).
struct JoinedEcosystem {
  std::string id;
  EventLog* log = nullptr;
  const events::EnvelopeSigner* signer = nullptr;
  std::vector<registry::TrustAnchor> trust_anchors;
};

struct ServiceContext {
  // The home ecosystem's log: where the node's events go unless a command names another of its
  // ecosystems, and where they come from.
  EventLog& log;
  StateStore& store;  // the process's state: read models, records, outbox, for every ecosystem
  // Signs this node's events in its home ecosystem: its institution and node id are the node's,
  // its ecosystem id is the home's.
  const events::EnvelopeSigner& signer;
  const domain::PolicyProfile& profile;              // the ecosystem's policy
  std::vector<registry::TrustAnchor> trust_anchors;  // the home ecosystem's roots
  // Told about every event a projector of this node refuses (logs, metrics).
  std::function<void(const events::v1::DeadLetter&)> on_refusal;
  Clock clock;
  // How long a command waits for this node to apply its own event before it gives up.
  absl::Duration apply_timeout = absl::Seconds(30);
  // The ecosystems the node joined besides its home (each with its own log), in the order its
  // configuration names them.
  std::vector<JoinedEcosystem> further_ecosystems;

  const std::string& institution_id() const { return signer.institution_id(); }
  const std::string& node_id() const { return signer.node_id(); }
  const std::string& home_ecosystem() const { return signer.ecosystem_id(); }
  // Every ecosystem the node joined, the home first.
  std::vector<JoinedEcosystem> ecosystems() const {
    std::vector<JoinedEcosystem> all = {
        {.id = home_ecosystem(), .log = &log, .signer = &signer, .trust_anchors = trust_anchors}};
    all.insert(all.end(), further_ecosystems.begin(), further_ecosystems.end());
    return all;
  }
  // The joined ecosystem `id`, or nullopt when the node did not join it.
  std::optional<JoinedEcosystem> Joined(std::string_view id) const {
    for (JoinedEcosystem& e : ecosystems()) {
      if (e.id == id) return std::move(e);
    }
    return std::nullopt;
  }

  // What a projector of this node is started with: the node's id and trust anchors, the
  // refusal callback, the clock, and the envelopes this process sealed (not verified again
  // when read back).
  // Starts a projector of this node feeding `projection` (which must outlive it): it has
  // caught up with the log when this returns.
  absl::StatusOr<std::unique_ptr<Projector>> StartProjector(Projection& projection) const {
    auto projector = std::make_unique<Projector>(log, store, projection, projector_options());
    if (absl::Status s = projector->Start(); !s.ok()) return s;
    return projector;
  }

  ProjectorOptions projector_options() const {
    std::vector<ProjectorFeed> further;
    for (const JoinedEcosystem& e : further_ecosystems) {
      further.push_back({.ecosystem_id = e.id,
                         .log = e.log,
                         .trust_anchors = e.trust_anchors,
                         .sealed_here = &e.signer->sealed()});
    }
    return {.node_id = node_id(),
            .institution_id = institution_id(),
            .ecosystem_id = home_ecosystem(),
            .trust_anchors = trust_anchors,
            .further_ecosystems = std::move(further),
            .on_refusal = on_refusal,
            .sealed_here = &signer.sealed(),
            .clock = clock};
  }
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_COMMAND_SERVICE_CONTEXT_H_
