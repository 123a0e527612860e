#include "services/mcnode/ecosystem_flags.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/crypto/crypto.h"

namespace microcred {
namespace {

using nlohmann::json;

constexpr size_t kMaxIdLength = 64;
// The flags of the single-ecosystem form, which --ecosystems-file replaces.
constexpr const char* kSingleFlags[] = {"ecosystem", "root-public-key", "kafka", "kafka-config",
                                        "trusted-roots"};

absl::Status Invalid(const std::string& where, const std::string& rule) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", rule));
}

bool IsValidId(const std::string& id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

absl::Status CheckId(const std::string& where, const std::string& id) {
  if (IsValidId(id)) return absl::OkStatus();
  return Invalid(where, absl::StrCat("an ecosystem id is 1 to ", kMaxIdLength,
                                     " characters from [A-Za-z0-9._-], not \"", id, "\""));
}

absl::StatusOr<std::string> RootKey(const std::string& where, const std::string& text) {
  auto key = crypto::Base64UrlDecode(text);
  if (!key.ok() || key->size() != crypto::kPublicKeyBytes) {
    return Invalid(where, absl::StrCat("an Ed25519 public key is base64url of ",
                                       crypto::kPublicKeyBytes, " bytes"));
  }
  return *std::move(key);
}

// Bootstrap servers: HOST:PORT,... . Returned as a set, so that two spellings of one cluster
// compare equal.
absl::StatusOr<std::set<std::string>> BootstrapServers(const std::string& where,
                                                       const std::string& text) {
  std::set<std::string> servers;
  for (absl::string_view entry : absl::StrSplit(text, ',')) {
    const size_t colon = entry.rfind(':');
    const absl::string_view port = colon == absl::string_view::npos ? "" : entry.substr(colon + 1);
    const bool numeric =
        !port.empty() && port.size() <= 5 &&
        std::all_of(port.begin(), port.end(), [](char c) { return absl::ascii_isdigit(c); });
    if (colon == 0 || !numeric || std::stoi(std::string(port)) == 0 ||
        std::stoi(std::string(port)) > 65535) {
      return Invalid(where, absl::StrCat("expected HOST:PORT,..., got \"", entry, "\""));
    }
    servers.insert(std::string(entry));
  }
  return servers;
}

// Parses `text`, refusing an object that repeats a key (the parser would keep the last one).
absl::StatusOr<json> ParseWithoutRepeatedKeys(std::string_view text, const std::string& source) {
  std::vector<std::set<std::string>> open_objects;
  std::string repeated;
  json::parser_callback_t note_keys = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == json::parse_event_t::key && !open_objects.empty() && repeated.empty() &&
        !open_objects.back().insert(parsed.get<std::string>()).second) {
      repeated = parsed.get<std::string>();
    }
    return true;
  };
  json document;
  try {  // the parser's message says where the text stops being JSON
    document = json::parse(text, note_keys);
  } catch (const json::exception& e) {  // a syntax error, or a number out of range
    return Invalid(source, absl::StrCat("not JSON (", e.what(), ")"));
  }
  if (!repeated.empty()) return Invalid(source, absl::StrCat("key \"", repeated, "\" repeated"));
  return document;
}

// The keys of `object` all in `known`.
absl::Status OnlyKnownKeys(const std::string& where, const json& object,
                           const std::set<std::string>& known) {
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) {
      return Invalid(absl::StrCat(where, ".", key),
                     absl::StrCat("unknown key (known: ", absl::StrJoin(known, ", "), ")"));
    }
  }
  return absl::OkStatus();
}

// The non-empty string at `object[key]`; empty when absent.
absl::StatusOr<std::string> OptionalString(const std::string& where, const json& object,
                                           const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return std::string();
  if (!it->is_string() || it->get<std::string>().empty()) {
    return Invalid(absl::StrCat(where, ".", key), "a non-empty string");
  }
  return it->get<std::string>();
}

absl::StatusOr<std::vector<registry::TrustAnchor>> FurtherRoots(const std::string& where,
                                                                const json& object,
                                                                const std::string& own_id) {
  std::vector<registry::TrustAnchor> roots;
  auto it = object.find("further_roots");
  if (it == object.end()) return roots;
  if (!it->is_object()) {
    return Invalid(where + ".further_roots", "an object of ecosystem id: base64url root key");
  }
  for (const auto& [id, key] : it->items()) {
    const std::string path = absl::StrCat(where, ".further_roots.", id);
    if (auto s = CheckId(path, id); !s.ok()) return s;
    if (id == own_id) return Invalid(path, "the ecosystem's own root is its root_public_key");
    if (!key.is_string()) return Invalid(path, "a base64url root key");
    auto decoded = RootKey(path, key.get<std::string>());
    if (!decoded.ok()) return decoded.status();
    roots.push_back({id, *std::move(decoded)});
  }
  return roots;
}

