// mcnode: one institution's node as a process: the catalogue, issuance, recognition and
// stacking services over gRPC, the public HTTP (keys, status lists, verification, the web pages)
// and, with --metrics, Prometheus metrics. mc-catalogue, mc-issuance, mc-recognition and
// mc-stacking are this program serving one service each (--serve), for a node run as separate
// processes; the stacking process confers through the issuance process (--issuance-address).
//
// This file reads the configuration (flags, MC_* variables), opens the engines and the keys,
// and hands them to the Node (node.h), which composes the services.
//
// Embedded by default: an append-only file log and a journaled file store in --data-dir (read
// models are rebuilt from the log when the store is empty; the issuing node's sealed personal
// records live only in the store). With --kafka and --redis it uses the distributed engines.
// A node trusts the ecosystem root named by --root-public-key, or joins the ecosystems named by
// --ecosystems-file, each with its own log (a Kafka cluster, or a file log embedded) and root;
// the first is its home, the log every service is started on. Only with --dev, and only on the
// embedded engines, does it run a single-node development ecosystem instead: it creates a root
// key in its data dir, admits itself (with a P-256 key, so that it signs ES256 credentials as a
// new install does), and writes a development token to <data-dir>/dev-token.
// With none of them it refuses to start: a forgotten key must not turn into a root of its own.
// Once the registries are read, it refuses to start when a further ecosystem it joins has not
// admitted its institution (a new node runs before its home admits it).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/time/clock.h"
#include "libs/adapters/file/file_event_log.h"
#include "libs/adapters/file/file_state_store.h"
#include "libs/adapters/kafka/kafka_event_log.h"
#include "libs/adapters/redis/redis_state_store.h"
#include "libs/discovery/did_web.h"
#include "libs/domain/recommendation_profile.h"
#include "libs/eseal/self_signed.h"
#include "libs/events/topics.h"
#include "libs/host/config.h"
#include "libs/host/grpc_status.h"
#include "libs/host/kafka_properties.h"
#include "libs/host/key_file.h"
#include "libs/host/log.h"
#include "libs/host/service_host.h"
#include "libs/host/signal_shutdown.h"
#include "libs/registry/public_keys.h"
#include "libs/registry/secretariat.h"
#include "libs/verification/securing_profile.h"
#include "services/catalogue/catalogue_grpc.h"
#include "services/issuance/issuance_grpc.h"
#include "services/mcnode/ecosystem_flags.h"
#include "services/mcnode/fetcher_flags.h"
#include "services/mcnode/metrics_http.h"
#include "services/mcnode/node.h"
#include "services/mcnode/node_grpc.h"
#include "services/mcnode/node_metrics.h"
#include "services/mcnode/outside_flags.h"
#include "services/mcnode/public_http.h"
#include "services/mcnode/remote_issuer.h"
#include "services/recognition/recognition_grpc.h"
#include "services/stacking/stacking_grpc.h"

