// ServiceContext: what every service of one institution's node shares, given once by the node
// to each service and read model it starts.
//
// The references must outlive every service given the context; copies share them.
#ifndef MICROCRED_LIBS_COMMAND_SERVICE_CONTEXT_H_
#define MICROCRED_LIBS_COMMAND_SERVICE_CONTEXT_H_

#include <functional>
#include <memory>
#include <string>
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

struct ServiceContext {
  EventLog& log;      // where events go and come from
  StateStore& store;  // the process's state: read models, records, outbox
  // Signs this node's events: its institution and node id are the node's.
  const events::EnvelopeSigner& signer;
  const domain::PolicyProfile& profile;  // the ecosystem's policy
  std::vector<registry::TrustAnchor> trust_anchors;
  // Told about every event a projector of this node refuses (logs, metrics).
  std::function<void(const events::v1::DeadLetter&)> on_refusal;
  Clock clock;
  // How long a command waits for this node to apply its own event before it gives up.
  absl::Duration apply_timeout = absl::Seconds(30);

  const std::string& institution_id() const { return signer.institution_id(); }
  const std::string& node_id() const { return signer.node_id(); }

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
    return {.node_id = node_id(),
            .institution_id = institution_id(),
            .trust_anchors = trust_anchors,
            .on_refusal = on_refusal,
            .sealed_here = &signer.sealed(),
            .clock = clock};
  }
};

}  // namespace microcred

#endif  // MICROCRED_LIBS_COMMAND_SERVICE_CONTEXT_H_
