#include "tools/mcctl/registry_commands.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "libs/adapters/kafka/kafka_event_log.h"
#include "libs/domain/policy_profile.h"
#include "libs/events/topics.h"
#include "libs/host/kafka_properties.h"
#include "libs/host/key_file.h"
#include "libs/registry/public_keys.h"
#include "libs/registry/registry.h"
#include "libs/registry/secretariat.h"
#include "tools/mcctl/credential_keys.h"
#include "tools/mcctl/output.h"

namespace microcred::mcctl {
namespace {

const std::vector<host::ConfigOption> kSecretariatOptions = {
    {"kafka", "the ecosystem's Kafka bootstrap servers, HOST:PORT[,...] (required)"},
    {"kafka-config", "a file of librdkafka properties (name=value lines): TLS, SASL"},
    {"ecosystem", "the ecosystem id, the source of registry events (required)"},
    {"root-key-file", "the secretariat's Ed25519 root key file (required; keep it offline)"},
};

// What every registry command needs: the log and the root.
struct Secretariat {
  std::unique_ptr<KafkaEventLog> log;
  std::unique_ptr<registry::Secretariat> root;
  registry::TrustAnchor anchor;
};

absl::StatusOr<Secretariat> OpenSecretariat(const host::Config& flags, bool create_key = false) {
  auto kafka = RequiredFlag(flags, "kafka");
  if (!kafka.ok()) return kafka.status();
  auto ecosystem = RequiredFlag(flags, "ecosystem");
  if (!ecosystem.ok()) return ecosystem.status();
  auto key_file = RequiredFlag(flags, "root-key-file");
  if (!key_file.ok()) return key_file.status();
  auto key = create_key ? host::LoadOrCreateSigningKey(*key_file) : host::LoadSigningKey(*key_file);
  if (!key.ok()) return key.status();
  Secretariat out;
  out.anchor = {*ecosystem, key->public_key()};
  out.root = std::make_unique<registry::Secretariat>(*ecosystem, *std::move(key));
  auto properties = host::ReadKafkaProperties(*flags.GetString("kafka-config", ""));
  if (!properties.ok()) return properties.status();
  auto log = KafkaEventLog::Open(
      {.bootstrap_servers = *kafka, .client_id = "mcctl-registry", .properties = *properties});
  if (!log.ok()) return log.status();
  out.log = *std::move(log);
  return out;
}

// Secretariat failures: a bad flag or key file is a usage error, an unreachable Kafka exit 3.
int Failure(const std::string& command, const absl::Status& status) {
  if (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) {
    std::cerr << "mcctl " << command << ": " << status.message()
              << "\n  Check --kafka and that the brokers are reachable.\n";
    return kExitUnreachable;
  }
  return UsageError(command, status);
}

absl::StatusOr<registry::v1::PublicKey> KeyFromFlag(const host::Config& flags) {
  auto text = RequiredFlag(flags, "public-key");
  if (!text.ok()) return text.status();
  auto key = crypto::Base64UrlDecode(*text);
  if (!key.ok() || key->size() != crypto::kPublicKeyBytes) {
    return absl::InvalidArgumentError(
        "--public-key: expected a base64url Ed25519 public key "
        "(mcnode logs its own at start)");
  }
  return registry::RegisteredKey(*key);
}

// The credential keys of --credential-key (none when not given).
absl::StatusOr<std::vector<registry::v1::PublicKey>> CredentialKeysFromFlag(
    const host::Config& flags) {
  auto text = flags.GetString("credential-key", "");
  if (!text.ok()) return text.status();
  return ParseCredentialKeys(*text, "credential-key");
}

// The one key a rotation registers: --public-key (Ed25519) or --credential-key (one key).
absl::StatusOr<registry::v1::PublicKey> RotatedKeyFromFlags(const host::Config& flags) {
  const bool ed25519 = flags.IsSet("public-key");
  if (ed25519 == flags.IsSet("credential-key")) {
    return absl::InvalidArgumentError(
        "--public-key or --credential-key: give exactly one, the key to register");
  }
  if (ed25519) return KeyFromFlag(flags);
  auto keys = CredentialKeysFromFlag(flags);
  if (!keys.ok()) return keys.status();
  if (keys->size() != 1) {
    return absl::InvalidArgumentError("--credential-key: a rotation registers one key");
  }
  return keys->front();
}

int Written(const std::string& command, const absl::StatusOr<AppendResult>& appended,
            const std::string& what, const GlobalOptions& global) {
  if (!appended.ok()) return Failure(command, appended.status());
  if (global.json) {
    std::cout << "{\"written\":\"" << what << "\",\"partition\":" << appended->partition
              << ",\"offset\":" << appended->offset << "}\n";
  } else {
    std::cout << what << " (registry topic, partition " << appended->partition << ", offset "
              << appended->offset << "). Every node applies it from the log's current end on.\n";
  }
  return kExitOk;
}

// ---- init-root ----

int RunInitRoot(const Invocation& in) {
  auto key_file = RequiredFlag(in.flags, "root-key-file");
  if (!key_file.ok()) return UsageError("registry init-root", key_file.status());
  auto key = host::LoadOrCreateSigningKey(*key_file);
  if (!key.ok()) return UsageError("registry init-root", key.status());
  const std::string public_key = crypto::Base64UrlEncode(key->public_key());
  if (in.global.json) {
    std::cout << "{\"root_public_key\":\"" << public_key << "\"}\n";
  } else {
    std::cout << "root public key: " << public_key
              << "\nConfigure each node of the ecosystem with --ecosystem=<id> --root-public-key="
              << public_key
              << "\nThen state its rules: mcctl registry define-ecosystem --profile=eu|fwb ...\n";
  }
  return kExitOk;
}

// ---- define-ecosystem ----

int RunDefineEcosystem(const Invocation& in) {
  const std::string command = "registry define-ecosystem";
  // Everything is checked before the log is opened: a refused definition writes nothing.
  auto rules =
      RulesFromFlags(*in.flags.GetString("profile", ""), *in.flags.GetString("profile-file", ""));
  if (!rules.ok()) return UsageError(command, rules.status());
  auto ecosystem = RequiredFlag(in.flags, "ecosystem");
  if (!ecosystem.ok()) return UsageError(command, ecosystem.status());
  registry::v1::EcosystemLog where;
  const std::string bootstrap =
      *in.flags.GetString("log-bootstrap", *in.flags.GetString("kafka", ""));
  for (absl::string_view server : absl::StrSplit(bootstrap, ',', absl::SkipEmpty())) {
    where.add_bootstrap_servers(std::string(server));
  }
  std::string security = *in.flags.GetString("log-security", "");
  if (!in.flags.IsSet("log-security")) {
    auto properties = host::ReadKafkaProperties(*in.flags.GetString("kafka-config", ""));
    if (!properties.ok()) return UsageError(command, properties.status());
    if (auto it = properties->find("security.protocol"); it != properties->end()) {
      security = it->second;
    }
  }
  where.set_security_protocol(security);
  const std::string display_name = *in.flags.GetString("display-name", *ecosystem);
  auto secretariat = OpenSecretariat(in.flags);
  if (!secretariat.ok()) return Failure(command, secretariat.status());
  return Written(command, secretariat->root->Define(*secretariat->log, display_name, *rules, where),
                 *ecosystem + " defined, rules \"" + rules->name() + "\"", in.global);
}

// ---- admit ----

int RunAdmit(const Invocation& in) {
  const std::string command = "registry admit";
  registry::v1::MemberAdmitted member;
  member.set_institution_id(in.args[0]);
  auto key = KeyFromFlag(in.flags);
  if (!key.ok()) return UsageError(command, key.status());
  *member.add_keys() = *key;
  auto credential_keys = CredentialKeysFromFlag(in.flags);
  if (!credential_keys.ok()) return UsageError(command, credential_keys.status());
  for (const registry::v1::PublicKey& credential_key : *credential_keys) {
    *member.add_keys() = credential_key;
  }
  auto name = RequiredFlag(in.flags, "legal-name");
  if (!name.ok()) return UsageError(command, name.status());
  member.set_legal_name(*name);
  member.set_country(*in.flags.GetString("country", "BE"));
  member.set_region(*in.flags.GetString("region", ""));
  member.set_deqar_id(*in.flags.GetString("deqar-id", ""));
  member.set_public_url(*in.flags.GetString("public-url", ""));
  member.set_governing_root(*in.flags.GetString("hand-over-to", ""));
  for (absl::string_view group :
       absl::StrSplit(*in.flags.GetString("groups", ""), ',', absl::SkipEmpty())) {
    member.add_groups(std::string(group));
  }
  common::v1::ProviderType type;
  const std::string type_name = *in.flags.GetString("provider-type", "HIGHER_EDUCATION");
  if (!common::v1::ProviderType_Parse("PROVIDER_TYPE_" + type_name, &type)) {
    return UsageError(command, "--provider-type: unknown provider type " + type_name +
                                   " (HIGHER_EDUCATION, VET, PRIVATE_PROVIDER, ...)");
  }
  member.set_provider_type(type);
  auto secretariat = OpenSecretariat(in.flags);
  if (!secretariat.ok()) return Failure(command, secretariat.status());
  return Written(command, secretariat->root->Admit(*secretariat->log, member),
                 in.args[0] + " admitted", in.global);
}

// ---- suspend, reinstate, rotate-key ----

int RunSuspend(const Invocation& in) {
  auto reason = RequiredFlag(in.flags, "reason");
  if (!reason.ok()) return UsageError("registry suspend", reason.status());
  auto secretariat = OpenSecretariat(in.flags);
  if (!secretariat.ok()) return Failure("registry suspend", secretariat.status());
  return Written("registry suspend",
                 secretariat->root->Suspend(*secretariat->log, in.args[0], *reason),
                 in.args[0] + " suspended", in.global);
}

int RunReinstate(const Invocation& in) {
  auto reason = RequiredFlag(in.flags, "reason");
  if (!reason.ok()) return UsageError("registry reinstate", reason.status());
  auto secretariat = OpenSecretariat(in.flags);
  if (!secretariat.ok()) return Failure("registry reinstate", secretariat.status());
  return Written("registry reinstate",
                 secretariat->root->Reinstate(*secretariat->log, in.args[0], *reason),
                 in.args[0] + " reinstated", in.global);
}

int RunRotateKey(const Invocation& in) {
  auto key = RotatedKeyFromFlags(in.flags);
  if (!key.ok()) return UsageError("registry rotate-key", key.status());
  auto secretariat = OpenSecretariat(in.flags);
  if (!secretariat.ok()) return Failure("registry rotate-key", secretariat.status());
  const std::string retired = *in.flags.GetString("retire", "");
  return Written("registry rotate-key",
                 secretariat->root->RotateKey(*secretariat->log, in.args[0], *key, retired),
                 "key " + key->key_id() + " registered for " + in.args[0] +
                     (retired.empty() ? "" : ", key " + retired + " retired"),
                 in.global);
}

// ---- list ----

// The registry as a node trusting only this root sees it: the topic replayed with the same
// checks. Records of other ecosystems sharing the topic are skipped; this ecosystem's refused
// records are counted, not shown.
absl::StatusOr<std::pair<registry::Registry, int>> ReadRegistry(Secretariat& s) {
  registry::Registry registry({s.anchor});
  auto ends = s.log->EndPositions(topics::kRegistry);
  if (!ends.ok()) return ends.status();
  auto reader = s.log->OpenReader({topics::kRegistry}, {});
  if (!reader.ok()) return reader.status();
  LogPositions read;
  int refused = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  auto done = [&] {
    for (const auto& [tp, end] : *ends) {
      if (end > 0 && read[tp] < end) return false;
    }
    return true;
  };
  while (!done()) {
    if (absl::Now() > deadline) return absl::DeadlineExceededError("reading the registry topic");
    auto records = (*reader)->Poll(std::chrono::milliseconds(200));
    if (!records.ok()) return records.status();
    for (const LogRecord& r : *records) {
      read[{r.topic, r.partition}] = r.offset + 1;
      auto env = events::ParseEnvelope(r.value);
      if (!env.ok()) continue;  // not an envelope of this ecosystem's either
      const std::string& source = env->body.source_institution();
      if (source != s.anchor.ecosystem_id && registry.Find(source) == nullptr) continue;
      auto change = registry.CheckRegistryChange(*env, {r.topic, r.partition, r.offset});
      if (!change.ok()) {
        ++refused;
      } else if (change->member) {
        registry.Restore(*change->member);
      } else if (change->ecosystem) {
        registry.RestoreEcosystem(*change->ecosystem);
      }
    }
  }
  return std::make_pair(std::move(registry), refused);
}

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms), absl::UTCTimeZone());
}