namespace microcred {
namespace {

using host::Config;
using host::Logger;

std::vector<host::ConfigOption> Options() {
  std::vector<host::ConfigOption> options = {
      {"institution", "institution id this node serves (required)"},
      {"node-id", "this node's id in events (default: <institution>-node)"},
      {"data-dir", "directory for keys and the embedded log (default ./mcnode-data)"},
      {"listen", "gRPC listen address (default 127.0.0.1:7443)"},
      {"bulk-listen",
       "gRPC listen address for bulk issuance (IssueCredentials with a cohort of up to 16 MiB) "
       "when this process serves issuance; empty = none: cohorts then go to --listen, in "
       "calls of up to 2 MiB"},
      {"http",
       "public HTTP listen address: keys, status lists, verification (default 127.0.0.1:8080)"},
      {"public-url", "the node's public https base URL (default https://<http address>)"},
      {"issuer-id",
       "how credentials name their issuer: url (its profile URL <public-url>/institutions/<id>, "
       "the default) or did-web (did:web:<host>[%3A<port>]:institutions:<id>, which needs an "
       "https --public-url); the kid follows"},
      {"kafka", "Kafka bootstrap servers; empty = embedded file log"},
      {"kafka-config",
       "a file of librdkafka properties (name=value lines, as kcat -F reads): TLS, SASL, tuning"},
      {"redis", "Redis HOST:PORT; empty = a journaled file store in the data dir"},
      {"redis-prefix", "key prefix in Redis (default <node-id>:)"},
      {"redis-password-file",
       "file holding the Redis password (AUTH); empty = none. A file, so that the password is "
       "in neither the process list nor the environment"},
      {"policy",
       "--dev only: the policy profile the development root defines for its ecosystem, eu or "
       "fwb (default eu). Other nodes apply the rules their ecosystems' registries state "
       "(`mcctl registry define-ecosystem`)"},
      {"policy-file", "--dev only: a JSON policy profile file, instead of a built-in one"},
      {"ecosystem", "ecosystem id (default dev-ecosystem)"},
      {"root-public-key",
       "ecosystem root Ed25519 public key, base64url (`mcctl registry init-root` prints it); "
       "required unless --dev"},
      {"dev",
       "run a one-node development ecosystem: a root key in the data dir admits this node, and "
       "an all-roles token is written to <data-dir>/dev-token. Embedded engines only: refused "
       "with --kafka, --redis or --root-public-key"},
      {"serve",
       "which service this process serves: all (mcnode's default), catalogue, issuance, "
       "recognition or stacking; it also runs the read models of the services it needs"},
      {"decision-months", "recognition: months to decide once a file is complete (default 4)"},
      {"appeal-days", "recognition: days to lodge an appeal after a decision (default 30)"},
      {"appeal-decision-months", "recognition: months to decide an appeal (default 2)"},
      {"time-zone", "the institution's time zone for days and deadlines (default UTC)"},
      {"appeal-route", "recognition: the appeal route decisions name (e.g. a URL or an office)"},
      {"trusted-roots",
       "the roots of further ecosystems this institution belongs to: id=base64url-key, "
       "comma-separated"},
      {"provider-type",
       "dev ecosystem: this institution's provider type (default HIGHER_EDUCATION)"},
      {"legal-name",
       "dev ecosystem: legal name; also the web pages' header until a profile names it"},
      {"country", "dev ecosystem: ISO country code (default BE)"},
      {"rsa-key-file", "PKCS#8 PEM RSA key for RS256 credentials (created when missing); opt-in"},
      {"ec-key-file",
       "PKCS#8 PEM P-256 key for ES256 credentials (created when missing); signs once registered "
       "for the institution (default with --dev: <data-dir>/credential-p256.key; else none)"},
      {"credential-algorithm",
       "es256, eddsa or rs256: how credentials are signed when a request names no algorithm "
       "(default: es256 when the --ec-key-file key is registered for the institution, else "
       "eddsa)"},
      {"securing-profile",
       "how credentials are secured when a request names no profile: open-badges-jwt (Open "
       "Badges 3.0 VC-JWT, the default) or vc-jose-cose (W3C VC-JOSE-COSE, typ vc+jwt)"},
      {"seal-key-file",
       "PEM private key (P-256 or RSA of 2048 bits or more, unencrypted, readable by its owner "
       "only) of the institution's e-seal, which seals the ELM (Europass) export with JAdES; "
       "with --seal-certificate-file. Default with --dev: a self-made seal, "
       "<data-dir>/seal-p256.key; else none, and ELM exports are refused"},
      {"seal-certificate-file",
       "PEM certificate chain of the e-seal: its own certificate first (with "
       "organizationIdentifier "
       "and countryName), then its issuers. Production: a qualified certificate for electronic "
       "seals from a qualified trust service provider. Default with --dev: <data-dir>/"
       "seal-chain.pem, self-made (its CA in <data-dir>/seal-ca.pem)"},
      {"token-keys", "trusted token issuers: kid=issuer=base64url-key, comma-separated"},
      {"max-token-lifetime",
       "the longest lifetime (exp - iat) a bearer token may claim, e.g. 8h (default 12h, at "
       "most 744h); longer tokens are refused"},
      {"issuance-address",
       "--serve=stacking: the gRPC HOST:PORT of this node's issuance process, which issues "
       "what stacking confers (required there)"},
      {"internal-token-key-file",
       "separate processes: the Ed25519 key the node's processes sign their calls to one "
       "another with, the same file for all of them (default <data-dir>/internal-token.key)"},
      {"metrics",
       "HTTP listen address for Prometheus (/metrics) and probes (/healthz) of this process; "
       "empty = none. Never the public HTTP: metrics are for operators only"},
      {"grpc-reflection",
       "serve gRPC server reflection, for grpcurl without the proto files (default false: it "
       "describes every method to anyone who can connect)"},
      {"log-level", "debug, info, warning or error (default info)"},
  };
  for (host::ConfigOption& option : EcosystemConfigOptions()) options.push_back(std::move(option));
  for (host::ConfigOption& option : FetcherConfigOptions()) options.push_back(std::move(option));
  for (host::ConfigOption& option : OutsideCredentialConfigOptions()) {
    options.push_back(std::move(option));
  }
  return options;
}

struct Engines {
  std::unique_ptr<EventLog> log;  // the home ecosystem's
  // The further ecosystems' logs, in the order of NodeOptions::further_ecosystems.
  std::vector<std::unique_ptr<EventLog>> further_logs;
  std::unique_ptr<StateStore> store;
};

absl::StatusOr<std::pair<std::string, int>> HostPort(const std::string& text, const char* flag) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size()) {
    return absl::InvalidArgumentError(std::string("--") + flag + ": expected HOST:PORT");
  }
  return std::make_pair(text.substr(0, colon), std::stoi(text.substr(colon + 1)));
}

// The password in --redis-password-file, without its trailing line break; empty without one.
absl::StatusOr<std::string> RedisPassword(const Config& config) {
  const std::string path = *config.GetString("redis-password-file", "");
  if (path.empty()) return std::string();
  std::ifstream in(path);
  std::string password;
  if (!in || !std::getline(in, password)) {
    return absl::NotFoundError("--redis-password-file: cannot read " + path);
  }
  if (password.empty())
    return absl::InvalidArgumentError("--redis-password-file: " + path + " is empty");
  return password;
}

// Where `ecosystem`'s log lives, for the start-up log lines.
std::string LogOf(const EcosystemConfig& ecosystem) {
  return ecosystem.kafka.empty() ? "file:" + ecosystem.log_dir : "kafka:" + ecosystem.kafka;
}

// `ecosystem`'s log: its own Kafka client (its bootstrap servers, its librdkafka properties
// file), or its file log. Errors name the ecosystem.
absl::StatusOr<std::unique_ptr<EventLog>> OpenLog(const EcosystemConfig& ecosystem,
                                                  const std::string& node_id) {
  const auto named = [&ecosystem](const absl::Status& status) {
    return absl::Status(status.code(), "ecosystem " + ecosystem.id + " (" + LogOf(ecosystem) +
                                           "): " + std::string(status.message()));
  };
  if (ecosystem.kafka.empty()) {
    auto log = FileEventLog::Open(ecosystem.log_dir);
    if (!log.ok()) return named(log.status());
    return std::unique_ptr<EventLog>(*std::move(log));
  }
  auto properties = host::ReadKafkaProperties(ecosystem.kafka_config);
  if (!properties.ok()) return named(properties.status());
  auto log = KafkaEventLog::Open(
      {.bootstrap_servers = ecosystem.kafka, .client_id = node_id, .properties = *properties});
  if (!log.ok()) return named(log.status());
  return std::unique_ptr<EventLog>(*std::move(log));
}

