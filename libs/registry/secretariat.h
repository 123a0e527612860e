// Secretariat: what holds an ecosystem's root key and admits institutions by signing their
// membership onto the registry topic. The alliance secretariat runs one; a development node and
// the tests run their own.
#ifndef MICROCRED_LIBS_REGISTRY_SECRETARIAT_H_
#define MICROCRED_LIBS_REGISTRY_SECRETARIAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/events/envelope.h"
#include "libs/ports/event_log.h"
#include "libs/registry/registry.h"
#include "microcred/registry/v1/registry.pb.h"

namespace microcred::registry {

// The registry entry for an Ed25519 public key; its id is the key's fingerprint, the id
// EnvelopeSigner puts in the events it signs.
v1::PublicKey RegisteredKey(const std::string& ed25519_public_key);

// The log's end on every domain topic (catalogue, issuance, recognition, stacking): the cut a
// registry change written now applies from.
absl::StatusOr<v1::LogCut> CurrentCut(EventLog& log);

// An institution rotating its own key: registers `new_key` and retires `retired_key_id` (when
// not empty) from the current cut on, signed by `institution` (a registered, unretired key).
absl::StatusOr<AppendResult> RotateOwnKey(EventLog& log, const events::EnvelopeSigner& institution,
                                          const v1::PublicKey& new_key,
                                          const std::string& retired_key_id);

class Secretariat {
 public:
  Secretariat(std::string ecosystem_id, crypto::SigningKey root_key);

  // What nodes configure to trust this ecosystem.
  TrustAnchor anchor() const;

  // Each appends one change, signed by the root, to the registry topic of `log`, and applies
  // from the log's current cut on. Admitting an existing member re-admits it (registry.h): the
  // keys `member` leaves out are retired from that cut. What a node refuses (a member another
  // root governs, a suspended member suspended again, a key id already registered, ...) is
  // refused at every node, which keep the record in their dead-letter topic.
  absl::StatusOr<AppendResult> Admit(EventLog& log, const v1::MemberAdmitted& member) const;
  absl::StatusOr<AppendResult> Suspend(EventLog& log, const std::string& institution_id,
                                       const std::string& reason) const;
  absl::StatusOr<AppendResult> Reinstate(EventLog& log, const std::string& institution_id,
                                         const std::string& reason) const;
  absl::StatusOr<AppendResult> RotateKey(EventLog& log, const std::string& institution_id,
                                         const v1::PublicKey& new_key,
                                         const std::string& retired_key_id) const;
  // Defines the ecosystem (or redefines it): its name, its rules from the log's current cut
  // on, and where its log lives (informative). Rules that do not validate are refused here
  // (INVALID_ARGUMENT naming the field), before anything is written, as every node would.
  absl::StatusOr<AppendResult> Define(EventLog& log, const std::string& display_name,
                                      const common::v1::PolicyRules& rules,
                                      const v1::EcosystemLog& where) const;

 private:
  events::EnvelopeSigner root_;
};

}  // namespace microcred::registry

#endif  // MICROCRED_LIBS_REGISTRY_SECRETARIAT_H_