void PrintMember(const registry::v1::Member& member) {
  const auto& a = member.admitted();
  std::cout << a.institution_id() << "  " << a.legal_name() << "  ("
            << common::v1::ProviderType_Name(a.provider_type()) << ", " << a.country() << ")  "
            << (member.suspended() ? "SUSPENDED" : "member") << "\n";
  for (const auto& key : a.keys()) {
    std::cout << "    key " << key.key_id()
              << (key.ed25519_public_key().empty()
                      ? " (" + std::string(registry::KeyKindLabel(key)) + ")"
                      : "")
              << (registry::KeyEverRetired(member, key.key_id()) ? " retired" : "") << "\n";
  }
  for (const auto& change : member.history()) {
    if (change.has_suspended()) {
      std::cout << "    " << Day(change.suspended().at_ms())
                << " suspended: " << change.suspended().reason() << "\n";
    } else if (change.has_reinstated()) {
      std::cout << "    " << Day(change.reinstated().at_ms())
                << " reinstated: " << change.reinstated().reason() << "\n";
    } else if (change.has_key_rotated()) {
      std::cout << "    " << Day(change.key_rotated().at_ms()) << " key "
                << change.key_rotated().new_key().key_id() << " added"
                << (change.key_rotated().retired_key_id().empty()
                        ? ""
                        : ", " + change.key_rotated().retired_key_id() + " retired")
                << "\n";
    } else if (change.has_readmitted()) {
      std::cout << "    re-admitted as " << change.readmitted().admitted().legal_name();
      for (const std::string& retired : change.readmitted().retired_key_ids()) {
        std::cout << ", " << retired << " retired";
      }
      std::cout << "\n";
    }
  }
}

