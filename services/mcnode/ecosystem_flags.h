// The ecosystems a node joins, from its flags, in one of two forms (never both):
//   - the single-ecosystem flags --ecosystem, --root-public-key, --kafka, --kafka-config and
//     --trusted-roots: one ecosystem;
//   - --ecosystems-file=FILE, a JSON file naming one or more (docs/OPERATIONS.md, "Several
//     ecosystems"):
//       {"ecosystems": [{"id": "fwb", "root_public_key": "<base64url>",
//                        "kafka": "host:9093", "kafka_config": "/etc/mcnode/fwb.properties",
//                        "log_dir": "...", "event_key_file": "...",
//                        "further_roots": {"<ecosystem id>": "<base64url>"}}, ...]}
// The first ecosystem is the node's home. A node is embedded (every ecosystem a file log) or
// distributed (every ecosystem a Kafka cluster), never both.
//
// Every bad value is an InvalidArgument naming the flag or the JSON path and the rule
// ("ecosystems[1].root_public_key: ..."); an unreadable file is NotFound. Unknown and repeated
// keys are refused: a misspelt key must not silently change what a node trusts. Only the
// ecosystems file is read here; the Kafka configuration and key files are the caller's to open.
#ifndef MICROCRED_SERVICES_MCNODE_ECOSYSTEM_FLAGS_H_
#define MICROCRED_SERVICES_MCNODE_ECOSYSTEM_FLAGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/host/config.h"
#include "libs/registry/registry.h"

namespace microcred {

struct EcosystemConfig {
  std::string id;  // [A-Za-z0-9._-], 1 to 64 characters
  // The root's Ed25519 public key, 32 raw bytes. Empty only in the single form without
  // --root-public-key: a --dev node makes its root itself.
  std::string root_public_key;
  std::string kafka;         // bootstrap servers; empty = embedded (a file log in log_dir)
  std::string kafka_config;  // librdkafka properties file (host::ReadKafkaProperties); optional
  // Embedded only: the ecosystem's file log. Default: <data-dir>/log for the home ecosystem
  // (where a one-ecosystem node has always kept it), <data-dir>/log-<id> for the others.
  std::string log_dir;
  // The Ed25519 key this node signs the ecosystem's events with; default the node's one event
  // key, <data-dir>/event-signing.key.
  std::string event_key_file;
  // Roots of other ecosystems trusted in this ecosystem's registry (--trusted-roots).
  std::vector<registry::TrustAnchor> further_roots;
};

// --ecosystems-file.
std::vector<host::ConfigOption> EcosystemConfigOptions();

// The ecosystems `config` names, home first, defaults filled in. `config` declares the
// single-ecosystem options and EcosystemConfigOptions().
absl::StatusOr<std::vector<EcosystemConfig>> EcosystemsFromConfig(const host::Config& config,
                                                                  const std::string& data_dir);

// The content of an ecosystems file; errors name `source` (the file) and the JSON path.
absl::StatusOr<std::vector<EcosystemConfig>> ParseEcosystemsFile(std::string_view text,
                                                                 const std::string& source,
                                                                 const std::string& data_dir);

// --trusted-roots: "id=base64url-key,..." (empty: none).
absl::StatusOr<std::vector<registry::TrustAnchor>> ParseTrustedRoots(const std::string& text);

}  // namespace microcred

#endif  // MICROCRED_SERVICES_MCNODE_ECOSYSTEM_FLAGS_H_
