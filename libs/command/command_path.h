// CommandPath: the one way a service runs a command that changes something.
//
//   1. Begin: the client request id is checked and claimed for the command's duration, and the
//      resource the command acts on is locked (request_claims.h). A request id already being
//      processed is ABORTED.
//   2. Replay: an earlier command with this request id is answered from its CommandRecord. If
//      that command's event was committed but this node has not applied it (a crash, or an
//      append that failed without saying whether it landed), the node first catches up with
//      the log and appends the event again if it is still missing. The same request id used for
//      another kind of command is FAILED_PRECONDITION.
//   3. The service decides with its pure rules; a refusal returns before anything is written.
//   4. Commit: a command that changes state of its own (a learner's sealed records, a
//      recognition request) commits those changes, the CommandRecord of each request id and the
//      sealed events (as outbox entries) in ONE atomic store commit. A command whose whole
//      effect is its event (a publication, a status change) commits nothing here: its
//      projection keeps its record when it applies the event (Effects::command), so the record
//      is at every node and comes back when a store is rebuilt from the log, and a crash before
//      the append leaves nothing behind.
//   5. Publish: the events are appended, and the call returns once this node's own projection
//      has applied each of them, so the caller reads its own writes. The projector removes an
//      event's outbox entry in the commit that applies it. An event this node's own projection
//      refused (a bug: the service checked the same rules) is INTERNAL and is in the
//      dead-letter topic.
//   At start, RecoverOutbox settles what a crash left between 4 and 5: an event the restart's
//   catch-up applied only loses its entry, one never appended is appended.
//
// An event's id is derived from (institution, request id), so appending it twice is applied once
// everywhere. A repeatable command (erasure: every call must act) seals with a random id and
// keeps no record.
//
// State, under the service's projection name <p>:
//   <p>/command/<institution>/<request id>   CommandRecord (Projector::CommandKey)
//   <p>/outbox/<event id>                    OutboxEntry (Projector::OutboxKey)
//
// Thread-safe.
#ifndef MICROCRED_LIBS_COMMAND_COMMAND_PATH_H_
#define MICROCRED_LIBS_COMMAND_COMMAND_PATH_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "libs/command/request_claims.h"
#include "libs/command/service_context.h"
#include "libs/consumer/projector.h"
#include "microcred/events/v1/commands.pb.h"

namespace microcred::command {

using events::v1::CommandRecord;

// An event sealed by a command, ready for the outbox and the log.
struct SealedEvent {
  std::string event_id;
  AppendRequest append;
  std::string ecosystem_id;  // whose log it goes to (ServiceContext::Joined)
};

// Everything a command makes durable, committed at once.
struct CommandOutcome {
  WriteBatch writes;  // the service's own changes (may be empty)
  // By request id; none when the projection keeps them (Effects::command).
  std::vector<std::pair<std::string, CommandRecord>> records;
  std::vector<SealedEvent> events;
};

// Held for the duration of one command: its claim on the request id and its resource's lock.
struct CommandScope {
  RequestClaims::Claim claim;
  ResourceLocks::Held lock;
};

class CommandPath {
 public:
  // `request_id_field` is how the service's API names the client request id ("request_id",
  // "client_request_id"): errors name it. `projector` is the service's own; both it and
  // `context` must outlive the path.
  CommandPath(const ServiceContext& context, Projector& projector,
              std::string request_id_field = "request_id");

  // INVALID_ARGUMENT, naming the field, unless 1 to 128 characters from [A-Za-z0-9._:-].
  absl::Status ValidateRequestId(std::string_view request_id) const;

  // Step 1: validates and claims `request_id`, then locks `resource_id`.
  absl::StatusOr<CommandScope> Begin(std::string_view request_id, std::string_view resource_id);
  // Only the claim (a cohort claims each row; its rows share no resource).
  absl::StatusOr<RequestClaims::Claim> Claim(std::string_view request_id);

  // Step 2: the record an earlier command with `request_id` left, its event applied here first;
  // std::nullopt for a new command.
  absl::StatusOr<std::optional<CommandRecord>> Replay(const std::string& request_id,
                                                      std::string_view kind);
  // The same for many request ids at once (a cohort), in order, each record still to be checked
  // with CheckKind (a cohort refuses one row, not the call).
  absl::StatusOr<std::vector<std::optional<CommandRecord>>> ReplayMany(
      const std::vector<std::string>& request_ids);
  // FAILED_PRECONDITION when `record`, left by `request_id`, is not of a `kind` command.
  absl::Status CheckKind(const std::string& request_id, const CommandRecord& record,
                         std::string_view kind) const;

  // Seals `event` for `topic` as this institution's, keyed by `partition_key`, with the event id
  // `request_id` derives, as occurring at `occurred_at_ms` (0: now). Touches nothing: may run on
  // many threads at once.
  SealedEvent Seal(const std::string& topic, const std::string& partition_key,
                   const std::string& request_id, const google::protobuf::Message& event,
                   int64_t occurred_at_ms = 0) const;
  // The same sealed into `ecosystem_id`, one of the ecosystems the node joined, by the
  // institution's signer there. INVALID_ARGUMENT, naming `field`, for any other.
  absl::StatusOr<SealedEvent> SealIn(std::string_view ecosystem_id, const std::string& topic,
                                     const std::string& partition_key,
                                     const std::string& request_id,
                                     const google::protobuf::Message& event,
                                     int64_t occurred_at_ms = 0,
                                     std::string_view field = "ecosystem_id") const;
  // The same with a random event id, for a repeatable command.
  SealedEvent SealRepeatable(const std::string& topic, const std::string& partition_key,
                             const std::string& request_id,
                             const google::protobuf::Message& event) const;
  // The same sealed into `ecosystem_id`, as SealIn.
  absl::StatusOr<SealedEvent> SealRepeatableIn(std::string_view ecosystem_id,
                                               const std::string& topic,
                                               const std::string& partition_key,
                                               const std::string& request_id,
                                               const google::protobuf::Message& event) const;

  // Step 4: one atomic store commit of the outcome (writes, records, outbox entries). Takes the
  // outcome's writes; its events stay, for Publish.
  absl::Status Commit(CommandOutcome& outcome);
  // Step 5: appends the events, each to its ecosystem's log, and waits until this node has
  // applied each.
  absl::Status Publish(std::vector<SealedEvent> events);
  // Steps 4 (when the outcome has writes or records of its own) and 5.
  absl::Status Write(CommandOutcome outcome);

  // At start, once the projector has caught up: appends the events a crash left in the outbox.
  absl::Status RecoverOutbox();

  const ServiceContext& context() const { return context_; }
  const std::string& institution_id() const { return context_.institution_id(); }

 private:
  std::string CommandKey(std::string_view request_id) const;
  // Catches up with the log, then appends those of `event_ids` still in the outbox.
  absl::Status SettlePending(const std::vector<std::string>& event_ids);

  const ServiceContext& context_;
  Projector& projector_;
  const std::string request_id_field_;
  RequestClaims claims_;
  ResourceLocks locks_;
};

}  // namespace microcred::command

#endif  // MICROCRED_LIBS_COMMAND_COMMAND_PATH_H_