absl::StatusOr<Engines> OpenEngines(const Config& config, const std::string& data_dir,
                                    const std::string& node_id,
                                    const std::vector<EcosystemConfig>& ecosystems) {
  Engines engines;
  auto redis = config.GetString("redis", "");
  if (!redis.ok()) return redis.status();
  for (const EcosystemConfig& ecosystem : ecosystems) {
    auto log = OpenLog(ecosystem, node_id);
    if (!log.ok()) return log.status();
    if (engines.log == nullptr) {
      engines.log = *std::move(log);
    } else {
      engines.further_logs.push_back(*std::move(log));
    }
  }
  if (redis->empty()) {
    auto store = FileStateStore::Open(data_dir + "/state");
    if (!store.ok()) return store.status();
    engines.store = *std::move(store);
  } else {
    auto address = HostPort(*redis, "redis");
    if (!address.ok()) return address.status();
    auto prefix = config.GetString("redis-prefix", node_id + ":");
    if (!prefix.ok()) return prefix.status();
    auto password = RedisPassword(config);
    if (!password.ok()) return password.status();
    auto store = RedisStateStore::Open({.host = address->first,
                                        .port = address->second,
                                        .password = *password,
                                        .key_prefix = *prefix});
    if (!store.ok()) return store.status();
    engines.store = *std::move(store);
  }
  return engines;
}

absl::StatusOr<domain::PolicyProfile> LoadPolicy(const Config& config) {
  auto file = config.GetString("policy-file", "");
  if (!file.ok()) return file.status();
  if (file->empty()) {
    auto name = config.GetString("policy", "eu");
    if (!name.ok()) return name.status();
    return domain::PolicyProfile::Named(*name);
  }
  std::ifstream in(*file);
  if (!in) return absl::NotFoundError("--policy-file: cannot read " + *file);
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return domain::PolicyProfile::FromJson(json);
}

// What --serve names: the service this process serves, or all of them.
absl::StatusOr<NodeScope> ServedService(const Config& config) {
  const std::string serve = *config.GetString("serve", MC_DEFAULT_SERVE);
  if (serve == "all") return NodeScope::kAll;
  if (serve == "catalogue") return NodeScope::kCatalogue;
  if (serve == "issuance") return NodeScope::kIssuance;
  if (serve == "recognition") return NodeScope::kRecognition;
  if (serve == "stacking") return NodeScope::kStacking;
  return absl::InvalidArgumentError(
      "--serve: all, catalogue, issuance, recognition or stacking, not " + serve);
}

// What --securing-profile names: the profile of credentials whose request names none.
absl::StatusOr<issuance::v1::SecuringProfile> DefaultSecuringProfile(const Config& config) {
  const std::string name = *config.GetString("securing-profile", "open-badges-jwt");
  std::optional<issuance::v1::SecuringProfile> profile =
      verification::SecuringProfileFromName(name);
  if (!profile) {
    return absl::InvalidArgumentError("--securing-profile: open-badges-jwt or vc-jose-cose, not " +
                                      name);
  }
  return *profile;
}

struct RecognitionConfig {
  recognition::v1::DeadlineSettings deadlines;
  absl::TimeZone zone;
  std::string appeal_route;
};

// The periods the institution fixes in advance for recognition, and its time zone.
absl::StatusOr<RecognitionConfig> RecognitionSettings(const Config& config) {
  RecognitionConfig out;
  struct Period {
    const char* flag;
    void (recognition::v1::DeadlineSettings::*set)(uint32_t);
    int64_t max;
  };
  for (const Period& p :
       {Period{"decision-months", &recognition::v1::DeadlineSettings::set_decision_months, 24},
        Period{"appeal-days", &recognition::v1::DeadlineSettings::set_appeal_lodging_days, 365},
        Period{"appeal-decision-months",
               &recognition::v1::DeadlineSettings::set_appeal_decision_months, 24}}) {
    auto value = config.GetInt(p.flag, 0);
    if (!value.ok()) return value.status();
    if (*value < 0 || *value > p.max) {
      return absl::InvalidArgumentError(std::string("--") + p.flag + ": between 1 and " +
                                        std::to_string(p.max) + " (0 or unset: the default)");
    }
    (out.deadlines.*p.set)(static_cast<uint32_t>(*value));
  }
  const std::string zone = *config.GetString("time-zone", "UTC");
  if (!absl::LoadTimeZone(zone, &out.zone)) {
    return absl::InvalidArgumentError("--time-zone: unknown time zone " + zone +
                                      " (an IANA name such as Europe/Brussels)");
  }
  out.appeal_route = *config.GetString("appeal-route", "");
  return out;
}

// The roots this node trusts in `ecosystem`'s registry: the ecosystem's own (`root`) and its
// further roots.
std::vector<registry::TrustAnchor> TrustAnchors(const EcosystemConfig& ecosystem,
                                                registry::TrustAnchor root) {
  std::vector<registry::TrustAnchor> anchors = {std::move(root)};
  anchors.insert(anchors.end(), ecosystem.further_roots.begin(), ecosystem.further_roots.end());
  return anchors;
}

// The key the node signs `ecosystem`'s events with: its event_key_file, made when missing like
// the node's one event key; unset when that is the node's one key (`home_key_file`).
absl::StatusOr<std::optional<crypto::SigningKey>> FurtherEventKey(
    const EcosystemConfig& ecosystem, const std::string& home_key_file) {
  if (ecosystem.event_key_file == home_key_file) return std::optional<crypto::SigningKey>();
  auto key = host::LoadOrCreateSigningKey(ecosystem.event_key_file);
  if (!key.ok()) {
    return absl::Status(key.status().code(), "ecosystem " + ecosystem.id + ": event_key_file: " +
                                                 std::string(key.status().message()));
  }
  return std::optional<crypto::SigningKey>(*std::move(key));
}