absl::StatusOr<EcosystemConfig> Ecosystem(const std::string& where, const json& entry) {
  if (!entry.is_object()) return Invalid(where, "an object");
  if (auto s = OnlyKnownKeys(where, entry,
                             {"id", "root_public_key", "kafka", "kafka_config", "log_dir",
                              "event_key_file", "further_roots"});
      !s.ok()) {
    return s;
  }
  EcosystemConfig ecosystem;
  auto id = OptionalString(where, entry, "id");
  if (!id.ok()) return id.status();
  if (id->empty()) return Invalid(where + ".id", "required");
  if (auto s = CheckId(where + ".id", *id); !s.ok()) return s;
  ecosystem.id = *id;
  auto root = OptionalString(where, entry, "root_public_key");
  if (!root.ok()) return root.status();
  if (root->empty()) return Invalid(where + ".root_public_key", "required");
  auto key = RootKey(where + ".root_public_key", *root);
  if (!key.ok()) return key.status();
  ecosystem.root_public_key = *std::move(key);
  for (auto [field, name] : {std::pair{&EcosystemConfig::kafka, "kafka"},
                             std::pair{&EcosystemConfig::kafka_config, "kafka_config"},
                             std::pair{&EcosystemConfig::log_dir, "log_dir"},
                             std::pair{&EcosystemConfig::event_key_file, "event_key_file"}}) {
    auto value = OptionalString(where, entry, name);
    if (!value.ok()) return value.status();
    ecosystem.*field = *std::move(value);
  }
  if (ecosystem.kafka.empty() && !ecosystem.kafka_config.empty()) {
    return Invalid(where + ".kafka_config", "only with kafka (an embedded log has no Kafka)");
  }
  if (!ecosystem.kafka.empty() && !ecosystem.log_dir.empty()) {
    return Invalid(where + ".log_dir", "only without kafka (the log is the Kafka cluster)");
  }
  auto roots = FurtherRoots(where, entry, ecosystem.id);
  if (!roots.ok()) return roots.status();
  ecosystem.further_roots = *std::move(roots);
  return ecosystem;
}

