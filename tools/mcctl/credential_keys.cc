#include "tools/mcctl/credential_keys.h"

#include <algorithm>

#include "libs/crypto/crypto.h"
#include "libs/jose/rsa_key.h"
#include "libs/registry/public_keys.h"

namespace microcred::mcctl {
namespace {

absl::StatusOr<registry::v1::PublicKey> ParseOne(std::string_view entry, std::string_view flag) {
  const std::string where = "--" + std::string(flag) + ": " + std::string(entry.substr(0, 24)) +
                            (entry.size() > 24 ? "...: " : ": ");
  const size_t colon = entry.find(':');
  const std::string_view kind = entry.substr(0, colon);
  if (colon == std::string_view::npos || (kind != "es256" && kind != "rs256")) {
    return absl::InvalidArgumentError(
        where +
        "expected es256:<base64url SPKI> or rs256:<base64url SPKI> (`mcctl key create "
        "--algorithm=es256` prints it)");
  }
  auto der = crypto::Base64UrlDecode(entry.substr(colon + 1));
  if (!der.ok() || der->empty()) return absl::InvalidArgumentError(where + "not base64url");
  if (kind == "rs256") {
    if (!jose::RsaPublicNumbersFromSpki(*der).ok()) {
      return absl::InvalidArgumentError(where + "not an RSA SubjectPublicKeyInfo of 2048 to " +
                                        std::to_string(jose::kMaxRsaBits) + " bits");
    }
    return registry::RegisteredRsaKey(*der);
  }
  registry::v1::PublicKey key = registry::RegisteredP256Key(*der);
  if (!registry::CheckPublicKey(key, "key").ok()) {
    return absl::InvalidArgumentError(where + "not a P-256 SubjectPublicKeyInfo");
  }
  return key;
}

}  // namespace

absl::StatusOr<std::vector<registry::v1::PublicKey>> ParseCredentialKeys(std::string_view text,
                                                                         std::string_view flag) {
  std::vector<registry::v1::PublicKey> keys;
  // (Abseil 20220623's string_view is not std::string_view here: split by hand.)
  for (size_t start = 0; start <= text.size();) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view entry = text.substr(start, comma - start);
    start = comma + 1;
    if (entry.empty()) continue;
    auto key = ParseOne(entry, flag);
    if (!key.ok()) return key.status();
    for (const registry::v1::PublicKey& earlier : keys) {
      if (earlier.key_id() == key->key_id()) {
        return absl::InvalidArgumentError("--" + std::string(flag) + ": key " + key->key_id() +
                                          " is given twice");
      }
    }
    keys.push_back(*std::move(key));
  }
  return keys;
}

std::string CredentialKeyText(const registry::v1::PublicKey& key) {
  if (!key.rsa_public_key_der().empty()) {
    return "rs256:" + crypto::Base64UrlEncode(key.rsa_public_key_der());
  }
  return "es256:" + crypto::Base64UrlEncode(key.ec_p256_public_key_der());
}

}  // namespace microcred::mcctl