int RunList(const Invocation& in) {
  auto secretariat = OpenSecretariat(in.flags);
  if (!secretariat.ok()) return Failure("registry list", secretariat.status());
  auto read = ReadRegistry(*secretariat);
  if (!read.ok()) return Failure("registry list", read.status());
  const auto& [registry, refused] = *read;
  // With --output=json, one object a line: the ecosystem's ({"ecosystem": ...}) when defined,
  // then the members.
  if (const registry::v1::Ecosystem* ecosystem = registry.ecosystem()) {
    if (in.global.json) {
      std::cout << "{\"ecosystem\":" << ToJson(*ecosystem) << "}\n";
    } else {
      std::cout << DescribeEcosystem(*ecosystem);
    }
  } else if (!in.global.json) {
    std::cout << "ecosystem " << registry.ecosystem_id()
              << ": not defined; the Recommendation alone applies (rules \"eu\")\n";
  }
  for (const auto& [id, member] : registry.members()) {
    if (in.global.json) {
      PrintJson(member);
    } else {
      PrintMember(member);
    }
  }
  if (!in.global.json) {
    std::cout << registry.members().size() << " member(s)";
    if (refused > 0)
      std::cout << "; " << refused << " record(s) refused (see the nodes' dead letters)";
    std::cout << "\n";
  }
  return kExitOk;
}