// Whether this node runs a development ecosystem (--dev) or trusts --root-public-key: one of
// the two, by name. A development root admits its node and mints all-roles tokens, so it stays
// off what other nodes share: the Kafka log (its registry topic) and a Redis store (which holds
// a node's positions in the shared log and its read models).
absl::StatusOr<bool> DevelopmentMode(const Config& config) {
  auto dev = config.GetBool("dev", false);
  if (!dev.ok()) return dev.status();
  const bool has_root = !config.GetString("root-public-key", "")->empty();
  const bool has_file = !config.GetString("ecosystems-file", "")->empty();
  if (!*dev && !has_root && !has_file) {
    return absl::InvalidArgumentError(
        "--root-public-key (MC_ROOT_PUBLIC_KEY) is required: the ecosystem root's public key, "
        "which `mcctl registry init-root` prints; or --ecosystems-file (MC_ECOSYSTEMS_FILE), "
        "the ecosystems the node joins with each one's root. For a one-node development "
        "ecosystem on the embedded engines, pass --dev (MC_DEV) instead");
  }
  if (!*dev) return false;
  if (has_file) {
    return absl::InvalidArgumentError(
        "--dev (MC_DEV) is refused with --ecosystems-file (MC_ECOSYSTEMS_FILE): a development "
        "node runs one ecosystem of its own; give the node each ecosystem's root in the file "
        "instead");
  }
  if (has_root) {
    return absl::InvalidArgumentError(
        "--dev (MC_DEV) and --root-public-key (MC_ROOT_PUBLIC_KEY) exclude each other: a "
        "development node is its own root");
  }
  for (const char* shared : {"kafka", "redis"}) {
    if (!config.GetString(shared, "")->empty()) {
      return absl::InvalidArgumentError(
          std::string("--dev (MC_DEV) is refused with --") + shared + " (" +
          Config::EnvVarFor(shared) +
          "): a development ecosystem runs on the embedded log and store only, never on a "
          "shared one; give the node --root-public-key instead");
    }
  }
  return true;
}

// The P-256 key that signs ES256 credentials: --ec-key-file, created when missing; a development
// node has one by default, so that it signs as a new install does.
absl::StatusOr<std::optional<jose::EcPrivateKey>> CredentialEcKey(const Config& config,
                                                                  const std::string& data_dir,
                                                                  bool dev) {
  const std::string path =
      *config.GetString("ec-key-file", dev ? data_dir + "/credential-p256.key" : "");
  if (path.empty()) return std::optional<jose::EcPrivateKey>();
  auto key = jose::EcPrivateKey::LoadOrCreateFile(path);
  if (!key.ok()) {
    return absl::Status(key.status().code(),
                        "--ec-key-file: " + std::string(key.status().message()));
  }
  return std::optional<jose::EcPrivateKey>(*std::move(key));
}

// The e-seal of the ELM export: --seal-key-file and --seal-certificate-file, or with --dev a
// self-made seal kept in the data dir; none otherwise (ELM exports are then refused).
absl::StatusOr<std::optional<eseal::SealCredentials>> ElmSeal(const Config& config,
                                                              const std::string& data_dir,
                                                              const std::string& institution,
                                                              bool dev) {
  std::string key_file = *config.GetString("seal-key-file", "");
  std::string certificate_file = *config.GetString("seal-certificate-file", "");
  if (key_file.empty() != certificate_file.empty()) {
    return absl::InvalidArgumentError(
        "--seal-key-file and --seal-certificate-file: give both (the e-seal's key and its "
        "certificate chain) or neither");
  }
  const absl::Time now = absl::Now();
  if (key_file.empty()) {
    if (!dev) return std::optional<eseal::SealCredentials>();
    const std::string country = *config.GetString("country", "BE");
    auto files = eseal::WriteDevelopmentSeal(
        data_dir,
        {.organization = *config.GetString("legal-name", institution),
         .organization_identifier = eseal::DevelopmentOrganizationIdentifier(country, institution),
         .country = country,
         .not_before = now - absl::Hours(1),
         .not_after = now + absl::Hours(24 * 730)});
    if (!files.ok()) return files.status();
    key_file = files->key_file;
    certificate_file = files->certificate_file;
  }
  auto seal = eseal::LoadSealCredentials(key_file, certificate_file, now);
  if (!seal.ok()) return seal.status();
  return std::optional<eseal::SealCredentials>(*std::move(seal));
}

// --credential-algorithm; UNSPECIFIED when not given (the node then decides by its keys).
// Refused when the node will hold no key for it (a development node has a P-256 key).
absl::StatusOr<issuance::v1::SignatureAlgorithm> CredentialAlgorithm(const Config& config,
                                                                     bool dev) {
  const std::string name = *config.GetString("credential-algorithm", "");
  if (name.empty()) return issuance::v1::SIGNATURE_ALGORITHM_UNSPECIFIED;
  if (name == "eddsa") return issuance::v1::SIGNATURE_ALGORITHM_EDDSA;
  if (name == "es256" || name == "rs256") {
    const bool es256 = name == "es256";
    const bool has_key = es256 ? dev || !config.GetString("ec-key-file", "")->empty()
                               : !config.GetString("rsa-key-file", "")->empty();
    if (!has_key) {
      return absl::InvalidArgumentError("--credential-algorithm=" + name + " needs --" +
                                        (es256 ? "ec" : "rsa") + "-key-file");
    }
    return es256 ? issuance::v1::SIGNATURE_ALGORITHM_ES256
                 : issuance::v1::SIGNATURE_ALGORITHM_RS256;
  }
  return absl::InvalidArgumentError("--credential-algorithm: es256, eddsa or rs256, not " + name);
}