// Checks across entries (embedded or distributed, ids, logs and roots not shared) and fills
// in the defaults.
absl::Status CheckTogether(const std::string& source, const std::string& data_dir,
                           std::vector<EcosystemConfig>& ecosystems) {
  const bool distributed = !ecosystems.front().kafka.empty();
  std::map<std::string, size_t> ids;
  std::map<std::set<std::string>, size_t> clusters;
  std::map<std::string, size_t> log_dirs;
  for (size_t i = 0; i < ecosystems.size(); ++i) {
    EcosystemConfig& e = ecosystems[i];
    const std::string where = absl::StrCat(source, ": ecosystems[", i, "]");
    if (!ids.emplace(e.id, i).second) {
      return Invalid(where + ".id",
                     absl::StrCat("\"", e.id, "\" is also ecosystems[", ids[e.id], "]'s id"));
    }
    if (e.kafka.empty() == distributed) {
      return Invalid(where + ".kafka",
                     "set for every ecosystem or for none: a node is distributed (a Kafka "
                     "cluster per ecosystem) or embedded (a file log per ecosystem), not both");
    }
    if (e.event_key_file.empty()) e.event_key_file = data_dir + "/event-signing.key";
    if (distributed) {
      auto servers = BootstrapServers(where + ".kafka", e.kafka);
      if (!servers.ok()) return servers.status();
      if (auto [at, added] = clusters.emplace(*servers, i); !added) {
        return Invalid(
            where + ".kafka",
            absl::StrCat("ecosystems[", at->second, "]'s cluster: each ecosystem has its own log"));
      }
      continue;
    }
    if (e.log_dir.empty()) e.log_dir = i == 0 ? data_dir + "/log" : data_dir + "/log-" + e.id;
    const std::string normal = std::filesystem::path(e.log_dir).lexically_normal().string();
    if (auto [at, added] = log_dirs.emplace(normal, i); !added) {
      return Invalid(where + ".log_dir", absl::StrCat(e.log_dir, " is ecosystems[", at->second,
                                                      "]'s log: each ecosystem has its own log"));
    }
  }
  // A further root named like a joined ecosystem must be that ecosystem's root.
  for (size_t i = 0; i < ecosystems.size(); ++i) {
    for (const registry::TrustAnchor& root : ecosystems[i].further_roots) {
      auto joined = ids.find(root.ecosystem_id);
      if (joined != ids.end() && ecosystems[joined->second].root_public_key != root.public_key) {
        return Invalid(
            absl::StrCat(source, ": ecosystems[", i, "].further_roots.", root.ecosystem_id),
            absl::StrCat("not the root_public_key of ecosystems[", joined->second,
                         "], which has that id"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<EcosystemConfig>> FromSingleFlags(const host::Config& config,
                                                             const std::string& data_dir) {
  EcosystemConfig ecosystem;
  ecosystem.id = *config.GetString("ecosystem", "dev-ecosystem");
  if (auto s = CheckId("--ecosystem", ecosystem.id); !s.ok()) return s;
  if (const std::string root = *config.GetString("root-public-key", ""); !root.empty()) {
    auto key = RootKey("--root-public-key", root);
    if (!key.ok()) return key.status();
    ecosystem.root_public_key = *std::move(key);
  }
  ecosystem.kafka = *config.GetString("kafka", "");
  if (ecosystem.kafka.empty()) {
    ecosystem.log_dir = data_dir + "/log";  // --kafka-config means nothing to a file log
  } else {
    if (auto servers = BootstrapServers("--kafka", ecosystem.kafka); !servers.ok()) {
      return servers.status();
    }
    ecosystem.kafka_config = *config.GetString("kafka-config", "");
  }
  ecosystem.event_key_file = data_dir + "/event-signing.key";
  auto roots = ParseTrustedRoots(*config.GetString("trusted-roots", ""));
  if (!roots.ok()) return roots.status();
  ecosystem.further_roots = *std::move(roots);
  return std::vector<EcosystemConfig>{std::move(ecosystem)};
}

}  // namespace

std::vector<host::ConfigOption> EcosystemConfigOptions() {
  return {
      {"ecosystems-file",
       "JSON file naming the ecosystems this node joins, the first its home: each one's id, "
       "root_public_key and kafka/kafka_config (or log_dir when embedded), optionally "
       "event_key_file and further_roots; instead of --ecosystem, --root-public-key, --kafka, "
       "--kafka-config and --trusted-roots"},
  };
}

absl::StatusOr<std::vector<registry::TrustAnchor>> ParseTrustedRoots(const std::string& text) {
  std::vector<registry::TrustAnchor> anchors;
  std::stringstream entries(text);
  for (std::string entry; std::getline(entries, entry, ',');) {
    const size_t equals = entry.find('=');
    auto key = equals == std::string::npos
                   ? absl::StatusOr<std::string>(absl::InvalidArgumentError(""))
                   : crypto::Base64UrlDecode(entry.substr(equals + 1));
    if (!key.ok() || key->size() != crypto::kPublicKeyBytes || equals == 0) {
      return absl::InvalidArgumentError("--trusted-roots: expected id=base64url-ed25519-key, got " +
                                        entry);
    }
    anchors.push_back({entry.substr(0, equals), *key});
  }
  return anchors;
}

absl::StatusOr<std::vector<EcosystemConfig>> ParseEcosystemsFile(std::string_view text,
                                                                 const std::string& source,
                                                                 const std::string& data_dir) {
  auto document = ParseWithoutRepeatedKeys(text, source);
  if (!document.ok()) return document.status();
  if (!document->is_object()) return Invalid(source, "an object {\"ecosystems\": [...]}");
  for (const auto& [key, value] : document->items()) {
    if (key != "ecosystems") return Invalid(source + ": " + key, "unknown key (known: ecosystems)");
  }
  auto list = document->find("ecosystems");
  if (list == document->end() || !list->is_array() || list->empty()) {
    return Invalid(source + ": ecosystems", "a list of at least one ecosystem, the home first");
  }
  std::vector<EcosystemConfig> ecosystems;
  for (size_t i = 0; i < list->size(); ++i) {
    auto ecosystem = Ecosystem(absl::StrCat(source, ": ecosystems[", i, "]"), (*list)[i]);
    if (!ecosystem.ok()) return ecosystem.status();
    ecosystems.push_back(*std::move(ecosystem));
  }
  if (auto s = CheckTogether(source, data_dir, ecosystems); !s.ok()) return s;
  return ecosystems;
}

absl::StatusOr<std::vector<EcosystemConfig>> EcosystemsFromConfig(const host::Config& config,
                                                                  const std::string& data_dir) {
  auto file = config.GetString("ecosystems-file", "");
  if (!file.ok()) return file.status();
  if (file->empty()) return FromSingleFlags(config, data_dir);
  std::vector<std::string> also_set;
  for (const char* flag : kSingleFlags) {
    if (config.IsSet(flag)) also_set.push_back(absl::StrCat("--", flag));
  }
  if (!also_set.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--ecosystems-file excludes ", absl::StrJoin(also_set, ", "),
        ": the file names every ecosystem the node joins, its root, log and further roots"));
  }
  std::ifstream in(*file);
  if (!in) return absl::NotFoundError("--ecosystems-file: cannot read " + *file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return ParseEcosystemsFile(text, "--ecosystems-file " + *file, data_dir);
}

}  // namespace microcred