std::vector<host::ConfigOption> With(std::vector<host::ConfigOption> extra) {
  std::vector<host::ConfigOption> options = kSecretariatOptions;
  options.insert(options.end(), extra.begin(), extra.end());
  return options;
}

// "mc.catalogue.v1/0@12, mc.issuance.v1/0@3", or "the log's beginning" for an empty cut.
std::string DescribeCut(const registry::v1::LogCut& cut) {
  if (cut.positions().empty()) return "the log's beginning";
  std::vector<std::string> positions;
  for (const registry::v1::LogPosition& p : cut.positions()) {
    positions.push_back(p.topic() + "/" + std::to_string(p.partition()) + "@" +
                        std::to_string(p.offset()));
  }
  return absl::StrJoin(positions, ", ");
}

std::string ProviderTypes(const google::protobuf::RepeatedField<int>& types) {
  if (types.empty()) return "none";
  std::vector<std::string> labels;
  for (int type : types) {
    labels.push_back(domain::ProviderTypeLabel(static_cast<common::v1::ProviderType>(type)));
  }
  return absl::StrJoin(labels, ", ");
}

}  // namespace

absl::StatusOr<common::v1::PolicyRules> RulesFromFlags(const std::string& profile,
                                                       const std::string& profile_file) {
  if (profile.empty() == profile_file.empty()) {
    return absl::InvalidArgumentError(
        "--profile or --profile-file: give exactly one, the rules the ecosystem applies");
  }
  if (!profile.empty()) {
    auto named = domain::PolicyProfile::Named(profile);
    if (!named.ok())
      return absl::InvalidArgumentError("--profile: " + std::string(named.status().message()));
    return named->ToRules();
  }
  auto json = ReadInput(profile_file);
  if (!json.ok())
    return absl::InvalidArgumentError("--profile-file: " + std::string(json.status().message()));
  auto parsed = domain::PolicyProfile::FromJson(*json);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError("--profile-file " + profile_file + ": " +
                                      std::string(parsed.status().message()));
  }
  return parsed->ToRules();
}