// A single-node ecosystem for development: a root key in the data dir that admits this node.
absl::StatusOr<registry::TrustAnchor> StartDevEcosystem(
    const Config& config, EventLog& log, const std::string& data_dir, const std::string& ecosystem,
    const std::string& institution, const std::string& public_url,
    const crypto::SigningKey& event_key, const jose::RsaPrivateKey* rsa_key,
    const jose::EcPrivateKey* ec_key) {
  auto root_key = host::LoadOrCreateSigningKey(data_dir + "/dev-root.key");
  if (!root_key.ok()) return root_key.status();
  registry::Secretariat secretariat(ecosystem, *root_key);
  // The development root is the ecosystem's secretariat: it defines the rules (--policy), again
  // only when they change.
  auto policy = LoadPolicy(config);
  if (!policy.ok()) return policy.status();
  const std::string rules = policy->ToRules().SerializeAsString();
  const std::string defined_marker = data_dir + "/dev-defined";
  std::string defined;
  std::getline(std::ifstream(defined_marker) >> std::ws, defined);
  if (defined != crypto::HexEncode(crypto::Sha256(rules))) {
    auto written = secretariat.Define(log, ecosystem, policy->ToRules(), {});
    if (!written.ok()) return written.status();
    std::ofstream(defined_marker) << crypto::HexEncode(crypto::Sha256(rules)) << "\n";
  }
  auto type_name = config.GetString("provider-type", "HIGHER_EDUCATION");
  if (!type_name.ok()) return type_name.status();
  common::v1::ProviderType type;
  if (!common::v1::ProviderType_Parse("PROVIDER_TYPE_" + *type_name, &type)) {
    return absl::InvalidArgumentError("--provider-type: unknown provider type " + *type_name);
  }
  registry::v1::MemberAdmitted member;
  member.set_institution_id(institution);
  member.set_legal_name(*config.GetString("legal-name", institution));
  member.set_country(*config.GetString("country", "BE"));
  member.set_provider_type(type);
  member.set_public_url(public_url);
  *member.add_keys() = registry::RegisteredKey(event_key.public_key());
  if (rsa_key != nullptr) *member.add_keys() = registry::RegisteredRsaKey(rsa_key->PublicKeyDer());
  if (ec_key != nullptr) *member.add_keys() = registry::RegisteredP256Key(ec_key->PublicKeyDer());
  // Admit once per distinct membership, not at every start: the registry topic is kept. The
  // marker records what was admitted (the Kafka part of the digest is empty since --dev runs on
  // the embedded log only; kept so that existing data dirs are not admitted again).
  const std::string marker = data_dir + "/dev-admitted";
  const std::string admitted_digest = crypto::HexEncode(
      crypto::Sha256(ecosystem + '\0' + config.GetString("kafka", "").value_or("") + '\0' +
                     member.SerializeAsString()));
  std::string previous;
  std::getline(std::ifstream(marker) >> std::ws, previous);
  if (previous == admitted_digest) return secretariat.anchor();
  if (auto admitted = secretariat.Admit(log, member); !admitted.ok()) return admitted.status();
  std::ofstream(marker) << admitted_digest << "\n";
  return secretariat.anchor();
}

absl::Status ConfigureTokens(const Config& config, const std::string& data_dir,
                             const std::string& institution, bool dev,
                             auth::TokenVerifier& verifier) {
  auto keys = config.GetString("token-keys", "");
  if (!keys.ok()) return keys.status();
  std::stringstream entries(*keys);
  for (std::string entry; std::getline(entries, entry, ',');) {
    size_t a = entry.find('='), b = entry.find('=', a + 1);
    if (a == std::string::npos || b == std::string::npos) {
      return absl::InvalidArgumentError("--token-keys: expected kid=issuer=base64url-key");
    }
    auto key = crypto::Base64UrlDecode(entry.substr(b + 1));
    if (!key.ok()) return absl::InvalidArgumentError("--token-keys: key is not base64url");
    auto added = verifier.AddTrustedKey(entry.substr(0, a), entry.substr(a + 1, b - a - 1), *key);
    if (!added.ok()) return added;
  }
  if (!dev) return absl::OkStatus();
  auto minter_key = host::LoadOrCreateSigningKey(data_dir + "/dev-token.key");
  if (!minter_key.ok()) return minter_key.status();
  auth::TokenMinter minter(*minter_key, "mcnode-dev", verifier.audience());
  if (auto s = verifier.AddTrustedKey(minter.kid(), minter.issuer(), minter.public_key());
      !s.ok()) {
    return s;
  }
  // A bearer credential: readable by its owner only.
  const std::string path = data_dir + "/dev-token";
  const std::string token = minter.Mint("dev-staff@" + institution, institution,
                                        {"registrar", "catalogue_editor", "recognition_officer"},
                                        verifier.max_lifetime());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  bool written = fd >= 0 && ::fchmod(fd, 0600) == 0 &&
                 ::write(fd, token.data(), token.size()) == static_cast<ssize_t>(token.size());
  if (fd >= 0) ::close(fd);
  if (!written) return absl::PermissionDeniedError("--data-dir: cannot write " + path);
  Logger::Info("dev_token_written", {{"path", path}});
  return absl::OkStatus();
}

// The key a node run as separate processes signs its internal calls with: the stacking process
// signs, the issuance process trusts. A process serving everything calls nobody.
absl::StatusOr<std::optional<crypto::SigningKey>> InternalTokenKey(const Config& config,
                                                                   const std::string& data_dir,
                                                                   NodeScope served) {
  if (served != NodeScope::kIssuance && served != NodeScope::kStacking) {
    return std::optional<crypto::SigningKey>();
  }
  const std::string path =
      *config.GetString("internal-token-key-file", data_dir + "/internal-token.key");
  auto key = host::LoadOrCreateSigningKey(path);
  if (!key.ok()) {
    return absl::Status(key.status().code(),
                        "--internal-token-key-file: " + std::string(key.status().message()));
  }
  return std::optional<crypto::SigningKey>(*std::move(key));
}

