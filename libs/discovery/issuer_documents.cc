#include "libs/discovery/issuer_documents.h"

#include <algorithm>

#include "absl/time/time.h"
#include "libs/credentials/open_badge.h"
#include "libs/credentials/vocabulary.h"
#include "libs/discovery/did_web.h"

namespace microcred::discovery {
namespace {

using nlohmann::json;

constexpr std::string_view kVocab = "https://w3id.org/microcred/vocab#";

std::string Rfc3339(int64_t unix_ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMillis(unix_ms), absl::UTCTimeZone());
}

// The two members that say whether a key still signs.
void AddStatus(const PublishedKey& key, json& object) {
  object["keyStatus"] = key.retired ? "retired" : "current";
  if (key.retired && key.retired_at_ms > 0) object["retiredAt"] = Rfc3339(key.retired_at_ms);
}

// Those members as JSON-LD terms of the platform's vocabulary, inline: the extension context's
// URL is not served by w3id.org yet (docs/CREDENTIALS.md), and a DID resolver fetching it would
// fail.
json StatusContext() {
  return {{"keyStatus", std::string(kVocab) + "keyStatus"},
          {"retiredAt",
           {{"@id", std::string(kVocab) + "retiredAt"},
            {"@type", "http://www.w3.org/2001/XMLSchema#dateTime"}}}};
}

// Current keys first, each group in registration order.
std::vector<const PublishedKey*> CurrentFirst(const std::vector<PublishedKey>& keys) {
  std::vector<const PublishedKey*> ordered;
  for (const PublishedKey& key : keys) ordered.push_back(&key);
  std::stable_partition(ordered.begin(), ordered.end(),
                        [](const PublishedKey* key) { return !key->retired; });
  return ordered;
}

}  // namespace

Retirement RetirementOf(const registry::v1::Member& member, std::string_view key_id) {
  for (const registry::v1::MembershipChange& change : member.history()) {
    if (change.has_key_rotated() && change.key_rotated().retired_key_id() == key_id) {
      return {.retired = true, .at_ms = change.key_rotated().at_ms()};
    }
    if (change.has_readmitted()) {
      const auto& ids = change.readmitted().retired_key_ids();
      if (std::find(ids.begin(), ids.end(), key_id) != ids.end()) return {.retired = true};
    }
  }
  return {};
}

absl::StatusOr<json> ProfileDocument(const credentials::IssuerFacts& issuer,
                                     std::string_view base_url, std::string_view did) {
  auto profile = credentials::BuildProfile(issuer);
  if (!profile.ok()) return profile.status();
  json document = {
      {"@context", json::array({credentials::kVcV2Context, credentials::kOpenBadgesContext,
                                credentials::kMicrocredContext})}};
  document.update(*profile);
  document["url"] = base_url;
  if (!did.empty()) {
    document["otherIdentifier"].push_back(
        {{"type", "IdentifierEntry"}, {"identifier", did}, {"identifierType", "ext:did"}});
  }
  document["jwks"] = issuer.profile_url + "/jwks.json";
  return document;
}

json KeyDocument(const PublishedKey& key, std::string_view key_url) {
  jose::JwkPublicKey jwk = key.jwk;
  jwk.kid = std::string(key_url);
  json document = jose::ToJwk(jwk);
  if (document.is_null()) return document;
  AddStatus(key, document);
  return document;
}

json DidDocument(std::string_view did, std::string_view issuer_url,
                 const std::vector<PublishedKey>& keys) {
  json methods = json::array(), assertion = json::array();
  for (const PublishedKey* key : CurrentFirst(keys)) {
    const std::string id = std::string(did) + "#" + key->key_id;
    jose::JwkPublicKey jwk = key->jwk;
    jwk.kid = id;
    json public_jwk = jose::ToJwk(jwk);
    if (public_jwk.is_null()) continue;
    json method = {{"id", id},
                   {"type", kVerificationMethodType},
                   {"controller", did},
                   {"publicKeyJwk", std::move(public_jwk)}};
    AddStatus(*key, method);
    methods.push_back(std::move(method));
    if (!key->retired) assertion.push_back(id);
  }
  return {{"@context", json::array({kDidContext, kJws2020Context, StatusContext()})},
          {"id", did},
          {"alsoKnownAs", json::array({issuer_url})},
          {"verificationMethod", std::move(methods)},
          {"assertionMethod", std::move(assertion)}};
}

}  // namespace microcred::discovery