std::string DescribeEcosystem(const registry::v1::Ecosystem& ecosystem) {
  std::string out = "ecosystem " + ecosystem.ecosystem_id() + "  " + ecosystem.display_name();
  const registry::v1::EcosystemLog& log = ecosystem.log();
  if (!log.bootstrap_servers().empty() || !log.security_protocol().empty()) {
    out += "  (log: " + absl::StrJoin(log.bootstrap_servers(), ",");
    if (!log.security_protocol().empty()) out += ", " + log.security_protocol();
    out += ")";
  }
  out += "\n";
  for (int i = 0; i < ecosystem.versions_size(); ++i) {
    const registry::v1::EcosystemVersion& version = ecosystem.versions(i);
    const common::v1::PolicyRules& rules = version.rules();
    out += "    " + Day(version.at_ms()) + " rules \"" + rules.name() + "\" from " +
           DescribeCut(version.cut()) + (i + 1 == ecosystem.versions_size() ? " (latest)" : "") +
           "\n";
    out += "        issuers: " + ProviderTypes(rules.issuer_provider_types()) +
           "; ECTS: " + ProviderTypes(rules.ects_provider_types()) + "; " +
           std::to_string(rules.protected_titles_size()) +
           " protected title(s); certificate minimum " +
           absl::StrCat(rules.min_certificate_ects()) + " ECTS\n";
  }
  return out;
}

