#include "tools/mcctl/key_commands.h"

#include <algorithm>
#include <iostream>
#include <map>

#include "absl/strings/str_split.h"
#include "libs/auth/roles.h"
#include "libs/auth/tokens.h"
#include "libs/host/key_file.h"
#include "libs/jose/ec_key.h"
#include "libs/jose/rsa_key.h"
#include "tools/mcctl/output.h"

namespace microcred::mcctl {
namespace {

struct CreatedKey {
  bool existed = false;
  std::string key_id;
  std::string public_key;  // base64url: the raw Ed25519 key, or a DER SubjectPublicKeyInfo
};

// The Ed25519, P-256 or RSA key at `path`, created when missing.
absl::StatusOr<CreatedKey> LoadOrCreateKey(const std::string& algorithm, const std::string& path) {
  CreatedKey out;
  std::string public_key;
  if (algorithm == "eddsa") {
    out.existed = host::LoadSigningKey(path).ok();
    auto key = host::LoadOrCreateSigningKey(path);
    if (!key.ok()) return key.status();
    public_key = key->public_key();
    out.key_id = crypto::KeyFingerprint(public_key);
  } else if (algorithm == "es256") {
    out.existed = jose::EcPrivateKey::LoadFromFile(path).ok();
    auto key = jose::EcPrivateKey::LoadOrCreateFile(path);
    if (!key.ok()) return key.status();
    public_key = key->PublicKeyDer();
    out.key_id = jose::EcKeyFingerprint(public_key);
  } else if (algorithm == "rs256") {
    out.existed = jose::RsaPrivateKey::LoadFromFile(path).ok();
    auto key = jose::RsaPrivateKey::LoadOrCreateFile(path);
    if (!key.ok()) return key.status();
    public_key = key->PublicKeyDer();
    out.key_id = jose::RsaKeyFingerprint(public_key);
  } else {
    return absl::InvalidArgumentError("--algorithm: eddsa, es256 or rs256, not " + algorithm);
  }
  out.public_key = crypto::Base64UrlEncode(public_key);
  return out;
}

int RunKeyCreate(const Invocation& in) {
  const std::string command = "key create";
  auto path = RequiredFlag(in.flags, "key-file");
  if (!path.ok()) return UsageError(command, path.status());
  const std::string algorithm = *in.flags.GetString("algorithm", "eddsa");
  auto created = LoadOrCreateKey(algorithm, *path);
  if (!created.ok()) return UsageError(command, created.status());
  const bool existed = created->existed;
  const std::string& key_id = created->key_id;
  const std::string& public_key = created->public_key;
  if (in.global.json) {
    std::cout << "{\"key_id\":\"" << key_id << "\",\"public_key\":\"" << public_key
              << "\",\"created\":" << (existed ? "false" : "true") << "}\n";
    return kExitOk;
  }
  std::cout << (existed ? "kept the existing key " : "created ") << *path << "\nkey id: " << key_id
            << "\npublic key: " << public_key << "\n";
  if (algorithm != "eddsa") {
    std::cout << "register it with: mcctl registry admit ... --credential-key=" << algorithm << ":"
              << public_key << "\n";
  }
  return kExitOk;
}

absl::StatusOr<std::vector<std::string>> Roles(const host::Config& flags) {
  auto text = RequiredFlag(flags, "roles");
  if (!text.ok()) return text.status();
  std::vector<std::string> roles;
  for (absl::string_view role : absl::StrSplit(*text, ',', absl::SkipEmpty())) {
    if (std::find(std::begin(auth::roles::kAll), std::end(auth::roles::kAll), role) ==
        std::end(auth::roles::kAll)) {
      std::string known;
      for (const char* r : auth::roles::kAll) known += (known.empty() ? "" : ", ") + std::string(r);
      return absl::InvalidArgumentError("--roles: unknown role \"" + std::string(role) +
                                        "\"; roles are " + known);
    }
    roles.emplace_back(role);
  }
  return roles;
}

int RunTokenMint(const Invocation& in) {
  const std::string command = "token mint";
  std::map<std::string, std::string> values;
  for (const char* name : {"key-file", "issuer", "audience", "institution", "subject"}) {
    auto value = RequiredFlag(in.flags, name);
    if (!value.ok()) return UsageError(command, value.status());
    values[name] = *value;
  }
  auto roles = Roles(in.flags);
  if (!roles.ok()) return UsageError(command, roles.status());
  auto ttl = in.flags.GetDuration("ttl", absl::Hours(8));
  if (!ttl.ok()) return UsageError(command, ttl.status());
  if (*ttl <= absl::ZeroDuration() || *ttl > absl::Hours(24 * 31)) {
    return UsageError(command, "--ttl: between 1s and 31 days (744h)");
  }
  auto key = host::LoadSigningKey(values["key-file"]);
  if (!key.ok()) return UsageError(command, key.status());
  auth::TokenMinter minter(*std::move(key), values["issuer"], values["audience"]);
  const absl::Time now = absl::Now();
  const std::string token =
      minter.Mint(values["subject"], values["institution"], *roles, *ttl, now);
  if (in.global.json) {
    std::cout << "{\"token\":\"" << token << "\",\"kid\":\"" << minter.kid()
              << "\",\"expires_at\":\""
              << absl::FormatTime(absl::RFC3339_sec, now + *ttl, absl::UTCTimeZone()) << "\"}\n";
  } else {
    std::cout << token << "\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> KeyCommands() {
  return {
      {.name = "key create",
       .summary = "create a key file (once) and print its key id and public key",
       .details =
           "Ed25519 (the default): a node's event-signing key (<data-dir>/event-signing.key,\n"
           "admitted with `registry admit --public-key`) or a token issuer's key (trusted\n"
           "by nodes with --token-keys=KEY_ID=ISSUER=PUBLIC_KEY).\n"
           "--algorithm=es256 (P-256) or rs256 (RSA 2048): a credential key, a PKCS#8 PEM\n"
           "file for mcnode's --ec-key-file or --rsa-key-file; its public key is the\n"
           "base64url DER SubjectPublicKeyInfo that `registry admit --credential-key`\n"
           "registers. An existing file is kept.",
       .options = {{"key-file", "where the key is (or is created), mode 0600 (required)"},
                   {"algorithm", "eddsa (default), es256 or rs256"}},
       .run = RunKeyCreate},
      {.name = "token mint",
       .summary = "sign a bearer token for a member of staff, an officer or a learner",
       .details = "Prints the token (a JWT signed with --key-file). The node named by --audience\n"
                  "accepts it when started with --token-keys=KEY_ID=ISSUER=PUBLIC_KEY for this\n"
                  "key (`key create` prints KEY_ID and PUBLIC_KEY). Keep tokens short-lived.",
       .options = {{"key-file", "the token issuer's Ed25519 key file (required)"},
                   {"issuer", "the token issuer's name, as in the node's --token-keys (required)"},
                   {"audience", "the node id that accepts it, mcnode's --node-id (required)"},
                   {"institution", "the caller's institution id (required)"},
                   {"subject", "the caller: a staff login, or a learner's id (required)"},
                   {"roles", "comma-separated: registrar, catalogue_editor, ... (required)"},
                   {"ttl",
                    "how long it is valid, e.g. 30m, 8h (default 8h, at most 744h); a node "
                    "refuses tokens longer than its --max-token-lifetime (default 12h)"}},
       .run = RunTokenMint},
  };
}

}  // namespace microcred::mcctl