// A stacking process confers through the node's issuance process: only that one picks the
// institution's status-list indexes and keeps the learners' records.
absl::StatusOr<std::unique_ptr<stacking::CredentialIssuer>> ConferralIssuer(
    const Config& config, NodeScope served, const std::string& node_id,
    const std::optional<crypto::SigningKey>& internal_key) {
  const std::string address = *config.GetString("issuance-address", "");
  if (served != NodeScope::kStacking) {
    if (!address.empty()) {
      return absl::InvalidArgumentError("--issuance-address: only for --serve=stacking");
    }
    return std::unique_ptr<stacking::CredentialIssuer>();
  }
  if (address.empty()) {
    return absl::InvalidArgumentError(
        "--issuance-address (MC_ISSUANCE_ADDRESS) is required with --serve=stacking: the "
        "stacking process confers through the node's issuance process");
  }
  if (auto checked = HostPort(address, "issuance-address"); !checked.ok()) return checked.status();
  return std::unique_ptr<stacking::CredentialIssuer>(std::make_unique<RemoteIssuer>(
      address, auth::TokenMinter(*internal_key, kInternalTokenIssuer, node_id)));
}

absl::Status Run(const Config& config) {
  auto institution = config.Require("institution");
  if (!institution.ok()) return institution.status();
  // Before anything is written: a refused node leaves no key, token or admission behind.
  auto dev = DevelopmentMode(config);
  if (!dev.ok()) return dev.status();
  auto reflection = config.GetBool("grpc-reflection", false);
  if (!reflection.ok()) return reflection.status();
  auto credential_algorithm = CredentialAlgorithm(config, *dev);
  if (!credential_algorithm.ok()) return credential_algorithm.status();
  // The one HTTP client, for outside issuers' keys and status lists (--fetch-*).
  auto fetcher_options = FetcherOptionsFromConfig(config);
  if (!fetcher_options.ok()) return fetcher_options.status();
  auto fetcher = CurlFetcher::Create(*std::move(fetcher_options));
  if (!fetcher.ok()) return fetcher.status();
  // Outside credentials verified through it (--accept-outside-credentials,
  // --trusted-list-file).
  auto outside = OutsideCredentialsFromConfig(config, **fetcher);
  if (!outside.ok()) return outside.status();
  const std::string node_id = *config.GetString("node-id", *institution + "-node");
  const std::string data_dir = *config.GetString("data-dir", "./mcnode-data");
  // The ecosystems it joins, the home first: --ecosystems-file, or the single-ecosystem flags.
  auto ecosystems = EcosystemsFromConfig(config, data_dir);
  if (!ecosystems.ok()) return ecosystems.status();
  const EcosystemConfig& home = ecosystems->front();
  std::filesystem::create_directories(data_dir);

  if (!*dev && (config.IsSet("policy") || config.IsSet("policy-file"))) {
    return absl::InvalidArgumentError(
        "--policy (MC_POLICY) and --policy-file are for --dev only: an ecosystem's rules are "
        "stated by its secretariat in its registry (`mcctl registry define-ecosystem`), and "
        "every node applies them; a node names only the ecosystems it joins");
  }
  auto event_key = host::LoadOrCreateSigningKey(home.event_key_file);
  if (!event_key.ok()) return event_key.status();
  auto engines = OpenEngines(config, data_dir, node_id, *ecosystems);
  if (!engines.ok()) return engines.status();
  metrics::Registry metrics;
  MeteredEventLog log(*engines->log, metrics);
  std::vector<std::unique_ptr<MeteredEventLog>> further_logs;
  for (std::unique_ptr<EventLog>& further : engines->further_logs) {
    further_logs.push_back(std::make_unique<MeteredEventLog>(*further, metrics));
  }

  const std::string http_address = *config.GetString("http", "127.0.0.1:8080");
  auto http_host_port = HostPort(http_address, "http");
  if (!http_host_port.ok()) return http_host_port.status();
  // Credentials name their issuer by an https URL; TLS is terminated in front of the node.
  const std::string public_url = *config.GetString("public-url", "https://" + http_address);
  auto issuer_id_form = discovery::ParseIssuerIdForm(*config.GetString("issuer-id", "url"));
  if (!issuer_id_form.ok()) return issuer_id_form.status();
  // Refused before anything is written (a development node admits itself further down).
  if (auto id = discovery::IssuerId(*issuer_id_form, public_url, *institution); !id.ok()) {
    return absl::InvalidArgumentError("--issuer-id=did-web: " + std::string(id.status().message()));
  }
  auto pseudonym_secret = host::LoadOrCreateSecret(data_dir + "/learner-pseudonym.key");
  if (!pseudonym_secret.ok()) return pseudonym_secret.status();
  auto vault_key = host::LoadOrCreateSecret(data_dir + "/learner-vault.key");
  if (!vault_key.ok()) return vault_key.status();
  std::optional<jose::RsaPrivateKey> rsa_key;
  if (const std::string rsa_file = *config.GetString("rsa-key-file", ""); !rsa_file.empty()) {
    auto loaded = jose::RsaPrivateKey::LoadOrCreateFile(rsa_file);
    if (!loaded.ok()) return loaded.status();
    rsa_key = *std::move(loaded);
  }
  auto ec_key = CredentialEcKey(config, data_dir, *dev);
  if (!ec_key.ok()) return ec_key.status();
  auto elm_seal = ElmSeal(config, data_dir, *institution, *dev);
  if (!elm_seal.ok()) return elm_seal.status();
  if (*elm_seal) {
    Logger::Info(
        "elm_seal",
        {{"subject", (*elm_seal)->subject},
         {"algorithm", std::string(jose::JwsAlgorithmName((*elm_seal)->signer->algorithm()))},
         {"not_after",
          absl::FormatTime(absl::RFC3339_sec, (*elm_seal)->not_after, absl::UTCTimeZone())}});
  } else {
    Logger::Info("elm_seal", {{"subject", ""},
                              {"note", "no --seal-key-file: ELM (Europass) exports are refused"}});
  }
  registry::TrustAnchor anchor;
  if (*dev) {
    auto dev_anchor =
        StartDevEcosystem(config, log, data_dir, home.id, *institution, public_url, *event_key,
                          rsa_key ? &*rsa_key : nullptr, *ec_key ? &**ec_key : nullptr);
    if (!dev_anchor.ok()) return dev_anchor.status();
    anchor = *dev_anchor;
  } else {
    anchor = {home.id, home.root_public_key};
  }
  const std::vector<registry::TrustAnchor> anchors = TrustAnchors(home, anchor);
  std::vector<FurtherEcosystem> further_ecosystems;
  for (size_t i = 1; i < ecosystems->size(); ++i) {
    const EcosystemConfig& ecosystem = (*ecosystems)[i];
    auto key = FurtherEventKey(ecosystem, home.event_key_file);
    if (!key.ok()) return key.status();
    further_ecosystems.push_back(
        {.id = ecosystem.id,
         .log = further_logs[i - 1].get(),
         .trust_anchors = TrustAnchors(ecosystem, {ecosystem.id, ecosystem.root_public_key}),
         .event_key = *std::move(key)});
  }
  for (size_t i = 0; i < ecosystems->size(); ++i) {
    const EcosystemConfig& ecosystem = (*ecosystems)[i];
    const crypto::SigningKey& key =
        i == 0 ? *event_key : further_ecosystems[i - 1].event_key.value_or(*event_key);
    Logger::Info("ecosystem_joined",
                 {{"ecosystem", ecosystem.id},
                  {"home", i == 0},
                  {"log", LogOf(ecosystem)},
                  {"root_key_id",
                   crypto::KeyFingerprint(i == 0 ? anchor.public_key : ecosystem.root_public_key)},
                  {"further_roots", ecosystem.further_roots.size()},
                  {"event_key_id", crypto::KeyFingerprint(key.public_key())}});
  }
  Logger::Info("node_key", {{"institution", *institution},
                            {"key_id", crypto::KeyFingerprint(event_key->public_key())},
                            {"public_key", crypto::Base64UrlEncode(event_key->public_key())}});
  if (*ec_key) {
    // What `mcctl registry admit --credential-key=es256:<public_key>` registers.
    Logger::Info("credential_key",
                 {{"institution", *institution},
                  {"algorithm", "ES256"},
                  {"key_id", jose::EcKeyFingerprint((*ec_key)->PublicKeyDer())},
                  {"public_key", crypto::Base64UrlEncode((*ec_key)->PublicKeyDer())}});
  }

  auto recognition = RecognitionSettings(config);
  if (!recognition.ok()) return recognition.status();
  auto served = ServedService(config);
  if (!served.ok()) return served.status();
  auto securing_profile = DefaultSecuringProfile(config);
  if (!securing_profile.ok()) return securing_profile.status();
  const auto serves = [&](NodeScope service) {
    return *served == NodeScope::kAll || *served == service;
  };
  auto internal_key = InternalTokenKey(config, data_dir, *served);
  if (!internal_key.ok()) return internal_key.status();
  auto conferral_issuer = ConferralIssuer(config, *served, node_id, *internal_key);
  if (!conferral_issuer.ok()) return conferral_issuer.status();
  auto node =
      Node::Start(log, *engines->store,
                  {.institution_id = *institution,
                   .node_id = node_id,
                   .policy = domain::RecommendationProfile(),
                   .ecosystem_id = home.id,
                   .trust_anchors = anchors,
                   .further_ecosystems = std::move(further_ecosystems),
                   .event_key = *event_key,
                   .on_refusal =
                       [](const events::v1::DeadLetter& letter) {
                         Logger::Warn("event_refused", {{"topic", letter.topic()},
                                                        {"offset", letter.offset()},
                                                        {"reason_code", letter.reason_code()},
                                                        {"reason", letter.reason()}});
                       },
                   .public_url = public_url,
                   .issuer_id_form = *issuer_id_form,
                   .pseudonym_secret = *pseudonym_secret,
                   .vault_master_key = *vault_key,
                   .rsa_key = rsa_key,
                   .ec_key = *ec_key,
                   .credential_algorithm = *credential_algorithm,
                   .securing_profile = *securing_profile,
                   .elm_seal = *elm_seal,
                   .recognition_deadlines = recognition->deadlines,
                   .time_zone = recognition->zone,
                   .appeal_route = recognition->appeal_route,
                   .scope = *served,
                   .conferral_issuer = conferral_issuer->get(),
                   .fetcher = fetcher->get(),
                   .outside_verifiers = outside->verifiers,
                   .holder_keys = outside->holder_keys});
  if (!node.ok()) return node.status();
  // Every registry is read up to its end when the node started. An institution that a further
  // ecosystem has not admitted is refused now, not waited for (it joins one once admitted
  // there); a new node runs before its home admits it, as it always has.
  if (absl::Status admitted = (*node)->CheckAdmitted(); !admitted.ok()) return admitted;
  for (const std::string& ecosystem : (*node)->NotAdmittedIn()) {
    Logger::Warn("not_admitted",
                 {{"ecosystem", ecosystem},
                  {"institution", *institution},
                  {"note",
                   "its commands fail and other nodes refuse its events until the secretariat "
                   "admits it with the node_key public key"}});
  }

  auto max_token_lifetime =
      config.GetDuration("max-token-lifetime", auth::kDefaultMaxTokenLifetime);
  if (!max_token_lifetime.ok()) return max_token_lifetime.status();
  if (*max_token_lifetime <= absl::ZeroDuration() || *max_token_lifetime > absl::Hours(744)) {
    return absl::InvalidArgumentError("--max-token-lifetime: between 1s and 744h");
  }
  auth::TokenVerifier verifier(node_id, *max_token_lifetime);
  if (auto s = ConfigureTokens(config, data_dir, *institution, *dev, verifier); !s.ok()) return s;
  if (*internal_key && serves(NodeScope::kIssuance)) {
    auth::TokenMinter internal(**internal_key, kInternalTokenIssuer, node_id);
    if (auto s = verifier.AddTrustedKey(internal.kid(), internal.issuer(), internal.public_key());
        !s.ok()) {
      return s;
    }
  }
  AddConsumerMetrics(**node, metrics);
  host::ServiceHostOptions grpc_options =
      NodeGrpcOptions(*config.GetString("listen", "127.0.0.1:7443"), &metrics);
  grpc_options.reflection = *reflection;
  host::ServiceHost server(std::move(grpc_options));
  std::optional<catalogue::CatalogueGrpc> catalogue_grpc;
  std::optional<issuance::IssuanceGrpc> issuance_grpc;
  std::optional<recognition::RecognitionGrpc> recognition_grpc;
  std::optional<stacking::StackingGrpc> stacking_grpc;
  if (serves(NodeScope::kCatalogue)) {
    server.AddService(&catalogue_grpc.emplace((*node)->catalogue(), verifier));
  }
  std::optional<issuance::IssuanceBulkGrpc> bulk_grpc;
  std::optional<host::ServiceHost> bulk_server;
  if (serves(NodeScope::kIssuance)) {
    const Node& verifying_node = **node;
    server.AddService(&issuance_grpc.emplace(
        (*node)->issuance(), verifier, [&verifying_node](const std::string& presented) {
          return verifying_node.presented_verifier().Report(presented, absl::Now());
        }));
    if (const std::string bulk = *config.GetString("bulk-listen", ""); !bulk.empty()) {
      bulk_server.emplace(BulkGrpcOptions(bulk, &metrics));
      bulk_server->AddService(&bulk_grpc.emplace((*node)->issuance(), verifier));
    }
  }
  if (serves(NodeScope::kRecognition)) {
    server.AddService(&recognition_grpc.emplace((*node)->recognition(), verifier));
  }
  if (serves(NodeScope::kStacking)) {
    server.AddService(&stacking_grpc.emplace((*node)->stacking(), verifier));
  }
  // The public HTTP (keys, status lists, verification, web pages) is the issuance service's.
  std::optional<PublicHttp> http;
  if (serves(NodeScope::kIssuance)) {
    // The web pages: share links in the node's store, learners signed in with their tokens.
    if (absl::Status s =
            http.emplace(**node, PublicWebOptions{.share_store = engines->store.get(),
                                                  .tokens = &verifier,
                                                  .institution_name = *config.GetString(
                                                      "legal-name", *institution)})
                .Start(http_host_port->first, http_host_port->second);
        !s.ok()) {
      return s;
    }
  }
  std::optional<MetricsHttp> metrics_http;
  if (const std::string address = *config.GetString("metrics", ""); !address.empty()) {
    auto host_port = HostPort(address, "metrics");
    if (!host_port.ok()) return host_port.status();
    if (absl::Status s = metrics_http.emplace(metrics).Start(host_port->first, host_port->second);
        !s.ok()) {
      return s;
    }
  }
  if (bulk_server) {
    if (absl::Status s = bulk_server->Start(); !s.ok()) return s;
  }
  if (absl::Status s = server.Start(); !s.ok()) return s;
  auto signals = host::ShutdownOnSignals(server);
  if (!signals.ok()) return signals.status();
  Logger::Info("node_serving", {{"institution", *institution},
                                {"port", server.port()},
                                {"bulk_port", bulk_server ? bulk_server->port() : 0},
                                {"http_port", http ? http->port() : 0},
                                {"metrics_port", metrics_http ? metrics_http->port() : 0},
                                {"public_url", public_url},
                                {"fetch_offline", (*fetcher)->options().offline},
                                {"pinned_documents", (*fetcher)->options().pinned.size()},
                                {"accept_outside_credentials", outside->accepted},
                                {"trust_anchors", outside->trust_anchors},
                                {"ecosystems", ecosystems->size()},
                                {"embedded", home.kafka.empty()}});
  server.Wait();
  if (bulk_server) bulk_server->Shutdown();
  Logger::Info("node_stopped");
  return absl::OkStatus();
}

}  // namespace
}  // namespace microcred

int main(int argc, char** argv) {
  using microcred::host::Config;
  // Whatever the node creates (state, logs, keys, markers) is its owner's only, whatever the
  // umask it was started with: the files hold personal records and secrets.
  ::umask(077);
  if (!microcred::crypto::InitCrypto().ok()) return 1;
  auto config = Config::Parse(argc, argv, microcred::Options());
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  if (config->help_requested()) {
    std::cout << config->Usage();
    return 0;
  }
  microcred::host::Logger::SetService(MC_PROGRAM_NAME);
  if (auto level = microcred::host::ParseLogLevel(*config->GetString("log-level", "info"));
      level.ok()) {
    microcred::host::Logger::SetMinLevel(*level);
  }
  microcred::host::Logger::CaptureGrpcLogs();
  absl::Status status = microcred::Run(*config);
  if (!status.ok()) {
    microcred::host::Logger::Error("node_failed", {{"status", status}});
    return 1;
  }
  return 0;
}