std::vector<Command> RegistryCommands() {
  return {
      {.name = "registry init-root",
       .summary = "create the ecosystem's root key (once) and print its public key",
       .details = "Creates --root-key-file when it does not exist, then prints the public key\n"
                  "every node of the ecosystem is configured with (--root-public-key).",
       .options = {{"root-key-file", "where the root key is (or is created); keep it offline"}},
       .run = RunInitRoot},
      {.name = "registry define-ecosystem",
       .summary = "define the ecosystem, or change its rules from now on",
       .details =
           "Signs an EcosystemDefined with the root key onto the registry topic: the\n"
           "ecosystem's name, where its log lives (informative), and its rules, a built-in\n"
           "profile (--profile=eu|fwb) or a profile file (--profile-file=FILE.json, the\n"
           "shape of libs/domain/profiles/*.json). Every node applies the rules to the\n"
           "events written after it, the earlier ones keep the rules they were written under.\n"
           "Rules that do not validate are refused before anything is written.",
       .options =
           With({{"profile", "a built-in profile: eu or fwb"},
                 {"profile-file", "or a profile file (JSON)"},
                 {"display-name", "the ecosystem's name as people read it (default: its id)"},
                 {"log-bootstrap", "where its log lives, HOST:PORT[,...] (default: --kafka)"},
                 {"log-security", "its brokers' security.protocol (default: --kafka-config's)"}}),
       .run = RunDefineEcosystem},
      {.name = "registry admit",
       .synopsis = "INSTITUTION_ID",
       .summary = "admit an institution (or re-admit it: new facts, keys)",
       .details =
           "Signs a MemberAdmitted with the root key onto the registry topic. Admitting\n"
           "a member again replaces its facts, registers the keys it lists that are new\n"
           "and retires its other keys from now on (what they signed stays verifiable):\n"
           "list its credential keys again to keep them. Only the root that governs a\n"
           "member (the one that admitted it) may.\n"
           "Credential keys sign credentials only, typed by algorithm:\n"
           "  --credential-key=es256:<P-256 key>,rs256:<RSA key>\n"
           "each the base64url DER SubjectPublicKeyInfo `mcctl key create --algorithm=es256`\n"
           "(or mcnode's credential_key log line) prints. With a P-256 key registered, the\n"
           "node signs ES256 by default.",
       .options = With({{"legal-name", "the institution's legal name (required)"},
                        {"public-key", "its node's Ed25519 public key, base64url (required)"},
                        {"credential-key",
                         "credential keys, comma-separated: es256:<base64url SPKI> (P-256), "
                         "rs256:<base64url SPKI> (RSA)"},
                        {"provider-type", "HIGHER_EDUCATION (default), VET, PRIVATE_PROVIDER, ..."},
                        {"country", "ISO 3166-1 alpha-2 (default BE)"},
                        {"region", "ISO 3166-2 subdivision"},
                        {"deqar-id", "its DEQAR id, for quality-assured institutions"},
                        {"groups", "issuer groups (alliances), comma-separated"},
                        {"public-url", "its node's public https base URL"},
                        {"hand-over-to", "another ecosystem id whose root governs it from now"}}),
       .min_args = 1,
       .max_args = 1,
       .run = RunAdmit},
      {.name = "registry suspend",
       .synopsis = "INSTITUTION_ID",
       .summary = "suspend a member: its events from now on are refused everywhere",
       .details = "What it wrote before stays; credentials it issued before stay verifiable,\n"
                  "with the suspension shown.",
       .options = With({{"reason", "why (required); shown to verifiers"}}),
       .min_args = 1,
       .max_args = 1,
       .run = RunSuspend},
      {.name = "registry reinstate",
       .synopsis = "INSTITUTION_ID",
       .summary = "end a member's suspension",
       .options = With({{"reason", "why (required)"}}),
       .min_args = 1,
       .max_args = 1,
       .run = RunReinstate},
      {.name = "registry rotate-key",
       .synopsis = "INSTITUTION_ID",
       .summary = "register a new key for a member, and retire an old one",
       .details = "The retired key signs nothing from now on; what it signed stays verifiable.\n"
                  "The new key is an Ed25519 key (--public-key) or a credential key\n"
                  "(--credential-key=es256:<base64url SPKI> or rs256:...), exactly one.\n"
                  "An institution can also rotate its own key, signed with a key that is not\n"
                  "retired (registry::RotateOwnKey).",
       .options = With({{"public-key", "the new Ed25519 public key, base64url"},
                        {"credential-key", "or the new credential key: es256:... or rs256:..."},
                        {"retire", "the key id to retire (e.g. ed25519:ab12..., ec:cd34...)"}}),
       .min_args = 1,
       .max_args = 1,
       .run = RunRotateKey},
      {.name = "registry list",
       .summary = "the ecosystem's definition and members as a node trusting this root sees them",
       .options = kSecretariatOptions,
       .run = RunList},
  };
}

}  // namespace microcred::mcctl
