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

class Secretariat {
 public:
  Secretariat(std::string ecosystem_id, crypto::SigningKey root_key);

  // What nodes configure to trust this ecosystem.
  TrustAnchor anchor() const;

  // Appends `member`, signed by the root, to the registry topic of `log`.
  absl::StatusOr<AppendResult> Admit(EventLog& log, const v1::MemberAdmitted& member) const;

 private:
  events::EnvelopeSigner root_;
};

}  // namespace microcred::registry

#endif  // MICROCRED_LIBS_REGISTRY_SECRETARIAT_H_
